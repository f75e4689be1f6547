# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Instantiate and terminate a network service across its VNFs and NS virtual links; list NS instances.

``instantiate``: look (the NS record and VLs, ``links.discover``; each VNF's converge plan, ``lcm/lifecycle.Converge``
with its VduCps on the VL networks) -> nothing to do (no write at all) or check mode (the whole-NS plan) -> lock the NS
record (``lcm/lock.Lock`` on the ``nfvo-ns-<name>`` anchor, created holding the lock) -> create the VLs
(``lcm/executor.Executor``) -> the VNFs batch by batch in deployment order, each batch concurrently, each through
``lcm/lifecycle.instantiate`` (a finished VNF is not touched) -> settle: COMPLETED; on a VNF failure ROLLED_BACK
(``on_failure: rollback``: this run's VNFs, VLs and new record removed) or PARTIALLY_COMPLETED / FAILED_TEMP (``keep``:
a rerun resumes) -> record the NS occurrence on the record, releasing the lock. ``terminate``: the VNFs in reverse
deployment order, then the VLs, then the record.
"""
from __future__ import annotations

import dataclasses
import time
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, NfvoError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import lifecycle as L
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import delete_action, plan_terminate
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import discover, find_anchors
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Executor, Settings
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lock import Lock, op_record
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context
from ansible_collections.telco.nfvo.plugins.module_utils.ns import links
from ansible_collections.telco.nfvo.plugins.module_utils.ns import sol005 as S
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import (
    NsSnapshot, member_counts, member_names, members, recorded_dfs, recorded_scale, reverse_batches,
)
from ansible_collections.telco.nfvo.plugins.module_utils.ns.plan import reflavour, resize
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import ReadCache, run_concurrently


@dataclasses.dataclass
class NsResult:
    """What the ``ns`` module returns (``vnf_results``: the lcm Results of the VNFs it ran, for their warnings)."""
    changed: bool = False
    ns_instance: dict = None
    ns_lcm_op_occ: dict = None
    plan: list = None
    diff: dict = None
    error: str = None
    warnings: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class _Vnf:
    """One VNF of a run: its preview (lcm snapshot and plan), then what running it gave."""
    snap: object
    plan: object = None
    result: object = None
    error: str = None
    ran: bool = False


def _executor(ctx, plan):
    return Executor(ctx.api, plan, Settings(max_concurrency=ctx.opts.max_concurrency, timeout=ctx.opts.timeout, wait=ctx.opts.wait))


def _anchor_action(plan):
    return M.Action(M.CREATE, 'anchor', M.ANCHOR, T.ns_anchor_name(plan.name), tags=plan.anchor_tags(), detail='NS record')


def _occurrence(op_id, operation, ns_id, start, state, **more):
    return S.ns_lcm_op_occ(dict(more, op_id=op_id, operation=operation, ns_id=ns_id, start=start, end=time.time(), state=state))


class Instantiate:
    """One INSTANTIATE run of an NS (a rerun resumes; see the module doc)."""

    def __init__(self, ctx, plan):
        self.ctx, self.api, self.opts, self.plan = ctx, ctx.api, ctx.opts, plan
        self.vnfs, self.op_id, self.start = {}, ctx.op_id or str(uuid.uuid4()), time.time()
        self.link_outcome = self.lock = self.snap = self.link_plan = None
        self.anchor_todo = False

    # --- look ----------------------------------------------------------------------------------------------

    def wire(self, snap):
        """Each VNF's VduCps on its NS VL's network (by id; a stand-in for a VL not created yet: the preview plans)."""
        for part in self.plan.vnfs.values():
            part.req.planned_networks = {}
            for cp, vl in part.cp_links.items():
                net = snap.network(vl)
                if net is None:
                    ref = self.plan.vls[vl].net_name
                    part.req.planned_networks[ref] = links.stand_in(self.plan.vls[vl])
                else:
                    ref = net['id']
                part.req.ext_links[cp] = M.ExtLink(cpd_id=cp, network=ref)

    def _preview(self, node, snap, api):
        """The VNF's converge look on its slice of the NS's one discovery, through ``api`` (a ``ReadCache``: the
        VNFs' same environment reads are made once)."""
        part = self.plan.vnfs[node]
        snap, plan = L.Converge(self._vnf_ctx(api), part.pkg, part.flavour, part.req, snap=snap).look()
        return _Vnf(snap=snap, plan=plan)

    def _vnf_ctx(self, api=None):
        return Context(api=api or self.api, opts=self.opts, diff=self.ctx.diff, project_id=self.ctx.project_id)

    def keep_recorded_scale(self, anchor):
        """An NS asked for no other level than its recorded one keeps its recorded numbers of VNF instances and NS
        scale levels (an NS scaled by ``ns_scale`` is not scaled back by ``ns``)."""
        marks = T.parse_tags((anchor or {}).get('tags'))
        if anchor is None or not marks.get('level'):
            return
        if self.plan.level_asked not in (None, marks['level']):
            raise LcmError('NS %s is at NS instantiation level %s: scale it to level %s with telco.nfvo.ns_scale'
                           % (self.plan.name, marks['level'], self.plan.level_asked))
        recorded = member_counts(anchor)
        self.plan.level_id, self.plan.scale_levels = marks['level'], recorded_scale(anchor)
        resize(self.ctx.project_id, self.plan, {n: recorded.get(n, self.plan.counts()[n]) for n in self.plan.counts()})

    def look(self):
        self.snap = links.discover(self.api, self.plan.ns_id, self.plan.name, need_cidrs=links.needs_cidrs(self.plan))
        reflavour(self.ctx.project_id, self.plan, recorded_dfs(self.snap.anchor))  # a CHANGE_VNF_DF stays unless the task names a flavour
        self.keep_recorded_scale(self.snap.anchor)
        self.link_plan = links.plan_links(self.plan, self.snap)
        self.wire(self.snap)
        snaps = discover(self.api, [(part.req.instance_id, part.req.vnf_name) for part in self.plan.vnfs.values()])
        reads = ReadCache(self.api)
        self.vnfs = run_concurrently({node: (lambda n=node: self._preview(n, snaps[self.plan.vnfs[n].req.instance_id], reads))
                                      for node in self.plan.vnfs}, self.opts.max_concurrency)
        anchor = self.snap.anchor
        self.anchor_todo = anchor is None or sorted(anchor.get('tags') or []) != sorted(self.plan.anchor_tags())
        return self.anchor_todo or not self.link_plan.empty or any(not v.plan.empty for v in self.vnfs.values())

    def whole_plan(self):
        """The NS plan: the record, the VLs, then each VNF's actions (with its node as ``vnf``)."""
        out = []
        if self.anchor_todo:
            action = 'create' if self.snap.anchor is None else 'update'
            out.append({'action': action, 'kind': 'ns_anchor', 'key': 'ns_anchor', 'vnf': None, 'name': T.ns_anchor_name(self.plan.name),
                        'summary': '%s NS record %s' % (action, T.ns_anchor_name(self.plan.name))})
        out += [dict(a, vnf=None) for a in self.link_plan.to_list()]
        for batch in self.plan.batches:
            for node in batch:
                out += [dict(a, vnf=node) for a in self.vnfs[node].plan.to_list()]
        return out

    def summaries(self, after=False):
        out = {}
        for node, v in self.vnfs.items():
            before = V.summary(v.snap)
            out[node] = V.summary_after(before, v.plan) if after else before
        return out

    # --- run -----------------------------------------------------------------------------------------------

    def run(self):
        changes = self.look()
        before = S.ns_summary(self.snap, self.summaries())
        if not changes or self.opts.check_mode:
            diff = None
            if self.ctx.diff:
                after = dict(before, nsState='INSTANTIATED', vnfs=self.summaries(after=changes),
                             virtualLinks=sorted(self.plan.vls) if changes else before['virtualLinks'])
                diff = {'before': before, 'after': after}
            return NsResult(changed=changes, ns_instance=self.instance(), plan=self.whole_plan() if self.opts.check_mode else None, diff=diff,
                            warnings=self.warnings())
        self.lock = Lock(self.api, self.plan.name, self.op_id, self.opts.timeout, kind='NS', anchor_name=T.ns_anchor_name(self.plan.name))
        anchor = self.lock.acquire(self.snap.anchor, _anchor_action(self.plan))
        state, error = 'FAILED_TEMP', None
        try:
            if not self.lock.created and self.anchor_todo:
                self.api.put('network', '/security-groups/%s/tags' % anchor['id'], {'tags': self.plan.anchor_tags()})
            error = self._execute()
            state = self._settle(error)
        finally:
            self.lock.release(op_record(self.op_id, 'INSTANTIATE', state))
        self.snap = links.discover(self.api, self.plan.ns_id, self.plan.name)
        occ = _occurrence(self.op_id, 'INSTANTIATE', self.plan.ns_id, self.start, state, error=error, vnfs=self._affected(state), vls=self._affected_vls(),
                          params={'nsFlavourId': self.plan.flavour_id, 'nsInstantiationLevelId': self.plan.level_id})
        diff = {'before': before, 'after': S.ns_summary(self.snap, {n: self._after(n) for n in self.vnfs})} if self.ctx.diff else None
        return NsResult(changed=True, ns_instance=self.instance(), ns_lcm_op_occ=occ, diff=diff, error=error, warnings=self.warnings())

    def _execute(self):
        """Create the VLs, then the VNFs batch by batch. Returns the error (None when all succeeded)."""
        self.link_outcome = _executor(self.ctx, self.link_plan).run()
        if not self.link_outcome.ok:
            return self.link_outcome.error
        self.snap = links.discover(self.api, self.plan.ns_id, self.plan.name)
        self.wire(self.snap)
        errors = []
        for batch in self.plan.batches:
            jobs = {}
            for node in batch:
                needs = self.plan.vnfs[node].depends_on
                failed = sorted({p.node for k, p in self.plan.vnfs.items() if p.node in needs and k in self.vnfs and not self._ok(k)})
                if failed:
                    self.vnfs[node].error = 'not instantiated: it depends on %s, which failed' % ', '.join(failed)
                elif not self.vnfs[node].plan.empty:
                    jobs[node] = (lambda n=node: self._run_vnf(n))
            if jobs:
                run_concurrently(jobs, self.opts.max_concurrency)
            errors += ['VNF %s: %s' % (n, self.vnfs[n].error) for n in batch if self.vnfs[n].error]
        return '; '.join(errors) or None

    def _run_vnf(self, node):
        part, vnf = self.plan.vnfs[node], self.vnfs[node]
        vnf.ran = True
        try:
            op = L.Converge(self._vnf_ctx(), part.pkg, part.flavour, part.req, snap=vnf.snap)
            op.environment = self._environment(part, vnf.snap)
            vnf.result = op.run()
            vnf.error = vnf.result.error
        except NfvoError as exc:
            vnf.error = str(exc)

    def _environment(self, part, snap):
        """True when the preview's environment (flavors, images, networks) still holds for the run, its NS VL networks
        now the ones made (``self.snap``): then the run does not read it again. Not when the VNF allocates CIDRs from
        cidr_pool (VLs made since, by the NS or an earlier batch, use some) or fixed IPs are given (the subnets of
        those networks are read with them)."""
        if L.needs_pool_cidrs(part.req, part.flavour) or L.fixed_ips_given(part.req):
            return False
        for vl in set(part.cp_links.values()):
            net = self.snap.network(vl)
            if net is None:
                return False
            snap.ext_networks[net['id']] = net
        return True

    def _ok(self, node):
        return self.vnfs[node].error is None

    def _settle(self, error):
        if error is None:
            return 'COMPLETED'
        if self.opts.on_failure == 'keep':
            return 'PARTIALLY_COMPLETED' if any(self._ok(n) for n in self.vnfs) else 'FAILED_TEMP'
        return 'ROLLED_BACK' if self._rollback() else 'FAILED_TEMP'

    def _rollback(self):
        """Remove what this run created: its new VNFs (reverse order), its VLs, the record if it is new. True when all went."""
        ok = True
        opts = dataclasses.replace(self.opts, termination_type='forceful')
        ctx = Context(api=self.api, opts=opts, project_id=self.ctx.project_id)
        for batch in reversed(self.plan.batches):
            new = [n for n in batch if self.vnfs[n].ran and self.vnfs[n].snap.anchor is None]
            done = run_concurrently({n: (lambda n=n: L.terminate(ctx, self.plan.vnfs[n].req.instance_id, self.plan.vnfs[n].req.vnf_name))
                                     for n in new}, self.opts.max_concurrency) if new else {}
            ok = ok and all(r.error is None for r in done.values())
        created = [(kind, key, res) for kind, key, res in (self.link_outcome.created if self.link_outcome else []) if kind == 'network']
        if ok and created:
            plan = M.Plan(operation='ROLLBACK', instance_id=self.plan.ns_id, vnf_name=self.plan.name)
            plan.actions = [delete_action(kind, key, res) for kind, key, res in created]
            ok = _executor(self.ctx, plan).run().ok
        if ok and self.lock.created:
            self.api.delete('network', '/security-groups/%s' % self.lock.anchor['id'])
            self.lock.anchor = None
        return ok

    # --- results -------------------------------------------------------------------------------------------

    def _after(self, node):
        vnf = self.vnfs[node]
        if vnf.result is not None and vnf.result.diff:
            return vnf.result.diff['after']
        return V.summary(vnf.snap)

    def _instances(self):
        out = []
        for node in sorted(self.vnfs):
            vnf = self.vnfs[node]
            out.append(vnf.result.vnf_instance if vnf.result is not None else V.vnf_instance(vnf.snap))
        return out

    def instance(self):
        return S.ns_instance(self.snap, self._instances(), nodes={p.req.instance_id: p.node for p in self.plan.vnfs.values()})

    def _affected(self, state):
        out = []
        for node in sorted(self.vnfs):
            vnf, part = self.vnfs[node], self.plan.vnfs[node]
            if not vnf.ran and vnf.error is None:
                continue
            occ = (vnf.result.lcm_op_occ if vnf.result is not None else None) or {}
            result = 'COMPLETED' if vnf.error is None else ('ROLLED_BACK' if state == 'ROLLED_BACK' else 'FAILED')
            out.append((part.node, part.req.instance_id, part.req.vnfd_id, 'ADD' if vnf.snap.anchor is None else 'MODIFY', result, occ.get('id')))
        return out

    def _affected_vls(self):
        return [(key.split('/', 1)[1], res['id'], 'ADD') for kind, key, res in (self.link_outcome.created if self.link_outcome else [])
                if kind == 'network']

    def warnings(self):
        out = list(self.plan.warnings)
        for node in sorted(self.vnfs):
            vnf = self.vnfs[node]
            out += ['VNF %s: %s' % (node, w) for w in (vnf.result.warnings if vnf.result is not None else vnf.plan.warnings)]
        return out


def instantiate(ctx, plan):
    """Make NS ``plan`` exist (INSTANTIATE; a rerun resumes or does nothing)."""
    return Instantiate(ctx, plan).run()


# ---------------------------------------------------------------------------------------------------------------
# terminate

def _vnfs_of(api, project_id, snap):
    """[(VNF instance id, VNF name, batch)] of an NS: the record's VNF members and every VNF anchor marked with the NS."""
    batch_of, dummy = members(snap.anchor)
    found = {T.vnf_instance_id(project_id, T.ns_vnf_name(snap.name, key)): (T.ns_vnf_name(snap.name, key), batch_of[node])
             for key, node in member_names(snap.anchor).items()}
    for a in find_anchors(api, ns_id=snap.ns_id):
        marks = T.parse_tags(a.get('tags'))
        found.setdefault(marks.get('vnf'), (marks.get('vnf_name'), max(batch_of.values() or [0]) + 1))
    return [(iid, name, batch) for iid, (name, batch) in sorted(found.items()) if iid]


def terminate(ctx, project_id, name):
    """Delete the NS: its VNFs in reverse deployment order (each batch concurrently), its VLs, its record (TERMINATE)."""
    api, opts, start = ctx.api, ctx.opts, time.time()
    ns_id = T.ns_instance_id(project_id, name)
    snap = links.discover(api, ns_id, name)
    vnfs = _vnfs_of(api, project_id, snap)
    vsnaps = discover(api, [(iid, vname) for iid, vname, dummy in vnfs])
    live = [(iid, vname, batch) for iid, vname, batch in vnfs if not vsnaps[iid].is_empty()]
    before = S.ns_summary(snap, {vname: V.summary(vsnaps[iid]) for iid, vname, dummy in live})
    gone = S.ns_summary(NsSnapshot(ns_id=ns_id, name=name), {})
    if snap.is_empty() and not live:
        return NsResult(changed=False, ns_instance=S.ns_instance(snap, []), plan=[] if opts.check_mode else None,
                        diff={'before': before, 'after': before} if ctx.diff else None)
    if opts.check_mode:
        plan = []
        for iid, vname, dummy in live:
            plan += [dict(a, vnf=vname) for a in plan_terminate(vsnaps[iid], graceful=opts.termination_type == 'graceful').to_list()]
        plan += [dict(a, vnf=None) for a in links.plan_unlink(snap, name).to_list()]
        if snap.anchor is not None:
            plan.append({'action': 'delete', 'kind': 'ns_anchor', 'key': 'ns_anchor', 'vnf': None, 'name': snap.anchor.get('name'), 'id': snap.anchor['id'],
                         'summary': 'delete NS record %s' % snap.anchor.get('name')})
        return NsResult(changed=True, ns_instance=S.ns_instance(snap, [V.vnf_instance(vsnaps[i]) for i, dummy, dummy2 in live]), plan=plan,
                        diff={'before': before, 'after': gone} if ctx.diff else None)
    op_id = ctx.op_id or str(uuid.uuid4())
    lock = Lock(api, name, op_id, opts.timeout, kind='NS', anchor_name=T.ns_anchor_name(name))
    if snap.anchor is not None:
        lock.acquire(snap.anchor)
    state, errors, affected = 'FAILED_TEMP', [], []
    vctx = Context(api=api, opts=opts, project_id=project_id)
    try:
        for batch in reverse_batches({(iid, vname): b for iid, vname, b in live}):
            done = run_concurrently({key: (lambda k=key: _terminate_vnf(vctx, k)) for key in batch}, opts.max_concurrency)
            for (iid, vname), (result, error) in sorted(done.items()):
                vnf_op = (result.lcm_op_occ or {}).get('id') if result else None
                affected.append((vname, iid, None, 'REMOVE', 'COMPLETED' if error is None else 'FAILED', vnf_op))
                if error:
                    errors.append('VNF %s: %s' % (vname, error))
            if errors:
                break
        if not errors:
            outcome = _executor(ctx, links.plan_unlink(snap, name)).run()
            errors += [outcome.error] if not outcome.ok else []
        if not errors and lock.anchor is not None:
            api.delete('network', '/security-groups/%s' % lock.anchor['id'])
            lock.anchor = None
        state = 'FAILED_TEMP' if errors else 'COMPLETED'
    finally:
        lock.release(op_record(op_id, 'TERMINATE', state))
    error = '; '.join(errors) or None
    after = links.discover(api, ns_id, name)
    occ = _occurrence(op_id, 'TERMINATE', ns_id, start, state, error=error, vnfs=affected,
                      vls=[] if error else [(T.parse_tags(n.get('tags')).get('vl'), n['id'], 'REMOVE') for n in snap.networks],
                      params={'terminationType': opts.termination_type.upper()})
    return NsResult(changed=True, ns_instance=S.ns_instance(after, []), ns_lcm_op_occ=occ,
                    diff={'before': before, 'after': S.ns_summary(after, {})} if ctx.diff else None, error=error)


def _terminate_vnf(ctx, key):
    """(lcm Result, error) of terminating VNF instance ``key`` = (instance id, name)."""
    try:
        result = L.terminate(ctx, key[0], key[1])
        return result, result.error
    except NfvoError as exc:
        return None, str(exc)


# ---------------------------------------------------------------------------------------------------------------
# ns_info

def list_ns(api, project_id, name=None):
    """NsInstance dicts (with drift) of the NS instances of the project (``name``: that one)."""
    params = {'tags': T.tag('role', 'ns-anchor')}
    if name:
        params['name'] = T.ns_anchor_name(name)
    out = []
    for anchor in api.list('network', '/security-groups', 'security_groups', params=params):
        marks = T.parse_tags(anchor.get('tags'))
        if not marks.get('ns'):
            continue
        snap = links.discover(api, marks['ns'], marks.get('ns_name'))
        vnfs = L.list_instances(api, ns_id=marks['ns'])
        nodes = {T.vnf_instance_id(project_id, T.ns_vnf_name(snap.name, key)): n for key, n in member_names(snap.anchor).items()}
        out.append(S.ns_instance(snap, vnfs, nodes=nodes, drift_items=S.ns_drift(snap, vnfs)))
    return out
