# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planner on Tacker's sample packages: what gets created, in which order, and that a re-plan is empty."""
from __future__ import annotations

import copy
import os

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.lcm import planner as P
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

PKGS = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'data', 'vnf_packages')
FLAVORS = [{'id': 'tiny', 'name': 'm1.tiny', 'vcpus': 1, 'ram': 512, 'disk': 1},
           {'id': 'f-1-512-3', 'name': 'vnf.small', 'vcpus': 1, 'ram': 512, 'disk': 3},
           {'id': 'f-1-512-3-x', 'name': 'a.special', 'vcpus': 1, 'ram': 512, 'disk': 3, 'extra_specs': {'hw:cpu_policy': 'dedicated'}}]
CIRROS = {'id': 'img-cirros', 'name': 'cirros'}


def package(name):
    return read_package(os.path.join(PKGS, name))


def request(pkg, flavour='simple', **kw):
    vnfd = pkg.vnfd
    # helloworld3's VDU2 has no image of its own: it boots from its VirtualStorage volume
    kw.setdefault('images', {'VDU1': 'cirros', 'VirtualStorage': 'cirros'} if 'VirtualStorage' in vnfd.flavour(flavour).storage
                  else {'VDU1': 'cirros', 'VDU2': 'cirros'})
    return P.Request(vnf_name='web-1', instance_id='iid-1', vnfd_id=vnfd.descriptor_id, vnfd_version=vnfd.descriptor_version,
                     flavour_id=flavour, **kw)


def snapshot(**kw):
    kw.setdefault('flavors', FLAVORS)
    kw.setdefault('user_images', {'cirros': CIRROS})
    kw.setdefault('ext_networks', {'ext': {'id': 'net-ext', 'name': 'ext'}})
    return P.Snapshot(instance_id='iid-1', vnf_name='web-1', **kw)


def apply(plan, snap):
    """What the executor would leave: each created resource with the action's tags/metadata, ids = keys."""
    snap = copy.deepcopy(snap)
    ids = {}
    lists = {'network': snap.networks, 'subnet': snap.subnets, 'port': snap.ports, 'security_group': snap.security_groups,
             'server': snap.servers, 'volume': snap.volumes, 'server_group': snap.server_groups, 'anchor': snap.anchors}
    for a in plan.actions:
        if a.op == P.DELETE:
            for items in lists.values():
                items[:] = [r for r in items if r['id'] != a.resource_id]
        elif a.op == P.UPDATE:
            snap.anchor['tags'] = list(a.tags)
        elif a.op == P.CREATE and a.kind in lists:
            rid = 'id-%s' % a.key
            ids[a.key] = rid
            spec = resolve(a.spec, ids)
            res = dict(spec, id=rid, name=a.name, tags=list(a.tags), metadata=dict(a.metadata), status='ACTIVE')
            if a.kind == 'port':
                res['network_id'] = spec['network_id']
            lists[a.kind].append(res)
    return snap


def resolve(value, ids):
    if P.is_ref(value):
        return ids[value['$ref']]
    if isinstance(value, dict):
        return {k: resolve(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, ids) for v in value]
    return value


@pytest.fixture(scope='module')
def hello():
    return package('helloworld3')


@pytest.fixture(scope='module')
def basic():
    return package('v2_basic_min')


