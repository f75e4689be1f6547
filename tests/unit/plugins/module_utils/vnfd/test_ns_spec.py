# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compact NS spec: the same model as the equivalent TOSCA NSD, its refusals (one line each), warnings, bounds."""
from __future__ import annotations

import copy
import os
import sys
import uuid

import pytest
import yaml

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import ns_spec
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.ns_spec import MAX_ENTRIES, read_ns_spec
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_model import nsd_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_reader import read_nsd

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..')
TWO = os.path.join(ROOT, 'tests', 'data', 'nsd', 'two_vnfs_one_vl')
VNFD = 'b1bb0ce7-ebca-4fa7-95ed-4840d70a1177'


def base():
    return {'name': 'ns', 'virtual_links': {'vl': {'cidr': '10.0.0.0/24'}},
            'vnfs': {'db': {'vnfd_id': VNFD, 'flavour': 'simple', 'links': {'ext': 'vl'}},
                     'web': {'vnfd_id': VNFD, 'flavour': 'simple', 'links': {'ext': 'vl'}, 'depends_on': ['db']}}}


def refused(spec, source=None):
    with pytest.raises(PackageError) as info:
        read_ns_spec(spec, source)
    message = str(info.value)
    assert '\n' not in message and 'Traceback' not in message and len(message) < 600
    return message


def comparable(nsd):
    """nsd_to_dict without where it was read from (the file names)."""
    data = nsd_to_dict(nsd)
    data['entry_definitions'] = None
    for flavour in data['flavours'].values():
        flavour['source'] = None
    return data


# ---------------------------------------------------------------------------------------------------------------
# the same model as the TOSCA NSD

def test_the_spec_of_two_vnfs_one_vl_gives_the_model_of_its_tosca_nsd():
    tosca, tosca_warnings = read_nsd(os.path.join(TWO, 'two_vnfs_one_vl.yaml'))
    spec, warnings = read_ns_spec(os.path.join(TWO, 'spec.yaml'))
    assert warnings == tosca_warnings == []
    assert comparable(spec) == comparable(tosca)
    assert spec.flavours['default'].source == 'spec.yaml' and spec.entry_definitions is None


def test_the_same_spec_as_a_dict_and_as_ansible_passes_it_with_string_keys():
    with open(os.path.join(TWO, 'spec.yaml')) as f:
        doc = yaml.safe_load(f)
    from_file, _w = read_ns_spec(os.path.join(TWO, 'spec.yaml'))
    from_dict, _w = read_ns_spec(doc)
    assert comparable(from_dict) == comparable(from_file)
    assert from_dict.flavours['default'].source == 'spec'
    doc['scaling_aspects']['web_scale']['levels'] = {'1': 'one more web'}  # module arguments come as JSON
    doc['vnfs']['web']['instances_by_aspect'] = {'web_scale': {'0': 1, '1': 2}}
    assert comparable(read_ns_spec(doc)[0]) == comparable(from_file)


def test_defaults_of_a_small_spec():
    nsd, warnings = read_ns_spec({'name': 'my-ns', 'virtual_links': {'vl': {}},
                                  'vnfs': {'a': {'vnfd_id': VNFD, 'flavour': 'simple', 'links': {'ext': 'vl'}}}})
    assert warnings == []
    assert nsd.descriptor_id == str(uuid.uuid5(ns_spec.NAMESPACE, 'my-ns')) == nsd.invariant_id
    assert read_ns_spec({'name': 'my-ns'})[0].descriptor_id == nsd.descriptor_id  # stable
    assert nsd.properties == {'name': 'my-ns', 'descriptor_id': nsd.descriptor_id, 'invariant_id': nsd.descriptor_id, 'flavour_id': 'default'}
    flavour = nsd.flavours['default']
    vl, vnf = flavour.virtual_links['vl'], flavour.vnfs['a']
    assert (vl.cidr, vl.ip_version, vl.layer_protocols, vl.protocol_data, vl.dhcp_enabled) == (None, None, ['ipv4'], [], None)
    assert (vnf.min_instances, vnf.max_instances, vnf.instantiation_level, vnf.depends_on) == (1, None, None, [])
    assert [(a.requirement, a.target, a.kind) for a in vnf.attachments] == [('ext', 'vl', 'virtual_link')]
    assert flavour.default_level is None and flavour.mappings == [] and flavour.deployment_order() == [['a']]


