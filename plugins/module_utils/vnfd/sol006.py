# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read an ETSI SOL006 VNFD (the YANG-modelled descriptor OSM uses, in YAML or JSON) into the model of model.py.

``descriptor(source, entry)`` is the SOL006 document at a package's entry file, or None for a SOL001 one: reader.py
asks it in the one place packages are opened, so every module reads either format. ``read_vnfd(source, entry, doc,
warn)`` gives the ``Package`` (``format`` 'sol006', ``sol006_revision``) with the same Vnfd, flavours, VDUs, CPs,
VLs, levels, aspects and affinity rules a SOL001 package gives, so the planner and the lifecycle modules work
unchanged. A document is the top ``vnfd:`` mapping (as OSM ships it), ``etsi-nfv-vnfd:vnfd`` (RFC 7951 JSON) or an
``nfv:`` / ``etsi-nfv-descriptors:nfv`` container holding one ``vnfd``. The pre-SOL006 ``vnfd:vnfd-catalog``
format is refused naming it.

The VNFD-level descriptors are here, each ``df`` is read by sol006_df.py; the mapping (df = a deployment flavour;
its VDUs are those with a ``vdu-profile``):
- ``vdu`` + ``virtual-compute-desc`` -> ``Vdu`` / ``VirtualCompute`` (memory and images' min-ram are GB, decimal:
  ``*_mb`` = ceil(GB * 1024)); ``virtual-compute-desc.virtual-disk`` and the VDU's storage of type root-storage /
  ephemeral-storage or of no type (OSM's root disk) -> ``local_storage_gb``; block / object / file (and OSM's
  persistent-storage, a volume) -> ``VirtualStorage``;
- ``sw-image-desc`` -> ``SwImage``: its ``image`` is a URL, a file of the package, or (OSM) the name of an image;
- ``int-cpd`` -> ``VduCp`` named by its id, or ``<vdu>_<id>`` when two VDUs of the df have a CP of that id;
  ``int-virtual-link-desc`` + the df's ``virtual-link-profile`` -> ``VirtualLink``; ``ext-cpd`` -> ``ExtCp``
  ('VduCp' through ``int-cpd``, 'VnfExtCp' through ``int-virtual-link-desc``);
- ``scaling-aspect`` / ``aspect-delta-details`` -> ``ScalingAspect``; ``instantiation-level`` ->
  ``InstantiationLevel``; ``affinity-or-anti-affinity-group`` (members from the profiles) and
  ``local-affinity-or-anti-affinity-rule`` -> ``AffinityRule`` (scope ``nfvi-node`` -> ``nfvi_node``).
