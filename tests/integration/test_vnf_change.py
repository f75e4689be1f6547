"""telco.nfvo.vnf_change (CHANGE_EXT_CONN, MODIFY_INFO) and the same changes declared through telco.nfvo.vnf, on the
local OpenStack: helloworld3 (VDU1 with external CP1, VDU2 booting from a volume) instantiated with CP1 on one user
network, moved to another with a fixed IP (the server kept, its other ports kept, the old port gone), then its address
changed in place; second runs change nothing with zero writes; check mode writes nothing; nothing left behind."""
import os
import uuid

import pytest

from vnf_resources import anchor_of, assert_nothing_left, instance_id_of, ok, owned, writes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HELLO = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'helloworld3')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VirtualStorage': 'cirros-0.6.3'}


@pytest.fixture(scope='module')
def nets(sdk):
    """Two networks the user owns (A: 10.253.0.0/24, B: 10.254.0.0/24): the external CP moves from A to B."""
    made = []
    for cidr in ('10.253.0.0/24', '10.254.0.0/24'):
        name = 'it-chg-%s' % uuid.uuid4().hex[:6]
        net = sdk.network.create_network(name=name)
        sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr=cidr, name=name)
        made.append(net)
    yield made
    for net in made:
        for port in sdk.network.ports(network_id=net.id):
            sdk.network.delete_port(port)
        sdk.network.delete_network(net)


@pytest.fixture
def vnf(sdk, run_module, vdu_flavor, nets):
    """helloworld3 instantiated with CP1 on network A; terminated (and checked gone) at the end, the networks kept."""
    name = 'it-chg-%s' % uuid.uuid4().hex[:6]
    ok(run_module('telco.nfvo.vnf', {'name': name, 'package': HELLO, 'images': IMAGES, 'ext_virtual_links': {'CP1': nets[0].name}}))
    yield name
    ok(run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}))
    assert_nothing_left(sdk, instance_id_of(sdk, name))
    assert all(sdk.network.get_network(n.id) is not None for n in nets)


def ports(sdk, iid):
    """{(VNFC, CP): port} of the instance."""
    out = {}
    for p in owned(sdk, iid)['ports']:
        marks = dict(t.split('=', 1) for t in p.tags if t.startswith('nfvo:') and '=' in t)
        out[(marks.get('nfvo:vnfc'), marks.get('nfvo:cp'))] = p
    return out


def servers(sdk, iid):
    return {s.metadata['nfvo_vnfc_id']: s.id for s in owned(sdk, iid)['servers']}


