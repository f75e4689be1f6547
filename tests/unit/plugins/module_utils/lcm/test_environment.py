# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Environment choices: which image a VDU boots, which CIDRs a virtual link gets."""
from __future__ import annotations

import copy

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.environment import allocate_cidrs, resolve_image
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import CREATE

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
