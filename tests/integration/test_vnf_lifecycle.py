"""telco.nfvo.vnf and telco.nfvo.vnf_info against the local OpenStack, with Tacker's sample packages."""
import json
import os
import threading
import time
import uuid

import pytest

from vnf_resources import anchor_of, assert_nothing_left, instance_id_of, owned, vnf_tag, writes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PKG = os.path.join(ROOT, 'tests', 'data', 'vnf_packages')
BASIC = os.path.join(PKG, 'v2_basic_min')  # VDU1 (1..3, aspect VDU1_scale) + VDU2, internalVL3, affinity rule
HELLO = os.path.join(PKG, 'helloworld3')  # VDU1 with external CP1, VDU2 booting from a volume
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}  # v2_basic_min's VDUs (a key naming nothing is refused)


@pytest.fixture(scope='module')
def ext_net(sdk):
    """A network the user owns, used as external virtual link: must survive terminate."""
    name = 'it-vnf-ext-%s' % uuid.uuid4().hex[:6]
    net = sdk.network.create_network(name=name)
    sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr='10.251.0.0/24', name=name)
    yield net
    for port in sdk.network.ports(network_id=net.id):
        sdk.network.delete_port(port)
    sdk.network.delete_network(net)


@pytest.fixture
def vnf_name(sdk, run_module):
    """A fresh VNF name; whatever the test leaves is terminated (and checked gone) at the end."""
    name = 'it-vnf-%s' % uuid.uuid4().hex[:6]
    yield name
    res = run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'})
    assert not res.get('failed'), res.get('msg')


def basic(name, **extra):
    args = {'name': name, 'package': BASIC, 'flavour_id': 'simple', 'images': IMAGES}
    args.update(extra)
    return args