def test_helloworld3_from_nothing(hello):
    req = request(hello, ext_links=P.normalize_ext_virtual_links({'CP1': 'ext'}))
    plan = P.plan_converge(hello.vnfd, hello.vnfd.flavour('simple'), req, snapshot())
    assert plan.summary() == [
        'create VNF instance record nfvo-vnf-web-1 (the instance record)',
        'create network internalVL2',
        'create subnet internalVL2 (11.11.0.0/24)',
        'create volume VirtualStorage of VDU2-0 (3 GB, from image cirros)',
        'create port CP1 of VDU1-0 (on external network ext)',
        'create port CP2 of VDU1-0 (on internalVL2)',
        'create port CP3 of VDU2-0 (on internalVL2)',
        'create server VDU1-0 (flavor vnf.small, image cirros)',
        'create server VDU2-0 (flavor vnf.small, boot from volume)',
    ]
    vdu1 = plan.find(P.CREATE, 'server/VDU1-0')
    assert vdu1.deps == ['anchor', 'port/VDU1-0/CP1', 'port/VDU1-0/CP2']
    assert vdu1.spec['flavorRef'] == 'f-1-512-3'  # exact match, the plainest (no extra specs)
    assert vdu1.spec['networks'] == [{'port': {'$ref': 'port/VDU1-0/CP1'}}, {'port': {'$ref': 'port/VDU1-0/CP2'}}]
    assert T.tag('vnfc', 'VDU1-0') in vdu1.tags and vdu1.metadata['nfvo_vdu'] == 'VDU1'
    vdu2 = plan.find(P.CREATE, 'server/VDU2-0')
    assert 'imageRef' not in vdu2.spec
    assert vdu2.spec['block_device_mapping_v2'] == [{'uuid': {'$ref': 'volume/VDU2-0/VirtualStorage'}, 'source_type': 'volume',
                                                     'destination_type': 'volume', 'boot_index': 0, 'delete_on_termination': False}]
    port = plan.find(P.CREATE, 'port/VDU1-0/CP2')
    assert port.deps == ['anchor', 'network/internalVL2', 'subnet/internalVL2']
    assert set(port.tags) >= {T.tag('vnf', 'iid-1'), T.tag('cp', 'CP2'), T.tag('vnfc', 'VDU1-0'), T.tag('vdu', 'VDU1')}
    anchor = plan.find(P.CREATE, P.ANCHOR)
    assert set(anchor.tags) >= {'nfvo:role=anchor', 'nfvo:level=instantiation_level_1', 'nfvo:scale=worker_instance:0',
                                'nfvo:want=VDU1:1', 'nfvo:want=VDU2:1', 'nfvo:vnf_name=web-1'}
    assert plan.target['vdu_instances'] == {'VDU1': 1, 'VDU2': 1}


def test_images_mapped_by_the_task_are_recorded_on_the_instance(basic):
    fl = basic.vnfd.flavour('simple')
    plan = P.plan_converge(basic.vnfd, fl, request(basic), snapshot())
    anchor = plan.find(P.CREATE, P.ANCHOR)
    assert {'nfvo:image=VDU1:img-cirros', 'nfvo:image=VDU2:img-cirros'} <= set(anchor.tags)
    snap = snapshot(anchors=[{'id': 'a-1', 'name': 'nfvo-vnf-web-1', 'tags': anchor.tags}])
    assert V.record_of(snap)['images'] == {'VDU1': 'img-cirros', 'VDU2': 'img-cirros'}
    assert T.parse_multi_tags(anchor.tags, 'want') == {'VDU1': 1, 'VDU2': 1}  # image tags are not counts

    # onboarded images are found again by their properties: not recorded
    onboarded = {'id': 'img-onb', 'name': 'x', 'status': 'active', 'nfvo_vnfd_id': basic.vnfd.descriptor_id,
                 'nfvo_vnfd_version': '1.0', 'nfvo_sw_image': 'cirros-0.5.2-x86_64-disk'}
    plan = P.plan_converge(basic.vnfd, fl, request(basic, images={'VDU2': 'cirros'}), snapshot(onboarded_images=[onboarded]))
    tags = plan.find(P.CREATE, P.ANCHOR).tags
    assert [t for t in tags if t.startswith('nfvo:image=')] == ['nfvo:image=VDU2:img-cirros']

    # beyond Neutron's 50 tags the map is not recorded, and the plan says so
    many = P.anchor_tags(request(basic), 'l1', {'a%d' % i: 0 for i in range(41)}, {'VDU1': 1}, images={'VDU1': 'i', 'VDU2': 'i'},
                         warnings=plan.warnings)
    assert len(many) <= T.MAX_TAGS and not [t for t in many if t.startswith('nfvo:image=')]
    assert plan.warnings[-1].startswith('the images mapped for VDU1, VDU2 are not recorded on the instance')
    warned = len(plan.warnings)
    P.anchor_tags(request(basic), 'l1', {'a%d' % i: 0 for i in range(60)}, {'VDU1': 1}, images={}, warnings=plan.warnings)
    assert len(plan.warnings) == warned  # nothing mapped, nothing to warn about

    # a later run without images: keeps the record (no update planned)
    snap = snapshot(anchors=[{'id': 'a-1', 'name': 'nfvo-vnf-web-1', 'tags': anchor.tags}])
    assert sorted(P.anchor_tags(request(basic, images={}), 'instantiation_level_1', {'VDU1_scale': 0}, {'VDU1': 1, 'VDU2': 1},
                                images=P.mapped_images(request(basic, images={}), fl, snap))) == sorted(anchor.tags)


