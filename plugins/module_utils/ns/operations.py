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
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import VL_KIND, VNF_KIND, members
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


def member_tags(tags, batch_of):
    """The NS record's tags with its VNF members replaced by ``batch_of`` ({VNF node: batch}); VL members kept."""
    keep = [t for t in tags or [] if not (t.startswith(T.tag('member', '')) and not t.endswith(':' + VL_KIND))]
    return keep + [T.multi_tag('member', node, '%s%d' % (VNF_KIND, batch)) for node, batch in sorted(batch_of.items())]


# ---------------------------------------------------------------------------------------------------------------
# the NS operation skeleton

class NsOperation:
    """One operation on NS ``name``: ``jobs`` {VNF node: fn(ctx) -> lcm Result}, previewed in check mode, then run
    under the NS lock; ``members_after`` ({VNF node: batch}, or None: unchanged) retags the record."""

    def __init__(self, ctx, name, operation, params):
        self.ctx, self.api, self.opts, self.name, self.operation, self.params = ctx, ctx.api, ctx.opts, name, operation, params
        self.ns_id = T.ns_instance_id(ctx.project_id, name)
        self.op_id, self.start = ctx.op_id or str(uuid.uuid4()), time.time()
        self.snap = links.discover(self.api, self.ns_id, name)
        if self.snap.anchor is None:
            raise LcmError('NS %s is not instantiated (no NS record %s in the project)' % (name, T.ns_anchor_name(name)))
        self.batch_of, self.vls = members(self.snap.anchor)
        self.change = {}  # VNF node -> changeType of the occurrence

    def vnf_ctx(self, check_mode):
        opts = dataclasses.replace(self.opts, check_mode=check_mode)
        return Context(api=self.api, opts=opts, diff=self.ctx.diff, project_id=self.ctx.project_id)

    def vnf_name(self, node):
        return T.ns_vnf_name(self.name, node)

    def instance(self):
        found = list_ns(self.api, self.ctx.project_id, self.name)
        return found[0] if found else S.ns_instance(self.snap, [])

    def run(self, jobs, batches=None, members_after=None):
        """Preview, then (when something changes and not in check mode) run ``jobs`` batch by batch under the lock."""
        batches = batches or [sorted(jobs)]
        vctx = self.vnf_ctx(True)
        previews = run_concurrently({n: (lambda n=n: jobs[n](vctx)) for n in jobs}, self.opts.max_concurrency)
        changes = any(r.changed for r in previews.values()) or (members_after is not None and members_after != self.batch_of)
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
            if members_after is not None:
                done = {n for n in results if not results[n][1]} | {n for n in jobs if not previews[n].changed}
                after = {n: b for n, b in self.batch_of.items() if n not in done}  # a failed change keeps the member as it was
                after.update({n: members_after[n] for n in done if n in members_after})
                self.api.put('network', '/security-groups/%s/tags' % anchor['id'], {'tags': member_tags(anchor.get('tags'), after)})
            state = 'COMPLETED' if not errors else 'PARTIALLY_COMPLETED' if any(not e for dummy, e in results.values()) else 'FAILED_TEMP'
        finally:
            lock.release(op_record(self.op_id, self.operation, state))
        error = '; '.join(errors) or None
        affected = []
        for node, (result, err) in sorted(results.items()):
            vnf_op = (result.lcm_op_occ or {}).get('id') if result is not None else None
            vnfd_id = ((result.vnf_instance or {}).get('vnfdId') if result is not None else None)
            affected.append((node, T.vnf_instance_id(self.ctx.project_id, self.vnf_name(node)), vnfd_id, self.change.get(node, 'MODIFY'),
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
    """SCALE of NS ``name``: VNF node ``p['vnf']`` by its aspect ``aspect_id`` (SOL005 SCALE_VNF)."""
    op = NsOperation(ctx, name, 'SCALE', {'scaleType': 'SCALE_VNF', 'scaleVnfData': [{
        'vnfProfileId': p['vnf'], 'scaleVnfType': p['type'].upper(),
        'scaleByStepData': {'aspectId': p['aspect_id'], 'numberOfSteps': p['number_of_steps']}}]})
    [node] = check_nodes(name, op.batch_of, [p['vnf']], 'scale')
    params = dict(_vnf_params(p, node), aspect_id=p['aspect_id'], type=p['type'], number_of_steps=p['number_of_steps'])
    return op.run({node: lambda c: O.scale(c, op.vnf_name(node), params)})


def heal(ctx, name, p):
    """HEAL of NS ``name``: each VNF node of ``p['vnf_nodes']`` (default all) heals its unhealthy VNFCs."""
    op = NsOperation(ctx, name, 'HEAL', {})
    nodes = check_nodes(name, op.batch_of, p.get('vnf_nodes') or list(op.batch_of), 'heal')
    op.params = {'healVnfData': [{'vnfProfileId': n, 'cause': p.get('cause'), 'additionalParams': {'strategy': p.get('strategy')}} for n in nodes]}
    jobs = {}
    for node in nodes:
        params = dict(_vnf_params(p, node), strategy=p.get('strategy'), cause=p.get('cause'))
        jobs[node] = (lambda c, n=node, q=params: O.heal(c, op.vnf_name(n), q))
    return op.run(jobs)


# ---------------------------------------------------------------------------------------------------------------
# UPDATE: ADD_VNF, REMOVE_VNF

def _flavour(op, nsd):
    marks = T.parse_tags(op.snap.anchor.get('tags'))
    if marks.get('nsd') and marks['nsd'] != nsd.descriptor_id:
        raise LcmError('NS %s is instantiated from NSD %s; the NSD given is %s' % (op.name, marks['nsd'], nsd.descriptor_id))
    return choose_flavour(nsd, marks.get('flavour'))


def add_vnfs(ctx, name, nsd, p):
    """UPDATE ADD_VNF: instantiate VNF nodes ``p['vnf_nodes']`` of the NSD in NS ``name`` on its virtual links."""
    # SOL005 spells the making of new VNFs INSTANTIATE_VNF (ADD_VNF adds existing ones); the issue and the module say ADD_VNF
    op = NsOperation(ctx, name, 'UPDATE', {'updateType': 'ADD_VNF', 'instantiateVnfData': [
        {'vnfProfileId': n, 'vnfInstanceName': T.ns_vnf_name(name, n)} for n in sorted(set(p['vnf_nodes']))]})
    flavour = _flavour(op, nsd)
    nodes = check_add(name, flavour, op.batch_of, op.vls, p['vnf_nodes'])
    marks = T.parse_tags(op.snap.anchor.get('tags'))
    plan = plan_ns(ctx.project_id, name, nsd, {'ns_flavour_id': flavour.flavour_id, 'ns_instantiation_level_id': marks.get('level'),
                                               'vnfs': p.get('vnfs'), 'cidr_pool': p.get('cidr_pool'), 'only_vnfs': nodes})
    run = Instantiate(ctx, plan)
    run.wire(op.snap)  # the NS VLs exist (check_add): every VduCp on its VL's network
    op.change = {n: 'ADD' for n in nodes}
    batches = [[n for n in batch if n in nodes] for batch in flavour.deployment_order()]
    after = dict(op.batch_of, **{n: plan.vnfs[n].batch for n in nodes})
    jobs = {n: (lambda c, n=n: _add_one(c, plan.vnfs[n])) for n in nodes}
    return op.run(jobs, batches=[b for b in batches if b], members_after=after)


def _add_one(ctx, part):
    return L.instantiate(ctx, part.pkg, part.flavour, part.req)


def remove_vnfs(ctx, name, nsd, p):
    """UPDATE REMOVE_VNF: terminate VNF nodes ``p['vnf_nodes']`` of NS ``name`` (reverse deployment order)."""
    op = NsOperation(ctx, name, 'UPDATE', {'updateType': 'REMOVE_VNF', 'removeVnfInstanceId': [
        T.vnf_instance_id(ctx.project_id, T.ns_vnf_name(name, n)) for n in sorted(p['vnf_nodes'])]})
    batches = check_remove(name, _flavour(op, nsd), op.batch_of, p['vnf_nodes'])
    op.change = {n: 'REMOVE' for batch in batches for n in batch}
    after = {n: b for n, b in op.batch_of.items() if n not in op.change}
    jobs = {n: (lambda c, n=n: _remove_one(c, op.vnf_name(n))) for n in op.change}
    return op.run(jobs, batches=batches, members_after=after)


def _remove_one(ctx, vnf_name):
    return L.terminate(ctx, T.vnf_instance_id(ctx.project_id, vnf_name), vnf_name)
