# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""telco.nfvo.nfvi inventory against the local OpenStack.

A small "VNF" is made here with openstacksdk and our ownership marks (module_utils/tags.py), not with our
lifecycle modules: VDU1 (one VNFC, CPs on a mgmt and a data network, a floating IP, a volume) and VDU2 (one
VNFC, mgmt CP), in an NS. The inventory is read with ansible-inventory in a subprocess, as users run it.
"""
import json
import os
import re
import subprocess
import uuid

import pytest
import yaml

from ansible_collections.telco.nfvo.plugins.module_utils import tags

from conftest import BIN, CLOUDS_YAML, ansible_env

WAIT = 300


def unwrap(value):
    """ansible-inventory --list writes untrusted strings as {"__ansible_unsafe": ...}."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


def inventory(tmp_path, config, env=None, expect_rc=0, name='it', args=()):
    path = tmp_path / ('%s.nfvi.yml' % name)
    path.write_text(yaml.safe_dump(config) if isinstance(config, dict) else config)
    proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', str(path), '--list'] + list(args),
                          env=ansible_env(env), capture_output=True, text=True, timeout=600, check=False)
    if expect_rc is not None:
        assert proc.returncode == expect_rc, 'rc=%s\n%s\n%s' % (proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:])
    data = unwrap(json.loads(proc.stdout)) if proc.returncode == 0 else None
    return data, proc


def members(data, group):
    return set((data.get(group) or {}).get('hosts', ()))


def _wait_servers(sdk, servers):
    return [sdk.compute.wait_for_server(s, status='ACTIVE', wait=WAIT) for s in servers]


def _delete_servers(sdk, servers):
    for server in servers:
        sdk.compute.delete_server(server, ignore_missing=True)
    for server in servers:
        sdk.compute.wait_for_delete(server, wait=WAIT)


def _server(sdk, name, ports, meta=None, server_tags=None, az=None):
    image = sdk.image.find_image('cirros-0.6.3', ignore_missing=False)
    flavor = sdk.compute.find_flavor('m1.tiny', ignore_missing=False)
    kwargs = {'availability_zone': az} if az else {}
    return sdk.compute.create_server(name=name, image_id=image.id, flavor_id=flavor.id, networks=[{'port': p.id} for p in ports],
                                     metadata=meta or {}, tags=server_tags or [], **kwargs)


@pytest.fixture(scope='module')
def vnf(sdk):
    """The sample VNF; yields its facts and deletes everything it made."""
    suffix = uuid.uuid4().hex[:6]
    name = 'it-inv-%s' % suffix
    vnf_id = tags.vnf_instance_id(sdk.current_project_id, name)
    ns_id = str(uuid.uuid4())
    owners = dict(vnf=vnf_id, vnf_name=name, vnfd='vnfd-it-inv', vnfd_version='1.0', flavour='simple', ns=ns_id)
    made = {'servers': [], 'ports': [], 'networks': [], 'router': None, 'fip': None, 'volume': None}
    octet = 100 + int(suffix[:2], 16) % 100
    try:
        nets = {}
        for i, vl in enumerate(('mgmt', 'data')):
            net = sdk.network.create_network(name='%s-%s' % (name, vl))
            made['networks'].append(net)
            sdk.network.set_tags(net, tags.tags_for(vnf=vnf_id, vl=vl))
            sub = sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr='10.%d.%d.0/24' % (octet, i), name=net.name)
            nets[vl] = (net, sub)
        ports = {}
        for vdu, cps in (('VDU1', ('mgmt_cp', 'data_cp')), ('VDU2', ('mgmt_cp',))):
            for cp in cps:
                net = nets['mgmt' if cp == 'mgmt_cp' else 'data'][0]
                port = sdk.network.create_port(network_id=net.id, name='%s-%s-%s' % (name, vdu, cp))
                made['ports'].append(port)
                sdk.network.set_tags(port, tags.tags_for(vnf=vnf_id, vdu=vdu, cp=cp))
                ports[(vdu, cp)] = port
        servers = {}
        for vdu, az in (('VDU1', 'az1'), ('VDU2', 'az2')):
            meta = tags.metadata_for(vdu=vdu, vnfc=str(uuid.uuid4()), **owners)
            server = _server(sdk, '%s-%s-0' % (name, vdu), [p for (v, dummy), p in sorted(ports.items()) if v == vdu], meta,
                             tags.tags_for(vnf=vnf_id), az)
            made['servers'].append(server)
            servers[vdu] = server
        public = sdk.network.find_network('public', ignore_missing=False)
        made['router'] = sdk.network.create_router(name=name, external_gateway_info={'network_id': public.id})
        sdk.network.add_interface_to_router(made['router'], subnet_id=nets['mgmt'][1].id)
        made['volume'] = sdk.block_storage.create_volume(name='%s-VDU1-log' % name, size=1,
                                                         metadata=tags.metadata_for(storage='log', vdu='VDU1', **owners))
        sdk.block_storage.wait_for_status(made['volume'], status='available', wait=WAIT)
        servers = dict(zip(servers, _wait_servers(sdk, list(servers.values()))))
        made['fip'] = sdk.network.create_ip(floating_network_id=public.id, port_id=ports[('VDU1', 'mgmt_cp')].id)
        sdk.compute.create_volume_attachment(servers['VDU1'], volume_id=made['volume'].id)
        sdk.block_storage.wait_for_status(made['volume'], status='in-use', wait=WAIT)
        yield {'name': name, 'id': vnf_id, 'ns': ns_id, 'servers': servers, 'ports': ports, 'fip': made['fip'].floating_ip_address,
               'volume': made['volume'], 'nets': nets}
    finally:
        _delete_servers(sdk, made['servers'])
        if made['volume'] is not None:
            sdk.block_storage.wait_for_status(made['volume'], status='available', failures=['error'], wait=WAIT)
            sdk.block_storage.delete_volume(made['volume'], ignore_missing=True)
        if made['fip'] is not None:
            sdk.network.delete_ip(made['fip'], ignore_missing=True)
        if made['router'] is not None:
            for net, sub in nets.values():
                try:
                    sdk.network.remove_interface_from_router(made['router'], subnet_id=sub.id)
                except Exception:  # not attached
                    pass
            sdk.network.delete_router(made['router'], ignore_missing=True)
        for port in made['ports']:
            sdk.network.delete_port(port, ignore_missing=True)
        for net in made['networks']:
            sdk.network.delete_network(net, ignore_missing=True)


