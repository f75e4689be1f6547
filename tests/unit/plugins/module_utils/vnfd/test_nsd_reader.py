# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SOL001 NSD reader over real NSDs (tests/data/nsd/README.md), one of our own and crafted broken ones."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import NfvoError, PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_model import nsd_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_reader import read_nsd

DATA = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'data', 'nsd')
VERSIONS = ['2.5.1', '2.6.1', '3.3.1', '4.4.1']


def sample(*parts):
    return os.path.join(DATA, *parts)


def refused(path):
    with pytest.raises(PackageError) as info:
        read_nsd(path)
    message = str(info.value)
    assert '\n' not in message and 'Traceback' not in message
    return message


def write(tmp_path, text, name='nsd.yaml'):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


NS_NODE = '''
    ns:
      type: tosca.nodes.nfv.NS
      properties: {descriptor_id: nsd-1, designer: us, version: '1', name: test, invariant_id: inv-1, flavour_id: df}
'''
HEAD = 'tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:' + NS_NODE


def vnf(name, extra='', requirements='[]'):
    return ('    %s:\n      type: tosca.nodes.nfv.VNF\n      properties: {descriptor_id: vnfd-%s, flavour_id: simple%s}\n'
            '      requirements: %s\n' % (name, name, extra, requirements))


# ---------------------------------------------------------------------------------------------------------------
# the samples

def test_ubi_full_reads_everything():
    nsd, warnings = read_nsd(sample('ubi_full', 'nsd_ubi.yaml'))
    assert (nsd.descriptor_id, nsd.designer, nsd.version, nsd.name, nsd.invariant_id) == (
        'fb4f8f06-f4b0-4d80-8cda-cd95cf018972', 'ovi@ubiqube.com', '0.0.1', 'First NSD.', '65f6fbed-654b-4d68-b730-5d8d72a8b865')
    assert list(nsd.flavours) == ['flavor01']
    f = nsd.flavours['flavor01']
    frontend = f.vnfs['frontend']
    assert (frontend.vnfd_id, frontend.flavour_id) == ('dcd11fbf-c767-41eb-abc9-cec35dd95bca', 'flavor01')
    assert [(a.requirement, a.target, a.kind) for a in frontend.attachments] == [('virtual_link', 'vl01', 'virtual_link')]
    database = f.nested['database']
    assert (database.nsd_id, database.flavour_id, database.invariant_id) == (
        'fb4f8f06-f4b0-4d80-8cda-cd95cf018972', 'flavor01', '1984f114-816e-45ac-a5f7-0c7e61726114')
    assert [a.target for a in database.attachments] == ['vl01']
    vl = f.virtual_links['vl01']
    assert (vl.layer_protocols, vl.flow_pattern, vl.max_bitrate, vl.min_bitrate) == (
        ['ipv4'], 'mesh', {'root': 1000, 'leaf': 5000}, {'root': 200, 'leaf': 400})
    assert (vl.ip_version, vl.cidr, vl.mtu, vl.network_type, vl.segmentation_id) == ('ipv4', None, 1400, 'vxlan', 'vlan0')
    assert vl.ip_allocation_pools == [{'start_ip_address': '1.1.1.1', 'end_ip_address': '2.2.2.2'}]
    sap = f.saps['sap01']
    assert (sap.internal_virtual_link, sap.external_virtual_link, sap.role, sap.layer_protocols) == ('vl01', 'public', 'root', ['ipv4'])
    assert set(f.levels) == {'level', 'ns_to_level_mapping', '2'} and f.default_level == 'ns_to_level_mapping'
    assert {a: (x.name, x.max_scale_level) for a, x in f.aspects.items()} == {
        'an_aspect': ('an another name', 1), 'frontend': ('frontend', 2), 'database': ('aspect_1', 2)}
    mappings = {m.name: (m.kind, m.key, m.targets, m.aspect) for m in f.mappings}
    assert mappings == {
        'frontend_level_mapping': ('vnf', 'aspect_level', ['frontend'], 'aspect_1'),
        'database_level_mapping': ('ns', 'aspect_level', ['database'], 'database'),
        'vl_level_mapping': ('virtual_link', 'aspect_level', ['vl01'], 'aspect_1'),
        'vnf_inst_level': ('vnf', 'instantiation_level', ['frontend'], None),
        'ns_inst_level_mapping': ('ns', 'instantiation_level', ['database'], None),
        'vl_inst_level_mapping': ('virtual_link', 'instantiation_level', ['vl01'], None),
    }
    assert [m.values for m in f.mappings if m.name == 'frontend_level_mapping'] == [{0: 1, 1: 1, 2: 2, 3: 2}]
    assert vl.bitrate_levels == {'level1': {'root': 1000, 'leaf': 2000}, 'level2': {'root': 1000, 'leaf': 2000}}
    assert {(p.name, p.type) for p in f.policies} >= {('ns_autoscale', 'tosca.policies.nfv.NsAutoScale'),
                                                      ('affinity', 'tosca.policies.nfv.AffinityRule')}
    assert set(f.other_nodes) == {'element_1', 'element_2', 'nfp_position_1', 'nfp_1', 'forwarding'}
    assert f.deployment_order() == [['database', 'frontend']]
    text = '\n'.join(warnings)
    for expected in ("'ns01', the first tosca.nodes.nfv.NS node, is read as the NSD itself, 'database' as nested NS",
                     "frontend.requirements[1].virtual_link: 'vl02' names no node template",
                     "nsd_ubi.yaml: policies: policies sit at the top level of the file",
                     "policies.frontend_level_mapping.properties.aspect: 'aspect_1' is not an NS scaling aspect",
                     "it is the name of aspect 'database'",
                     "policies.vnf_to_level_map: no vnf target: mapping ignored",
                     "sap01.requirements[0].external_virtual_link: 'public' names no node template"):
        assert expected in text
    json.dumps(nsd_to_dict(nsd))


