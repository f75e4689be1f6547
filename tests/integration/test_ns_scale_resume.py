"""A failed NS scale resumed, against the local OpenStack, on scale_three.yaml (tests/data/nsd/scale_web): two tiny
VNFs (one VNFC each) over one NS VL, web depends on db; one step of NS scaling aspect web_scale adds web-2 and web-3
together.

The scale runs through the fault proxy (tests/faults/proxy.py) with a 500 on the second server create: exactly one of
web-2 / web-3 fails, ``on_failure: keep`` -> the NS occurrence PARTIALLY_COMPLETED, the finished VNF kept whole and
ACTIVE, the failed one FAILED_TEMP with what it made kept, the NS record still at NS scale level 0. The same scale again
without the fault resumes it: the finished VNF not touched (no write names any of its resources, nothing of it created
or deleted by the cloud's account), the failed one completed with one server create, the record at NS scale level 1
with 3 web instances, no drift. Terminate leaves nothing."""
import json
import os
import uuid

import pytest

from vnf_resources import ns_left, ok, owned, writes
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NSD = os.path.join(ROOT, 'tests', 'data', 'nsd', 'scale_web', 'scale_three.yaml')
TINY = os.path.join(ROOT, 'tests', 'data', 'nsd', 'scale_web', 'tiny_vnf')
VNF = {'package': TINY, 'images': {'VDU1': 'cirros-0.6.3'}}
MEMBERS = ('db', 'web', 'web-2', 'web-3')
SERVERS = r'/servers$'


@pytest.fixture
def ns_name(run_module, sdk):
    name = 'it-nsr-%s' % uuid.uuid4().hex[:6]
    yield name
    ok(run_module('telco.nfvo.ns', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}))
    assert ns_left(sdk, name, MEMBERS) == {}


def owned_by(sdk, name, member):
    return owned(sdk, T.vnf_instance_id(sdk.current_project_id, T.ns_vnf_name(name, member)))


def ids_of(found):
    return {r.id for items in found.values() for r in items}


def test_a_failed_ns_scale_out_kept_then_resumed_without_touching_the_finished_vnf(run_module, sdk, vdu_flavor, http_log, proxy, ns_name):
    env, lines = http_log
    through_proxy = dict(env, OS_CLIENT_CONFIG_FILE=proxy.clouds)
    ok(run_module('telco.nfvo.ns', {'name': ns_name, 'nsd': NSD, 'vnfs': {'db': VNF, 'web': VNF}, 'cidr_pool': ['10.98.0.0/16'],
                                    'limits': {'depth': 60}}))
    scale = {'name': ns_name, 'nsd': NSD, 'vnfs': {'web': VNF}, 'cidr_pool': ['10.98.0.0/16'], 'aspect_id': 'web_scale',
             'on_failure': 'keep'}

    # the second server create of the scale gets a 500: one of web-2 / web-3 fails, the other finishes and is kept
    proxy.clear()
    proxy.add('status:500', service='compute', method='POST', path=SERVERS, nth=2)
    res = run_module('telco.nfvo.ns_scale', scale, env=through_proxy)
    proxy.rules = []
    occ = res.get('ns_lcm_op_occ') or {}
    assert res.get('failed') and occ.get('operationState') == 'PARTIALLY_COMPLETED', res
    assert [f[3] for f in proxy.fired] == ['status:500'] and len(proxy.created('compute', '/servers')) == 1
    results = {v['vnfInstanceId']: v['changeResult'] for v in occ['resourceChanges']['affectedVnfs']}
    member = {T.vnf_instance_id(sdk.current_project_id, T.ns_vnf_name(ns_name, m)): m for m in ('web-2', 'web-3')}
    assert sorted(results.values()) == ['COMPLETED', 'FAILED'] and set(results) == set(member), occ
    [done] = [member[i] for i, r in results.items() if r == 'COMPLETED']
    [failed] = [member[i] for i, r in results.items() if r == 'FAILED']
    assert 'injected fault' in res['msg'] and 'VNF %s' % failed in res['msg'], res['msg']
    finished = owned_by(sdk, ns_name, done)
    assert [s.status for s in finished['servers']] == ['ACTIVE'] and len(finished['ports']) == 1
    kept = owned_by(sdk, ns_name, failed)
    assert kept['servers'] == [] and len(kept['ports']) == 1  # FAILED_TEMP, what it made kept for the rerun
    record = next(g for g in kept['security_groups'] if 'nfvo:role=anchor' in g.tags)
    assert json.loads(record.description)['op']['state'] == 'FAILED_TEMP'
    [got] = ok(run_module('telco.nfvo.ns_info', {'name': ns_name}))['ns_instances']
    assert got['nsScaleStatus'] == [] and got['metadata']['vnfInstances'] == {'db': 1, 'web': 1}, got['metadata']  # not scaled yet

    # the same scale again, no fault: the failed VNF completes, the finished one is not touched
    proxy.clear()
    before = len(lines())
    res = ok(run_module('telco.nfvo.ns_scale', scale, env=through_proxy))
    occ = res['ns_lcm_op_occ']
    assert occ['operationState'] == 'COMPLETED', occ
    assert [(v['vnfInstanceId'], v['changeResult']) for v in occ['resourceChanges']['affectedVnfs']] == [
        (T.vnf_instance_id(sdk.current_project_id, T.ns_vnf_name(ns_name, failed)), 'COMPLETED')], occ
    untouched = ids_of(finished)
    assert not [ln for ln in writes(lines()[before:]) if any(rid in ln for rid in untouched)], writes(lines()[before:])
    assert not [d for d in proxy.done if d[3] in untouched]
    assert len(proxy.created('compute', '/servers')) == 1 and proxy.deleted('compute', '/servers') == []
    assert ids_of(owned_by(sdk, ns_name, done)) == untouched
    for m in ('web', 'web-2', 'web-3'):
        assert [s.status for s in owned_by(sdk, ns_name, m)['servers']] == ['ACTIVE'], m
    [got] = ok(run_module('telco.nfvo.ns_info', {'name': ns_name}))['ns_instances']
    assert got['nsScaleStatus'] == [{'nsScalingAspectId': 'web_scale', 'nsScaleLevelId': '1'}], got['nsScaleStatus']
    assert got['metadata']['vnfInstances'] == {'db': 1, 'web': 3} and got['metadata']['drift'] == [], got['metadata']
    anchor = next(iter(sdk.network.security_groups(name=T.ns_anchor_name(ns_name))))
    op = json.loads(anchor.description)['op']
    assert (op['type'], op['state']) == ('SCALE', 'COMPLETED'), op

    # terminate: nothing left
    res = ok(run_module('telco.nfvo.ns', {'name': ns_name, 'state': 'absent', 'termination_type': 'forceful'}))
    assert res['ns_lcm_op_occ']['operationState'] == 'COMPLETED'
    assert ns_left(sdk, ns_name, MEMBERS) == {}