def test_image_order_task_map_then_known_then_onboarded(basic):
    fl = basic.vnfd.flavour('simple')
    vdu1 = fl.vdus['VDU1']
    other = {'id': 'img-other', 'name': 'other'}
    onboarded = {'id': 'img-onb', 'name': 'x', 'status': 'active', 'nfvo_vnfd_id': basic.vnfd.descriptor_id,
                 'nfvo_vnfd_version': '1.0', 'nfvo_sw_image': vdu1.sw_image.name}
    snap = snapshot(user_images={'cirros': CIRROS, 'img-other': other}, onboarded_images=[onboarded])
    known = request(basic, images={}, known_images={'VDU1': 'img-other'})
    assert P.resolve_image('VDU1', vdu1.sw_image, known, snap) == (other, 'known')  # the instance's own beats onboarded
    by_sw_name = request(basic, images={vdu1.sw_image.name: 'cirros'}, known_images={'VDU1': 'img-other'})
    assert P.resolve_image('VDU1', vdu1.sw_image, by_sw_name, snap)[0] == CIRROS  # the task's map (by sw image) beats known
    gone = request(basic, images={}, known_images={'VDU1': 'img-deleted'})
    assert P.resolve_image('VDU1', vdu1.sw_image, gone, snap) == (onboarded, 'onboarded')  # a known image gone from Glance


def test_replan_after_apply_is_empty_and_resume_reuses_ports(basic):
    fl = basic.vnfd.flavour('simple')
    req = request(basic, instantiation_level_id='instantiation_level_2')
    plan = P.plan_converge(basic.vnfd, fl, req, snapshot())
    assert [a.key for a in plan.actions if a.kind == 'server'] == ['server/VDU1-0', 'server/VDU1-1', 'server/VDU1-2', 'server/VDU2-0']
    group = plan.find(P.CREATE, 'server_group/policy_affinity_group')
    assert group.spec == {'name': 'nfvo-iid-1-policy_affinity_group', 'policy': 'affinity'}
    assert plan.find(P.CREATE, 'server/VDU2-0').spec['scheduler_hints'] == {'group': {'$ref': 'server_group/policy_affinity_group'}}
    done = apply(plan, snapshot())
    assert P.plan_converge(basic.vnfd, fl, req, done).empty

    # a server lost (or never made: a failed run kept the rest): only it is planned, on its existing port
    lost = copy.deepcopy(done)
    lost.servers = [s for s in lost.servers if T.parse_metadata(s['metadata'])['vnfc'] != 'VDU1-1']
    again = P.plan_converge(basic.vnfd, fl, req, lost)
    assert again.summary() == ['create server VDU1-1 (flavor vnf.small, image cirros, group policy_affinity_group)']
    server = again.actions[0]
    assert server.spec['networks'] == [{'port': 'id-port/VDU1-1/VDU1_CP1'}]
    assert server.spec['scheduler_hints'] == {'group': 'id-server_group/policy_affinity_group'}
    assert server.deps == []


def test_scale_levels_converge_out_and_in(basic):
    fl = basic.vnfd.flavour('simple')
    base = apply(P.plan_converge(basic.vnfd, fl, request(basic), snapshot()), snapshot())
    out = P.plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 2}), base, operation='SCALE')
    assert [a.summary() for a in out.actions if a.kind == 'server'] == [
        'create server VDU1-1 (flavor vnf.small, image cirros, group policy_affinity_group)',
        'create server VDU1-2 (flavor vnf.small, image cirros, group policy_affinity_group)']
    assert out.find(P.UPDATE, P.ANCHOR).tags.count('nfvo:want=VDU1:3') == 1
    scaled = apply(out, base)
    back = P.plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 0}), scaled, operation='SCALE')
    deletes = [a for a in back.actions if a.op == P.DELETE]
    assert sorted(a.key for a in deletes) == ['port/VDU1-1/VDU1_CP1', 'port/VDU1-2/VDU1_CP1', 'server/VDU1-1', 'server/VDU1-2']
    assert back.find(P.DELETE, 'port/VDU1-2/VDU1_CP1').deps == ['server/VDU1-2']
    with pytest.raises(P.PlanError, match="aspect 'VDU1_scale' level 3 is out of range 0..2"):
        P.plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 3}), base)


def test_server_in_error_is_replaced(basic):
    fl = basic.vnfd.flavour('simple')
    done = apply(P.plan_converge(basic.vnfd, fl, request(basic), snapshot()), snapshot())
    next(s for s in done.servers if s['name'] == 'web-1-VDU2-0')['status'] = 'ERROR'
    plan = P.plan_converge(basic.vnfd, fl, request(basic), done)
    assert [a.summary() for a in plan.actions] == [
        'delete server VDU2-0', 'create server VDU2-0 (flavor vnf.small, image cirros, group policy_affinity_group)']
    assert plan.actions[1].deps == ['server/VDU2-0#old']


