"""telco.nfvo.vnf options that shape the VNF's own resources, on the local OpenStack: create_flavors (a VDU size no
flavor has), cidr_pool (a virtual link without a CIDR in the VNFD) and security_group (the VNF's ports get its own
group) — and create_flavors without the right to create flavors."""
import ipaddress
import os
import shutil
import uuid

import yaml

from vnf_resources import assert_nothing_left, instance_id_of, owned

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}
ADMIN = 'nfvo-admin'
RULE = {'direction': 'ingress', 'ethertype': 'IPv4', 'protocol': 'tcp', 'port_range_min': 22, 'port_range_max': 22,
        'remote_ip_prefix': '10.0.0.0/8'}


def odd_package(dest, vcpus, ram_mb):
    """v2_basic_min with a VNFD id of its own, VDU1 sized vcpus/ram_mb/3 GB (no flavor of the test cloud fits) and
    internalVL3 without l3_protocol_data (its CIDR has to come from cidr_pool)."""
    shutil.copytree(BASIC, dest)
    vnfd_id = str(uuid.uuid4())
    defs = os.path.join(dest, 'Definitions')
    for name in os.listdir(defs):
        path = os.path.join(defs, name)
        with open(path) as handle:
            text = handle.read().replace('b1bb0ce7-ebca-4fa7-95ed-4840d7000000', vnfd_id)
        with open(path, 'w') as handle:
            handle.write(text)
    path = os.path.join(defs, 'v2_sample2_df_simple.yaml')
    with open(path) as handle:
        doc = yaml.safe_load(handle)
    nodes = doc['topology_template']['node_templates']
    compute = nodes['VDU1']['capabilities']['virtual_compute']['properties']
    compute['virtual_cpu']['num_virtual_cpu'] = vcpus
    compute['virtual_memory']['virtual_mem_size'] = '%d MB' % ram_mb
    for data in nodes['internalVL3']['properties']['vl_profile']['virtual_link_protocol_data']:
        data.pop('l3_protocol_data', None)
    with open(path, 'w') as handle:
        yaml.safe_dump(doc, handle, sort_keys=False)
    return dest, vnfd_id


def test_created_flavor_pool_cidr_and_vnf_security_group(run_module, admin_sdk, tmp_path):
    package, vnfd_id = odd_package(str(tmp_path / 'pkg'), 2, 768)
    name = 'it-opt-%s' % uuid.uuid4().hex[:6]
    flavor_name = 'nfvo-%s-VDU1' % vnfd_id
    args = {'name': name, 'package': package, 'flavour_id': 'simple', 'images': IMAGES, 'create_flavors': True,
            'cidr_pool': ['10.199.0.0/16'], 'security_group': {'rules': [RULE]}}
    try:
        # without cidr_pool the plan stops at the link, naming it, and nothing is made
        res = run_module('telco.nfvo.vnf', dict(args, cidr_pool=None), cloud=ADMIN)
        assert res.get('failed') and 'internalVL3 has no CIDR in the VNFD' in res['msg'] and '\n' not in res['msg'], res['msg']
        assert admin_sdk.compute.find_flavor(flavor_name) is None

        res = run_module('telco.nfvo.vnf', args, cloud=ADMIN)
        assert not res.get('failed'), res.get('msg')
        iid = res['vnf_instance']['id']
        assert iid == instance_id_of(admin_sdk, name)
        have = owned(admin_sdk, iid)

        flavor = admin_sdk.compute.find_flavor(flavor_name, ignore_missing=False)
        assert (flavor.vcpus, flavor.ram, flavor.disk) == (2, 768, 3)
        sizes = {s.metadata.get('nfvo_vdu'): (s.flavor.vcpus, s.flavor.ram) for s in have['servers']}
        assert sizes == {'VDU1': (2, 768), 'VDU2': (1, 512)}  # VDU2 fits an existing flavor: none made for it

        [subnet] = have['subnets']
        assert ipaddress.ip_network(subnet.cidr).subnet_of(ipaddress.ip_network('10.199.0.0/16')) and subnet.cidr.endswith('/24')

        [group] = [g for g in have['security_groups'] if 'nfvo:role=anchor' not in g.tags]
        assert group.name == '%s-sg' % name
        ingress = [r for r in group.security_group_rules if r['direction'] == 'ingress']
        assert [(r['protocol'], r['port_range_min'], r['port_range_max'], r['remote_ip_prefix']) for r in ingress] == \
            [('tcp', 22, 22, '10.0.0.0/8')]
        assert have['ports'] and all(p.security_group_ids == [group.id] for p in have['ports'])

        # converged: a second run changes nothing (the created flavor now simply fits)
        again = run_module('telco.nfvo.vnf', args, cloud=ADMIN)
        assert not again.get('failed') and again['changed'] is False, again

        gone = run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}, cloud=ADMIN)
        assert not gone.get('failed'), gone.get('msg')
        assert_nothing_left(admin_sdk, iid)
        # the flavor belongs to the VNFD, not to this instance: another VNF of the package may use it
        assert admin_sdk.compute.find_flavor(flavor_name) is not None
    finally:
        run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}, cloud=ADMIN)
        found = admin_sdk.compute.find_flavor(flavor_name)
        if found:
            admin_sdk.compute.delete_flavor(found)


def test_create_flavors_without_the_right_fails_in_one_line_and_leaves_nothing(run_module, sdk, admin_sdk, tmp_path):
    package, vnfd_id = odd_package(str(tmp_path / 'pkg'), 2, 640)
    name = 'it-opt-%s' % uuid.uuid4().hex[:6]
    args = {'name': name, 'package': package, 'flavour_id': 'simple', 'images': IMAGES, 'create_flavors': True,
            'cidr_pool': ['10.198.0.0/16']}
    try:
        res = run_module('telco.nfvo.vnf', args)  # the tenant user: Nova's policy keeps flavors to admins
        assert res.get('failed') and '\n' not in res['msg'], res
        assert 'nfvo-%s-VDU1' % vnfd_id in res['msg'] and '403' in res['msg'], res['msg']
        assert res['lcm_op_occ']['operationState'] == 'ROLLED_BACK'
        assert_nothing_left(sdk, instance_id_of(sdk, name))
        assert admin_sdk.compute.find_flavor('nfvo-%s-VDU1' % vnfd_id) is None
    finally:
        run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'})