def test_single_vl_reads_with_named_warnings():
    nsd, warnings = read_nsd(sample('single_vl'))
    f = nsd.flavours['flavor01']
    assert nsd.descriptor_id == 'fb302971-a2a0-481e-8ce2-d5e4474e0409' and not f.vnfs and list(f.virtual_links) == ['vl01']
    assert nsd.ns_profile['ns_instantiation_level'] == 'demo' and 'scale_status' not in nsd.properties
    assert f.virtual_links['vl01'].ip_allocation_pools[0]['start_ip_address'] == '1.1.1.1'
    assert warnings == [
        'nsd_ubi.yaml: topology_template.node_templates.ns01.properties.scale_status: an attribute of tosca.nodes.nfv.NS, '
        'not a property: ignored',
        "nsd_ubi.yaml: topology_template.node_templates.ns01.requirements[0].virtual_link: 'vl' names no node template "
        "(the NS virtual links are: vl01): ignored",
        "nsd_ubi.yaml: topology_template.node_templates.vl01.properties.vl_profile.virtual_link_protocol_data[0]."
        "l3_protocol_data.cidr: '0.0.0.0' is not a CIDR (address/prefix length): ignored, the NS VL gets one allocated",
        'nsd_ubi.yaml: topology_template.node_templates: no VNF node (of a type derived from tosca.nodes.nfv.VNF): '
        'the NS deploys no VNF',
    ]


def test_two_cirros_is_refused_naming_its_dialect():
    message = refused(sample('two_cirros'))
    assert message.startswith('two_cirros_example_tosca.yaml: toscaDefinitionsVersion: camelCase keys '
                              '(toscaDefinitionsVersion, topologyTemplate, nodeTemplates): the Nextworks 5G-catalogue dialect, '
                              'not ETSI SOL001 TOSCA')


def test_camel_case_inside_a_snake_case_file_is_the_dialect_too(tmp_path):
    message = refused(write(tmp_path, 'tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  nodeTemplates: {}\n'))
    assert message.startswith('nsd.yaml: topology_template.nodeTemplates: camelCase keys (nodeTemplates): the Nextworks')


