# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scale planning: where scale-out and scale-in (SCALE, SCALE_TO_LEVEL) are planned.

Pure. Scaling is converging to other aspect levels: ``scale_levels_after`` turns "aspect A out (or in) by N
steps" into the {aspect: level} the instance goes to (PlanError when that leaves the aspect's range or breaks a
level rule); the operation puts those levels in ``Request.scale_levels`` and ``converge.plan_converge`` (operation
``SCALE``) plans the difference: the VNFCs the new counts add are created, those beyond them deleted (highest
index first), the instance record's levels and counts rewritten. ``plan_trim`` undoes a failed scale-out
without the package: it deletes the VNFC units beyond the previous counts and records the previous levels.
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import delete_action, link_deletes
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import Plan, index_snapshot, kind_of, record_update, split_vnfc_id


def scale_levels_after(flavour, current, aspect_id, scale_type, steps):
    """{aspect: level} after scaling ``aspect_id`` out or in by ``steps`` from ``current``; PlanError when out of range."""
    if aspect_id not in flavour.aspects:
        raise PlanError("aspect '%s' is not defined in flavour '%s' (aspects: %s)"
                        % (aspect_id, flavour.flavour_id, ', '.join(sorted(flavour.aspects)) or 'none'))
    if scale_type not in ('scale_out', 'scale_in'):
        raise PlanError("scale type must be scale_out or scale_in, not '%s'" % scale_type)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise PlanError('number_of_steps must be a positive integer, not %r' % (steps,))
    levels = {a: int((current or {}).get(a, 0)) for a in flavour.aspects}
    now = levels[aspect_id]
    levels[aspect_id] = now + steps if scale_type == 'scale_out' else now - steps
    if not 0 <= levels[aspect_id] <= flavour.aspects[aspect_id].max_scale_level:
        raise PlanError("%s of aspect '%s' by %d step(s) from level %d leaves its range 0..%d"
                        % (scale_type.replace('_', ' '), aspect_id, steps, now, flavour.aspects[aspect_id].max_scale_level))
    error = flavour.check_scale_levels(levels)
    if error:
        raise PlanError(error)
    return levels


def plan_trim(snap, counts, operation='ROLLBACK', anchor_tags_after=None):
    """Delete the VNFC units beyond ``counts`` ({VDU: n}: servers, ports, volumes of indexes >= n) and record
    ``anchor_tags_after`` — a scale-out rolled back without the package."""
    plan = Plan(operation=operation, instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    existing, dummy = index_snapshot(snap)
    for key, items in sorted(existing.items()):
        kind = kind_of(key)
        if kind not in ('server', 'port', 'volume'):
            continue
        vdu, index = split_vnfc_id(key.split('/')[1])
        if index is None or vdu not in counts or index < counts[vdu]:
            continue
        for i, res in enumerate(items):
            plan.actions.append(delete_action(kind, key, res, suffix='#dup%d' % i if i else ''))
    record = record_update(snap, anchor_tags_after, 'record the previous levels')
    if record is not None:
        plan.actions.append(record)
    link_deletes(plan, snap)
    return plan.ordered()
