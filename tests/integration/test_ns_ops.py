"""The NS operations against the local OpenStack (ns_scale, ns_heal, ns_update), on one NS of two helloworld3 VNFs
over one NS VL (the NS of test_ns.py): scale web out through the NS, heal a server deleted behind our back, a stale NS
lock taken over, REMOVE_VNF then ADD_VNF, terminate leaves nothing. CHANGE_VNF_DF on an NS of one two_flavours VNF
(tests/data/nsd/two_flavours): small -> big with ns_update, kept by ns, back to small declaratively with ns."""
import json
import os
import time

# ns_name is test_ns's fixture (the NS name, terminated at the end)
from test_ns import HELLO, IMAGES, NODES, NSD, ROOT, ns_left, ns_name, ok, vnfcs  # noqa: F401 pylint: disable=unused-import
# vdu2_flavor: a flavor for two_flavours' big VDU2 (1 vCPU, 640 MB, 3 GB)
from test_vnf_change_flavour import IMAGES as TWO_IMAGES, TWO, vdu2_flavor  # noqa: F401 pylint: disable=unused-import
from vnf_resources import writes
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T


def anchor_of(sdk, name):
    return next(iter(sdk.network.security_groups(name=T.ns_anchor_name(name))))


def members(run_module, name):
    [got] = ok(run_module('telco.nfvo.ns_info', {'name': name}))['ns_instances']
    return got['metadata']['members']['vnfs'], got


