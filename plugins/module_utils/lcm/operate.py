# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Operate planning: server actions (start, stop, reboot, rebuild) on the VNFCs of an instance.

Pure. ``plan_server_actions`` plans OPERATE (start / stop every VNFC, recording the VNF state on the instance
record: see ``tags.retag``) and heal by reboot or rebuild (``heal.py``).
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import (
    REBUILD, START, STOP, Action, Plan, index_snapshot, record_update, split_vnfc_id)


def plan_server_actions(snap, vnfcs, op, operation, detail='', anchor_tags_after=None):
    """One ``op`` (start, stop, reboot, rebuild) per VNFC server of ``vnfcs`` that needs it; PlanError for a VNFC
    without a server. Start skips ACTIVE servers, stop skips SHUTOFF ones (OPERATE is idempotent)."""
    plan = Plan(operation=operation, instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    existing, dummy = index_snapshot(snap)
    for vnfc in vnfcs:
        servers = existing.get('server/%s' % vnfc) or []
        if not servers:
            raise PlanError('VNFC %s of VNF %s has no server: heal it with strategy recreate' % (vnfc, snap.vnf_name))
        server = servers[0]
        status = server.get('status')
        if (op == START and status == 'ACTIVE') or (op == STOP and status == 'SHUTOFF'):
            continue
        spec = {}
        if op == REBUILD:
            image = (server.get('image') or {}).get('id') if isinstance(server.get('image'), dict) else None
            if not image:
                raise PlanError('VNFC %s of VNF %s boots from a volume: rebuild needs an image; heal it with strategy recreate'
                                % (vnfc, snap.vnf_name))
            spec = {'imageRef': image}
        owner = {'vnfc': vnfc, 'vdu': split_vnfc_id(vnfc)[0]}
        plan.actions.append(Action(op, 'server', 'server/%s' % vnfc, server.get('name') or vnfc, spec=spec, owner=owner,
                                   resource_id=server['id'], detail=detail or 'status %s' % status))
    record = record_update(snap, anchor_tags_after, 'record the VNF state')
    if record is not None:
        plan.actions.append(record)
    return plan.ordered()
