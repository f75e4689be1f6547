"""VnfExtCp on the local OpenStack: practical's ``ha`` flavour (VDU_0, VDU_1 anti-affine, their CPs on internal VL
VDU_intnet0, which four VnfExtCps expose). Connecting a VnfExtCp puts VDU_intnet0 on the user's network: no network of
the VNF's, both ports there; heal keeps it there; terminate leaves the network and nothing of ours. The flavour has
no scaling aspect (vdu_profile 1..1), so there is nothing to scale."""
import os
import uuid

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from vnf_resources import assert_nothing_left, instance_id_of, ok, owned

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRACTICAL = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'practical')
IMAGES = {'VDU_0': 'cirros-0.6.3', 'VDU_1': 'cirros-0.6.3'}  # m1.tiny fits the VDUs (1 vCPU, 512 MB, 1 GB)


@pytest.fixture
def user_net(sdk):
    """The user's network (10.249.x.0/24) that VDU_intnet0 goes on; it must outlive the VNF."""
    tag = uuid.uuid4().hex[:6]
    net = sdk.network.create_network(name='it-extcp-%s' % tag)
    subnet = sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr='10.249.%d.0/24' % (int(tag, 16) % 250), name=net.name)
    yield net, subnet
    for port in sdk.network.ports(network_id=net.id):  # only when a failed test left some
        sdk.network.delete_port(port)
    sdk.network.delete_network(net)


def _ports(sdk, iid):
    return {T.parse_tags(p.tags)['vnfc']: p for p in owned(sdk, iid)['ports']}


def test_ha_flavour_with_its_internal_vl_on_the_users_network(run_module, sdk, user_net):
    net, subnet = user_net
    name = 'it-extcp-%s' % uuid.uuid4().hex[:6]
    iid = instance_id_of(sdk, name)
    args = {'name': name, 'package': PRACTICAL, 'flavour_id': 'ha', 'images': IMAGES,
            'ext_virtual_links': [{'id': 'ext-1', 'resource_id': net.name, 'ext_cps': [{'cpd_id': 'VDU0_extCP0'}, {'cpd_id': 'RT_extCP'}]}]}
    try:
        # check mode: the plan shows both ports on the user's network through the VnfExtCps, no network of the VNF
        res = ok(run_module('telco.nfvo.vnf', args, check=True, diff=True))
        assert res['changed'] is True
        assert sorted(a['kind'] for a in res['plan']) == ['anchor', 'port', 'port', 'server', 'server', 'server_group'], res['plan']
        ports = [a for a in res['plan'] if a['kind'] == 'port']
        assert all(a['spec']['network_id'] == net.id for a in ports), ports
        assert [a['summary'] for a in ports] == [
            'create port VDU0_CP0 of VDU_0-0 (on external network %s: internal VL VDU_intnet0 through VnfExtCps RT_extCP, VDU0_extCP0)' % net.name,
            'create port VDU1_CP0 of VDU_1-0 (on external network %s: internal VL VDU_intnet0 through VnfExtCps RT_extCP, VDU0_extCP0)' % net.name]
        assert not any(owned(sdk, iid).values())

        # instantiate
        res = ok(run_module('telco.nfvo.vnf', args))
        assert res['lcm_op_occ']['operation'] == 'INSTANTIATE' and res['lcm_op_occ']['operationState'] == 'COMPLETED'
        have = owned(sdk, iid)
        assert have['networks'] == [] and have['subnets'] == []
        servers = {s.metadata['nfvo_vnfc_id']: s for s in have['servers']}
        assert sorted(servers) == ['VDU_0-0', 'VDU_1-0'] and all(s.status == 'ACTIVE' for s in servers.values())
        assert servers['VDU_0-0'].host_id != servers['VDU_1-0'].host_id  # anti-affinity (nfvi_node)
        ports = _ports(sdk, iid)
        assert sorted(ports) == ['VDU_0-0', 'VDU_1-0']
        assert all(p.network_id == net.id and p.fixed_ips[0]['subnet_id'] == subnet.id for p in ports.values())
        assert {p.device_id for p in ports.values()} == {s.id for s in servers.values()}
        assert ok(run_module('telco.nfvo.vnf', args))['changed'] is False
        # vnf_info against the package: the VL on the user's network is no drift (no network of its own is missing)
        [got] = ok(run_module('telco.nfvo.vnf_info', {'name': name, 'package': PRACTICAL}))['vnf_instances']
        assert got['metadata']['drift'] == []
        assert sorted(c['cpdId'] for c in got['instantiatedVnfInfo']['extCpInfo']) == ['VDU0_CP0', 'VDU1_CP0']

        # heal a VNFC whose server and port are gone, with no ext_virtual_links: its new port is on the user's network again
        victim = servers['VDU_1-0']
        sdk.compute.delete_server(victim)
        sdk.compute.wait_for_delete(victim, wait=120)
        sdk.network.delete_port(ports['VDU_1-0'])
        res = ok(run_module('telco.nfvo.vnf_heal', {'name': name, 'package': PRACTICAL, 'images': IMAGES}))
        assert res['lcm_op_occ']['operationParams']['unhealthy'] == {'VDU_1-0': 'no server'}
        have = owned(sdk, iid)
        assert have['networks'] == [] and have['subnets'] == []
        ports = _ports(sdk, iid)
        assert sorted(ports) == ['VDU_0-0', 'VDU_1-0'] and all(p.network_id == net.id for p in ports.values())
    finally:
        res = run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'})
    assert not res.get('failed'), res.get('msg')
    assert_nothing_left(sdk, iid)
    assert sdk.network.get_network(net.id).id == net.id  # the user's network stays
