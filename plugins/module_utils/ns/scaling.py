# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SCALE_NS: scale a whole NS by an NS scaling aspect (ScaleNsByStepsData) or to an NS instantiation level or to NS
scale levels (ScaleNsToLevelData), as numbers of VNF instances per VNF node.

``ns_targets`` is pure: the NS record's numbers of instances and NS scale levels, the NSD flavour's levels, aspects
and VnfToLevelMapping / VnfToInstantiationLevelMapping -> the target (instances per VNF node, NS scale levels, NS
level), every refusal one line before any write. ``scale_ns`` runs it in the NS operation skeleton
(``operations.NsOperation``): the missing VNF instances (``<NS>-<node>-<k>``) are instantiated in deployment order,
the surplus ones terminated (reverse order, highest index first), and the record gets the new counts, NS scale levels
and level once every VNF job succeeded - a failed scale leaves the record as it was, and running it again completes it.
"""
from __future__ import annotations

import dataclasses

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import member_counts, recorded_scale
from ansible_collections.telco.nfvo.plugins.module_utils.ns.operations import NsOperation, Record, add_one, ns_flavour, plan_members, remove_one
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_model import ASPECT_LEVEL, NESTED_NS, VNF

SCALE_OUT, SCALE_IN = 'scale_out', 'scale_in'


@dataclasses.dataclass
class NsTarget:
    """Where an NS scaling takes the NS: VNF instances per node, NS scale levels, NS level; SOL005 operationParams."""
    counts: dict
    scale_levels: dict
    level: str
    params: dict


def _aspect(name, flavour, aspect_id):
    aspect = flavour.aspects.get(aspect_id)
    if aspect is None:
        raise LcmError("Cannot scale NS %s: NSD flavour %s has no NS scaling aspect '%s' (its aspects: %s)"
                       % (name, flavour.flavour_id, aspect_id, ', '.join(sorted(flavour.aspects)) or 'none'))
    return aspect


def _at_aspect_level(name, flavour, aspect_id, level, base_level, counts):
    """``counts`` with the VNF nodes the VnfToLevelMappings of ``aspect_id`` target at NS scale level ``level``
    (level 0 without a value: the count at NS instantiation level ``base_level``)."""
    mappings = [m for m in flavour.mappings if m.key == ASPECT_LEVEL and m.aspect == aspect_id]
    nested = [m for m in mappings if m.kind == NESTED_NS]
    if nested:
        raise LcmError('Cannot scale NS %s: NS scaling aspect %s scales nested NS %s (NsToLevelMapping %s): nested NSs are not supported yet'
                       % (name, aspect_id, ', '.join(nested[0].targets), nested[0].name))
    mappings = [m for m in mappings if m.kind == VNF]
    if not mappings:
        raise LcmError('Cannot scale NS %s: NS scaling aspect %s scales no VNF (no VnfToLevelMapping names it)' % (name, aspect_id))
    out = dict(counts)
    at_level = flavour.instances_at(base_level) if flavour.levels else {}
    for mapping in mappings:
        for target in mapping.targets:
            if level in mapping.values:
                out[target] = mapping.values[level]
            elif level == 0:
                out[target] = at_level.get(target, flavour.vnfs[target].min_instances)
            else:
                raise LcmError('Cannot scale NS %s: VnfToLevelMapping %s gives VNF node %s no number of instances at NS scale level %d of aspect %s'
                               % (name, mapping.name, target, level, aspect_id))
    return out


def _check_level(name, aspect, level, what):
    if not 0 <= level <= aspect.max_scale_level:
        raise LcmError('Cannot scale NS %s: %s leaves the range 0..%d of NS scaling aspect %s' % (name, what, aspect.max_scale_level, aspect.id))


def ns_targets(name, flavour, anchor, p):
    """The ``NsTarget`` of scaling NS ``name`` (its record ``anchor``, NSD flavour ``flavour``) as options ``p`` ask:
    ``aspect_id``, ``type`` (scale_out / scale_in), ``number_of_steps``; or ``ns_instantiation_level_id``; or
    ``ns_scale_info`` ({NS scaling aspect: NS scale level})."""
    counts = member_counts(anchor)
    counts.update({n: 0 for n in flavour.vnfs if n not in counts})
    scale = recorded_scale(anchor)
    level = T.parse_tags(anchor.get('tags')).get('level') or flavour.default_level
    if p.get('ns_instantiation_level_id') is not None:
        level = p['ns_instantiation_level_id']
        if level not in flavour.levels:
            raise LcmError("Cannot scale NS %s: NSD flavour %s has no NS instantiation level '%s' (it has: %s)"
                           % (name, flavour.flavour_id, level, ', '.join(sorted(flavour.levels)) or 'none'))
        counts, scale = dict(counts, **flavour.instances_at(level)), {}
        params = {'scaleType': 'SCALE_NS', 'scaleNsData': {'scaleNsToLevelData': {'nsInstantiationLevel': level}}}
    elif p.get('ns_scale_info'):
        for aspect_id, value in sorted(p['ns_scale_info'].items()):
            aspect = _aspect(name, flavour, aspect_id)
            if not isinstance(value, int) or isinstance(value, bool):
                raise LcmError('Cannot scale NS %s: ns_scale_info.%s must be an NS scale level (an integer), not %r' % (name, aspect_id, value))
            _check_level(name, aspect, value, 'NS scale level %d' % value)
            counts, scale[aspect_id] = _at_aspect_level(name, flavour, aspect_id, value, level, counts), value
        params = {'scaleType': 'SCALE_NS', 'scaleNsData': {'scaleNsToLevelData': {'nsScaleInfo': [
            {'nsScalingAspectId': a, 'nsScaleLevelId': str(n)} for a, n in sorted(p['ns_scale_info'].items())]}}}
    else:
        aspect, steps = _aspect(name, flavour, p['aspect_id']), p.get('number_of_steps', 1)
        if steps < 1:
            raise LcmError('Cannot scale NS %s: number_of_steps must be 1 or more, not %d' % (name, steps))
        now = scale.get(aspect.id, 0)
        new = now + steps if p.get('type', SCALE_OUT) == SCALE_OUT else now - steps
        _check_level(name, aspect, new, '%s by %d step%s from NS scale level %d' % (p.get('type', SCALE_OUT), steps, 's' if steps > 1 else '', now))
        counts, scale[aspect.id] = _at_aspect_level(name, flavour, aspect.id, new, level, counts), new
        params = {'scaleType': 'SCALE_NS', 'scaleNsData': {'scaleNsByStepsData': [
            {'scalingDirection': p.get('type', SCALE_OUT).upper(), 'aspectId': aspect.id, 'numberOfSteps': steps}]}}
    _check_counts(name, flavour, member_counts(anchor), counts)
    return NsTarget(counts={n: c for n, c in counts.items() if c > 0}, scale_levels=scale, level=level, params=params)


def _check_counts(name, flavour, now, counts):
    """Each changed number of instances within its vnf_profile's min..max; no VNF without the VNFs it depends on."""
    for node, count in sorted(counts.items()):
        vnf = flavour.vnfs[node]
        if count != now.get(node, 0) and (count < vnf.min_instances or (vnf.max_instances is not None and count > vnf.max_instances)):
            raise LcmError('Cannot scale NS %s: VNF node %s would have %d instances, outside its vnf_profile %d..%s'
                           % (name, node, count, vnf.min_instances, vnf.max_instances if vnf.max_instances is not None else ''))
        gone = sorted(d for d in vnf.depends_on if count and not counts.get(d))
        if gone:
            raise LcmError('Cannot scale NS %s: VNF node %s depends on VNF node %s, which would have no instance' % (name, node, gone[0]))


