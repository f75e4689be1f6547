# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 14, item 5: SOL006 (OSM) VNFDs and NSDs read into the same models as SOL001 ones.

The ETSI examples of ../shared/samples/sol006/example-data are XML: ``xml_to_data`` turns them into the JSON form
(RFC 7951: YANG lists and leaf-lists -> arrays, following the YANG modules of ../shared/samples/sol006/yang, read
by the small ``Yang`` schema-tree reader below), and they are read as JSON and as YAML packages. Our own SOL006 VNFD
(tests/data/sol006/v2_basic_min_vnf) mirrors tests/data/vnf_packages/v2_basic_min and reads the same, as a directory
and as a tar.gz; the planner instantiates and scales it. Hostile packages are refused in one line.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import tarfile
import xml.etree.ElementTree as ET

import pytest
import yaml

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import NfvoError, PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.base.notes import collect
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import build_request
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import target_counts
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.scale import scale_levels_after
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import sol006_schema
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import package_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_model import ASPECT_LEVEL, SAP, VIRTUAL_LINK, nsd_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_reader import read_nsd
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..', '..'))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared', 'samples', 'sol006')
if not os.path.isdir(SHARED):  # a worktree beside the main checkout: the same shared/ as the main one
    SHARED = os.path.join(os.path.dirname(os.path.dirname(ROOT)), 'shared', 'samples', 'sol006')
YANG_DIR = os.path.join(SHARED, 'yang')
EXAMPLES = os.path.join(SHARED, 'example-data')
TWIN = os.path.join(ROOT, 'tests', 'data', 'sol006', 'v2_basic_min_vnf')
SOL001_TWIN = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
needs_shared = pytest.mark.skipif(not os.path.isdir(YANG_DIR), reason='../shared/samples/sol006 is not beside the checkout')


# ---------------------------------------------------------------------------------------------------------------
# a small YANG schema-tree reader: data nodes (leaf, leaf-list, list, container), groupings and uses expanded,
# choice / case transparent (augment, deviation, when, must are not needed to walk the ETSI modules)

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|//[^\n]*|/\*.*?\*/|[{};]|[^\s{};"\']+', re.S)
_DATA = ('leaf', 'leaf-list', 'list', 'container', 'anydata', 'anyxml')


class Yang:
    def __init__(self, folder):
        self.groupings, self.modules = {}, {}
        for name in sorted(os.listdir(folder)):
            if name.endswith('.yang'):
                with open(os.path.join(folder, name), encoding='utf-8') as f:
                    [(_kw, module, body)] = self._parse(f.read())
                self.modules[module] = body
                self.groupings.update((arg, kids) for kw, arg, kids in body if kw == 'grouping')

    @staticmethod
    def _parse(text):
        tokens = [t for t in _TOKEN.findall(text) if not t.startswith(('//', '/*'))]
        pos = 0

        def block():
            nonlocal pos
            out = []
            while pos < len(tokens) and tokens[pos] != '}':
                words = []
                while tokens[pos] not in ('{', ';'):
                    words.append(tokens[pos])
                    pos += 1
                pos += 1
                kids = block() if tokens[pos - 1] == '{' else []
                out.append((words[0], ' '.join(words[1:]).strip('"'), kids))
            pos += 1
            return out
        return block()

    def children(self, stmts):
        """{name: (keyword, statements)} of the data children of a node."""
        out = {}
        for kw, arg, kids in stmts:
            if kw in _DATA:
                out[arg] = (kw, kids)
            elif kw in ('choice', 'case'):
                out.update(self.children(kids))
            elif kw == 'uses':
                out.update(self.children(self.groupings[arg.split(':')[-1]]))
        return out

    def node(self, module, path):
        kind, stmts = 'module', self.modules[module]
        for part in path:
            kind, stmts = self.children(stmts)[part]
        return kind, stmts

    def revisions(self):
        return sorted({arg for body in self.modules.values() for kw, arg, _kids in body if kw == 'revision'})


def xml_to_data(element, yang, stmts):
    """An XML instance document (ElementTree element) -> JSON-form data: lists and leaf-lists as arrays."""
    kids = yang.children(stmts)
    out = {}
    for child in element:
        name = child.tag.split('}')[-1]
        kind, sub = kids[name]
        value = xml_to_data(child, yang, sub) if kind in ('list', 'container') else (child.text or '').strip()
        if kind in ('list', 'leaf-list'):
            out.setdefault(name, []).append(value)
        else:
            out[name] = value
    return out


@pytest.fixture(scope='module')
def yang():
    return Yang(YANG_DIR)


def example(yang, name):
    """The JSON form of an example-data file: {'etsi-nfv-vnfd:vnfd': ...} or {'etsi-nfv-descriptors:nfv': ...}."""
    root = ET.parse(os.path.join(EXAMPLES, name)).getroot()
    top = root.tag.split('}')[-1]
    module = 'etsi-nfv-vnfd' if top == 'vnfd' else 'etsi-nfv-descriptors'
    _kind, stmts = yang.node(module, [top])
    return {'%s:%s' % (module, top): xml_to_data(root, yang, stmts)}


