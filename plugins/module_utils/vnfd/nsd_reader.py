# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read an ETSI SOL001 network service descriptor (an NSD YAML file, a directory or a CSAR) into the NSD model - or
a SOL006 (OSM) NSD, also as an OSM .tar.gz (sol006_nsd.py: the format is told in ``read_nsd``).

``read_nsd(path)`` returns ``(Nsd, warnings)``. The sources, YAML loading, imports and type inheritance are the
VNFD reader's (``sources.py``, ``tosca.py``; the NSD types are ``nsd_types.py``), the policies are read by
``nsd_policies.py``. Real NSDs are not always clean: what can be read is read, what is off is a warning in the
``file: yaml.path: problem`` form (a requirement naming no node, a mapping of an unknown aspect or level, policies
outside topology_template), and only what the NS lifecycle would need is refused with a ``PackageError`` of that
form: no NS node, an NS or VNF node without descriptor_id, impossible instance counts, a dependency loop,
conflicting levels or aspects, and the camelCase dialect of one catalogue (``nodeTemplates``, ``descriptorId``).

Where the NSD itself is: the node type of ``substitution_mappings`` (derived from ``tosca.nodes.nfv.NS``) with its
property defaults, every NS node template being a nested NS; without substitution_mappings, the first NS node
template (the others are nested NSs).
"""
from __future__ import annotations

import ipaddress
import os

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import etsi_types as T
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import nsd_model as M
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import nsd_types as N
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import Budgets
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.manifest import read_manifest
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_policies import read_policies
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sol006_nsd import nsd_document, read_nsd006
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import DirSource, is_archive, open_source, root_files
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import (
    TOSCA_META, At, as_bool, as_int, as_list, as_map, as_str, literal, load_definitions, meta_path, read_tosca_meta,
    requirements_of,
)

KINDS = {T.VNF: M.VNF, N.NS: M.NESTED_NS, N.NS_VIRTUAL_LINK: M.VIRTUAL_LINK, N.SAP: M.SAP}
_NS_REQUIRED = ('designer', 'version', 'name', 'invariant_id')


class _FileSource(DirSource):
    """One NSD file: its directory is the root its imports are read from (the directory is not walked)."""

    def __init__(self, path, budgets):  # pylint: disable=super-init-not-called
        self.src = path
        self.budgets = budgets
        self.root = os.path.realpath(os.path.dirname(path) or '.')
        self.files = [os.path.basename(path)]

    def has(self, path):
        full = os.path.realpath(os.path.join(self.root, path))
        return full.startswith(self.root + os.sep) and os.path.isfile(full)


def _open(path, budgets):
    """(source, TOSCA.meta or None, entry definitions path) of an NSD file, directory or CSAR."""
    path = os.fspath(path)
    if os.path.isfile(path) and not is_archive(path):
        return _FileSource(path, budgets), None, os.path.basename(path)
    source = open_source(path, budgets)
    try:
        meta = read_tosca_meta(source) if source.has(TOSCA_META) else None
        if meta is not None:
            entry = meta_path(meta, 'Entry-Definitions') if meta.get('Entry-Definitions') else None
            if entry is None or not source.has(entry):
                raise PackageError('%s: Entry-Definitions %s' % (TOSCA_META, "'%s' is not in the package" % entry if entry else 'is missing'))
            return source, meta, entry
        roots = root_files(source, ('.yaml', '.yml')) or root_files(source, ('.json',))  # JSON: a SOL006 NSD
        if len(roots) != 1:
            raise PackageError('%s: not an NSD package: no %s and %s YAML files at its root (%s)'
                               % (path, TOSCA_META, len(roots), ', '.join(roots) or 'none'))
        return source, None, roots[0]
    except PackageError:
        source.close()
        raise


def _refuse_dialect(entry, doc):
    """Refuse the camelCase dialect (topologyTemplate, nodeTemplates, descriptorId) of the 5G catalogue."""
    topology = doc.get('topology_template', doc.get('topologyTemplate'))
    camel = [k for k in ('toscaDefinitionsVersion', 'topologyTemplate') if k in doc and 'topology_template' not in doc]
    camel += [k for k in ('nodeTemplates', 'substitutionMappings') if isinstance(topology, dict) and k in topology]
    if camel:
        where = camel[0] if camel[0] in doc else 'topology_template.%s' % camel[0]
        raise PackageError('%s: %s: camelCase keys (%s): the Nextworks 5G-catalogue dialect, not ETSI SOL001 TOSCA, which '
                           'spells them in snake_case (tosca_definitions_version, topology_template, node_templates, '
                           'descriptor_id); not read' % (entry, where, ', '.join(camel)))


def _profile(at, profile, level_key):
    """(min, max, level) of a vnf_profile / ns_profile; 1, None (no bound given), None without one."""
    low = as_int(at.key('min_number_of_instances'), profile.get('min_number_of_instances'))
    high = as_int(at.key('max_number_of_instances'), profile.get('max_number_of_instances'))
    low = 1 if low is None else low
    if high is not None and low > high:
        raise at.error('min_number_of_instances (%d) is greater than max_number_of_instances (%d)' % (low, high))
    return low, high, as_str(at.key(level_key), profile.get(level_key))


def _names(at, value):
    return [as_str(at.item(i), v) for i, v in enumerate(as_list(at, value))]


class _Topology:
    """One topology_template of the NSD: its nodes, their links, its policies -> (identity, NsFlavour)."""

    def __init__(self, reader, path, topology):
        self.reader, self.path, self.topology = reader, path, topology
        self.tat = At(path, 'topology_template')
        self.kinds = {}  # node name -> model kind (or the type of a node the model does not interpret)
        self.identity = None  # (properties, properties path) of the NSD itself

    def warn(self, at, message):
        self.reader.warn(at, message)

    def properties(self, at, body):
        props = self.reader.types.defaults(body.get('type'))
        props.update((k, v) for k, v in as_map(at, body.get('properties')).items() if literal(v) is not None)
        return props

    def read(self, flavour_id=None):
        types, nat = self.reader.types, self.tat.key('node_templates')
        nodes = {}
        for name, body in as_map(nat, self.topology.get('node_templates')).items():
            body = as_map(nat.key(name), body)
            base = types.base('node', body.get('type'), nat.key(name).key('type'))
            self.kinds[name] = KINDS.get(base, body.get('type'))
            nodes[name] = body
        if 'substitution_mappings' in self.topology:
            self._substituted(flavour_id)
        else:
            self._own_node(nodes)
        props, pat, _own = self.identity
        flavour_id = flavour_id or as_str(pat.key('flavour_id'), props.get('flavour_id'))
        if not flavour_id:
            raise pat.error('flavour_id is missing: the NS deployment flavour needs an id')
        flavour = M.NsFlavour(flavour_id=flavour_id, source=self.path)
        readers = {M.VNF: self._vnf, M.NESTED_NS: self._nested, M.VIRTUAL_LINK: self._virtual_link, M.SAP: self._sap}
        for name, body in nodes.items():
            at = nat.key(name)
            if name == self.identity[2]:
                self._links(name, at, body)  # the NSD's own node: its links are checked, not modelled
            elif self.kinds[name] in readers:
                readers[self.kinds[name]](flavour, name, at, body)
            else:
                flavour.other_nodes[name] = body.get('type')
        if not flavour.vnfs:
            self.warn(nat, 'no VNF node (of a type derived from %s): the NS deploys no VNF' % T.VNF)
        if flavour.other_nodes:
            self.warn(nat, 'not modelled (NFP / VNFFG and other nodes the NS lifecycle does not use): %s'
                      % ', '.join(sorted(flavour.other_nodes)))
        try:
            flavour.deployment_order()
        except ValueError as exc:
            raise nat.error(str(exc)) from None
        read_policies(self, flavour)
        return flavour

    def _substituted(self, flavour_id):
        sat = self.tat.key('substitution_mappings')
        mapping = as_map(sat, self.topology['substitution_mappings'])
        node_type = mapping.get('node_type')
        if self.reader.types.base('node', node_type, sat.key('node_type')) != N.NS:
            raise sat.key('node_type').error("'%s' is not derived from %s" % (node_type, N.NS))
        props = self.reader.types.defaults(node_type)
        props.update(as_map(sat.key('properties'), mapping.get('properties')))
        if flavour_id:
            props['flavour_id'] = flavour_id
        self.identity = (props, sat.key('properties'), None)

    def _own_node(self, nodes):
        ns_nodes = [name for name in nodes if self.kinds[name] == M.NESTED_NS]
        if not ns_nodes:
            raise self.tat.key('node_templates').error(
                'no %s node and no substitution_mappings: not a network service descriptor' % N.NS)
        own = ns_nodes[0]
        at = self.tat.key('node_templates').key(own).key('properties')
        self.identity = (self.properties(at, nodes[own]), at, own)
        if len(ns_nodes) > 1:
            self.warn(self.tat, "no substitution_mappings: '%s', the first %s node, is read as the NSD itself, %s as nested NS"
                      % (own, N.NS, ', '.join("'%s'" % n for n in ns_nodes[1:])))
        if self.identity[0].pop('scale_status', None) is not None:
            self.warn(at.key('scale_status'), 'an attribute of %s, not a property: ignored' % N.NS)

    def _links(self, name, at, body):
        """(attachments, depends_on) of a VNF or NS node's requirements; what names nothing usable is a warning."""
        rat = at.key('requirements')
        raw = as_list(rat, body.get('requirements'))
        attachments, depends, missing = [], [], {}
        for (req, target, where), item in zip(requirements_of(rat, body), raw):
            relationship = item[req].get('relationship') if isinstance(item[req], dict) else None
            kind = self.kinds.get(target)
            if req == 'dependency' or 'DependsOn' in str(relationship):
                if kind in (M.VNF, M.NESTED_NS) and target != name:
                    depends.append(target)
                else:
                    self.warn(where, "'%s' is not another VNF or nested NS of the NSD: dependency ignored" % target)
            elif target is None or kind is None:
                missing.setdefault(target, []).append((req, where))
            elif kind not in (M.VIRTUAL_LINK, M.SAP):
                self.warn(where, "'%s' is a %s node, not an NS virtual link or SAP: ignored" % (target, kind))
            elif any(a.requirement == req for a in attachments):
                self.warn(where, "requirement '%s' is given twice: '%s' ignored" % (req, target))
            else:
                attachments.append(M.Attachment(requirement=req, target=target, kind=kind))
        vls = ', '.join(n for n, k in self.kinds.items() if k == M.VIRTUAL_LINK) or 'none'
        for target, reqs in missing.items():
            others = ' (so do %s)' % ', '.join(r for r, _w in reqs[1:]) if len(reqs) > 1 else ''
            self.warn(reqs[0][1], "'%s' names no node template (the NS virtual links are: %s)%s: ignored" % (target, vls, others))
        return attachments, depends

    def _constituent(self, name, at, body, what, profile_key):
        """(properties, their path, descriptor id, the fields NsVnf and NestedNs share) of a VNF or nested NS node."""
        pat = at.key('properties')
        props = self.properties(pat, body)
        descriptor_id = as_str(pat.key('descriptor_id'), props.get('descriptor_id'))
        if not descriptor_id:
            raise pat.error('descriptor_id is missing: a %s node names its %s' % what)
        level_key = 'instantiation_level' if profile_key == 'vnf_profile' else 'ns_instantiation_level'
        low, high, level = _profile(pat.key(profile_key), as_map(pat.key(profile_key), props.get(profile_key)), level_key)
        attachments, depends = self._links(name, at, body)
        shared = dict(name=name, flavour_id=as_str(pat.key('flavour_id'), props.get('flavour_id')), min_instances=low,
                      max_instances=high, instantiation_level=level, attachments=attachments, depends_on=depends)
        return props, pat, descriptor_id, shared

    def _vnf(self, flavour, name, at, body):
        props, pat, vnfd_id, shared = self._constituent(name, at, body, ('VNF', 'VNF package by the VNFD id'), 'vnf_profile')
        if not shared['flavour_id']:
            self.warn(pat, 'flavour_id is missing: the VNF deployment flavour must be given when the NS is instantiated')
        text = {key: as_str(pat.key(key), props.get(key)) for key in ('descriptor_version', 'provider', 'product_name', 'software_version')}
        flavour.vnfs[name] = M.NsVnf(vnfd_id=vnfd_id, **dict(shared, **text))

    def _nested(self, flavour, name, at, body):
        props, pat, nsd_id, shared = self._constituent(name, at, body, ('nested NS', 'NSD by its id'), 'ns_profile')
        flavour.nested[name] = M.NestedNs(nsd_id=nsd_id, invariant_id=as_str(pat.key('invariant_id'), props.get('invariant_id')), **shared)

    def _virtual_link(self, flavour, name, at, body):
        pat = at.key('properties')
        props = self.properties(pat, body)
        profile_at = pat.key('vl_profile')
        profile = as_map(profile_at, props.get('vl_profile'))
        connectivity = as_map(pat.key('connectivity_type'), props.get('connectivity_type'))
        vl = M.NsVirtualLink(
            name=name, description=as_str(pat.key('description'), props.get('description')),
            layer_protocols=_names(pat.key('connectivity_type.layer_protocols'), connectivity.get('layer_protocols')),
            flow_pattern=as_str(pat.key('connectivity_type.flow_pattern'), connectivity.get('flow_pattern')),
            max_bitrate=as_map(profile_at.key('max_bitrate_requirements'), profile.get('max_bitrate_requirements')) or None,
            min_bitrate=as_map(profile_at.key('min_bitrate_requirements'), profile.get('min_bitrate_requirements')) or None,
            qos=as_map(profile_at.key('qos'), profile.get('qos')) or None,
            protocol_data=as_list(profile_at.key('virtual_link_protocol_data'), profile.get('virtual_link_protocol_data')))
        self._protocol_data(vl, profile_at.key('virtual_link_protocol_data'))
        if body.get('requirements'):
            self.warn(at.key('requirements'), 'an NsVirtualLink has no requirements in SOL001: ignored')
        flavour.virtual_links[name] = vl

    def _protocol_data(self, vl, at):
        """l2 / l3 data of the first entries of virtual_link_protocol_data that give them."""
        l2 = l3 = None
        for i, item in enumerate(vl.protocol_data):
            item = as_map(at.item(i), item)
            if l2 is None and item.get('l2_protocol_data') is not None:
                l2 = (at.item(i).key('l2_protocol_data'), as_map(at.item(i).key('l2_protocol_data'), item['l2_protocol_data']))
            if l3 is None and item.get('l3_protocol_data') is not None:
                l3 = (at.item(i).key('l3_protocol_data'), as_map(at.item(i).key('l3_protocol_data'), item['l3_protocol_data']))
        if l2 is not None:
            vl.mtu = as_int(l2[0].key('mtu'), l2[1].get('mtu'))
            vl.network_type = as_str(l2[0].key('network_type'), l2[1].get('network_type'))
            vl.segmentation_id = as_str(l2[0].key('segmentation_id'), l2[1].get('segmentation_id'))
        if l3 is None:
            return
        l3at, data = l3
        vl.ip_version = as_str(l3at.key('ip_version'), data.get('ip_version'))
        if vl.ip_version is not None and vl.ip_version.lower() not in ('ipv4', 'ipv6'):
            self.warn(l3at.key('ip_version'), "'%s' is neither ipv4 nor ipv6: ignored" % vl.ip_version)
            vl.ip_version = None
        vl.cidr = as_str(l3at.key('cidr'), data.get('cidr'))
        if vl.cidr is not None and not _is_cidr(vl.cidr):
            self.warn(l3at.key('cidr'), "'%s' is not a CIDR (address/prefix length): ignored, the NS VL gets one allocated" % vl.cidr)
            vl.cidr = None
        vl.gateway_ip = as_str(l3at.key('gateway_ip'), data.get('gateway_ip'))
        vl.dhcp_enabled = as_bool(l3at.key('dhcp_enabled'), data.get('dhcp_enabled'))
        pools_at = l3at.key('ip_allocation_pools')
        for i, pool in enumerate(as_list(pools_at, data.get('ip_allocation_pools'))):
            pool = as_map(pools_at.item(i), pool)
            vl.ip_allocation_pools.append({key: as_str(pools_at.item(i).key(key), pool.get(key))
                                           for key in ('start_ip_address', 'end_ip_address')})

    def _sap(self, flavour, name, at, body):
        pat = at.key('properties')
        props = self.properties(pat, body)
        sap = M.Sap(name=name, description=as_str(pat.key('description'), props.get('description')),
                    layer_protocols=_names(pat.key('layer_protocols'), props.get('layer_protocols')),
                    role=as_str(pat.key('role'), props.get('role')), trunk_mode=as_bool(pat.key('trunk_mode'), props.get('trunk_mode')),
                    protocol=as_list(pat.key('protocol'), props.get('protocol')))
        for req, target, where in requirements_of(at.key('requirements'), body):
            if req not in ('internal_virtual_link', 'external_virtual_link'):
                self.warn(where, 'not a requirement of a Sap (internal_virtual_link, external_virtual_link): ignored')
            elif req == 'internal_virtual_link' and target not in self.kinds:
                self.warn(where, "'%s' names no node template of the NSD: ignored" % target)
            else:
                if target not in self.kinds:
                    self.warn(where, "'%s' names no node template of the NSD: kept as the name of a link outside the NS" % target)
                setattr(sap, req, target)
        flavour.saps[name] = sap


