# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a flavour change (CHANGE_FLAVOUR) is planned: what ``converge.plan_converge`` adds to a converge whose request
names another deployment flavour of the VNFD than the instance record.

Pure. A flavour change is a converge to the new flavour (and level): the VDUs, VLs, server groups and ports the new
flavour adds are created, those it drops deleted, the record's flavour and level rewritten. This file adds the two
things a plain converge does not know:

- ``recreated_vnfcs``: a VNFC of a VDU both flavours have keeps its server when the VDU is the same in the flavour its
  server was built for (the server's ``flavour`` mark) and in the new one - compute (vCPUs, memory, root disk), image,
  CPs, storage, server group; otherwise it is recreated (its ports and volumes kept: same fixed IPs). A CP moved to
  another virtual link, or block storage of another size or image, is refused (one line, before any write).
- ``least_disruption``: what the new flavour adds is created first, what it drops deleted after (the deletes wait for
  every create; a recreated VNFC's old server, whose ports the new one takes, goes first), the record last: a failure
  half-way leaves the VNF in its old flavour, the creates rolled back (``lifecycle.Converge``).
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import ANCHOR, CREATE, DELETE, UPDATE

OPERATION = 'CHANGE_FLAVOUR'


def flavour_change(vnfd, flavour, snap, req):
    """{VNFC: why} of the VNFCs to recreate (``recreated_vnfcs``) when ``req`` moves the instance of ``snap`` to
    ``flavour``, another flavour of ``vnfd`` than its record names or than some of its servers were built for (a
    half-done change rolled back with ``vnf_lcm_op_occ``); None when it is no flavour change. PlanError when either
    flavour is not in the VNFD."""
    current = T.parse_tags((snap.anchor or {}).get('tags')).get('flavour')
    built = {T.parse_metadata(s.get('metadata')).get('flavour') for s in snap.servers} - {None}
    if not current or ({current} | built) == {req.flavour_id}:
        return None
    if vnfd is not None and req.flavour_id not in vnfd.flavours:
        raise PlanError("VNF %s cannot change to flavour '%s': it is not defined in VNFD %s (flavours: %s)"
                        % (req.vnf_name, req.flavour_id, req.vnfd_id, ', '.join(sorted(vnfd.flavours))))
    if vnfd is None or current not in vnfd.flavours:
        raise PlanError('VNF %s is instantiated with flavour %s, which VNFD %s does not have (flavours: %s): it cannot change to %s'
                        % (req.vnf_name, current, req.vnfd_id, ', '.join(sorted(vnfd.flavours)) if vnfd is not None else 'unknown',
                           req.flavour_id))
    return recreated_vnfcs(vnfd, flavour, snap)


def _group_of(flavour, vdu):
    """(rule name, policy) of the nfvi_node placement rule ``vdu`` is in (the first: converge._want_groups), or None."""
    for rule in flavour.affinity_rules:
        if rule.scope in (None, 'nfvi_node') and vdu in rule.members:
            return rule.name, rule.kind
    return None


def _image(node):
    return (node.sw_image.name, node.sw_image.version) if node.sw_image is not None else None


def _storage(flavour, name):
    st = flavour.storage.get(name)
    return (st.kind, st.size_gb, _image(st)) if st is not None else None


def vdu_differences(old, new, vdu):
    """What of VDU ``vdu`` differs between flavours ``old`` and ``new`` (['compute', 'image', ...]; [] when nothing).
    PlanError when a CP is on another virtual link or a block storage changes (its port / volume is kept)."""
    a, b = old.vdus[vdu], new.vdus[vdu]
    out = []
    sizes = [(c.vcpus, c.memory_mb, c.disk_gb) for c in (a.compute, b.compute)]
    if sizes[0] != sizes[1]:
        out.append('compute %s vCPU/%s MB/%s GB -> %s vCPU/%s MB/%s GB' % (sizes[0] + sizes[1]))
    if _image(a) != _image(b):
        out.append('image')
    for cp in sorted(set(a.cps) & set(b.cps)):
        if old.cps[cp].virtual_link != new.cps[cp].virtual_link:
            raise PlanError('VNF flavour %s -> %s: CP %s of %s is on virtual link %s in one and %s in the other: a flavour change '
                            'keeps the VNFC\'s ports, it cannot move a CP to another virtual link'
                            % (old.flavour_id, new.flavour_id, cp, vdu, old.cps[cp].virtual_link or 'external', new.cps[cp].virtual_link or 'external'))
    if sorted(a.cps) != sorted(b.cps):
        out.append('CPs %s -> %s' % (', '.join(a.cps) or 'none', ', '.join(b.cps) or 'none'))
    for st in sorted(set(a.storage) & set(b.storage)):
        if _storage(old, st) != _storage(new, st):
            raise PlanError('VNF flavour %s -> %s: storage %s of %s differs (size or image): a flavour change keeps the VNFC\'s volumes, '
                            'it cannot resize or re-image one' % (old.flavour_id, new.flavour_id, st, vdu))
    if sorted(a.storage) != sorted(b.storage):
        out.append('storage %s -> %s' % (', '.join(a.storage) or 'none', ', '.join(b.storage) or 'none'))
    if _group_of(old, vdu) != _group_of(new, vdu):
        out.append('server group')
    return out


def recreated_vnfcs(vnfd, new, snap):
    """{VNFC: why} of the VNFCs whose server must be made again for flavour ``new``: a VDU of ``new`` that differs in
    the flavour the server was built for. A server of a VDU ``new`` lacks is deleted by the converge, not here."""
    out = {}
    for server in snap.servers:
        owners = T.parse_metadata(server.get('metadata'))
        vdu, vnfc, built = owners.get('vdu'), owners.get('vnfc'), owners.get('flavour')
        if not (vdu and vnfc and built) or built == new.flavour_id or vdu not in new.vdus:
            continue
        old = vnfd.flavours.get(built)
        if old is None or vdu not in old.vdus:
            continue  # a mark we cannot read: kept as it is
        why = vdu_differences(old, new, vdu)
        if why:
            out[vnfc] = '%s differs in flavour %s (%s)' % (vdu, new.flavour_id, '; '.join(why))
    return out


def least_disruption(plan, recreate=None):
    """Create what the new flavour adds first, delete what it drops after, write the record last (``plan`` as
    ``converge._compare`` made it). A delete a create waits for (a recreated VNFC's old server) stays where it is.
    ``recreate``: {VNFC: why} (``recreated_vnfcs``), said in the detail of their new servers."""
    for a in plan.actions:
        if a.op == CREATE and a.kind == 'server' and a.owner.get('vnfc') in (recreate or {}):
            a.detail = '%s; recreated: %s' % (a.detail, recreate[a.owner['vnfc']])
    creates = [a for a in plan.actions if a.op == CREATE]
    needed = set()
    todo = [d for a in creates for d in a.deps]
    by_key = {}
    for a in plan.actions:
        by_key.setdefault(a.key, []).append(a)
    while todo:  # every action a create waits for, transitively
        key = todo.pop()
        if key in needed:
            continue
        needed.add(key)
        todo.extend(d for a in by_key.get(key, ()) for d in a.deps)
    create_keys = sorted({a.key for a in creates})
    for a in plan.actions:
        if a.op == DELETE and a.key not in needed and a.kind != 'anchor':
            a.deps = list(dict.fromkeys(a.deps + [k for k in create_keys if k != a.key]))
    record = next((a for a in plan.actions if a.op == UPDATE and a.key == ANCHOR), None)
    if record is not None:
        for a in plan.actions:
            if a is not record:
                a.deps = [d for d in a.deps if d != ANCHOR]
        record.deps = sorted({a.key for a in plan.actions if a is not record})
    return plan


def target_record(rec, flavour_id, level_id=None):
    """The instance record ``rec`` (``sol003.record_of``) as it will be in flavour ``flavour_id`` at ``level_id`` (None:
    the flavour's default): the request of the change is built from it (``operations.request_from_record``)."""
    return dict(rec, flavour_id=flavour_id, instantiation_level_id=level_id, scale_levels={})


def stale_images(vnfd, old_id, new):
    """The VDUs and storages of flavour ``new`` whose software image is another than in flavour ``old_id`` of ``vnfd``:
    the image the VNF's servers use is not theirs (``Request.known_images`` drops it)."""
    old = vnfd.flavours.get(old_id)
    if old is None:
        return sorted(set(new.vdus) | set(new.storage))
    nodes = [(name, old.vdus.get(name), vdu) for name, vdu in new.vdus.items()]
    nodes += [(name, old.storage.get(name), st) for name, st in new.storage.items()]
    return sorted(name for name, a, b in nodes if a is None or _image(a) != _image(b))
