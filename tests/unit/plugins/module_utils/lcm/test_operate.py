# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Operate planning: server actions for operate and heal, and the VNF state recorded."""
from __future__ import annotations

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import ANCHOR, REBOOT, REBUILD, START, STOP, STOPPED, UPDATE
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operate import plan_server_actions

from .plans import instantiated


def test_server_actions_for_operate_and_heal(basic):
    snap = instantiated(basic)
    snap.servers[0]['status'] = 'SHUTOFF'
    tags = T.retag(snap.anchor['tags'], state=STOPPED)
    assert T.tag('state', 'STOPPED') in tags and T.retag(tags, state=None) == [t for t in tags if not t.startswith('nfvo:state=')]
    plan = plan_server_actions(snap, ['VDU1-0', 'VDU2-0'], STOP, 'OPERATE', anchor_tags_after=tags)
    stopped = snap.servers[0]['metadata']['nfvo_vnfc_id']
    assert [a.id for a in plan.actions if a.kind == 'server'] == ['stop:server/%s' % ({'VDU1-0', 'VDU2-0'} - {stopped}).pop()]
    assert plan.find(UPDATE, ANCHOR).tags == tags
    for s in snap.servers:
        s['status'] = 'SHUTOFF'
    snap.anchor['tags'] = tags
    assert plan_server_actions(snap, ['VDU1-0', 'VDU2-0'], STOP, 'OPERATE', anchor_tags_after=tags).empty  # idempotent
    assert len(plan_server_actions(snap, ['VDU1-0', 'VDU2-0'], START, 'OPERATE').actions) == 2
    with pytest.raises(PlanError, match='VNFC VDU1-9 of VNF web-1 has no server: heal it with strategy recreate'):
        plan_server_actions(snap, ['VDU1-9'], REBOOT, 'HEAL')
    with pytest.raises(PlanError, match='boots from a volume: rebuild needs an image'):
        plan_server_actions(snap, ['VDU1-0'], REBUILD, 'HEAL')  # these fake servers carry no image
    snap.servers[0]['image'] = {'id': 'img-cirros'}
    vnfc = snap.servers[0]['metadata']['nfvo_vnfc_id']
    assert plan_server_actions(snap, [vnfc], REBUILD, 'HEAL').actions[0].spec == {'imageRef': 'img-cirros'}
