# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge, terminate and delete planning on Tacker's sample packages: what gets created, in which order, and that a
re-plan is empty."""
from __future__ import annotations

import copy

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import (
    anchor_tags, plan_converge, plan_delete, plan_terminate, unanswered_creates)
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.environment import mapped_images
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import ANCHOR, CREATE, DELETE
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import normalize_ext_virtual_links
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V

from .plans import FLAVORS, apply, instantiated, package, request, snapshot


def test_helloworld3_from_nothing(hello):
    req = request(hello, ext_links=normalize_ext_virtual_links({'CP1': 'ext'}))
    plan = plan_converge(hello.vnfd, hello.vnfd.flavour('simple'), req, snapshot())
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
    vdu1 = plan.find(CREATE, 'server/VDU1-0')
    assert vdu1.deps == ['anchor', 'port/VDU1-0/CP1', 'port/VDU1-0/CP2']
    assert vdu1.spec['flavorRef'] == 'f-1-512-3'  # exact match, the plainest (no extra specs)
    assert vdu1.spec['networks'] == [{'port': {'$ref': 'port/VDU1-0/CP1'}}, {'port': {'$ref': 'port/VDU1-0/CP2'}}]
    assert T.tag('vnfc', 'VDU1-0') in vdu1.tags and vdu1.metadata['nfvo_vdu'] == 'VDU1'
    vdu2 = plan.find(CREATE, 'server/VDU2-0')
    assert 'imageRef' not in vdu2.spec
    assert vdu2.spec['block_device_mapping_v2'] == [{'uuid': {'$ref': 'volume/VDU2-0/VirtualStorage'}, 'source_type': 'volume',
                                                     'destination_type': 'volume', 'boot_index': 0, 'delete_on_termination': False}]
    port = plan.find(CREATE, 'port/VDU1-0/CP2')
    assert port.deps == ['anchor', 'network/internalVL2', 'subnet/internalVL2']
    assert set(port.tags) >= {T.tag('vnf', 'iid-1'), T.tag('cp', 'CP2'), T.tag('vnfc', 'VDU1-0'), T.tag('vdu', 'VDU1')}
    anchor = plan.find(CREATE, ANCHOR)
    assert set(anchor.tags) >= {'nfvo:role=anchor', 'nfvo:level=instantiation_level_1', 'nfvo:scale=worker_instance:0',
                                'nfvo:want=VDU1:1', 'nfvo:want=VDU2:1', 'nfvo:vnf_name=web-1'}
    assert plan.target['vdu_instances'] == {'VDU1': 1, 'VDU2': 1}


def test_images_mapped_by_the_task_are_recorded_on_the_instance(basic):
    fl = basic.vnfd.flavour('simple')
    plan = plan_converge(basic.vnfd, fl, request(basic), snapshot())
    anchor = plan.find(CREATE, ANCHOR)
    assert {'nfvo:image=VDU1:img-cirros', 'nfvo:image=VDU2:img-cirros'} <= set(anchor.tags)
    snap = snapshot(anchors=[{'id': 'a-1', 'name': 'nfvo-vnf-web-1', 'tags': anchor.tags}])
    assert V.record_of(snap)['images'] == {'VDU1': 'img-cirros', 'VDU2': 'img-cirros'}
    assert T.parse_multi_tags(anchor.tags, 'want') == {'VDU1': 1, 'VDU2': 1}  # image tags are not counts

    # onboarded images are found again by their properties: not recorded
    onboarded = {'id': 'img-onb', 'name': 'x', 'status': 'active', 'nfvo_vnfd_id': basic.vnfd.descriptor_id,
                 'nfvo_vnfd_version': '1.0', 'nfvo_sw_image': 'cirros-0.5.2-x86_64-disk'}
    plan = plan_converge(basic.vnfd, fl, request(basic, images={'VDU2': 'cirros'}), snapshot(onboarded_images=[onboarded]))
    tags = plan.find(CREATE, ANCHOR).tags
    assert [t for t in tags if t.startswith('nfvo:image=')] == ['nfvo:image=VDU2:img-cirros']

    # beyond Neutron's 50 tags the map is not recorded, and the plan says so
    many = anchor_tags(request(basic), 'l1', {'a%d' % i: 0 for i in range(41)}, {'VDU1': 1}, images={'VDU1': 'i', 'VDU2': 'i'},
                       warnings=plan.warnings)
    assert len(many) <= T.MAX_TAGS and not [t for t in many if t.startswith('nfvo:image=')]
    assert plan.warnings[-1].startswith('the images mapped for VDU1, VDU2 are not recorded on the instance')
    warned = len(plan.warnings)
    anchor_tags(request(basic), 'l1', {'a%d' % i: 0 for i in range(60)}, {'VDU1': 1}, images={}, warnings=plan.warnings)
    assert len(plan.warnings) == warned  # nothing mapped, nothing to warn about

    # a later run without images: keeps the record (no update planned)
    snap = snapshot(anchors=[{'id': 'a-1', 'name': 'nfvo-vnf-web-1', 'tags': anchor.tags}])
    assert sorted(anchor_tags(request(basic, images={}), 'instantiation_level_1', {'VDU1_scale': 0}, {'VDU1': 1, 'VDU2': 1},
                              images=mapped_images(request(basic, images={}), fl, snap))) == sorted(anchor.tags)


def test_replan_after_apply_is_empty_and_resume_reuses_ports(basic):
    fl = basic.vnfd.flavour('simple')
    req = request(basic, instantiation_level_id='instantiation_level_2')
    plan = plan_converge(basic.vnfd, fl, req, snapshot())
    assert [a.key for a in plan.actions if a.kind == 'server'] == ['server/VDU1-0', 'server/VDU1-1', 'server/VDU1-2', 'server/VDU2-0']
    group = plan.find(CREATE, 'server_group/policy_affinity_group')
    assert group.spec == {'name': 'nfvo-iid-1-policy_affinity_group', 'policy': 'affinity'}
    assert plan.find(CREATE, 'server/VDU2-0').spec['scheduler_hints'] == {'group': {'$ref': 'server_group/policy_affinity_group'}}
    done = apply(plan, snapshot())
    assert plan_converge(basic.vnfd, fl, req, done).empty

    # a server lost (or never made: a failed run kept the rest): only it is planned, on its existing port
    lost = copy.deepcopy(done)
    lost.servers = [s for s in lost.servers if T.parse_metadata(s['metadata'])['vnfc'] != 'VDU1-1']
    again = plan_converge(basic.vnfd, fl, req, lost)
    assert again.summary() == ['create server VDU1-1 (flavor vnf.small, image cirros, group policy_affinity_group)']
    server = again.actions[0]
    assert server.spec['networks'] == [{'port': 'id-port/VDU1-1/VDU1_CP1'}]
    assert server.spec['scheduler_hints'] == {'group': 'id-server_group/policy_affinity_group'}
    assert server.deps == []


def test_server_in_error_is_replaced(basic):
    fl = basic.vnfd.flavour('simple')
    done = apply(plan_converge(basic.vnfd, fl, request(basic), snapshot()), snapshot())
    next(s for s in done.servers if s['name'] == 'web-1-VDU2-0')['status'] = 'ERROR'
    plan = plan_converge(basic.vnfd, fl, request(basic), done)
    assert [a.summary() for a in plan.actions] == [
        'delete server VDU2-0', 'create server VDU2-0 (flavor vnf.small, image cirros, group policy_affinity_group)']
    assert plan.actions[1].deps == ['server/VDU2-0#old']


def test_terminate_deletes_ours_in_order(hello):
    req = request(hello, ext_links=normalize_ext_virtual_links({'CP1': 'ext'}))
    done = apply(plan_converge(hello.vnfd, hello.vnfd.flavour('simple'), req, snapshot()), snapshot())
    plan = plan_terminate(done, graceful=True)
    assert [a.summary() for a in plan.actions] == [
        'stop server VDU1-0 (graceful)', 'stop server VDU2-0 (graceful)',
        'delete server VDU1-0', 'delete server VDU2-0',
        'delete port CP1 of VDU1-0', 'delete port CP2 of VDU1-0', 'delete port CP3 of VDU2-0',
        'delete volume VirtualStorage of VDU2-0',
        'delete network internalVL2',  # its subnet goes with it
        'delete VNF instance record nfvo-vnf-web-1',
    ]
    assert plan.find(DELETE, 'server/VDU1-0').deps == ['server/VDU1-0']  # after its stop
    assert plan.find(DELETE, 'port/VDU1-0/CP1').deps == ['server/VDU1-0']
    assert plan.find(DELETE, 'volume/VDU2-0/VirtualStorage').deps == ['server/VDU2-0']
    assert sorted(plan.find(DELETE, 'network/internalVL2').deps) == ['port/VDU1-0/CP2', 'port/VDU2-0/CP3']
    assert len(plan.find(DELETE, ANCHOR).deps) == 7  # every other delete (stops come before server deletes)
    assert all(a.resource_id != 'net-ext' for a in plan.actions)
    # forceful: the ports go while their servers are deleted; volumes still wait for the server (they are attached)
    forceful = plan_terminate(done)
    assert forceful.find(DELETE, 'port/VDU1-0/CP1').deps == []
    assert forceful.find(DELETE, 'volume/VDU2-0/VirtualStorage').deps == ['server/VDU2-0']
    assert sorted(forceful.find(DELETE, 'network/internalVL2').deps) == ['port/VDU1-0/CP2', 'port/VDU2-0/CP3']


def test_rollback_deletes_only_what_was_created(basic):
    snap = snapshot()
    created = [('anchor', 'anchor', {'id': 'a1', 'name': 'nfvo-vnf-web-1'}),
               ('network', 'network/internalVL3', {'id': 'n1', 'name': 'web-1-internalVL3'}),
               ('subnet', 'subnet/internalVL3', {'id': 's1', 'network_id': 'n1'}),
               ('port', 'port/VDU1-0/VDU1_CP1', {'id': 'p1', 'network_id': 'n1'}),
               ('server', 'server/VDU1-0', {'id': 'v1'})]
    plan = plan_delete(snap, created)
    assert [a.summary() for a in plan.actions] == ['delete server VDU1-0', 'delete port VDU1_CP1 of VDU1-0',
                                                   'delete network internalVL3', 'delete VNF instance record nfvo-vnf-web-1']
    assert plan.find(DELETE, 'network/internalVL3').deps == ['port/VDU1-0/VDU1_CP1']


def test_rollback_also_deletes_creates_whose_answer_was_lost(basic):
    """A create the cloud did but never answered (a dropped connection, a timeout): not in ``created``, found in the
    look after the failure by our marks; a VNFC made twice (the lost one and the answered one) is deleted twice."""
    before = snapshot()
    before.servers = [{'id': 'old', 'metadata': {'nfvo_vnfc_id': 'VDU1-0'}}]
    created = [('server', 'server/VDU1-1', {'id': 'v2'})]
    after = snapshot()
    after.servers = [{'id': 'old', 'metadata': {'nfvo_vnfc_id': 'VDU1-0'}}, {'id': 'v2', 'metadata': {'nfvo_vnfc_id': 'VDU1-1'}},
                     {'id': 'lost', 'metadata': {'nfvo_vnfc_id': 'VDU1-1'}}]
    after.networks = [{'id': 'n-lost', 'name': 'web-1-internalVL3', 'tags': ['nfvo:vl=internalVL3']}]
    lost = unanswered_creates(before, after, created)
    assert [(kind, key, res['id']) for kind, key, res in lost] == [('network', 'network/internalVL3', 'n-lost'), ('server', 'server/VDU1-1', 'lost')]
    plan = plan_delete(before, created + lost)
    assert sorted((a.key, a.resource_id) for a in plan.actions) == [
        ('network/internalVL3', 'n-lost'), ('server/VDU1-1', 'v2'), ('server/VDU1-1#dup1', 'lost')]
    assert unanswered_creates(before, before, []) == []


def test_flavors_images_and_links_errors(hello, basic):
    fl = basic.vnfd.flavour('simple')
    snap = snapshot(flavors=FLAVORS[:1])
    with pytest.raises(PlanError, match=r'^no flavor with exactly 1 vCPU/512 MB RAM/3 GB disk for VDU1: .*create_flavors: true'):
        plan_converge(basic.vnfd, fl, request(basic), snap)
    plan = plan_converge(basic.vnfd, fl, request(basic, create_flavors=True), snap)
    flavor = plan.find(CREATE, 'flavor/VDU1')
    assert flavor.name == 'nfvo-b1bb0ce7-ebca-4fa7-95ed-4840d7000000-VDU1' and flavor.spec['disk'] == 3
    assert plan.find(CREATE, 'server/VDU1-0').spec['flavorRef'] == {'$ref': 'flavor/VDU1'}

    with pytest.raises(PlanError, match=r"^no image for VDU1 \(sw image 'cirros-0.5.2-x86_64-disk'\)"):
        plan_converge(basic.vnfd, fl, request(basic, images={}), snapshot())
    onboarded = {'id': 'img-onb', 'name': 'x', 'status': 'active', 'nfvo_vnfd_id': basic.vnfd.descriptor_id,
                 'nfvo_vnfd_version': '1.0', 'nfvo_sw_image': 'cirros-0.5.2-x86_64-disk'}
    plan = plan_converge(basic.vnfd, fl, request(basic, images={}), snapshot(onboarded_images=[onboarded]))
    assert plan.find(CREATE, 'server/VDU1-0').spec['imageRef'] == 'img-onb'
    plan = plan_converge(basic.vnfd, fl, request(basic, images={'VDU1': 'cirros'}), snapshot(onboarded_images=[onboarded]))
    assert plan.find(CREATE, 'server/VDU1-0').spec['imageRef'] == 'img-cirros'  # the user's map wins
    with pytest.raises(PlanError, match="image 'nope' given for VDU1 in images is not in Glance"):
        plan_converge(basic.vnfd, fl, request(basic, images={'VDU1': 'nope'}), snapshot(user_images={'nope': None}))

    hfl = hello.vnfd.flavour('simple')
    with pytest.raises(PlanError, match=r'^CP CP1 of VDU1 is external: connect it with ext_virtual_links'):
        plan_converge(hello.vnfd, hfl, request(hello), snapshot())
    with pytest.raises(PlanError, match="network 'gone' of ext_virtual_links"):
        plan_converge(hello.vnfd, hfl, request(hello, ext_links=normalize_ext_virtual_links({'CP1': 'gone'})), snapshot())
    with pytest.raises(PlanError, match="names CP 'CPX', which is not a VduCp or VnfExtCp"):
        plan_converge(hello.vnfd, hfl, request(hello, ext_links=normalize_ext_virtual_links({'CPX': 'ext'})), snapshot())


def test_user_data_never_shown_and_security_group(basic):
    fl = basic.vnfd.flavour('simple')
    req = request(basic, additional_params={'user_data': '#cloud-config\npassword: s3cret', 'vdu_params': {'VDU2': {'config_drive': True}}},
                  security_group_rules=[{'protocol': 'tcp', 'port_range_min': 22, 'port_range_max': 22}])
    plan = plan_converge(basic.vnfd, fl, req, snapshot())
    server = plan.find(CREATE, 'server/VDU2-0')
    assert server.spec['config_drive'] is True and server.spec['user_data'].startswith('#cloud-config')
    assert 's3cret' not in str(plan.to_list()) and '<30 characters>' in str(plan.to_list())
    port = plan.find(CREATE, 'port/VDU1-0/VDU1_CP1')
    assert port.spec['security_groups'] == [{'$ref': 'security_group/vnf'}] and 'security_group/vnf' in port.deps
    assert plan.find(CREATE, 'security_group/vnf').spec['rules'][0]['port_range_min'] == 22


def test_anchor_of_another_vnfd_is_refused(basic, hello):
    done = apply(plan_converge(basic.vnfd, basic.vnfd.flavour('simple'), request(basic), snapshot()), snapshot())
    with pytest.raises(PlanError, match='is instantiated from VNFD b1bb0ce7-ebca-4fa7-95ed-4840d7000000, not'):
        plan_converge(hello.vnfd, hello.vnfd.flavour('simple'),
                      request(hello, ext_links=normalize_ext_virtual_links({'CP1': 'ext'})), done)


def test_affinity_group_first_server_goes_first(basic):
    fl = basic.vnfd.flavour('simple')
    plan = plan_converge(basic.vnfd, fl, request(basic), snapshot())
    assert 'server/VDU1-0' in plan.find(CREATE, 'server/VDU2-0').deps  # nothing placed yet: VDU1-0 first
    assert 'server/VDU2-0' not in plan.find(CREATE, 'server/VDU1-0').deps
    scaled = plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 2}), instantiated(basic))
    assert not [d for a in scaled.actions if a.kind == 'server' for d in a.deps if d.startswith('server/')]  # members run


def test_a_vnf_ext_cp_puts_its_internal_vl_on_the_external_network():
    """practical's ha flavour: VDU_intnet0 exposed through VnfExtCps; connecting one puts the VL on that network."""
    practical = package('practical')
    fl = practical.vnfd.flavour('ha')
    links = normalize_ext_virtual_links({'VDU0_extCP0': 'ext', 'RT_extCP': 'net-ext'})  # one network, by name and by id
    req = request(practical, flavour='ha', images={'VDU_0': 'cirros', 'VDU_1': 'cirros'}, ext_links=links)
    snap = snapshot(ext_networks={'ext': {'id': 'net-ext', 'name': 'ext'}, 'net-ext': {'id': 'net-ext', 'name': 'ext'}})
    plan = plan_converge(practical.vnfd, fl, req, snap)
    assert plan.summary() == [
        'create VNF instance record nfvo-vnf-web-1 (the instance record)',
        'create server group nfvo-iid-1-VDU_placement_policy (anti-affinity of VDU_0, VDU_1)',
        'create port VDU0_CP0 of VDU_0-0 (on external network ext: internal VL VDU_intnet0 through VnfExtCps RT_extCP, VDU0_extCP0)',
        'create port VDU1_CP0 of VDU_1-0 (on external network ext: internal VL VDU_intnet0 through VnfExtCps RT_extCP, VDU0_extCP0)',
        'create server VDU_0-0 (flavor m1.tiny, image cirros, group VDU_placement_policy)',
        'create server VDU_1-0 (flavor m1.tiny, image cirros, group VDU_placement_policy)',
    ]
    port = plan.find(CREATE, 'port/VDU_0-0/VDU0_CP0')
    assert port.spec['network_id'] == 'net-ext' and port.deps == ['anchor']
    assert T.tag('vnf', 'iid-1') in port.tags and T.tag('cp', 'VDU0_CP0') in port.tags
    done = apply(plan, snap)
    assert plan_converge(practical.vnfd, fl, req, done).empty
    # terminate and rollback delete the ports, never the external network
    term = plan_terminate(done)
    assert {a.kind for a in term.actions} == {'anchor', 'server', 'port', 'server_group'}
    created = [(a.kind, a.key, r) for a in plan.actions for r in done.ports + done.servers + done.anchors if r['id'] == 'id-%s' % a.key]
    assert {a.kind for a in plan_delete(done, created).actions} == {'anchor', 'server', 'port'}
    # a VduCp named itself goes where its own entry says; the other VduCps of the VL stay on the VnfExtCp's network
    own = normalize_ext_virtual_links({'VDU_extvCP': 'ext', 'VDU1_CP0': {'network': 'other', 'fixed_ips': ['10.9.0.5']}})
    snap2 = snapshot(ext_networks={'ext': {'id': 'net-ext', 'name': 'ext'}, 'other': {'id': 'net-other', 'name': 'other'}})
    plan2 = plan_converge(practical.vnfd, fl, request(practical, flavour='ha', images={'VDU_0': 'cirros', 'VDU_1': 'cirros'}, ext_links=own), snap2)
    assert plan2.find(CREATE, 'port/VDU_0-0/VDU0_CP0').spec['network_id'] == 'net-ext'
    assert plan2.find(CREATE, 'port/VDU_1-0/VDU1_CP0').spec == {
        'name': 'web-1-VDU_1-0-VDU1_CP0', 'admin_state_up': True, 'network_id': 'net-other', 'fixed_ips': [{'ip_address': '10.9.0.5'}]}
    # without it, the VL is the VNF's own network with the VNFD's CIDR
    plan3 = plan_converge(practical.vnfd, fl, request(practical, flavour='ha', images={'VDU_0': 'cirros', 'VDU_1': 'cirros'}), snapshot())
    assert plan3.find(CREATE, 'subnet/VDU_intnet0').spec['cidr'] == '192.168.0.0/24'