def test_ns_scale_heal_lock_update_terminate(run_module, sdk, vdu_flavor, ns_name):  # noqa: F811
    vnfs = {'db': {'package': HELLO, 'images': IMAGES}, 'web': {'package': HELLO, 'images': IMAGES}}
    ok(run_module('telco.nfvo.ns', {'name': ns_name, 'nsd': NSD, 'vnfs': vnfs}))
    base = {'name': ns_name, 'vnfs': vnfs}

    # scale: input errors in one line before any write, then web out by one step of worker_instance (VDU2 + 1)
    scale = dict(base, vnf='web', aspect_id='worker_instance')
    res = run_module('telco.nfvo.ns_scale', dict(scale, vnf='cache'))
    assert res.get('failed') and "has no VNF node 'cache' (its VNF nodes: db, web)" in res['msg'], res['msg']
    res = run_module('telco.nfvo.ns_scale', dict(scale, aspect_id='nope'))
    assert res.get('failed') and "aspect 'nope' is not defined" in res['msg'] and '\n' not in res['msg'], res['msg']
    res = run_module('telco.nfvo.ns_scale', dict(scale, type='scale_in'))
    assert res.get('failed') and 'leaves its range 0..2' in res['msg'], res['msg']
    res = ok(run_module('telco.nfvo.ns_scale', scale, check=True, diff=True))
    assert res['changed'] and [(a['vnf'], a['key']) for a in res['plan'] if a['kind'] == 'server'] == [('web', 'server/VDU2-1')], res['plan']
    assert sorted(vnfcs(sdk, ns_name, 'web')) == ['VDU1-0', 'VDU2-0']
    res = ok(run_module('telco.nfvo.ns_scale', scale))
    occ = res['ns_lcm_op_occ']
    assert occ['lcmOperationType'] == 'SCALE' and occ['operationState'] == 'COMPLETED', occ
    assert [(v['vnfProfileId'], v['changeType']) for v in occ['resourceChanges']['affectedVnfs']] == [('web', 'MODIFY')]
    assert occ['resourceChanges']['affectedVnfs'][0]['vnfLcmOpOccId']
    web = vnfcs(sdk, ns_name, 'web')
    assert sorted(web) == ['VDU1-0', 'VDU2-0', 'VDU2-1'] and all(s.status == 'ACTIVE' for s in web.values())
    assert json.loads(anchor_of(sdk, ns_name).description)['op']['type'] == 'SCALE'

    # heal: a server of db deleted behind our back comes back; healthy web is not touched
    db = vnfcs(sdk, ns_name, 'db')
    sdk.compute.delete_server(db['VDU2-0'])
    sdk.compute.wait_for_delete(db['VDU2-0'], wait=120)
    res = run_module('telco.nfvo.ns_heal', dict(base, vnf_nodes=['nope']), check=True)
    assert res.get('failed') and "Cannot heal NS %s: it has no VNF node 'nope'" % ns_name in res['msg'], res['msg']
    res = ok(run_module('telco.nfvo.ns_heal', base, check=True))
    assert [(a['vnf'], a['kind'], a['key']) for a in res['plan'] if a['kind'] == 'server'] == [('db', 'server', 'server/VDU2-0')], res['plan']
    res = ok(run_module('telco.nfvo.ns_heal', base))
    occ = res['ns_lcm_op_occ']
    assert occ['lcmOperationType'] == 'HEAL' and occ['operationState'] == 'COMPLETED', occ
    assert [v['vnfProfileId'] for v in occ['resourceChanges']['affectedVnfs']] == ['db'], occ
    healed = vnfcs(sdk, ns_name, 'db')
    assert sorted(healed) == ['VDU1-0', 'VDU2-0'] and healed['VDU2-0'].id != db['VDU2-0'].id and healed['VDU2-0'].status == 'ACTIVE'
    assert {k: s.id for k, s in vnfcs(sdk, ns_name, 'web').items()} == {k: s.id for k, s in web.items()}
    assert ok(run_module('telco.nfvo.ns_heal', base))['changed'] is False

    # remove: db is needed by web (refused), web goes; a held NS lock refuses, a stale one is taken over
    update = {'name': ns_name, 'nsd': NSD, 'update_type': 'remove_vnf', 'termination_type': 'forceful'}
    res = run_module('telco.nfvo.ns_update', dict(update, vnf_nodes=['db']))
    assert res.get('failed') and res['msg'] == 'Cannot remove VNF db from NS %s: VNF web depends on it (remove web too)' % ns_name, res['msg']
    anchor = anchor_of(sdk, ns_name)
    holder = dict(json.loads(anchor.description), lock={'op': 'other-run', 'exp': int(time.time()) + 600})
    sdk.network.update_security_group(anchor, description=json.dumps(holder))
    res = run_module('telco.nfvo.ns_update', dict(update, vnf_nodes=['web']))
    assert res.get('failed') and 'NS %s is locked by another run (LCM operation other-run' % ns_name in res['msg'], res['msg']
    assert sorted(vnfcs(sdk, ns_name, 'web')) == ['VDU1-0', 'VDU2-0', 'VDU2-1']
    holder['lock']['exp'] = int(time.time()) - 1
    sdk.network.update_security_group(anchor_of(sdk, ns_name), description=json.dumps(holder))
    res = ok(run_module('telco.nfvo.ns_update', dict(update, vnf_nodes=['web'])))
    occ = res['ns_lcm_op_occ']
    assert occ['lcmOperationType'] == 'UPDATE' and occ['operationState'] == 'COMPLETED', occ
    assert [(v['vnfProfileId'], v['changeType']) for v in occ['resourceChanges']['affectedVnfs']] == [('web', 'REMOVE')]
    assert vnfcs(sdk, ns_name, 'web') == {}
    record = json.loads(anchor_of(sdk, ns_name).description)
    assert 'lock' not in record and record['op']['id'] == occ['id'], record
    got, info = members(run_module, ns_name)
    assert got == {'db': 0} and info['metadata']['drift'] == [], info['metadata']
    assert ok(run_module('telco.nfvo.ns_update', dict(update, vnf_nodes=['web'])))['changed'] is False

    # add web back: on the NS VL, a member again
    add = dict(update, update_type='add_vnf', vnf_nodes=['web'], vnfs={'web': vnfs['web']})
    res = run_module('telco.nfvo.ns_update', dict(add, vnf_nodes=['cache']), check=True)
    assert res.get('failed') and 'Cannot add VNF cache to NS %s: NSD flavour default has no VNF node' % ns_name in res['msg'], res['msg']
    res = ok(run_module('telco.nfvo.ns_update', add, check=True))
    assert sorted(a['key'] for a in res['plan'] if a['kind'] == 'server') == ['server/VDU1-0', 'server/VDU2-0'], res['plan']
    assert vnfcs(sdk, ns_name, 'web') == {}
    res = ok(run_module('telco.nfvo.ns_update', add))
    occ = res['ns_lcm_op_occ']
    assert [(v['vnfProfileId'], v['changeType'], v['changeResult']) for v in occ['resourceChanges']['affectedVnfs']] == [('web', 'ADD', 'COMPLETED')]
    web = vnfcs(sdk, ns_name, 'web')
    assert sorted(web) == ['VDU1-0', 'VDU2-0'] and all(s.status == 'ACTIVE' for s in web.values())
    net = next(iter(sdk.network.networks(name=T.ns_vl_name(ns_name, 'ns_vl'))))
    assert len([p for p in sdk.network.ports(network_id=net.id) if 'nfvo:cp=CP1' in p.tags]) == 2  # db's and web's again
    assert members(run_module, ns_name)[0] == {'db': 0, 'web': 1}
    assert ok(run_module('telco.nfvo.ns', {'name': ns_name, 'nsd': NSD, 'vnfs': vnfs}))['changed'] is False

    # terminate: nothing left
    res = ok(run_module('telco.nfvo.ns', {'name': ns_name, 'state': 'absent', 'termination_type': 'forceful'}))
    assert res['ns_lcm_op_occ']['operationState'] == 'COMPLETED'
    assert ns_left(sdk, ns_name, NODES) == {}