def test_change_ext_conn_and_modify_info_imperative_and_declarative(run_module, sdk, http_log, nets, vnf):
    env, lines = http_log
    iid = instance_id_of(sdk, vnf)
    net_a, net_b = nets
    servers_before, ports_before = servers(sdk, iid), ports(sdk, iid)
    old_cp1 = ports_before[('VDU1-0', 'CP1')]
    assert old_cp1.network_id == net_a.id
    move = {'name': vnf, 'operation': 'change_ext_conn',
            'ext_virtual_links': [{'id': 'ext-b', 'resource_id': net_b.name,
                                   'ext_cps': [{'cpd_id': 'CP1', 'cp_config': [{'fixed_ips': [{'ip_address': '10.254.0.42'}]}]}]}]}

    # a refusal (an address of network A given for B; the other refusals: tests/unit/.../lcm/test_change.py): one line,
    # before any write
    mark = len(lines())
    res = run_module('telco.nfvo.vnf_change', dict(move, ext_virtual_links={'CP1': {'network': net_b.name, 'fixed_ips': ['10.253.0.9']}}), env=env)
    assert res.get('failed') and 'fixed IP 10.253.0.9 is outside every subnet of network' in res['msg'] and '\n' not in res['msg'], res['msg']
    assert writes(lines()[mark:]) == [], writes(lines()[mark:])

    # check mode: the plan, not a single write
    mark = len(lines())
    res = ok(run_module('telco.nfvo.vnf_change', move, check=True, diff=True, env=env))
    assert res['changed'] and [a['action'] for a in res['plan']] == ['create', 'attach', 'detach', 'delete'], res['plan']
    assert res['diff']['after']['extCps']['VDU1-0-CP1'] == {'network': net_b.id, 'fixedIps': ['10.254.0.42']}, res['diff']
    assert writes(lines()[mark:]) == [], writes(lines()[mark:])
    assert ports(sdk, iid)[('VDU1-0', 'CP1')].id == old_cp1.id

    # for real: a new port on B with the fixed IP, attached; the old one gone; servers and the other ports kept
    res = ok(run_module('telco.nfvo.vnf_change', move, env=env))
    occ = res['lcm_op_occ']
    assert (occ['operation'], occ['operationState']) == ('CHANGE_EXT_CONN', 'COMPLETED'), occ
    assert [(v['id'], v['changeType']) for v in occ['resourceChanges']['affectedVnfcs']] == [('VDU1-0', 'MODIFIED')]
    now = ports(sdk, iid)
    cp1 = now[('VDU1-0', 'CP1')]
    assert cp1.network_id == net_b.id and [ip['ip_address'] for ip in cp1.fixed_ips] == ['10.254.0.42']
    assert cp1.device_id == servers_before['VDU1-0'] and sdk.network.find_port(old_cp1.id) is None
    assert servers(sdk, iid) == servers_before
    assert {k: p.id for k, p in now.items() if k != ('VDU1-0', 'CP1')} == {k: p.id for k, p in ports_before.items() if k != ('VDU1-0', 'CP1')}
    assert occ['changedExtConnectivity'][0]['extLinkPorts'][0]['id'] == cp1.id
    ext_cps = res['vnf_instance']['instantiatedVnfInfo']['extCpInfo']
    assert [(c['cpdId'], c['networkId']) for c in ext_cps] == [('CP1', net_b.id)]
    addresses = sdk.compute.get_server(servers_before['VDU1-0']).addresses
    assert net_b.name in addresses and net_a.name not in addresses, addresses

    # again: nothing to do, zero writes
    mark = len(lines())
    assert ok(run_module('telco.nfvo.vnf_change', move, env=env))['changed'] is False
    assert writes(lines()[mark:]) == [], writes(lines()[mark:])

    # modify info, then idempotent
    info = {'name': vnf, 'operation': 'modify_info', 'vnf_instance_description': 'moved to B', 'metadata': {'owner': 'team-web'},
            'extensions': {'monitoring': {'scrape': True}}}
    res = ok(run_module('telco.nfvo.vnf_change', info, diff=True, env=env))
    assert res['changed'] and res['lcm_op_occ']['operation'] == 'MODIFY_INFO' and res['lcm_op_occ']['operationState'] == 'COMPLETED'
    inst = res['vnf_instance']
    assert inst['vnfInstanceDescription'] == 'moved to B' and inst['metadata']['owner'] == 'team-web'
    assert inst['extensions'] == {'monitoring': {'scrape': True}} and res['diff']['after']['metadata'] == {'owner': 'team-web'}
    assert any(t.startswith('nfvo:info=') for t in anchor_of(sdk, iid).tags)
    mark = len(lines())
    assert ok(run_module('telco.nfvo.vnf_change', info, env=env))['changed'] is False
    assert writes(lines()[mark:]) == [], writes(lines()[mark:])

    # declaratively: vnf with another address on B (one port update, same port) and more metadata
    declared = {'name': vnf, 'package': HELLO, 'images': IMAGES, 'metadata': {'ticket': 'T-1'},
                'ext_virtual_links': {'CP1': {'network': net_b.name, 'fixed_ips': ['10.254.0.43']}}}
    res = ok(run_module('telco.nfvo.vnf', declared, check=True))
    assert res['changed'] and [(a['action'], a['kind']) for a in res['plan']] == [('update', 'port'), ('update', 'anchor')], res['plan']
    res = ok(run_module('telco.nfvo.vnf', declared))
    assert res['changed'] and res['vnf_instance']['metadata']['ticket'] == 'T-1' and res['vnf_instance']['metadata']['owner'] == 'team-web'
    cp1_after = ports(sdk, iid)[('VDU1-0', 'CP1')]
    assert cp1_after.id == cp1.id and [ip['ip_address'] for ip in cp1_after.fixed_ips] == ['10.254.0.43']
    assert servers(sdk, iid) == servers_before
    mark = len(lines())
    assert ok(run_module('telco.nfvo.vnf', declared, env=env))['changed'] is False
    assert writes(lines()[mark:]) == [], writes(lines()[mark:])
    # and back to A the declarative way (a replacement), the info kept
    res = ok(run_module('telco.nfvo.vnf', dict(declared, ext_virtual_links={'CP1': net_a.name}, metadata=None)))
    assert res['lcm_op_occ']['operation'] == 'CHANGE_EXT_CONN' and ports(sdk, iid)[('VDU1-0', 'CP1')].network_id == net_a.id
    assert res['vnf_instance']['vnfInstanceDescription'] == 'moved to B' and servers(sdk, iid) == servers_before