def write_package(folder, doc, name='vnfd.yaml', files=None):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'w', encoding='utf-8') as f:
        if name.endswith('.json'):
            json.dump(doc, f, indent=1)
        else:
            yaml.safe_dump(doc, f, sort_keys=False)
    for path, text in (files or {}).items():
        os.makedirs(os.path.dirname(os.path.join(folder, path)), exist_ok=True)
        with open(os.path.join(folder, path), 'w', encoding='utf-8') as f:
            f.write(text)
    return str(folder)


def tar_gz(folder, dest, top='pkg'):
    with tarfile.open(dest, 'w:gz') as tf:
        tf.add(folder, arcname=top)
    return str(dest)


# ---------------------------------------------------------------------------------------------------------------
# the YANG model: the reader's tables follow it

@needs_shared
def test_known_keys_follow_the_yang_model(yang):
    places = {'vnfd': [], 'vdu': ['vdu'], 'int-cpd': ['vdu', 'int-cpd'], 'virtual-compute-desc': ['virtual-compute-desc'],
              'virtual-storage-desc': ['virtual-storage-desc'], 'sw-image-desc': ['sw-image-desc'],
              'int-virtual-link-desc': ['int-virtual-link-desc'], 'ext-cpd': ['ext-cpd'], 'df': ['df'],
              'vdu-profile': ['df', 'vdu-profile'], 'virtual-link-profile': ['df', 'virtual-link-profile'],
              'instantiation-level': ['df', 'instantiation-level'], 'scaling-aspect': ['df', 'scaling-aspect'],
              'deltas': ['df', 'scaling-aspect', 'aspect-delta-details', 'deltas'],
              'affinity-or-anti-affinity-group': ['df', 'affinity-or-anti-affinity-group']}
    assert set(places) == set(sol006_schema.KNOWN)
    for place, path in places.items():
        _kind, stmts = yang.node('etsi-nfv-vnfd', ['vnfd'] + path)
        assert sol006_schema.KNOWN[place] == frozenset(yang.children(stmts)), place
    for place, additions in sol006_schema.OSM.items():  # OSM's additions are not in the ETSI model
        assert not set(additions) & sol006_schema.KNOWN.get(place, frozenset()), place
    nsd = {'nsd': [], 'df': ['df'], 'vnf-profile': ['df', 'vnf-profile'], 'virtual-link-profile': ['df', 'virtual-link-profile'],
           'virtual-link-desc': ['virtual-link-desc'], 'sapd': ['sapd'], 'ns-instantiation-level': ['df', 'ns-instantiation-level'],
           'scaling-aspect': ['df', 'scaling-aspect']}
    assert set(nsd) == set(sol006_schema.NSD_KNOWN)
    for place, path in nsd.items():
        _kind, stmts = yang.node('etsi-nfv-nsd', ['nsd', 'nsd'] + path)
        assert sol006_schema.NSD_KNOWN[place] == frozenset(yang.children(stmts)), place
    assert sol006_schema.NEWEST == yang.revisions()[-1]
    assert set(yang.revisions()) <= set(sol006_schema.REVISIONS) | {'2019-04-25'}  # common / descriptors' first


# ---------------------------------------------------------------------------------------------------------------
# the ETSI examples, converted from XML

@needs_shared
@pytest.mark.parametrize('form', ['vnfd.json', 'vnfd.yaml'])
def test_example_nfv_vnfd(yang, tmp_path, form):
    pkg = read_package(write_package(tmp_path / 'asa', example(yang, 'nfv-vnfd.xml'), form))
    assert pkg.format == 'sol006' and pkg.sol006_revision == yang.revisions()[-1] and pkg.sol001_version is None
    vnfd = pkg.vnfd
    assert (vnfd.descriptor_id, vnfd.descriptor_version, vnfd.provider, vnfd.product_name, vnfd.software_version) == (
        'ASA', '9.8', 'My Company', 'My Company ASAv', '9.8')
    assert vnfd.vnfm_info == ['My Company Vnfm'] and list(vnfd.flavours) == ['normal']
    fl = vnfd.flavour('normal')
    [vdu] = fl.vdus.values()
    assert (vdu.name, vdu.display_name, vdu.min_instances, vdu.max_instances) == ('firewall', 'Firewall VDU', 1, 2)
    assert (vdu.compute.vcpus, vdu.compute.memory_mb, vdu.compute.disk_gb) == (2, 4096, 0)
    assert vdu.cps == ['inside', 'management', 'outside']
    assert all(fl.cps[cp].layer_protocols == ['ethernet'] and fl.cps[cp].virtual_link is None for cp in vdu.cps)
    assert vdu.storage == ['asa-vsd'] and fl.storage['asa-vsd'].kind == 'file' and fl.storage['asa-vsd'].size_gb == 0
    image = vdu.sw_image
    assert (image.name, image.version, image.checksum, image.container_format, image.disk_format) == (
        'ASA image', '1.1', {'algorithm': 'sha-224', 'hash': 'deadbeef'}, 'bare', 'qcow2')
    assert (image.min_disk_gb, image.min_ram_mb, image.size_gb, image.file, image.carried) == (
        0, 2048, 1, 'http://www.mycompany.com/asa.qcow2', False)
    assert fl.virtual_links == {}
    # its ext-cpds name neither an int-cpd nor a VL: each unusable, with a warning, the rest of the flavour is not
    assert fl.ext_cps == {} and sorted(fl.unusable['ext_cps']) == ['inside', 'management', 'outside']
    assert any('ext-cpd[0] inside: connects to neither' in w for w in pkg.warnings)
    assert list(fl.levels) == ['double', 'single'] and fl.default_level == 'single'
    assert fl.vdu_instances_for_level('double') == {'firewall': 2} and fl.vdu_instances_for_level(None) == {'firewall': 1}
    assert fl.aspects == {} and fl.affinity_rules == []
    assert 'lcm-operations-configuration' in fl.vnf_properties
    data = package_to_dict(pkg)
    assert data['format'] == 'sol006' and data['sol006_revision'] == sol006_schema.NEWEST
    assert json.loads(json.dumps(data)) == data