def test_instantiate_idempotent_check_diff_info_terminate(run_module, sdk, vnf_flavor_guard, http_log, vnf_name):
    env, lines = http_log
    iid = instance_id_of(sdk, vnf_name)

    # check mode: the plan, and not a single write
    res = run_module('telco.nfvo.vnf', basic(vnf_name), check=True, diff=True, env=env)
    assert not res.get('failed'), res.get('msg')
    assert res['changed'] is True
    kinds = [a['kind'] for a in res['plan']]
    assert kinds.count('server') == 2 and kinds.count('port') == 2 and kinds.count('network') == 1
    assert kinds.count('server_group') == 1 and kinds[0] == 'anchor'
    assert res['diff']['after']['vnfcs'] == ['VDU1-0', 'VDU2-0']
    assert writes(lines()) == [], writes(lines())
    assert_nothing_left(sdk, iid)

    # instantiate
    res = run_module('telco.nfvo.vnf', basic(vnf_name), diff=True)
    assert not res.get('failed'), res.get('msg')
    assert res['changed'] is True
    occ = res['lcm_op_occ']
    assert occ['operation'] == 'INSTANTIATE' and occ['operationState'] == 'COMPLETED'
    assert sorted(v['id'] for v in occ['resourceChanges']['affectedVnfcs']) == ['VDU1-0', 'VDU2-0']
    assert all(v['changeType'] == 'ADDED' for v in occ['resourceChanges']['affectedVnfcs'])
    inst = res['vnf_instance']
    assert inst['id'] == iid and inst['vnfInstanceName'] == vnf_name
    assert inst['vnfdId'] == 'b1bb0ce7-ebca-4fa7-95ed-4840d7000000' and inst['vnfdVersion'] == '1.0'
    assert inst['instantiationState'] == 'INSTANTIATED'
    info = inst['instantiatedVnfInfo']
    assert info['flavourId'] == 'simple' and info['vnfState'] == 'STARTED'
    assert info['scaleStatus'] == [{'aspectId': 'VDU1_scale', 'scaleLevel': 0}]
    assert sorted(v['id'] for v in info['vnfcResourceInfo']) == ['VDU1-0', 'VDU2-0']
    assert [v['vnfVirtualLinkDescId'] for v in info['virtualLinkResourceInfo']] == ['internalVL3']
    assert len(info['virtualLinkResourceInfo'][0]['vnfLinkPorts']) == 2
    assert res['diff']['before']['instantiationState'] == 'NOT_INSTANTIATED'
    assert res['diff']['after']['vnfcs'] == ['VDU1-0', 'VDU2-0']

    # what the cloud holds
    found = owned(sdk, iid)
    servers = found['servers']
    assert len(servers) == 2 and all(s.status == 'ACTIVE' for s in servers)
    assert {s.metadata['nfvo_vdu'] for s in servers} == {'VDU1', 'VDU2'}
    assert all(vnf_tag(iid) in s.tags for s in servers)
    assert len(found['networks']) == 1 and found['networks'][0].name == '%s-internalVL3' % vnf_name
    assert [s.cidr for s in found['subnets']] == ['192.168.5.0/24']
    ports = found['ports']
    assert len(ports) == 2 and {p.network_id for p in ports} == {found['networks'][0].id}
    assert {p.device_id for p in ports} == {s.id for s in servers}
    assert all('nfvo:cp=VDU1_CP1' in p.tags or 'nfvo:cp=VDU2_CP1' in p.tags for p in ports)
    groups = found['server_groups']
    assert len(groups) == 1 and groups[0].policy == 'affinity' and set(groups[0].member_ids) == {s.id for s in servers}
    anchor = [g for g in found['security_groups'] if 'nfvo:role=anchor' in g.tags]
    assert len(anchor) == 1 and anchor[0].name == 'nfvo-vnf-%s' % vnf_name
    assert {'nfvo:level=instantiation_level_1', 'nfvo:scale=VDU1_scale:0', 'nfvo:want=VDU1:1', 'nfvo:want=VDU2:1'} <= set(anchor[0].tags)
    assert json.loads(anchor[0].description)['op']['state'] == 'COMPLETED'
    assert 'lock' not in json.loads(anchor[0].description)

    # the same task again: unchanged, and no write request at all
    before = len(lines())
    res = run_module('telco.nfvo.vnf', basic(vnf_name), env=env)
    assert not res.get('failed'), res.get('msg')
    assert res['changed'] is False and 'lcm_op_occ' not in res
    assert writes(lines()[before:]) == [], writes(lines()[before:])
    assert len(lines()[before:]) <= 16  # bulk lists, not a call per resource

    # vnf_info: same shape, no drift
    res = run_module('telco.nfvo.vnf_info', {'name': vnf_name})
    assert not res.get('failed') and res['changed'] is False, res
    [got] = res['vnf_instances']
    assert got['id'] == iid and got['metadata']['drift'] == []
    assert sorted(v['id'] for v in got['instantiatedVnfInfo']['vnfcResourceInfo']) == ['VDU1-0', 'VDU2-0']
    res = run_module('telco.nfvo.vnf_info', {'vnfd_id': 'b1bb0ce7-ebca-4fa7-95ed-4840d7000000'})
    assert iid in [v['id'] for v in res['vnf_instances']]

    # drift: a server deleted behind our back
    victim = next(s for s in servers if s.metadata['nfvo_vnfc_id'] == 'VDU1-0')
    sdk.compute.delete_server(victim)
    sdk.compute.wait_for_delete(victim, wait=120)
    res = run_module('telco.nfvo.vnf_info', {'name': vnf_name, 'package': BASIC})
    [got] = res['vnf_instances']
    assert {'type': 'missing', 'resource': 'server VDU1-0'}.items() <= got['metadata']['drift'][0].items(), got['metadata']['drift']
    # converging again repairs it, reusing the unit's port
    port_before = next(p.id for p in ports if p.device_id == victim.id)
    res = run_module('telco.nfvo.vnf', basic(vnf_name))
    assert not res.get('failed') and res['changed'] is True, res.get('msg')
    assert [v['id'] for v in res['lcm_op_occ']['resourceChanges']['affectedVnfcs']] == ['VDU1-0']
    new = next(s for s in owned(sdk, iid)['servers'] if s.metadata['nfvo_vnfc_id'] == 'VDU1-0')
    assert sdk.network.get_port(port_before).device_id == new.id
    res = run_module('telco.nfvo.vnf_info', {'name': vnf_name})
    assert res['vnf_instances'][0]['metadata']['drift'] == []

    # terminate: nothing of ours left; the user's flavor and the shared image untouched
    res = run_module('telco.nfvo.vnf', {'name': vnf_name, 'state': 'absent'}, diff=True)
    assert not res.get('failed') and res['changed'] is True, res.get('msg')
    occ = res['lcm_op_occ']
    assert occ['operation'] == 'TERMINATE' and occ['operationState'] == 'COMPLETED'
    assert sorted(v['id'] for v in occ['resourceChanges']['affectedVnfcs']) == ['VDU1-0', 'VDU2-0']
    assert res['vnf_instance']['instantiationState'] == 'NOT_INSTANTIATED'
    assert_nothing_left(sdk, iid)
    assert sdk.compute.get_flavor(vnf_flavor_guard.id).name == vnf_flavor_guard.name
    assert sdk.image.find_image('cirros-0.6.3') is not None
    # and again: nothing to do
    res = run_module('telco.nfvo.vnf', {'name': vnf_name, 'state': 'absent'})
    assert not res.get('failed') and res['changed'] is False, res