def test_groups_and_hostvars_of_a_vnf(tmp_path, vnf, admin_sdk):
    data, proc = inventory(tmp_path, {'plugin': 'telco.nfvo.nfvi', 'clouds': ['nfvo-tenant'], 'ansible_host_cp': ['mgmt_cp'],
                                      'ansible_host_floating': False})
    assert 'WARNING' not in proc.stderr, proc.stderr
    vdu1, vdu2 = '%s-VDU1-0' % vnf['name'], '%s-VDU2-0' % vnf['name']
    safe = vnf['name'].replace('-', '_')
    assert members(data, 'nfvo_vnf_%s' % safe) == {vdu1, vdu2}
    assert members(data, 'nfvo_ns_%s' % vnf['ns'].replace('-', '_')) == {vdu1, vdu2}
    assert members(data, 'nfvo_vdu_%s_VDU1' % safe) == {vdu1}
    assert members(data, 'nfvo_vdu_%s_VDU2' % safe) == {vdu2}
    assert {vdu1, vdu2} <= members(data, 'project_nfvo_demo')
    assert vdu1 in members(data, 'az_az1') and vdu2 in members(data, 'az_az2')
    assert {vdu1, vdu2} <= members(data, 'flavor_m1_tiny') & members(data, 'status_active')
    assert {vdu1, vdu2} <= members(data, 'cloud_nfvo_tenant') & members(data, 'region_RegionOne')
    assert not [g for g in data if g.startswith('hypervisor_')]  # a tenant does not see where servers run

    hv = data['_meta']['hostvars'][vdu1]
    assert hv['nfvo'] == {'vnf_instance_id': vnf['id'], 'vnf_name': vnf['name'], 'vnfd_id': 'vnfd-it-inv', 'vnfd_version': '1.0',
                          'flavour_id': 'simple', 'ns_instance_id': vnf['ns'], 'vdu': 'VDU1',
                          'vnfc_id': vnf['servers']['VDU1'].metadata[tags.META_KEYS['vnfc']], 'managed': True}
    srv = hv['server']
    assert srv['id'] == vnf['servers']['VDU1'].id and srv['status'] == 'ACTIVE' and srv['availability_zone'] == 'az1'
    assert srv['project']['name'] == 'nfvo-demo' and srv['cloud'] == 'nfvo-tenant' and srv['region'] == 'RegionOne'
    assert srv['flavor']['name'] == 'm1.tiny' and srv['flavor']['vcpus'] == 1 and srv['flavor']['ram_mb'] == 512
    assert srv['image']['name'] == 'cirros-0.6.3'
    assert srv['tags'] == tags.tags_for(vnf=vnf['id'])
    assert srv['metadata'][tags.META_KEYS['vdu']] == 'VDU1'
    mgmt_port, data_port = vnf['ports'][('VDU1', 'mgmt_cp')], vnf['ports'][('VDU1', 'data_cp')]
    mgmt_ip = mgmt_port.fixed_ips[0]['ip_address']
    by_cp = {p['cp']: p for p in srv['ports']}
    assert set(by_cp) == {'mgmt_cp', 'data_cp'}
    assert by_cp['mgmt_cp']['mac'] == mgmt_port.mac_address and by_cp['mgmt_cp']['fixed_ips'][0]['ip_address'] == mgmt_ip
    assert by_cp['mgmt_cp']['floating_ips'] == [vnf['fip']]
    assert by_cp['mgmt_cp']['network'] == '%s-mgmt' % vnf['name'] and [g['name'] for g in by_cp['mgmt_cp']['security_groups']] == ['default']
    assert by_cp['data_cp']['id'] == data_port.id
    mgmt = srv['addresses']['%s-mgmt' % vnf['name']]
    assert {(a['addr'], a['type'], a['cp']) for a in mgmt} == {(mgmt_ip, 'fixed', 'mgmt_cp'), (vnf['fip'], 'floating', 'mgmt_cp')}
    assert [a['cp'] for a in srv['addresses']['%s-data' % vnf['name']]] == ['data_cp']
    volume, = srv['volumes']
    assert (volume['id'], volume['name'], volume['size_gb'], volume['status'], volume['bootable']) == (vnf['volume'].id, vnf['volume'].name, 1, 'in-use', False)
    assert volume['device'] and volume['nfvo']['storage'] == 'log' and volume['nfvo']['vnf_instance_id'] == vnf['id']
    assert hv['ansible_host'] == mgmt_ip  # fixed preferred (ansible_host_floating: false)
    assert data['_meta']['hostvars'][vdu2]['server']['volumes'] == []

    # floating preferred (default), from a network; admin: every project, hypervisor groups and hypervisors as hosts
    data, proc = inventory(tmp_path, {'plugin': 'telco.nfvo.nfvi', 'clouds': ['nfvo-admin'], 'all_projects': True, 'hypervisors': True,
                                      'ansible_host_network': ['%s-mgmt' % vnf['name']]}, name='admin')
    assert 'WARNING' not in proc.stderr, proc.stderr
    hv = data['_meta']['hostvars'][vdu1]
    assert hv['ansible_host'] == vnf['fip'] and hv['server']['project']['name'] == 'nfvo-demo'
    host = admin_sdk.compute.get_server(vnf['servers']['VDU1'].id).hypervisor_hostname
    assert hv['server']['hypervisor'] == host and vdu1 in members(data, 'hypervisor_%s' % host)
    assert members(data, 'nfvi_hypervisors') >= {'compute1', 'compute2', 'compute3'}
    cap = data['_meta']['hostvars'][host]['hypervisor']
    assert cap['running_vms'] >= 1 and cap['vcpus_free'] == cap['vcpus'] - cap['vcpus_used'] and cap['memory_mb_used'] >= 512


