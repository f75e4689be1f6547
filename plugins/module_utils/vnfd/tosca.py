# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TOSCA definitions: the values of a YAML file read with their place in it, TOSCA.meta, imports and type inheritance.

``At`` is a place in a package file (``file: yaml.path``); ``at.error(message)`` is the ``PackageError`` naming it.
``as_map``, ``as_list``, ``as_names``, ``as_str``, ``as_int``, ``as_bool`` and ``as_size`` read one value of the
expected shape or raise that error; a TOSCA function call (``{get_input: x}``) reads as None. ``load_definitions``
loads the entry file and everything it imports; ``Types`` resolves node, group and policy types to the standard
ETSI types they derive from (``etsi_types.py``).

Sizes (TOSCA ``scalar-unit.size``: B, kB, KiB, MB, MiB, GB, GiB, TB, TiB, case-insensitive, decimals allowed)
are converted to bytes with kB/MB/GB/TB read as powers of 2 like KiB/MiB/GiB/TiB (as Tacker and ONAP do, and as
vendors mean them for flavors), then to ``*_mb`` = ceil(bytes / 2**20) and ``*_gb`` = ceil(bytes / 2**30):
'512 MB' is 512 MB of flavor RAM, '1.5 GB' is 2 GB of disk.
"""
from __future__ import annotations

import math
import posixpath
import re
from fractions import Fraction

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import etsi_types as T, yaml_events
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import refusal
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import is_url, package_path, read_text
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.yaml_events import HAS_YAML, yaml

TOSCA_META = 'TOSCA-Metadata/TOSCA.meta'
# Sizes: the decimal unit names are read as binary multiples (512 MB = 512 MiB), as Tacker and ONAP read
# VNFDs and as every vendor VNFD means them for flavors (a '512 MB' VDU expects a 512 MiB flavor).
_SIZE_UNITS = {'b': 1, 'kb': 2 ** 10, 'kib': 2 ** 10, 'mb': 2 ** 20, 'mib': 2 ** 20, 'gb': 2 ** 30, 'gib': 2 ** 30,
               'tb': 2 ** 40, 'tib': 2 ** 40}
_SIZE_RE = re.compile(r'^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$')
_FUNCTIONS = frozenset(('get_input', 'get_property', 'get_attribute', 'get_operation_output', 'get_artifact', 'concat', 'token'))


def parse_size(value):
    """Bytes of a TOSCA scalar-unit.size such as '512 MB', '1.5 GiB'; ValueError when it does not parse."""
    match = _SIZE_RE.match(value) if isinstance(value, str) else None
    factor = _SIZE_UNITS.get(match.group(2).lower()) if match else None
    if factor is None:
        raise ValueError('%r is not a size (a number and one of the units B, kB, KiB, MB, MiB, GB, GiB, TB, TiB)' % (value,))
    number = match.group(1)
    return int(number) * factor if '.' not in number else math.ceil(Fraction(number) * factor)


def literal(value):
    """None for a TOSCA function call ({get_input: x}), else the value."""
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _FUNCTIONS:
        return None
    return value


class At:
    """A place in a package file, for error messages: ``file: yaml.path: problem``."""
    __slots__ = ('file', 'path')

    def __init__(self, file, path=''):
        self.file = file
        self.path = path

    def key(self, name):
        return At(self.file, '%s.%s' % (self.path, name) if self.path else str(name))

    def item(self, index, name=None):
        return At(self.file, '%s[%d]%s' % (self.path, index, ' %s' % name if name is not None else ''))

    def where(self):
        return '%s: %s' % (self.file, self.path) if self.path else self.file

    def error(self, message):
        return PackageError('%s: %s: %s' % (self.file, self.path, message) if self.path else '%s: %s' % (self.file, message))


def as_map(at, value):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise at.error('must be a mapping, not %s' % type(value).__name__)
    return value


def as_list(at, value):
    if value is None:
        return []
    if not isinstance(value, list):
        raise at.error('must be a list, not %s' % type(value).__name__)
    return value


def as_names(at, value):
    """A list of node names (a single name is accepted as a list of one)."""
    items = [value] if isinstance(value, str) else as_list(at, value)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise at.item(i).error('must be a name, not %s' % type(item).__name__)
    return items


def as_str(at, value):
    value = literal(value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise at.error('must be a string, not %s' % type(value).__name__)


def as_int(at, value, required=False):
    value = literal(value)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise at.error('must be a non-negative integer, not %r' % (value,))
    return value


def as_count(at, value, budgets, name, required=False):
    """A non-negative integer within the budget ``name`` ('scale_levels' or 'instances', budgets.py)."""
    value = as_int(at, value, required)
    limit = getattr(budgets, name)
    if value is not None and value > limit:
        raise refusal(at.where(), 'scale levels' if name == 'scale_levels' else 'instances of a VDU', name, limit)
    return value


def as_bool(at, value):
    value = literal(value)
    if value is None or isinstance(value, bool):
        return value
    raise at.error('must be true or false, not %r' % (value,))


def as_size(at, value, unit):
    value = literal(value)
    if value is None:
        return None
    try:
        return -(-parse_size(value) // unit)
    except ValueError as exc:
        raise at.error(str(exc)) from None


def requirements_of(at, node):
    """[(requirement name, target node name or None, path)] of a node template."""
    found = []
    for i, req in enumerate(as_list(at, node.get('requirements'))):
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
# TOSCA.meta and YAML

def read_tosca_meta(source):
    blocks, block = [], {}
    for number, line in enumerate(read_text(source, TOSCA_META).splitlines(), 1):
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


def meta_path(meta, key):
    path = package_path('', meta[key])
    if path is None:
        raise PackageError("%s: %s '%s' leaves the package root" % (TOSCA_META, key, meta[key]))
    return path


def load_yaml(source, path):
    """The one YAML loader of the package readers: safe types only, within the budgets of ``source``
    (nodes and nesting after alias expansion), duplicate mapping keys refused naming both lines."""
    if not HAS_YAML:
        raise PackageError('the PyYAML Python library is required to read VNF packages')
    budgets = source.budgets
    text = read_text(source, path)
    try:
        data = yaml_events.load(text, path, budgets)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = ' at line %d, column %d' % (mark.line + 1, mark.column + 1) if mark else ''
        raise PackageError('%s: malformed YAML%s: %s' % (path, where, exc.problem or exc.context)) from None
    except yaml.YAMLError as exc:
        raise PackageError('%s: malformed YAML: %s' % (path, ' '.join(str(exc).split()))) from None
    except (RecursionError, MemoryError):  # a depth budget raised beyond what the parser can nest
        raise refusal(path, 'levels of nesting this Python can parse', 'depth', budgets.depth) from None
    if not isinstance(data, dict):
        raise PackageError('%s: not a TOSCA definitions file (a YAML mapping)' % path)
    return data


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


def load_definitions(source, entry, warn=None):
    """{path: definitions} of the entry file and everything it imports (standard ETSI type files skipped).

    With ``warn`` (a function of one line) also the YAML files beside the entry file (``Definitions/``) that no file
    imports, as Tacker reads every ``Definitions/*.yaml``: a deployment flavour file found so is a warning, one
    that does not load is a warning and left out; what such a file imports is checked as strictly as any import."""
    docs = {}
    _load_imports(source, [entry], docs)
    folder = posixpath.dirname(entry)
    if warn is None or not folder:
        return docs
    for path in source.files:
        if posixpath.dirname(path) != folder or not path.lower().endswith(('.yaml', '.yml')) or path in docs or T.is_standard_types_file(path):
            continue
        try:
            doc = load_yaml(source, path)
        except PackageError as exc:
            if getattr(exc, 'hard', False):
                raise
            warn('%s (a file beside %s that nothing imports: left out)' % (exc, entry))
            continue
        if 'substitution_mappings' in as_map(At(path, 'topology_template'), doc.get('topology_template')):
            warn('%s: a deployment flavour file that %s does not import: read, as Tacker reads every %s/*.yaml' % (path, entry, folder))
        docs[path] = doc
        _load_imports(source, [path], docs, loaded=True)
    return docs


def _load_imports(source, pending, docs, loaded=False):
    """Load ``pending`` (the first one already in ``docs`` when ``loaded``) and what they import, into ``docs``."""
    if loaded:
        pending = list(pending)
        first = pending.pop(0)
        pending = _imports_of(source, first, docs[first]) + pending
    while pending:
        path = pending.pop(0)
        if path in docs:
            continue
        doc = docs[path] = load_yaml(source, path)
        pending.extend(_imports_of(source, path, doc))


def _imports_of(source, path, doc):
    """The package files ``doc`` (file ``path``) imports; one outside the package or missing is refused."""
    found = []
    at = At(path, 'imports')
    for i, item in enumerate(as_list(at, doc.get('imports'))):
        ref = _import_ref(at.item(i), item)
        if T.is_standard_types_file(ref):
            continue
        if is_url(ref):
            raise at.item(i).error("cannot import '%s': remote imports are not supported, ship the file in the package" % ref)
        target = package_path(posixpath.dirname(path), ref)
        if target is None:
            raise at.item(i).error("'%s' leaves the package root" % ref)
        if not source.has(target):
            raise at.item(i).error("'%s' is not in the package (looked for %s)" % (ref, target))
        found.append(target)
    return found


def standard_imports(docs):
    """The references of the standard ETSI type files the definitions import (for their SOL001 version)."""
    found = []
    for path, doc in docs.items():
        imports = doc.get('imports')
        for item in imports if isinstance(imports, list) else ():
            try:
                ref = _import_ref(At(path, 'imports'), item)
            except PackageError:
                continue
            if T.is_standard_types_file(ref):
                found.append((path, ref))
    return found


class Types:
    """Node, group and policy types of the package over the standard table (``standard``, ``modelled``: a reader of
    other descriptors, such as the NSD reader, extends them in a subclass)."""
    standard = T.STANDARD_TYPES
    modelled = staticmethod(T.modelled_base)

    def __init__(self, docs):
        self.defs = {'node': {}, 'group': {}, 'policy': {}}
        for path, doc in docs.items():
            for kind, table in self.defs.items():
                section = '%s_types' % kind
                for name, body in as_map(At(path, section), doc.get(section)).items():
                    table[name] = (At(path, section).key(name), as_map(At(path, section).key(name), body))
        self._base = {}

    def base(self, kind, name, at):
        """The modelled standard type ``name`` derives from (None when it derives from none we model)."""
        if not isinstance(name, str):
            raise at.error('must be a type name')
        key = (kind, name)
        if key not in self._base:
            seen, current = [], name
            while current not in self.standard:
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
            self._base[key] = self.modelled(current)
        return self._base[key]

    def chain(self, kind, name):
        """[(path, definition)] of package type ``name`` and its ancestors, most basic first (call ``base`` first)."""
        found = []
        while name in self.defs[kind] and name not in self.standard:
            found.append(self.defs[kind][name])
            name = found[-1][1].get('derived_from')
        return found[::-1]

    def defaults(self, name):
        """Property defaults of node type ``name`` and its ancestors."""
        values = {}
        for at, body in self.chain('node', name):
            for prop, spec in as_map(at.key('properties'), body.get('properties')).items():
                if isinstance(spec, dict) and 'default' in spec:
                    values[prop] = spec['default']
        return values


# ---------------------------------------------------------------------------------------------------------------
