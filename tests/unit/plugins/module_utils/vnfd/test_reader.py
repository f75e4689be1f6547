# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SOL001/SOL004 package reader over Tacker's sample packages and crafted broken ones."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest
import yaml

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import package_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import checksum_of, open_member

SAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'data', 'vnf_packages')
VALID = ['helloworld3', 'getting_started', 'practical', 'v2_basic_min']
INVALID = ['invalid/invalid_instantiation_level', 'invalid/without_flavour_info']


def sample(name):
    return os.path.join(SAMPLES, name)


def make_zip(src_dir, dest, extra=None):
    """Zip a directory as a CSAR; ``extra`` maps member names to bytes (or ZipInfo -> bytes pairs)."""
    with zipfile.ZipFile(dest, 'w', zipfile.ZIP_DEFLATED) as zf:
        for dirpath, dirnames, filenames in os.walk(src_dir):
            dirnames.sort()
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                zf.write(full, os.path.relpath(full, src_dir).replace(os.sep, '/'))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return str(dest)


class PackageCopy(object):
    """A writable copy of a sample package: ``copy / 'path'``, ``str(copy)``, ``copy.edit(path, old, new)``."""

    def __init__(self, root):
        self.root = root

    def __truediv__(self, other):
        return self.root / other

    def __fspath__(self):
        return str(self.root)

    __str__ = __fspath__

    def edit(self, path, old, new):
        text = (self.root / path).read_text()
        assert old in text, old
        (self.root / path).write_text(text.replace(old, new, 1))


@pytest.fixture
def hw3(tmp_path):
    shutil.copytree(sample('helloworld3'), tmp_path / 'hw3')
    return PackageCopy(tmp_path / 'hw3')


DF = 'Definitions/helloworld3_df_simple.yaml'


# ---------------------------------------------------------------------------------------------------------------
# valid samples

def test_helloworld3():
    pkg = read_package(sample('helloworld3'))
    vnfd = pkg.vnfd
    assert (vnfd.descriptor_id, vnfd.descriptor_version, vnfd.provider, vnfd.product_name, vnfd.software_version, vnfd.vnfm_info) == (
        'b1bb0ce7-ebca-4fa7-95ed-4840d70a1177', '1.0', 'Company', 'Sample VNF', '1.0', ['Tacker'])
    assert pkg.entry_definitions == 'Definitions/helloworld3_top.vnfd.yaml'
    assert pkg.meta['CSAR-Version'] == '1.1'
    assert list(vnfd.flavours) == ['simple']
    fl = vnfd.flavour('simple')
    assert fl.description == 'A simple flavour'
    assert list(fl.vdus) == ['VDU1', 'VDU2']
    vdu1, vdu2 = fl.vdus['VDU1'], fl.vdus['VDU2']
    assert (vdu1.min_instances, vdu1.max_instances, vdu2.min_instances, vdu2.max_instances) == (1, 1, 1, 3)
    assert (vdu1.compute.vcpus, vdu1.compute.memory_mb, vdu1.compute.disk_gb) == (1, 512, 3)  # 512 MB read as 512 MiB, as Tacker does
    assert vdu1.cps == ['CP1', 'CP2'] and vdu2.cps == ['CP3']
    assert vdu1.storage == [] and vdu2.storage == ['VirtualStorage']
    image = vdu1.sw_image
    assert (image.name, image.version, image.checksum['algorithm'], image.disk_format, image.container_format) == (
        'Software of VDU1', '0.5.2', 'sha-512', 'qcow2', 'bare')
    assert (image.min_disk_gb, image.size_gb, image.min_ram_mb) == (1, 1, None)
    assert image.file == 'Files/images/cirros-0.5.2-x86_64-disk.img' and image.carried is False
    assert vdu2.sw_image is None
    storage = fl.storage['VirtualStorage']
    assert (storage.kind, storage.size_gb, storage.rdma_enabled, storage.sw_image.min_ram_mb) == ('block', 3, True, 256)
    assert fl.cps['CP1'].virtual_link is None and fl.cps['CP2'].virtual_link == 'internalVL2'
    vl = fl.virtual_links['internalVL2']
    assert (vl.ip_version, vl.cidr, vl.gateway_ip, vl.dhcp_enabled, vl.layer_protocols) == ('ipv4', '11.11.0.0/24', None, None, ['ipv4'])
    assert set(vl.bitrate_levels) == {'instantiation_level_1', 'instantiation_level_2'}
    ext = fl.ext_cps['virtual_link_external']
    assert (ext.cp, ext.kind, ext.vdu) == ('CP1', 'VduCp', 'VDU1')
    aspect = fl.aspects['worker_instance']
    assert (aspect.max_scale_level, aspect.vdu_deltas) == (2, {'VDU2': {'delta_1': 1}})
    assert fl.initial_deltas == {'VDU2': 1}
    assert list(fl.levels) == ['instantiation_level_1', 'instantiation_level_2']
    assert fl.default_level == 'instantiation_level_1'
    assert fl.vdu_instances_for_level() == {'VDU1': 1, 'VDU2': 1}
    assert fl.vdu_instances_for_level('instantiation_level_2') == {'VDU1': 1, 'VDU2': 3}
    assert fl.scale_levels_for_level('instantiation_level_2') == {'worker_instance': 2}
    assert fl.vdu_instances_for_scale({'worker_instance': 1}) == {'VDU1': 1, 'VDU2': 2}
    assert fl.check_scale_levels({'worker_instance': 3}) == "aspect 'worker_instance' level 3 is out of range 0..2"
    assert 'instantiate' in fl.lcm_operations and 'scale' not in fl.lcm_operations
    assert fl.affinity_rules == []


