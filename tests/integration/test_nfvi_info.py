"""telco.nfvo.nfvi_info against the local OpenStack."""
import uuid

import pytest


@pytest.fixture(scope='module')
def booted_server(sdk):
    """One server booted through openstacksdk as the tenant (not through our modules)."""
    name = 'it-nfvi-%s' % uuid.uuid4().hex[:6]
    net = sdk.network.create_network(name=name)
    sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr='10.250.0.0/24', name=name)
    image = sdk.image.find_image('cirros-0.6.3', ignore_missing=False)
    flavor = sdk.compute.find_flavor('m1.small', ignore_missing=False)
    server = sdk.compute.create_server(name=name, image_id=image.id, flavor_id=flavor.id, networks=[{'uuid': net.id}])
    server = sdk.compute.wait_for_server(server, status='ACTIVE', wait=180)
    yield server
    sdk.compute.delete_server(server)
    sdk.compute.wait_for_delete(server, wait=180)
    sdk.network.delete_network(net)


def test_tenant_view_counts_the_booted_server(run_module, booted_server, sdk):
    res = run_module('telco.nfvo.nfvi_info', {})
    assert not res.get('failed'), res
    assert res['changed'] is False
    nfvi = res['nfvi']
    assert nfvi['project']['name'] == 'nfvo-demo'
    compute = nfvi['quotas']['compute']
    assert compute['instances']['in_use'] >= 1
    assert compute['cores']['in_use'] >= 1
    assert compute['ram']['in_use'] >= 2048
    assert compute['cores']['free'] == compute['cores']['limit'] - compute['cores']['in_use'] - compute['cores']['reserved']
    assert nfvi['quotas']['network']['port']['in_use'] >= 1
    assert {z['name'] for z in nfvi['availability_zones']} == {'az1', 'az2'}
    assert any(f['name'] == 'm1.small' and f['vcpus'] == 1 and f['ram_mb'] == 2048 for f in nfvi['flavors'])
    assert nfvi['api_versions']['compute']['available'] and nfvi['api_versions']['compute']['max_microversion']
    assert set(nfvi['api_versions']) >= {'identity', 'compute', 'network', 'image', 'block-storage', 'placement'}
    # hypervisors are admin-only: reported, not fatal
    assert 'hypervisors' not in nfvi
    assert 'admin' in res['unavailable']['hypervisors']


def test_admin_sees_hypervisor_usage(run_module, booted_server, admin_sdk):
    res = run_module('telco.nfvo.nfvi_info', {'gather': ['hypervisors', 'availability_zones']}, cloud='nfvo-admin')
    assert not res.get('failed'), res
    hyps = res['nfvi']['hypervisors']
    assert len(hyps) >= 3 and all(h['state'] == 'up' for h in hyps)
    host = admin_sdk.compute.get_server(booted_server.id).hypervisor_hostname
    mine = next(h for h in hyps if h['name'] == host)
    assert mine['running_vms'] >= 1 and mine['vcpus_used'] >= 1 and mine['memory_mb_used'] >= 2048 + 512
    assert mine['vcpus_free'] == mine['vcpus'] - mine['vcpus_used']
    summary = res['nfvi']['hypervisor_summary']
    assert summary['count'] == len(hyps) and summary['running_vms'] >= 1
    assert set(res['nfvi']) >= {'hypervisors', 'availability_zones'} and 'flavors' not in res['nfvi']


def test_check_mode_reads_the_same(run_module):
    res = run_module('telco.nfvo.nfvi_info', {'gather': ['flavors']}, check=True)
    assert not res.get('failed') and res['nfvi']['flavors']


@pytest.mark.parametrize('args, expected', [
    ({'cloud': 'no-such-cloud'}, 'Failed to connect to no-such-cloud: Cloud no-such-cloud was not found.'),
    ({'auth': {'password': 'not-the-password'}}, 'Failed to connect to nfvo-tenant: authentication failed'),
    ({'cloud': None, 'auth': {'auth_url': 'http://127.0.0.1:1/v3', 'username': 'u', 'password': 'p4ssw0rd', 'project_name': 'p',
                              'user_domain_name': 'Default', 'project_domain_name': 'Default'}},
     'Failed to connect to the cloud: cannot reach the cloud'),
])
def test_bad_cloud_gives_one_line_error(run_module, args, expected):
    res = run_module('telco.nfvo.nfvi_info', args)
    assert res['failed']
    assert res['msg'].startswith(expected), res['msg']
    assert '\n' not in res['msg'] and 'Traceback' not in str(res)
    assert 'not-the-password' not in str(res) and 'p4ssw0rd' not in str(res)