@pytest.fixture(scope='module')
def vnf_flavor_guard(vdu_flavor):
    return vdu_flavor


def test_failure_rolls_back_or_keeps_and_resumes(run_module, sdk, vnf_flavor_guard, metadata_quota, vnf_name):
    iid = instance_id_of(sdk, vnf_name)
    heavy = {'vdu_params': {'VDU2': {'server_metadata': {'k%02d' % i: 'v' for i in range(metadata_quota)}}}}
    level2 = basic(vnf_name, instantiation_level_id='instantiation_level_2', max_concurrency=2,
                   additional_params=heavy)  # VDU1 x3 + VDU2 (the one refused)

    res = run_module('telco.nfvo.vnf', level2)
    assert res.get('failed'), res
    assert res['msg'].startswith('Failed to create server VDU2-0 (VNF %s): ' % vnf_name), res['msg']
    assert 'Maximum number of metadata items exceeds 20 (HTTP 403)' in res['msg'], res['msg']  # the cloud's own words
    occ = res['lcm_op_occ']
    assert occ['operationState'] == 'ROLLED_BACK' and occ['error']['detail'] == res['msg'], res['msg']
    assert occ['error']['status'] == 403, res['msg']
    assert res['vnf_instance']['instantiationState'] == 'NOT_INSTANTIATED'
    assert_nothing_left(sdk, iid)

    # keep: FAILED_TEMP, what was made stays; the same task later resumes
    res = run_module('telco.nfvo.vnf', dict(level2, on_failure='keep'))
    assert res.get('failed') and res['lcm_op_occ']['operationState'] == 'FAILED_TEMP', res
    kept = owned(sdk, iid)
    active = [s for s in kept['servers'] if s.status == 'ACTIVE']
    assert active and len(active) == len(kept['servers']) and len(kept['networks']) == 1
    assert 'VDU2-0' not in {s.metadata['nfvo_vnfc_id'] for s in kept['servers']}
    anchor = next(g for g in kept['security_groups'] if 'nfvo:role=anchor' in g.tags)
    assert json.loads(anchor.description)['op']['state'] == 'FAILED_TEMP' and 'lock' not in json.loads(anchor.description)
    res = run_module('telco.nfvo.vnf_info', {'name': vnf_name})
    drift = res['vnf_instances'][0]['metadata']['drift']
    assert {d['type'] for d in drift} == {'missing'} and 'server VDU2-0' in [d['resource'] for d in drift], drift

    res = run_module('telco.nfvo.vnf', dict(level2, on_failure='keep', additional_params={}))
    assert not res.get('failed') and res['changed'] is True, res.get('msg')
    assert res['lcm_op_occ']['operationState'] == 'COMPLETED'
    added = [v for v in res['lcm_op_occ']['resourceChanges']['affectedVnfcs'] if v['changeType'] == 'ADDED']
    assert len(added) == 4 - len(active)  # only the missing ones
    servers = owned(sdk, iid)['servers']
    assert len(servers) == 4 and all(s.status == 'ACTIVE' for s in servers)
    assert {s.id for s in active} <= {s.id for s in servers}