@needs_shared
def test_example_complex_vnfd(yang, tmp_path):
    pkg = read_package(write_package(tmp_path / 'c', example(yang, 'complex-vnfd.xml'), 'vnfd.json'))
    vnfd = pkg.vnfd
    assert vnfd.descriptor_id == 'complex-vnf' and list(vnfd.flavours) == ['gold', 'silver']
    gold = vnfd.flavour('gold')
    assert list(gold.vdus) == ['control-plane-active', 'control-plane-standby', 'data-plane']
    # CP ids shared by several VDUs of the df are named <vdu>_<id>; the others keep their id
    assert gold.vdus['control-plane-active'].cps == ['control-plane-active_internal', 'control-plane-active_mgmt']
    assert gold.vdus['data-plane'].cps == ['data-plane_internal', 'in', 'out']
    assert gold.cps['data-plane_internal'].virtual_link == 'internal-vl' and gold.cps['in'].virtual_link is None
    assert list(gold.virtual_links) == ['internal-vl', 'mgmt']
    assert gold.virtual_links['mgmt'].layer_protocols == ['ipv4']
    cp = gold.vdus['data-plane']
    assert (cp.compute.vcpus, cp.compute.memory_mb, cp.min_instances, cp.max_instances) == (16, 32768, 2, 8)
    assert cp.storage == ['root']
    root = gold.storage['root']
    assert (root.kind, root.size_gb, root.rdma_enabled, root.sw_image.name) == ('block', 10, True, 'CP')
    ext = gold.ext_cps
    assert (ext['in'].kind, ext['in'].cp, ext['in'].vdu) == ('VduCp', 'in', 'data-plane')
    assert (ext['mgmt'].kind, ext['mgmt'].cp, ext['mgmt'].virtual_link) == ('VnfExtCp', 'mgmt', 'mgmt')
    assert list(gold.levels) == ['il-1', 'il-2'] and gold.default_level == 'il-1'
    assert gold.vdu_instances_for_level('il-2') == {'control-plane-active': 1, 'control-plane-standby': 1, 'data-plane': 4}
    [rule] = gold.affinity_rules
    assert (rule.name, rule.kind, rule.scope, rule.members) == (
        'control-plane', 'anti-affinity', 'nfvi_node', ['control-plane-active', 'control-plane-standby'])
    silver = vnfd.flavour('silver')
    assert (silver.vdus['data-plane'].min_instances, silver.vdus['data-plane'].max_instances) == (1, 4)
    assert silver.vdu_instances_for_level('il-2')['data-plane'] == 2
    assert not any(gold.unusable.values()) and pkg.warnings == []


@needs_shared
def test_example_nfv_container(yang, tmp_path):
    doc = example(yang, 'nfv.xml')
    vnfds = doc['etsi-nfv-descriptors:nfv']['vnfd']
    assert [v['id'] for v in vnfds] == ['ASA', 'CSR']
    with pytest.raises(PackageError, match=r"etsi-nfv-descriptors:nfv.vnfd: holds 2 VNFDs: a package holds one$"):
        read_package(write_package(tmp_path / 'both', doc, 'nfv.json'))
    for vnfd in vnfds:
        pkg = read_package(write_package(tmp_path / vnfd['id'], {'nfv': {'vnfd': [vnfd]}}))
        fl = pkg.vnfd.flavour('normal')
        assert pkg.vnfd.descriptor_id == vnfd['id'] and len(fl.vdus) == 1 and list(fl.levels) == ['double', 'single']
        assert fl.vdu_instances_for_level('double') == {next(iter(fl.vdus)): 2}
    csr = read_package(str(tmp_path / 'CSR')).vnfd.flavour('normal')
    assert sorted(csr.ext_cps) == ['left', 'management', 'right'] and csr.ext_cps['left'].cp == 'left'