def test_our_two_vnfs_over_one_vl_with_a_dependency():
    nsd, warnings = read_nsd(sample('two_vnfs_one_vl', 'two_vnfs_one_vl.yaml'))
    assert warnings == []
    assert (nsd.descriptor_id, nsd.designer, nsd.name) == ('5b0c5d3e-8a8e-4c36-9d1a-2f0f3c1f0a01', 'telco.nfvo contributors',
                                                           'two VNFs over one VL')
    f = nsd.flavours['default']
    assert sorted(f.vnfs) == ['db', 'web'] and f.vnfs['web'].depends_on == ['db']
    assert all([(a.requirement, a.target) for a in v.attachments] == [('virtual_link_external', 'ns_vl')] for v in f.vnfs.values())
    assert (f.vnfs['web'].min_instances, f.vnfs['web'].max_instances, f.vnfs['db'].instantiation_level) == (1, 2, 'instantiation_level_1')
    assert f.virtual_links['ns_vl'].cidr == '10.10.0.0/24' and f.virtual_links['ns_vl'].dhcp_enabled is True
    assert f.saps['entry'].internal_virtual_link == 'ns_vl'
    assert f.deployment_order() == [['db'], ['web']]
    assert f.instances_at() == {'db': 1, 'web': 1} and f.instances_at('large') == {'db': 1, 'web': 2}


def test_a_csar_and_a_directory_with_tosca_meta(tmp_path):
    src = sample('two_vnfs_one_vl', 'two_vnfs_one_vl.yaml')
    csar = tmp_path / 'ns.csar'
    with zipfile.ZipFile(str(csar), 'w') as zf:
        zf.writestr('TOSCA-Metadata/TOSCA.meta', 'TOSCA-Meta-File-Version: 1.0\nEntry-Definitions: Definitions/ns.yaml\n')
        zf.write(src, 'Definitions/ns.yaml')
    nsd, _warnings = read_nsd(str(csar))
    assert nsd.entry_definitions == 'Definitions/ns.yaml' and sorted(nsd.flavours['default'].vnfs) == ['db', 'web']
    (tmp_path / 'dir' / 'TOSCA-Metadata').mkdir(parents=True)
    (tmp_path / 'dir' / 'TOSCA-Metadata' / 'TOSCA.meta').write_text('Entry-Definitions: missing.yaml\n')
    assert refused(str(tmp_path / 'dir')) == "TOSCA-Metadata/TOSCA.meta: Entry-Definitions 'missing.yaml' is not in the package"


@pytest.mark.parametrize('version', VERSIONS)
def test_sol001_type_versions_are_accepted(tmp_path, version):
    text = HEAD.replace('tosca_simple_yaml_1_3', 'tosca_simple_yaml_1_2') + vnf('a')
    imports = ('imports:\n  - etsi_nfv_sol001_nsd_types.yaml\n'
               '  - https://forge.etsi.org/rep/nfv/SOL001/raw/v%s/etsi_nfv_sol001_vnfd_types.yaml\n' % version)
    nsd, _warnings = read_nsd(write(tmp_path, imports + text))
    assert list(nsd.flavours['df'].vnfs) == ['a']


def test_imports_and_derived_types(tmp_path):
    (tmp_path / 'types.yaml').write_text('node_types:\n  my.Vnf:\n    derived_from: tosca.nodes.nfv.VNF\n    properties:\n'
                                         '      descriptor_id: {type: string, default: from-type}\n')
    text = 'imports: [types.yaml]\n' + HEAD + '    a:\n      type: my.Vnf\n      properties: {flavour_id: x}\n'
    nsd, _warnings = read_nsd(write(tmp_path, text))
    assert nsd.flavours['df'].vnfs['a'].vnfd_id == 'from-type'


# ---------------------------------------------------------------------------------------------------------------
# broken NSDs: refused with their one line