def test_l2_and_l3_keys_write_the_protocol_data():
    spec = {'name': 'n', 'virtual_links': {
        'v6': {'cidr': 'fd00::/64', 'gateway_ip': 'fd00::1', 'mtu': 1450},
        'l2': {'mtu': 9000}, 'v4': {'dhcp': False, 'ip_version': 'IPv4'}}}
    vls = read_ns_spec(spec)[0].flavours['default'].virtual_links
    assert vls['v6'].protocol_data == [{'associated_layer_protocol': 'ipv6', 'l2_protocol_data': {'mtu': 1450},
                                        'l3_protocol_data': {'ip_version': 'ipv6', 'cidr': 'fd00::/64', 'gateway_ip': 'fd00::1'}}]
    assert (vls['v6'].layer_protocols, vls['v6'].ip_version, vls['v6'].mtu) == (['ipv6'], 'ipv6', 1450)
    assert vls['l2'].protocol_data == [{'associated_layer_protocol': 'ethernet', 'l2_protocol_data': {'mtu': 9000}}]
    assert (vls['v4'].ip_version, vls['v4'].dhcp_enabled, vls['v4'].cidr) == ('ipv4', False, None)


def test_a_vnf_links_to_a_sap():
    spec = base()
    spec['saps'] = {'mgmt': {}}
    spec['vnfs']['db']['links']['mgmt_cp'] = 'mgmt'
    nsd, warnings = read_ns_spec(spec)
    assert warnings == []
    flavour = nsd.flavours['default']
    assert [(a.target, a.kind) for a in flavour.vnfs['db'].attachments] == [('vl', 'virtual_link'), ('mgmt', 'sap')]
    assert (flavour.saps['mgmt'].internal_virtual_link, flavour.saps['mgmt'].layer_protocols) == (None, ['ipv4'])


def test_the_example_vars_file_reads_without_warnings():
    with open(os.path.join(ROOT, 'examples', 'ns', 'two_vnfs.yml')) as f:
        nsd, warnings = read_ns_spec(yaml.safe_load(f)['ns_spec'])
    flavour = nsd.flavours['default']
    assert warnings == [] and flavour.deployment_order() == [['db'], ['web']]
    assert flavour.instances_at() == {'db': 1, 'web': 1} and flavour.instances_at('large') == {'db': 1, 'web': 2}


# ---------------------------------------------------------------------------------------------------------------
# warnings

def test_warnings():
    spec = base()
    del spec['vnfs']['web']['flavour']
    spec['virtual_links']['spare'] = {}
    spec['saps'] = {'lonely': {}}
    spec['instantiation_levels'] = {'small': None, 'large': None}
    assert read_ns_spec(spec)[1] == [
        'spec: instantiation_levels: several levels (small, large) and no default_level: one must be asked for',
        'spec: vnfs.web: flavour is missing: the VNF deployment flavour must be given when the NS is instantiated',
        'spec: virtual_links.spare: no VNF or SAP links to it',
        'spec: saps.lonely: no VNF links to it and it has no virtual_link']
    assert read_ns_spec({'name': 'n'})[1] == ['spec: vnfs: no VNF: the NS deploys no VNF']


# ---------------------------------------------------------------------------------------------------------------
# refusals, one line each

def edited(change):
    spec = base()
    change(spec)
    return spec