# ---------------------------------------------------------------------------------------------------------------
# our SOL006 twin of v2_basic_min

def _comparable(data):
    """package_to_dict without what only one format can say (format, versions, files, warnings, the SOL001
    sample's odd requested_additional_capabilities, its LCM scripts, the name of the affinity rule, and the bit rates
    of a VL per instantiation level, which the SOL006 YANG has no place for)."""
    for key in ('format', 'sol001_version', 'sol006_revision', 'entry_definitions', 'meta', 'manifest', 'warnings', 'signature'):
        data.pop(key)
    for fl in data['flavours']:
        for vdu in fl['vdus']:
            vdu.pop('requested_additional_capabilities')
        for key in ('lcm_operations', 'artifacts'):
            fl.pop(key)
        for rule in fl['affinity_rules']:
            rule.pop('name'), rule.pop('targets')
        for link in fl['virtual_links']:
            link.pop('bitrate_levels')
    return data


@pytest.mark.parametrize('as_tar', [False, True])
def test_twin_reads_as_its_sol001_twin(tmp_path, as_tar):
    src = tar_gz(TWIN, tmp_path / 'v2_basic_min_vnf.tar.gz', 'v2_basic_min_vnf') if as_tar else TWIN
    with collect() as noted:
        pkg = read_package(src)
    assert pkg.format == 'sol006' and pkg.sol006_revision == sol006_schema.NEWEST
    assert pkg.entry_definitions == 'v2_basic_min_vnfd.yaml' and 'cloud_init/cloud-config.txt' in pkg.files
    assert _comparable(package_to_dict(pkg)) == _comparable(package_to_dict(read_package(SOL001_TWIN)))
    # OSM's additions: the cloud-init file is the VDU's boot data, the charm configuration kept; one warning each
    fl = pkg.vnfd.flavour('simple')
    assert fl.vdus['VDU1'].boot_data == '#cloud-config\nhostname: vdu1\n' and fl.vdus['VDU2'].boot_data is None
    assert list(pkg.vnfd.properties['osm']) == ['vnfd.df[0] simple.lcm-operations-configuration.operate-vnf-op-config.day1-2']
    assert [w.split(': ')[1] for w in pkg.warnings] == [
        'vnfd.description', 'vnfd.vdu[0] VDU1.cloud-init-file', 'vnfd.df[0] simple.lcm-operations-configuration.operate-vnf-op-config.day1-2']
    assert all('OSM information-model addition' in w for w in pkg.warnings), pkg.warnings
    assert sorted(noted) == sorted(pkg.warnings)


def test_twin_plans_as_sol001():
    pkg = read_package(TWIN)
    for level, counts in ((None, {'VDU1': 1, 'VDU2': 1}), ('instantiation_level_2', {'VDU1': 3, 'VDU2': 1})):
        req, fl = build_request('p1', 'vnf1', pkg, 'simple', {'instantiation_level_id': level})
        assert target_counts(fl, req)[0] == counts
    fl = pkg.vnfd.flavour('simple')
    assert scale_levels_after(fl, {'VDU1_scale': 0}, 'VDU1_scale', 'scale_out', 2) == {'VDU1_scale': 2}
    assert fl.vdu_instances_for_scale({'VDU1_scale': 2}) == {'VDU1': 3, 'VDU2': 1}
    with pytest.raises(NfvoError, match='0..2'):
        scale_levels_after(fl, {'VDU1_scale': 2}, 'VDU1_scale', 'scale_out', 1)


# ---------------------------------------------------------------------------------------------------------------
# OSM packages as OSM writes them; what is read leniently

def osm_vnfd(**changes):
    """An OSM-style VNFD (as OSM's hackfest packages): storage without a type is the root disk, a PARAVIRT interface."""
    vnfd = {
        'id': 'osm-basic', 'version': '1.0', 'product-name': 'osm-basic', 'provider': 'OSM', 'mgmt-cp': 'vnf-mgmt-ext',
        'vdu': [{'id': 'VM', 'name': 'VM', 'cloud-init': '#cloud-config\n', 'virtual-compute-desc': 'VM-compute',
                 'virtual-storage-desc': ['VM-storage'], 'sw-image-desc': 'ubuntu',
                 'int-cpd': [{'id': 'eth0', 'virtual-network-interface-requirement': [
                     {'name': 'eth0', 'virtual-interface': {'type': 'PARAVIRT'}}]}]}],
        'virtual-compute-desc': [{'id': 'VM-compute', 'virtual-cpu': {'num-virtual-cpu': 1}, 'virtual-memory': {'size': 1.0}}],
        'virtual-storage-desc': [{'id': 'VM-storage', 'size-of-storage': 10}],
        'sw-image-desc': [{'id': 'ubuntu', 'image': 'ubuntu20.04', 'name': 'ubuntu20.04'}],
        'ext-cpd': [{'id': 'vnf-mgmt-ext', 'int-cpd': {'vdu-id': 'VM', 'cpd': 'eth0'}}],
        'df': [{'id': 'default-df',
                'vdu-profile': [{'id': 'VM', 'min-number-of-instances': 1, 'max-number-of-instances': 3}],
                'instantiation-level': [{'id': 'default', 'vdu-level': [{'vdu-id': 'VM', 'number-of-instances': 1}]}],
                'scaling-aspect': [{'id': 'vm_autoscale', 'max-scale-level': 2, 'scaling-policy': [{'name': 'cpu'}],
                                    'aspect-delta-details': {'deltas': [{'id': 'd1', 'vdu-delta': [{'id': 'VM', 'number-of-instances': 1}]}]}}]}],
    }
    vnfd.update(changes)
    return {'vnfd': vnfd}