Lenient as the SOL001 reader: a level, aspect or ext CP that does not hold together is unusable with a warning, a
df that does not read is an unusable flavour. The document is checked against the YANG model's structure
(sol006_schema.py): a key that is not in the model is read past with a warning, once per key; an OSM addition is
mapped where the model has the place (``cloud-init-file`` -> the VDU's ``boot_data``) and kept as data otherwise
(``Vnfd.properties['osm']``), with a warning once each.
"""
from __future__ import annotations

import posixpath

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import Package, SwImage, VirtualCompute, Vnfd
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sol006_df import DfReader
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sol006_schema import (
    KEPT, KNOWN, NEWEST, OSM, REVISIONS, document, only_one, ident_of, idents, rounded_up, snake, whole, yang_bool, yang_list,
)
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import is_url, package_path, read_text
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import At, as_count, as_list, as_map, as_str

VNFD_KEYS = ('vnfd', 'etsi-nfv-vnfd:vnfd')
NFV_KEYS = ('nfv', 'etsi-nfv-descriptors:nfv')
CATALOGS = ('vnfd:vnfd-catalog', 'vnfd-catalog')
NSD_KEYS = ('nsd', 'etsi-nfv-nsd:nsd')
_VOLUMES = {'block': 'block', 'object': 'object', 'file': 'file', 'persistent-storage': 'block'}
_LOCAL = ('root-storage', 'ephemeral-storage', None)
_SIZE_KEYS = {'block': ('block-storage-data', 'size-of-storage'), 'object': ('object-storage-data', 'max-size-of-storage'),
              'file': ('file-storage-data', 'size-of-storage')}
_IMAGE_SUFFIXES = ('.qcow2', '.img', '.iso', '.raw', '.vmdk', '.vhd', '.vdi', '.ami')


def descriptor(source, entry):
    """The SOL006 document at ``entry`` (a mapping), or None when it is not one (a SOL001 file: not parsed here)."""
    doc = document(source, entry, CATALOGS, 'vnfd')
    if doc is None:
        return None
    if any(k in doc for k in VNFD_KEYS + NFV_KEYS):
        return doc
    if any(k in doc for k in NSD_KEYS):
        raise PackageError("%s: a SOL006 NSD ('nsd:'), not a VNFD: a VNF package holds a VNFD" % entry)
    return None


def read_vnfd(source, entry, doc, warn):
    """The ``Package`` of the SOL006 VNFD ``doc`` (from ``descriptor``) at ``entry`` of ``source``."""
    return _Vnfd(source, entry, doc, warn).read()


class _Vnfd:
    def __init__(self, source, path, doc, warn):
        self.source = source
        self.path = path
        self.doc = doc
        self.warn = warn
        self.budgets = source.budgets
        self.warned = set()
        self.kept = {}  # OSM additions kept as data: 'yaml.path' -> value

    # -- structure ---------------------------------------------------------------------------------------------
    def once(self, key, line):
        if key not in self.warned:
            self.warned.add(key)
            self.warn(line)

    def check(self, at, place, item):
        """Warn (once per key) of what the YANG model does not have at ``place``; keep OSM's additions as data."""
        for key, value in item.items():
            if key in KNOWN[place]:
                continue
            note = OSM.get(place, {}).get(key)
            if note:
                if note.startswith(KEPT):
                    self.kept[at.key(key).path] = value
                self.once((place, key), '%s: %s: OSM information-model addition, not in the ETSI SOL006 YANG model: %s'
                          % (at.file, at.key(key).path, note))
            else:
                self.once((place, key), '%s: %s: not in the ETSI SOL006 YANG model (revision %s) at %s: ignored'
                          % (at.file, at.key(key).path, NEWEST, place))

    def items(self, at, value, key='id', place=None):
        """A YANG list (``yang_list``), each entry checked against the model at ``place``."""
        out = yang_list(at, value, key)
        for iat, entry, _ident in out if place else ():
            self.check(iat, place, entry)
        return out

    def index(self, at, value, place):
        return {ident: (iat, entry) for iat, entry, ident in self.items(at, value, place=place)}

    @staticmethod
    def ref(at, ident, table, what):
        if ident not in table:
            raise at.error("'%s' is not a %s of the VNFD (%s: %s)" % (ident, what, what, ', '.join(table) or 'none'))
        return table[ident]

    def count(self, at, value, budget=None, default=PackageError):
        """A whole number, within the budget ``budget`` when one is named (budgets.py); ``default`` when absent
        (none given: it is mandatory)."""
        number = whole(at, value, default)
        return as_count(at, number, self.budgets, budget) if budget and number is not None else number

    # -- the VNFD ----------------------------------------------------------------------------------------------
    def unwrap(self):
        for key in VNFD_KEYS:
            if key in self.doc:
                at, body = At(self.path, key), self.doc[key]
                break
        else:
            key = next(k for k in NFV_KEYS if k in self.doc)
            at = At(self.path, key).key('vnfd')
            body = as_map(At(self.path, key), self.doc[key]).get('vnfd')
            if body is None:
                raise at.error('is missing: the nfv container holds no VNFD')
        return only_one(at, body, 'VNFD', 'a package')

    def revision(self):
        revision = as_str(At(self.path, 'revision'), self.doc.get('revision'))
        if revision is None:
            return NEWEST
        if revision not in REVISIONS:
            self.warn('%s: revision: %s is not a revision of the ETSI SOL006 YANG modules this reader knows (%s): read as %s'
                      % (self.path, revision, ', '.join(sorted(REVISIONS)), NEWEST))
        return revision

    def read(self):
        at, body = self.unwrap()
        revision = self.revision()
        self.check(at, 'vnfd', body)
        ident = as_str(at.key('id'), body.get('id'))
        version = as_str(at.key('version'), body.get('version'))
        for name, value in (('id', ident), ('version', version)):
            if not value:
                raise at.key(name).error('is missing (mandatory in the SOL006 YANG model)')
        self.vdus = self.index(at.key('vdu'), body.get('vdu'), 'vdu')
        self.computes = self.index(at.key('virtual-compute-desc'), body.get('virtual-compute-desc'), 'virtual-compute-desc')
        self.storages = self.index(at.key('virtual-storage-desc'), body.get('virtual-storage-desc'), 'virtual-storage-desc')
        self.images = self.index(at.key('sw-image-desc'), body.get('sw-image-desc'), 'sw-image-desc')
        self.vls = self.index(at.key('int-virtual-link-desc'), body.get('int-virtual-link-desc'), 'int-virtual-link-desc')
        self.ext = self.items(at.key('ext-cpd'), body.get('ext-cpd'), place='ext-cpd')
        flavours, unusable = {}, {}
        for dat, df, df_id in self.items(at.key('df'), body.get('df'), place='df'):
            try:
                flavours[df_id] = DfReader(self, dat, df, df_id).build()
            except PackageError as exc:
                if getattr(exc, 'hard', False):
                    raise
                unusable[df_id] = str(exc)
                self.warn('%s (flavour %s unusable)' % (exc, df_id))
        if not flavours:
            raise PackageError(next(iter(unusable.values())) if unusable else '%s: no deployment flavour (df)' % at.where())
        identity = {'descriptor_id': ident, 'descriptor_version': version,
                    'provider': as_str(at.key('provider'), body.get('provider')),
                    'product_name': as_str(at.key('product-name'), body.get('product-name')),
                    'software_version': as_str(at.key('software-version'), body.get('software-version'))}
        vnfm_info = body.get('vnfm-info')
        vnfm_info = [vnfm_info] if isinstance(vnfm_info, str) else as_list(at.key('vnfm-info'), vnfm_info)
        description = as_str(at.key('description'), body.get('description'))
        if description is None:
            description = as_str(at.key('product-info-description'), body.get('product-info-description'))
        vnfd = Vnfd(vnfm_info=[as_str(at.key('vnfm-info').item(i), v) for i, v in enumerate(vnfm_info)],
                    description=description, flavours=flavours, unusable_flavours=unusable,
                    properties=dict(identity, vnfm_info=vnfm_info, osm=self.kept), **identity)
        return Package(src=self.source.src, entry_definitions=self.path, vnfd=vnfd, files=list(self.source.files),
                       format='sol006', sol006_revision=revision)

    def compute(self, at, ident):
        cat, body = self.ref(at, ident, self.computes, 'virtual-compute-desc')
        memory = as_map(cat.key('virtual-memory'), body.get('virtual-memory'))
        cpu = as_map(cat.key('virtual-cpu'), body.get('virtual-cpu'))
        disks = [rounded_up(dat.key('size-of-storage'), disk.get('size-of-storage')) or 0
                 for dat, disk, _disk in self.items(cat.key('virtual-disk'), body.get('virtual-disk'))]
        caps = {name: dict(snake(cap), requested_additional_capability_name=name)
                for _cat, cap, name in self.items(cat.key('request-additional-capability'), body.get('request-additional-capability'), 'name')}
        return VirtualCompute(
            vcpus=None if cpu.get('num-virtual-cpu') is None else self.count(cat.key('virtual-cpu.num-virtual-cpu'), cpu['num-virtual-cpu']),
            memory_mb=rounded_up(cat.key('virtual-memory.size'), memory.get('size'), 1024), local_storage_gb=disks,
            requested_additional_capabilities=caps, virtual_cpu=snake({k: v for k, v in cpu.items() if k != 'num-virtual-cpu'}))

    def storage(self, at, ident):
        """(kind: 'block' | 'object' | 'file' | None for a local disk, size in GB, rdma, sw image) of a storage desc."""
        sat, body = self.ref(at, ident, self.storages, 'virtual-storage-desc')
        kind = ident_of(sat.key('type-of-storage'), body.get('type-of-storage'))
        if kind not in _VOLUMES and kind not in _LOCAL:
            raise sat.key('type-of-storage').error("'%s' is not a storage type (block, object, file; OSM's root-storage, "
                                                   "ephemeral-storage, persistent-storage)" % kind)
        kind = _VOLUMES.get(kind)
        data_key, size_key = _SIZE_KEYS.get(kind, ('block-storage-data', 'size-of-storage'))
        dat = sat.key(data_key)
        data = as_map(dat, body.get(data_key))
        size = rounded_up(dat.key(size_key), data.get(size_key))
        if size is None:
            size = rounded_up(sat.key('size-of-storage'), body.get('size-of-storage'))
        image = as_str(dat.key('sw-image-desc'), data.get('sw-image-desc'))
        return kind, size, bool(yang_bool(dat.key('rdma-enabled'), data.get('rdma-enabled'))), self.image(dat.key('sw-image-desc'), image)

    def image(self, at, ident):
        if ident is None:
            return None
        iat, body = self.ref(at, ident, self.images, 'sw-image-desc')
        checksum = body.get('checksum')
        if isinstance(checksum, str):  # OSM's older form: the hash alone
            checksum = {'hash': checksum}
        checksum = as_map(iat.key('checksum'), checksum)
        ref = as_str(iat.key('image'), body.get('image'))
        file, carried = None, False
        if ref and is_url(ref):
            file = ref
        elif ref:
            path = package_path(posixpath.dirname(self.path), ref)
            if path is not None and self.source.has(path):
                file, carried = path, True
            elif path is None:
                self.warn('%s: %s: %s' % (iat.file, iat.key('image').path,
                                          "'%s' is outside the package: read as an external image, never opened" % ref))
                file = ref
            elif '/' in ref or ref.lower().endswith(_IMAGE_SUFFIXES):
                file = path  # a file of the package that is not there (as a SOL001 artifact can be)
        return SwImage(
            name=as_str(iat.key('name'), body.get('name')) or ref, version=as_str(iat.key('version'), body.get('version')),
            checksum={'algorithm': ident_of(iat.key('checksum.algorithm'), checksum.get('algorithm')),
                      'hash': as_str(iat.key('checksum.hash'), checksum.get('hash'))} if checksum else None,
            container_format=as_str(iat.key('container-format'), body.get('container-format')),
            disk_format=as_str(iat.key('disk-format'), body.get('disk-format')),
            min_disk_gb=rounded_up(iat.key('min-disk'), body.get('min-disk')), min_ram_mb=rounded_up(iat.key('min-ram'), body.get('min-ram'), 1024),
            size_gb=rounded_up(iat.key('size'), body.get('size')), file=file, carried=carried,
            operating_system=as_str(iat.key('operating-system'), body.get('operating-system')),
            supported_virtualisation_environments=idents(
                iat.key('supported-virtualization-environment'), body.get('supported-virtualization-environment')))

    def boot_data(self, at, body):
        """The VDU's boot data: SOL006 ``boot-data``, OSM's inline ``cloud-init`` or its ``cloud-init-file``."""
        for key in ('boot-data', 'cloud-init'):
            if body.get(key) is not None:
                return as_str(at.key(key), body[key])
        name = as_str(at.key('cloud-init-file'), body.get('cloud-init-file'))
        if name is None:
            return None
        base = posixpath.dirname(self.path)
        for path in (package_path(base, posixpath.join('cloud_init', name)), package_path(base, name)):
            if path is not None and self.source.has(path):
                return read_text(self.source, path)
        self.warn("%s: %s: '%s' is not in the package (OSM keeps it in cloud_init/): the VDU has no boot_data"
                  % (at.file, at.key('cloud-init-file').path, name))
        return None