REFUSALS = [
    (lambda s: s['vnfs']['web'].update(depends_on=['dbx']), 'spec: vnfs.web.depends_on: names no VNF of the spec (dbx)'),
    (lambda s: s['vnfs']['web'].update(depends_on=['web']), 'spec: vnfs.web.depends_on[0]: a VNF cannot depend on itself'),
    (lambda s: s['vnfs']['db'].update(depends_on='web'), 'spec: vnfs: dependency loop: db -> web -> db'),
    (lambda s: s['vnfs']['web'].update(flavor='simple'),
     'spec: vnfs.web.flavor: unknown key (allowed: %s)' % ', '.join(ns_spec.VNF_KEYS)),
    (lambda s: s.update(vnf={}), 'spec: vnf: unknown key (allowed: %s)' % ', '.join(ns_spec.TOP)),
    (lambda s: s['virtual_links']['vl'].update({'CIDR block': 'x'}),
     "spec: virtual_links.vl: unknown key 'CIDR block' (allowed: %s)" % ', '.join(ns_spec.VL_KEYS)),
    (lambda s: s['vnfs']['db']['links'].update(ext='nsvl'),
     "spec: vnfs.db.links.ext: 'nsvl' names no virtual link or SAP of the spec (virtual links: vl; SAPs: none)"),
    (lambda s: s['vnfs']['db']['links'].update(ext='web'),
     "spec: vnfs.db.links.ext: 'web' names no virtual link or SAP of the spec (virtual links: vl; SAPs: none)"),
    (lambda s: s.update(saps={'s': {'virtual_link': 'nowhere'}}),
     "spec: saps.s.virtual_link: 'nowhere' names no virtual link of the spec (vl)"),
    (lambda s: s.update(saps={'vl': {}}),
     'spec: saps.vl: the name is also one of the virtual_links (VNF, virtual link and SAP names are one namespace)'),
    (lambda s: s['vnfs'].update(web='just a string'), 'spec: vnfs.web: must be a mapping, not str'),
    (lambda s: s.update(vnfs=['db', 'web']), 'spec: vnfs: must be a mapping, not list'),
    (lambda s: s['vnfs']['db'].update(links=['vl']), 'spec: vnfs.db.links: must be a mapping, not list'),
    (lambda s: s['vnfs']['db'].update(vnfd_id={'id': 1}), 'spec: vnfs.db.vnfd_id: must be a string, not dict'),
    (lambda s: s['vnfs']['db'].pop('vnfd_id'), 'spec: vnfs.db: vnfd_id is missing: a VNF names its VNF package by the VNFD id'),
    (lambda s: s['vnfs']['db'].update(min_instances=3, max_instances=2),
     'spec: vnfs.db: min_instances (3) is greater than max_instances (2)'),
    (lambda s: s['vnfs']['db'].update(max_instances=-1), 'spec: vnfs.db.max_instances: must be a non-negative integer, not -1'),
    (lambda s: s['vnfs']['db'].update(max_instances=MAX_ENTRIES + 1), 'spec: vnfs.db.max_instances: 1001: at most 1000'),
    (lambda s: s['virtual_links']['vl'].update(dhcp='yes'), "spec: virtual_links.vl.dhcp: must be true or false, not 'yes'"),
    (lambda s: s['virtual_links']['vl'].update(cidr='10.0.0.0'),
     "spec: virtual_links.vl.cidr: '10.0.0.0' is not a CIDR (address/prefix length)"),
    (lambda s: s['virtual_links']['vl'].update(cidr='10.0.0.5/24'),
     "spec: virtual_links.vl.cidr: '10.0.0.5/24' is not a CIDR: 10.0.0.5/24 has host bits set"),
    (lambda s: s['virtual_links']['vl'].update(ip_version=6),
     'spec: virtual_links.vl.ip_version: 6 does not match the cidr 10.0.0.0/24 (IPv4)'),
    (lambda s: s['virtual_links']['vl'].update(ip_version=5), 'spec: virtual_links.vl.ip_version: must be 4 or 6 (or ipv4, ipv6), not 5'),
    (lambda s: s['virtual_links']['vl'].update(gateway_ip='10.1.0.1'),
     'spec: virtual_links.vl.gateway_ip: 10.1.0.1 is not in the cidr 10.0.0.0/24'),
    (lambda s: s['virtual_links']['vl'].update(mtu=20), 'spec: virtual_links.vl.mtu: 20 is not an MTU (68..65535)'),
    (lambda s: s['virtual_links']['vl'].update(max_bitrate={'root': 1, 'trunk': 2}),
     'spec: virtual_links.vl.max_bitrate.trunk: unknown key (allowed: root, leaf)'),
    (lambda s: s['vnfs'].update({'bad name': {}}),
     "spec: vnfs: 'bad name' is not a name (letters, digits, _ . -, at most 63, starting with a letter or digit)"),
    (lambda s: s.update(default_level='big', instantiation_levels={'small': None}),
     "spec: default_level: 'big' is not one of the instantiation_levels (small)"),
    (lambda s: s['vnfs']['web'].update(instances_at_levels={'huge': 2}),
     'spec: vnfs.web.instances_at_levels.huge: not one of the instantiation_levels (none)'),
    (lambda s: s['vnfs']['web'].update(instances_by_aspect={'nope': {0: 1}}),
     'spec: vnfs.web.instances_by_aspect.nope: not one of the scaling_aspects (none)'),
    (lambda s: s.update(scaling_aspects={'a': {'levels': {1: None, 3: None}}}),
     'spec: scaling_aspects.a.levels: must number the scale levels 1..n, not 1, 3'),
    (lambda s: (s.update(scaling_aspects={'a': {'levels': {1: None}}}), s['vnfs']['web'].update(instances_by_aspect={'a': {2: 1}})),
     'spec: vnfs.web.instances_by_aspect.a.2: beyond the max scale level 1 of the aspect'),
    (lambda s: (s.update(instantiation_levels={'big': None}), s['vnfs']['web'].update(max_instances=2, instances_at_levels={'big': 3})),
     "spec: vnfs.web.instances_at_levels.big: 3 instances: outside the VNF's 1..2"),
    (lambda s: s.pop('name'), 'spec: name or descriptor_id is needed (the NSD id defaults to a uuid5 of the name)'),
    (lambda s: s.update(description='x' * 5000), 'spec: description: longer than 4096 characters'),
]