def test_filters_compose_and_keyed_groups(tmp_path, vnf):
    vdu1, vdu2 = '%s-VDU1-0' % vnf['name'], '%s-VDU2-0' % vnf['name']
    base = {'plugin': 'telco.nfvo.nfvi', 'clouds': ['nfvo-tenant']}
    data, dummy = inventory(tmp_path, dict(base, vnf=[vnf['name']], filter="nfvo.vdu == 'VDU2'"))
    assert set(data['_meta']['hostvars']) == {vdu2}
    data, dummy = inventory(tmp_path, dict(base, ns=[vnf['ns']], project=['nfvo-demo'], tags=[tags.tag('vnf', vnf['id'])]))
    assert set(data['_meta']['hostvars']) == {vdu1, vdu2}
    data, dummy = inventory(tmp_path, dict(base, ns=['no-such-ns']))
    assert not data['_meta']['hostvars']
    data, dummy = inventory(tmp_path, dict(base, vnf=[vnf['id']], hostname='id', fetch=[],
                                           compose={'vcpus': 'server.flavor.vcpus'},
                                           keyed_groups=[{'key': 'nfvo.vdu', 'prefix': 'vdu'}]))
    sid = vnf['servers']['VDU1'].id
    assert set(data['_meta']['hostvars']) == {sid, vnf['servers']['VDU2'].id}
    assert data['_meta']['hostvars'][sid]['vcpus'] == 1 and members(data, 'vdu_VDU1') == {sid}
    # without the port list, addresses come from Nova (no CP names), ports and volumes are unknown
    srv = data['_meta']['hostvars'][sid]['server']
    assert srv['ports'] is None and srv['volumes'] is None and srv['addresses']


