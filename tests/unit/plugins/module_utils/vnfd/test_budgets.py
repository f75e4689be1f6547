# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The budgets of the package reader (budgets.py) against small hostile packages made here: an alias bomb, deep
lists, duplicate keys, a zip member that inflates past the budget or lies in its header, a manifest that lists
one member a hundred times, huge scale levels and instance counts, and 4,000 VDUs x aspects in linear work."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import zipfile

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import model
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import Budgets
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import package_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

SAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'data', 'vnf_packages')
DF = 'Definitions/helloworld3_df_simple.yaml'
TOP = 'topology_template.node_templates'


@pytest.fixture
def hw3(tmp_path):
    root = tmp_path / 'hw3'
    shutil.copytree(os.path.join(SAMPLES, 'helloworld3'), root)
    return root


def edit(root, old, new, path=DF):
    text = (root / path).read_text()
    assert old in text, old
    (root / path).write_text(text.replace(old, new, 1))


def refused(src, **limits):
    with pytest.raises(PackageError) as info:
        package_to_dict(read_package(str(src), limits=limits or None))
    message = str(info.value)
    assert '\n' not in message
    return message


def zip_dir(root, dest, extra=None):
    with zipfile.ZipFile(dest, 'w', zipfile.ZIP_DEFLATED) as zf:
        for dirpath, _dirs, files in os.walk(root):
            for name in sorted(files):
                full = os.path.join(dirpath, name)
                zf.write(full, os.path.relpath(full, root).replace(os.sep, '/'))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return str(dest)


# ---------------------------------------------------------------------------------------------------------------
# YAML: nodes after alias expansion, depth, duplicate keys

def test_alias_bomb_is_refused_naming_where_it_explodes(hw3):
    bomb = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
    bomb += ['a%d: &a%d [%s]' % (i, i, ', '.join(['*a%d' % (i - 1)] * 10)) for i in range(1, 9)]
    edit(hw3, '        name: VDU1\n', '        name: VDU1\n        boom: {%s}\n' % ', '.join(bomb))
    assert os.path.getsize(hw3 / DF) < 20000
    assert refused(hw3) == ('%s: %s.VDU1.properties.boom.a5: more than 500000 YAML nodes after alias expansion '
                            '(limit nodes=500000)' % (DF, TOP))


def test_nodes_as_written_are_counted_before_anything_is_built(hw3):
    edit(hw3, '        name: VDU1\n', '        name: VDU1\n        many: [%s]\n' % ', '.join(['1'] * 2000))
    assert refused(hw3, nodes=1000) == '%s: %s.VDU1.properties.many: more than 1000 YAML nodes (limit nodes=1000)' % (DF, TOP)
    assert read_package(str(hw3)).vnfd.flavours['simple'].vdus['VDU1']


def test_a_recursive_alias_is_refused(hw3):
    edit(hw3, '        name: VDU1\n', '        name: VDU1\n        loop: &loop [*loop]\n')
    assert refused(hw3).startswith('%s: line ' % DF)


def test_a_500_deep_list_is_a_budget_refusal_not_a_recursion_error(hw3):
    edit(hw3, '        layer_protocols: [ ipv4 ]\n        order: 0\n',
         '        layer_protocols: %sipv4%s\n        order: 0\n' % ('[' * 500, ']' * 500))
    assert refused(hw3) == ('%s: %s.CP1.properties.layer_protocols[0][0][0][0][0]...: more than 100 levels of nesting '
                            '(limit depth=100)' % (DF, TOP))


def test_depth_counts_alias_expansion(hw3):
    inner = '%sx%s' % ('[' * 60, ']' * 60)
    edit(hw3, '        name: VDU1\n', '        name: VDU1\n        a: &deep %s\n        b: %s*deep%s\n' % (inner, '[' * 50, ']' * 50))
    assert refused(hw3) == ('%s: %s.VDU1.properties.b[0][0][0][0][0]...: more than 100 levels of nesting (after alias expansion) '
                            '(limit depth=100)' % (DF, TOP))
    assert refused(hw3, depth=50).endswith('more than 50 levels of nesting (limit depth=50)')