def scale_ns(ctx, name, nsd, p):
    """SCALE of NS ``name`` (SOL005 SCALE_NS): to the ``NsTarget`` of ``p``; VNF instances made and removed."""
    op = NsOperation(ctx, name, 'SCALE', {})
    flavour = ns_flavour(op, nsd)
    target = ns_targets(name, flavour, op.snap.anchor, p)
    op.params = target.params
    grow = sorted(n for n, c in target.counts.items() if c > op.counts.get(n, 0))
    missing = sorted({a.target for n in grow for a in flavour.vnfs[n].attachments if a.target in flavour.virtual_links} - set(op.vls))
    if missing:
        raise LcmError('Cannot scale NS %s: NS virtual link %s is not in the NS' % (name, missing[0]))
    jobs, batches = {}, []
    if grow:
        plan = plan_members(op, nsd, p, grow, counts=target.counts)
        new = {k: part for k, part in plan.vnfs.items() if part.index > op.counts.get(part.node, 0)}
        jobs.update({k: (lambda c, part=part: add_one(c, part)) for k, part in new.items()})
        batches += [[k for k in batch if k in new] for batch in plan.batches]
        op.change.update({k: 'ADD' for k in new})
    order = {n: i for i, batch in enumerate(flavour.deployment_order()) for n in batch}
    surplus = {}  # (batch, index) -> the surplus VNF members: reverse deployment order, highest index first
    for node, count in op.counts.items():
        for index in range(target.counts.get(node, 0) + 1, count + 1):
            surplus.setdefault((order[node], index), []).append(T.ns_vnf_member(node, index))
    for group in sorted(surplus, reverse=True):
        keys = sorted(surplus[group])
        jobs.update({key: (lambda c, key=key: remove_one(c, op.vnf_name(key))) for key in keys})
        op.change.update({key: 'REMOVE' for key in keys})
        batches.append(keys)
    after = Record({n: order[n] for n in target.counts}, counts=target.counts, retag={'scale': target.scale_levels, 'level': target.level})
    return op.run(jobs, batches=[b for b in batches if b], after=after)
