"""Bootstrap the local OpenStack through its own APIs (run with the cloud venv's Python by start.sh).

  bootstrap.py identity   service project, users, roles and catalog; the tenant project and user;
                          writes clouds.yaml
  bootstrap.py peers      (NFVO_PEERS=tacker only) Heat's and Tacker's service users and catalog entries, Heat's
                          stack-user domain and roles
  bootstrap.py compute    availability zones (host aggregates), flavors, a public image, a provider
                          network, tenant quotas; waits until every compute host and cinder-volume is up
Idempotent: everything is looked up before it is created.
"""
import os
import re
import sys
import time

import openstack

DIR = os.environ['NFVO_CLOUD_DIR']
AUTH = 'http://127.0.0.1:5000/v3'
SVC_PASS = 'service-secret'
SERVICES = {  # name: (type, url)
    'placement': ('placement', 'http://127.0.0.1:8778'),
    'glance': ('image', 'http://127.0.0.1:9292'),
    'neutron': ('network', 'http://127.0.0.1:9696'),
    'nova': ('compute', 'http://127.0.0.1:8774/v2.1'),
    'cinderv3': ('block-storage', 'http://127.0.0.1:8776/v3/%(project_id)s'),
}
PEER_SERVICES = {  # the optional peers of tests/cloud/peers.sh
    'heat': ('orchestration', 'http://127.0.0.1:8004/v1/%(project_id)s'),
    'tacker': ('nfv-orchestration', 'http://127.0.0.1:9890/'),
}
TENANT_PROJECT, TENANT_USER = 'nfvo-demo', 'nfvo-tenant'


def admin():
    return openstack.connect(auth_url=AUTH, username='admin', password=os.environ['ADMIN_PASS'], project_name='admin',
                             user_domain_name='Default', project_domain_name='Default', region_name='RegionOne')


def register(idc, service, roles, users, services):
    """Service users (admin + service in the service project) and the catalog entries of SERVICES-like `services`."""
    for name in users:
        user = idc.find_user(name, domain_id='default') or idc.create_user(name=name, password=SVC_PASS, domain_id='default')
        for role in ('admin', 'service'):
            idc.assign_project_role_to_user(service, user, roles[role])
    have = {s.name: s for s in idc.services()}
    for name, (stype, url) in services.items():
        svc = have.get(name) or idc.create_service(name=name, type=stype)
        ifaces = {e.interface for e in idc.endpoints(service_id=svc.id)}
        for iface in ('public', 'internal', 'admin'):
            if iface not in ifaces:
                idc.create_endpoint(service_id=svc.id, interface=iface, url=url, region_id='RegionOne')