def test_getting_started():
    pkg = read_package(sample('getting_started'))
    fl = pkg.vnfd.flavour('simple')
    assert list(fl.vdus) == ['VDU1'] and fl.vdus['VDU1'].compute.disk_gb == 1
    assert fl.cps['CP1'].virtual_link == 'internalVL1'
    assert fl.virtual_links['internalVL1'].cidr == '10.0.0.0/24'
    assert fl.ext_cps == {}  # virtual_link_external: [] maps nothing
    assert fl.aspects == {} and fl.levels == {} and fl.default_level is None
    assert fl.vdu_instances_for_level() == {'VDU1': 1}
    assert fl.check_level('instantiation_level_1') == "instantiation level 'instantiation_level_1' is not defined in flavour 'simple' (levels: none)"


def test_practical():
    pkg = read_package(sample('practical'))
    vnfd = pkg.vnfd
    assert vnfd.descriptor_id == '75aaa9fa-9c79-dcf5-bda2-5b98a08c9f54'  # the node's value wins over the type default
    assert (vnfd.provider, vnfd.product_name, vnfd.software_version) == ('Sample', 'Node', '10.1')
    assert list(vnfd.flavours) == ['ha', 'scalable']
    ha, scalable = vnfd.flavours['ha'], vnfd.flavours['scalable']
    assert (ha.description, scalable.description) == ('ha', 'scalable')
    assert list(ha.vdus) == ['VDU_0', 'VDU_1'] and list(scalable.vdus) == ['VDU_0', 'VDU_1', 'VDU_2']
    assert ha.virtual_links['VDU_intnet0'].dhcp_enabled is True
    assert {n: (e.kind, e.cp, e.virtual_link) for n, e in ha.ext_cps.items()} == {
        'VDU0_extnet': ('VnfExtCp', 'VDU0_extCP0', 'VDU_intnet0'), 'VDU1_extnet': ('VnfExtCp', 'VDU1_extCP0', 'VDU_intnet0'),
        'VDU_extnet': ('VnfExtCp', 'VDU_extvCP', 'VDU_intnet0'), 'RT_extnet': ('VnfExtCp', 'RT_extCP', 'VDU_intnet0')}
    assert [(r.kind, r.scope, r.members) for r in ha.affinity_rules] == [('anti-affinity', 'nfvi_node', ['VDU_0', 'VDU_1'])]
    assert scalable.affinity_rules[0].members == ['VDU_0', 'VDU_1', 'VDU_2']
    assert ha.aspects == {} and ha.levels == {}
    assert scalable.vdus['VDU_2'].min_instances == 0
    assert scalable.vdus['VDU_0'].cps == ['VDU0_CP0', 'VDU0_CP1']
    assert scalable.ext_cps['VDU2_extnet'].vdu == 'VDU_2'
    assert scalable.aspects['VDU_2'].max_scale_level == 1
    assert scalable.default_level is None  # two levels, none declared default
    assert scalable.vdu_instances_for_level() == {'VDU_0': 1, 'VDU_1': 1, 'VDU_2': 0}
    assert scalable.vdu_instances_for_level('r-node-max') == {'VDU_0': 1, 'VDU_1': 1, 'VDU_2': 1}
    assert scalable.vdu_instances_for_scale({'VDU_2': 1}) == {'VDU_0': 1, 'VDU_1': 1, 'VDU_2': 1}
    assert set(scalable.lcm_operations) >= {'scale', 'heal', 'instantiate', 'terminate'}
    assert scalable.vdus['VDU_0'].sw_image.size_gb == 2  # 1869 MB
    assert scalable.vdus['VDU_0'].compute.requested_additional_capabilities['properties']['requested_additional_capability_name'] == 'sample_flavor'


