# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Records, filters, groups and ansible_host of the telco.nfvo.nfvi inventory, from list bodies shaped like the
ones Nova (2.47), Neutron, Cinder, Glance and Keystone return. No cloud."""
import copy

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils import tags
from ansible_collections.telco.nfvo.plugins.plugin_utils import nfvi_inventory as inv

VNF_ID = tags.vnf_instance_id('p1', 'vepc-1')
OWNERS = dict(vnf=VNF_ID, vnf_name='vepc-1', vnfd='vnfd-epc', vnfd_version='2.1', flavour='small', ns='ns-42')


def _server(sid, name, vdu=None, managed=True, **extra):
    meta = tags.metadata_for(vdu=vdu, vnfc='c-' + sid, **OWNERS) if managed else {'role': 'legacy'}
    body = {
        'id': sid, 'name': name, 'status': 'ACTIVE', 'tenant_id': 'p1', 'user_id': 'u1',
        'OS-EXT-AZ:availability_zone': 'az1', 'OS-EXT-SRV-ATTR:hypervisor_hostname': 'compute-1.example',
        'OS-EXT-SRV-ATTR:host': 'compute-1', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': 1,
        'flavor': {'original_name': 'm1.small', 'vcpus': 1, 'ram': 2048, 'disk': 20, 'ephemeral': 0, 'swap': 0, 'extra_specs': {}},
        'image': {'id': 'img1', 'links': []}, 'metadata': meta, 'tags': tags.tags_for(vnf=VNF_ID) if managed else ['legacy'],
        'addresses': {'mgmt': [{'addr': '10.0.0.5', 'version': 4, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'},
                               {'addr': '172.24.4.10', 'version': 4, 'OS-EXT-IPS:type': 'floating',
                                'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'}]},
        'security_groups': [{'name': 'default'}, {'name': 'default'}],
    }
    body.update(extra)
    return body


def _port(pid, device, net, ips, cp=None, created='2026-01-01T00:00:00Z'):
    return {'id': pid, 'device_id': device, 'network_id': net, 'mac_address': 'fa:16:3e:00:00:%s' % pid[-2:], 'status': 'ACTIVE',
            'fixed_ips': [{'ip_address': ip, 'subnet_id': 'sub-' + net} for ip in ips], 'security_groups': ['sg1'],
            'tags': tags.tags_for(vnf=VNF_ID, vdu='VDU1', cp=cp) if cp else [], 'created_at': created,
            'binding:vnic_type': 'normal'}


BODIES = {
    'ports': [
        _port('port-02', 's1', 'n2', ['192.168.9.4', 'fd00::4'], cp='sig_cp', created='2026-01-01T00:00:02Z'),
        _port('port-01', 's1', 'n1', ['10.0.0.5'], cp='mgmt_cp', created='2026-01-01T00:00:01Z'),
        _port('port-03', 'router-1', 'n1', ['10.0.0.1']),
    ],
    'networks': [{'id': 'n1', 'name': 'mgmt'}, {'id': 'n2', 'name': 'signalling'}],
    'floating_ips': [{'port_id': 'port-01', 'floating_ip_address': '172.24.4.10'}, {'port_id': None, 'floating_ip_address': '172.24.4.11'}],
    'security_groups': [{'id': 'sg1', 'name': 'epc-sg'}],
    'volumes': [{'id': 'v1', 'name': 'log', 'size': 10, 'status': 'in-use', 'volume_type': 'fast', 'bootable': 'false',
                 'metadata': tags.metadata_for(storage='log', **OWNERS),
                 'attachments': [{'server_id': 's1', 'device': '/dev/vdb', 'attachment_id': 'a1'}]}],
    'images': [{'id': 'img1', 'name': 'epc-image-2.1'}],
    'projects': [{'id': 'p1', 'name': 'epc-prod'}],
}


def _records(servers, **bodies):
    return inv.build_records(servers, inv.Lookups(**bodies), 'east', 'RegionOne')


@pytest.fixture
def vnfc():
    rec, = _records([_server('s1', 'vepc-1-VDU1-0', vdu='VDU1')], **copy.deepcopy(BODIES))
    return rec


def test_record_carries_ownership_and_cloud_facts(vnfc):
    assert vnfc['nfvo'] == {'vnf_instance_id': VNF_ID, 'vnf_name': 'vepc-1', 'vnfd_id': 'vnfd-epc', 'vnfd_version': '2.1',
                            'flavour_id': 'small', 'ns_instance_id': 'ns-42', 'vdu': 'VDU1', 'vnfc_id': 'c-s1', 'managed': True}
    srv = vnfc['server']
    assert srv['project'] == {'id': 'p1', 'name': 'epc-prod'}
    assert srv['flavor'] == {'name': 'm1.small', 'vcpus': 1, 'ram_mb': 2048, 'disk_gb': 20, 'ephemeral_gb': 0, 'swap_mb': 0, 'extra_specs': {}}
    assert srv['image'] == {'id': 'img1', 'name': 'epc-image-2.1'}
    assert (srv['hypervisor'], srv['compute_host'], srv['availability_zone']) == ('compute-1.example', 'compute-1', 'az1')
    assert srv['security_groups'] == ['default']
    assert srv['tags'] == tags.tags_for(vnf=VNF_ID)


def test_ports_in_creation_order_with_cp_network_floating_and_security_group_names(vnfc):
    ports = vnfc['server']['ports']
    assert [p['id'] for p in ports] == ['port-01', 'port-02']  # the router's port on the same network is not the server's
    mgmt = ports[0]
    assert (mgmt['cp'], mgmt['network'], mgmt['floating_ips']) == ('mgmt_cp', 'mgmt', ['172.24.4.10'])
    assert mgmt['security_groups'] == [{'id': 'sg1', 'name': 'epc-sg'}]
    assert ports[1]['fixed_ips'] == [{'ip_address': '192.168.9.4', 'subnet_id': 'sub-n2'}, {'ip_address': 'fd00::4', 'subnet_id': 'sub-n2'}]


def test_addresses_per_network_from_ports_name_the_cp(vnfc):
    addrs = vnfc['server']['addresses']
    assert addrs['mgmt'] == [
        {'addr': '10.0.0.5', 'version': 4, 'type': 'fixed', 'mac': 'fa:16:3e:00:00:01', 'cp': 'mgmt_cp', 'port_id': 'port-01'},
        {'addr': '172.24.4.10', 'version': 4, 'type': 'floating', 'mac': 'fa:16:3e:00:00:01', 'cp': 'mgmt_cp', 'port_id': 'port-01'}]
    assert [(a['addr'], a['version'], a['cp']) for a in addrs['signalling']] == [('192.168.9.4', 4, 'sig_cp'), ('fd00::4', 6, 'sig_cp')]


def test_volumes_with_device_and_marks(vnfc):
    assert vnfc['server']['volumes'] == [{'id': 'v1', 'name': 'log', 'size_gb': 10, 'status': 'in-use', 'volume_type': 'fast',
                                          'bootable': False, 'device': '/dev/vdb',
                                          'nfvo': {'vnf_instance_id': VNF_ID, 'vnf_name': 'vepc-1', 'vnfd_id': 'vnfd-epc', 'vnfd_version': '2.1',
                                                   'flavour_id': 'small', 'ns_instance_id': 'ns-42', 'storage': 'log'}}]


def test_without_related_lists_addresses_come_from_nova_and_the_rest_is_unknown():
    rec, = _records([_server('s1', 'a', vdu='VDU1')])
    srv = rec['server']
    assert srv['ports'] is None and srv['volumes'] is None
    assert srv['project'] == {'id': 'p1', 'name': None}
    assert [(a['addr'], a['type'], a['cp']) for a in srv['addresses']['mgmt']] == [('10.0.0.5', 'fixed', None), ('172.24.4.10', 'floating', None)]
    assert srv['image'] == {'id': 'img1', 'name': None}


def test_project_name_of_the_credentials_without_a_project_list():
    rec, = inv.build_records([_server('s1', 'a', vdu='VDU1')], inv.Lookups(), 'east', 'r1', project={'id': 'p1', 'name': 'mine'})
    assert rec['server']['project'] == {'id': 'p1', 'name': 'mine'}


def test_deleted_servers_of_a_changes_since_answer_are_left_out():
    assert [r['server']['id'] for r in _records([_server('s1', 'a', vdu='V'), _server('s2', 'b', vdu='V', status='DELETED')])] == ['s1']


def test_boot_from_volume_server_has_no_image():
    rec, = _records([_server('s1', 'a', vdu='V', image='')])
    assert rec['server']['image'] is None


def test_groups(vnfc):
    assert inv.groups_for(vnfc) == ['nfvo_ns_ns_42', 'nfvo_vnf_vepc_1', 'nfvo_vdu_vepc_1_VDU1', 'project_epc_prod', 'az_az1',
                                    'hypervisor_compute_1_example', 'flavor_m1_small', 'status_active', 'cloud_east', 'region_RegionOne']


def test_groups_of_an_unmanaged_server_and_missing_facts():
    rec, = _records([_server('s9', 'legacy', managed=False, **{'OS-EXT-SRV-ATTR:hypervisor_hostname': None, 'status': 'SHUTOFF'})])
    assert rec['nfvo'] == {'managed': False}
    assert inv.groups_for(rec) == ['nfvo_unmanaged', 'project_p1', 'az_az1', 'flavor_m1_small', 'status_shutoff', 'cloud_east',
                                   'region_RegionOne']


def test_a_server_with_only_our_tag_is_managed():
    rec, = _records([_server('s1', 'a', managed=False, tags=tags.tags_for(vnf=VNF_ID))])
    assert rec['nfvo'] == {'vnf_instance_id': VNF_ID, 'managed': True}
    assert inv.groups_for(rec)[0] == 'nfvo_vnf_%s' % VNF_ID.replace('-', '_')


def ids(records):
    return [r['server']['id'] for r in records]


def test_select_filters():
    recs = _records([_server('s1', 'a', vdu='VDU1'), _server('s2', 'b', vdu='VDU2', tenant_id='p2'), _server('s3', 'c', managed=False)],
                    projects=BODIES['projects'])
    assert ids(inv.select(recs)) == ['s1', 's2']
    assert ids(inv.select(recs, include_unmanaged=True)) == ['s1', 's2', 's3']
    assert ids(inv.select(recs, vnf=['vepc-1'])) == ids(inv.select(recs, vnf=[VNF_ID])) == ['s1', 's2']
    assert ids(inv.select(recs, vnf=['other'])) == []
    assert ids(inv.select(recs, ns=['ns-42'], project=['epc-prod'])) == ['s1']
    assert ids(inv.select(recs, project=['p2'])) == ['s2']
    assert ids(inv.select(recs, include_unmanaged=True, predicate=lambda r: r['nfvo'].get('vdu') != 'VDU1')) == ['s2', 's3']


def test_select_with_jmespath_predicate():
    jmespath = pytest.importorskip('jmespath')
    recs = _records([_server('s1', 'a', vdu='VDU1'), _server('s2', 'b', vdu='VDU2', status='ERROR')])
    expr = jmespath.compile("server.status == 'ACTIVE' && nfvo.vdu == 'VDU1'")
    assert [r['server']['id'] for r in inv.select(recs, predicate=lambda r: bool(expr.search(r)))] == ['s1']


@pytest.mark.parametrize('kwargs, expected', [
    ({}, '172.24.4.10'),                                      # any address, floating first
    ({'floating': False}, '10.0.0.5'),
    ({'cps': ['sig_cp']}, '192.168.9.4'),
    ({'cps': ['sig_cp'], 'ip_version': 6}, 'fd00::4'),
    ({'cps': ['nope', 'mgmt_cp'], 'floating': False}, '10.0.0.5'),
    ({'cps': ['nope'], 'networks': ['signalling']}, '192.168.9.4'),
    ({'networks': ['nope']}, None),                           # asked for, not there: no ansible_host rather than a wrong one
    ({'ip_version': 6}, 'fd00::4'),
])
def test_ansible_host(vnfc, kwargs, expected):
    assert inv.ansible_host(vnfc, **kwargs) == expected


def test_hostnames_dedupe_by_id_and_fall_back_to_ids_for_shared_names():
    recs = _records([_server('s1', 'web', vdu='V'), _server('s2', 'web', vdu='V'), _server('s3', 'db', vdu='V')])
    again = inv.build_records([_server('s3', 'db', vdu='V')], inv.Lookups(), 'east-admin', 'RegionOne')
    names = inv.hostnames(recs + again)
    assert [(n, r['server']['cloud']) for n, r in names] == [('s1', 'east'), ('s2', 'east'), ('db', 'east')]
    assert [n for n, dummy in inv.hostnames(recs, use='id')] == ['s1', 's2', 's3']


def test_safe_name():
    assert inv.safe_name('vEPC-1.prod/a b') == 'vEPC_1_prod_a_b'


def test_hypervisor_hostvars():
    hyp = {'name': 'compute1', 'host_ip': '192.0.2.1', 'vcpus': 8, 'vcpus_used': 2, 'vcpus_free': 6}
    assert inv.hypervisor_hostvars(hyp, 'east', 'r1') == {'ansible_host': '192.0.2.1', 'hypervisor': dict(hyp, cloud='east', region='r1')}


def test_changes_since_merge_replaces_adds_and_removes_deleted():
    old = [_server('s1', 'a', vdu='V'), _server('s2', 'b', vdu='V')]
    changed = [_server('s2', 'b', vdu='V', status='SHUTOFF'), _server('s1', 'a', vdu='V', status='DELETED'), _server('s3', 'c', vdu='V')]
    merged = inv.merge_changes(old, changed)
    assert [(s['id'], s['status']) for s in merged] == [('s2', 'SHUTOFF'), ('s3', 'ACTIVE')]
    assert inv.merge_changes(old, []) == old


def test_since_is_the_cloud_date_less_the_call_and_a_margin():
    assert inv.since_from_date('Thu, 26 Nov 2026 01:00:00 GMT', 7.5) == '2026-11-26T00:59:22Z'
    import datetime
    now = datetime.datetime(2026, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
    assert inv.since_from_date(None, 0, now=now) == inv.since_from_date('garbage', 0, now=now) == '2026-01-01T11:59:30Z'
