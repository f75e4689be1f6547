# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The operations on an instantiated NS: SCALE (one VNF by its aspect), HEAL (its VNFs), UPDATE (ADD_VNF, REMOVE_VNF,
CHANGE_VNF_DF).

Each goes through the VNF operations that exist (``lcm/operations`` scale and heal, ``lcm/lifecycle`` instantiate
and terminate, ``lcm/change.change_flavour``) and is recorded as an NS LCM occurrence on the NS record: read the record (``links.discover``; its
member tags give the VNF nodes) -> check every input (one line, before any write) -> preview each VNF operation in
check mode -> nothing to do (no lock, no write) or check mode (the plans, ``vnf`` naming the node) -> take the NS lock
(``lcm/lock.Lock`` on ``nfvo-ns-<name>``; a stale lock is taken over) -> run the VNF operations -> for an update,
retag the record's members (and, for CHANGE_VNF_DF, the VNF flavours it holds: ``nfvo:vnf_df``) -> release the lock
with the occurrence's record.
"""
from __future__ import annotations

import dataclasses
import time
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, NfvoError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import lifecycle as L
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import operations as O
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.change import change_flavour
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lock import Lock, op_record
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context
from ansible_collections.telco.nfvo.plugins.module_utils.ns import links
from ansible_collections.telco.nfvo.plugins.module_utils.ns.lifecycle import Instantiate, NsResult, list_ns
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import (
    VL_KIND, member_counts, member_names, members, recorded_dfs, vnf_df_tags, vnf_member_tags,
)
from ansible_collections.telco.nfvo.plugins.module_utils.ns.plan import check_vnf_flavour, choose_flavour, plan_ns, read_node_package, reflavour
from ansible_collections.telco.nfvo.plugins.module_utils.ns import sol005 as S
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import run_concurrently
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package


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
    NS level and scale levels, ``tags.retag`` keywords) written only when every VNF job succeeded; ``dfs``: {VNF node:
    (VNF flavour, level) or None (the NSD's)}, the flavour each done node is recorded on (``nfvo:vnf_df``)."""
    batch_of: dict
    counts: dict = dataclasses.field(default_factory=dict)
    retag: dict = dataclasses.field(default_factory=dict)
    dfs: dict = dataclasses.field(default_factory=dict)

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
        dfs = {n: df for n, df in recorded_dfs({'tags': tags}).items() if n in batch}  # a node gone loses its flavour
        dfs.update({n: self.dfs[n] for n in done if n in self.dfs and n in batch})
        out = [t for t in out if not t.startswith(T.tag('vnf_df', ''))] + vnf_df_tags(dfs)
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
    reflavour(op.ctx.project_id, plan, recorded_dfs(op.snap.anchor))  # a node's new VNF instances in its recorded flavour
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
    after = Record(dict(op.batch_of, **{part.node: part.batch for part in plan.vnfs.values()}), counts=plan.counts(),
                   dfs={part.node: part.df for part in plan.vnfs.values() if part.index == 1})
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


# ---------------------------------------------------------------------------------------------------------------
# UPDATE: CHANGE_VNF_DF

def check_change_df(ns_name, flavour, batch_of, entries):
    """CHANGE_VNF_DF ``entries`` ([{vnf_node, new_flavour_id, instantiation_level_id}]): each a VNF node of the NS
    (``batch_of``) and of the NSD ``flavour``, named once. Returns {VNF node: (new VNF flavour, level or None)}."""
    nodes = [e['vnf_node'] for e in entries]
    check_nodes(ns_name, batch_of, nodes, 'change VNF flavours of')
    twice = sorted({n for n in nodes if nodes.count(n) > 1})
    if twice:
        raise LcmError('Cannot change VNF flavours of NS %s: VNF node %s is given twice' % (ns_name, twice[0]))
    unknown = sorted(set(nodes) - set(flavour.vnfs))
    if unknown:
        raise LcmError('Cannot change VNF flavours of NS %s: NSD flavour %s has no VNF node %s' % (ns_name, flavour.flavour_id, unknown[0]))
    return {e['vnf_node']: (e['new_flavour_id'], e.get('instantiation_level_id')) for e in entries}