def test_v2_basic_min_without_etsi_type_files():
    assert not os.path.exists(os.path.join(sample('v2_basic_min'), 'Definitions', 'etsi_nfv_sol001_vnfd_types.yaml'))
    fl = read_package(sample('v2_basic_min')).vnfd.flavour('simple')
    assert list(fl.vdus) == ['VDU1', 'VDU2']
    assert (fl.vdus['VDU1'].min_instances, fl.vdus['VDU1'].max_instances) == (1, 3)
    assert fl.vdus['VDU1'].sw_image.checksum == {'algorithm': 'sha-256', 'hash': '932fcae93574e242dc3d772d5235061747dfe537668443a1f0567d893614b464'}
    assert (fl.vdus['VDU1'].sw_image.size_gb, fl.vdus['VDU1'].sw_image.min_ram_mb) == (12, 256)
    assert fl.vdu_instances_for_level('instantiation_level_2') == {'VDU1': 3, 'VDU2': 1}
    assert fl.vdu_instances_for_scale({'VDU1_scale': 2}) == {'VDU1': 3, 'VDU2': 1}
    assert fl.check_scale_levels({'VDU1_scale': 4}) == "aspect 'VDU1_scale' level 4 is out of range 0..2"
    assert [(r.kind, r.members) for r in fl.affinity_rules] == [('affinity', ['VDU1', 'VDU2'])]
    assert fl.lcm_operations['instantiate_start'] == 'sample-script'
    assert fl.artifacts['sample-script'].file == 'Scripts/sample_script.py'


@pytest.mark.parametrize('name', VALID)
def test_zip_reads_like_directory(name, tmp_path):
    from_dir = package_to_dict(read_package(sample(name)))
    from_zip = package_to_dict(read_package(make_zip(sample(name), tmp_path / ('%s.csar' % name))))
    assert from_zip == from_dir
    json.dumps(from_dir)  # plain data, ready for an Ansible return value


def test_package_to_dict_shape():
    d = package_to_dict(read_package(sample('helloworld3')))
    for key in ('vnfd_id', 'vnfd_version', 'provider', 'product_name', 'software_version', 'vnfm_info', 'flavours', 'manifest', 'images'):
        assert key in d
    fl = d['flavours'][0]
    vdu2 = fl['vdus'][1]
    assert {k: vdu2[k] for k in ('name', 'min_instances', 'max_instances', 'vcpus', 'memory_mb', 'disk_gb', 'sw_image', 'storage')} == {
        'name': 'VDU2', 'min_instances': 1, 'max_instances': 3, 'vcpus': 1, 'memory_mb': 512, 'disk_gb': 3, 'sw_image': None,
        'storage': ['VirtualStorage']}
    assert [cp['name'] for cp in fl['vdus'][0]['cps']] == ['CP1', 'CP2']
    assert fl['vdus'][0]['sw_image']['file'] == 'Files/images/cirros-0.5.2-x86_64-disk.img'
    assert fl['aspects'] == [{'id': 'worker_instance', 'name': 'worker_instance_aspect', 'description': 'worker_instance scaling aspect',
                              'max_scale_level': 2, 'step_deltas': ['delta_1', 'delta_1'], 'deltas': {'VDU2': {'delta_1': 1}},
                              'usable': True, 'problem': None}]
    assert fl['instantiation_levels'] == [
        {'id': 'instantiation_level_1', 'description': 'Smallest size', 'default': True, 'usable': True, 'problem': None,
         'vdu_instances': {'VDU1': 1, 'VDU2': 1}, 'scale_levels': {'worker_instance': 0}},
        {'id': 'instantiation_level_2', 'description': 'Largest size', 'default': False, 'usable': True, 'problem': None,
         'vdu_instances': {'VDU1': 1, 'VDU2': 3}, 'scale_levels': {'worker_instance': 2}}]
    assert fl['unusable'] == {'levels': {}, 'aspects': {}, 'ext_cps': {}}
    assert d['manifest'] == {'present': False, 'file': None, 'ok': True, 'problems': [], 'checked': []}
    assert (d['format'], d['sol001_version'], d['warnings'], d['unusable_flavours']) == ('sol001', '2.6.1', [], {})
    assert [(i['name'], i['used_by']) for i in d['images']] == [('Software of VDU1', ['simple/VDU1']), ('VirtualStorage', ['simple/VirtualStorage'])]