@pytest.mark.parametrize('change, line', REFUSALS, ids=[line for _c, line in REFUSALS])
def test_refused_with_its_line(change, line):
    assert refused(edited(change)) == line


def test_not_a_mapping_and_the_source_name():
    assert refused(['a']) == 'spec: must be a mapping, not list'
    assert refused({'vnfs': 'x'}, source='ns.yml') == 'ns.yml: vnfs: must be a mapping, not str'


# ---------------------------------------------------------------------------------------------------------------
# a path

def test_a_path_and_its_errors(tmp_path):
    path = tmp_path / 'ns.yml'
    path.write_text('name: n\nvnfs:\n  a: {vnfd_id: x, flavour: f, colour: red}\n')
    assert refused(str(path)).startswith('ns.yml: vnfs.a.colour: unknown key (allowed: vnfd_id, ')
    assert refused(str(path), source='desired/ns.yml').startswith('desired/ns.yml: vnfs.a.colour: unknown key')
    path.write_text('name: n\nvnfs: [unclosed\n')
    assert refused(path).startswith('ns.yml: malformed YAML at line 3')
    assert refused(str(tmp_path / 'missing.yml')) == 'missing.yml: cannot read: No such file or directory'
    path.write_text('name: n\nvnfs:\n  a: {vnfd_id: x, flavour: f}\n')
    nsd, warnings = read_ns_spec(path)
    assert list(nsd.flavours['default'].vnfs) == ['a'] and warnings == []


# ---------------------------------------------------------------------------------------------------------------
# bounds and hostile input