TWO_NSD = os.path.join(ROOT, 'tests', 'data', 'nsd', 'two_flavours', 'two_flavours_ns.yaml')


def test_ns_change_vnf_df_there_and_back(run_module, sdk, vdu_flavor, vdu2_flavor, http_log, ns_name):  # noqa: F811
    env, lines = http_log
    vnfs = {'app': {'package': TWO, 'images': TWO_IMAGES}}
    ok(run_module('telco.nfvo.ns', {'name': ns_name, 'nsd': TWO_NSD, 'vnfs': vnfs}))
    first = vnfcs(sdk, ns_name, 'app')
    assert sorted(first) == ['VDU1-0']
    update = {'name': ns_name, 'nsd': TWO_NSD, 'update_type': 'change_vnf_df', 'vnfs': vnfs,
              'change_vnf_flavour_data': [{'vnf_node': 'app', 'new_flavour_id': 'big'}]}

    # a flavour the VNFD lacks: one line naming the NS and the node, before any write; check mode: the plan, no write
    mark = len(lines())
    res = run_module('telco.nfvo.ns_update', dict(update, change_vnf_flavour_data=[{'vnf_node': 'app', 'new_flavour_id': 'huge'}]), env=env)
    assert res.get('failed') and "Cannot change VNF flavours of NS %s: VNF node app: VNFD " % ns_name in res['msg'], res['msg']
    assert "has no flavour 'huge' (it has: big, small)" in res['msg'] and '\n' not in res['msg'], res['msg']
    res = ok(run_module('telco.nfvo.ns_update', update, check=True, env=env))
    assert sorted(a['key'] for a in res['plan'] if a['kind'] == 'server') == ['server/VDU1-1', 'server/VDU2-0'], res['plan']
    assert writes(lines()[mark:]) == [], writes(lines()[mark:])

    # small -> big: the VNF's CHANGE_FLAVOUR (VDU1-0 kept), the NS UPDATE occurrence, the record holds big
    res = ok(run_module('telco.nfvo.ns_update', update))
    occ = res['ns_lcm_op_occ']
    assert (occ['lcmOperationType'], occ['operationState'], occ['operationParams']['updateType']) == ('UPDATE', 'COMPLETED', 'CHANGE_VNF_DF'), occ
    assert [(v['vnfProfileId'], v['changeType'], v['changeResult']) for v in occ['resourceChanges']['affectedVnfs']] == [('app', 'MODIFY', 'COMPLETED')]
    now = vnfcs(sdk, ns_name, 'app')
    assert sorted(now) == ['VDU1-0', 'VDU1-1', 'VDU2-0'] and now['VDU1-0'].id == first['VDU1-0'].id and all(s.status == 'ACTIVE' for s in now.values())
    [vnf] = res['ns_instance']['vnfInstance']
    assert vnf['instantiatedVnfInfo']['flavourId'] == 'big' and res['ns_instance']['metadata']['members']['flavours'] == {'app': 'big'}
    assert 'nfvo:vnf_df=app:big' in anchor_of(sdk, ns_name).tags

    # the update again, and ns again (no flavour_id: the record's big stays): unchanged, zero writes
    mark = len(lines())
    assert ok(run_module('telco.nfvo.ns_update', update, env=env))['changed'] is False
    assert ok(run_module('telco.nfvo.ns', {'name': ns_name, 'nsd': TWO_NSD, 'vnfs': vnfs}, env=env))['changed'] is False
    assert writes(lines()[mark:]) == [], writes(lines()[mark:])

    # back to small declaratively: ns with vnfs.app.flavour_id small converges (what big added deleted, VDU1-0 kept)
    res = ok(run_module('telco.nfvo.ns', {'name': ns_name, 'nsd': TWO_NSD, 'vnfs': {'app': dict(vnfs['app'], flavour_id='small')}}))
    assert res['ns_lcm_op_occ']['operationState'] == 'COMPLETED', res['ns_lcm_op_occ']
    assert {k: s.id for k, s in vnfcs(sdk, ns_name, 'app').items()} == {'VDU1-0': first['VDU1-0'].id}
    assert res['ns_instance']['metadata']['members']['flavours'] == {} and not [t for t in anchor_of(sdk, ns_name).tags if 'vnf_df' in t]

    ok(run_module('telco.nfvo.ns', {'name': ns_name, 'state': 'absent', 'termination_type': 'forceful'}))
    assert ns_left(sdk, ns_name, ('app',)) == {}