# ---------------------------------------------------------------------------------------------------------------
# invalid samples and crafted errors

def test_invalid_instantiation_level():
    with pytest.raises(PackageError) as err:
        read_package(sample('invalid/invalid_instantiation_level'))
    assert str(err.value) == (
        "Definitions/tosca_with_vdus.yaml: topology_template.policies[2] VDU1_instantiation_levels: level 'instantiation_level_3' "
        "is not defined in the InstantiationLevels of flavour 'simple' (levels: instantiation_level_1, instantiation_level_2)")


def test_without_flavour_info():
    with pytest.raises(PackageError) as err:
        read_package(sample('invalid/without_flavour_info'))
    assert str(err.value) == ('Definitions/tosca_with_vdus.yaml: topology_template.substitution_mappings: '
                              'properties.flavour_id is missing: every deployment flavour needs a flavour_id')


@pytest.mark.parametrize('name', INVALID)
def test_invalid_samples_refused_as_zip(name, tmp_path):
    with pytest.raises(PackageError, match='Definitions/tosca_with_vdus.yaml: topology_template'):
        read_package(make_zip(sample(name), tmp_path / 'p.zip'))


BROKEN = [
    # (file, old text, new text, expected message (substring))
    (DF, '    VDU2:\n      type:', '    VDU2:\n\ttype:',
     "Definitions/helloworld3_df_simple.yaml: malformed YAML at line 116, column 1: found character"),
    (DF, 'type: tosca.nodes.nfv.VnfVirtualLink', 'type: vendor.nodes.Magic',
     "Definitions/helloworld3_df_simple.yaml: topology_template.node_templates.internalVL2.type: unknown node type 'vendor.nodes.Magic' "
     "(not a standard ETSI SOL001 type and not defined in the package)"),
    ('Definitions/helloworld3_types.yaml', 'derived_from: tosca.nodes.nfv.VNF', 'derived_from: vendor.nodes.BaseVNF',
     "Definitions/helloworld3_types.yaml: node_types.company.provider.VNF.derived_from: unknown node type 'vendor.nodes.BaseVNF'"),
    (DF, 'default_level: instantiation_level_1', 'default_level: l3',
     "Definitions/helloworld3_df_simple.yaml: topology_template.policies[3] instantiation_levels: default_level 'l3' is not a defined level "
     "(levels: instantiation_level_1, instantiation_level_2)"),
    # read leniently instead (test_lenient.py): a level over a vdu_profile, a scale_level over max_scale_level, a
    # requirement naming no CP, a flavour file the top file does not import
    (DF, 'targets: [ VDU1 ]', 'targets: [ VDU9 ]',
     "Definitions/helloworld3_df_simple.yaml: topology_template.policies[4] VDU1_instantiation_levels.targets[0]: "
     "'VDU9' is not a VDU of flavour 'simple'"),
    (DF, 'targets: [ VDU1 ]', 'targets: [ internalVL2 ]', "'internalVL2' is not a VDU of flavour 'simple'"),
    (DF, 'aspect: worker_instance', 'aspect: workers',
     "topology_template.policies[2] VDU2_scaling_aspect_deltas.properties.aspect: aspect 'workers' is not defined"),
    (DF, 'virtual_mem_size: 512 MB', 'virtual_mem_size: 512 MBytes',
     "Definitions/helloworld3_df_simple.yaml: topology_template.node_templates.VDU1.capabilities.virtual_compute.properties."
     "virtual_memory.virtual_mem_size: '512 MBytes' is not a size"),
    (DF, 'size_of_storage: 3 GB\n          rdma', 'size_of_storage: 3\n          rdma',
     "node_templates.VirtualStorage.properties.virtual_block_storage_data.size_of_storage: 3 is not a size"),
    (DF, 'max_number_of_instances: 3', 'max_number_of_instances: many',
     "node_templates.VDU2.properties.vdu_profile.max_number_of_instances: must be a non-negative integer, not 'many'"),
    (DF, 'virtual_binding: VDU2', 'virtual_binding: VDU7', "node_templates.CP3.requirements[0].virtual_binding: 'VDU7' is not a VDU"),
    (DF, 'virtual_link: internalVL2\n\n    CP3', 'virtual_link: VDU2\n\n    CP3',
     "node_templates.CP2.requirements[1].virtual_link: 'VDU2' is not a virtual link"),
    (DF, 'flavour_id: simple', 'flavour_id: { get_input: flavour_id }', 'properties.flavour_id is missing'),
    (DF, 'node_type: company.provider.VNF', 'node_type: tosca.nodes.nfv.VduCp',
     "substitution_mappings.node_type: 'tosca.nodes.nfv.VduCp' is not derived from tosca.nodes.nfv.VNF"),
    (DF, '        vdu_profile:\n          min_number_of_instances: 1\n          max_number_of_instances: 3\n', '',
     'node_templates.VDU2.properties: vdu_profile is missing'),
    ('Definitions/helloworld3_top.vnfd.yaml', '  - helloworld3_df_simple.yaml', '  - flavours/df.yaml',
     "Definitions/helloworld3_top.vnfd.yaml: imports[3]: 'flavours/df.yaml' is not in the package (looked for Definitions/flavours/df.yaml)"),
    ('Definitions/helloworld3_top.vnfd.yaml', '  - helloworld3_df_simple.yaml', '  - ../../outside.yaml',
     "imports[3]: '../../outside.yaml' leaves the package root"),
    ('Definitions/helloworld3_top.vnfd.yaml', '  - helloworld3_df_simple.yaml', '  - https://example.com/df.yaml',
     'imports[3]: cannot import \'https://example.com/df.yaml\': remote imports are not supported'),
    ('Definitions/helloworld3_top.vnfd.yaml', 'descriptor_id: b1bb0ce7-ebca-4fa7-95ed-4840d70a1177', 'descriptor_id: []',
     'node_templates.VNF.properties.descriptor_id: must be a string, not list'),
    ('TOSCA-Metadata/TOSCA.meta', 'Entry-Definitions: Definitions/helloworld3_top.vnfd.yaml', 'Entry-Definitions: Definitions/top.yaml',
     "TOSCA-Metadata/TOSCA.meta: Entry-Definitions 'Definitions/top.yaml' is not in the package"),
    ('TOSCA-Metadata/TOSCA.meta', 'Entry-Definitions: Definitions/helloworld3_top.vnfd.yaml', 'Entry: x',
     'TOSCA-Metadata/TOSCA.meta: Entry-Definitions is missing'),
    ('TOSCA-Metadata/TOSCA.meta', 'Entry-Definitions: Definitions/helloworld3_top.vnfd.yaml', 'Entry-Definitions: ../x.yaml',
     "TOSCA-Metadata/TOSCA.meta: Entry-Definitions '../x.yaml' leaves the package root"),
    ('TOSCA-Metadata/TOSCA.meta', 'Created-by: Dummy User', 'Created-by Dummy User',
     "TOSCA-Metadata/TOSCA.meta: line 2: expected 'Name: value'"),
]