def test_external_link_ports_and_plan_errors(run_module, sdk, vnf_flavor_guard, ext_net, vnf_name):
    """helloworld3: CP1 of VDU1 on the user's network with a fixed IP (ETSI shape); VDU2 boots from a volume."""
    ext = [{'id': 'ext1', 'resource_id': ext_net.name,
            'ext_cps': [{'cpd_id': 'CP1', 'cp_config': [{'fixed_ips': [{'ip_address': '10.251.0.42'}]}]}]}]
    args = {'name': vnf_name, 'package': HELLO, 'images': {'VDU1': 'cirros-0.6.3', 'VirtualStorage': 'cirros-0.6.3'}, 'ext_virtual_links': ext}
    res = run_module('telco.nfvo.vnf', args, check=True)
    assert not res.get('failed'), res.get('msg')
    cp1 = next(a for a in res['plan'] if a['key'] == 'port/VDU1-0/CP1')
    assert cp1['spec']['network_id'] == ext_net.id and cp1['spec']['fixed_ips'] == [{'ip_address': '10.251.0.42'}]
    vol = next(a for a in res['plan'] if a['kind'] == 'volume')
    assert vol['spec']['size'] == 3
    boot = next(a for a in res['plan'] if a['key'] == 'server/VDU2-0')['spec']['block_device_mapping_v2']
    assert boot[0]['boot_index'] == 0 and boot[0]['uuid'] == {'$ref': 'volume/VDU2-0/VirtualStorage'}

    # plan errors are one line, naming what is missing
    res = run_module('telco.nfvo.vnf', dict(args, ext_virtual_links=None), check=True)
    assert res['failed'] and res['msg'].startswith('CP CP1 of VDU1 is external: connect it with ext_virtual_links'), res['msg']
    res = run_module('telco.nfvo.vnf', dict(args, images={}), check=True)
    assert res['failed'] and 'no image for VDU1' in res['msg'], res['msg']
    res = run_module('telco.nfvo.vnf', {'name': vnf_name, 'package': BASIC, 'images': IMAGES, 'flavour_id': 'nope'}, check=True)
    assert res['failed'] and "flavour 'nope' is not defined" in res['msg'], res['msg']

    # for real: VDU2 boots from its volume (made from the image), the port on the external network gets the fixed IP
    res = run_module('telco.nfvo.vnf', args)
    assert not res.get('failed'), res.get('msg')
    ports = owned(sdk, instance_id_of(sdk, vnf_name))['ports']
    cp1 = next(p for p in ports if 'nfvo:cp=CP1' in p.tags)
    assert cp1.network_id == ext_net.id and cp1.fixed_ips[0]['ip_address'] == '10.251.0.42'
    ext_cps = res['vnf_instance']['instantiatedVnfInfo']['extCpInfo']
    assert [c['cpdId'] for c in ext_cps] == ['CP1']
    res = run_module('telco.nfvo.vnf', {'name': vnf_name, 'state': 'absent'})
    assert not res.get('failed'), res.get('msg')
    assert sdk.network.get_network(ext_net.id) is not None


def test_lock_refuses_a_second_run(run_module, sdk, vnf_flavor_guard, vnf_name):
    iid = instance_id_of(sdk, vnf_name)
    res = run_module('telco.nfvo.vnf', basic(vnf_name))
    assert not res.get('failed'), res.get('msg')
    anchor = anchor_of(sdk, iid)
    victim = next(s for s in owned(sdk, iid)['servers'] if s.metadata['nfvo_vnfc_id'] == 'VDU2-0')
    sdk.compute.delete_server(victim)
    sdk.compute.wait_for_delete(victim, wait=120)

    # another run holds the lock: refused, nothing done
    holder = {'lock': {'op': 'other-run', 'exp': int(time.time()) + 600}}
    sdk.network.update_security_group(anchor, description=json.dumps(holder))
    res = run_module('telco.nfvo.vnf', basic(vnf_name))
    assert res.get('failed') and 'is locked by another run (LCM operation other-run' in res['msg'], res
    assert len(owned(sdk, iid)['servers']) == 1
    # a stale lock is taken over
    holder['lock']['exp'] = int(time.time()) - 1
    sdk.network.update_security_group(anchor, description=json.dumps(holder))
    res = run_module('telco.nfvo.vnf', basic(vnf_name))
    assert not res.get('failed') and res['changed'], res
    assert len(owned(sdk, iid)['servers']) == 2

    # two runs at the same time on the same instance: never both act
    victim = next(s for s in owned(sdk, iid)['servers'] if s.metadata['nfvo_vnfc_id'] == 'VDU2-0')
    sdk.compute.delete_server(victim)
    sdk.compute.wait_for_delete(victim, wait=120)
    results = [None, None]

    def go(i):
        results[i] = run_module('telco.nfvo.vnf', basic(vnf_name))
    threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    acted = [r for r in results if not r.get('failed') and r['changed']]
    refused = [r for r in results if r.get('failed')]
    assert len(acted) <= 1, results
    assert all('is locked by another run' in r['msg'] for r in refused), refused
    servers = owned(sdk, iid)['servers']
    assert len([s for s in servers if s.metadata['nfvo_vnfc_id'] == 'VDU2-0']) <= 1
