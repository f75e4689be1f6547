# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read the compact NS spec (a YAML/dict form of a network service for people who do not write TOSCA) into the
NSD model.

``read_ns_spec(spec)`` takes the already-parsed dict (a vars file, inline YAML in a task) or the path of a YAML file
(loaded with the package reader's safe loader, ``tosca.load_yaml``) and returns ``(Nsd, warnings)``: the same
``Nsd`` the SOL001 NSD reader gives for the equivalent TOSCA NSD (one flavour; the schema is documented in
``plugins/doc_fragments/ns_spec.py``). What TOSCA has and the spec does not say gets the reader's defaults; the NS
VL's ``virtual_link_protocol_data`` is written from its l2/l3 keys; the level mappings are named
``<vnf>_by_<aspect>`` (VnfToLevelMapping) and ``<vnf>_at_levels`` (VnfToInstantiationLevelMapping).

The spec is stricter than an NSD (its author is at hand): unknown keys, values of the wrong type, a name that no
VNF / VL / SAP / level / aspect of the spec has, a dependency loop, a count outside the VNF's min..max, a CIDR
that is not one are refused with one ``PackageError`` line ``<source>: yaml.path: problem``. Sizes are bounded
(``MAX_ENTRIES`` entries in every map and list, ``MAX_TEXT`` characters a string, ``MAX_DEPTH`` levels of YAML
nesting in a file) so a hostile spec is refused in one line, not a crash.
"""
from __future__ import annotations

import ipaddress
import os
import re
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import nsd_model as M
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_policies import _level_number
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import Budgets
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_reader import _FileSource
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import (
    HAS_YAML, At, as_bool, as_int, as_map, as_names, as_str, load_yaml,
)

MAX_ENTRIES = 1000  # VNFs, VLs, SAPs, levels, aspects, links, dependencies, scale levels; also the largest count
MAX_TEXT = 4096  # characters of any string
MAX_DEPTH = 32  # YAML nesting of a spec file (the schema needs 5; the C loader crashes on ~10^5)
NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$')
NAMESPACE = uuid.UUID('1b4e28ba-2fa1-5bd6-8f0c-6d0a3bc5a0b1')  # uuid5(NAMESPACE, name) is a spec's default NSD id

TOP = ('name', 'descriptor_id', 'version', 'designer', 'invariant_id', 'description', 'flavour_id', 'virtual_links', 'vnfs',
       'saps', 'instantiation_levels', 'default_level', 'scaling_aspects')
VNF_KEYS = ('vnfd_id', 'flavour', 'level', 'min_instances', 'max_instances', 'links', 'depends_on', 'instances_at_levels',
            'instances_by_aspect', 'descriptor_version', 'provider', 'product_name', 'software_version')
VL_KEYS = ('description', 'cidr', 'ip_version', 'gateway_ip', 'dhcp', 'mtu', 'max_bitrate', 'min_bitrate')
SAP_KEYS = ('virtual_link', 'description')
ASPECT_KEYS = ('name', 'description', 'levels')
_IP_VERSIONS = {4: 4, 6: 6, '4': 4, '6': 6, 'ipv4': 4, 'ipv6': 6}


def _some(names):
    names = list(names)
    return ', '.join(names[:10]) + (', ... (%d in all)' % len(names) if len(names) > 10 else '') if names else 'none'


def _shown(key):
    text = repr(key)
    return text if len(text) <= 40 else text[:37] + '...'


def _text(at, value):
    value = as_str(at, value)
    if value is not None and len(value) > MAX_TEXT:
        raise at.error('longer than %d characters' % MAX_TEXT)
    return value


def _fields(at, value, allowed):
    """The mapping at ``at`` with only ``allowed`` keys."""
    value = as_map(at, value)
    for key in value:
        if key not in allowed:
            where = at.key(key) if isinstance(key, str) and NAME.match(key) else at
            raise where.error('unknown key%s (allowed: %s)' % ('' if where is not at else ' %s' % _shown(key), ', '.join(allowed)))
    return value


def _entries(at, value, names=True):
    """[(key, path, value)] of a map of named things: at most MAX_ENTRIES, each key a name (``names``)."""
    value = as_map(at, value)
    if len(value) > MAX_ENTRIES:
        raise at.error('%d entries: at most %d' % (len(value), MAX_ENTRIES))
    for key in value:
        if names and not (isinstance(key, str) and NAME.match(key)):
            raise at.error('%s is not a name (letters, digits, _ . -, at most 63, starting with a letter or digit)' % _shown(key))
        if not isinstance(key, (str, int)) or isinstance(key, bool) or len(str(key)) > 63:
            raise at.error('%s is not a level (a name or a number)' % _shown(key))
    return [(key, at.key(key), item) for key, item in value.items()]


def _count(at, value, required=False):
    value = as_int(at, value, required=required)
    if value is not None and value > MAX_ENTRIES:
        raise at.error('%d: at most %d' % (value, MAX_ENTRIES))
    return value


def _network(at, value):
    value = _text(at, value)
    if value is None:
        return None
    if '/' not in value:
        raise at.error("'%s' is not a CIDR (address/prefix length)" % value)
    try:
        return ipaddress.ip_network(value)
    except ValueError as exc:
        raise at.error("'%s' is not a CIDR: %s" % (value, exc)) from None


def _address(at, value, net):
    value = _text(at, value)
    if value is None:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError as exc:
        raise at.error(str(exc)) from None
    if net is not None and address not in net:
        raise at.error('%s is not in the cidr %s' % (value, net))
    return str(address)


def _bitrate(at, value):
    """{root[, leaf]} bit rates; a number is the root bit rate."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = {'root': value}
    value = _fields(at, value, ('root', 'leaf'))
    return {key: as_int(at.key(key), rate, required=True) for key, rate in value.items()}


class _Spec:
    def __init__(self, source):
        self.at = At(source)
        self.warnings = []
        self.kinds = {}  # name -> M.VNF / M.VIRTUAL_LINK / M.SAP: one namespace, as the node names of an NSD

    def warn(self, at, message):
        self.warnings.append(str(at.error(message)))

    def read(self, doc):
        doc = _fields(self.at, doc, TOP)
        flavour_id = _text(self.at.key('flavour_id'), doc.get('flavour_id')) or 'default'
        flavour = M.NsFlavour(flavour_id=flavour_id, source=self.at.file)
        parts = {key: _entries(self.at.key(key), doc.get(key)) for key in ('virtual_links', 'saps', 'vnfs')}
        for key, kind in (('virtual_links', M.VIRTUAL_LINK), ('saps', M.SAP), ('vnfs', M.VNF)):
            for name, at, _body in parts[key]:
                if name in self.kinds:
                    raise at.error('the name is also one of the %s (VNF, virtual link and SAP names are one namespace)'
                                   % {M.VIRTUAL_LINK: 'virtual_links', M.SAP: 'saps'}[self.kinds[name]])
                self.kinds[name] = kind
        for name, at, body in parts['virtual_links']:
            flavour.virtual_links[name] = self._virtual_link(name, at, body)
        for name, at, body in parts['saps']:
            flavour.saps[name] = self._sap(flavour, name, at, body)
        self._levels(flavour, doc)
        for name, at, body in parts['vnfs']:
            flavour.vnfs[name] = self._vnf(flavour, name, at, body)
        self._mappings(flavour, parts['vnfs'])
        try:
            flavour.deployment_order()
        except ValueError as exc:
            head, _sep, loop = str(exc).partition(': ')
            names = loop.split(' -> ')
            if len(names) > 12:  # a line, not a page
                loop = ' -> '.join(names[:10] + ['... (%d VNFs)' % (len(names) - 1), names[-1]])
            raise self.at.key('vnfs').error('%s: %s' % (head, loop)) from None
        self._unused(flavour)
        return self._nsd(doc, flavour)

    def _nsd(self, doc, flavour):
        ident = {key: _text(self.at.key(key), doc.get(key)) for key in ('name', 'descriptor_id', 'version', 'designer', 'invariant_id')}
        if not ident['descriptor_id']:
            if not ident['name']:
                raise self.at.error('name or descriptor_id is needed (the NSD id defaults to a uuid5 of the name)')
            ident['descriptor_id'] = str(uuid.uuid5(NAMESPACE, ident['name']))
        ident['invariant_id'] = ident['invariant_id'] or ident['descriptor_id']
        props = dict((k, v) for k, v in ident.items() if v is not None)
        props['flavour_id'] = flavour.flavour_id
        return M.Nsd(flavours={flavour.flavour_id: flavour}, description=_text(self.at.key('description'), doc.get('description')),
                     entry_definitions=None, ns_profile=None, properties=props, **ident)

    def _virtual_link(self, name, at, body):
        body = _fields(at, body, VL_KEYS)
        net = _network(at.key('cidr'), body.get('cidr'))
        version = body.get('ip_version')
        if version is not None:
            version = _IP_VERSIONS.get(version.lower() if isinstance(version, str) else version)
            if version is None:
                raise at.key('ip_version').error('must be 4 or 6 (or ipv4, ipv6), not %s' % _shown(body['ip_version']))
            if net is not None and net.version != version:
                raise at.key('ip_version').error('%d does not match the cidr %s (IPv%d)' % (version, net, net.version))
        l3 = {key: value for key, value in (
            ('cidr', str(net) if net is not None else None), ('gateway_ip', _address(at.key('gateway_ip'), body.get('gateway_ip'), net)),
            ('dhcp_enabled', as_bool(at.key('dhcp'), body.get('dhcp')))) if value is not None}
        if l3 or version is not None:
            version = version or (net.version if net is not None else 4)
            l3 = dict(l3, ip_version='ipv%d' % version)
        mtu = as_int(at.key('mtu'), body.get('mtu'))
        if mtu is not None and not 68 <= mtu <= 65535:
            raise at.key('mtu').error('%d is not an MTU (68..65535)' % mtu)
        data = {}
        if l3:
            data.update(associated_layer_protocol=l3['ip_version'], l3_protocol_data=l3)
        if mtu is not None:
            data.setdefault('associated_layer_protocol', 'ethernet')
            data['l2_protocol_data'] = {'mtu': mtu}
        return M.NsVirtualLink(
            name=name, description=_text(at.key('description'), body.get('description')),
            layer_protocols=[l3.get('ip_version', 'ipv4')], ip_version=l3.get('ip_version'), cidr=l3.get('cidr'),
            gateway_ip=l3.get('gateway_ip'), dhcp_enabled=l3.get('dhcp_enabled'), mtu=mtu, protocol_data=[data] if data else [],
            max_bitrate=_bitrate(at.key('max_bitrate'), body.get('max_bitrate')),
            min_bitrate=_bitrate(at.key('min_bitrate'), body.get('min_bitrate')))

    def _sap(self, flavour, name, at, body):
        body = _fields(at, body, SAP_KEYS)
        link = _text(at.key('virtual_link'), body.get('virtual_link'))
        if link is not None and link not in flavour.virtual_links:
            raise at.key('virtual_link').error("'%s' names no virtual link of the spec (%s)" % (link, _some(flavour.virtual_links)))
        vl = flavour.virtual_links.get(link)
        return M.Sap(name=name, internal_virtual_link=link, description=_text(at.key('description'), body.get('description')),
                     layer_protocols=list(vl.layer_protocols) if vl is not None else ['ipv4'])

    def _levels(self, flavour, doc):
        for level_id, at, description in _entries(self.at.key('instantiation_levels'), doc.get('instantiation_levels')):
            flavour.levels[level_id] = M.NsLevel(id=level_id, description=_text(at, description))
        dat = self.at.key('default_level')
        default = _text(dat, doc.get('default_level'))
        if default is not None and default not in flavour.levels:
            raise dat.error("'%s' is not one of the instantiation_levels (%s)" % (default, _some(flavour.levels)))
        if default is None and len(flavour.levels) > 1:
            self.warn(self.at.key('instantiation_levels'), 'several levels (%s) and no default_level: one must be asked for'
                      % _some(flavour.levels))
        flavour.default_level = default or (next(iter(flavour.levels)) if len(flavour.levels) == 1 else None)
        for aspect_id, at, body in _entries(self.at.key('scaling_aspects'), doc.get('scaling_aspects')):
            body = _fields(at, body, ASPECT_KEYS)
            aspect = M.NsScalingAspect(id=aspect_id, name=_text(at.key('name'), body.get('name')),
                                       description=_text(at.key('description'), body.get('description')))
            for key, lat, description in _entries(at.key('levels'), body.get('levels'), names=False):
                aspect.levels[_level_number(lat, key)] = _text(lat, description)
            if sorted(aspect.levels) != list(range(1, len(aspect.levels) + 1)):
                raise at.key('levels').error('must number the scale levels 1..n, not %s' % _some(map(str, sorted(aspect.levels))))
            flavour.aspects[aspect_id] = aspect

    def _vnf(self, flavour, name, at, body):
        body = _fields(at, body, VNF_KEYS)
        vnfd_id = _text(at.key('vnfd_id'), body.get('vnfd_id'))
        if not vnfd_id:
            raise at.error('vnfd_id is missing: a VNF names its VNF package by the VNFD id')
        low = _count(at.key('min_instances'), body.get('min_instances'))
        low = 1 if low is None else low
        high = _count(at.key('max_instances'), body.get('max_instances'))
        if high is not None and low > high:
            raise at.error('min_instances (%d) is greater than max_instances (%d)' % (low, high))
        flavour_id = _text(at.key('flavour'), body.get('flavour'))
        if not flavour_id:
            self.warn(at, 'flavour is missing: the VNF deployment flavour must be given when the NS is instantiated')
        text = {key: _text(at.key(key), body.get(key)) for key in ('descriptor_version', 'provider', 'product_name', 'software_version')}
        return M.NsVnf(name=name, vnfd_id=vnfd_id, flavour_id=flavour_id, min_instances=low, max_instances=high,
                       instantiation_level=_text(at.key('level'), body.get('level')), attachments=self._links(flavour, at, body),
                       depends_on=self._depends(name, at.key('depends_on'), body.get('depends_on')), **text)

    def _links(self, flavour, at, body):
        attachments = []
        for requirement, lat, target in _entries(at.key('links'), body.get('links')):
            target = _text(lat, target)
            kind = self.kinds.get(target)
            if kind not in (M.VIRTUAL_LINK, M.SAP):
                raise lat.error("'%s' names no virtual link or SAP of the spec (virtual links: %s; SAPs: %s)"
                                % (target, _some(flavour.virtual_links), _some(flavour.saps)))
            attachments.append(M.Attachment(requirement=requirement, target=target, kind=kind))
        return attachments

    def _depends(self, name, at, value):
        if isinstance(value, list) and len(value) > MAX_ENTRIES:
            raise at.error('%d entries: at most %d' % (len(value), MAX_ENTRIES))
        found = []
        for i, other in enumerate(as_names(at, value)):
            if other == name:
                raise at.item(i).error('a VNF cannot depend on itself')
            if self.kinds.get(other) != M.VNF:
                raise at.error('names no VNF of the spec (%s)' % (other if NAME.match(other) else _shown(other)))
            if other not in found:
                found.append(other)
        return found

    def _mappings(self, flavour, vnfs):
        """The VnfToLevelMapping (by aspect) and VnfToInstantiationLevelMapping (by level) the VNFs' counts give."""
        by_aspect, at_levels = [], []
        for name, at, body in vnfs:
            vnf = flavour.vnfs[name]
            for aspect_id, aat, counts in _entries(at.key('instances_by_aspect'), body.get('instances_by_aspect')):
                aspect = flavour.aspects.get(aspect_id)
                if aspect is None:
                    raise aat.error('not one of the scaling_aspects (%s)' % _some(flavour.aspects))
                values = self._counts(vnf, aat, counts, lambda key, where, top=aspect.max_scale_level: _scale_level(where, key, top))
                by_aspect.append((aspect_id, M.LevelMapping(name='%s_by_%s' % (name, aspect_id), kind=M.VNF, key=M.ASPECT_LEVEL,
                                                            targets=[name], aspect=aspect_id, values=values)))
            levels = self._counts(vnf, at.key('instances_at_levels'), body.get('instances_at_levels'), self._level(flavour))
            if levels:
                at_levels.append(M.LevelMapping(name='%s_at_levels' % name, kind=M.VNF, key=M.INSTANTIATION_LEVEL,
                                                targets=[name], values=levels))
        order = list(flavour.aspects)
        flavour.mappings = [m for _a, m in sorted(by_aspect, key=lambda item: order.index(item[0]))] + at_levels

    @staticmethod
    def _level(flavour):
        def check(key, where):
            if key not in flavour.levels:
                raise where.error('not one of the instantiation_levels (%s)' % _some(flavour.levels))
            return key
        return check

    @staticmethod
    def _counts(vnf, at, value, key_of):
        """{level: number of instances} of a VNF, each within its min..max."""
        found = {}
        for key, where, count in _entries(at, value, names=False):
            key = key_of(key, where)
            count = _count(where, count, required=True)
            high = vnf.max_instances
            if count < vnf.min_instances or (high is not None and count > high):
                raise where.error("%d instances: outside the VNF's %d..%s" % (count, vnf.min_instances, high if high is not None else ''))
            found[key] = count
        return found

    def _unused(self, flavour):
        """Warnings: a VL nothing attaches to, a SAP bound to no VL that no VNF attaches to, no VNF at all."""
        linked = set(a.target for vnf in flavour.vnfs.values() for a in vnf.attachments)
        linked.update(sap.internal_virtual_link for sap in flavour.saps.values())
        for name in flavour.virtual_links:
            if name not in linked:
                self.warn(self.at.key('virtual_links').key(name), 'no VNF or SAP links to it')
        for name, sap in flavour.saps.items():
            if name not in linked and sap.internal_virtual_link is None:
                self.warn(self.at.key('saps').key(name), 'no VNF links to it and it has no virtual_link')
        if not flavour.vnfs:
            self.warn(self.at.key('vnfs'), 'no VNF: the NS deploys no VNF')


def _scale_level(at, key, top):
    level = _level_number(at, key)
    if level > top:
        raise at.error('beyond the max scale level %d of the aspect' % top)
    return level


def _load(path):
    """(document, source name) of a spec file."""
    if not HAS_YAML:
        raise PackageError('the PyYAML Python library is required to read an NS spec file')
    source = _FileSource(os.fspath(path), Budgets(depth=MAX_DEPTH))  # the loader checks depth before building
    name = source.files[0]
    return load_yaml(source, name), name


def read_ns_spec(spec, source=None):
    """Read an NS spec -> (``Nsd``, [warning lines]).

    ``spec``: the spec as a dict, or the path of a YAML file holding it. ``source`` names the spec in the messages
    (default: 'spec' for a dict, the file's name for a path)."""
    if isinstance(spec, (str, os.PathLike)):
        spec, name = _load(spec)
        source = source or name
    reader = _Spec(source or 'spec')
    nsd = reader.read(spec)
    return nsd, reader.warnings
