# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scale planning: aspect levels after a scale, converging out and in, and trimming a failed scale-out."""
from __future__ import annotations

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import ANCHOR, CREATE, DELETE, UPDATE
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.scale import plan_trim, scale_levels_after

from .plans import apply, instantiated, request, snapshot


def test_scale_levels_converge_out_and_in(basic):
    fl = basic.vnfd.flavour('simple')
    base = apply(plan_converge(basic.vnfd, fl, request(basic), snapshot()), snapshot())
    out = plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 2}), base, operation='SCALE')
    assert [a.summary() for a in out.actions if a.kind == 'server'] == [
        'create server VDU1-1 (flavor vnf.small, image cirros, group policy_affinity_group)',
        'create server VDU1-2 (flavor vnf.small, image cirros, group policy_affinity_group)']
    assert out.find(UPDATE, ANCHOR).tags.count('nfvo:want=VDU1:3') == 1
    scaled = apply(out, base)
    back = plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 0}), scaled, operation='SCALE')
    deletes = [a for a in back.actions if a.op == DELETE]
    assert sorted(a.key for a in deletes) == ['port/VDU1-1/VDU1_CP1', 'port/VDU1-2/VDU1_CP1', 'server/VDU1-1', 'server/VDU1-2']
    assert back.find(DELETE, 'port/VDU1-2/VDU1_CP1').deps == ['server/VDU1-2']
    with pytest.raises(PlanError, match="aspect 'VDU1_scale' level 3 is out of range 0..2"):
        plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 3}), base)


def test_scale_levels_after(basic):
    fl = basic.vnfd.flavour('simple')
    assert scale_levels_after(fl, {'VDU1_scale': 0}, 'VDU1_scale', 'scale_out', 2) == {'VDU1_scale': 2}
    assert scale_levels_after(fl, {'VDU1_scale': 2}, 'VDU1_scale', 'scale_in', 1) == {'VDU1_scale': 1}
    with pytest.raises(PlanError, match=r"scale out of aspect 'VDU1_scale' by 3 step\(s\) from level 0 leaves its range 0..2"):
        scale_levels_after(fl, {}, 'VDU1_scale', 'scale_out', 3)
    with pytest.raises(PlanError, match='leaves its range 0..2'):
        scale_levels_after(fl, {'VDU1_scale': 0}, 'VDU1_scale', 'scale_in', 1)
    with pytest.raises(PlanError, match="aspect 'nope' is not defined in flavour 'simple'"):
        scale_levels_after(fl, {}, 'nope', 'scale_out', 1)
    with pytest.raises(PlanError, match='number_of_steps must be a positive integer'):
        scale_levels_after(fl, {}, 'VDU1_scale', 'scale_out', 0)


def test_scale_to_level_adds_then_removes_newest_first(basic):
    fl = basic.vnfd.flavour('simple')
    snap = instantiated(basic)
    plan = plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 2}), snap, operation='SCALE')
    assert plan.summary()[0] == 'update VNF instance record nfvo-vnf-web-1 (record level instantiation_level_1, VDU1=3, VDU2=1)'
    assert sorted(a.key for a in plan.actions if a.op == CREATE) == [
        'port/VDU1-1/VDU1_CP1', 'port/VDU1-2/VDU1_CP1', 'server/VDU1-1', 'server/VDU1-2']
    assert not [a for a in plan.actions if a.op == DELETE]
    new = plan.find(CREATE, 'server/VDU1-1')
    assert new.spec['scheduler_hints'] == {'group': snap.server_groups[0]['id']}  # the existing server group
    assert T.multi_tag('want', 'VDU1', 3) in plan.find(UPDATE, ANCHOR).tags
    scaled = apply(plan, snap)
    assert plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 2}), scaled).empty

    down = plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 1}), scaled)
    assert sorted(a.key for a in down.actions if a.op == DELETE) == ['port/VDU1-2/VDU1_CP1', 'server/VDU1-2']
    assert down.find(DELETE, 'port/VDU1-2/VDU1_CP1').deps == ['server/VDU1-2']
    with pytest.raises(PlanError, match="aspect 'VDU1_scale' level 3 is out of range 0..2"):
        plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 3}), scaled)


def test_trim_rolls_a_scale_out_back(basic):
    fl = basic.vnfd.flavour('simple')
    snap = instantiated(basic)
    scaled = apply(plan_converge(basic.vnfd, fl, request(basic, scale_levels={'VDU1_scale': 2}), snap), snap)
    before = T.retag(scaled.anchor['tags'], scale={'VDU1_scale': 0}, want={'VDU1': 1, 'VDU2': 1})
    assert sorted(before) == sorted(snap.anchor['tags'])
    plan = plan_trim(scaled, {'VDU1': 1, 'VDU2': 1}, operation='SCALE', anchor_tags_after=before)
    assert sorted(a.key for a in plan.actions if a.op == DELETE) == [
        'port/VDU1-1/VDU1_CP1', 'port/VDU1-2/VDU1_CP1', 'server/VDU1-1', 'server/VDU1-2']
    assert plan.find(UPDATE, ANCHOR).tags == before
    trimmed = apply(plan, scaled)
    assert plan_converge(basic.vnfd, fl, request(basic), trimmed).empty
