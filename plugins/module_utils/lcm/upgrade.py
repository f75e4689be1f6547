# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CHANGE_VNFPKG (``vnf_change operation: change_vnfpkg``): move an instantiated VNF to another version of its
package, a rolling upgrade VDU by VDU.

- Targets (``upgrade_steps``): each VNFC whose server does not run the new package's image, flavour and volumes of its
  VDU yet. A VNFC is rebuilt in place (Nova rebuild: same server id, ports and fixed IPs, attached volumes kept) when
  only the image changes; one whose flavour or volumes change (size, image, which), or that boots from a volume, is recreated
  (``plan_recreates``): the converge heal by recreate plans, its old server deleted first, then a new one of the new
  flavour / image on the same ports (same fixed IPs); a volume of the same size and image is kept and attached again,
  another is made anew, the old one deleted only once the upgrade succeeded (``upgrade_volumes.py``).
  A recreate that would change the VNFC's ports is refused before any write. A batch may mix rebuilds and recreates.
- Batches (``plan_batches``): per VDU, ``max_unavailable`` VNFCs at a time (an int for every VDU, or per VDU); batch k
  is the k-th group of every VDU. ``batch: next`` runs only the first batch left (a role loop runs one batch per call
  and the user's own tasks between them), ``all`` every batch; the result says ``batches_left``. The state between
  calls is the cloud's: a VNFC on the new image is done.
- Health gate (``health_gate.py``) after each batch: the servers ACTIVE (the executor waits for them), then optionally
  a TCP port answering on each fixed IP and / or an HTTP URL (placeholders ``{ip}``, ``{vnfc}``, ``{name}``) answering
  below 400, each within ``timeout`` seconds.
- On failure the upgrade stops; with ``on_failure: rollback`` every VNFC of the VNF on the new image is rebuilt back
  on the old one (those of earlier calls too: the record still names the old version), a VNFC this call recreated is
  made again as it was (``plan_recreate_rollback``: old flavour, image and volumes on the same ports), ROLLED_BACK; a
  VNFC an earlier call recreated is named in the error, FAILED_TEMP; with ``keep`` it
  is FAILED_TEMP (run the task again, or retry / mark it with ``vnf_lcm_op_occ`` giving the package again).
- The instance record's VNFD id, version and images change only when no batch is left (the last call's last step).
"""
from __future__ import annotations

import dataclasses

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, PackageError, PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import delete_action, plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import discover_environment
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.environment import check_image_fits, image_label, mapped_images, resolve_image
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Executor, Outcome, Settings
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.health_gate import HEALTH_TIMEOUT, addresses_of, check_health_option, health_problem
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import instantiate
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Operation, discover_one
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operations import combined, load, read_vnf_package, recreated, request_from_record
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.upgrade_volumes import (
    attached, kept_volumes, leftover_volumes, replaced_deletes, volume_image, volumes_differ)
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import run_concurrently
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

REBUILD, RECREATE = 'rebuild', 'recreate'
BATCHES = ('all', 'next')


def upgrade_options():
    """The CHANGE_VNFPKG options of ``vnf_change`` (documented there) beside its ``package``, ``images`` and ``limits``
    (``runners.new_vnfc_options``)."""
    health = dict(tcp_port=dict(type='int'), http_url=dict(type='str'), timeout=dict(type='int', default=HEALTH_TIMEOUT))
    return dict(from_package=dict(type='path'), max_unavailable=dict(type='raw', default=1),
                batch=dict(type='str', choices=list(BATCHES), default='all'), health_check=dict(type='dict', options=health))


class Step:
    """One VNFC to move: its server, the mode (rebuild / recreate, ``why`` for a recreate), the images."""

    def __init__(self, vnfc, server, mode, old_image, new_image, why=''):
        self.vnfc, self.server, self.mode, self.why = vnfc, server, mode, why
        self.vdu = M.split_vnfc_id(vnfc)[0]
        self.old_image, self.new_image = old_image, new_image

    def to_dict(self):
        return {'vnfc': self.vnfc, 'server': self.server.get('name'), 'mode': self.mode, 'from_image': self.old_image,
                'to_image': self.new_image, **({'why': self.why} if self.why else {})}


def image_of(server):
    """The Glance image id a server was built from (None: it boots from a volume)."""
    image = server.get('image')
    return image.get('id') if isinstance(image, dict) else None


def known_flavor(server, flavors):
    """The flavor of ``flavors`` the server runs with (by id, or Nova 2.47+'s ``original_name``), or None."""
    have = server.get('flavor') or {}
    return next((f for f in flavors if have.get('id') in (f['id'],) or have.get('original_name') in (f['id'], f.get('name'))), None)


def flavor_differs(server, vdu, flavors):
    """Why the server's flavor is not the one the VDU of the new package asks for ('' when it is)."""
    c = vdu.compute
    want = (c.vcpus, c.memory_mb, c.disk_gb or 0)
    have = server.get('flavor') or {}
    if 'vcpus' in have:  # Nova 2.47+: the flavor's sizes embedded
        got = (have.get('vcpus'), have.get('ram'), have.get('disk'))
    else:
        known = known_flavor(server, flavors)
        got = (known.get('vcpus'), known.get('ram'), known.get('disk')) if known else None
    if got is None or tuple(got) == want:
        return ''
    return 'flavor %s vCPU/%s MB/%s GB -> %d vCPU/%d MB/%d GB' % (got + want)


def upgrade_steps(snap, flavour, new_images, version=None):
    """([Step] of the VNFCs not on the new package yet, {VDU: [VNFC]} of those that are), by VDU and VNFC index.
    ``new_images``: {VDU or storage: Glance image id} of the new package; ``version``: its VNFD version. A VNFC is on it
    when its server runs the new image with the flavour and volumes of the new VDU (one that boots from a volume: with
    them and the mark of ``version``)."""
    todo, done = [], {}
    servers = sorted(((T.parse_metadata(s.get('metadata')).get('vnfc'), s) for s in snap.servers), key=lambda p: M.split_vnfc_id(p[0] or ''))
    for vnfc, server in servers:
        vdu_name = M.split_vnfc_id(vnfc or '')[0]
        vdu = flavour.vdus.get(vdu_name)
        if not vnfc:
            continue
        if vdu is None:
            raise PlanError('VNFC %s: VDU %s is not in flavour %s of the new package (its VDUs: %s): change_vnfpkg does not remove VDUs'
                            % (vnfc, vdu_name, flavour.flavour_id, ', '.join(sorted(flavour.vdus))))
        old, new = image_of(server), new_images.get(vdu_name)
        differs = flavor_differs(server, vdu, snap.flavors) or volumes_differ(vnfc, snap.volumes, vdu, flavour, new_images)
        marked = version is not None and (server.get('metadata') or {}).get(T.META_KEYS['vnfd_version']) == version
        if not differs and old == new and (old is not None or marked):
            done.setdefault(vdu_name, []).append(vnfc)
            continue
        why = differs if old is not None and new is not None else 'it boots from a volume' if old is None else 'it boots from a volume in the new package'
        todo.append(Step(vnfc, server, RECREATE if why else REBUILD, old, new, why))
    return todo, done


def max_unavailable_of(value, vdus):
    """{VDU: VNFCs changed at a time} of the ``max_unavailable`` option (an int for all, or {VDU: int}); PlanError below 1."""
    given = value if isinstance(value, dict) else {vdu: value for vdu in vdus}
    out = {}
    for vdu in vdus:
        raw = given.get(vdu, 1)
        try:
            n = int(raw)
        except (TypeError, ValueError):
            n = 0
        if n < 1 or isinstance(raw, bool):
            raise PlanError('max_unavailable of %s is %r: give a whole number of VNFCs of 1 or more' % (vdu, raw))
        out[vdu] = n
    unknown = sorted(set(given) - set(vdus)) if isinstance(value, dict) else []
    if unknown:
        raise PlanError('max_unavailable names %s, not a VDU of the flavour (its VDUs: %s)' % (', '.join(unknown), ', '.join(vdus)))
    return out


def plan_batches(steps, limits):
    """The batches of ``steps``: per VDU, groups of ``limits[VDU]`` VNFCs; batch k joins the k-th group of each VDU."""
    groups = {}
    for step in steps:
        per = groups.setdefault(step.vdu, [[]])
        if len(per[-1]) >= limits.get(step.vdu, 1):
            per.append([])
        per[-1].append(step)
    count = max((len(g) for g in groups.values()), default=0)
    return [[s for vdu in sorted(groups) if k < len(groups[vdu]) for s in groups[vdu][k]] for k in range(count)]


def rebuild_action(step, image, metadata, detail):
    """The Nova rebuild of ``step``'s server onto ``image`` with ``metadata`` (its marks, the version updated)."""
    server = step.server
    return M.Action(M.REBUILD, 'server', 'server/%s' % step.vnfc, server.get('name') or step.vnfc, resource_id=server['id'],
                    owner={'vnfc': step.vnfc, 'vdu': step.vdu}, spec={'imageRef': image, 'metadata': dict(metadata)}, detail=detail)


def _metadata(server, vnfd_id, version):
    return dict(server.get('metadata') or {}, **{T.META_KEYS['vnfd']: vnfd_id, T.META_KEYS['vnfd_version']: version})


def plan_recreates(ctx, snap, rec, new_package, p, steps, images):
    """({VNFC: [Action]}, [Action] shared, [Action] deletes of replaced volumes) of the RECREATE ``steps``: the converge
    that heal by recreate plans (``operations.request_from_record`` + ``converge.plan_converge`` with ``Request.only``
    and ``replace``: the old server deleted, then a new one of the new package's flavour / image on the same ports,
    so the same fixed IPs), the volumes that fit kept (``kept_volumes``), the others made anew. ``shared``: a server
    group (or flavor) the new servers need that the VNF does not have yet. ``images``: {VDU or storage: Glance image id} of the
    new package. PlanError (before any write) for a recreate that would change the VNFC's ports or needs more."""
    pkg, flavour = new_package  # the new package and its flavour of the VNF
    vnfcs = [s.vnfc for s in steps if s.mode == RECREATE]
    if not vnfcs:
        return {}, [], []
    req, dummy = request_from_record(ctx, snap.vnf_name, pkg, rec, snap, p)
    req.known_images = {}  # the old version's images are not the new one's
    req.only, req.replace = list(vnfcs), list(vnfcs)
    dummy, replaced = kept_volumes(snap, vnfcs, flavour, images)
    anchor = dict(snap.anchor, tags=T.retag(snap.anchor.get('tags'), vnfd=req.vnfd_id, vnfd_version=req.vnfd_version))
    nets = {link.network: snap.ext_networks.get(link.network) or {'id': link.network} for link in req.ext_links.values()}  # their ports': kept
    view = dataclasses.replace(snap, anchors=[anchor] + [a for a in snap.anchors if a is not snap.anchor], ext_networks=dict(snap.ext_networks, **nets),
                               volumes=[v for v in snap.volumes if not any(v is r for r in replaced)])
    plan = plan_converge(pkg.vnfd, flavour, req, view, operation='CHANGE_VNFPKG')
    by_key = {a.key: a for a in plan.actions}
    per, shared = {}, []
    for a in plan.actions:
        vnfc = a.owner.get('vnfc')
        if vnfc not in vnfcs:
            continue
        if a.kind == 'port':
            raise PlanError('VNFC %s: the CPs of %s differ in the new package (%s of port %s): change_vnfpkg keeps the ports of a '
                            'recreated VNFC' % (vnfc, a.owner.get('vdu'), a.op, a.owner.get('cp')))
        per.setdefault(vnfc, []).append(a)
    for vnfc, actions in per.items():
        keys = {a.key for a in actions}
        for a in actions:
            a.deps = [d for d in a.deps if d != M.ANCHOR]
            for d in a.deps:
                dep = by_key.get(d)
                if d in keys or any(x is dep for x in shared):
                    continue
                if dep is None or dep.op != M.CREATE or dep.kind not in ('flavor', 'server_group'):
                    raise PlanError('VNFC %s: its recreation for the new package needs %s, which the VNF does not have: change_vnfpkg '
                                    'recreates VNFCs, it adds nothing else' % (vnfc, d))
                dep.deps = []
                shared.append(dep)
    return per, shared, replaced


def plan_upgrade(snap, batches, new, record_tags, labels=None, recreated=({}, (), ())):
    """The CHANGE_VNFPKG plan: per VNFC of ``batches`` (in batch order; each batch after the one before) a rebuild, or
    for a recreate its actions of ``recreates`` ({VNFC: [Action]}, ``plan_recreates``; ``shared`` first); then the
    deletes of the ``replaced`` volumes and the record update to ``record_tags`` (None: batches are left after these,
    the record stays). ``recreated``: (recreates, shared, replaced); ``new``: (VNFD id, version) of the package;
    ``labels``: {image id: name} for the details."""
    recreates, shared, replaced = recreated
    labels = labels or {}
    plan = M.Plan(operation='CHANGE_VNFPKG', instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    plan.actions.extend(shared)
    previous = []
    for number, batch in enumerate(batches, 1):
        keys = []
        for step in batch:
            images = tuple(labels.get(i, i) or 'a volume' for i in (step.old_image, step.new_image))
            where = 'batch %d of %d' % (number, len(batches))
            if step.mode == RECREATE:
                actions = list((recreates or {}).get(step.vnfc) or [])
                for a in actions:
                    if a.kind == 'server' and a.op == M.CREATE:
                        a.detail = '%s: recreated (%s), %s' % (where, step.why, a.detail)
                    elif a.kind == 'server' and a.op == M.DELETE:
                        a.detail = '%s: the old server first, its ports kept' % where
            else:
                actions = [rebuild_action(step, step.new_image, _metadata(step.server, *new), '%s: image %s -> %s' % ((where,) + images))]
            for action in actions:
                action.deps = list(dict.fromkeys(action.deps + previous))
                plan.actions.append(action)
                keys.append(action.key)
        previous = keys
    for action in replaced_deletes(snap, replaced):
        action.deps = list(previous)
        plan.actions.append(action)
    record = M.record_update(snap, record_tags, 'record VNFD %s version %s' % new)
    if record is not None:
        record.deps = list(previous)
        plan.actions.append(record)
    return plan


def _old_server(step, new_server, snap):
    """The CREATE that puts the server of a recreated VNFC back as it was (rollback): its flavor, image, volumes, name
    and marks on the same ports; the rest (networks, key, user data, group) as the new server has it."""
    old = step.server
    flavor = known_flavor(old, snap.flavors) or {'id': (old.get('flavor') or {}).get('id')}
    spec = {k: v for k, v in new_server.spec.items() if k not in ('imageRef', 'block_device_mapping_v2', 'flavorRef')}
    spec.update(name=old.get('name') or new_server.name, flavorRef=flavor['id'])
    if step.old_image:
        spec['imageRef'] = step.old_image
    vols = sorted((v for v in snap.volumes if attached(v, old)), key=lambda v: (volume_image(v) is None, v.get('id')))
    bdm = [{'uuid': v['id'], 'source_type': 'volume', 'destination_type': 'volume', 'delete_on_termination': False,
            'boot_index': 0 if step.old_image is None and i == 0 else -1} for i, v in enumerate(vols)]
    if bdm:
        spec['block_device_mapping_v2'] = bdm
    return M.Action(M.CREATE, 'server', new_server.key, spec['name'], owner=dict(new_server.owner), spec=spec,
                    tags=list(old.get('tags') or new_server.tags or []), metadata=dict(old.get('metadata') or {}),
                    detail='back as it was (flavor %s, %s)' % (
                        flavor.get('name') or flavor['id'], 'image %s' % step.old_image if step.old_image else 'boot from volume'))


def plan_recreate_rollback(snap, now, steps, plan, created):
    """The actions that put each recreated VNFC of ``steps`` back as it was before (``snap``): the server the upgrade
    made deleted (``now``: the VNF as the cloud has it), the volumes it made (``created``: the outcome's) deleted, the
    old server made again on the same ports with its old volumes (``_old_server``). Nothing for a VNFC whose old server
    is still there but the new volumes."""
    out = []
    for step in steps:
        new_server = next((a for a in plan.actions if a.op == M.CREATE and a.kind == 'server' and a.owner.get('vnfc') == step.vnfc), None)
        servers = [s for s in now if T.parse_metadata(s.get('metadata')).get('vnfc') == step.vnfc]
        intact = any(s['id'] == step.server['id'] for s in servers)
        gone = []
        for n, server in enumerate(s for s in servers if s['id'] != step.server['id']):
            out.append(delete_action('server', 'server/%s' % step.vnfc, server, suffix='#new%d' % n))
            gone.append(out[-1].key)
        for n, (dummy, key, res) in enumerate((c for c in created if c[0] == 'volume' and c[1].startswith('volume/%s/' % step.vnfc))):
            out.append(delete_action('volume', key, res, suffix='#new%d' % n))
            out[-1].deps = list(gone)
        if not intact and new_server is not None:
            back = _old_server(step, new_server, snap)
            back.deps = list(gone)
            out.append(back)
    return out


def plan_rollback(snap, servers, old_images, old, skip=()):
    """The rebuilds that put every server of ``servers`` (the VNF's, as the cloud has them now) that is not on the old
    image of its VDU (``old_images``: {VDU: image id}) back on it, with the marks of version ``old`` (VNFD id, version).
    ``skip``: VNFCs put back otherwise (recreated)."""
    plan = M.Plan(operation='CHANGE_VNFPKG', instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    for server in sorted(servers, key=lambda s: M.split_vnfc_id(T.parse_metadata(s.get('metadata')).get('vnfc') or '')):
        vnfc = T.parse_metadata(server.get('metadata')).get('vnfc')
        vdu = M.split_vnfc_id(vnfc or '')[0]
        if vnfc not in skip and vdu in old_images and image_of(server) != old_images[vdu]:
            step = Step(vnfc, server, REBUILD, image_of(server), old_images[vdu])
            plan.actions.append(rebuild_action(step, old_images[vdu], _metadata(server, *old), 'back on image %s' % old_images[vdu]))
    return plan


# ---------------------------------------------------------------------------------------------------------------
# the operation

def _merge(total, part):
    """Add what one executor run did to the operation's outcome (its first failure wins)."""
    total.created += part.created
    total.deleted += part.deleted
    total.updated += part.updated
    total.final.update(part.final)
    total.forced += part.forced
    if total.error is None and part.error is not None:
        total.failure, total.error = part.failure, part.error


class ChangeVnfpkg(Operation):
    """CHANGE_VNFPKG of one instance: the batches of ``plan_upgrade`` one after the other (a batch: its rebuilds and
    recreates at once), the health gate after each, the rollback of every changed VNFC on failure (``on_failure:
    rollback``: rebuilt back on its old image, or a recreated one made again as it was, on the same ports)."""

    def __init__(self, ctx, snap, plan, upgrade, final_state='COMPLETED'):
        super().__init__(ctx, snap, plan, upgrade['params'], final_state=final_state, modified=True)
        self.upgrade = upgrade
        self.rollback = None
        self.unrestored = []  # VNFCs on the new image whose old one is not known (upgraded by an earlier call)
        self.ids = {}  # key -> id of what earlier batches made (a shared flavor)

    def _settings(self):
        return Settings(max_concurrency=self.opts.max_concurrency, timeout=self.opts.timeout, wait=True)

    def _run_plan(self, actions, total):
        keys = {a.key for a in actions}
        sub = M.Plan(operation=self.plan.operation, instance_id=self.plan.instance_id, vnf_name=self.plan.vnf_name,
                     actions=[M.Action(**dict(vars(a), deps=[d for d in a.deps if d in keys])) for a in actions])
        ex = Executor(self.api, sub, self._settings(), ids=self.ids)
        part = ex.run()
        self.ids.update(ex.ids)
        _merge(total, part)
        return part.ok

    def execute(self, lock):
        total = Outcome()
        check = self.upgrade['health_check']
        last = [a for a in self.plan.actions if a.kind == 'anchor' or '#replaced' in a.key]
        pending = [a for a in self.plan.actions if not any(a is b for b in last)]
        for batch in self.upgrade['run']:
            vnfcs = {s.vnfc for s in batch}
            actions = [a for a in pending if a.owner.get('vnfc') in vnfcs]
            needed = {d for a in actions for d in a.deps}
            actions = [a for a in pending if a.key in needed and a.owner.get('vnfc') is None] + actions  # a shared flavor first
            pending = [a for a in pending if not any(a is b for b in actions)]
            if not self._run_plan(actions, total):
                return total
            jobs = {s.vnfc: (lambda s=s: health_problem(check, s.vnfc, s.server, addresses_of(self.snap, s.vnfc))) for s in batch}
            problems = {k: v for k, v in run_concurrently(jobs, max(1, len(jobs))).items() if v}
            if problems:
                vnfc = sorted(problems, key=M.split_vnfc_id)[0]
                how = next(('rebuild' if s.mode == REBUILD else 'recreation') for s in batch if s.vnfc == vnfc)
                total.error = 'Failed the health check of server %s (VNF %s) after its %s: %s' % (vnfc, self.plan.vnf_name, how, problems[vnfc])
                return total
        if last:
            self._run_plan(last, total)
        return total

    def settle(self, outcome, lock):
        if outcome.ok:
            return self.final_state
        if self.opts.on_failure != 'rollback' or self.final_state == 'ROLLED_BACK':
            return 'FAILED_TEMP'
        self.tell('FAILED_TEMP', error=outcome.error)
        self.tell('ROLLING_BACK')
        now = load(self.ctx, self.snap.vnf_name)[0]
        old_images, new_images, new = self.upgrade['old_images'], self.upgrade['new_images'], self.upgrade['new']
        recreating = [s for b in self.upgrade['run'] for s in b if s.mode == RECREATE]
        mine = {s.vnfc for s in recreating}
        vdus = {s.vdu for s in self.upgrade['steps'] if s.mode == RECREATE}
        marks = T.META_KEYS['vnfd_version']
        earlier = sorted((T.parse_metadata(s.get('metadata')).get('vnfc') for s in now.servers  # recreated by an earlier call
                          if T.parse_metadata(s.get('metadata')).get('vdu') in vdus and (s.get('metadata') or {}).get(marks) == new[1]
                          and T.parse_metadata(s.get('metadata')).get('vnfc') not in mine), key=M.split_vnfc_id)
        back = plan_rollback(self.snap, now.servers, old_images, self.upgrade['old'], skip=mine | set(earlier))
        back.actions += plan_recreate_rollback(self.snap, now.servers, recreating, self.plan, outcome.created)
        self.unrestored = sorted(set(earlier) | {T.parse_metadata(s.get('metadata')).get('vnfc') for s in now.servers
                                                 if T.parse_metadata(s.get('metadata')).get('vdu') not in old_images
                                                 and image_of(s) == new_images.get(T.parse_metadata(s.get('metadata')).get('vdu'))},
                                 key=M.split_vnfc_id)
        self.rollback = Outcome()
        if back.actions:
            self._run_plan(back.actions, self.rollback)
        return 'ROLLED_BACK' if self.rollback.ok and not self.unrestored else 'FAILED_TEMP'

    def changes(self, outcome):
        created, deleted = super().changes(outcome)
        if self.rollback is None:
            return created, deleted
        return created + self.rollback.created, deleted + self.rollback.deleted

    def error(self, outcome):
        if self.rollback is not None and not self.rollback.ok:
            return '%s; putting the VNFCs back on the old package failed too: %s' % (outcome.error, self.rollback.error)
        if self.unrestored:
            return ('%s; rolled back but for %s, whose old image is neither recorded nor onboarded: run change_vnfpkg with the old '
                    'package and images' % (outcome.error, ', '.join(self.unrestored)))
        return outcome.error


# ---------------------------------------------------------------------------------------------------------------
# the entry point

def read_new_package(p, rec, name):
    """The package to move to (``p['package']``), checked to be another version of the VNF's product and to have
    its flavour; LcmError (one line) otherwise."""
    path = p.get('package')
    if not path:
        raise LcmError('VNF %s: change_vnfpkg needs the package to move to (package: <path>)' % name)
    try:
        pkg = read_package(path, limits=p.get('limits'))
        old = read_package(p['from_package'], limits=p.get('limits')).vnfd if p.get('from_package') else None
    except PackageError as exc:
        raise LcmError('Cannot read VNF package for the change of VNF %s: %s' % (name, exc))
    vnfd = pkg.vnfd
    if vnfd.descriptor_id != rec['vnfd_id']:
        if old is None or old.descriptor_id != rec['vnfd_id']:
            raise LcmError('VNF %s is of VNFD %s; package %s holds VNFD %s: to move to another VNFD of the same product give '
                           'from_package, the package of VNFD %s' % (name, rec['vnfd_id'], path, vnfd.descriptor_id, rec['vnfd_id']))
        if (old.provider, old.product_name) != (vnfd.provider, vnfd.product_name):
            raise LcmError("VNF %s: package %s is product '%s' of provider '%s', the VNF is product '%s' of provider '%s': "
                           "change_vnfpkg moves to another version of the same product"
                           % (name, path, vnfd.product_name, vnfd.provider, old.product_name, old.provider))
    try:
        flavour = vnfd.flavour(rec['flavour_id'])
    except ValueError as exc:
        raise LcmError('VNF %s cannot move to package %s: %s (change the flavour with change_flavour)' % (name, path, exc))
    return pkg, flavour


def _new_images(ctx, snap, rec, pkg, flavour, p):
    """{VDU or storage: image dict} of the new package (the task's ``images`` map, else onboarded): PlanError for a VDU
    whose image is missing (a storage's is looked for only to tell whether its volumes are kept)."""
    vnfd = pkg.vnfd
    req = M.Request(vnf_name=snap.vnf_name, instance_id=snap.instance_id, vnfd_id=vnfd.descriptor_id, vnfd_version=vnfd.descriptor_version,
                    flavour_id=rec['flavour_id'], images=dict(p.get('images') or {}))
    discover_environment(ctx.api, snap, vnfd.descriptor_id, images=set(req.images.values()))
    out = {}
    for vdu_name, vdu in flavour.vdus.items():
        image, how = resolve_image(vdu_name, vdu.sw_image, req, snap)
        if image is not None:
            check_image_fits(image, how, vdu_name, vdu, vdu.compute.disk_gb, 'the root disk of %s' % vdu_name)
            out[vdu_name] = image
    for name, st in flavour.storage.items():
        if st.kind == 'block' and name not in out and (st.sw_image is not None or name in req.images):
            try:
                image = resolve_image(name, st.sw_image, req, snap)[0]
            except PlanError:
                continue  # a recreate that makes this volume says it
            if image is not None:
                out[name] = image
    return req, out


def old_images_of(snap, rec, flavour, steps, done):
    """{VDU: image id} of the version the record names: what this call's VNFCs run now, else (a VDU whose every VNFC
    an earlier ``batch: next`` call rebuilt) the image recorded for it or the version's onboarded one."""
    out = {s.vdu: s.old_image for s in steps}
    for vdu_name in done:
        if vdu_name in out:
            continue
        sw_image = flavour.vdus[vdu_name].sw_image
        found = (rec.get('images') or {}).get(vdu_name) or next(
            (i['id'] for i in snap.onboarded_images if i.get(T.IMAGE_PROPS['vnfd']) == rec['vnfd_id']
             and i.get(T.IMAGE_PROPS['vnfd_version']) == rec['vnfd_version']
             and i.get(T.IMAGE_PROPS['sw_image']) in (vdu_name, sw_image.name if sw_image else None)), None)
        if found:
            out[vdu_name] = found
    return out


def _record_tags(snap, req, flavour, images):
    """The record's tags once every VNFC is on the new package: VNFD id, version, images mapped (not onboarded)."""
    recorded = mapped_images(req, flavour, snap)
    for vdu_name, image in images.items():
        if image.get(T.IMAGE_PROPS['vnfd']) == req.vnfd_id:
            recorded.pop(vdu_name, None)  # onboarded: found again by its properties
    return T.retag(snap.anchor.get('tags'), vnfd=req.vnfd_id, vnfd_version=req.vnfd_version, image=recorded)


def _loaded(ctx, name, p, rollback):
    """(snapshot, record, package, flavour) of a change_vnfpkg task; a rollback's package is the one the record names."""
    snap, rec = load(ctx, name)
    if rollback:
        pkg = read_vnf_package(p.get('package'), rec, name, p.get('limits'))
        return snap, rec, pkg, pkg.vnfd.flavour(rec['flavour_id'])
    return (snap, rec) + read_new_package(p, rec, name)


def change_vnfpkg(ctx, name, p, rollback=False, loaded=None):
    """CHANGE_VNFPKG of VNF ``name`` to ``p['package']``: the batches left (``batch: all``) or the first of them
    (``next``). The result's ``upgrade``: the batch plan, ``batches_left`` after this call. ``rollback``
    (``vnf_lcm_op_occ``): ``package`` is the one the record names, every VNFC is put back on its images, ROLLED_BACK.
    ``loaded``: (snapshot, record, package, flavour) the caller has read already (``vnf``)."""
    snap, rec, pkg, flavour = loaded or _loaded(ctx, name, p, rollback)
    limits = max_unavailable_of(p.get('max_unavailable', 1), sorted(flavour.vdus))
    check_health_option(p.get('health_check'))
    req, images = _new_images(ctx, snap, rec, pkg, flavour, p)
    ids = {node: image['id'] for node, image in images.items()}
    steps, done = upgrade_steps(snap, flavour, ids, pkg.vnfd.descriptor_version)
    batches = plan_batches(steps, limits)
    run = batches[:1] if p.get('batch') == 'next' and not rollback else batches
    try:
        recreates, shared, replaced = plan_recreates(ctx, snap, rec, (pkg, flavour), p, [s for b in run for s in b], ids)
    except PlanError as exc:
        raise LcmError('VNF %s cannot move to package %s: %s' % (name, p.get('package'), exc))
    new = (pkg.vnfd.descriptor_id, pkg.vnfd.descriptor_version)
    labels = {i['id']: image_label(i) for i in images.values()}
    plan = plan_upgrade(snap, run, new, _record_tags(snap, req, flavour, images) if len(run) == len(batches) else None, labels,
                        (recreates, shared, replaced + leftover_volumes(snap, done)))
    summary = {'batches': [[s.to_dict() for s in b] for b in batches], 'batches_run': 0 if ctx.opts.check_mode else len(run),
               'batches_left': len(batches) - (0 if ctx.opts.check_mode else len(run)), 'upgraded_before': dict(sorted(done.items())),
               'vnfd_id': new[0], 'vnfd_version': new[1]}
    params = {'action': 'ROLLBACK'} if rollback else {
        'vnfdId': new[0], 'vnfdVersion': new[1], 'additionalParams': {'maxUnavailable': limits, 'batch': p.get('batch') or 'all'}}
    upgrade = {'params': params, 'health_check': None if rollback else p.get('health_check'), 'run': run,
               'old_images': old_images_of(snap, rec, flavour, steps, done), 'new_images': {v: i['id'] for v, i in images.items()},
               'old': (rec['vnfd_id'], rec['vnfd_version']), 'new': new, 'steps': steps}
    result = ChangeVnfpkg(ctx, snap, plan, upgrade, final_state='ROLLED_BACK' if rollback else 'COMPLETED').run()
    if any(s.mode == RECREATE for b in run for s in b):
        result = recreated(result)  # a recreated VNFC is MODIFIED, not ADDED + REMOVED
    if result.lcm_op_occ and result.lcm_op_occ.get('operationState') == 'ROLLED_BACK' and not rollback:  # all to do again
        back = {vnfc for vdu, vnfcs in done.items() if vdu in upgrade['old_images'] for vnfc in vnfcs}
        again = [Step(vnfc, {}, REBUILD, None, None) for vnfc in back] + steps
        summary['batches_left'] = len(plan_batches(sorted(again, key=lambda s: M.split_vnfc_id(s.vnfc)), limits))
    return with_upgrade(result, summary)


def converge_package(ctx, pkg, flavour, req, p):
    """``vnf``: instantiate or converge (``lifecycle.instantiate``); an instantiated VNF of another version of the
    package (another VNFD id is refused: ``vnf`` has no from_package) is first moved to it by CHANGE_VNFPKG (every batch,
    ``max_unavailable`` 1, the servers ACTIVE as the only gate), then converged. One discovery either way."""
    snap = discover_one(ctx.api, req.instance_id, req.vnf_name)
    rec = V.record_of(snap)
    if rec is None or not rec.get('vnfd_id') or (rec['vnfd_id'], rec['vnfd_version']) == (req.vnfd_id, req.vnfd_version):
        return instantiate(ctx, pkg, flavour, req, snap=snap)
    if rec['vnfd_id'] != req.vnfd_id:
        read_new_package({'package': p['package']}, rec, req.vnf_name)  # raises: the product cannot be checked without from_package
    if rec.get('flavour_id') != flavour.flavour_id:
        raise LcmError('VNF %s: package %s (version %s) and flavour %s at once: change the package first (the same flavour %s), '
                       'then the flavour' % (req.vnf_name, p['package'], req.vnfd_version, flavour.flavour_id, rec.get('flavour_id')))
    opts = {'package': p['package'], 'images': p.get('images'), 'limits': p.get('limits'), 'max_unavailable': 1, 'batch': 'all'}
    moved = change_vnfpkg(ctx, req.vnf_name, opts, loaded=(snap, rec, pkg, flavour))
    if moved.error or ctx.opts.check_mode:
        return moved
    return combined(moved, instantiate(ctx, pkg, flavour, req))


def with_upgrade(result, summary):
    """The result with the batch plan (``Result.extra['upgrade']``: what the role's loop reads)."""
    result.extra = dict(result.extra, upgrade=summary)
    return result
