"""CHANGE_FLAVOUR on the local OpenStack with tests/data/vnf_packages/two_flavours (small: VDU1; big: VDU1 x2, the same
VDU, + VDU2 of another compute flavour in an affinity group of its own): small -> big with telco.nfvo.vnf_change (VDU1-0
kept, VDU1-1, VDU2-0 and the server group made, the new servers charged), back to small with telco.nfvo.vnf and another
flavour_id (what big added deleted, VDU1-0 still kept); check mode writes nothing; second runs change nothing with zero
writes; a refusal is one line before any write; a failure half-way (Nova's metadata quota on VDU2) is rolled back;
nothing left behind after terminate."""
import os
import uuid

import pytest

from vnf_resources import anchor_of, assert_nothing_left, instance_id_of, ok, owned, writes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TWO = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'two_flavours')
IMAGES = {'cirros-0.5.2-x86_64-disk': 'cirros-0.6.3'}  # the software image of both flavours' VDUs


@pytest.fixture(scope='module')
def vdu2_flavor(admin_sdk):
    """A public flavor that fits big's VDU2 exactly (1 vCPU, 640 MB, 3 GB); the user's, left by terminate."""
    flavor = admin_sdk.compute.create_flavor(name='it-chflv-1-640-3-%s' % uuid.uuid4().hex[:6], vcpus=1, ram=640, disk=3, is_public=True)
    yield flavor
    admin_sdk.compute.delete_flavor(flavor)


@pytest.fixture
def vnf(sdk, run_module, vdu_flavor, vdu2_flavor):
    """two_flavours instantiated in flavour small; terminated (and checked gone) at the end."""
    name = 'it-chflv-%s' % uuid.uuid4().hex[:6]
    ok(run_module('telco.nfvo.vnf', {'name': name, 'package': TWO, 'flavour_id': 'small', 'images': IMAGES}))
    yield name
    ok(run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}))
    assert_nothing_left(sdk, instance_id_of(sdk, name))


def servers(sdk, iid):
    return {s.metadata['nfvo_vnfc_id']: s for s in owned(sdk, iid)['servers']}


def recorded(sdk, iid):
    marks = dict(t.split('=', 1) for t in anchor_of(sdk, iid).tags if '=' in t)
    return marks.get('nfvo:flavour'), marks.get('nfvo:level')


def server_events(res, action):
    return sorted(e.get('vdu') for e in res.get('usage_events') or [] if e['resource_type'] == 'server' and e['action'] == action)


def test_change_flavour_there_and_back_and_a_failure_rolled_back(run_module, sdk, http_log, vnf, metadata_quota):
    env, lines = http_log
    iid = instance_id_of(sdk, vnf)
    first = servers(sdk, iid)['VDU1-0'].id
    change = {'name': vnf, 'operation': 'change_flavour', 'flavour_id': 'big', 'package': TWO, 'images': IMAGES}

    # a flavour the VNFD does not have: one line naming those it has, before any write
    mark = len(lines())
    res = run_module('telco.nfvo.vnf_change', dict(change, flavour_id='huge'), env=env)
    assert res.get('failed') and "flavour 'huge' is not defined in VNFD" in res['msg'] and '(flavours: small, big)' in res['msg'], res['msg']
    assert '\n' not in res['msg'] and writes(lines()[mark:]) == [], writes(lines()[mark:])

    # check mode: the plan (creates, then the record after them), not a single write
    mark = len(lines())
    res = ok(run_module('telco.nfvo.vnf_change', change, check=True, diff=True, env=env))
    assert sorted(a['key'] for a in res['plan'] if a['action'] == 'create') == [
        'port/VDU1-1/VDU1_CP1', 'port/VDU2-0/VDU2_CP1', 'server/VDU1-1', 'server/VDU2-0', 'server_group/VDU2_affinity'], res['plan']
    assert not [a for a in res['plan'] if a['action'] == 'delete'], res['plan']
    assert (res['diff']['before']['flavourId'], res['diff']['after']['flavourId']) == ('small', 'big')
    assert writes(lines()[mark:]) == [], writes(lines()[mark:])

    # small -> big: VDU1-0 kept, VDU1-1 and VDU2-0 (in its server group) made and charged, the record says big
    res = ok(run_module('telco.nfvo.vnf_change', change))
    occ = res['lcm_op_occ']
    assert (occ['operation'], occ['operationState']) == ('CHANGE_FLAVOUR', 'COMPLETED'), occ
    assert occ['operationParams'] == {'newFlavourId': 'big', 'instantiationLevelId': 'big_level'}
    now = servers(sdk, iid)
    assert sorted(now) == ['VDU1-0', 'VDU1-1', 'VDU2-0'] and now['VDU1-0'].id == first and all(s.status == 'ACTIVE' for s in now.values())
    assert (now['VDU2-0'].flavor.vcpus, now['VDU2-0'].flavor.ram) == (1, 640)  # big's VDU2: its own compute flavour
    [group] = owned(sdk, iid)['server_groups']
    assert group.member_ids == [now['VDU2-0'].id] and recorded(sdk, iid) == ('big', 'big_level')
    assert server_events(res, 'created') == ['VDU1', 'VDU2'], res.get('usage_events')
    mark = len(lines())
    assert ok(run_module('telco.nfvo.vnf_change', change, env=env))['changed'] is False
    assert writes(lines()[mark:]) == [], writes(lines()[mark:])

    # back to small, declaratively: what big added is deleted (and charged so), VDU1-0 still the same server
    declared = {'name': vnf, 'package': TWO, 'flavour_id': 'small', 'images': IMAGES}
    res = ok(run_module('telco.nfvo.vnf', declared))
    assert (res['lcm_op_occ']['operation'], res['lcm_op_occ']['operationState']) == ('CHANGE_FLAVOUR', 'COMPLETED'), res['lcm_op_occ']
    assert {k: s.id for k, s in servers(sdk, iid).items()} == {'VDU1-0': first} and owned(sdk, iid)['server_groups'] == []
    assert recorded(sdk, iid) == ('small', 'small_level') and server_events(res, 'deleted') == ['VDU1', 'VDU2'], res.get('usage_events')
    mark = len(lines())
    assert ok(run_module('telco.nfvo.vnf', declared, env=env))['changed'] is False
    assert writes(lines()[mark:]) == [], writes(lines()[mark:])

    # a failure half-way (Nova refuses VDU2's server: more metadata than the quota): rolled back, still small
    before = {k: sorted(r.id for r in v) for k, v in owned(sdk, iid).items() if k != 'security_groups'}
    heavy = {'vdu_params': {'VDU2': {'server_metadata': {'k%02d' % i: 'v' for i in range(metadata_quota)}}}}
    res = run_module('telco.nfvo.vnf_change', dict(change, additional_params=heavy))
    assert res.get('failed') and 'Maximum number of metadata items exceeds 20' in res['msg'], res['msg']
    assert (res['lcm_op_occ']['operation'], res['lcm_op_occ']['operationState']) == ('CHANGE_FLAVOUR', 'ROLLED_BACK'), res['lcm_op_occ']
    assert {k: sorted(r.id for r in v) for k, v in owned(sdk, iid).items() if k != 'security_groups'} == before
    assert recorded(sdk, iid) == ('small', 'small_level')