@pytest.mark.parametrize('path,old,new,message', BROKEN, ids=[b[3][:60] for b in BROKEN])
def test_broken_package_refused(hw3, tmp_path, path, old, new, message):
    hw3.edit(path, old, new)
    for src in (str(hw3), make_zip(hw3, tmp_path / 'p.zip')):
        with pytest.raises(PackageError) as err:
            read_package(src)
        assert message in str(err.value)


def test_duplicate_flavour_refused(hw3):
    shutil.copy(hw3 / DF, hw3 / 'Definitions/df2.yaml')
    hw3.edit('Definitions/helloworld3_top.vnfd.yaml', '  - helloworld3_df_simple.yaml', '  - helloworld3_df_simple.yaml\n  - df2.yaml')
    with pytest.raises(PackageError, match="Definitions/df2.yaml: topology_template.substitution_mappings.properties.flavour_id: "
                                           "flavour 'simple' is also defined in Definitions/helloworld3_df_simple.yaml"):
        read_package(str(hw3))


def test_type_loop_refused(hw3):
    hw3.edit('Definitions/helloworld3_types.yaml', 'derived_from: tosca.nodes.nfv.VNF', 'derived_from: company.provider.VNF')
    with pytest.raises(PackageError, match='node_types.company.provider.VNF: derived_from loops: company.provider.VNF -> company.provider.VNF'):
        read_package(str(hw3))


