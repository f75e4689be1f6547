# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lcm/upgrade.py: the batch planner, rebuild or recreate, the rollback plan (pure), and CHANGE_VNFPKG run whole on the
stand-in cloud (cloud.py) from v2_basic_min at VDU1 x3 + VDU2 x1 to a version 2.0 of it with another image: the same
servers and ports rebuilt batch by batch, the record moved at the end, a rerun writes nothing, a failed health gate
rolls every VNFC back, a kept failure goes on, every refusal is one line before any write; a VDU2 of another compute
flavour: its VNFC recreated on the same ports in a batch with rebuilds, put back as it was by a rollback; volumes kept
or replaced."""
from __future__ import annotations

import http.server
import os
import shutil
import threading

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import health_gate as H
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import upgrade as U
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import upgrade_volumes as UV
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import Converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.occurrences import continue_occurrence
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context, Options, discover_one
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

from .cloud import Cloud
from .plans import FLAVORS, PKGS, request

WRITES = ('POST', 'PUT', 'DELETE')
IID = T.vnf_instance_id('p1', 'web-1')
IMAGES = [{'id': 'img-cirros', 'name': 'cirros', 'status': 'active'}, {'id': 'img-new', 'name': 'cirros-new', 'status': 'active'}]
NEW = {'VDU1': 'cirros-new', 'VDU2': 'cirros-new'}


@pytest.fixture(scope='module')
def v2(tmp_path_factory):
    """v2_basic_min as version 2.0 (the same VNFD id, product and flavour)."""
    path = str(tmp_path_factory.mktemp('pkg') / 'v2_basic_min_2')
    shutil.copytree(os.path.join(PKGS, 'v2_basic_min'), path)
    top = os.path.join(path, 'Definitions', 'v2_sample2_top.vnfd.yaml')
    with open(top) as f:
        text = f.read()
    with open(top, 'w') as f:
        f.write(text.replace("descriptor_version: '1.0'", "descriptor_version: '2.0'"))
    return path


def context(api, **opts):
    return Context(api=api, opts=Options(**opts), project_id='p1', diff=True)


def instantiated(basic):
    api = Cloud(flavors=FLAVORS, images=IMAGES, refuse_tags={'networks', 'subnets'})
    req = request(basic, scale_levels={'VDU1_scale': 2})
    req.instance_id = IID
    result = Converge(context(api), basic, basic.vnfd.flavour('simple'), req).run()
    assert result.lcm_op_occ['operationState'] == 'COMPLETED', result.error
    return api


def writes(api, since=0):
    return [(method, path) for method, path, dummy in api.calls[since:] if method in WRITES]


def images_of(api):
    return {s['metadata']['nfvo_vnfc_id']: (s['id'], s['image']['id']) for s in api.items['servers']}


def ips_of(api):
    return sorted((T.parse_tags(p['tags']).get('vnfc'), ip['ip_address']) for p in api.items['ports'] for ip in p['fixed_ips'])


def options(path, **kw):
    return dict({'package': path, 'images': NEW, 'max_unavailable': 1, 'batch': 'all', 'health_check': None}, **kw)


# ---------------------------------------------------------------------------------------------------------------
# the planner (pure)

def server(vnfc, image='img-old', flavor=None):
    return {'id': 'srv-%s' % vnfc, 'name': 'web-1-%s' % vnfc, 'metadata': {'nfvo_vnfc_id': vnfc, 'nfvo_vdu': vnfc.rsplit('-', 1)[0]},
            'image': {'id': image} if image else '', 'flavor': flavor or {'vcpus': 1, 'ram': 512, 'disk': 3}}


def test_batches_take_max_unavailable_vnfcs_of_each_vdu_at_a_time(basic):
    flavour = basic.vnfd.flavour('simple')
    snap = M.Snapshot(instance_id='i', vnf_name='web-1', servers=[server('VDU1-%d' % i) for i in range(4)] + [server('VDU2-0')])
    steps, done = U.upgrade_steps(snap, flavour, {'VDU1': 'img-new', 'VDU2': 'img-new'})
    assert [s.mode for s in steps] == [U.REBUILD] * 5 and not done
    one = U.plan_batches(steps, U.max_unavailable_of(1, ['VDU1', 'VDU2']))
    assert [[s.vnfc for s in b] for b in one] == [['VDU1-0', 'VDU2-0'], ['VDU1-1'], ['VDU1-2'], ['VDU1-3']]
    two = U.plan_batches(steps, U.max_unavailable_of({'VDU1': 3}, ['VDU1', 'VDU2']))
    assert [[s.vnfc for s in b] for b in two] == [['VDU1-0', 'VDU1-1', 'VDU1-2', 'VDU2-0'], ['VDU1-3']]
    assert U.plan_batches([], {'VDU1': 1}) == []


def test_vnfcs_on_the_new_image_are_done_and_a_changed_flavour_volume_or_boot_volume_is_a_recreate(basic):
    flavour = basic.vnfd.flavour('simple')
    snap = M.Snapshot(instance_id='i', vnf_name='web-1', flavors=FLAVORS,
                      servers=[server('VDU1-0', 'img-new'), server('VDU1-1', None), server('VDU1-2', flavor={'original_name': 'tiny'}),
                               server('VDU2-0')],
                      volumes=[{'id': 'v', 'size': 1, 'metadata': {'nfvo_vnfc_id': 'VDU2-0', 'nfvo_storage': 'Old'}}])
    steps, done = U.upgrade_steps(snap, flavour, {'VDU1': 'img-new', 'VDU2': 'img-new'})
    assert done == {'VDU1': ['VDU1-0']}
    assert [(s.vnfc, s.mode, s.why) for s in steps] == [
        ('VDU1-1', U.RECREATE, 'it boots from a volume'),
        ('VDU1-2', U.RECREATE, 'flavor 1 vCPU/512 MB/1 GB -> 1 vCPU/512 MB/3 GB'),
        ('VDU2-0', U.RECREATE, 'volumes Old -> none')]
    steps, dummy = U.upgrade_steps(snap, flavour, {'VDU1': 'img-new'})
    assert steps[-1].why == 'it boots from a volume in the new package'
    snap.servers.append(server('VDU9-0'))
    with pytest.raises(PlanError) as err:
        U.upgrade_steps(snap, flavour, {'VDU1': 'img-new', 'VDU2': 'img-new'})
    assert str(err.value) == 'VNFC VDU9-0: VDU VDU9 is not in flavour simple of the new package (its VDUs: VDU1, VDU2): change_vnfpkg does not remove VDUs'


def test_a_vnfc_on_the_new_image_of_another_flavour_is_a_recreate_and_one_booting_from_a_volume_is_done_once_marked(basic):
    flavour = basic.vnfd.flavour('simple')
    marked = dict(server('VDU1-1', None), metadata={'nfvo_vnfc_id': 'VDU1-1', 'nfvo_vdu': 'VDU1', 'nfvo_vnfd_version': '2.0'})
    snap = M.Snapshot(instance_id='i', vnf_name='web-1', flavors=FLAVORS,
                      servers=[server('VDU1-0', 'img-new', flavor={'vcpus': 1, 'ram': 1024, 'disk': 3}), marked])
    steps, done = U.upgrade_steps(snap, flavour, {'VDU2': 'img-new'}, '2.0')
    assert [(s.vnfc, s.mode, s.why) for s in steps] == [('VDU1-0', U.RECREATE, 'it boots from a volume in the new package')]
    assert done == {'VDU1': ['VDU1-1']}  # boots from a volume, marked with the new version, the same flavour and volumes
    steps, done = U.upgrade_steps(snap, flavour, {'VDU1': 'img-new'}, '2.0')
    assert [(s.vnfc, s.mode, s.why) for s in steps] == [
        ('VDU1-0', U.RECREATE, 'flavor 1 vCPU/1024 MB/3 GB -> 1 vCPU/512 MB/3 GB'), ('VDU1-1', U.RECREATE, 'it boots from a volume')]


@pytest.mark.parametrize('value, words', [
    (0, 'max_unavailable of VDU1 is 0: give a whole number of VNFCs of 1 or more'),
    ('x', "max_unavailable of VDU1 is 'x'"),
    ({'VDU9': 2}, 'max_unavailable names VDU9, not a VDU of the flavour (its VDUs: VDU1, VDU2)'),
])
def test_max_unavailable_refusals_are_one_line(value, words):
    with pytest.raises(PlanError) as err:
        U.max_unavailable_of(value, ['VDU1', 'VDU2'])
    assert words in str(err.value) and '\n' not in str(err.value)


def test_the_plan_rebuilds_batch_after_batch_then_moves_the_record_and_the_rollback_plan_puts_back_the_changed_ones(basic):
    flavour = basic.vnfd.flavour('simple')
    anchor = {'id': 'sg', 'name': 'nfvo-vnf-web-1', 'tags': ['nfvo:vnfd=d', 'nfvo:vnfd_version=1.0']}
    snap = M.Snapshot(instance_id='i', vnf_name='web-1', anchors=[anchor], servers=[server('VDU1-0'), server('VDU1-1'), server('VDU2-0')])
    steps, dummy = U.upgrade_steps(snap, flavour, {'VDU1': 'img-new', 'VDU2': 'img-new'})
    batches = U.plan_batches(steps, {'VDU1': 1, 'VDU2': 1})
    plan = U.plan_upgrade(snap, batches, ('d', '2.0'), ['nfvo:vnfd=d', 'nfvo:vnfd_version=2.0'])
    assert [(a.op, a.key, a.deps) for a in plan.actions] == [
        ('rebuild', 'server/VDU1-0', []), ('rebuild', 'server/VDU2-0', []),
        ('rebuild', 'server/VDU1-1', ['server/VDU1-0', 'server/VDU2-0']), ('update', 'anchor', ['server/VDU1-1'])]
    first = plan.actions[0]
    assert first.spec == {'imageRef': 'img-new', 'metadata': {'nfvo_vnfc_id': 'VDU1-0', 'nfvo_vdu': 'VDU1', 'nfvo_vnfd_id': 'd',
                                                              'nfvo_vnfd_version': '2.0'}}
    assert first.detail == 'batch 1 of 2: image img-old -> img-new'
    assert U.plan_upgrade(snap, batches[:1], ('d', '2.0'), None).actions[-1].key == 'server/VDU2-0'  # batches left: the record stays
    now = [server('VDU1-0', 'img-new'), server('VDU1-1'), server('VDU2-0', 'img-new')]
    back = U.plan_rollback(snap, now, {'VDU1': 'img-old', 'VDU2': 'img-old'}, ('d', '1.0'))
    assert [(a.key, a.spec['imageRef'], a.spec['metadata']['nfvo_vnfd_version']) for a in back.actions] == [
        ('server/VDU1-0', 'img-old', '1.0'), ('server/VDU2-0', 'img-old', '1.0')]


def test_health_check_probes_until_the_timeout_and_its_option_is_checked(monkeypatch):
    answers = iter(['HTTP 500 from http://h/VDU1-0', ''])
    monkeypatch.setattr(H, '_http_answers', lambda url, timeout: next(answers))
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds
    check = {'http_url': 'http://h/{vnfc}', 'timeout': 5}
    assert H.health_problem(check, 'VDU1-0', {}, ['10.0.0.1'], clock=lambda: now[0], sleep=sleep) == ''
    monkeypatch.setattr(H, '_http_answers', lambda url, timeout: 'HTTP 503 from %s' % url)
    assert H.health_problem(check, 'VDU1-0', {}, ['10.0.0.1'], clock=lambda: now[0], sleep=sleep) == 'HTTP 503 from http://h/VDU1-0 (for 5s)'
    assert H.health_problem(None, 'VDU1-0', {}, []) == ''
    for bad, words in (({'tcp_port': 70000}, 'tcp_port 70000 is not a TCP port'), ({'http_url': 'ftp://x'}, 'is not an http:// or https:// URL'),
                       ({'http_url': 'http://{host}/'}, 'has a placeholder other than {ip}, {vnfc}, {name}')):
        with pytest.raises(PlanError) as err:
            H.check_health_option(bad)
        assert words in str(err.value)


def test_tcp_and_http_probes_answer_for_a_listening_port_and_not_for_a_closed_one():
    import socket  # only this test opens a socket
    with socket.socket() as listener:
        listener.bind(('127.0.0.1', 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        assert H._tcp_answers('127.0.0.1', port, 1) == ''
    assert 'does not answer' in H._tcp_answers('127.0.0.1', port, 1)
    assert 'does not answer' in H._http_answers('http://127.0.0.1:%d/' % port, 1)


# ---------------------------------------------------------------------------------------------------------------
# the operation on the stand-in cloud

def test_a_rolling_upgrade_rebuilds_every_vnfc_in_place_moves_the_record_and_a_rerun_writes_nothing(basic, v2):
    api = instantiated(basic)
    before, ips = images_of(api), ips_of(api)
    mark = len(api.calls)
    preview = U.change_vnfpkg(context(api, check_mode=True), 'web-1', options(v2))
    assert writes(api, mark) == [] and preview.changed
    assert [a['summary'] for a in preview.plan][:2] == ['rebuild server VDU1-0 (batch 1 of 3: image img-cirros -> cirros-new)',
                                                        'rebuild server VDU2-0 (batch 1 of 3: image img-cirros -> cirros-new)']
    assert preview.extra['upgrade']['batches_left'] == 3 and preview.plan[-1]['kind'] == 'anchor'
    result = U.change_vnfpkg(context(api), 'web-1', options(v2))
    assert result.lcm_op_occ['operationState'] == 'COMPLETED' and result.lcm_op_occ['operation'] == 'CHANGE_VNFPKG', result.error
    assert images_of(api) == {vnfc: (sid, 'img-new') for vnfc, (sid, dummy) in before.items()}  # same servers, new image
    assert ips_of(api) == ips and result.extra['upgrade']['batches_left'] == 0
    assert result.vnf_instance['vnfdVersion'] == '2.0'
    assert sorted(v['id'] for v in result.lcm_op_occ['resourceChanges']['affectedVnfcs']) == ['VDU1-0', 'VDU1-1', 'VDU1-2', 'VDU2-0']
    assert {s['metadata']['nfvo_vnfd_version'] for s in api.items['servers']} == {'2.0'}
    mark = len(api.calls)
    again = U.change_vnfpkg(context(api), 'web-1', options(v2))
    assert not again.changed and writes(api, mark) == [] and again.extra['upgrade']['batches'] == []


def test_batch_next_runs_one_batch_a_call_and_the_record_moves_with_the_last(basic, v2):
    api = instantiated(basic)
    left = []
    for dummy in range(3):
        result = U.change_vnfpkg(context(api), 'web-1', options(v2, batch='next'))
        left.append((result.extra['upgrade']['batches_left'], result.vnf_instance['vnfdVersion']))
    assert left == [(2, '1.0'), (1, '1.0'), (0, '2.0')]
    assert not U.change_vnfpkg(context(api), 'web-1', options(v2, batch='next')).changed


def test_a_failed_health_gate_rolls_back_every_changed_vnfc_and_keep_goes_on_from_there(basic, v2, monkeypatch):
    api = instantiated(basic)
    before, ips = images_of(api), ips_of(api)
    U.change_vnfpkg(context(api), 'web-1', options(v2, batch='next'))  # batch 1 in an earlier call (as the role does)
    monkeypatch.setattr(H, '_http_answers', lambda url, timeout: 'HTTP 500 from %s' % url if 'VDU1-1' in url else '')
    monkeypatch.setattr(H, 'HEALTH_POLL', 0.01)
    check = {'http_url': 'http://127.0.0.1:9/{vnfc}', 'timeout': 0.05}
    result = U.change_vnfpkg(context(api), 'web-1', options(v2, health_check=check))
    assert result.lcm_op_occ['operationState'] == 'ROLLED_BACK'
    assert result.error.startswith('Failed the health check of server VDU1-1 (VNF web-1) after its rebuild: HTTP 500 from http://127.0.0.1:9/VDU1-1')
    assert images_of(api) == before and ips_of(api) == ips and result.extra['upgrade']['batches_left'] == 3
    assert result.vnf_instance['vnfdVersion'] == '1.0'
    # keep: FAILED_TEMP, VDU1-1 on the new image; a retry through vnf_lcm_op_occ goes on (no health check then)
    kept = U.change_vnfpkg(context(api, on_failure='keep'), 'web-1', options(v2, health_check=check))
    assert kept.lcm_op_occ['operationState'] == 'FAILED_TEMP' and images_of(api)['VDU1-1'][1] == 'img-new'
    assert images_of(api)['VDU1-2'][1] == 'img-cirros'
    monkeypatch.setattr(H, '_http_answers', lambda url, timeout: '')
    retried = continue_occurrence(context(api), {'id': kept.lcm_op_occ['id'], 'action': 'retry', 'package': v2, 'images': NEW})
    assert retried.lcm_op_occ['operationState'] == 'COMPLETED' and {i for dummy, i in images_of(api).values()} == {'img-new'}


def test_a_kept_failure_rolls_back_through_vnf_lcm_op_occ_with_the_package_the_record_names(basic, v2, monkeypatch):
    api = instantiated(basic)
    before = images_of(api)
    monkeypatch.setattr(H, '_http_answers', lambda url, timeout: 'HTTP 500 from %s' % url if 'VDU1-1' in url else '')
    monkeypatch.setattr(H, 'HEALTH_POLL', 0.01)
    kept = U.change_vnfpkg(context(api, on_failure='keep'), 'web-1', options(v2, health_check={'http_url': 'http://h/{vnfc}', 'timeout': 0.05}))
    assert kept.lcm_op_occ['operationState'] == 'FAILED_TEMP'
    back = continue_occurrence(context(api), {'id': kept.lcm_op_occ['id'], 'action': 'rollback', 'package': os.path.join(PKGS, 'v2_basic_min'),
                                              'images': {'VDU1': 'cirros', 'VDU2': 'cirros'}})
    assert back.lcm_op_occ['operationState'] == 'ROLLED_BACK' and images_of(api) == before
    assert V.record_of(discover_one(api, IID, 'web-1'))['record']['op']['state'] == 'ROLLED_BACK'


@pytest.mark.parametrize('change, words', [
    ({'images': {}}, 'no image for VDU1'),
    ({'images': {'VDU1': 'nope'}}, "image 'nope' given for VDU1 in images is not in Glance"),
    ({'max_unavailable': 0}, 'max_unavailable of VDU1 is 0'),
    ({'package': None}, 'VNF web-1: change_vnfpkg needs the package to move to'),
])
def test_refusals_are_one_line_before_any_write(basic, v2, change, words):
    api = instantiated(basic)
    mark = len(api.calls)
    with pytest.raises((LcmError, PlanError)) as err:
        U.change_vnfpkg(context(api), 'web-1', dict(options(v2), **change))
    assert words in str(err.value) and '\n' not in str(err.value) and writes(api, mark) == []


def test_another_vnfd_needs_the_same_product_of_from_package(basic, v2, tmp_path):
    api = instantiated(basic)
    other = str(tmp_path / 'other')
    shutil.copytree(v2, other)
    top = os.path.join(other, 'Definitions', 'v2_sample2_top.vnfd.yaml')
    with open(top) as f:
        text = f.read().replace('b1bb0ce7-ebca-4fa7-95ed-4840d7000000', 'b1bb0ce7-ebca-4fa7-95ed-4840d7000099')
    with open(top, 'w') as f:
        f.write(text)
    with pytest.raises(LcmError) as err:
        U.change_vnfpkg(context(api), 'web-1', options(other))
    assert 'give from_package, the package of VNFD b1bb0ce7-ebca-4fa7-95ed-4840d7000000' in str(err.value)
    with open(top, 'w') as f:
        f.write(text.replace('product_name: Sample VNF', 'product_name: Other VNF'))
    with pytest.raises(LcmError) as err:
        U.change_vnfpkg(context(api), 'web-1', options(other, from_package=os.path.join(PKGS, 'v2_basic_min')))
    assert "is product 'Other VNF' of provider 'Company', the VNF is product 'Sample VNF'" in str(err.value)
    with open(top, 'w') as f:
        f.write(text)
    moved = U.change_vnfpkg(context(api), 'web-1', options(other, from_package=os.path.join(PKGS, 'v2_basic_min')))
    assert moved.vnf_instance['vnfdId'] == 'b1bb0ce7-ebca-4fa7-95ed-4840d7000099', moved.error


def test_vnf_given_another_version_of_its_package_upgrades_then_converges_and_the_same_again_writes_nothing(basic, v2):
    api = instantiated(basic)
    before = images_of(api)
    pkg = read_package(v2)
    req = request(pkg, images=NEW, scale_levels={'VDU1_scale': 2})
    req.instance_id = IID
    mark = len(api.calls)
    preview = U.converge_package(context(api, check_mode=True), pkg, pkg.vnfd.flavour('simple'), req, {'package': v2, 'images': NEW})
    assert preview.changed and writes(api, mark) == [] and preview.extra['upgrade']['batches_left'] == 3
    result = U.converge_package(context(api), pkg, pkg.vnfd.flavour('simple'), req, {'package': v2, 'images': NEW})
    assert result.lcm_op_occ['operation'] == 'CHANGE_VNFPKG' and result.vnf_instance['vnfdVersion'] == '2.0', result.error
    assert images_of(api) == {vnfc: (sid, 'img-new') for vnfc, (sid, dummy) in before.items()}
    mark = len(api.calls)
    again = U.converge_package(context(api), pkg, pkg.vnfd.flavour('simple'), req, {'package': v2, 'images': NEW})
    assert not again.changed and writes(api, mark) == []


BIG = {'id': 'f-1-1024-3', 'name': 'vnf.big', 'vcpus': 1, 'ram': 1024, 'disk': 3}


def bigger_vdu2(v2, tmp_path, cp=False):
    """v2 with VDU2 of 1024 MB (another compute flavour: its VNFC is recreated); ``cp``: VDU2_CP1 also dropped."""
    path = str(tmp_path / 'bigger')
    shutil.copytree(v2, path)
    flavour_file = os.path.join(path, 'Definitions', 'v2_sample2_df_simple.yaml')
    with open(flavour_file, encoding='utf-8') as f:
        text = f.read()
    head, vdu2 = text.split('    VDU2:\n', 1)
    text = head + '    VDU2:\n' + vdu2.replace('virtual_mem_size: 512 MB', 'virtual_mem_size: 1024 MB', 1)
    if cp:
        text = text.replace('virtual_binding: VDU2', 'virtual_binding: VDU1')
    with open(flavour_file, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def flavors_of(api):
    return {s['metadata']['nfvo_vnfc_id']: s['flavor']['original_name'] for s in api.items['servers']}


def big_cloud(basic):
    api = instantiated(basic)
    api.flavors.append(BIG)
    return api


def test_a_changed_compute_flavour_recreates_the_vnfc_on_its_ports_in_a_batch_with_rebuilds_and_a_rerun_writes_nothing(basic, v2, tmp_path):
    api = big_cloud(basic)
    bigger = bigger_vdu2(v2, tmp_path)
    before, ips, ports = images_of(api), ips_of(api), sorted(p['id'] for p in api.items['ports'])
    mark = len(api.calls)
    preview = U.change_vnfpkg(context(api, check_mode=True), 'web-1', options(bigger, max_unavailable={'VDU1': 3}))
    assert writes(api, mark) == [] and preview.changed
    assert [(s['vnfc'], s['mode'], s.get('why')) for s in preview.extra['upgrade']['batches'][0]] == [
        ('VDU1-0', 'rebuild', None), ('VDU1-1', 'rebuild', None), ('VDU1-2', 'rebuild', None),
        ('VDU2-0', 'recreate', 'flavor 1 vCPU/512 MB/3 GB -> 1 vCPU/1024 MB/3 GB')]
    summaries = [a['summary'] for a in preview.plan]
    assert summaries[2:] == [
        'rebuild server VDU1-2 (batch 1 of 1: image img-cirros -> cirros-new)',
        'delete server VDU2-0 (batch 1 of 1: the old server first, its ports kept)',
        'create server VDU2-0 (batch 1 of 1: recreated (flavor 1 vCPU/512 MB/3 GB -> 1 vCPU/1024 MB/3 GB), flavor vnf.big, image cirros-new, '
        'group policy_affinity_group)',
        'update VNF instance record nfvo-vnf-web-1 (record VNFD b1bb0ce7-ebca-4fa7-95ed-4840d7000000 version 2.0)']
    result = U.change_vnfpkg(context(api), 'web-1', options(bigger, max_unavailable={'VDU1': 3}))
    assert result.lcm_op_occ['operationState'] == 'COMPLETED', result.error
    after = images_of(api)
    assert {v: after[v] for v in ('VDU1-0', 'VDU1-1', 'VDU1-2')} == {v: (before[v][0], 'img-new') for v in ('VDU1-0', 'VDU1-1', 'VDU1-2')}
    assert after['VDU2-0'][0] != before['VDU2-0'][0] and after['VDU2-0'][1] == 'img-new'  # a new server, on the same ports
    assert flavors_of(api)['VDU2-0'] == BIG['id'] and flavors_of(api)['VDU1-0'] == 'f-1-512-3'
    assert ips_of(api) == ips and sorted(p['id'] for p in api.items['ports']) == ports
    assert result.vnf_instance['vnfdVersion'] == '2.0'
    assert sorted((v['id'], v['changeType']) for v in result.lcm_op_occ['resourceChanges']['affectedVnfcs']) == [
        ('VDU1-0', 'MODIFIED'), ('VDU1-1', 'MODIFIED'), ('VDU1-2', 'MODIFIED'), ('VDU2-0', 'MODIFIED')]
    mark = len(api.calls)
    again = U.change_vnfpkg(context(api), 'web-1', options(bigger, max_unavailable={'VDU1': 3}))
    assert not again.changed and writes(api, mark) == []


def vdu2_fails_the_gate(monkeypatch):
    """The health_check option whose HTTP probe fails for VDU2-0 only (answered here, no server), tried every 10 ms."""
    monkeypatch.setattr(H, '_http_answers', lambda url, timeout: 'HTTP 500 from %s' % url if 'VDU2-0' in url else '')
    monkeypatch.setattr(H, 'HEALTH_POLL', 0.01)
    return {'http_url': 'http://h/{vnfc}', 'timeout': 0.05}


def test_a_failed_health_gate_puts_a_recreated_vnfc_back_as_it_was_on_its_ports(basic, v2, tmp_path, monkeypatch):
    api = big_cloud(basic)
    bigger = bigger_vdu2(v2, tmp_path)
    before, ips, flavors = images_of(api), ips_of(api), flavors_of(api)
    check = vdu2_fails_the_gate(monkeypatch)
    result = U.change_vnfpkg(context(api), 'web-1', options(bigger, max_unavailable={'VDU1': 3}, health_check=check))
    assert result.lcm_op_occ['operationState'] == 'ROLLED_BACK', result.error
    assert result.error.startswith('Failed the health check of server VDU2-0 (VNF web-1) after its recreation: HTTP 500 from http://h/VDU2-0')
    now = images_of(api)
    assert {v: i for v, (dummy, i) in now.items()} == {v: i for v, (dummy, i) in before.items()}  # every VNFC on the old image
    assert {v: now[v][0] for v in now if v != 'VDU2-0'} == {v: before[v][0] for v in before if v != 'VDU2-0'}
    assert flavors_of(api) == flavors and ips_of(api) == ips and len(api.items['servers']) == 4
    assert {s['metadata']['nfvo_vnfd_version'] for s in api.items['servers']} == {'1.0'}
    assert result.vnf_instance['vnfdVersion'] == '1.0'


def test_a_kept_failed_recreate_rolls_back_through_vnf_lcm_op_occ_on_the_old_flavour(basic, v2, tmp_path, monkeypatch):
    api = big_cloud(basic)
    bigger = bigger_vdu2(v2, tmp_path)
    before, ips, flavors = images_of(api), ips_of(api), flavors_of(api)
    check = vdu2_fails_the_gate(monkeypatch)
    kept = U.change_vnfpkg(context(api, on_failure='keep'), 'web-1', options(bigger, health_check=check))
    assert kept.lcm_op_occ['operationState'] == 'FAILED_TEMP' and flavors_of(api)['VDU2-0'] == BIG['id']
    back = continue_occurrence(context(api), {'id': kept.lcm_op_occ['id'], 'action': 'rollback', 'package': os.path.join(PKGS, 'v2_basic_min'),
                                              'images': {'VDU1': 'cirros', 'VDU2': 'cirros'}})
    assert back.lcm_op_occ['operationState'] == 'ROLLED_BACK', back.error
    assert {v: i for v, (dummy, i) in images_of(api).items()} == {v: i for v, (dummy, i) in before.items()}
    assert flavors_of(api) == flavors and ips_of(api) == ips


def test_a_recreate_that_would_change_the_ports_is_refused_in_one_line_before_any_write(basic, v2, tmp_path):
    api = big_cloud(basic)
    moved = bigger_vdu2(v2, tmp_path, cp=True)
    mark = len(api.calls)
    with pytest.raises(LcmError) as err:
        U.change_vnfpkg(context(api), 'web-1', options(moved))
    assert str(err.value) == ('VNF web-1 cannot move to package %s: VNFC VDU2-0: the CPs of VDU2 differ in the new package (delete of port '
                              'VDU2_CP1): change_vnfpkg keeps the ports of a recreated VNFC' % moved)
    assert writes(api, mark) == []


class _St:
    def __init__(self, size, kind='block'):
        self.size_gb, self.kind, self.sw_image = size, kind, None


class _Vdu:
    def __init__(self, storage):
        self.storage = storage


class _Flavour:
    def __init__(self, storage, vdu_storage):
        self.storage, self.vdus = storage, {'VDU1': _Vdu(vdu_storage)}


def test_volumes_of_the_same_size_and_image_are_kept_others_replaced_and_a_rollback_puts_the_old_server_back():
    def vol(vid, storage, size, image=None, server=None):
        return {'id': vid, 'size': size, 'metadata': {'nfvo_vnfc_id': 'VDU1-0', 'nfvo_storage': storage},
                'volume_image_metadata': {'image_id': image} if image else {}, 'attachments': [{'server_id': server}] if server else []}
    old = dict(server('VDU1-0', image=None), flavor={'original_name': 'tiny'}, tags=['nfvo:vnfc=VDU1-0'])
    vols = [vol('v-root', 'Root', 3, 'img-old', old['id']), vol('v-data', 'Data', 1, None, old['id']), vol('v-logs', 'Logs', 1, None, old['id'])]
    snap = M.Snapshot(instance_id='i', vnf_name='web-1', servers=[old], volumes=vols, flavors=FLAVORS)
    flavour = _Flavour({'Root': _St(3), 'Data': _St(2), 'Logs': _St(1)}, ['Root', 'Data', 'Logs'])
    keep, replaced = UV.kept_volumes(snap, ['VDU1-0'], flavour, {'Root': 'img-new'})
    assert [v['id'] for v in keep] == ['v-logs'] and [v['id'] for v in replaced] == ['v-data', 'v-root']  # resized, re-imaged
    assert UV.volumes_differ('VDU1-0', vols, flavour.vdus['VDU1'], flavour, {'Root': 'img-old'}) == 'volume Data resized'
    flavour.storage['Data'] = _St(1)
    assert UV.volumes_differ('VDU1-0', vols, flavour.vdus['VDU1'], flavour, {'Root': 'img-new'}) == 'volume Root of another image'
    assert UV.volumes_differ('VDU1-0', vols, flavour.vdus['VDU1'], flavour, {'Root': 'img-old'}) == ''
    deletes = UV.replaced_deletes(snap, replaced)
    assert [(a.op, a.key, a.resource_id) for a in deletes] == [('delete', 'volume/VDU1-0/Data#replaced0', 'v-data'),
                                                               ('delete', 'volume/VDU1-0/Root#replaced1', 'v-root')]
    # the rollback of the recreated VNFC: the new server and volumes deleted, the old server made again on its ports and volumes
    step = U.Step('VDU1-0', old, U.RECREATE, None, 'img-new', 'volume Root of another image')
    new_spec = {'name': 'web-1-VDU1-0', 'flavorRef': 'f-1-512-3', 'imageRef': 'img-new', 'networks': [{'port': 'port-1'}], 'key_name': 'k'}
    plan = M.Plan(operation='CHANGE_VNFPKG', instance_id='i', vnf_name='web-1', actions=[
        M.Action(M.CREATE, 'server', 'server/VDU1-0', 'web-1-VDU1-0', owner={'vnfc': 'VDU1-0', 'vdu': 'VDU1'}, spec=new_spec)])
    now = [dict(server('VDU1-0', 'img-new'), id='srv-new')]
    created = [('volume', 'volume/VDU1-0/Root', {'id': 'v-new'}), ('server', 'server/VDU1-0', {'id': 'srv-new'})]
    back = U.plan_recreate_rollback(snap, now, [step], plan, created)
    assert [(a.op, a.key, a.deps) for a in back] == [('delete', 'server/VDU1-0#new0', []), ('delete', 'volume/VDU1-0/Root#new0', ['server/VDU1-0#new0']),
                                                     ('create', 'server/VDU1-0', ['server/VDU1-0#new0'])]
    assert back[-1].spec == {'name': 'web-1-VDU1-0', 'flavorRef': 'tiny', 'networks': [{'port': 'port-1'}], 'key_name': 'k',
                             'block_device_mapping_v2': [
                                 {'uuid': 'v-root', 'source_type': 'volume', 'destination_type': 'volume', 'delete_on_termination': False, 'boot_index': 0},
                                 {'uuid': 'v-data', 'source_type': 'volume', 'destination_type': 'volume', 'delete_on_termination': False, 'boot_index': -1},
                                 {'uuid': 'v-logs', 'source_type': 'volume', 'destination_type': 'volume', 'delete_on_termination': False, 'boot_index': -1}]}
    assert back[-1].metadata == old['metadata'] and back[-1].tags == ['nfvo:vnfc=VDU1-0']
    assert U.plan_recreate_rollback(snap, [old], [step], plan, created)[0].key == 'volume/VDU1-0/Root#new0'  # old server still there
    # a kept failure left the replaced volume beside the new one: once the VNFC is on the new package it goes
    again = dict(vols[0], id='v-root-2', attachments=[{'server_id': old['id']}])
    vols[0]['attachments'] = []
    snap.volumes.append(again)
    assert [v['id'] for v in UV.leftover_volumes(snap, {'VDU1': ['VDU1-0']})] == ['v-root']
    assert UV.leftover_volumes(M.Snapshot(instance_id='i', vnf_name='web-1', servers=[old], volumes=vols[1:]), {'VDU1': ['VDU1-0']}) == []


def test_a_vnfc_upgraded_by_an_earlier_call_whose_old_image_is_not_known_is_named_and_the_state_is_failed_temp(basic, v2, monkeypatch):
    api = instantiated(basic)
    U.change_vnfpkg(context(api), 'web-1', options(v2, batch='next'))  # VDU1-0 and VDU2-0 on the new image
    anchor = next(g for g in api.items['security-groups'] if 'nfvo:role=anchor' in g['tags'])
    anchor['tags'] = [t for t in anchor['tags'] if not t.startswith('nfvo:image=')]  # the old images not recorded
    monkeypatch.setattr(H, '_http_answers', lambda url, timeout: 'HTTP 500 from %s' % url)
    result = U.change_vnfpkg(context(api), 'web-1', options(v2, health_check={'http_url': 'http://h/{vnfc}', 'timeout': 0.01}))
    assert result.lcm_op_occ['operationState'] == 'FAILED_TEMP'
    assert result.error.endswith('; rolled back but for VDU2-0, whose old image is neither recorded nor onboarded: run change_vnfpkg with '
                                 'the old package and images'), result.error
    assert {v: i for v, (dummy, i) in images_of(api).items()} == {'VDU1-0': 'img-cirros', 'VDU1-1': 'img-cirros', 'VDU1-2': 'img-cirros',
                                                                  'VDU2-0': 'img-new'}


def test_http_probe_against_a_real_server_passes_on_200_and_names_the_status_otherwise():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            self.send_response(200 if self.path == '/ok' else 503)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = 'http://127.0.0.1:%d' % server.server_address[1]
        assert H._http_answers(base + '/ok', 5) == ''
        assert H._http_answers(base + '/down', 5) == 'HTTP 503 from %s/down' % base
    finally:
        server.shutdown()