def test_terminate_deletes_ours_in_order(hello):
    req = request(hello, ext_links=P.normalize_ext_virtual_links({'CP1': 'ext'}))
    done = apply(P.plan_converge(hello.vnfd, hello.vnfd.flavour('simple'), req, snapshot()), snapshot())
    plan = P.plan_terminate(done, graceful=True)
    assert [a.summary() for a in plan.actions] == [
        'stop server VDU1-0 (graceful)', 'stop server VDU2-0 (graceful)',
        'delete server VDU1-0', 'delete server VDU2-0',
        'delete port CP1 of VDU1-0', 'delete port CP2 of VDU1-0', 'delete port CP3 of VDU2-0',
        'delete volume VirtualStorage of VDU2-0',
        'delete network internalVL2',  # its subnet goes with it
        'delete VNF instance record nfvo-vnf-web-1',
    ]
    assert plan.find(P.DELETE, 'server/VDU1-0').deps == ['server/VDU1-0']  # after its stop
    assert plan.find(P.DELETE, 'port/VDU1-0/CP1').deps == ['server/VDU1-0']
    assert plan.find(P.DELETE, 'volume/VDU2-0/VirtualStorage').deps == ['server/VDU2-0']
    assert sorted(plan.find(P.DELETE, 'network/internalVL2').deps) == ['port/VDU1-0/CP2', 'port/VDU2-0/CP3']
    assert len(plan.find(P.DELETE, P.ANCHOR).deps) == 7  # every other delete (stops come before server deletes)
    assert all(a.resource_id != 'net-ext' for a in plan.actions)


def test_rollback_deletes_only_what_was_created(basic):
    snap = snapshot()
    created = [('anchor', 'anchor', {'id': 'a1', 'name': 'nfvo-vnf-web-1'}),
               ('network', 'network/internalVL3', {'id': 'n1', 'name': 'web-1-internalVL3'}),
               ('subnet', 'subnet/internalVL3', {'id': 's1', 'network_id': 'n1'}),
               ('port', 'port/VDU1-0/VDU1_CP1', {'id': 'p1', 'network_id': 'n1'}),
               ('server', 'server/VDU1-0', {'id': 'v1'})]
    plan = P.plan_delete(snap, created)
    assert [a.summary() for a in plan.actions] == ['delete server VDU1-0', 'delete port VDU1_CP1 of VDU1-0',
                                                   'delete network internalVL3', 'delete VNF instance record nfvo-vnf-web-1']
    assert plan.find(P.DELETE, 'network/internalVL3').deps == ['port/VDU1-0/VDU1_CP1']


def test_flavors_images_and_links_errors(hello, basic):
    fl = basic.vnfd.flavour('simple')
    snap = snapshot(flavors=FLAVORS[:1])
    with pytest.raises(P.PlanError, match=r'^no flavor with exactly 1 vCPU/512 MB RAM/3 GB disk for VDU1: .*create_flavors: true'):
        P.plan_converge(basic.vnfd, fl, request(basic), snap)
    plan = P.plan_converge(basic.vnfd, fl, request(basic, create_flavors=True), snap)
    flavor = plan.find(P.CREATE, 'flavor/VDU1')
    assert flavor.name == 'nfvo-b1bb0ce7-ebca-4fa7-95ed-4840d7000000-VDU1' and flavor.spec['disk'] == 3
    assert plan.find(P.CREATE, 'server/VDU1-0').spec['flavorRef'] == {'$ref': 'flavor/VDU1'}

    with pytest.raises(P.PlanError, match=r"^no image for VDU1 \(sw image 'cirros-0.5.2-x86_64-disk'\)"):
        P.plan_converge(basic.vnfd, fl, request(basic, images={}), snapshot())
    onboarded = {'id': 'img-onb', 'name': 'x', 'status': 'active', 'nfvo_vnfd_id': basic.vnfd.descriptor_id,
                 'nfvo_vnfd_version': '1.0', 'nfvo_sw_image': 'cirros-0.5.2-x86_64-disk'}
    plan = P.plan_converge(basic.vnfd, fl, request(basic, images={}), snapshot(onboarded_images=[onboarded]))
    assert plan.find(P.CREATE, 'server/VDU1-0').spec['imageRef'] == 'img-onb'
    plan = P.plan_converge(basic.vnfd, fl, request(basic, images={'VDU1': 'cirros'}), snapshot(onboarded_images=[onboarded]))
    assert plan.find(P.CREATE, 'server/VDU1-0').spec['imageRef'] == 'img-cirros'  # the user's map wins
    with pytest.raises(P.PlanError, match="image 'nope' given for VDU1 in images is not in Glance"):
        P.plan_converge(basic.vnfd, fl, request(basic, images={'VDU1': 'nope'}), snapshot(user_images={'nope': None}))

    hfl = hello.vnfd.flavour('simple')
    with pytest.raises(P.PlanError, match=r'^CP CP1 of VDU1 is external: connect it with ext_virtual_links'):
        P.plan_converge(hello.vnfd, hfl, request(hello), snapshot())
    with pytest.raises(P.PlanError, match="network 'gone' of ext_virtual_links"):
        P.plan_converge(hello.vnfd, hfl, request(hello, ext_links=P.normalize_ext_virtual_links({'CP1': 'gone'})), snapshot())
    with pytest.raises(P.PlanError, match="names CP 'CPX', which is not a VduCp"):
        P.plan_converge(hello.vnfd, hfl, request(hello, ext_links=P.normalize_ext_virtual_links({'CPX': 'ext'})), snapshot())