def test_vendor_types_derived_in_chain(hw3):
    hw3.edit('Definitions/helloworld3_types.yaml', 'node_types:\n', 'node_types:\n  vendor.Compute:\n    derived_from: tosca.nodes.nfv.Vdu.Compute\n'
                                                                    '  vendor.BigCompute:\n    derived_from: vendor.Compute\n')
    hw3.edit(DF, '    VDU2:\n      type: tosca.nodes.nfv.Vdu.Compute', '    VDU2:\n      type: vendor.BigCompute')
    assert list(read_package(str(hw3)).vnfd.flavour('simple').vdus) == ['VDU1', 'VDU2']


def test_not_a_package(tmp_path):
    (tmp_path / 'file.csar').write_bytes(b'not a zip')
    with pytest.raises(PackageError, match='file.csar: neither a directory nor a zip'):
        read_package(str(tmp_path / 'file.csar'))
    with pytest.raises(PackageError, match='missing.zip: no such file or directory'):
        read_package(str(tmp_path / 'missing.zip'))
    (tmp_path / 'empty').mkdir()
    with pytest.raises(PackageError, match='no TOSCA-Metadata/TOSCA.meta and no YAML file at its root'):
        read_package(str(tmp_path / 'empty'))


@pytest.mark.parametrize('member', ['../evil.yaml', 'Definitions/../../evil.yaml', '/etc/evil.yaml', 'C:/evil.yaml', '..\\evil.yaml'])
def test_zip_slip_refused(tmp_path, member):
    src = make_zip(sample('helloworld3'), tmp_path / 'p.zip', {member: b'x'})
    with pytest.raises(PackageError, match="zip member '.*' escapes the package root"):
        read_package(src)


def test_zip_symlink_refused(tmp_path):
    link = zipfile.ZipInfo('Definitions/link.yaml')
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    src = str(tmp_path / 'p.zip')
    make_zip(sample('helloworld3'), src)
    with zipfile.ZipFile(src, 'a') as zf:
        zf.writestr(link, '/etc/passwd')
    with pytest.raises(PackageError, match="p.zip: zip member 'Definitions/link.yaml' is a symbolic link"):
        read_package(src)


def test_directory_symlink_leaving_root_refused(hw3, tmp_path):
    (tmp_path / 'secret.yaml').write_text('x: 1\n')
    os.symlink(tmp_path / 'secret.yaml', hw3 / 'Definitions' / 'secret.yaml')
    with pytest.raises(PackageError, match=r'Definitions/secret.yaml: symbolic link leaves the package root'):
        read_package(str(hw3))


def test_directory_symlink_inside_root_allowed(hw3):
    os.symlink('helloworld3_types.yaml', hw3 / 'Definitions' / 'alias.yaml')
    assert read_package(str(hw3)).vnfd.descriptor_id


def test_csar_without_tosca_metadata(tmp_path):
    """SOL004 CSAR form: one YAML at the root, its metadata block instead of TOSCA.meta."""
    root = tmp_path / 'pkg'
    shutil.copytree(sample('helloworld3') + '/Definitions', root / 'Definitions')
    top = (root / 'Definitions/helloworld3_top.vnfd.yaml').read_text()
    (root / 'Definitions/helloworld3_top.vnfd.yaml').unlink()
    top = top.replace('  - helloworld3_', '  - Definitions/helloworld3_').replace(
        'description: Sample VNF.', 'description: Sample VNF.\nmetadata:\n  template_name: hw3\n  template_author: me\n  template_version: 1.0\n')
    (root / 'hw3.yaml').write_text(top)
    for src in (str(root), make_zip(root, tmp_path / 'hw3.zip')):
        pkg = read_package(src)
        assert pkg.entry_definitions == 'hw3.yaml'
        assert pkg.meta == {'template_name': 'hw3', 'template_author': 'me', 'template_version': '1.0'}
        assert list(pkg.vnfd.flavour('simple').vdus) == ['VDU1', 'VDU2']
    (root / 'other.yml').write_text('x: 1\n')
    with pytest.raises(PackageError, match=r'no TOSCA-Metadata/TOSCA.meta and several YAML files at its root \(hw3.yaml, other.yml\)'):
        read_package(str(root))