def _request_counts(tmp_path, http_log, config):
    env, lines = http_log
    before = len(lines())
    inventory(tmp_path, config, env=env)
    reqs = [line.split()[:2] for line in lines()[before:]]
    return [(method, re.sub(r'\?.*', '', url)) for method, url in reqs]


def test_request_count_does_not_grow_with_servers(tmp_path, vnf, sdk, http_log):
    config = {'plugin': 'telco.nfvo.nfvi', 'clouds': ['nfvo-tenant'], 'include_unmanaged': True}
    with_2 = _request_counts(tmp_path, http_log, config)
    extra = []
    try:
        net = vnf['nets']['mgmt'][0]
        for i in range(4):
            extra.append(sdk.compute.create_server(name='it-inv-extra-%d' % i, image_id=sdk.image.find_image('cirros-0.6.3').id,
                                                   flavor_id=sdk.compute.find_flavor('m1.tiny').id, networks=[{'uuid': net.id}]))
        extra = _wait_servers(sdk, extra)
        with_6 = _request_counts(tmp_path, http_log, config)
        data, dummy = inventory(tmp_path, config)
        assert members(data, 'nfvo_unmanaged') >= {s.name for s in extra}
        data, dummy = inventory(tmp_path, dict(config, include_unmanaged=False))
        assert not {s.name for s in extra} & set(data['_meta']['hostvars'])
    finally:
        _delete_servers(sdk, extra)
    assert len(with_2) == len(with_6), (with_2, with_6)
    assert sorted(with_2) == sorted(with_6)
    gets = [url for method, url in with_6 if method == 'GET']
    for path in ('/servers/detail', '/ports', '/networks', '/floatingips', '/security-groups', '/volumes/detail', '/images'):
        assert sum(1 for url in gets if url.endswith(path)) == 1, (path, gets)
    assert not [url for url in gets if re.search(r'/servers/[0-9a-f-]{36}', url)]
    assert len(with_6) <= 15, with_6  # token + endpoint discovery + 7 lists


def test_cache_second_run_makes_no_call_and_config_change_invalidates(tmp_path, vnf, http_log):
    env, lines = http_log
    cache_dir = tmp_path / 'cache'
    config = {'plugin': 'telco.nfvo.nfvi', 'clouds': ['nfvo-tenant'], 'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile',
              'cache_connection': str(cache_dir), 'cache_timeout': 600}
    first, dummy = inventory(tmp_path, config, env=env)
    n1 = len(lines())
    assert n1 > 0 and os.listdir(cache_dir)
    second, dummy = inventory(tmp_path, config, env=env)
    assert len(lines()) == n1, lines()[n1:]
    assert second == first
    # a changed configuration is not answered from the cache
    third, dummy = inventory(tmp_path, dict(config, filter="nfvo.vdu == 'VDU1' && nfvo.vnf_name == '%s'" % vnf['name']), env=env)
    assert len(lines()) > n1
    assert set(third['_meta']['hostvars']) == {'%s-VDU1-0' % vnf['name']}
    # --flush-cache reads the clouds again
    n3 = len(lines())
    inventory(tmp_path, config, env=env, args=['--flush-cache'])
    assert len(lines()) > n3