def test_ext_virtual_links_shapes():
    proto = [{'layerProtocol': 'IP_OVER_ETHERNET', 'ipOverEthernet': {
        'ipAddresses': [{'type': 'IPV4', 'fixedAddresses': ['10.0.0.5'], 'subnetId': 'sub-1'}]}}]
    etsi = [{'id': 'e1', 'resourceId': 'net-a', 'extCps': [
        {'cpdId': 'CP1', 'cpConfig': {'c0': {'cpProtocolData': proto}, 'c1': {'fixed_ips': ['10.0.0.6']}}}]}]
    links = P.normalize_ext_virtual_links(etsi)
    assert links['CP1'].network == 'net-a' and links['CP1'].ext_vl_id == 'e1'
    assert links['CP1'].cp_configs == [{'fixed_ips': [{'ip_address': '10.0.0.5', 'subnet_id': 'sub-1'}]},
                                       {'fixed_ips': [{'ip_address': '10.0.0.6'}]}]
    short = P.normalize_ext_virtual_links({'CP1': 'net-a', 'CP2': {'network': 'net-b', 'fixed_ips': [{'ip_address': '10.1.0.9'}]}})
    assert short['CP1'].network == 'net-a' and short['CP2'].cp_configs == [{'fixed_ips': [{'ip_address': '10.1.0.9'}]}]
    with pytest.raises(P.PlanError, match='has no resource_id'):
        P.normalize_ext_virtual_links([{'ext_cps': []}])
    with pytest.raises(P.PlanError, match='link_port_id'):
        P.normalize_ext_virtual_links([{'resource_id': 'n', 'ext_cps': [{'cpd_id': 'CP1', 'cp_config': [{'link_port_id': 'p'}]}]}])


def test_cidr_pool_avoids_used_subnets(basic):
    assert P.allocate_cidrs(['10.10.0.0/22'], 2, ['10.10.0.0/24', '10.10.2.0/25']) == ['10.10.1.0/24', '10.10.3.0/24']
    with pytest.raises(P.PlanError, match='has no room'):
        P.allocate_cidrs(['10.10.0.0/24'], 1, ['10.10.0.0/16'])
    fl = copy.deepcopy(basic.vnfd.flavour('simple'))
    fl.virtual_links['internalVL3'].cidr = None
    with pytest.raises(P.PlanError, match='internalVL3 has no CIDR in the VNFD: give cidr_pool'):
        P.plan_converge(basic.vnfd, fl, request(basic), snapshot())
    plan = P.plan_converge(basic.vnfd, fl, request(basic, cidr_pool=['172.30.0.0/16']), snapshot(used_cidrs=['172.30.0.0/24']))
    assert plan.find(P.CREATE, 'subnet/internalVL3').spec['cidr'] == '172.30.1.0/24'


