"""NS scaling (SCALE_NS) against the local OpenStack, on the scale_web NSD: two tiny VNFs (one VNFC each) over one NS
VL, web depends on db; NS scaling aspect web_scale takes web from 1 to 2 VNF instances, NS levels small / large.

Deploy at the default level, one NS step out (web and web-2, both ACTIVE on the NS VL, NS marks), the rerun of
`ns` and of the scale to the same levels without a write, a step beyond the aspect's max refused, back to level small
(web-2 removed), terminate leaves nothing."""
import json
import os
import uuid

import pytest

from vnf_resources import ns_left, ok, owned, writes
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NSD = os.path.join(ROOT, 'tests', 'data', 'nsd', 'scale_web', 'scale_web.yaml')
TINY = os.path.join(ROOT, 'tests', 'data', 'nsd', 'scale_web', 'tiny_vnf')
VNFS = {'db': {'package': TINY, 'images': {'VDU1': 'cirros-0.6.3'}}, 'web': {'package': TINY, 'images': {'VDU1': 'cirros-0.6.3'}}}
MEMBERS = ('db', 'web', 'web-2')


@pytest.fixture
def ns_name(run_module):
    name = 'it-nss-%s' % uuid.uuid4().hex[:6]
    yield name
    ok(run_module('telco.nfvo.ns', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}))


def servers(sdk, name, member):
    return owned(sdk, T.vnf_instance_id(sdk.current_project_id, T.ns_vnf_name(name, member)))['servers']


def info(run_module, name):
    [got] = ok(run_module('telco.nfvo.ns_info', {'name': name}))['ns_instances']
    return got


def test_ns_scale_by_aspect_and_to_level(run_module, sdk, vdu_flavor, http_log, ns_name):
    env, lines = http_log
    ns_args = {'name': ns_name, 'nsd': NSD, 'vnfs': VNFS, 'cidr_pool': ['10.97.0.0/16'], 'limits': {'depth': 60}}
    ok(run_module('telco.nfvo.ns', ns_args))
    assert [len(servers(sdk, ns_name, m)) for m in MEMBERS] == [1, 1, 0]
    scale = {'name': ns_name, 'nsd': NSD, 'vnfs': {'web': VNFS['web']}, 'cidr_pool': ['10.97.0.0/16'], 'aspect_id': 'web_scale'}

    # check mode: web-2's plan, nothing made
    res = ok(run_module('telco.nfvo.ns_scale', scale, check=True, env=env))
    assert res['changed'] and [(a['vnf'], a['key']) for a in res['plan'] if a['kind'] == 'server'] == [('web-2', 'server/VDU1-0')], res['plan']
    assert writes(lines()) == [] and servers(sdk, ns_name, 'web-2') == []

    # one NS step out: a second VNF instance of web, ACTIVE, on the NS VL, with the NS marks
    res = ok(run_module('telco.nfvo.ns_scale', scale))
    occ = res['ns_lcm_op_occ']
    assert occ['lcmOperationType'] == 'SCALE' and occ['operationState'] == 'COMPLETED', occ
    assert occ['operationParams']['scaleNsData']['scaleNsByStepsData'][0]['aspectId'] == 'web_scale'
    assert [(v['vnfProfileId'], v['changeType'], v['changeResult']) for v in occ['resourceChanges']['affectedVnfs']] == [('web', 'ADD', 'COMPLETED')]
    ns_id = T.ns_instance_id(sdk.current_project_id, ns_name)
    for member in ('web', 'web-2'):
        [server] = servers(sdk, ns_name, member)
        assert server.status == 'ACTIVE' and server.metadata['nfvo_ns_instance_id'] == ns_id, (member, server.status)
    net = next(iter(sdk.network.networks(name=T.ns_vl_name(ns_name, 'ns_vl'))))
    assert len(list(sdk.network.ports(network_id=net.id, tags=T.tag('cp', 'CP1')))) == 3
    got = info(run_module, ns_name)
    assert got['nsScaleStatus'] == [{'nsScalingAspectId': 'web_scale', 'nsScaleLevelId': '1'}], got['nsScaleStatus']
    assert got['metadata']['vnfInstances'] == {'db': 1, 'web': 2} and got['metadata']['drift'] == [], got['metadata']
    assert sorted(v['vnfInstanceName'] for v in got['vnfInstance']) == sorted(T.ns_vnf_name(ns_name, m) for m in MEMBERS)
    assert sorted(set(got['metadata']['vnfNodes'].values())) == ['db', 'web']
    anchor = next(iter(sdk.network.security_groups(name=T.ns_anchor_name(ns_name))))
    assert json.loads(anchor.description)['op']['type'] == 'SCALE' and T.multi_tag('member', 'web', 'vnf1x2') in anchor.tags

    # reruns: ns keeps the scaled NS as it is, the scale to the same NS scale level changes nothing - no write at all
    before = len(lines())
    assert ok(run_module('telco.nfvo.ns', ns_args, env=env))['changed'] is False
    to_level_1 = dict(scale, aspect_id=None, ns_scale_info={'web_scale': 1})
    del to_level_1['aspect_id']
    assert ok(run_module('telco.nfvo.ns_scale', to_level_1, env=env))['changed'] is False
    assert writes(lines()[before:]) == [], writes(lines()[before:])

    # a step beyond the aspect's max: refused in one line, nothing touched
    res = run_module('telco.nfvo.ns_scale', scale, env=env)
    assert res.get('failed') and res['msg'] == ('Cannot scale NS %s: scale_out by 1 step from NS scale level 1 leaves '
                                                'the range 0..1 of NS scaling aspect web_scale' % ns_name), res['msg']
    assert writes(lines()[before:]) == []

    # back to NS level small: web-2 terminated, the record at level small, no NS scale level
    res = ok(run_module('telco.nfvo.ns_scale', {'name': ns_name, 'nsd': NSD, 'ns_instantiation_level_id': 'small', 'termination_type': 'forceful'}))
    occ = res['ns_lcm_op_occ']
    assert occ['operationState'] == 'COMPLETED', occ
    assert [(v['vnfProfileId'], v['vnfInstanceId'], v['changeType']) for v in occ['resourceChanges']['affectedVnfs']] == [
        ('web', T.vnf_instance_id(sdk.current_project_id, T.ns_vnf_name(ns_name, 'web', 2)), 'REMOVE')]
    assert [len(servers(sdk, ns_name, m)) for m in MEMBERS] == [1, 1, 0]
    got = info(run_module, ns_name)
    assert got['nsScaleStatus'] == [] and got['metadata']['vnfInstances'] == {'db': 1, 'web': 1} and got['metadata']['drift'] == []
    assert ns_left(sdk, ns_name, MEMBERS).get('web-2 security_groups') is None

    # terminate: nothing left
    res = ok(run_module('telco.nfvo.ns', {'name': ns_name, 'state': 'absent', 'termination_type': 'forceful'}))
    assert res['ns_lcm_op_occ']['operationState'] == 'COMPLETED'
    assert ns_left(sdk, ns_name, MEMBERS) == {}