def test_depth_limit_can_be_raised(hw3):
    edit(hw3, '        layer_protocols: [ ipv4 ]\n        order: 0\n',
         '        layer_protocols: [ ipv4 ]\n        order: 0\n        deep: %sx%s\n' % ('[' * 150, ']' * 150))
    pkg = read_package(str(hw3), limits={'depth': 200})
    assert package_to_dict(pkg)['flavours'][0]['vdus'][0]['name'] == 'VDU1'


def test_duplicate_node_templates_are_refused_naming_both_lines(hw3):
    text = (hw3 / DF).read_text()
    first = text.splitlines().index('    VDU1:') + 1
    edit(hw3, '    CP1:\n', '    VDU1:\n      type: tosca.nodes.nfv.Vdu.Compute\n    CP1:\n')
    second = (hw3 / DF).read_text().splitlines().index('    VDU1:', first) + 1
    assert refused(hw3) == '%s: line %d: duplicate key VDU1 in %s (first at line %d)' % (DF, second, TOP, first)


def test_duplicate_keys_in_a_flow_mapping_and_at_the_top(hw3):
    edit(hw3, 'min_number_of_instances: 1\n', 'min_number_of_instances: 1\n          min_number_of_instances: 2\n')
    assert 'duplicate key min_number_of_instances in %s.VDU1.properties.vdu_profile' % TOP in refused(hw3)
    shutil.rmtree(hw3)
    shutil.copytree(os.path.join(SAMPLES, 'helloworld3'), hw3)
    edit(hw3, 'description: Simple deployment flavour for Sample VNF\n', 'description: a\ndescription: b\n')
    assert refused(hw3) == '%s: line 4: duplicate key description (first at line 3)' % DF


def test_merge_keys_and_quoted_look_alikes_are_not_duplicates(hw3):
    edit(hw3, '        name: VDU1\n', "        name: VDU1\n        base: &b {x: 1}\n        merged: {<<: *b, x: 2, '1': a, 1: b}\n")
    assert read_package(str(hw3)).vnfd.flavours['simple'].vdus['VDU1']


# ---------------------------------------------------------------------------------------------------------------
# bytes: per member, in all, each member hashed once

def test_member_bytes_are_counted_while_reading(hw3, tmp_path):
    assert refused(hw3, member_bytes=1000) == 'Definitions/helloworld3_types.yaml: more than 1000 bytes in one file (limit member_bytes=1000)'
    edit(hw3, 'description: Simple deployment flavour for Sample VNF\n',
         'description: Simple deployment flavour for Sample VNF\n' + '# padding\n' * 200000)
    csar = zip_dir(hw3, tmp_path / 'big.csar')
    assert os.path.getsize(csar) < 200000
    assert refused(csar, member_bytes=2 ** 20) == '%s: more than 1048576 bytes in one file (limit member_bytes=1048576)' % DF
    assert read_package(csar).vnfd.descriptor_id


def _lie_about_sizes(path, member, size):
    """Rewrite the uncompressed size of ``member`` in its local and central headers to ``size``."""
    data = bytearray(open(path, 'rb').read())
    name = member.encode()
    local = data.index(b'PK\x03\x04' + b'')
    while data[local + 30:local + 30 + len(name)] != name:
        local = data.index(b'PK\x03\x04', local + 4)
    struct.pack_into('<I', data, local + 22, size)
    central = data.index(b'PK\x01\x02')
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.index(b'PK\x01\x02', central + 4)
    struct.pack_into('<I', data, central + 24, size)
    open(path, 'wb').write(bytes(data))