def test_changes_since_refresh_asks_nova_only_for_changes(tmp_path, vnf, sdk, http_log):
    """(Other people's servers may come and go meanwhile: only ours are compared.)"""
    env, lines = http_log
    config = {'plugin': 'telco.nfvo.nfvi', 'clouds': ['nfvo-tenant'], 'include_unmanaged': True, 'cache': True,
              'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': str(tmp_path / 'cache'), 'cache_timeout': 0,
              'refresh_changes_since': True}
    first, dummy = inventory(tmp_path, config, env=env)
    n1 = len(lines())
    assert not [line for line in lines() if 'changes-since' in line]
    extra = _wait_servers(sdk, [sdk.compute.create_server(name='it-inv-since', image_id=sdk.image.find_image('cirros-0.6.3').id,
                                                          flavor_id=sdk.compute.find_flavor('m1.tiny').id,
                                                          networks=[{'uuid': vnf['nets']['mgmt'][0].id}])])
    try:
        second, dummy = inventory(tmp_path, config, env=env)
        servers = [line for line in lines()[n1:] if '/servers/detail' in line]
        assert len(servers) == 1 and 'changes-since=' in servers[0], servers
        assert 'it-inv-since' not in first['_meta']['hostvars'] and 'it-inv-since' in second['_meta']['hostvars']
        assert second['_meta']['hostvars']['%s-VDU2-0' % vnf['name']] == first['_meta']['hostvars']['%s-VDU2-0' % vnf['name']]
        assert second['_meta']['hostvars']['it-inv-since']['server']['ports'][0]['network'] == '%s-mgmt' % vnf['name']
    finally:
        _delete_servers(sdk, extra)
    third, dummy = inventory(tmp_path, config, env=env)  # the deletion comes in the changes-since answer
    assert 'it-inv-since' not in third['_meta']['hostvars']
    assert third['_meta']['hostvars']['%s-VDU1-0' % vnf['name']] == first['_meta']['hostvars']['%s-VDU1-0' % vnf['name']]


def test_broken_cloud_warns_and_others_load(tmp_path, vnf):
    with open(CLOUDS_YAML) as handle:
        clouds = yaml.safe_load(handle)
    broken = json.loads(json.dumps(clouds['clouds']['nfvo-tenant']))
    broken['auth']['password'] = 'not-the-password'
    clouds['clouds']['nfvo-broken'] = broken
    path = tmp_path / 'clouds.yaml'
    path.write_text(yaml.safe_dump(clouds))
    env = {'OS_CLIENT_CONFIG_FILE': str(path)}
    config = {'plugin': 'telco.nfvo.nfvi', 'clouds': ['nfvo-broken', 'nfvo-tenant']}
    data, proc = inventory(tmp_path, config, env=env)
    assert members(data, 'nfvo_vnf_%s' % vnf['name'].replace('-', '_')) == {'%s-VDU1-0' % vnf['name'], '%s-VDU2-0' % vnf['name']}
    assert 'cloud nfvo-broken/RegionOne: authentication failed' in proc.stderr, proc.stderr
    assert 'not-the-password' not in proc.stderr + proc.stdout and 'Traceback' not in proc.stderr
    # a region none of the clouds has: said, not an empty inventory without a word
    data, proc = inventory(tmp_path, {'plugin': 'telco.nfvo.nfvi', 'clouds': ['nfvo-tenant'], 'regions': ['RegionOne', 'RegionNine']}, env=env)
    assert '%s-VDU1-0' % vnf['name'] in data['_meta']['hostvars']
    assert 'region RegionNine: not a region of nfvo-tenant (regions: RegionOne)' in proc.stderr, proc.stderr
    data, proc = inventory(tmp_path, {'plugin': 'telco.nfvo.nfvi', 'clouds': ['nfvo-tenant'], 'regions': ['RegionNine']}, env=env)
    assert not data['_meta']['hostvars'] and 'region RegionNine: not a region of nfvo-tenant' in proc.stderr
    assert 'could not be loaded' not in proc.stderr, proc.stderr  # the cloud is fine: it just has no such region
    # every cloud in clouds.yaml (no clouds option): the same
    data, proc = inventory(tmp_path, {'plugin': 'telco.nfvo.nfvi'}, env=env)
    assert '%s-VDU1-0' % vnf['name'] in data['_meta']['hostvars'] and 'nfvo-broken' in proc.stderr
    # fail_on_errors: the whole source fails, with the reason (ansible-inventory exits non-zero when told to)
    data, proc = inventory(tmp_path, dict(config, fail_on_errors=True), env=env)
    assert not data['_meta']['hostvars'] and 'cloud nfvo-broken/RegionOne: authentication failed' in proc.stderr
    dummy, proc = inventory(tmp_path, dict(config, fail_on_errors=True), env=dict(env, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='True'),
                            expect_rc=None)
    assert proc.returncode != 0
    assert 'cloud nfvo-broken/RegionOne: authentication failed' in proc.stderr, proc.stderr


def test_sdk_logging_stays_off_stdout(tmp_path, vnf):
    data, proc = inventory(tmp_path, {'plugin': 'telco.nfvo.nfvi', 'clouds': ['nfvo-tenant']}, args=['-vvvv'],
                           env={'ANSIBLE_VERBOSE_TO_STDERR': 'True'})
    assert data['_meta']['hostvars']
    assert 'keystoneauth' in proc.stderr or 'REQ:' in proc.stderr or 'openstack' in proc.stderr