def test_osm_style_vnfd(tmp_path):
    pkg = read_package(write_package(tmp_path / 'osm', osm_vnfd(colour='blue')))
    fl = pkg.vnfd.flavour('default-df')
    vm = fl.vdus['VM']
    assert (vm.compute.vcpus, vm.compute.memory_mb, vm.compute.disk_gb, vm.storage) == (1, 1024, 10, [])
    assert vm.sw_image.name == 'ubuntu20.04' and vm.sw_image.file is None  # a Glance image name, not a file
    assert fl.cps['eth0'].vnic_type == 'normal' and fl.ext_cps['vnf-mgmt-ext'].cp == 'eth0'
    assert vm.boot_data == '#cloud-config\n'
    aspect = fl.aspects['vm_autoscale']
    assert aspect.delta_ids() == ['d1', 'd1'] and fl.vdu_instances_for_scale({'vm_autoscale': 2}) == {'VM': 3}
    assert pkg.vnfd.properties['osm']['vnfd.mgmt-cp'] == 'vnf-mgmt-ext'
    warned = '\n'.join(pkg.warnings)
    for key in ('vnfd.mgmt-cp', 'cloud-init', 'size-of-storage', 'scaling-policy'):
        assert key in warned and 'OSM information-model addition' in warned
    assert "vnfd.colour: not in the ETSI SOL006 YANG model (revision %s) at vnfd: ignored" % sol006_schema.NEWEST in warned
    # warned once per key, however often it appears
    doc = osm_vnfd()
    doc['vnfd']['vdu'].append(dict(doc['vnfd']['vdu'][0], id='VM2', **{'int-cpd': []}))
    doc['vnfd']['df'][0]['vdu-profile'].append({'id': 'VM2'})
    pkg = read_package(write_package(tmp_path / 'osm2', doc))
    assert sum('cloud-init' in w for w in pkg.warnings) == 1 and pkg.vnfd.flavour('default-df').vdus['VM2'].boot_data


def test_cloud_init_file_missing_is_a_warning(tmp_path):
    doc = osm_vnfd()
    vdu = doc['vnfd']['vdu'][0]
    del vdu['cloud-init']
    vdu['cloud-init-file'] = 'missing.cfg'
    pkg = read_package(write_package(tmp_path / 'p', doc))
    assert pkg.vnfd.flavour('default-df').vdus['VM'].boot_data is None
    assert any("'missing.cfg' is not in the package (OSM keeps it in cloud_init/)" in w for w in pkg.warnings)


def test_revision(tmp_path):
    doc = osm_vnfd()
    assert read_package(write_package(tmp_path / 'a', dict(doc, revision='2020-06-10'))).sol006_revision == '2020-06-10'
    pkg = read_package(write_package(tmp_path / 'b', dict(doc, revision='2031-01-01')))
    assert pkg.sol006_revision == '2031-01-01'
    assert any('revision: 2031-01-01 is not a revision of the ETSI SOL006 YANG modules' in w for w in pkg.warnings)


@pytest.mark.parametrize('edit, kind, part, message', [
    (lambda df: df['scaling-aspect'][0]['aspect-delta-details'].update({'step-deltas': ['d1', 'd9']}), 'aspects',
     'vm_autoscale', "delta 'd9' of aspect 'vm_autoscale' is not defined in deltas"),
    (lambda df: df['instantiation-level'][0]['vdu-level'][0].update({'number-of-instances': 5}), 'levels', 'default',
     'VM would have 5 instances, vdu_profile allows 1..3'),
    (lambda df: df['instantiation-level'][0].update({'scaling-info': [{'scaling-aspect-id': 'nope', 'scale-level': 1}]}),
     'levels', 'default', "aspect 'nope' is not a scaling-aspect of flavour 'default-df'"),
])
def test_broken_part_unusable(tmp_path, edit, kind, part, message):
    doc = osm_vnfd()
    edit(doc['vnfd']['df'][0])
    pkg = read_package(write_package(tmp_path / 'p', doc))
    fl = pkg.vnfd.flavour('default-df')
    assert message in fl.problem(kind, part) and any(message in w for w in pkg.warnings)
    assert '\n' not in fl.problem(kind, part) and fl.problem(kind, part).startswith('vnfd.yaml: vnfd.df[0] default-df.')