def test_a_zip_header_that_lies_is_not_trusted(hw3, tmp_path):
    edit(hw3, 'description: Simple deployment flavour for Sample VNF\n',
         'description: Simple deployment flavour for Sample VNF\n' + '# padding\n' * 500000)
    small = zip_dir(hw3, tmp_path / 'small-lie.csar')
    _lie_about_sizes(small, DF, 100)  # claims 100 bytes, inflates to 5 MB: zipfile stops at 100, the CRC fails
    assert zipfile.ZipFile(small).getinfo(DF).file_size == 100
    message = refused(small)
    assert message.startswith('%s: cannot read zip member %s: ' % (small, DF)) and 'CRC' in message
    big = zip_dir(hw3, tmp_path / 'big-lie.csar')
    _lie_about_sizes(big, DF, 2 ** 31)  # claims 2 GiB: read anyway, in chunks, and stopped at the budget
    assert refused(big, member_bytes=2 ** 20) == '%s: more than 1048576 bytes in one file (limit member_bytes=1048576)' % DF


def _manifest_package(hw3, tmp_path, times):
    blob = b'\0' * (3 * 2 ** 20)
    digest = hashlib.sha256(blob).hexdigest()
    (hw3 / 'Files').mkdir()
    (hw3 / 'Files' / 'blob.bin').write_bytes(blob)
    lines = ['metadata:', '  vnf_product_name: x', '']
    lines += ['Source: Files/blob.bin\nAlgorithm: SHA-256\nHash: %s\n' % digest] * times
    (hw3 / 'hw3.mf').write_text('\n'.join(lines))
    return zip_dir(hw3, tmp_path / 'manifest.csar')


def test_each_member_is_hashed_once_however_often_the_manifest_lists_it(hw3, tmp_path, monkeypatch):
    csar = _manifest_package(hw3, tmp_path, 100)
    pkg = read_package(csar, limits={'total_bytes': 10 * 2 ** 20})  # 100 hashes of 3 MiB would be 300 MiB
    assert len(pkg.manifest.checked) == 100 and pkg.manifest.ok


def test_total_bytes_decompressed_are_budgeted(hw3, tmp_path):
    csar = _manifest_package(hw3, tmp_path, 1)
    assert refused(csar, total_bytes=2 ** 20) == ('%s: Files/blob.bin: more than 1048576 bytes decompressed from the package in all '
                                                  '(limit total_bytes=1048576)' % csar)


# ---------------------------------------------------------------------------------------------------------------
# scale levels and instances

def test_max_scale_level_of_a_billion_is_refused_at_once(hw3):
    edit(hw3, 'max_scale_level: 2', 'max_scale_level: 1000000000')
    assert refused(hw3) == ('%s: topology_template.policies[0] scaling_aspects.properties.aspects.worker_instance.max_scale_level: '
                            'more than 10000 scale levels (limit scale_levels=10000)' % DF)
    edit(hw3, 'max_scale_level: 1000000000', 'max_scale_level: 20000')
    assert read_package(str(hw3), limits={'scale_levels': 20000}).vnfd.flavours['simple'].aspects['worker_instance'].max_scale_level == 20000


def test_instances_per_vdu_are_budgeted(hw3):
    edit(hw3, 'max_number_of_instances: 3', 'max_number_of_instances: 10001')
    assert refused(hw3) == ('%s: %s.VDU2.properties.vdu_profile.max_number_of_instances: more than 10000 instances of a VDU '
                            '(limit instances=10000)' % (DF, TOP))
    assert refused(hw3, instances=2).endswith('more than 2 instances of a VDU (limit instances=2)')


@pytest.mark.parametrize('limits, message', [
    ({'depht': 3}, "limits: unknown budget 'depht' (budgets: nodes, depth, member_bytes, total_bytes, scale_levels, instances)"),
    ({'depth': 0}, 'limits: depth must be a positive integer, not 0'),
    ({'depth': True}, 'limits: depth must be a positive integer, not True'),
    ([1], 'limits must be a mapping of nodes, depth, member_bytes, total_bytes, scale_levels, instances to positive integers'),
])
def test_bad_limits_are_refused(limits, message):
    with pytest.raises(PackageError, match='^%s$' % message.replace('(', r'\(').replace(')', r'\)')):
        Budgets.from_limits(limits)


