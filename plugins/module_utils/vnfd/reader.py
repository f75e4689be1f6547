# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read an ETSI SOL004 VNF package (CSAR zip or directory) holding a SOL001 TOSCA VNFD into the model - or an OSM
package (directory or tar.gz) holding a SOL006 VNFD (sol006.py: the format is told here, for every module).

``read_package(src, limits=None)`` is the entry point: within the budgets of ``limits`` (budgets.py), it opens
the package (sources.py), finds the entry definitions (TOSCA.meta or the one YAML file at the root), checks the
manifest (manifest.py), loads the definitions and their types (tosca.py), and reads each deployment flavour
(flavours.py, policies.py) into a ``Package`` (model.py).

Every problem with the input is a ``PackageError`` whose message names the package file, the YAML path and what
is wrong; nothing in vnfd/ but glance.py and runners.py imports Ansible, openstack/ or a cloud SDK.

Lenient where Tacker is (issue 14): a problem no operation needs is a warning in ``Package.warnings`` (the same
``file: yaml.path: problem`` line, also noted for the module to show: base/notes.py) and the broken part - a level,
an aspect, an ext CP, a whole flavour when another one reads - is unusable in the model (model.py), refused only by
the operation that would use it. Security refusals (zip slip, links, absolute members, imports leaving the package)
and budgets stay refusals, and so does a package none of whose flavours reads.
"""
from __future__ import annotations

import os
import posixpath

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.base.notes import note
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import etsi_types as T
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import Budgets
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.flavours import FlavourBuilder
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.manifest import read_manifest
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import Package, Vnfd
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.signature import check as check_signature, open_package
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sol006 import descriptor as sol006_descriptor, read_vnfd as read_sol006
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import READ_ERRORS, is_url, package_path, root_files
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import (
    TOSCA_META, At, Types, as_list, as_map, as_str, literal, load_definitions, meta_path, read_tosca_meta, standard_imports,
)

_HEAD = 4096  # bytes of a carried ETSI type file read for its version


class _Reader:
    def __init__(self, source):
        self.source = source
        self.budgets = source.budgets
        self.types = None
        self.warnings = []

    def warn(self, line):
        """A problem read past: kept for ``Package.warnings`` and noted for the module (base/notes.py)."""
        line = str(line)
        if line not in self.warnings:
            self.warnings.append(line)
            note(line)

    def build(self, flavours, unusable, args):
        """Read one flavour into ``flavours``; one that does not read goes to ``unusable`` with a warning
        (``read_package`` refuses the package when no flavour reads)."""
        try:
            flavours[args[2]] = FlavourBuilder(self, *args).build()
        except PackageError as exc:
            if getattr(exc, 'hard', False):
                raise
            unusable[args[2]] = str(exc)
            self.warn('%s (flavour %s unusable)' % (exc, args[2]))

    def sol001_version(self, docs):
        """The SOL001 version of the standard type files the definitions import (None when none says)."""
        for path, ref in standard_imports(docs):
            version = T.version_in_ref(ref)
            carried = None if is_url(ref) else package_path(posixpath.dirname(path), ref)
            if version is None and carried and self.source.has(carried):
                try:
                    with self.source.open(carried) as f:
                        version = T.version_in_text(f.read(_HEAD).decode('utf-8', 'replace'))
                except READ_ERRORS:  # a type file the reader does not otherwise need: its version stays unknown
                    version = None
            if version is not None:
                problem = T.version_problem(version)
                if problem:
                    self.warn('%s: imports: %s' % (path, problem))
                return version
        return None

    def entry(self):
        """(TOSCA.meta first block or None, entry definitions path)."""
        if self.source.has(TOSCA_META):
            meta = read_tosca_meta(self.source)
            if not meta.get('Entry-Definitions'):
                raise PackageError('%s: Entry-Definitions is missing' % TOSCA_META)
            entry = meta_path(meta, 'Entry-Definitions')
            if not self.source.has(entry):
                raise PackageError("%s: Entry-Definitions '%s' is not in the package" % (TOSCA_META, entry))
            return meta, entry
        roots = root_files(self.source, ('.yaml', '.yml')) or root_files(self.source, ('.json',))  # JSON: a SOL006 VNFD
        if len(roots) == 1:
            return None, roots[0]
        found = 'several YAML files at its root (%s)' % ', '.join(roots) if roots else 'no YAML file at its root'
        raise PackageError('%s: not a VNF package: no %s and %s' % (self.source.src, TOSCA_META, found))

    def vnfd(self, docs, entry):
        self.types = Types(docs)
        flavours, node_types, unusable = {}, [], {}
        for path, doc in docs.items():
            tat = At(path, 'topology_template')
            topology = as_map(tat, doc.get('topology_template'))
            if 'substitution_mappings' not in topology:
                continue
            sat = tat.key('substitution_mappings')
            mapping = as_map(sat, topology['substitution_mappings'])
            node_type = mapping.get('node_type')
            if self.types.base('node', node_type, sat.key('node_type')) != T.VNF:
                raise sat.key('node_type').error("'%s' is not derived from %s" % (node_type, T.VNF))
            flavour_id = as_str(sat.key('properties.flavour_id'), as_map(sat.key('properties'), mapping.get('properties')).get('flavour_id'))
            if not flavour_id:
                vnf_type, vnf_props, vat = self._vnf_node(tat, topology)
                flavour_id = as_str(vat.key('flavour_id'), vnf_props.get('flavour_id'))
            if not flavour_id:
                raise sat.error('properties.flavour_id is missing: every deployment flavour needs a flavour_id')
            if flavour_id in flavours or flavour_id in unusable:
                where = flavours[flavour_id].source if flavour_id in flavours else 'another file'
                raise sat.key('properties.flavour_id').error("flavour '%s' is also defined in %s" % (flavour_id, where))
            self.build(flavours, unusable, (path, topology, flavour_id, node_type))
            node_types.append(node_type)
        if unusable and not flavours:
            raise PackageError(next(iter(unusable.values())))
        tat = At(entry, 'topology_template')
        top = as_map(tat, docs[entry].get('topology_template'))
        vnf_type, vnf_props, vat = self._vnf_node(tat, top)
        if not flavours:
            flavour_id = as_str(vat.key('flavour_id'), vnf_props.get('flavour_id'))
            if vnf_type is None or not flavour_id:
                raise PackageError('%s: no deployment flavour: no topology_template has substitution_mappings.properties.flavour_id' % entry)
            flavours[flavour_id] = FlavourBuilder(self, entry, top, flavour_id, vnf_type).build()
        props = self.types.defaults(vnf_type or node_types[0])
        props.update((k, v) for k, v in vnf_props.items() if literal(v) is not None)
        descriptor_id = as_str(vat.key('descriptor_id'), props.get('descriptor_id'))
        if not descriptor_id:
            raise vat.error('descriptor_id is missing (neither the VNF node nor its type sets it)')
        vnfm_info = as_list(vat.key('vnfm_info'), props.get('vnfm_info'))
        return Vnfd(
            descriptor_id=descriptor_id, descriptor_version=as_str(vat.key('descriptor_version'), props.get('descriptor_version')),
            provider=as_str(vat.key('provider'), props.get('provider')), product_name=as_str(vat.key('product_name'), props.get('product_name')),
            software_version=as_str(vat.key('software_version'), props.get('software_version')),
            vnfm_info=[as_str(vat.key('vnfm_info').item(i), v) for i, v in enumerate(vnfm_info)],
            description=as_str(At(entry, 'description'), docs[entry].get('description')), flavours=flavours, properties=props,
            unusable_flavours=unusable)

    def _vnf_node(self, tat, topology):
        """(type, properties, properties path) of the VNF node of a topology; (None, {}, path) without one."""
        nat = tat.key('node_templates')
        found = []
        for name, body in as_map(nat, topology.get('node_templates')).items():
            body = as_map(nat.key(name), body)
            if self.types.base('node', body.get('type'), nat.key(name).key('type')) == T.VNF:
                pat = nat.key(name).key('properties')
                found.append((body['type'], as_map(pat, body.get('properties')), pat))
        if len(found) > 1:
            raise nat.error('several VNF nodes (of types derived from %s)' % T.VNF)
        return found[0] if found else (None, {}, nat.key('VNF.properties'))


def read_package(src, strict_manifest=True, limits=None, verify_image_hashes=True, signature=False, trusted_ca=None):
    """Read the VNF package at ``src`` (a .zip/.csar file, a directory, or an OSM .tar.gz) into a ``Package``.

    With ``strict_manifest`` (the default) a manifest entry that does not check out (hash mismatch, file missing,
    unsupported algorithm) is a ``PackageError`` naming the files; without it the results are in ``pkg.manifest``
    (``ok`` false, ``problems()``). ``verify_image_hashes=False`` leaves the manifest hashes of the software image
    files unchecked (as Tacker may), every other file's still checked. ``limits`` ({budget: value}, budgets.py)
    raises or lowers the budgets of reading it; a package over one is refused with a ``PackageError`` naming the
    file, the YAML path and the budget. A SOL004 option-2 signed package (the CSAR zipped with its ``.cms`` and
    ``.cert``) is read through to its CSAR; with ``signature`` its signature is checked against the CA bundle
    ``trusted_ca`` into ``pkg.signature`` (signature.py: present, option, signer, verified, reason, and the
    ``artifacts`` signed on their own).
    """
    source = open_package(src, Budgets.from_limits(limits))
    try:
        reader = _Reader(source)
        tosca_meta, entry = reader.entry()
        sol006 = sol006_descriptor(source, entry)
        if sol006 is not None:
            pkg = read_sol006(source, entry, sol006, reader.warn)
            pkg.src, pkg.meta = os.fspath(src), dict(tosca_meta or {})
        else:
            docs = load_definitions(source, entry, reader.warn)
            meta = tosca_meta
            if meta is None:
                meta = {str(k): str(v) for k, v in as_map(At(entry, 'metadata'), docs[entry].get('metadata')).items()}
            pkg = Package(src=os.fspath(src), entry_definitions=entry, vnfd=reader.vnfd(docs, entry), meta=meta,
                          files=list(source.files), sol001_version=reader.sol001_version(docs))
        images = () if verify_image_hashes else frozenset(i['file'] for i in pkg.images() if i['carried'])
        pkg.manifest = read_manifest(source, tosca_meta or {}, entry, reader.warn, images)
        if strict_manifest and not pkg.manifest.ok:
            raise PackageError('; '.join(pkg.manifest.problems()))
        if signature:
            pkg.signature = check_signature(source, tosca_meta or {}, pkg.manifest, trusted_ca)
        pkg.warnings = reader.warnings
        return pkg
    except (RecursionError, MemoryError) as exc:  # the budgets keep them out; should one be raised, still one line
        raise PackageError('%s: too large or too deeply nested to read (%s): lower what it asks for, or the limits'
                           % (os.fspath(src), type(exc).__name__)) from None
    finally:
        source.close()