def test_a_big_spec_within_its_bounds():
    vnfs = {'v%d' % i: {'vnfd_id': VNFD, 'flavour': 'simple', 'links': {'ext': 'vl%d' % (i % 10)},
                        'depends_on': ['v%d' % (i - 1)] if i % 100 else []} for i in range(MAX_ENTRIES)}
    spec = {'name': 'big', 'virtual_links': {'vl%d' % i: {} for i in range(10)}, 'vnfs': vnfs}
    nsd, warnings = read_ns_spec(spec)
    order = nsd.flavours['default'].deployment_order()
    assert warnings == [] and len(nsd.flavours['default'].vnfs) == MAX_ENTRIES and len(order) == 100
    assert order[0] == sorted('v%d' % i for i in range(0, MAX_ENTRIES, 100))


def _calls(fn, *args):
    """fn(*args) and the number of Python function calls it made (the work, not the time)."""
    calls = [0]

    def count(_frame, event, _arg):
        if event == 'call':
            calls[0] += 1
    sys.setprofile(count)
    try:
        result = fn(*args)
    finally:
        sys.setprofile(None)
    return result, calls[0]


def test_a_chain_of_the_most_vnfs_and_a_loop_through_them_in_linear_work():
    def chain(n):
        return {'v%03d' % i: {'vnfd_id': VNFD, 'depends_on': ['v%03d' % (i - 1)] if i else []} for i in range(n)}
    (nsd, _warnings), work = _calls(read_ns_spec, {'name': 'chain', 'vnfs': chain(MAX_ENTRIES)})
    assert len(nsd.flavours['default'].deployment_order()) == MAX_ENTRIES
    _result, work_tenth = _calls(read_ns_spec, {'name': 'chain', 'vnfs': chain(MAX_ENTRIES // 10)})
    assert work < 20 * work_tenth  # 10x the VNFs: about 10x the calls, not 100x
    vnfs = chain(MAX_ENTRIES)
    vnfs['v000']['depends_on'] = ['v999']
    assert refused({'name': 'chain', 'vnfs': vnfs}) == ('spec: vnfs: dependency loop: v000 -> v999 -> v998 -> v997 -> v996 -> v995 -> '
                                                        'v994 -> v993 -> v992 -> v991 -> ... (1000 VNFs) -> v000')


def test_more_than_the_bounds_is_refused():
    assert refused({'name': 'n', 'virtual_links': {'vl%d' % i: {} for i in range(MAX_ENTRIES + 1)}}) == \
        'spec: virtual_links: 1001 entries: at most 1000'
    spec = base()
    spec['vnfs']['web']['depends_on'] = ['db'] * 10 ** 6
    assert refused(spec) == 'spec: vnfs.web.depends_on: 1000000 entries: at most 1000'


def test_hostile_input_is_refused_in_one_line(tmp_path):
    nested = deep = {}
    for _i in range(10000):
        deep['a'] = {}
        deep = deep['a']
    spec = base()
    spec['vnfs']['db']['links'] = {'ext': nested}
    assert refused(spec) == 'spec: vnfs.db.links.ext: must be a string, not dict'
    spec['vnfs']['db']['links'] = {'x' * 10 ** 6: 'vl'}
    assert refused(spec).startswith("spec: vnfs.db.links: 'xxxxxxxxx")
    recursive = []
    recursive.append(recursive)
    spec = base()
    spec['vnfs']['web']['depends_on'] = recursive
    assert refused(spec) == 'spec: vnfs.web.depends_on[0]: must be a name, not list'
    path = tmp_path / 'deep.yml'
    path.write_text('vnfs: ' + '[' * 200000 + ']' * 200000 + '\n')  # the C loader would crash building it
    assert refused(str(path)) == 'deep.yml: vnfs[0][0][0][0][0][0][0][0][0]...: more than 32 levels of nesting (limit depth=32)'
    path.write_text('a: &a [*a, *a]\nvnfs: {x: {vnfd_id: *a}}\n')  # an alias inside itself: endless, refused
    assert refused(str(path)) == 'deep.yml: line 1: an alias refers to a collection that holds it (endless expansion)'


def test_the_input_is_not_changed():
    spec = base()
    before = copy.deepcopy(spec)
    read_ns_spec(spec)
    assert spec == before