def test_user_data_never_shown_and_security_group(basic):
    fl = basic.vnfd.flavour('simple')
    req = request(basic, additional_params={'user_data': '#cloud-config\npassword: s3cret', 'vdu_params': {'VDU2': {'config_drive': True}}},
                  security_group_rules=[{'protocol': 'tcp', 'port_range_min': 22, 'port_range_max': 22}])
    plan = P.plan_converge(basic.vnfd, fl, req, snapshot())
    server = plan.find(P.CREATE, 'server/VDU2-0')
    assert server.spec['config_drive'] is True and server.spec['user_data'].startswith('#cloud-config')
    assert 's3cret' not in str(plan.to_list()) and '<30 characters>' in str(plan.to_list())
    port = plan.find(P.CREATE, 'port/VDU1-0/VDU1_CP1')
    assert port.spec['security_groups'] == [{'$ref': 'security_group/vnf'}] and 'security_group/vnf' in port.deps
    assert plan.find(P.CREATE, 'security_group/vnf').spec['rules'][0]['port_range_min'] == 22


def test_record_drift_and_instance_shape(basic):
    fl = basic.vnfd.flavour('simple')
    req = request(basic)
    done = apply(P.plan_converge(basic.vnfd, fl, req, snapshot()), snapshot())
    done.anchors[0]['created_at'] = '2026-01-01T00:00:00Z'
    inst = V.vnf_instance(done)
    assert inst['instantiationState'] == 'INSTANTIATED' and inst['vnfdId'] == basic.vnfd.descriptor_id
    info = inst['instantiatedVnfInfo']
    assert [v['id'] for v in info['vnfcResourceInfo']] == ['VDU1-0', 'VDU2-0']
    assert info['scaleStatus'] == [{'aspectId': 'VDU1_scale', 'scaleLevel': 0}]
    assert V.drift(done) == []
    done.servers = [s for s in done.servers if 'VDU1-0' not in s['name']]
    items = V.drift(done)
    assert items[0]['type'] == 'missing' and items[0]['resource'] == 'server VDU1-0'
    assert V.vnf_instance(P.Snapshot(instance_id='x', vnf_name='y'))['instantiationState'] == 'NOT_INSTANTIATED'


def test_anchor_of_another_vnfd_is_refused(basic, hello):
    done = apply(P.plan_converge(basic.vnfd, basic.vnfd.flavour('simple'), request(basic), snapshot()), snapshot())
    with pytest.raises(P.PlanError, match='is instantiated from VNFD b1bb0ce7-ebca-4fa7-95ed-4840d7000000, not'):
        P.plan_converge(hello.vnfd, hello.vnfd.flavour('simple'),
                        request(hello, ext_links=P.normalize_ext_virtual_links({'CP1': 'ext'})), done)


def test_tags_multi_values():
    tags = [T.multi_tag('scale', 'a', 2), T.multi_tag('want', 'VDU1', 3), T.tag('vnf', 'x')]
    assert T.parse_multi_tags(tags, 'scale') == {'a': 2} and T.parse_multi_tags(tags, 'want') == {'VDU1': 3}
    assert T.parse_tags(tags) == {'vnf': 'x'}


# ---------------------------------------------------------------------------------------------------------------
# VNF lifecycle II: scale, scale to level, heal, operate, rollback by trim

def instantiated(basic, **kw):
    """The snapshot of v2_basic_min instantiated at its default level (VDU1-0, VDU2-0), as the executor leaves it."""
    req = request(basic, **kw)
    snap = snapshot()
    return apply(P.plan_converge(basic.vnfd, basic.vnfd.flavour('simple'), req, snap), snap)


def test_scale_levels_after(basic):
    fl = basic.vnfd.flavour('simple')
    assert P.scale_levels_after(fl, {'VDU1_scale': 0}, 'VDU1_scale', 'scale_out', 2) == {'VDU1_scale': 2}
    assert P.scale_levels_after(fl, {'VDU1_scale': 2}, 'VDU1_scale', 'scale_in', 1) == {'VDU1_scale': 1}
    with pytest.raises(P.PlanError, match=r"scale out of aspect 'VDU1_scale' by 3 step\(s\) from level 0 leaves its range 0..2"):
        P.scale_levels_after(fl, {}, 'VDU1_scale', 'scale_out', 3)
    with pytest.raises(P.PlanError, match='leaves its range 0..2'):
        P.scale_levels_after(fl, {'VDU1_scale': 0}, 'VDU1_scale', 'scale_in', 1)
    with pytest.raises(P.PlanError, match="aspect 'nope' is not defined in flavour 'simple'"):
        P.scale_levels_after(fl, {}, 'nope', 'scale_out', 1)
    with pytest.raises(P.PlanError, match='number_of_steps must be a positive integer'):
        P.scale_levels_after(fl, {}, 'VDU1_scale', 'scale_out', 0)