def test_limits_defaults_and_none():
    assert Budgets.from_limits({'depth': None, 'nodes': '7'}).as_dict() == dict(Budgets().as_dict(), nodes=7)
    assert Budgets().as_dict() == {'nodes': 500000, 'depth': 100, 'member_bytes': 2 ** 26, 'total_bytes': 2 ** 30,
                                   'scale_levels': 10000, 'instances': 10000}


# ---------------------------------------------------------------------------------------------------------------
# VDUs x aspects: linear work

def many_vdus(tmp_path, count):
    """A one-file VNFD with ``count`` VDUs, each scaled by an aspect of its own, and two levels."""
    nodes = {'VNF': {'type': 'my.VNF', 'properties': {'descriptor_id': 'many', 'descriptor_version': '1', 'provider': 'p',
                                                      'product_name': 'n', 'software_version': '1', 'flavour_id': 'df'}}}
    aspects, policies = {}, []
    for i in range(count):
        nodes['VDU%d' % i] = {'type': 'tosca.nodes.nfv.Vdu.Compute', 'properties': {
            'name': 'VDU%d' % i, 'vdu_profile': {'min_number_of_instances': 1, 'max_number_of_instances': 3}}}
        aspects['A%d' % i] = {'name': 'A%d' % i, 'max_scale_level': 2, 'step_deltas': ['d']}
        policies.append({'deltas%d' % i: {'type': 'tosca.policies.nfv.VduScalingAspectDeltas', 'targets': ['VDU%d' % i],
                                          'properties': {'aspect': 'A%d' % i, 'deltas': {'d': {'number_of_instances': 1}}}}})
    policies.append({'aspects': {'type': 'tosca.policies.nfv.ScalingAspects', 'properties': {'aspects': aspects}}})
    policies.append({'levels': {'type': 'tosca.policies.nfv.InstantiationLevels', 'properties': {'default_level': 'small', 'levels': {
        'small': {'scale_info': {}}, 'big': {'scale_info': {a: {'scale_level': 2} for a in aspects}}}}}})
    doc = {'tosca_definitions_version': 'tosca_simple_yaml_1_3',
           'node_types': {'my.VNF': {'derived_from': 'tosca.nodes.nfv.VNF'}},
           'topology_template': {'substitution_mappings': {'node_type': 'my.VNF', 'properties': {'flavour_id': 'df'}},
                                 'node_templates': nodes, 'policies': policies}}
    root = tmp_path / ('many%d' % count)
    root.mkdir()
    (root / 'vnfd.yaml').write_text(json.dumps(doc))
    return str(root)


def test_counts_of_vdus_x_aspects_are_linear_work(tmp_path, monkeypatch):
    calls = []
    real = model.ScalingAspect.added_instances
    monkeypatch.setattr(model.ScalingAspect, 'added_instances', lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    count = 300
    flavour = read_package(many_vdus(tmp_path, count)).vnfd.flavours['df']
    assert flavour.vdu_instances_for_level('big') == {'VDU%d' % i: 3 for i in range(count)}
    assert flavour.vdu_instances_for_scale({'A7': 1}) == dict({'VDU%d' % i: 1 for i in range(count)}, VDU7=2)
    # quadratic work was count x count calls for each count taken (90,000 here, 16 million at 4,000 VDUs)
    assert len(calls) <= 4 * count


def test_the_default_total_grows_with_the_csar_an_explicit_one_does_not(tmp_path):
    # a CSAR of big images (they hardly compress) is read by default; a small CSAR may not inflate past 1 GiB
    from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import Budgets
    from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import total_budget
    big = tmp_path / 'big.csar'
    with open(big, 'wb') as f:
        f.truncate(200 * 2 ** 20)  # 200 MiB on disk (sparse)
    assert total_budget(Budgets(), str(big)) == 20 * 200 * 2 ** 20
    small = tmp_path / 'small.csar'
    small.write_bytes(b'x' * 1024)
    assert total_budget(Budgets(), str(small)) == 2 ** 30
    assert total_budget(Budgets.from_limits({'total_bytes': 2 ** 20}), str(big)) == 2 ** 20