def test_ext_cpd_to_unknown_cp_unusable(tmp_path):
    pkg = read_package(write_package(tmp_path / 'p', osm_vnfd(**{'ext-cpd': [{'id': 'x', 'int-cpd': {'vdu-id': 'VM', 'cpd': 'eth9'}}]})))
    assert "no int-cpd 'eth9' of a vdu 'VM'" in pkg.vnfd.flavour('default-df').problem('ext_cps', 'x')


def test_flavour_that_does_not_read_is_unusable(tmp_path):
    doc = osm_vnfd()
    doc['vnfd']['df'].append({'id': 'broken', 'vdu-profile': [{'id': 'nope'}]})
    pkg = read_package(write_package(tmp_path / 'p', doc))
    assert list(pkg.vnfd.flavours) == ['default-df']
    with pytest.raises(ValueError, match="flavour 'broken' of VNFD osm-basic cannot be used: .*'nope' is not a vdu of the VNFD"):
        pkg.vnfd.flavour('broken')


# ---------------------------------------------------------------------------------------------------------------
# refusals: one line each

@pytest.mark.parametrize('doc, message', [
    ({'vnfd:vnfd-catalog': {'vnfd': [{'id': 'old'}]}},
     r"vnfd.yaml: 'vnfd:vnfd-catalog' is the pre-SOL006 OSM descriptor format \(OSM release 8 and before\), which is not read"),
    ({'vnfd-catalog': {'vnfd': []}}, "'vnfd-catalog' is the pre-SOL006 OSM descriptor format"),
    ({'nsd': {'id': 'n'}}, r"a SOL006 NSD \('nsd:'\), not a VNFD"),
    ({'vnfd': {'id': 'x', 'version': '1'}}, r'vnfd.yaml: vnfd: no deployment flavour \(df\)'),
    ({'vnfd': {'id': 'x'}}, 'vnfd.yaml: vnfd.version: is missing'),
    ({'vnfd': {'id': 'x', 'version': '1', 'vdu': [{'id': 'a'}, {'id': 'a'}]}}, r"vnfd.vdu\[1\]: duplicate id 'a'"),
    ({'vnfd': {'id': 'x', 'version': '1', 'vdu': {'id': 'a'}}}, 'vnfd.vdu: must be a list, not dict'),
])
def test_refused(tmp_path, doc, message):
    with pytest.raises(PackageError, match=message) as err:
        read_package(write_package(tmp_path / 'p', doc))
    assert '\n' not in str(err.value)


def _tar(dest, members):
    """A tar.gz of (TarInfo-field dict, bytes or None) members."""
    with tarfile.open(dest, 'w:gz') as tf:
        for fields, data in members:
            info = tarfile.TarInfo(fields.pop('name'))
            for key, value in fields.items():
                setattr(info, key, value)
            if data is not None:
                info.size = len(data)
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return str(dest)


DESCRIPTOR = yaml.safe_dump(osm_vnfd()).encode()


@pytest.mark.parametrize('member, message', [
    ({'name': 'pkg/../../etc/passwd'}, "tar member 'pkg/../../etc/passwd' escapes the package root"),
    ({'name': '/etc/passwd'}, "tar member '/etc/passwd' escapes the package root"),
    ({'name': 'pkg/link', 'type': tarfile.SYMTYPE, 'linkname': '/etc/passwd'}, "tar member 'pkg/link' is a link"),
    ({'name': 'pkg/hard', 'type': tarfile.LNKTYPE, 'linkname': 'pkg/vnfd.yaml'}, "tar member 'pkg/hard' is a link"),
    ({'name': 'pkg/dev', 'type': tarfile.CHRTYPE}, "tar member 'pkg/dev' is not a regular file"),
])
def test_hostile_tar_refused(tmp_path, member, message):
    data = b'x' if member.get('type', tarfile.REGTYPE) == tarfile.REGTYPE else None
    src = _tar(tmp_path / 'p.tar.gz', [({'name': 'pkg/vnfd.yaml'}, DESCRIPTOR), (member, data)])
    with pytest.raises(PackageError, match=re.escape(message)) as err:
        read_package(src)
    assert '\n' not in str(err.value)


def test_oversized_tar_refused(tmp_path):
    big = b'0' * (2 ** 20)
    src = _tar(tmp_path / 'p.tar.gz', [({'name': 'pkg/vnfd.yaml'}, DESCRIPTOR), ({'name': 'pkg/images/big.img'}, big)])
    with pytest.raises(PackageError, match=r'more than 524288 bytes in the tar package in all \(limit total_bytes=524288\)'):
        read_package(src, limits={'total_bytes': 2 ** 19})
    padded = DESCRIPTOR + b'#' * 4096
    src = _tar(tmp_path / 'q.tar.gz', [({'name': 'pkg/vnfd.yaml'}, padded)])
    with pytest.raises(PackageError, match=r'vnfd.yaml: more than 4096 bytes in one file \(limit member_bytes=4096\)'):
        read_package(src, limits={'member_bytes': 4096})
    assert read_package(src).vnfd.descriptor_id == 'osm-basic'