def _is_cidr(value):
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return '/' in value


class _Reader:
    def __init__(self, docs, entry):
        self.docs, self.entry = docs, entry
        self.types = N.NsdTypes(docs)
        self.warnings = []

    def warn(self, at, message):
        text = str(at.error(message))
        if text not in self.warnings:
            self.warnings.append(text)

    def read(self):
        doc = self.docs[self.entry]
        _refuse_dialect(self.entry, doc)
        topologies = [(path, d['topology_template']) for path, d in self.docs.items()
                      if isinstance(d.get('topology_template'), dict) and 'substitution_mappings' in d['topology_template']]
        if not topologies:
            topologies = [(self.entry, as_map(At(self.entry, 'topology_template'), doc.get('topology_template')))]
        flavours, identity = {}, None
        for path, topology in topologies:
            part = _Topology(self, path, topology)
            flavour = part.read()
            if flavour.flavour_id in flavours:
                raise At(path, 'topology_template').error("flavour '%s' is also defined in %s" % (flavour.flavour_id, flavours[flavour.flavour_id].source))
            flavours[flavour.flavour_id] = flavour
            identity = identity or part.identity
        return self._nsd(identity, flavours)

    def _nsd(self, identity, flavours):
        props, pat, _own = identity
        descriptor_id = as_str(pat.key('descriptor_id'), props.get('descriptor_id'))
        if not descriptor_id:
            raise pat.error('descriptor_id is missing (neither the NS node nor its type sets it)')
        absent = [key for key in _NS_REQUIRED if literal(props.get(key)) is None]
        if absent:
            self.warn(pat, '%s missing (required by SOL001): read as none' % ', '.join(absent))
        profile = props.get('ns_profile')
        return M.Nsd(
            descriptor_id=descriptor_id, designer=as_str(pat.key('designer'), props.get('designer')),
            version=as_str(pat.key('version'), props.get('version')), name=as_str(pat.key('name'), props.get('name')),
            invariant_id=as_str(pat.key('invariant_id'), props.get('invariant_id')), flavours=flavours,
            description=as_str(At(self.entry, 'description'), self.docs[self.entry].get('description')),
            entry_definitions=self.entry, ns_profile=as_map(pat.key('ns_profile'), profile) if profile is not None else None,
            properties=props)


def read_nsd(path, limits=None):
    """Read the NSD at ``path`` (a YAML file, a directory or a .zip/.csar; a SOL006 NSD also as an OSM .tar.gz)
    -> (``Nsd``, [warning lines]), within the budgets of ``limits`` (budgets.py)."""
    source, meta, entry = _open(path, Budgets.from_limits(limits))
    try:
        if meta is not None or not isinstance(source, _FileSource):
            bad = [e for e in read_manifest(source, meta or {}, entry).checked if e.ok is False]
            if bad:
                raise PackageError('; '.join('%s: %s' % (e.file, e.error) for e in bad))
        sol006 = nsd_document(source, entry)
        if sol006 is not None:
            return read_nsd006(entry, sol006)
        reader = _Reader(load_definitions(source, entry), entry)
        nsd = reader.read()
        return nsd, reader.warnings
    finally:
        source.close()