def identity():
    idc = admin().identity
    roles = {r: idc.find_role(r) or idc.create_role(name=r) for r in ('admin', 'service', 'member', 'reader')}
    service = idc.find_project('service', domain_id='default') or idc.create_project(name='service', domain_id='default')
    register(idc, service, roles, ('placement', 'glance', 'neutron', 'nova', 'cinder'), SERVICES)
    project = (idc.find_project(TENANT_PROJECT, domain_id='default')
               or idc.create_project(name=TENANT_PROJECT, domain_id='default', description='telco.nfvo tenant'))
    user = (idc.find_user(TENANT_USER, domain_id='default')
            or idc.create_user(name=TENANT_USER, password=os.environ['USER_PASS'], domain_id='default', default_project_id=project.id))
    idc.assign_project_role_to_user(project, user, roles['member'])
    idc.assign_project_role_to_user(project, user, roles['reader'])
    # connect_retries: a request that meets a keep-alive connection the API server just closed is sent again
    common = "      user_domain_name: Default\n      project_domain_name: Default\n    region_name: RegionOne\n" \
             "    identity_api_version: 3\n    interface: public\n    connect_retries: 3\n"
    path = os.path.join(DIR, 'clouds.yaml')
    with open(os.open(path + '.tmp', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as f:
        f.write("# written by tests/cloud/start.sh: the local OpenStack on 127.0.0.1\nclouds:\n")
        f.write(f"  nfvo-admin:\n    auth:\n      auth_url: {AUTH}\n      username: admin\n"
                f"      password: {os.environ['ADMIN_PASS']}\n      project_name: admin\n{common}")
        f.write(f"  nfvo-tenant:\n    auth:\n      auth_url: {AUTH}\n      username: {TENANT_USER}\n"
                f"      password: {os.environ['USER_PASS']}\n      project_name: {TENANT_PROJECT}\n{common}")
    os.replace(path + '.tmp', path)


def peers():
    idc = admin().identity
    roles = {r: idc.find_role(r) or idc.create_role(name=r) for r in ('admin', 'service', 'heat_stack_owner', 'heat_stack_user')}
    register(idc, idc.find_project('service', domain_id='default'), roles, ('heat', 'tacker'), PEER_SERVICES)
    # Heat's stack-user domain; the admin user owns stacks (Tacker passes the VIM's admin credentials)
    dom = idc.find_domain('heat') or idc.create_domain(name='heat', description='Heat stack users')
    user = (idc.find_user('heat_domain_admin', domain_id=dom.id)
            or idc.create_user(name='heat_domain_admin', password=SVC_PASS, domain_id=dom.id))
    idc.assign_domain_role_to_user(dom, user, roles['admin'])
    admin_user, admin_project = idc.find_user('admin', domain_id='default'), idc.find_project('admin', domain_id='default')
    idc.assign_project_role_to_user(admin_project, admin_user, roles['heat_stack_owner'])


def wait_up(conn, computes):
    deadline, last = time.time() + 300, None
    while time.time() < deadline:
        try:
            up = {s.host for s in conn.compute.services() if s.binary == 'nova-compute' and s.state == 'up'}
            vol = any(s.binary == 'cinder-volume' and s.state == 'up' for s in conn.block_storage.services())
            hyps = {h.name for h in conn.compute.hypervisors()}
        except (openstack.exceptions.SDKException, OSError) as exc:
            # an API just started may answer 503 a while (its token check cannot reach a busy Keystone yet)
            last = exc
            time.sleep(2)
            continue
        if len(up) >= computes and vol and len(hyps) >= computes:
            return sorted(up)
        time.sleep(1)
    sys.exit('timed out waiting for nova-compute / cinder-volume to report up%s' % (' (last: %s)' % last if last else ''))


def wait_volume_scheduling(conn):
    """cinder-volume reports 'up' before cinder-scheduler has its capabilities: a volume created in between goes to
    'error' (no valid backend). Ready means a probe volume becomes 'available'."""
    deadline = time.time() + 180
    while True:
        vol = conn.block_storage.create_volume(name='nfvo-ready-probe', size=1)
        try:
            while time.time() < deadline:
                vol = conn.block_storage.get_volume(vol)
                if vol.status in ('available', 'error'):
                    break
                time.sleep(0.5)
        finally:
            # a volume still 'creating' takes an admin force-delete
            conn.block_storage.delete_volume(vol, ignore_missing=True, force=vol.status not in ('available', 'error'))
        if vol.status == 'available':
            return
        if time.time() >= deadline:
            sys.exit('timed out waiting for cinder-scheduler to place a volume (last probe: %s)' % vol.status)
        time.sleep(2)


def compute():
    conn = admin()
    n = int(os.environ.get('NFVO_COMPUTES', '3'))
    hosts = wait_up(conn, n)
    wait_volume_scheduling(conn)
    aggs = {a.name: a for a in conn.compute.aggregates()}
    for host in hosts:
        # by the host's number, not its position in the list (compute10 sorts before compute2)
        az = 'az%d' % ((int(re.sub(r'\D', '', host) or 1) - 1) % 2 + 1)
        agg = aggs.get(az) or conn.compute.create_aggregate(name=az, availability_zone=az)
        aggs[az] = agg
        if host not in (conn.compute.get_aggregate(agg).hosts or []):
            conn.compute.add_host_to_aggregate(agg, host)
    flavors = {f.name for f in conn.compute.flavors()}
    # m1.*: the usual; cpu1-ram512-disk3: exactly what the Tacker sample VDUs ask for (1 vCPU, 512 MB, 3 GB)
    for name, vcpus, ram, disk in (('m1.tiny', 1, 512, 1), ('m1.small', 1, 2048, 20), ('m1.medium', 2, 4096, 40),
                                   ('cpu1-ram512-disk3', 1, 512, 3)):
        if name not in flavors:
            conn.compute.create_flavor(name=name, vcpus=vcpus, ram=ram, disk=disk, is_public=True)
    if not conn.image.find_image('cirros-0.6.3'):
        img = conn.image.create_image(name='cirros-0.6.3', disk_format='raw', container_format='bare', visibility='public',
                                      data=b'\x00' * 65536, allow_duplicates=True)
        conn.image.wait_for_status(img, status='active', wait=120)
    if not conn.network.find_network('public'):
        net = conn.network.create_network(name='public', is_router_external=True, is_shared=False,
                                          provider_network_type='flat', provider_physical_network='public')
        conn.network.create_subnet(network_id=net.id, name='public-v4', ip_version=4, cidr='172.24.4.0/24',
                                   gateway_ip='172.24.4.1', is_dhcp_enabled=False)
    project = conn.identity.find_project(TENANT_PROJECT, domain_id='default')
    conn.compute.update_quota_set(project.id, instances=2000, cores=8000, ram=8192000, server_groups=100,
                                  server_group_members=1000)
    conn.network.update_quota(project.id, networks=200, subnets=200, ports=5000, security_groups=100,
                              security_group_rules=1000, floating_ips=100, routers=20)
    conn.block_storage.update_quota_set(project.id, volumes=500, gigabytes=10000)


if __name__ == '__main__':
    {'identity': identity, 'peers': peers, 'compute': compute}[sys.argv[1]]()