def test_single_file_vnfd(tmp_path):
    """A VNFD whose entry topology is the flavour (VNF node with a literal flavour_id, no substitution_mappings)."""
    root = tmp_path / 'pkg'
    (root / 'TOSCA-Metadata').mkdir(parents=True)
    (root / 'TOSCA-Metadata/TOSCA.meta').write_text('TOSCA-Meta-File-Version: 1.0\nEntry-Definitions: vnfd.yaml\n')
    (root / 'vnfd.yaml').write_text(yaml.safe_dump({
        'tosca_definitions_version': 'tosca_simple_yaml_1_3',
        'imports': ['https://forge.etsi.org/rep/nfv/SOL001/raw/v4.3.1/etsi_nfv_sol001_vnfd_types.yaml'],
        'topology_template': {'node_templates': {
            'vnf': {'type': 'tosca.nodes.nfv.VNF', 'properties': {
                'descriptor_id': 'd1', 'descriptor_version': 1.0, 'provider': 'P', 'product_name': 'N', 'software_version': '2',
                'vnfm_info': ['x'], 'flavour_id': 'small', 'flavour_description': 'Small'}},
            'web': {'type': 'tosca.nodes.nfv.Vdu.Compute', 'properties': {
                'vdu_profile': {'min_number_of_instances': 2, 'max_number_of_instances': 4}},
                'capabilities': {'virtual_compute': {'properties': {
                    'virtual_cpu': {'num_virtual_cpu': 2}, 'virtual_memory': {'virtual_mem_size': '1 GiB'},
                    'virtual_local_storage': [{'size_of_storage': '10 GiB'}, {'size_of_storage': '1.5 GB'}]}}}},
        }}}))
    pkg = read_package(str(root))
    assert (pkg.vnfd.descriptor_id, pkg.vnfd.descriptor_version) == ('d1', '1.0')
    fl = pkg.vnfd.flavour('small')
    assert fl.description == 'Small'
    web = fl.vdus['web'].compute
    assert (web.vcpus, web.memory_mb, web.disk_gb, web.local_storage_gb) == (2, 1024, 10, [10, 2])
    assert fl.vdu_instances_for_level() == {'web': 2}
    with pytest.raises(ValueError, match="flavour 'big' is not defined in VNFD d1 \\(flavours: small\\)"):
        pkg.vnfd.flavour('big')


# ---------------------------------------------------------------------------------------------------------------
# manifest

def write_manifest(root, entries, algorithm='SHA-256', name='hw3.mf'):
    lines = ['metadata:', '  vnf_product_name: Sample VNF', '  vnf_provider_id: Company', '  vnf_package_version: 1.0', '']
    for path, digest in entries:
        lines += ['Source: %s' % path, 'Algorithm: %s' % algorithm, 'Hash: %s' % digest, '']
    (root / name).write_text('\n'.join(lines))


def digest(path, algorithm='sha256'):
    return hashlib.new(algorithm, path.read_bytes()).hexdigest()


@pytest.mark.parametrize('algorithm', ['SHA-256', 'SHA-384', 'SHA-512'])
def test_manifest_good(hw3, tmp_path, algorithm):
    files = ['Definitions/helloworld3_top.vnfd.yaml', DF, 'TOSCA-Metadata/TOSCA.meta']
    algo = algorithm.lower().replace('-', '')
    write_manifest(hw3, [(f, digest(hw3 / f, algo)) for f in files], algorithm)
    for src in (str(hw3), make_zip(hw3, tmp_path / 'p.zip')):
        manifest = package_to_dict(read_package(src))['manifest']
        assert manifest == {'present': True, 'file': 'hw3.mf', 'ok': True, 'problems': [],
                            'checked': [{'file': f, 'algorithm': algorithm, 'ok': True, 'error': None, 'note': None} for f in files]}


def test_manifest_named_by_tosca_meta(hw3):
    (hw3 / 'Other').mkdir()
    write_manifest(hw3 / 'Other', [(DF, digest(hw3 / DF))], name='x.mf')
    hw3.edit('TOSCA-Metadata/TOSCA.meta', 'CSAR-Version: 1.1', 'CSAR-Version: 1.1\nETSI-Entry-Manifest: Other/x.mf\nETSI-Entry-Change-Log: ChangeLog.txt')
    pkg = read_package(str(hw3))
    assert pkg.manifest.file == 'Other/x.mf' and pkg.manifest.ok
    assert pkg.manifest.metadata['vnf_provider_id'] == 'Company'
    assert pkg.meta['ETSI-Entry-Change-Log'] == 'ChangeLog.txt'
    hw3.edit('TOSCA-Metadata/TOSCA.meta', 'Other/x.mf', 'Other/y.mf')
    with pytest.raises(PackageError, match="TOSCA-Metadata/TOSCA.meta: ETSI-Entry-Manifest 'Other/y.mf' is not in the package"):
        read_package(str(hw3))