def check_df_target(ns_name, node, pkg, flavour_id, level_id):
    """The VNF flavour ``flavour_id`` of ``pkg`` VNF node ``node`` (an NSD ``NsVnf``) of NS ``ns_name`` moves to,
    refused in one line when the VNFD lacks it, ``level_id`` is not one of its levels, or it lacks an external CP the
    NSD attaches to an NS virtual link or SAP."""
    where = 'Cannot change VNF flavours of NS %s: VNF node %s' % (ns_name, node.name)
    new = check_vnf_flavour(where, pkg, flavour_id)
    if level_id and level_id not in new.levels:
        raise LcmError("%s: VNFD %s flavour %s has no instantiation level '%s' (it has: %s)"
                       % (where, pkg.vnfd.descriptor_id, flavour_id, level_id, ', '.join(sorted(new.levels)) or 'none'))
    for att in node.attachments:
        if att.requirement not in new.ext_cps:
            raise LcmError("%s: the NSD attaches its requirement '%s' to %s, but VNFD %s flavour %s has no external CP of that name (it has: %s)"
                           % (where, att.requirement, att.target, pkg.vnfd.descriptor_id, flavour_id, ', '.join(sorted(new.ext_cps)) or 'none'))
    return new


def df_of(node, flavour_id, level_id):
    """What the NS record holds of VNF node ``node`` (an NSD ``NsVnf``) on ``flavour_id`` at ``level_id``: None when
    it is the NSD's flavour (at the NSD's level or the default one), else (flavour, level)."""
    if flavour_id == node.flavour_id and (not level_id or level_id == node.instantiation_level):
        return None
    return flavour_id, level_id


def change_vnf_df(ctx, name, nsd, p):
    """UPDATE CHANGE_VNF_DF: each VNF node of ``p['change_vnf_flavour_data']`` moves (every VNF instance of it, in
    deployment order) to its new VNF flavour with ``lcm/change.change_flavour``; the record holds the new flavours."""
    op = NsOperation(ctx, name, 'UPDATE', {'updateType': 'CHANGE_VNF_DF'})
    flavour = ns_flavour(op, nsd)
    targets = check_change_df(name, flavour, op.batch_of, p.get('change_vnf_flavour_data') or [])
    where = 'Cannot change VNF flavours of NS %s: VNF node %%s' % name
    for node, (flavour_id, level_id) in sorted(targets.items()):
        given = _vnf_params(p, node)
        given.pop('limits', None)
        pkg = read_node_package(where % node, flavour.vnfs[node], given, (read_package, p.get('limits')))
        check_df_target(name, flavour.vnfs[node], pkg, flavour_id, level_id)
    jobs, data = {}, []
    for key in op.instances(targets):
        flavour_id, level_id = targets[op.nodes[key]]
        params = dict(_vnf_params(p, op.nodes[key]), flavour_id=flavour_id, instantiation_level_id=level_id)
        jobs[key] = (lambda c, k=key, q=params: change_df_one(c, name, op.nodes[k], op.vnf_name(k), q))
        data.append(dict({'vnfInstanceId': T.vnf_instance_id(ctx.project_id, op.vnf_name(key)), 'newFlavourId': flavour_id},
                         **({'instantiationLevelId': level_id} if level_id else {})))
    op.params['changeVnfFlavourData'] = data
    order = sorted({op.batch_of[n] for n in targets})
    batches = [op.instances([n for n in targets if op.batch_of[n] == b]) for b in order]
    after = Record(dict(op.batch_of), dfs={n: df_of(flavour.vnfs[n], f, lv) for n, (f, lv) in targets.items()})
    return op.run(jobs, batches=batches, after=after)


def change_df_one(ctx, ns_name, node, vnf_name, params):
    """CHANGE_FLAVOUR of VNF instance ``vnf_name`` of VNF node ``node``; in the preview an error names the NS and the node."""
    try:
        return change_flavour(ctx, vnf_name, params)
    except NfvoError as exc:
        if not ctx.opts.check_mode:
            raise
        raise LcmError('Cannot change VNF flavours of NS %s: VNF node %s: %s' % (ns_name, node, exc))
