# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Environment choices: which image a VDU boots, which CIDRs a virtual link gets; what the cloud's answers show cannot
work (an image too big for its VDU or volume, fixed IPs not of the network given)."""
from __future__ import annotations

import copy

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.environment import (
    allocate_cidrs, check_ext_addresses, check_image_fits, resolve_image)
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import CREATE
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import normalize_ext_virtual_links

from .plans import CIRROS, request, snapshot


def test_image_order_task_map_then_known_then_onboarded(basic):
    fl = basic.vnfd.flavour('simple')
    vdu1 = fl.vdus['VDU1']
    other = {'id': 'img-other', 'name': 'other'}
    onboarded = {'id': 'img-onb', 'name': 'x', 'status': 'active', 'nfvo_vnfd_id': basic.vnfd.descriptor_id,
                 'nfvo_vnfd_version': '1.0', 'nfvo_sw_image': vdu1.sw_image.name}
    snap = snapshot(user_images={'cirros': CIRROS, 'img-other': other}, onboarded_images=[onboarded])
    known = request(basic, images={}, known_images={'VDU1': 'img-other'})
    assert resolve_image('VDU1', vdu1.sw_image, known, snap) == (other, 'known')  # the instance's own beats onboarded
    by_sw_name = request(basic, images={vdu1.sw_image.name: 'cirros'}, known_images={'VDU1': 'img-other'})
    assert resolve_image('VDU1', vdu1.sw_image, by_sw_name, snap)[0] == CIRROS  # the task's map (by sw image) beats known
    gone = request(basic, images={}, known_images={'VDU1': 'img-deleted'})
    assert resolve_image('VDU1', vdu1.sw_image, gone, snap) == (onboarded, 'onboarded')  # a known image gone from Glance


def test_cidr_pool_avoids_used_subnets(basic):
    assert allocate_cidrs(['10.10.0.0/22'], 2, ['10.10.0.0/24', '10.10.2.0/25']) == ['10.10.1.0/24', '10.10.3.0/24']
    with pytest.raises(PlanError, match='has no room'):
        allocate_cidrs(['10.10.0.0/24'], 1, ['10.10.0.0/16'])
    fl = copy.deepcopy(basic.vnfd.flavour('simple'))
    fl.virtual_links['internalVL3'].cidr = None
    with pytest.raises(PlanError, match='internalVL3 has no CIDR in the VNFD: give cidr_pool'):
        plan_converge(basic.vnfd, fl, request(basic), snapshot())
    plan = plan_converge(basic.vnfd, fl, request(basic, cidr_pool=['172.30.0.0/16']), snapshot(used_cidrs=['172.30.0.0/24']))
    assert plan.find(CREATE, 'subnet/internalVL3').spec['cidr'] == '172.30.1.0/24'


def test_an_image_that_does_not_fit_its_vdu_or_volume_is_refused(hello):
    fl = hello.vnfd.flavour('simple')
    links = normalize_ext_virtual_links({'CP1': 'ext'})
    fits = {'id': 'img-ok', 'name': 'ok', 'min_ram': 256, 'min_disk': 1, 'size': 20 * 1024 ** 2, 'virtual_size': 117 * 1024 ** 2}
    plan = plan_converge(hello.vnfd, fl, request(hello, ext_links=links), snapshot(user_images={'cirros': fits}))
    assert plan.find(CREATE, 'volume/VDU2-0/VirtualStorage').spec['imageRef'] == 'img-ok'
    cases = [  # (image, the one line)
        (dict(fits, min_ram=1024), r"^image 'ok' \(images\[VDU1\]\) needs 1024 MB RAM \(its min_ram\) but VDU1 has 512 MB \(virtual_memory\): "
                                   r"map an image that fits VDU1$"),
        (dict(fits, min_disk=4), r"^image 'ok' \(images\[VDU1\]\) needs 4 GB \(its min_disk\) but the root disk of VDU1 "
                                 r"\(virtual_local_storage\) is 3 GB: map an image that fits VDU1$"),
        (dict(fits, virtual_size=5 * 1024 ** 3), r"^image 'ok' \(images\[VDU1\]\) needs 5.0 GB \(its size\) but the root disk of VDU1"),
    ]
    for image, line in cases:
        with pytest.raises(PlanError, match=line):
            plan_converge(hello.vnfd, fl, request(hello, ext_links=links), snapshot(user_images={'cirros': image}))
    # the boot volume: its size, and the RAM of the VDU it boots
    req = request(hello, images={'VDU1': 'cirros', 'VirtualStorage': 'big'}, ext_links=links)
    with pytest.raises(PlanError, match=r"^image 'big' \(images\[VirtualStorage\]\) needs 50 GB \(its min_disk\) but volume VirtualStorage "
                                        r"of VDU2 \(size_of_storage\) is 3 GB: map an image that fits VirtualStorage$"):
        plan_converge(hello.vnfd, fl, req, snapshot(user_images={'cirros': fits, 'big': dict(fits, name='big', min_disk=50)}))
    with pytest.raises(PlanError, match=r"^image 'big' \(images\[VirtualStorage\]\) needs 2048 MB RAM \(its min_ram\) but VDU2 has 512 MB"):
        plan_converge(hello.vnfd, fl, req, snapshot(user_images={'cirros': fits, 'big': dict(fits, name='big', min_ram=2048)}))
    check_image_fits(dict(fits, virtual_size=9 * 1024 ** 3), 'onboarded', 'VDU9', disk_gb=0)  # no root disk: Nova sizes it


NET = {'id': 'net-ext', 'name': 'ext', 'subnets': ['sub-a', 'sub-b']}
SUBNETS = {'net-ext': [{'id': 'sub-a', 'name': 'a', 'network_id': 'net-ext', 'cidr': '10.251.0.0/24', 'gateway_ip': '10.251.0.1'},
                       {'id': 'sub-b', 'name': 'b', 'network_id': 'net-ext', 'cidr': '10.252.0.0/24', 'gateway_ip': None}]}


def _addresses(hello, links):
    req = request(hello, ext_links=normalize_ext_virtual_links(links))
    check_ext_addresses(req, snapshot(ext_networks={'ext': NET}, ext_subnets=SUBNETS))


def test_fixed_ips_and_subnets_must_be_of_the_network_given(hello):
    _addresses(hello, {'CP1': {'network': 'ext', 'fixed_ips': [{'ip_address': '10.252.0.9'}, {'ip_address': '10.251.0.7', 'subnet_id': 'sub-a'}]}})
    cases = [  # (fixed_ips of CP1, the one line)
        ([{'ip_address': '10.9.0.5'}], r'^ext_virtual_links CP CP1 instance 0: fixed IP 10.9.0.5 is outside every subnet of network ext: '
                                       r'give an address of a 10.251.0.0/24, b 10.252.0.0/24$'),
        ([{'ip_address': '10.252.0.5', 'subnet_id': 'sub-a'}], r'^ext_virtual_links CP CP1 instance 0: fixed IP 10.252.0.5 is outside '
                                                               r'the subnet given of network ext: give an address of a 10.251.0.0/24$'),
        ([{'subnet_id': 'sub-z'}], r"^ext_virtual_links CP CP1 instance 0: subnet 'sub-z' is not a subnet of network ext "
                                   r"\(its subnets: sub-a, sub-b\): give one of them$"),
        ([{'ip_address': '10.251.0.1'}], r'^ext_virtual_links CP CP1 instance 0: fixed IP 10.251.0.1 is the gateway of subnet a 10.251.0.0/24'),
        ([{'ip_address': '10.251.0.255'}], r'is the network or broadcast address of subnet a 10.251.0.0/24: give a host address$'),
        ([{'ip_address': '10.251.0.9'}, {'ip_address': '10.251.0.9'}], r'^ext_virtual_links CP CP1 instance 0: fixed IP 10.251.0.9 is given twice: '),
    ]
    for fixed, line in cases:
        with pytest.raises(PlanError, match=line):
            _addresses(hello, {'CP1': {'network': 'ext', 'fixed_ips': fixed}})
    with pytest.raises(PlanError, match=r'^ext_virtual_links CP CP2 instance 0: fixed IP 10.251.0.9 is given for ext_virtual_links CP CP1 '
                                        r'instance 0 too: each port needs its own address$'):
        _addresses(hello, {'CP1': {'network': 'ext', 'fixed_ips': ['10.251.0.9']}, 'CP2': {'network': 'ext', 'fixed_ips': ['10.251.0.9']}})
    # through the plan: refused before any action
    req = request(hello, images={'VDU1': 'cirros', 'VirtualStorage': 'cirros'},
                  ext_links=normalize_ext_virtual_links({'CP1': {'network': 'ext', 'fixed_ips': ['192.168.0.5']}}))
    with pytest.raises(PlanError, match='fixed IP 192.168.0.5 is outside every subnet of network ext'):
        plan_converge(hello.vnfd, hello.vnfd.flavour('simple'), req, snapshot(ext_networks={'ext': NET}, ext_subnets=SUBNETS))