def test_manifest_bad_hash_and_missing_file(hw3, tmp_path):
    write_manifest(hw3, [(DF, '0' * 64), ('Definitions/helloworld3_types.yaml', digest(hw3 / 'Definitions/helloworld3_types.yaml')),
                         ('Files/images/cirros.img', '1' * 64)])
    for src in (str(hw3), make_zip(hw3, tmp_path / 'p.zip')):
        with pytest.raises(PackageError) as err:
            read_package(src)
        assert str(err.value).startswith('hw3.mf: Definitions/helloworld3_df_simple.yaml: line 6: SHA-256 hash mismatch: manifest has 000')
        assert 'hw3.mf: Files/images/cirros.img: line 14: listed in the manifest but not in the package' in str(err.value)
        assert 'helloworld3_types.yaml' not in str(err.value)
        manifest = read_package(src, strict_manifest=False).manifest
        assert [(e.file, e.ok) for e in manifest.checked] == [(DF, False), ('Definitions/helloworld3_types.yaml', True), ('Files/images/cirros.img', False)]
        assert manifest.ok is False


def test_manifest_unsupported_algorithm(hw3):
    write_manifest(hw3, [(DF, 'abc')], algorithm='MD5')
    with pytest.raises(PackageError, match="hw3.mf: Definitions/helloworld3_df_simple.yaml: line 6: unsupported Algorithm 'MD5'"):
        read_package(str(hw3))


def test_manifest_stops_at_signature_and_non_mano(hw3):
    write_manifest(hw3, [(DF, digest(hw3 / DF))])
    with open(hw3 / 'hw3.mf', 'a') as f:
        f.write('non_mano_artifact_sets:\n  onap_ves_events:\n    Source: Artifacts/ves.yaml\n'
                '-----BEGIN CMS-----\nSource: nothing\n-----END CMS-----\n')
    assert [e.file for e in read_package(str(hw3)).manifest.checked] == [DF]


def test_several_root_manifests_refused(hw3):
    write_manifest(hw3, [], name='a.mf')
    write_manifest(hw3, [], name='b.mf')
    with pytest.raises(PackageError, match=r'several manifests at the package root \(a.mf, b.mf\)'):
        read_package(str(hw3))


def test_member_access(hw3, tmp_path):
    (hw3 / 'Files/images').mkdir(parents=True)
    (hw3 / 'Files/images/cirros-0.5.2-x86_64-disk.img').write_bytes(b'tiny image')
    expected = hashlib.sha512(b'tiny image').hexdigest()
    for src in (str(hw3), make_zip(hw3, tmp_path / 'p.zip')):
        pkg = read_package(src)
        image = pkg.vnfd.flavour('simple').vdus['VDU1'].sw_image
        assert image.carried is True
        assert checksum_of(src, image.file, image.checksum['algorithm']) == expected
        with open_member(src, image.file) as f:
            assert f.read() == b'tiny image'
        with pytest.raises(PackageError, match='Files/nothing is not in the package'):
            with open_member(src, 'Files/nothing'):
                pass


# ---------------------------------------------------------------------------------------------------------------
# robustness, imports

def _mutations(data, path=()):
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return
    for key, value in items:
        yield path + (key,)
        yield from _mutations(value, path + (key,))


@pytest.mark.parametrize('path', [DF, 'Definitions/helloworld3_top.vnfd.yaml', 'Definitions/helloworld3_types.yaml'])
def test_wrong_shapes_never_traceback(hw3, path):
    """Replace every value of a definitions file in turn with values of the wrong shape: PackageError or success, nothing else."""
    original = json.dumps(yaml.safe_load((hw3 / path).read_text()))
    tried = 0
    for where in _mutations(json.loads(original)):
        for bad in (None, 'text', -1, [1, 'a'], {'k': 'v'}):
            data = json.loads(original)
            target = data
            for key in where[:-1]:
                target = target[key]
            target[where[-1]] = bad
            (hw3 / path).write_text(json.dumps(data))  # JSON is YAML
            tried += 1
            try:
                read_package(str(hw3))
            except PackageError:
                pass
    assert tried > 100


def test_reading_imports_neither_ansible_nor_openstack():
    code = (
        'import sys\n'
        'sys.path.insert(0, %r)\n'
        'from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package\n'
        'from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import package_to_dict\n'
        'package_to_dict(read_package(%r))\n'
        'bad = sorted(m for m in sys.modules if m.split(".")[0] in ("ansible", "openstack", "keystoneauth1"))\n'
        'assert not bad, bad\n'
    ) % (next(p for p in sys.path if p.endswith(os.path.join('.build', 'pytest'))), sample('helloworld3'))
    subprocess.run([sys.executable, '-c', code], check=True)