BROKEN = [
    ('tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n'
     '    vl:\n      type: tosca.nodes.nfv.NsVirtualLink\n',
     'nsd.yaml: topology_template.node_templates: no tosca.nodes.nfv.NS node and no substitution_mappings: '
     'not a network service descriptor'),
    (HEAD + '    a:\n      type: tosca.nodes.nfv.VNF\n      properties: {flavour_id: x}\n',
     'nsd.yaml: topology_template.node_templates.a.properties: descriptor_id is missing: a VNF node names its VNF package by the VNFD id'),
    (HEAD + vnf('a', ', vnf_profile: {min_number_of_instances: 3, max_number_of_instances: 2}'),
     'nsd.yaml: topology_template.node_templates.a.properties.vnf_profile: min_number_of_instances (3) is greater than '
     'max_number_of_instances (2)'),
    (HEAD + vnf('a', ', vnf_profile: {min_number_of_instances: two}'),
     "nsd.yaml: topology_template.node_templates.a.properties.vnf_profile.min_number_of_instances: must be a non-negative integer, not 'two'"),
    (HEAD + vnf('a', requirements='[dependency: b]') + vnf('b', requirements='[dependency: a]'),
     'nsd.yaml: topology_template.node_templates: dependency loop: a -> b -> a'),
    (HEAD + '    a:\n      type: vendor.Unknown\n',
     "nsd.yaml: topology_template.node_templates.a.type: unknown node type 'vendor.Unknown' (not a standard ETSI SOL001 type "
     "and not defined in the package)"),
    (HEAD.replace(', flavour_id: df', '') + vnf('a'),
     'nsd.yaml: topology_template.node_templates.ns.properties: flavour_id is missing: the NS deployment flavour needs an id'),
    (HEAD.replace('descriptor_id: nsd-1, ', '') + vnf('a'),
     'nsd.yaml: topology_template.node_templates.ns.properties: descriptor_id is missing (neither the NS node nor its type sets it)'),
    (HEAD + vnf('a') + '  policies:\n    - l:\n        type: tosca.policies.nfv.NsInstantiationLevels\n'
     '        properties: {ns_levels: {small: {}}, default_level: big}\n',
     "nsd.yaml: topology_template.policies[0] l.properties.default_level: 'big' is not an NS instantiation level (small)"),
    (HEAD + vnf('a') + '  policies:\n    - s1:\n        type: tosca.policies.nfv.NsScalingAspects\n        properties: {aspects: {x: {}}}\n'
     '    - s2:\n        type: tosca.policies.nfv.NsScalingAspects\n        properties: {aspects: {x: {}}}\n',
     "nsd.yaml: topology_template.policies[1] s2.properties.aspects.x: aspect 'x' is also defined at "
     "topology_template.policies[0] s1.properties.aspects.x"),
    (HEAD + vnf('a') + '  policies:\n    - m:\n        type: tosca.policies.nfv.VnfToLevelMapping\n'
     '        properties: {aspect: x, number_of_instances: {0: many}}\n        targets: [a]\n',
     "nsd.yaml: topology_template.policies[0] m.properties.number_of_instances.0: must be a non-negative integer, not 'many'"),
    ('tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  substitution_mappings:\n    node_type: tosca.nodes.nfv.VNF\n',
     "nsd.yaml: topology_template.substitution_mappings.node_type: 'tosca.nodes.nfv.VNF' is not derived from tosca.nodes.nfv.NS"),
    ('topology_template: [\n', 'nsd.yaml: malformed YAML at line 2, column 1: '),
    ('- a list\n', 'nsd.yaml: not a TOSCA definitions file (a YAML mapping)'),
    (HEAD + vnf('a', requirements='{virtual_link: x}'),
     'nsd.yaml: topology_template.node_templates.a.requirements: must be a list, not dict'),
]


@pytest.mark.parametrize('text, message', BROKEN, ids=range(len(BROKEN)))
def test_broken_nsds_are_refused_with_one_line(tmp_path, text, message):
    assert refused(write(tmp_path, text)).startswith(message)