def test_directory_symlink_leaving_root_refused(tmp_path):
    folder = tmp_path / 'p'
    shutil.copytree(TWIN, folder)
    (tmp_path / 'secret.txt').write_text('secret')
    os.symlink(tmp_path / 'secret.txt', folder / 'cloud_init' / 'cloud-config.txt.lnk')
    with pytest.raises(PackageError, match='symbolic link leaves the package root'):
        read_package(str(folder))


def test_cloud_init_file_leaving_the_package_is_never_opened(tmp_path):
    doc = osm_vnfd()
    vdu = doc['vnfd']['vdu'][0]
    del vdu['cloud-init']
    vdu['cloud-init-file'] = '../../../etc/passwd'
    pkg = read_package(write_package(tmp_path / 'p', doc))
    assert pkg.vnfd.flavour('default-df').vdus['VM'].boot_data is None


def test_corrupt_tar_refused(tmp_path):
    src = tar_gz(TWIN, tmp_path / 'p.tar.gz')
    data = open(src, 'rb').read()
    with open(src, 'wb') as f:
        f.write(data[:len(data) // 2])
    with pytest.raises(PackageError) as err:
        read_package(src)
    assert '\n' not in str(err.value) and 'p.tar.gz' in str(err.value)


def test_sol001_packages_unchanged():
    pkg = read_package(SOL001_TWIN)
    assert pkg.format == 'sol001' and pkg.sol006_revision is None


def test_sol004_csar_with_a_sol006_vnfd(tmp_path):
    """OSM (release 9 on) also takes a SOL004 CSAR whose TOSCA.meta names a SOL006 VNFD: read the same, manifest checked."""
    folder = tmp_path / 'csar'
    shutil.copytree(TWIN, folder / 'Definitions')
    os.makedirs(folder / 'TOSCA-Metadata')
    (folder / 'TOSCA-Metadata' / 'TOSCA.meta').write_text(
        'TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\nCreated-By: test\nEntry-Definitions: Definitions/v2_basic_min_vnfd.yaml\n')
    src = str(tmp_path / 'p.csar')
    shutil.make_archive(src[:-5], 'zip', folder)
    os.rename(src[:-5] + '.zip', src)
    pkg = read_package(src)
    assert pkg.format == 'sol006' and pkg.entry_definitions == 'Definitions/v2_basic_min_vnfd.yaml'
    assert pkg.meta['Entry-Definitions'] == 'Definitions/v2_basic_min_vnfd.yaml'
    assert pkg.vnfd.flavour('simple').vdus['VDU1'].boot_data.startswith('#cloud-config')


def test_budgets_refuse_the_package(tmp_path):
    doc = osm_vnfd()
    doc['vnfd']['df'][0]['scaling-aspect'][0]['max-scale-level'] = 10 ** 9
    with pytest.raises(PackageError, match=r'vm_autoscale.max-scale-level: more than 10000 scale levels \(limit scale_levels=10000\)$'):
        read_package(write_package(tmp_path / 'p', doc))
    doc = osm_vnfd()
    doc['vnfd']['df'][0]['vdu-profile'][0]['max-number-of-instances'] = '20000'  # RFC 7951: numbers as strings
    with pytest.raises(PackageError, match=r'limit instances=10000\)$'):
        read_package(write_package(tmp_path / 'q', doc))


# ---------------------------------------------------------------------------------------------------------------
# SOL006 NSDs into the NSD model

@needs_shared
def test_example_nsds(yang, tmp_path):
    doc = example(yang, 'nfv-nsd.xml')
    nsds = doc['etsi-nfv-descriptors:nfv']['nsd']
    nsd, warnings = read_nsd(write_package(tmp_path / 'fw', {'etsi-nfv-nsd:nsd': {'nsd': nsds}}, 'nsd.json'))
    assert nsd.descriptor_id == 'firewall-nsd' and list(nsd.flavours) == ['firewall'] and warnings == []
    fl = nsd.flavours['firewall']
    vnf = fl.vnfs['firewall']
    assert (vnf.vnfd_id, vnf.flavour_id, vnf.instantiation_level, vnf.min_instances, vnf.max_instances) == ('ASA', 'normal', 'single', 1, 1)
    assert sorted(fl.saps) == ['inside', 'management', 'outside'] and list(fl.levels) == ['single']
    assert fl.instances_at('single') == {'firewall': 1} and fl.deployment_order() == [['firewall']]

    all_nsds = example(yang, 'nfv.xml')['etsi-nfv-descriptors:nfv']['nsd']
    assert [n['id'] for n in all_nsds] == ['firewall-nsd', 'service-chain-1', 'service-chain-2']
    nsd, warnings = read_nsd(write_package(tmp_path / 'sc1', {'nsd': {'nsd': [all_nsds[1]]}}))
    fl = nsd.flavours['router-fw']
    assert sorted(fl.vnfs) == ['firewall', 'router'] and set(fl.virtual_links) <= {'fw2dpi', 'mgmt', 'r2fw'}
    attach = {(a.requirement, a.target, a.kind) for a in fl.vnfs['firewall'].attachments}
    assert {('management', 'mgmt', VIRTUAL_LINK), ('outside', 'r2fw', VIRTUAL_LINK)} <= attach
    assert ('left', 'outside', SAP) in {(a.requirement, a.target, a.kind) for a in fl.vnfs['router'].attachments}
    assert fl.saps['management'].internal_virtual_link == 'mgmt'
    assert all(m.key != ASPECT_LEVEL for m in fl.mappings)
    assert json.loads(json.dumps(nsd_to_dict(nsd)))['descriptor_id'] == 'service-chain-1'


def test_osm_nsd_with_levels_aspects_dependencies(tmp_path):
    nsd = {'nsd': {'nsd': [{
        'id': 'two-vnf-ns', 'name': 'two-vnf-ns', 'designer': 'us', 'version': '1.0', 'vnfd-id': ['web', 'db'], 'colour': 'x',
        'virtual-link-desc': [{'id': 'mgmtnet', 'connectivity-type': {'layer-protocol': 'etsi-nfv-descriptors:ipv4'}}],
        'sapd': [{'id': 'mgmt', 'virtual-link-desc': 'mgmtnet'}],
        'df': [{'id': 'default-df',
                'virtual-link-profile': [{'id': 'mgmtnet', 'virtual-link-desc-id': 'mgmtnet',
                                          'virtual-link-protocol-data': {'l3-protocol-data': {'ip-version': 'ipv4', 'cidr': '10.9.0.0/24'}}}],
                'vnf-profile': [
                    {'id': 'web', 'vnfd-id': 'web', 'flavour-id': 'simple', 'max-number-of-instances': 3,
                     'virtual-link-connectivity': [{'virtual-link-profile-id': 'mgmtnet', 'constituent-cpd-id': [
                         {'constituent-base-element-id': 'web', 'constituent-cpd-id': 'vnf-mgmt-ext'}]}]},
                    {'id': 'db', 'vnfd-id': 'db', 'flavour-id': 'simple'}],
                'dependencies': [{'id': 'd1', 'primary-vnf-profile': ['db'], 'secondary-vnf-profile': ['web']}],
                'ns-instantiation-level': [
                    {'id': 'small', 'vnf-to-level-mapping': [{'vnf-profile-id': 'web', 'number-of-instances': 1},
                                                             {'vnf-profile-id': 'db', 'number-of-instances': 1}]},
                    {'id': 'big', 'vnf-to-level-mapping': [{'vnf-profile-id': 'web', 'number-of-instances': 3}]}],
                'default-instantiation-level': 'small',
                'scaling-aspect': [{'id': 'web-scale', 'scaling-level': ['big']}]}]}]}}
    src = tar_gz(write_package(tmp_path / 'ns', nsd, 'two_vnf_nsd.yaml'), tmp_path / 'ns.tar.gz', 'two_vnf_ns')
    got, warnings = read_nsd(src)
    fl = got.flavours['default-df']
    assert fl.deployment_order() == [['db'], ['web']] and fl.vnfs['web'].max_instances == 3
    assert [(a.requirement, a.target) for a in fl.vnfs['web'].attachments] == [('vnf-mgmt-ext', 'mgmtnet')]
    vl = fl.virtual_links['mgmtnet']
    assert (vl.layer_protocols, vl.ip_version, vl.cidr) == (['ipv4'], 'ipv4', '10.9.0.0/24')
    assert fl.instances_at() == {'web': 1, 'db': 1} and fl.instances_at('big') == {'web': 3, 'db': 1}
    assert fl.aspects['web-scale'].max_scale_level == 1
    [scale] = [m for m in fl.mappings if m.key == ASPECT_LEVEL]
    assert (scale.aspect, scale.targets, scale.values) == ('web-scale', ['web'], {1: 3})
    assert warnings == ['two_vnf_nsd.yaml: nsd.nsd[0].colour: not in the ETSI SOL006 YANG model (revision %s) at nsd nsd: ignored'
                        % sol006_schema.NEWEST]
    nsd['nsd']['nsd'][0]['df'][0]['dependencies'].append({'id': 'd2', 'primary-vnf-profile': ['web'], 'secondary-vnf-profile': ['db']})
    with pytest.raises(PackageError, match=r'default-df.dependencies: dependency loop: db -> web -> db$'):
        read_nsd(write_package(tmp_path / 'loop', nsd))


def test_nsd_catalog_refused(tmp_path):
    with pytest.raises(PackageError, match="'nsd:nsd-catalog' is the pre-SOL006 OSM descriptor format"):
        read_nsd(write_package(tmp_path / 'p', {'nsd:nsd-catalog': {'nsd': []}}))