def test_scale_to_level_adds_then_removes_newest_first(basic):
    fl = basic.vnfd.flavour('simple')
    snap = instantiated(basic)
    plan = P.plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 2}), snap, operation='SCALE')
    assert plan.summary()[0] == 'update VNF instance record nfvo-vnf-web-1 (record level instantiation_level_1, VDU1=3, VDU2=1)'
    assert sorted(a.key for a in plan.actions if a.op == P.CREATE) == [
        'port/VDU1-1/VDU1_CP1', 'port/VDU1-2/VDU1_CP1', 'server/VDU1-1', 'server/VDU1-2']
    assert not [a for a in plan.actions if a.op == P.DELETE]
    new = plan.find(P.CREATE, 'server/VDU1-1')
    assert new.spec['scheduler_hints'] == {'group': snap.server_groups[0]['id']}  # the existing server group
    assert T.multi_tag('want', 'VDU1', 3) in plan.find(P.UPDATE, P.ANCHOR).tags
    scaled = apply(plan, snap)
    assert P.plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 2}), scaled).empty

    down = P.plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 1}), scaled)
    assert sorted(a.key for a in down.actions if a.op == P.DELETE) == ['port/VDU1-2/VDU1_CP1', 'server/VDU1-2']
    assert down.find(P.DELETE, 'port/VDU1-2/VDU1_CP1').deps == ['server/VDU1-2']
    with pytest.raises(P.PlanError, match="aspect 'VDU1_scale' level 3 is out of range 0..2"):
        P.plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 3}), scaled)


def test_heal_recreate_reuses_ports_and_touches_only_the_named_vnfcs(basic):
    fl = basic.vnfd.flavour('simple')
    snap = instantiated(basic)
    port = next(p for p in snap.ports if T.tag('vnfc', 'VDU1-0') in p['tags'])
    snap.servers = [s for s in snap.servers if s['metadata']['nfvo_vnfc_id'] != 'VDU1-0']  # deleted behind our back
    plan = P.plan_converge(basic.vnfd, fl, request(basic, only=['VDU1-0']), snap, operation='HEAL')
    assert plan.summary() == ['create server VDU1-0 (flavor vnf.small, image cirros, group policy_affinity_group)']
    assert plan.actions[0].spec['networks'] == [{'port': port['id']}]  # same port: same fixed IP
    # a healthy VNFC named for recreate: its server is replaced after the old one is gone
    vdu2 = next(s for s in snap.servers if s['metadata']['nfvo_vnfc_id'] == 'VDU2-0')
    plan = P.plan_converge(basic.vnfd, fl, request(basic, only=['VDU2-0'], replace=['VDU2-0']), snap, operation='HEAL')
    assert [a.id for a in plan.actions] == ['delete:server/VDU2-0#old', 'create:server/VDU2-0']
    assert plan.actions[0].resource_id == vdu2['id'] and 'server/VDU2-0#old' in plan.actions[1].deps


def test_unhealthy_vnfcs(basic):
    snap = instantiated(basic)
    counts = {'VDU1': 2, 'VDU2': 1}
    cps = {'VDU1': ['VDU1_CP1'], 'VDU2': ['VDU2_CP1']}
    assert P.unhealthy_vnfcs(snap, counts, cps) == {'VDU1-1': 'no server'}
    snap.servers[0]['status'] = 'ERROR'
    snap.servers[1]['status'] = 'SHUTOFF'
    names = [s['metadata']['nfvo_vnfc_id'] for s in snap.servers]
    got = P.unhealthy_vnfcs(snap, counts, cps)
    assert got[names[0]] == 'server in ERROR' and got[names[1]] == 'server SHUTOFF while the VNF should run'
    assert names[1] not in P.unhealthy_vnfcs(snap, counts, cps, should_run=False)
    snap.servers[0]['status'] = snap.servers[1]['status'] = 'ACTIVE'
    snap.ports[0]['status'] = 'DOWN'
    down = T.parse_tags(snap.ports[0]['tags'])
    assert P.unhealthy_vnfcs(snap, {'VDU1': 1, 'VDU2': 1}, cps) == {down['vnfc']: 'port %s DOWN' % down['cp']}
    snap.ports = snap.ports[1:]
    assert P.unhealthy_vnfcs(snap, {'VDU1': 1, 'VDU2': 1}, cps) == {down['vnfc']: 'port %s missing' % down['cp']}


