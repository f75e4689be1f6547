# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The operations on an instantiated NS: SCALE (one VNF by its aspect), HEAL (its VNFs), UPDATE (ADD_VNF, REMOVE_VNF).

Each goes through the VNF operations that exist (``lcm/operations`` scale and heal, ``lcm/lifecycle`` instantiate
and terminate) and is recorded as an NS LCM occurrence on the NS record: read the record (``links.discover``; its
member tags give the VNF nodes) -> check every input (one line, before any write) -> preview each VNF operation in
check mode -> nothing to do (no lock, no write) or check mode (the plans, ``vnf`` naming the node) -> take the NS lock
(``lcm/lock.Lock`` on ``nfvo-ns-<name>``; a stale lock is taken over) -> run the VNF operations -> for an update,
retag the record's members -> release the lock with the occurrence's record.
"""
from __future__ import annotations

import dataclasses
import time
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, NfvoError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import lifecycle as L
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import operations as O
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lock import Lock, op_record
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context
from ansible_collections.telco.nfvo.plugins.module_utils.ns import links
from ansible_collections.telco.nfvo.plugins.module_utils.ns.lifecycle import Instantiate, NsResult, list_ns
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import VL_KIND, member_counts, member_names, members, vnf_member_tags
from ansible_collections.telco.nfvo.plugins.module_utils.ns.plan import choose_flavour, plan_ns
from ansible_collections.telco.nfvo.plugins.module_utils.ns import sol005 as S
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import run_concurrently


# ---------------------------------------------------------------------------------------------------------------
# pure checks

def check_nodes(ns_name, batch_of, nodes, what):
    """``nodes`` checked to be VNF nodes of the NS record (``batch_of``: {VNF node: batch}); the list, sorted."""
    unknown = sorted(set(nodes) - set(batch_of))
    if unknown:
        raise LcmError("Cannot %s NS %s: it has no VNF node '%s' (its VNF nodes: %s)" % (what, ns_name, unknown[0], ', '.join(sorted(batch_of)) or 'none'))
    return sorted(set(nodes))


def check_remove(ns_name, flavour, batch_of, nodes):
    """REMOVE_VNF of ``nodes``: each a VNF node of the NSD ``flavour`` (one the NS does not have is left out: nothing to
    remove), none another remaining member depends on. Returns the removal batches (reverse deployment order)."""
    unknown = sorted(set(nodes) - set(batch_of) - set(flavour.vnfs))
    if unknown:
        check_nodes(ns_name, batch_of, unknown, 'remove VNFs from')
    nodes = sorted(set(nodes) & set(batch_of))
    for node in sorted(set(batch_of) - set(nodes)):
        needs = sorted(set(flavour.vnfs[node].depends_on if node in flavour.vnfs else []) & set(nodes))
        if needs:
            raise LcmError('Cannot remove VNF %s from NS %s: VNF %s depends on it (remove %s too)' % (needs[0], ns_name, node, node))
    out = {}
    for node in nodes:
        out.setdefault(batch_of[node], []).append(node)
    return [out[b] for b in sorted(out, reverse=True)]


def check_add(ns_name, flavour, batch_of, vls, nodes):
    """ADD_VNF of ``nodes``: VNF nodes of the NSD ``flavour`` not in the NS yet, whose dependencies are in the NS (or
    added with them) and whose NS virtual links the NS has (``vls``). Returns the nodes, sorted."""
    unknown = sorted(set(nodes) - set(flavour.vnfs))
    if unknown:
        raise LcmError("Cannot add VNF %s to NS %s: NSD flavour %s has no VNF node of that name (its VNF nodes: %s)"
                       % (unknown[0], ns_name, flavour.flavour_id, ', '.join(sorted(flavour.vnfs))))
    for node in sorted(nodes):
        missing = sorted(set(flavour.vnfs[node].depends_on) - set(batch_of) - set(nodes))
        if missing:
            raise LcmError('Cannot add VNF %s to NS %s: it depends on VNF %s, which the NS does not have (add it too)' % (node, ns_name, missing[0]))
        links_needed = sorted({a.target for a in flavour.vnfs[node].attachments if a.target in flavour.virtual_links} - set(vls))
        if links_needed:
            raise LcmError('Cannot add VNF %s to NS %s: its NS virtual link %s is not in the NS' % (node, ns_name, links_needed[0]))
    return sorted(set(nodes))


def member_tags(tags, batch_of, counts=None):
    """The NS record's tags with its VNF members replaced by ``batch_of`` ({VNF node: batch}) with ``counts`` ({VNF
    node: instances}; a node left out keeps its recorded count, a new one has 1); VL members kept."""
    counts = dict(member_counts({'tags': tags}), **(counts or {}))
    keep = [t for t in tags or [] if not (t.startswith(T.tag('member', '')) and not t.endswith(':' + VL_KIND))]
    return keep + vnf_member_tags(batch_of, counts)


@dataclasses.dataclass
class Record:
    """What an NS operation makes of the NS record: its VNF members ``batch_of`` ({VNF node: batch}; a node left out
    is no member any more) with ``counts`` ({VNF node: instances}, default 1), and ``retag`` (other marks, e.g. the
    NS level and scale levels, ``tags.retag`` keywords) written only when every VNF job succeeded."""
    batch_of: dict
    counts: dict = dataclasses.field(default_factory=dict)
    retag: dict = dataclasses.field(default_factory=dict)

    def tags(self, tags, done=None, whole=True):
        """The record's tags after the operation; ``done``: the VNF nodes whose jobs all succeeded (None: every node);
        the others keep their membership and count as they were."""
        old = members({'tags': tags})[0]
        done = set(old) | set(self.batch_of) if done is None else done
        batch = {n: b for n, b in old.items() if n not in done}
        batch.update({n: self.batch_of[n] for n in done if n in self.batch_of})
        recorded = member_counts({'tags': tags})
        counts = {n: self.counts.get(n, recorded.get(n, 1)) for n in done if n in batch}
        out = member_tags(tags, batch, counts)
        return T.retag(out, **self.retag) if whole else out


# ---------------------------------------------------------------------------------------------------------------
# the NS operation skeleton

class NsOperation:
    """One operation on NS ``name``: ``jobs`` {VNF member (``<node>`` or ``<node>-<k>``): fn(ctx) -> lcm Result},
    previewed in check mode, then run under the NS lock; ``after`` retags the record (``Record``)."""

    def __init__(self, ctx, name, operation, params):
        self.ctx, self.api, self.opts, self.name, self.operation, self.params = ctx, ctx.api, ctx.opts, name, operation, params
        self.ns_id = T.ns_instance_id(ctx.project_id, name)
        self.op_id, self.start = ctx.op_id or str(uuid.uuid4()), time.time()
        self.snap = links.discover(self.api, self.ns_id, name)
        if self.snap.anchor is None:
            raise LcmError('NS %s is not instantiated (no NS record %s in the project)' % (name, T.ns_anchor_name(name)))
        self.batch_of, self.vls = members(self.snap.anchor)
        self.counts = member_counts(self.snap.anchor)
        self.nodes = member_names(self.snap.anchor)  # VNF member -> VNF node (a run adds the members it makes)
        self.change = {}  # VNF member -> changeType of the occurrence

    def instances(self, nodes):
        """The VNF members of VNF nodes ``nodes`` the record expects (``<node>``, ``<node>-2`` ...)."""
        return sorted((k for k, n in self.nodes.items() if n in nodes), key=lambda k: (self.nodes[k], len(k), k))

    def vnf_ctx(self, check_mode):
        opts = dataclasses.replace(self.opts, check_mode=check_mode)
        return Context(api=self.api, opts=opts, diff=self.ctx.diff, project_id=self.ctx.project_id)

    def vnf_name(self, member):
        return T.ns_vnf_name(self.name, member)

    def instance(self):
        found = list_ns(self.api, self.ctx.project_id, self.name)
        return found[0] if found else S.ns_instance(self.snap, [])

    def run(self, jobs, batches=None, after=None):
        """Preview, then (when something changes and not in check mode) run ``jobs`` batch by batch under the lock."""
        batches = batches or [sorted(jobs)]
        vctx = self.vnf_ctx(True)
        previews = run_concurrently({n: (lambda n=n: jobs[n](vctx)) for n in jobs}, self.opts.max_concurrency)
        tags = list(self.snap.anchor.get('tags') or [])
        changes = any(r.changed for r in previews.values()) or (after is not None and sorted(after.tags(tags)) != sorted(tags))
        diff = self._diff(previews) if self.ctx.diff else None
        warnings = ['VNF %s: %s' % (n, w) for n in sorted(previews) for w in previews[n].warnings]
        if not changes or self.opts.check_mode:
            plan = [dict(a, vnf=n) for n in sorted(previews) for a in previews[n].plan or []] if self.opts.check_mode else None
            return NsResult(changed=changes, ns_instance=self.instance(), plan=plan, diff=diff, warnings=warnings)
        lock = Lock(self.api, self.name, self.op_id, self.opts.timeout, kind='NS', anchor_name=T.ns_anchor_name(self.name))
        anchor = lock.acquire(self.snap.anchor)
        state, results, errors = 'FAILED_TEMP', {}, []
        try:
            vctx = self.vnf_ctx(False)
            for batch in batches:
                todo = [n for n in batch if previews[n].changed]
                results.update(run_concurrently({n: (lambda n=n: _guarded(jobs[n], vctx)) for n in todo}, self.opts.max_concurrency))
                errors = ['VNF %s: %s' % (n, results[n][1]) for n in sorted(results) if results[n][1]]
                if errors:
                    break
            if after is not None:
                done = {n for n in results if not results[n][1]} | {n for n in jobs if not previews[n].changed}
                nodes = {self.nodes.get(k, k) for k in jobs} | set(after.batch_of) | set(self.batch_of)
                done = {n for n in nodes if all(k in done for k in jobs if self.nodes.get(k, k) == n)}  # every job of the node
                new = after.tags(anchor.get('tags'), done, whole=not errors)
                if sorted(new) != sorted(anchor.get('tags') or []):
                    self.api.put('network', '/security-groups/%s/tags' % anchor['id'], {'tags': new})
            state = 'COMPLETED' if not errors else 'PARTIALLY_COMPLETED' if any(not e for dummy, e in results.values()) else 'FAILED_TEMP'
        finally:
            lock.release(op_record(self.op_id, self.operation, state))
        error = '; '.join(errors) or None
        affected = []
        for node, (result, err) in sorted(results.items()):
            vnf_op = (result.lcm_op_occ or {}).get('id') if result is not None else None
            vnfd_id = ((result.vnf_instance or {}).get('vnfdId') if result is not None else None)
            affected.append((self.nodes.get(node, node), T.vnf_instance_id(self.ctx.project_id, self.vnf_name(node)), vnfd_id, self.change.get(node, 'MODIFY'),
                             'COMPLETED' if not err else 'FAILED', vnf_op))
        occ = S.ns_lcm_op_occ(dict(op_id=self.op_id, operation=self.operation, ns_id=self.ns_id, start=self.start, end=time.time(), state=state,
                                   error=error, vnfs=affected, params=self.params))
        if diff is not None:
            diff['after'] = dict(diff['after'], vnfs=dict(diff['after']['vnfs'], **{
                n: r.diff['after'] for n, (r, dummy) in results.items() if r is not None and r.diff}))
        return NsResult(changed=True, ns_instance=self.instance(), ns_lcm_op_occ=occ, diff=diff, error=error,
                        warnings=warnings + ['VNF %s: %s' % (n, w) for n, (r, dummy) in sorted(results.items()) if r for w in r.warnings])

    def _diff(self, previews):
        before = {n: r.diff['before'] for n, r in previews.items() if r.diff}
        after = {n: r.diff['after'] for n, r in previews.items() if r.diff}
        return {'before': S.ns_summary(self.snap, before), 'after': S.ns_summary(self.snap, after)}


def _guarded(job, ctx):
    """(lcm Result, error or None) of one VNF job."""
    try:
        result = job(ctx)
        return result, result.error
    except NfvoError as exc:
        return None, str(exc)


def _vnf_params(p, node):
    """The VNF operation's parameters of VNF node ``node``: the task's ``vnfs.<node>`` (package, images ...)."""
    given = dict((p.get('vnfs') or {}).get(node) or {})
    if p.get('limits'):
        given.setdefault('limits', p['limits'])
    return given


# ---------------------------------------------------------------------------------------------------------------
# SCALE, HEAL

def scale(ctx, name, p):
    """SCALE of NS ``name``: each VNF instance of VNF node ``p['vnf']`` by its VNF aspect ``aspect_id`` (SOL005 SCALE_VNF)."""
    op = NsOperation(ctx, name, 'SCALE', {'scaleType': 'SCALE_VNF', 'scaleVnfData': [{
        'vnfProfileId': p['vnf'], 'scaleVnfType': p['type'].upper(),
        'scaleByStepData': {'aspectId': p['aspect_id'], 'numberOfSteps': p['number_of_steps']}}]})
    [node] = check_nodes(name, op.batch_of, [p['vnf']], 'scale')
    params = dict(_vnf_params(p, node), aspect_id=p['aspect_id'], type=p['type'], number_of_steps=p['number_of_steps'])
    return op.run({k: (lambda c, k=k: O.scale(c, op.vnf_name(k), params)) for k in op.instances([node])})


def heal(ctx, name, p):
    """HEAL of NS ``name``: each VNF instance of the VNF nodes ``p['vnf_nodes']`` (default all) heals its unhealthy VNFCs."""
    op = NsOperation(ctx, name, 'HEAL', {})
    nodes = check_nodes(name, op.batch_of, p.get('vnf_nodes') or list(op.batch_of), 'heal')
    op.params = {'healVnfData': [{'vnfProfileId': n, 'cause': p.get('cause'), 'additionalParams': {'strategy': p.get('strategy')}} for n in nodes]}
    jobs = {}
    for key in op.instances(nodes):
        params = dict(_vnf_params(p, op.nodes[key]), strategy=p.get('strategy'), cause=p.get('cause'))
        jobs[key] = (lambda c, k=key, q=params: O.heal(c, op.vnf_name(k), q))
    return op.run(jobs)


# ---------------------------------------------------------------------------------------------------------------
# UPDATE: ADD_VNF, REMOVE_VNF

def ns_flavour(op, nsd):
    """The NSD flavour NS ``op`` was made with (an NSD other than the NS's is refused)."""
    marks = T.parse_tags(op.snap.anchor.get('tags'))
    if marks.get('nsd') and marks['nsd'] != nsd.descriptor_id:
        raise LcmError('NS %s is instantiated from NSD %s; the NSD given is %s' % (op.name, marks['nsd'], nsd.descriptor_id))
    return choose_flavour(nsd, marks.get('flavour'))


def plan_members(op, nsd, p, nodes, counts=None):
    """The ``NsPlan`` of VNF nodes ``nodes`` of NS ``op`` (at its recorded NS level, or ``counts`` instances), its VNF
    CPs wired to the NS VLs, the members it makes known to ``op``."""
    marks = T.parse_tags(op.snap.anchor.get('tags'))
    plan = plan_ns(op.ctx.project_id, op.name, nsd, {'ns_flavour_id': marks.get('flavour'), 'ns_instantiation_level_id': marks.get('level'),
                                                     'vnfs': p.get('vnfs'), 'cidr_pool': p.get('cidr_pool'), 'limits': p.get('limits'),
                                                     'only_vnfs': nodes, 'counts': counts})
    Instantiate(op.ctx, plan).wire(op.snap)  # the NS VLs exist: every VduCp on its VL's network
    op.nodes.update({k: part.node for k, part in plan.vnfs.items()})
    return plan


def add_vnfs(ctx, name, nsd, p):
    """UPDATE ADD_VNF: instantiate VNF nodes ``p['vnf_nodes']`` of the NSD in NS ``name`` on its virtual links."""
    # SOL005 spells the making of new VNFs INSTANTIATE_VNF (ADD_VNF adds existing ones); the issue and the module say ADD_VNF
    op = NsOperation(ctx, name, 'UPDATE', {'updateType': 'ADD_VNF', 'instantiateVnfData': [
        {'vnfProfileId': n, 'vnfInstanceName': T.ns_vnf_name(name, n)} for n in sorted(set(p['vnf_nodes']))]})
    flavour = ns_flavour(op, nsd)
    nodes = check_add(name, flavour, op.batch_of, op.vls, p['vnf_nodes'])
    plan = plan_members(op, nsd, p, nodes)
    op.change = {k: 'ADD' for k in plan.vnfs}
    after = Record(dict(op.batch_of, **{part.node: part.batch for part in plan.vnfs.values()}), counts=plan.counts())
    jobs = {k: (lambda c, k=k: add_one(c, plan.vnfs[k])) for k in plan.vnfs}
    return op.run(jobs, batches=plan.batches, after=after)


def add_one(ctx, part):
    """Instantiate the VNF instance of ``part`` (an ``NsPlan`` VnfPart)."""
    return L.instantiate(ctx, part.pkg, part.flavour, part.req)


def remove_vnfs(ctx, name, nsd, p):
    """UPDATE REMOVE_VNF: terminate every VNF instance of VNF nodes ``p['vnf_nodes']`` of NS ``name`` (reverse deployment order)."""
    op = NsOperation(ctx, name, 'UPDATE', {'updateType': 'REMOVE_VNF'})
    batches = [op.instances(batch) for batch in check_remove(name, ns_flavour(op, nsd), op.batch_of, p['vnf_nodes'])]
    op.change = {k: 'REMOVE' for batch in batches for k in batch}
    op.params['removeVnfInstanceId'] = [T.vnf_instance_id(ctx.project_id, op.vnf_name(k)) for k in sorted(op.change)]
    after = Record({n: b for n, b in op.batch_of.items() if n not in {op.nodes[k] for k in op.change}})
    jobs = {k: (lambda c, k=k: remove_one(c, op.vnf_name(k))) for k in op.change}
    return op.run(jobs, batches=batches, after=after)


def remove_one(ctx, vnf_name):
    """Terminate VNF instance ``vnf_name``."""
    return L.terminate(ctx, T.vnf_instance_id(ctx.project_id, vnf_name), vnf_name)