def test_refusals_are_nfvo_errors(tmp_path):
    with pytest.raises(NfvoError):
        read_nsd(str(tmp_path / 'nowhere.yaml'))
    (tmp_path / 'a.yaml').write_text('{}')
    (tmp_path / 'b.yaml').write_text('{}')
    assert 'not an NSD package: no TOSCA-Metadata/TOSCA.meta and 2 YAML files at its root (a.yaml, b.yaml)' in refused(str(tmp_path))


# ---------------------------------------------------------------------------------------------------------------
# what is off but readable: warnings

def test_requirements_off_are_warnings(tmp_path):
    text = HEAD + vnf('a', requirements='[virtual_link: vl, virtual_link: vl, virtual_link_2: b, dependency: nowhere]') + vnf('b') + (
        '    vl:\n      type: tosca.nodes.nfv.NsVirtualLink\n')
    nsd, warnings = read_nsd(write(tmp_path, text))
    a = nsd.flavours['df'].vnfs['a']
    assert [x.target for x in a.attachments] == ['vl'] and a.depends_on == []
    assert warnings == [
        "nsd.yaml: topology_template.node_templates.a.requirements[1].virtual_link: requirement 'virtual_link' is given twice: 'vl' ignored",
        "nsd.yaml: topology_template.node_templates.a.requirements[2].virtual_link_2: 'b' is a vnf node, not an NS virtual link or SAP: ignored",
        "nsd.yaml: topology_template.node_templates.a.requirements[3].dependency: 'nowhere' is not another VNF or nested NS of the NSD: "
        "dependency ignored",
    ]


def test_reading_imports_neither_ansible_nor_openstacksdk():
    code = ('import sys; from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_reader import read_nsd; '
            'read_nsd(%r); '
            'print(sorted(m for m in sys.modules if m.split(".")[0] in ("ansible", "openstack", "keystoneauth1") or m.startswith('
            '("ansible_collections.telco.nfvo.plugins.module_utils.openstack", "ansible_collections.telco.nfvo.plugins.module_utils.base.module", '
            '"ansible_collections.telco.nfvo.plugins.module_utils.vnfd.glance", "ansible_collections.telco.nfvo.plugins.module_utils.vnfd.runners"))))'
            % os.path.abspath(sample('ubi_full', 'nsd_ubi.yaml')))
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert out.stdout.strip() == '[]'


def test_depends_on_relationship_and_flavours_in_several_files(tmp_path):
    flavour = ('tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  substitution_mappings:\n'
               '    node_type: my.Ns\n    properties: {flavour_id: %s}\n  node_templates:\n' + vnf('a') + vnf(
                   'b', requirements='[{dependency: {node: a, relationship: tosca.relationships.DependsOn}}]'))
    write(tmp_path, flavour % 'small', 'small.yaml')
    write(tmp_path, flavour % 'big', 'big.yaml')
    top = ('tosca_definitions_version: tosca_simple_yaml_1_3\nimports: [small.yaml, big.yaml]\nnode_types:\n  my.Ns:\n'
           '    derived_from: tosca.nodes.nfv.NS\n    properties:\n      descriptor_id: {type: string, default: nsd-9}\n')
    nsd, warnings = read_nsd(write(tmp_path, top, 'top.yaml'))
    assert nsd.descriptor_id == 'nsd-9' and sorted(nsd.flavours) == ['big', 'small']
    assert nsd.flavours['big'].deployment_order() == [['a'], ['b']] and nsd.flavours['small'].source == 'small.yaml'
    assert warnings == ['small.yaml: topology_template.substitution_mappings.properties: designer, version, name, invariant_id '
                        'missing (required by SOL001): read as none']


def test_a_manifest_that_does_not_check_out_is_refused(tmp_path):
    csar = tmp_path / 'ns.zip'
    with zipfile.ZipFile(str(csar), 'w') as zf:
        zf.write(sample('two_vnfs_one_vl', 'two_vnfs_one_vl.yaml'), 'ns.yaml')
        zf.writestr('ns.mf', 'metadata:\nnsd_designer: us\n\nSource: ns.yaml\nAlgorithm: SHA-256\nHash: %s\n' % ('0' * 64))
    assert refused(str(csar)).startswith('ns.yaml: line ')
