# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read an ETSI SOL004 VNF package (CSAR zip or directory) holding a SOL001 TOSCA VNFD into the model.

``read_package(src)`` is the entry point. Every problem with the input is a ``PackageError`` whose message
names the package file, the YAML path and what is wrong; nothing here imports Ansible or a cloud SDK.

Sizes (TOSCA ``scalar-unit.size``: B, kB, KiB, MB, MiB, GB, GiB, TB, TiB, case-insensitive, decimals allowed)
are converted to bytes with kB/MB/GB/TB read as powers of 2 like KiB/MiB/GiB/TiB (as Tacker and ONAP do, and as
vendors mean them for flavors), then to ``*_mb`` = ceil(bytes / 2**20) and ``*_gb`` = ceil(bytes / 2**30):
'512 MB' is 512 MB of flavor RAM, '1.5 GB' is 2 GB of disk.
"""
from __future__ import annotations

import contextlib
import hashlib
import math
import os
import posixpath
import re
import stat
import zipfile
import zlib
from fractions import Fraction

try:
    import yaml
    HAS_YAML = True
    _Loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
except ImportError:
    yaml = None
    HAS_YAML = False

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import etsi_types as T
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import (
    AffinityRule, Artifact, ExtCp, Flavour, InstantiationLevel, Manifest, ManifestEntry, Package, ScalingAspect,
    SwImage, Vdu, VduCp, VirtualCompute, VirtualLink, VirtualStorage, Vnfd,
)

TOSCA_META = 'TOSCA-Metadata/TOSCA.meta'
MAX_TEXT_BYTES = 64 * 2 ** 20  # refuse descriptor/manifest files larger than this (zip bombs)
# Sizes: the decimal unit names are read as binary multiples (512 MB = 512 MiB), as Tacker and ONAP read
# VNFDs and as every vendor VNFD means them for flavors (a '512 MB' VDU expects a 512 MiB flavor).
_SIZE_UNITS = {'b': 1, 'kb': 2 ** 10, 'kib': 2 ** 10, 'mb': 2 ** 20, 'mib': 2 ** 20, 'gb': 2 ** 30, 'gib': 2 ** 30,
               'tb': 2 ** 40, 'tib': 2 ** 40}
_SIZE_RE = re.compile(r'^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$')
_HASHES = frozenset(('sha256', 'sha384', 'sha512'))
_READ_ERRORS = (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError)
_FUNCTIONS = frozenset(('get_input', 'get_property', 'get_attribute', 'get_operation_output', 'get_artifact', 'concat', 'token'))


# ---------------------------------------------------------------------------------------------------------------
# small helpers

def parse_size(value):
    """Bytes of a TOSCA scalar-unit.size such as '512 MB', '1.5 GiB'; ValueError when it does not parse."""
    match = _SIZE_RE.match(value) if isinstance(value, str) else None
    factor = _SIZE_UNITS.get(match.group(2).lower()) if match else None
    if factor is None:
        raise ValueError('%r is not a size (a number and one of the units B, kB, KiB, MB, MiB, GB, GiB, TB, TiB)' % (value,))
    return math.ceil(Fraction(match.group(1)) * factor)


def hash_name(algorithm):
    """hashlib name of a SOL001/SOL004 algorithm name ('sha-512', 'SHA-256', 'sha384'), or None if unsupported."""
    name = str(algorithm).lower().replace('-', '').replace('_', '')
    return name if name in _HASHES else None


def _literal(value):
    """None for a TOSCA function call ({get_input: x}), else the value."""
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _FUNCTIONS:
        return None
    return value


def _join(base_dir, ref):
    """Package path of ``ref`` relative to ``base_dir``, or None when it leaves the package root."""
    ref = ref.replace('\\', '/')
    if ref.startswith('/') or re.match(r'^[A-Za-z]:', ref):
        return None
    path = posixpath.normpath(posixpath.join(base_dir, ref))
    return None if path == '..' or path.startswith('../') else path


def _is_url(ref):
    return '://' in ref


class _At:
    """A place in a package file, for error messages: ``file: yaml.path: problem``."""
    __slots__ = ('file', 'path')

    def __init__(self, file, path=''):
        self.file = file
        self.path = path

    def key(self, name):
        return _At(self.file, '%s.%s' % (self.path, name) if self.path else str(name))

    def item(self, index, name=None):
        return _At(self.file, '%s[%d]%s' % (self.path, index, ' %s' % name if name is not None else ''))

    def error(self, message):
        return PackageError('%s: %s: %s' % (self.file, self.path, message) if self.path else '%s: %s' % (self.file, message))


def _map(at, value):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise at.error('must be a mapping, not %s' % type(value).__name__)
    return value


def _list(at, value):
    if value is None:
        return []
    if not isinstance(value, list):
        raise at.error('must be a list, not %s' % type(value).__name__)
    return value


def _names(at, value):
    """A list of node names (a single name is accepted as a list of one)."""
    items = [value] if isinstance(value, str) else _list(at, value)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise at.item(i).error('must be a name, not %s' % type(item).__name__)
    return items


def _str(at, value):
    value = _literal(value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise at.error('must be a string, not %s' % type(value).__name__)


def _int(at, value, required=False):
    value = _literal(value)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise at.error('must be a non-negative integer, not %r' % (value,))
    return value


def _bool(at, value):
    value = _literal(value)
    if value is None or isinstance(value, bool):
        return value
    raise at.error('must be true or false, not %r' % (value,))


def _size(at, value, unit):
    value = _literal(value)
    if value is None:
        return None
    try:
        return -(-parse_size(value) // unit)
    except ValueError as exc:
        raise at.error(str(exc)) from None


def _requirements(at, node):
    """[(requirement name, target node name or None, path)] of a node template."""
    found = []
    for i, req in enumerate(_list(at, node.get('requirements'))):
        rat = at.item(i)
        if not isinstance(req, dict) or len(req) != 1:
            raise rat.error('must be a mapping of one requirement name to its target')
        name, target = next(iter(req.items()))
        if isinstance(target, dict):
            target = target.get('node')
        if target is not None and not isinstance(target, str):
            raise rat.key(name).error('must name a node template')
        found.append((name, target, rat.key(name)))
    return found


# ---------------------------------------------------------------------------------------------------------------
# package sources: a directory or a zip

class _DirSource:
    def __init__(self, src):
        self.src = src
        self.root = os.path.realpath(src)
        self.files = []
        prefix = self.root + os.sep
        for dirpath, dirnames, filenames in os.walk(self.root):
            for name in dirnames + filenames:
                full = os.path.join(dirpath, name)
                if os.path.islink(full):
                    target = os.path.realpath(full)
                    if target != self.root and not target.startswith(prefix):
                        raise PackageError('%s: symbolic link leaves the package root (points to %s)'
                                           % (os.path.relpath(full, self.root), os.readlink(full)))
            rel = os.path.relpath(dirpath, self.root)
            self.files.extend(sorted(name if rel == '.' else posixpath.join(rel.replace(os.sep, '/'), name) for name in filenames))

    def has(self, path):
        return os.path.isfile(os.path.join(self.root, path))

    def open(self, path):
        return open(os.path.join(self.root, path), 'rb')

    def read(self, path):
        full = os.path.join(self.root, path)
        try:
            if os.path.getsize(full) > MAX_TEXT_BYTES:
                raise PackageError('%s: larger than %d bytes' % (path, MAX_TEXT_BYTES))
            with open(full, 'rb') as f:
                return f.read()
        except OSError as exc:
            raise PackageError('%s: cannot read: %s' % (path, exc.strerror or exc)) from None

    def close(self):
        pass


class _ZipSource:
    def __init__(self, src, zf):
        self.src = src
        self.zip = zf
        self.members = {}
        for info in zf.infolist():
            name = info.filename.replace('\\', '/')
            if _join('', name) is None or '..' in name.split('/'):
                raise PackageError("%s: zip member '%s' escapes the package root" % (src, info.filename))
            if stat.S_ISLNK(info.external_attr >> 16):
                raise PackageError("%s: zip member '%s' is a symbolic link" % (src, info.filename))
            if not info.is_dir():
                self.members[posixpath.normpath(name)] = info
        self.files = sorted(self.members)

    def has(self, path):
        return path in self.members

    def open(self, path):
        return self.zip.open(self.members[path])

    def read(self, path):
        info = self.members[path]
        if info.file_size > MAX_TEXT_BYTES:
            raise PackageError('%s: larger than %d bytes' % (path, MAX_TEXT_BYTES))
        try:
            return self.zip.read(info)
        except _READ_ERRORS as exc:
            raise PackageError('%s: cannot read zip member %s: %s' % (self.src, path, exc)) from None

    def close(self):
        self.zip.close()


def _open_source(src):
    src = os.fspath(src)
    if os.path.isdir(src):
        return _DirSource(src)
    if not os.path.exists(src):
        raise PackageError('%s: no such file or directory' % src)
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackageError('%s: neither a directory nor a zip (CSAR) file: %s' % (src, exc)) from None
    try:
        return _ZipSource(src, zf)
    except PackageError:
        zf.close()
        raise


def _digest(fileobj, algorithm):
    digest = hashlib.new(algorithm)
    for chunk in iter(lambda: fileobj.read(1 << 20), b''):
        digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def open_member(src, path):
    """Open ``path`` (package-relative) of the package ``src`` for binary reading, e.g. to upload an image."""
    source = _open_source(src)
    try:
        if not source.has(path):
            raise PackageError('%s: %s is not in the package' % (src, path))
        with source.open(path) as f:
            yield f
    finally:
        source.close()


def checksum_of(src, path, algorithm):
    """Hex digest of a package file with a SOL001/SOL004 algorithm name ('sha-512')."""
    name = hash_name(algorithm)
    if name is None:
        raise PackageError("%s: unsupported hash algorithm '%s'" % (path, algorithm))
    with open_member(src, path) as f:
        return _digest(f, name)


# ---------------------------------------------------------------------------------------------------------------
# TOSCA.meta, YAML, manifest

def _text(source, path):
    try:
        return source.read(path).decode('utf-8-sig')
    except UnicodeDecodeError as exc:
        raise PackageError('%s: not UTF-8 text: %s' % (path, exc)) from None


def _read_tosca_meta(source):
    blocks, block = [], {}
    for number, line in enumerate(_text(source, TOSCA_META).splitlines(), 1):
        if not line.strip():
            if block:
                blocks.append(block)
                block = {}
            continue
        key, sep, value = line.partition(':')
        if not sep or not key.strip():
            raise PackageError("%s: line %d: expected 'Name: value', got %r" % (TOSCA_META, number, line))
        block[key.strip()] = value.strip()
    if block:
        blocks.append(block)
    return blocks[0] if blocks else {}


def _meta_path(meta, key):
    path = _join('', meta[key])
    if path is None:
        raise PackageError("%s: %s '%s' leaves the package root" % (TOSCA_META, key, meta[key]))
    return path


def _load_yaml(source, path):
    if not HAS_YAML:
        raise PackageError('the PyYAML Python library is required to read VNF packages')
    try:
        data = yaml.load(_text(source, path), Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = ' at line %d, column %d' % (mark.line + 1, mark.column + 1) if mark else ''
        raise PackageError('%s: malformed YAML%s: %s' % (path, where, exc.problem or exc.context)) from None
    except yaml.YAMLError as exc:
        raise PackageError('%s: malformed YAML: %s' % (path, exc)) from None
    if not isinstance(data, dict):
        raise PackageError('%s: not a TOSCA definitions file (a YAML mapping)' % path)
    return data


def _root_files(source, suffixes):
    return [f for f in source.files if '/' not in f and f.lower().endswith(suffixes)]


def _find_manifest(source, meta, entry):
    if 'ETSI-Entry-Manifest' in meta:
        path = _meta_path(meta, 'ETSI-Entry-Manifest')
        if not source.has(path):
            raise PackageError("%s: ETSI-Entry-Manifest '%s' is not in the package" % (TOSCA_META, path))
        return path
    candidates = _root_files(source, ('.mf',))
    stem = posixpath.splitext(posixpath.basename(entry))[0] + '.mf'
    if stem in candidates:
        return stem
    if len(candidates) > 1:
        raise PackageError('several manifests at the package root (%s) and no ETSI-Entry-Manifest in %s'
                           % (', '.join(candidates), TOSCA_META))
    return candidates[0] if candidates else None


def _parse_manifest(text):
    """(metadata, [(line, source, algorithm, hash)]) of a SOL004 manifest."""
    metadata, entries, in_metadata = {}, [], False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith('-----BEGIN') or raw.startswith('non_mano_artifact_sets'):
            break
        if not line:
            continue
        indented = raw[0] in ' \t'
        key, sep, value = (part.strip() for part in line.partition(':'))
        if in_metadata and indented:
            metadata[key] = value
            continue
        in_metadata = not indented and key == 'metadata' and not value
        if indented or not sep:
            continue
        if key == 'Source':
            entries.append([number, value, None, None])
        elif key in ('Algorithm', 'Hash') and entries:
            entries[-1][2 if key == 'Algorithm' else 3] = value
    return metadata, entries


def _check_manifest_entry(source, number, src, algorithm, expected):
    entry = ManifestEntry(file=src, algorithm=algorithm, ok=False)
    path = None if _is_url(src) else _join('', src)
    name = hash_name(algorithm) if algorithm else None
    if _is_url(src):
        entry.ok = None
    elif path is None:
        entry.error = 'line %d: Source leaves the package root' % number
    elif not algorithm or not expected:
        entry.error = 'line %d: Source without Algorithm and Hash' % number
    elif name is None:
        entry.error = "line %d: unsupported Algorithm '%s'" % (number, algorithm)
    elif not source.has(path):
        entry.error = 'line %d: listed in the manifest but not in the package' % number
    else:
        try:
            with source.open(path) as f:
                actual = _digest(f, name)
        except _READ_ERRORS as exc:
            raise PackageError('%s: cannot read: %s' % (path, exc)) from None
        entry.ok = actual == expected.strip().lower()
        if not entry.ok:
            entry.error = 'line %d: %s hash mismatch: manifest has %s, the file has %s' % (number, algorithm, expected, actual)
    return entry


def _read_manifest(source, meta, entry):
    path = _find_manifest(source, meta, entry)
    if path is None:
        return Manifest()
    metadata, entries = _parse_manifest(_text(source, path))
    return Manifest(present=True, file=path, metadata=metadata,
                    checked=[_check_manifest_entry(source, *e) for e in entries])


# ---------------------------------------------------------------------------------------------------------------
# definitions and types

def _import_ref(at, item):
    if isinstance(item, dict) and 'file' not in item and len(item) == 1:  # TOSCA 1.0 form: - name: file | {file: x}
        item = next(iter(item.values()))
    if isinstance(item, dict):
        item = item.get('file')
    if not isinstance(item, str) or not item:
        raise at.error("must be a file name or a mapping with 'file'")
    return item


def _load_definitions(source, entry):
    """{path: definitions} of the entry file and everything it imports (standard ETSI type files skipped)."""
    docs = {}
    pending = [entry]
    while pending:
        path = pending.pop(0)
        if path in docs:
            continue
        doc = docs[path] = _load_yaml(source, path)
        at = _At(path, 'imports')
        for i, item in enumerate(_list(at, doc.get('imports'))):
            ref = _import_ref(at.item(i), item)
            if T.is_standard_types_file(ref):
                continue
            if _is_url(ref):
                raise at.item(i).error("cannot import '%s': remote imports are not supported, ship the file in the package" % ref)
            target = _join(posixpath.dirname(path), ref)
            if target is None:
                raise at.item(i).error("'%s' leaves the package root" % ref)
            if not source.has(target):
                raise at.item(i).error("'%s' is not in the package (looked for %s)" % (ref, target))
            pending.append(target)
    return docs


class _Types:
    """Node, group and policy types of the package over the standard table."""

    def __init__(self, docs):
        self.defs = {'node': {}, 'group': {}, 'policy': {}}
        for path, doc in docs.items():
            for kind, table in self.defs.items():
                section = '%s_types' % kind
                for name, body in _map(_At(path, section), doc.get(section)).items():
                    table[name] = (_At(path, section).key(name), _map(_At(path, section).key(name), body))
        self._base = {}

    def base(self, kind, name, at):
        """The modelled standard type ``name`` derives from (None when it derives from none we model)."""
        if not isinstance(name, str):
            raise at.error('must be a type name')
        key = (kind, name)
        if key not in self._base:
            seen, current = [], name
            while current not in T.STANDARD_TYPES:
                if current in seen:
                    raise self.defs[kind][name][0].error('derived_from loops: %s' % ' -> '.join(seen + [current]))
                seen.append(current)
                found = self.defs[kind].get(current)
                if found is None:
                    where = at if current == name else self.defs[kind][seen[-2]][0].key('derived_from')
                    raise where.error("unknown %s type '%s' (not a standard ETSI SOL001 type and not defined in the package)" % (kind, current))
                current = found[1].get('derived_from')
                if current is None:
                    break
                if not isinstance(current, str):
                    raise found[0].key('derived_from').error('must be a type name')
            self._base[key] = T.modelled_base(current)
        return self._base[key]

    def chain(self, kind, name):
        """[(path, definition)] of package type ``name`` and its ancestors, most basic first (call ``base`` first)."""
        found = []
        while name in self.defs[kind] and name not in T.STANDARD_TYPES:
            found.append(self.defs[kind][name])
            name = found[-1][1].get('derived_from')
        return found[::-1]

    def defaults(self, name):
        """Property defaults of node type ``name`` and its ancestors."""
        values = {}
        for at, body in self.chain('node', name):
            for prop, spec in _map(at.key('properties'), body.get('properties')).items():
                if isinstance(spec, dict) and 'default' in spec:
                    values[prop] = spec['default']
        return values


# ---------------------------------------------------------------------------------------------------------------
# topology -> flavour

def _lcm_operations(at, interfaces, into):
    iface = _map(at.key('Vnflcm'), _map(at, interfaces).get('Vnflcm'))
    ops = iface.get('operations') if isinstance(iface.get('operations'), dict) else iface
    for op, body in ops.items():
        if op in ('type', 'inputs', 'description', 'notifications', 'operations'):
            continue
        impl = body.get('implementation') if isinstance(body, dict) else body
        if isinstance(impl, dict):
            impl = impl.get('primary')
        into[op] = impl if isinstance(impl, str) else None


class _FlavourBuilder:
    def __init__(self, reader, path, topology, flavour_id, node_type):
        self.reader = reader
        self.types = reader.types
        self.at = _At(path, 'topology_template')
        self.topology = topology
        self.node_type = node_type
        self.flavour = Flavour(flavour_id=flavour_id, source=path)
        self.nodes = {}  # name -> (base type, body, at)
        self.ext_nodes = {}  # VnfExtCp name -> (internal VL, layer protocols)
        self.groups = {}

    def build(self):
        nat = self.at.key('node_templates')
        for name, body in _map(nat, self.topology.get('node_templates')).items():
            at = nat.key(name)
            body = _map(at, body)
            self.nodes[name] = (self.types.base('node', body.get('type'), at.key('type')), body, at)
        handlers = ((T.VIRTUAL_LINK, self._virtual_link), (T.BLOCK_STORAGE, self._storage), (T.OBJECT_STORAGE, self._storage),
                    (T.FILE_STORAGE, self._storage), (T.VDU_COMPUTE, self._vdu), (T.VDU_CP, self._vdu_cp),
                    (T.VNF_EXT_CP, self._vnf_ext_cp), (T.VNF, self._vnf))
        for base, handler in handlers:
            for name, (node_base, body, at) in self.nodes.items():
                if node_base == base:
                    handler(name, body, at)
        if not self.flavour.lcm_operations:
            for at, body in self.types.chain('node', self.node_type):
                _lcm_operations(at.key('interfaces'), body.get('interfaces'), self.flavour.lcm_operations)
        if self.flavour.description is None:
            self.flavour.description = _str(self.at, self.types.defaults(self.node_type).get('flavour_description'))
        for vdu in self.flavour.vdus.values():
            vdu.cps.sort(key=lambda cp: (self.flavour.cps[cp].order is None, self.flavour.cps[cp].order or 0, cp))
        self._ext_cps()
        self._groups()
        _PolicyReader(self).read()
        return self.flavour

    def target(self, at, name, bases, what):
        if name not in self.nodes or self.nodes[name][0] not in bases:
            raise at.error("'%s' is not a %s of flavour '%s'" % (name, what, self.flavour.flavour_id))
        return name

    def _sw_image(self, at, props, body):
        data = _map(at.key('properties.sw_image_data'), props.get('sw_image_data'))
        if not data:
            return None
        dat = at.key('properties.sw_image_data')
        checksum = _map(dat.key('checksum'), data.get('checksum'))
        image = SwImage(
            name=_str(dat.key('name'), data.get('name')), version=_str(dat.key('version'), data.get('version')),
            checksum={'algorithm': _str(dat.key('checksum.algorithm'), checksum.get('algorithm')),
                      'hash': _str(dat.key('checksum.hash'), checksum.get('hash'))} if checksum else None,
            container_format=_str(dat.key('container_format'), data.get('container_format')),
            disk_format=_str(dat.key('disk_format'), data.get('disk_format')),
            min_disk_gb=_size(dat.key('min_disk'), data.get('min_disk'), 2 ** 30),
            min_ram_mb=_size(dat.key('min_ram'), data.get('min_ram'), 2 ** 20),
            size_gb=_size(dat.key('size'), data.get('size'), 2 ** 30),
            operating_system=_str(dat.key('operating_system'), data.get('operating_system')),
            supported_virtualisation_environments=_list(dat.key('supported_virtualisation_environments'),
                                                        data.get('supported_virtualisation_environments')))
        for artifact in self._artifacts(at, body).values():
            if artifact.type == T.SW_IMAGE_ARTIFACT or artifact.name == 'sw_image':
                image.file, image.carried = artifact.file, artifact.carried
                break
        return image

    def _artifacts(self, at, body):
        found = {}
        aat = at.key('artifacts')
        for name, spec in _map(aat, body.get('artifacts')).items():
            spec = {'file': spec} if isinstance(spec, str) else _map(aat.key(name), spec)
            ref = spec.get('file')
            if not isinstance(ref, str):
                raise aat.key(name).key('file').error('must be a file name or URL')
            path = ref if _is_url(ref) else _join(posixpath.dirname(at.file), ref)
            if path is None:
                raise aat.key(name).key('file').error("'%s' leaves the package root" % ref)
            found[name] = Artifact(name=name, type=_str(aat.key(name).key('type'), spec.get('type')), file=path,
                                   carried=not _is_url(ref) and self.reader.source.has(path))
        return found

    def _vdu(self, name, body, at):
        pat = at.key('properties')
        props = _map(pat, body.get('properties'))
        if 'vdu_profile' not in props:
            raise pat.error('vdu_profile is missing')
        profile = _map(pat.key('vdu_profile'), props['vdu_profile'])
        low = _int(pat.key('vdu_profile.min_number_of_instances'), profile.get('min_number_of_instances'), required=True)
        high = _int(pat.key('vdu_profile.max_number_of_instances'), profile.get('max_number_of_instances'), required=True)
        if low > high:
            raise pat.key('vdu_profile').error('min_number_of_instances %d is above max_number_of_instances %d' % (low, high))
        cat = at.key('capabilities.virtual_compute.properties')
        caps = _map(at.key('capabilities'), body.get('capabilities'))
        compute = _map(cat, _map(at.key('capabilities.virtual_compute'), caps.get('virtual_compute')).get('properties'))
        cpu = _map(cat.key('virtual_cpu'), compute.get('virtual_cpu'))
        memory = _map(cat.key('virtual_memory'), compute.get('virtual_memory'))
        local = []
        for i, disk in enumerate(_list(cat.key('virtual_local_storage'), compute.get('virtual_local_storage'))):
            dat = cat.key('virtual_local_storage').item(i)
            local.append(_size(dat.key('size_of_storage'), _map(dat, disk).get('size_of_storage'), 2 ** 30) or 0)
        vdu = Vdu(
            name=name, description=_str(pat.key('description'), props.get('description')), min_instances=low, max_instances=high,
            compute=VirtualCompute(
                vcpus=_int(cat.key('virtual_cpu.num_virtual_cpu'), cpu.get('num_virtual_cpu')),
                memory_mb=_size(cat.key('virtual_memory.virtual_mem_size'), memory.get('virtual_mem_size'), 2 ** 20),
                disk_gb=local[0] if local else 0, local_storage_gb=local,
                requested_additional_capabilities=_map(cat.key('requested_additional_capabilities'),
                                                       compute.get('requested_additional_capabilities')),
                virtual_cpu={k: v for k, v in cpu.items() if k != 'num_virtual_cpu'}),
            sw_image=self._sw_image(at, props, body), display_name=_str(pat.key('name'), props.get('name')),
            boot_order=props.get('boot_order'), boot_data=props.get('boot_data'),
            monitoring_parameters=props.get('monitoring_parameters'),
            configurable_properties=props.get('configurable_properties'), nfvi_constraints=props.get('nfvi_constraints'))
        storage_bases = (T.BLOCK_STORAGE, T.OBJECT_STORAGE, T.FILE_STORAGE)
        for req, target, rat in _requirements(at.key('requirements'), body):
            if req == 'virtual_storage' and target is not None:
                vdu.storage.append(self.target(rat, target, storage_bases, 'virtual storage'))
        self.flavour.vdus[name] = vdu

    def _storage(self, name, body, at):
        pat = at.key('properties')
        props = _map(pat, body.get('properties'))
        base = self.nodes[name][0]
        kind, data_key, size_key = {T.BLOCK_STORAGE: ('block', 'virtual_block_storage_data', 'size_of_storage'),
                                    T.OBJECT_STORAGE: ('object', 'virtual_object_storage_data', 'max_size_of_storage'),
                                    T.FILE_STORAGE: ('file', 'virtual_file_storage_data', 'size_of_storage')}[base]
        dat = pat.key(data_key)
        data = _map(dat, props.get(data_key))
        self.flavour.storage[name] = VirtualStorage(
            name=name, kind=kind, size_gb=_size(dat.key(size_key), data.get(size_key), 2 ** 30),
            rdma_enabled=bool(_bool(dat.key('rdma_enabled'), data.get('rdma_enabled'))),
            sw_image=self._sw_image(at, props, body))

    def _virtual_link(self, name, body, at):
        pat = at.key('properties')
        props = _map(pat, body.get('properties'))
        profile = _map(pat.key('vl_profile'), props.get('vl_profile'))
        vl = VirtualLink(
            name=name, description=_str(pat.key('description'), props.get('description')),
            layer_protocols=_list(pat.key('connectivity_type.layer_protocols'),
                                  _map(pat.key('connectivity_type'), props.get('connectivity_type')).get('layer_protocols')),
            protocol_data=_list(pat.key('vl_profile.virtual_link_protocol_data'), profile.get('virtual_link_protocol_data')),
            max_bitrate=profile.get('max_bitrate_requirements'), min_bitrate=profile.get('min_bitrate_requirements'))
        for i, data in enumerate(vl.protocol_data):
            dat = pat.key('vl_profile.virtual_link_protocol_data').item(i)
            l3 = _map(dat.key('l3_protocol_data'), _map(dat, data).get('l3_protocol_data'))
            if l3:
                lat = dat.key('l3_protocol_data')
                vl.ip_version = _str(lat.key('ip_version'), l3.get('ip_version'))
                vl.cidr = _str(lat.key('cidr'), l3.get('cidr'))
                vl.gateway_ip = _str(lat.key('gateway_ip'), l3.get('gateway_ip'))
                vl.dhcp_enabled = _bool(lat.key('dhcp_enabled'), l3.get('dhcp_enabled'))
                break
        self.flavour.virtual_links[name] = vl

    def _vdu_cp(self, name, body, at):
        pat = at.key('properties')
        props = _map(pat, body.get('properties'))
        cp = VduCp(name=name, vdu=None, virtual_link=None, order=_int(pat.key('order'), props.get('order')),
                   layer_protocols=_list(pat.key('layer_protocols'), props.get('layer_protocols')),
                   vnic_type=_str(pat.key('vnic_type'), props.get('vnic_type')),
                   bitrate_requirement=_int(pat.key('bitrate_requirement'), props.get('bitrate_requirement')),
                   protocol=_list(pat.key('protocol'), props.get('protocol')))
        for req, target, rat in _requirements(at.key('requirements'), body):
            if target is None:
                continue
            if req == 'virtual_binding':
                cp.vdu = self.target(rat, target, (T.VDU_COMPUTE,), 'VDU')
            elif req == 'virtual_link':
                cp.virtual_link = self.target(rat, target, (T.VIRTUAL_LINK,), 'virtual link')
        if cp.vdu is None:
            raise at.key('requirements').error('virtual_binding to a VDU is missing')
        self.flavour.vdus[cp.vdu].cps.append(name)
        self.flavour.cps[name] = cp

    def _vnf_ext_cp(self, name, body, at):
        pat = at.key('properties')
        props = _map(pat, body.get('properties'))
        link = None
        for req, target, rat in _requirements(at.key('requirements'), body):
            if req == 'internal_virtual_link' and target is not None:
                link = self.target(rat, target, (T.VIRTUAL_LINK,), 'virtual link')
        self.ext_nodes[name] = (link, _list(pat.key('layer_protocols'), props.get('layer_protocols')))

    def _vnf(self, name, body, at):
        pat = at.key('properties')
        props = _map(pat, body.get('properties'))
        self.flavour.vnf_properties = props
        if self.flavour.description is None:
            self.flavour.description = _str(pat.key('flavour_description'), props.get('flavour_description'))
        operations = {}
        for type_at, type_body in self.types.chain('node', body['type']):
            _lcm_operations(type_at.key('interfaces'), type_body.get('interfaces'), operations)
        _lcm_operations(at.key('interfaces'), body.get('interfaces'), operations)
        self.flavour.lcm_operations = operations
        self.flavour.artifacts = self._artifacts(at, body)

    def _ext_cps(self):
        rat = self.at.key('substitution_mappings.requirements')
        for req, mapping in _map(rat, _map(self.at, self.topology.get('substitution_mappings')).get('requirements')).items():
            mapping = _list(rat.key(req), mapping)
            if not mapping:
                continue
            if len(mapping) != 2 or not isinstance(mapping[0], str):
                raise rat.key(req).error('must be [ node name, requirement name ]')
            node = self.target(rat.key(req), mapping[0], (T.VDU_CP, T.VNF_EXT_CP), 'VduCp or VnfExtCp')
            if node in self.flavour.cps:
                cp = self.flavour.cps[node]
                ext = ExtCp(name=req, cp=node, kind='VduCp', vdu=cp.vdu, virtual_link=cp.virtual_link, layer_protocols=cp.layer_protocols)
            else:
                link, layers = self.ext_nodes[node]
                ext = ExtCp(name=req, cp=node, kind='VnfExtCp', virtual_link=link, layer_protocols=layers)
            self.flavour.ext_cps[req] = ext

    def _groups(self):
        gat = self.at.key('groups')
        for name, body in _map(gat, self.topology.get('groups')).items():
            body = _map(gat.key(name), body)
            if self.types.base('group', body.get('type'), gat.key(name).key('type')) == T.PLACEMENT_GROUP:
                members = _names(gat.key(name).key('members'), body.get('members'))
                for i, member in enumerate(members):
                    if member not in self.nodes:
                        raise gat.key(name).key('members').item(i).error("'%s' is not a node of flavour '%s'" % (member, self.flavour.flavour_id))
                self.groups[name] = members


class _PolicyReader:
    """The policies of one topology, read in dependency order: aspects and levels first."""

    def __init__(self, builder):
        self.b = builder
        self.flavour = builder.flavour
        self.policies = []  # (base type, name, properties, targets, at, type as written)
        self.levels_at = None
        pat = builder.at.key('policies')
        raw = builder.topology.get('policies')
        items = list(raw.items()) if isinstance(raw, dict) else list(enumerate(_list(pat, raw)))
        for i, item in items:
            if isinstance(i, int):
                if not isinstance(item, dict) or len(item) != 1:
                    raise pat.item(i).error('must be a mapping of one policy name to its definition')
                name, body = next(iter(item.items()))
                at = pat.item(i, name)
            else:
                name, body, at = i, item, pat.key(i)
            body = _map(at, body)
            base = builder.types.base('policy', body.get('type'), at.key('type'))
            self.policies.append((base, name, _map(at.key('properties'), body.get('properties')), body.get('targets'), at, body['type']))

    def read(self):
        order = ((T.P_SCALING_ASPECTS, self._aspects), (T.P_INSTANTIATION_LEVELS, self._levels),
                 (T.P_VDU_INITIAL, self._vdu_initial), (T.P_VDU_DELTAS, self._vdu_deltas), (T.P_VDU_LEVELS, self._vdu_levels),
                 (T.P_VL_INITIAL, self._vl_initial), (T.P_VL_DELTAS, self._vl_deltas), (T.P_VL_LEVELS, self._vl_levels),
                 (T.P_AFFINITY, self._affinity), (T.P_ANTI_AFFINITY, self._affinity))
        for base, handler in order:
            for policy in self.policies:
                if policy[0] == base:
                    handler(*policy[:5])
        modelled = dict(order)
        for base, name, props, targets, at, type_name in self.policies:
            if base not in modelled:
                self.flavour.other_policies.append({'name': name, 'type': type_name, 'targets': targets, 'properties': props})
        for level_id in self.flavour.levels:
            error = self.flavour.check_level(level_id)
            if error:
                raise self.levels_at.error("level '%s': %s" % (level_id, error))

    def _targets(self, at, targets, bases, what):
        return [self.b.target(at.key('targets').item(i), t, bases, what) for i, t in enumerate(_names(at.key('targets'), targets))]

    def _level(self, at, level_id):
        if level_id not in self.flavour.levels:
            raise at.error("level '%s' is not defined in the InstantiationLevels of flavour '%s' (levels: %s)"
                           % (level_id, self.flavour.flavour_id, ', '.join(self.flavour.levels) or 'none'))
        return level_id

    def _aspect(self, at, aspect_id):
        if not isinstance(aspect_id, str) or aspect_id not in self.flavour.aspects:
            raise at.error("aspect '%s' is not defined in the ScalingAspects of flavour '%s' (aspects: %s)"
                           % (aspect_id, self.flavour.flavour_id, ', '.join(self.flavour.aspects) or 'none'))
        return self.flavour.aspects[aspect_id]

    def _aspects(self, base, name, props, targets, at):
        for aspect_id, spec in _map(at.key('properties.aspects'), props.get('aspects')).items():
            aat = at.key('properties.aspects').key(aspect_id)
            spec = _map(aat, spec)
            self.flavour.aspects[aspect_id] = ScalingAspect(
                id=aspect_id, name=_str(aat.key('name'), spec.get('name')), description=_str(aat.key('description'), spec.get('description')),
                max_scale_level=_int(aat.key('max_scale_level'), spec.get('max_scale_level'), required=True),
                step_deltas=_names(aat.key('step_deltas'), spec.get('step_deltas')))

    def _levels(self, base, name, props, targets, at):
        self.levels_at = at
        for level_id, spec in _map(at.key('properties.levels'), props.get('levels')).items():
            lat = at.key('properties.levels').key(level_id)
            spec = _map(lat, spec)
            level = InstantiationLevel(id=level_id, description=_str(lat.key('description'), spec.get('description')))
            for aspect_id, info in _map(lat.key('scale_info'), spec.get('scale_info')).items():
                sat = lat.key('scale_info').key(aspect_id)
                aspect = self._aspect(sat, aspect_id)
                scale = _int(sat.key('scale_level'), _map(sat, info).get('scale_level'), required=True)
                if scale > aspect.max_scale_level:
                    raise sat.error("scale_level %d is above max_scale_level %d of aspect '%s'" % (scale, aspect.max_scale_level, aspect_id))
                level.scale_levels[aspect_id] = scale
            self.flavour.levels[level_id] = level
        default = _str(at, props.get('default_level'))
        if default is not None and default not in self.flavour.levels:
            raise at.error("default_level '%s' is not a defined level (levels: %s)" % (default, ', '.join(self.flavour.levels) or 'none'))
        self.flavour.declared_default_level = default

    def _vdu_initial(self, base, name, props, targets, at):
        count = _int(at.key('properties.initial_delta.number_of_instances'),
                     _map(at.key('properties.initial_delta'), props.get('initial_delta')).get('number_of_instances'), required=True)
        for vdu in self._targets(at, targets, (T.VDU_COMPUTE,), 'VDU'):
            self.flavour.initial_deltas[vdu] = count

    def _vdu_deltas(self, base, name, props, targets, at):
        aspect = self._aspect(at.key('properties.aspect'), props.get('aspect'))
        deltas = {}
        for delta_id, spec in _map(at.key('properties.deltas'), props.get('deltas')).items():
            dat = at.key('properties.deltas').key(delta_id)
            deltas[delta_id] = _int(dat.key('number_of_instances'), _map(dat, spec).get('number_of_instances'), required=True)
        if not aspect.step_deltas and aspect.max_scale_level:
            if len(deltas) != 1:
                raise at.error("aspect '%s' has no step_deltas to tell which of the deltas applies to each step" % aspect.id)
            aspect.step_deltas = list(deltas)  # uniform deltas: the aspect names no step_deltas, the VDU has one delta
        for delta_id in aspect.delta_ids():
            if delta_id not in deltas:
                raise at.error("delta '%s' of aspect '%s' (step_deltas) is not defined in properties.deltas" % (delta_id, aspect.id))
        for vdu in self._targets(at, targets, (T.VDU_COMPUTE,), 'VDU'):
            aspect.vdu_deltas[vdu] = deltas

    def _vdu_levels(self, base, name, props, targets, at):
        counts = {}
        for level_id, spec in _map(at.key('properties.levels'), props.get('levels')).items():
            lat = at.key('properties.levels').key(level_id)
            counts[self._level(at, level_id)] = _int(lat.key('number_of_instances'), _map(lat, spec).get('number_of_instances'), required=True)
        for vdu in self._targets(at, targets, (T.VDU_COMPUTE,), 'VDU'):
            for level_id, count in counts.items():
                error = self.flavour.check_instances({vdu: count})
                if error:
                    raise at.error("level '%s': %s" % (level_id, error))
                self.flavour.levels[level_id].vdu_instances[vdu] = count

    def _vl_initial(self, base, name, props, targets, at):
        delta = _map(at.key('properties.initial_delta'), props.get('initial_delta')).get('bitrate_requirements')
        for vl in self._targets(at, targets, (T.VIRTUAL_LINK,), 'virtual link'):
            self.flavour.virtual_links[vl].bitrate_initial_delta = delta

    def _vl_deltas(self, base, name, props, targets, at):
        aspect = self._aspect(at.key('properties.aspect'), props.get('aspect'))
        deltas = {d: _map(at.key('properties.deltas').key(d), spec).get('bitrate_requirements')
                  for d, spec in _map(at.key('properties.deltas'), props.get('deltas')).items()}
        for vl in self._targets(at, targets, (T.VIRTUAL_LINK,), 'virtual link'):
            self.flavour.virtual_links[vl].bitrate_deltas[aspect.id] = deltas

    def _vl_levels(self, base, name, props, targets, at):
        levels = {self._level(at, level_id): _map(at.key('properties.levels').key(level_id), spec).get('bitrate_requirements')
                  for level_id, spec in _map(at.key('properties.levels'), props.get('levels')).items()}
        for vl in self._targets(at, targets, (T.VIRTUAL_LINK,), 'virtual link'):
            self.flavour.virtual_links[vl].bitrate_levels.update(levels)

    def _affinity(self, base, name, props, targets, at):
        written = _names(at.key('targets'), targets)
        members = []
        for i, target in enumerate(written):
            if target in self.b.groups:
                members.extend(self.b.groups[target])
            else:
                members.append(self.b.target(at.key('targets').item(i), target, (T.VDU_COMPUTE, T.VIRTUAL_LINK), 'VDU, virtual link or placement group'))
        self.flavour.affinity_rules.append(AffinityRule(
            name=name, kind='affinity' if base == T.P_AFFINITY else 'anti-affinity',
            scope=_str(at.key('properties.scope'), props.get('scope')), members=members, targets=written))


# ---------------------------------------------------------------------------------------------------------------
# the package

class _Reader:
    def __init__(self, source):
        self.source = source
        self.types = None

    def entry(self):
        """(TOSCA.meta first block or None, entry definitions path)."""
        if self.source.has(TOSCA_META):
            meta = _read_tosca_meta(self.source)
            if not meta.get('Entry-Definitions'):
                raise PackageError('%s: Entry-Definitions is missing' % TOSCA_META)
            entry = _meta_path(meta, 'Entry-Definitions')
            if not self.source.has(entry):
                raise PackageError("%s: Entry-Definitions '%s' is not in the package" % (TOSCA_META, entry))
            return meta, entry
        roots = _root_files(self.source, ('.yaml', '.yml'))
        if len(roots) == 1:
            return None, roots[0]
        found = 'several YAML files at its root (%s)' % ', '.join(roots) if roots else 'no YAML file at its root'
        raise PackageError('%s: not a VNF package: no %s and %s' % (self.source.src, TOSCA_META, found))

    def vnfd(self, docs, entry):
        self.types = _Types(docs)
        flavours, node_types = {}, []
        for path, doc in docs.items():
            tat = _At(path, 'topology_template')
            topology = _map(tat, doc.get('topology_template'))
            if 'substitution_mappings' not in topology:
                continue
            sat = tat.key('substitution_mappings')
            mapping = _map(sat, topology['substitution_mappings'])
            node_type = mapping.get('node_type')
            if self.types.base('node', node_type, sat.key('node_type')) != T.VNF:
                raise sat.key('node_type').error("'%s' is not derived from %s" % (node_type, T.VNF))
            flavour_id = _str(sat.key('properties.flavour_id'), _map(sat.key('properties'), mapping.get('properties')).get('flavour_id'))
            if not flavour_id:
                vnf_type, vnf_props, vat = self._vnf_node(tat, topology)
                flavour_id = _str(vat.key('flavour_id'), vnf_props.get('flavour_id'))
            if not flavour_id:
                raise sat.error('properties.flavour_id is missing: every deployment flavour needs a flavour_id')
            if flavour_id in flavours:
                raise sat.key('properties.flavour_id').error("flavour '%s' is also defined in %s" % (flavour_id, flavours[flavour_id].source))
            flavours[flavour_id] = _FlavourBuilder(self, path, topology, flavour_id, node_type).build()
            node_types.append(node_type)
        tat = _At(entry, 'topology_template')
        top = _map(tat, docs[entry].get('topology_template'))
        vnf_type, vnf_props, vat = self._vnf_node(tat, top)
        if not flavours:
            flavour_id = _str(vat.key('flavour_id'), vnf_props.get('flavour_id'))
            if vnf_type is None or not flavour_id:
                raise PackageError('%s: no deployment flavour: no topology_template has substitution_mappings.properties.flavour_id' % entry)
            flavours[flavour_id] = _FlavourBuilder(self, entry, top, flavour_id, vnf_type).build()
        props = self.types.defaults(vnf_type or node_types[0])
        props.update((k, v) for k, v in vnf_props.items() if _literal(v) is not None)
        descriptor_id = _str(vat.key('descriptor_id'), props.get('descriptor_id'))
        if not descriptor_id:
            raise vat.error('descriptor_id is missing (neither the VNF node nor its type sets it)')
        vnfm_info = _list(vat.key('vnfm_info'), props.get('vnfm_info'))
        return Vnfd(
            descriptor_id=descriptor_id, descriptor_version=_str(vat.key('descriptor_version'), props.get('descriptor_version')),
            provider=_str(vat.key('provider'), props.get('provider')), product_name=_str(vat.key('product_name'), props.get('product_name')),
            software_version=_str(vat.key('software_version'), props.get('software_version')),
            vnfm_info=[_str(vat.key('vnfm_info').item(i), v) for i, v in enumerate(vnfm_info)],
            description=_str(_At(entry, 'description'), docs[entry].get('description')), flavours=flavours, properties=props)

    def _vnf_node(self, tat, topology):
        """(type, properties, properties path) of the VNF node of a topology; (None, {}, path) without one."""
        nat = tat.key('node_templates')
        found = []
        for name, body in _map(nat, topology.get('node_templates')).items():
            body = _map(nat.key(name), body)
            if self.types.base('node', body.get('type'), nat.key(name).key('type')) == T.VNF:
                pat = nat.key(name).key('properties')
                found.append((body['type'], _map(pat, body.get('properties')), pat))
        if len(found) > 1:
            raise nat.error('several VNF nodes (of types derived from %s)' % T.VNF)
        return found[0] if found else (None, {}, nat.key('VNF.properties'))


def read_package(src, strict_manifest=True):
    """Read the VNF package at ``src`` (a .zip/.csar file or a directory) into a ``Package``.

    With ``strict_manifest`` (the default) a manifest entry that does not check out (hash mismatch, file missing,
    unsupported algorithm) is a ``PackageError`` naming the files; without it the results are in ``pkg.manifest``.
    """
    source = _open_source(src)
    try:
        reader = _Reader(source)
        meta, entry = reader.entry()
        manifest = _read_manifest(source, meta or {}, entry)
        bad = [e for e in manifest.checked if e.ok is False]
        if strict_manifest and bad:
            raise PackageError('; '.join('%s: %s: %s' % (manifest.file, e.file, e.error) for e in bad))
        docs = _load_definitions(source, entry)
        if meta is None:
            meta = {str(k): str(v) for k, v in _map(_At(entry, 'metadata'), docs[entry].get('metadata')).items()}
        return Package(src=os.fspath(src), entry_definitions=entry, vnfd=reader.vnfd(docs, entry), meta=meta,
                       manifest=manifest, files=list(source.files))
    finally:
        source.close()