def test_server_actions_for_operate_and_heal(basic):
    snap = instantiated(basic)
    snap.servers[0]['status'] = 'SHUTOFF'
    tags = P.retag(snap.anchor['tags'], state=P.STOPPED)
    assert T.tag('state', 'STOPPED') in tags and P.retag(tags, state=None) == [t for t in tags if not t.startswith('nfvo:state=')]
    plan = P.plan_server_actions(snap, ['VDU1-0', 'VDU2-0'], P.STOP, 'OPERATE', anchor_tags_after=tags)
    stopped = snap.servers[0]['metadata']['nfvo_vnfc_id']
    assert [a.id for a in plan.actions if a.kind == 'server'] == ['stop:server/%s' % ({'VDU1-0', 'VDU2-0'} - {stopped}).pop()]
    assert plan.find(P.UPDATE, P.ANCHOR).tags == tags
    for s in snap.servers:
        s['status'] = 'SHUTOFF'
    snap.anchor['tags'] = tags
    assert P.plan_server_actions(snap, ['VDU1-0', 'VDU2-0'], P.STOP, 'OPERATE', anchor_tags_after=tags).empty  # idempotent
    assert len(P.plan_server_actions(snap, ['VDU1-0', 'VDU2-0'], P.START, 'OPERATE').actions) == 2
    with pytest.raises(P.PlanError, match='VNFC VDU1-9 of VNF web-1 has no server: heal it with strategy recreate'):
        P.plan_server_actions(snap, ['VDU1-9'], P.REBOOT, 'HEAL')
    with pytest.raises(P.PlanError, match='boots from a volume: rebuild needs an image'):
        P.plan_server_actions(snap, ['VDU1-0'], P.REBUILD, 'HEAL')  # these fake servers carry no image
    snap.servers[0]['image'] = {'id': 'img-cirros'}
    vnfc = snap.servers[0]['metadata']['nfvo_vnfc_id']
    assert P.plan_server_actions(snap, [vnfc], P.REBUILD, 'HEAL').actions[0].spec == {'imageRef': 'img-cirros'}


def test_trim_rolls_a_scale_out_back(basic):
    fl = basic.vnfd.flavour('simple')
    snap = instantiated(basic)
    scaled = apply(P.plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 2}), snap), snap)
    before = P.retag(scaled.anchor['tags'], scale={'VDU1_scale': 0}, want={'VDU1': 1, 'VDU2': 1})
    assert sorted(before) == sorted(snap.anchor['tags'])
    plan = P.plan_trim(scaled, {'VDU1': 1, 'VDU2': 1}, operation='SCALE', anchor_tags_after=before)
    assert sorted(a.key for a in plan.actions if a.op == P.DELETE) == [
        'port/VDU1-1/VDU1_CP1', 'port/VDU1-2/VDU1_CP1', 'server/VDU1-1', 'server/VDU1-2']
    assert plan.find(P.UPDATE, P.ANCHOR).tags == before
    trimmed = apply(plan, scaled)
    assert P.plan_converge(basic.vnfd, fl, request(basic), trimmed).empty


def test_operation_record_fits_and_heal_changes_are_modified():
    record = {'lock': {'op': 'x' * 36, 'exp': 1767225600},
              'op': {'id': 'y' * 36, 'type': 'SCALE_TO_LEVEL', 'state': 'FAILED_TEMP', 'at': 1767225600, 'v': ['VDU1-%d' % i for i in range(30)],
                     'prev': {'l': 'instantiation_level_1', 's': {'VDU1_scale': 0}, 'w': {'VDU1': 1, 'VDU2': 1}}}}
    text = V.encode_record(record)
    assert len(text) <= V.RECORD_MAX and '"lock"' in text
    occ = V.lcm_op_occ('op', 'HEAL', 'COMPLETED', 'iid', 0, 1, created=[('server', 'server/VDU1-0', {'id': 'new'})],
                       deleted=[('server', 'server/VDU1-0#old', 'old')], modified=[('VDU1-0', 'new')])
    assert [(v['id'], v['changeType']) for v in occ['resourceChanges']['affectedVnfcs']] == [('VDU1-0', 'MODIFIED')]


def test_affinity_group_first_server_goes_first(basic):
    fl = basic.vnfd.flavour('simple')
    plan = P.plan_converge(basic.vnfd, fl, request(basic), snapshot())
    assert 'server/VDU1-0' in plan.find(P.CREATE, 'server/VDU2-0').deps  # nothing placed yet: VDU1-0 first
    assert 'server/VDU2-0' not in plan.find(P.CREATE, 'server/VDU1-0').deps
    scaled = P.plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 2}), instantiated(basic))
    assert not [d for a in scaled.actions if a.kind == 'server' for d in a.deps if d.startswith('server/')]  # members run