def test_the_vnf_ext_cps_of_one_vl_name_one_network():
    practical = package('practical')
    fl = practical.vnfd.flavour('ha')
    snap = snapshot(ext_networks={'ext': {'id': 'net-ext', 'name': 'ext'}, 'other': {'id': 'net-other', 'name': 'other'}, 'gone': None})
    two = normalize_ext_virtual_links({'VDU0_extCP0': 'ext', 'VDU1_extCP0': 'other'})
    with pytest.raises(PlanError, match=r'^ext_virtual_links puts internal VL VDU_intnet0 on two networks: ext through VnfExtCp VDU0_extCP0, '
                                        r'other through VnfExtCp VDU1_extCP0; an internal VL is one network, give its VnfExtCps the same one$'):
        plan_converge(practical.vnfd, fl, request(practical, flavour='ha', images={'VDU_0': 'cirros', 'VDU_1': 'cirros'}, ext_links=two), snap)
    gone = normalize_ext_virtual_links({'VDU0_extCP0': 'gone'})
    with pytest.raises(PlanError, match=r"^network 'gone' of ext_virtual_links \(VnfExtCp VDU0_extCP0\) is not in the cloud"):
        plan_converge(practical.vnfd, fl, request(practical, flavour='ha', images={'VDU_0': 'cirros', 'VDU_1': 'cirros'}, ext_links=gone), snap)
