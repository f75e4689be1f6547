# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VNF lifecycle operations: instantiate (converge) and terminate, as discover -> plan -> lock -> apply -> record.

The instance record ("anchor") is a Neutron security group named ``nfvo-vnf-<name>``, with no port using it:

- its tags (``tags.py``): ``nfvo:role=anchor``, the identity (``nfvo:vnf``, ``nfvo:vnf_name``, ``nfvo:vnfd``,
  ``nfvo:vnfd_version``, ``nfvo:flavour``, ``nfvo:ns``), the instantiation level ``nfvo:level=<id>``, one
  ``nfvo:scale=<aspect>:<level>`` per aspect and one ``nfvo:want=<VDU>:<count>`` per VDU — so ``vnf_info`` and the
  inventory know the intended counts without the package — and one ``nfvo:image=<VDU or storage>:<Glance id>`` per
  image mapped with ``images:`` or used by its servers, not onboarded (while Neutron's 50 tags allow), for VDUs made
  again with no VNFC left;
- its description: compact JSON ``{"lock": {"op": <op id>, "exp": <epoch>}, "op": {"id", "type", "state", "at"}}``
  — the lock and the last LCM operation.

Lock: a run that has something to change takes the lock by updating the description with
``If-Match: revision_number=<n>`` (Neutron's compare-and-swap): of two concurrent runs exactly one succeeds; the
other gets HTTP 412 and fails with a clear message. A lock whose ``exp`` (start + timeout + 5 min) has passed is
stale and is taken over. When the anchor does not exist yet, the run creates it holding the lock, then lists
anchors of that name: if another run created one too, it deletes its own and fails (both may fail; never both
act). Runs with nothing to change (and check mode) neither lock nor write anything.
"""
from __future__ import annotations

import dataclasses
import time
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge, plan_delete, plan_terminate
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import ANCHOR, CREATE, Request, Snapshot
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import normalize_ext_virtual_links
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback import recording as usage_events
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import anchors_by_name, discover, discover_environment, find_anchors
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Executor, Settings

LOCK_GRACE = 300


# argument specs the lifecycle modules share; their documentation is doc_fragments/lcm.py
def run_options():
    return dict(timeout=dict(type='int', default=1800), max_concurrency=dict(type='int', default=10))


def new_vnfc_options():
    return dict(package=dict(type='path'), images=dict(type='dict', default={}), ext_virtual_links=dict(type='raw'),
                additional_params=dict(type='dict', default={}))


def on_failure_option():
    return dict(on_failure=dict(type='str', choices=['rollback', 'keep'], default='rollback'))


@dataclasses.dataclass
class Options:
    """How an operation runs (from the module's options)."""
    check_mode: bool = False
    on_failure: str = 'rollback'
    wait: bool = True
    timeout: int = 1800
    max_concurrency: int = 10
    termination_type: str = 'graceful'
    graceful_termination_timeout: int = 60
    describe: object = str  # error -> one line


@dataclasses.dataclass
class Result:
    """What a lifecycle module returns."""
    changed: bool = False
    vnf_instance: dict = None
    lcm_op_occ: dict = None
    plan: list = None
    diff: dict = None
    error: str = None
    warnings: list = dataclasses.field(default_factory=list)


def build_request(project_id, name, pkg, flavour_id, instantiation_level_id=None, ext_virtual_links=None,
                  additional_params=None, images=None, create_flavors=False, cidr_pool=None, security_group=None, ns_id=None):
    vnfd = pkg.vnfd
    try:
        flavour = vnfd.flavour(flavour_id)
        links = normalize_ext_virtual_links(ext_virtual_links)
    except ValueError as exc:
        raise LcmError(str(exc))
    if isinstance(cidr_pool, str):
        cidr_pool = [cidr_pool]
    rules = None
    if security_group is not None:
        rules = list((security_group or {}).get('rules') or [])
    req = Request(vnf_name=name, instance_id=T.vnf_instance_id(project_id, name), vnfd_id=vnfd.descriptor_id,
                  vnfd_version=vnfd.descriptor_version, flavour_id=flavour.flavour_id,
                  instantiation_level_id=instantiation_level_id, ext_links=links,
                  additional_params=dict(additional_params or {}), images=dict(images or {}),
                  create_flavors=bool(create_flavors), cidr_pool=list(cidr_pool or []), security_group_rules=rules, ns_id=ns_id)
    return req, flavour


# ---------------------------------------------------------------------------------------------------------------
# lock

class Lock:
    def __init__(self, api, vnf_name, op_id, ttl):
        self.api, self.vnf_name, self.op_id, self.ttl = api, vnf_name, op_id, ttl
        self.anchor = None
        self.created = False

    def _lock(self):
        return {'op': self.op_id, 'exp': int(time.time() + self.ttl)}

    def _busy(self, holder):
        until = V.now_iso(holder.get('exp')) if holder and holder.get('exp') else 'unknown'
        return LcmError('VNF %s is locked by another run (LCM operation %s; the lock goes stale at %s): wait for it to finish and run again'
                        % (self.vnf_name, (holder or {}).get('op', 'unknown'), until))

    def acquire(self, anchor, create_action=None):
        """Take the lock on ``anchor`` (or create the anchor holding it). Returns the anchor."""
        if anchor is None:
            body = {'name': create_action.name, 'description': V.encode_record({'lock': self._lock()})}
            res = self.api.post('network', '/security-groups', {'security_group': body})['security_group']
            self.created = True
            self.anchor = res
            try:
                res['tags'] = self.api.put('network', '/security-groups/%s/tags' % res['id'], {'tags': list(create_action.tags)}).get('tags')
                others = [g for g in anchors_by_name(self.api, self.vnf_name) if g['id'] != res['id']]
            except Exception:
                self.api.delete('network', '/security-groups/%s' % res['id'])
                raise
            if others:
                self.api.delete('network', '/security-groups/%s' % res['id'])
                self.anchor, self.created = None, False
                raise self._busy(V.read_record(others[0]).get('lock') or {'op': 'instantiating'})
            return res
        holder = V.read_record(anchor).get('lock')
        if holder and holder.get('exp', 0) > time.time() and holder.get('op') != self.op_id:
            raise self._busy(holder)
        record = V.read_record(anchor)
        record['lock'] = self._lock()
        try:
            res = self.api.put('network', '/security-groups/%s' % anchor['id'], {'security_group': {'description': V.encode_record(record)}},
                               headers={'If-Match': 'revision_number=%s' % anchor.get('revision_number')})['security_group']
        except CloudError as exc:
            if exc.status == 412:
                fresh = self.api.get('network', '/security-groups/%s' % anchor['id'], ok_missing=True)
                raise self._busy(V.read_record((fresh or {}).get('security_group')).get('lock') or {'op': 'unknown'})
            raise
        self.anchor = res
        return res

    def release(self, op_record):
        """Drop the lock and record the operation (no-op when the anchor is gone)."""
        if self.anchor is None:
            return
        record = {'op': op_record}
        try:
            self.api.put('network', '/security-groups/%s' % self.anchor['id'], {'security_group': {'description': V.encode_record(record)}},
                         ok_missing=True)
        except CloudError:
            pass


def _op_record(op_id, operation, state, snap=None, extra=None):
    """The operation as the anchor records it. A FAILED_TEMP one also keeps what ``vnf_lcm_op_occ`` needs to roll it
    back from any machine: ``prev`` = the levels and VDU counts before it (``l``, ``s``, ``w``; none for INSTANTIATE)."""
    out = {'id': op_id, 'type': operation, 'state': state, 'at': int(time.time())}
    if state == 'FAILED_TEMP':
        rec = V.record_of(snap) if snap is not None else None
        old = ((rec or {}).get('record') or {}).get('op') or {}
        if old.get('id') == op_id and old.get('prev'):  # a retry that failed again: the levels before the first try
            out['prev'] = old['prev']
        elif rec is not None and operation != 'INSTANTIATE':
            out['prev'] = {'l': rec.get('instantiation_level_id'), 's': rec.get('scale_levels') or {}, 'w': rec.get('vdu_instances') or {}}
        out.update(extra or {})
    return out


# ---------------------------------------------------------------------------------------------------------------
# operations

def _discover_one(api, req_or_id, name):
    instance_id = req_or_id if isinstance(req_or_id, str) else req_or_id.instance_id
    return discover(api, [(instance_id, name)])[instance_id]


def _keep_recorded_levels(req, snap):
    """An instantiated VNF asked for no level stays at its recorded levels (a scaled VNF is not scaled back)."""
    rec = V.record_of(snap)
    if rec is not None and req.instantiation_level_id is None and req.scale_levels is None and rec.get('scale_levels'):
        req.instantiation_level_id = rec.get('instantiation_level_id')
        req.scale_levels = dict(rec['scale_levels'])


def _operation_of(snap, plan):
    """INSTANTIATE (or resuming one) when the record is new or at the target; SCALE_TO_LEVEL when the levels move."""
    rec = V.record_of(snap)
    if rec is None or not rec.get('vdu_instances'):
        return 'INSTANTIATE'
    if rec['vdu_instances'] != plan.target.get('vdu_instances') or (rec.get('scale_levels') or {}) != plan.target.get('scale_levels'):
        return 'SCALE_TO_LEVEL'
    return 'INSTANTIATE'


def _plan_instantiate(api, pkg, flavour, req, snap=None, operation=None):
    snap = snap or _discover_one(api, req, req.vnf_name)
    _keep_recorded_levels(req, snap)
    networks = sorted({link.network for link in req.ext_links.values()})
    need_cidrs = bool(req.cidr_pool) and any(not vl.cidr for vl in flavour.virtual_links.values())
    discover_environment(api, snap, req.vnfd_id, images=set(req.images.values()) | set(req.known_images.values()), networks=networks,
                         need_cidrs=need_cidrs)
    try:
        plan = plan_converge(pkg.vnfd, flavour, req, snap)
    except PlanError as exc:
        raise LcmError(str(exc))
    plan.operation = operation or _operation_of(snap, plan)
    return snap, plan


def preview_result(snap, plan, opts, diff, before):
    """The Result of an operation that makes no write: nothing to do, or check mode (the plan). None otherwise."""
    if plan.empty:
        return Result(changed=False, vnf_instance=V.vnf_instance(snap), plan=[] if opts.check_mode else None,
                      diff={'before': before, 'after': before} if diff else None, warnings=plan.warnings)
    if opts.check_mode:
        return Result(changed=True, vnf_instance=V.vnf_instance(snap), plan=plan.to_list(),
                      diff={'before': before, 'after': V.summary_after(before, plan)} if diff else None, warnings=plan.warnings)
    return None


def instantiate(api, pkg, flavour, req, opts, diff=False, operation=None, params=None, op_id=None, snap=None):
    """Make the VNF instance exist as requested (INSTANTIATE; a re-run resumes or does nothing; SCALE_TO_LEVEL when an
    instantiated VNF is asked for other levels; ``operation`` names it for SCALE, HEAL and retries). ``snap``: the
    instance as the caller just discovered it (else discovered here)."""
    start = time.time()
    op_id = op_id or str(uuid.uuid4())
    snap, plan = _plan_instantiate(api, pkg, flavour, req, snap=snap, operation=operation)
    before = V.summary(snap)
    preview = preview_result(snap, plan, opts, diff, before)
    if preview:
        return preview

    lock = Lock(api, req.vnf_name, op_id, (opts.timeout or 1800) + LOCK_GRACE)
    anchor = lock.acquire(snap.anchor, plan.find(CREATE, ANCHOR))
    outcome = rollback = None
    state = 'FAILED_TEMP'
    if not lock.created:  # another run may have acted between our first look and the lock
        try:
            snap, plan = _plan_instantiate(api, pkg, flavour, req, operation=operation)
        except Exception:
            lock.release(V.read_record(snap.anchor).get('op'))
            raise
        before = V.summary(snap)
        if plan.empty:  # it did all we wanted: nothing left to do
            lock.release(V.read_record(snap.anchor).get('op'))
            return Result(changed=False, vnf_instance=V.vnf_instance(snap), diff={'before': before, 'after': before} if diff else None,
                          warnings=plan.warnings)
    try:
        old_anchor_tags = list((snap.anchor or {}).get('tags') or [])
        done = {'%s:%s' % (CREATE, ANCHOR)} if lock.created else set()
        ex = Executor(api, plan, Settings(max_concurrency=opts.max_concurrency, timeout=opts.timeout, wait=opts.wait,
                                          describe=opts.describe, settle_on_failure=opts.on_failure == 'keep'),
                      done_keys=done, ids={ANCHOR: anchor['id']})
        outcome = ex.run()
        if lock.created:
            outcome.created.insert(0, ('anchor', ANCHOR, anchor))
        if outcome.ok:
            state = 'COMPLETED'
        elif opts.on_failure == 'rollback':
            rollback = _rollback(api, snap, plan, outcome, opts, old_anchor_tags, anchor, lock)
            state = 'ROLLED_BACK' if rollback.ok else 'FAILED_TEMP'
    finally:
        lock.release(_op_record(op_id, plan.operation, state, snap))
    error = outcome.error if outcome else None
    if rollback is not None and not rollback.ok:
        error = '%s; rollback failed too: %s' % (error, rollback.error)
    after_snap = _discover_one(api, req, req.vnf_name)
    created = list(outcome.created) if outcome else []
    deleted = list(outcome.deleted) if outcome else []
    if rollback is not None:
        deleted += rollback.deleted
    occ = V.lcm_op_occ(V.Occurrence(op_id, plan.operation, state, req.instance_id, start, time.time(), created, deleted, error=error,
                                    status=outcome.status if outcome else None,
                                    params=params or {'flavourId': req.flavour_id, 'instantiationLevelId': plan.target.get('instantiation_level_id'),
                                                      'scaleLevels': plan.target.get('scale_levels')}))
    after = V.summary(after_snap)
    return Result(changed=True, vnf_instance=V.vnf_instance(after_snap), lcm_op_occ=occ,
                  diff={'before': before, 'after': after} if diff else None, error=error, warnings=plan.warnings)


def _rollback(api, snap, plan, outcome, opts, old_anchor_tags, anchor, lock):
    """Delete what this operation created (servers first, ports before networks, the anchor last if it is new)."""
    rb_plan = plan_delete(snap, outcome.created, operation='ROLLBACK')
    rb_plan.instance_id, rb_plan.vnf_name = plan.instance_id, plan.vnf_name
    ex = Executor(api, rb_plan, Settings(max_concurrency=opts.max_concurrency, timeout=opts.timeout, wait=True, describe=opts.describe))
    result = ex.run()
    if result.ok and any(k == ANCHOR for _kind, k, _r in outcome.created):
        lock.anchor = None  # deleted with the rest
    elif result.ok and any(k == ANCHOR for _kind, k, _r in outcome.updated):
        api.put('network', '/security-groups/%s/tags' % anchor['id'], {'tags': old_anchor_tags})
    return result


def terminate(api, instance_id, name, opts, diff=False):
    """Delete every resource of the instance (TERMINATE); nothing to do when there is none."""
    start = time.time()
    op_id = str(uuid.uuid4())
    snap = _discover_one(api, instance_id, name)
    before = V.summary(snap)
    not_instantiated = {'instantiationState': 'NOT_INSTANTIATED'}
    if snap.is_empty():
        return Result(changed=False, vnf_instance=V.vnf_instance(snap), plan=[] if opts.check_mode else None,
                      diff={'before': before, 'after': before} if diff else None)
    graceful = opts.termination_type == 'graceful'
    plan = plan_terminate(snap, graceful=graceful)
    if opts.check_mode:
        return Result(changed=True, vnf_instance=V.vnf_instance(snap), plan=plan.to_list(),
                      diff={'before': before, 'after': not_instantiated} if diff else None)
    lock = Lock(api, name, op_id, (opts.timeout or 1800) + LOCK_GRACE)
    if snap.anchor is not None:
        lock.acquire(snap.anchor)
        snap = _discover_one(api, instance_id, name)
        plan = plan_terminate(snap, graceful=graceful)
    state = 'FAILED_TEMP'
    outcome = None
    try:
        ex = Executor(api, plan, Settings(max_concurrency=opts.max_concurrency, timeout=opts.timeout, wait=True,
                                          graceful_timeout=opts.graceful_termination_timeout, describe=opts.describe))
        outcome = ex.run()
        if outcome.ok:
            state = 'COMPLETED'
            lock.anchor = None  # deleted
    finally:
        lock.release(_op_record(op_id, 'TERMINATE', state))
    after_snap = _discover_one(api, instance_id, name) if not outcome or not outcome.ok else Snapshot(instance_id=instance_id, vnf_name=name)
    occ = V.lcm_op_occ(V.Occurrence(op_id, 'TERMINATE', state, instance_id, start, time.time(), (), outcome.deleted if outcome else (),
                                    error=outcome.error if outcome else None, status=outcome.status if outcome else None,
                                    params={'terminationType': opts.termination_type.upper(),
                                            'gracefulTerminationTimeout': opts.graceful_termination_timeout}))
    return Result(changed=True, vnf_instance=V.vnf_instance(after_snap), lcm_op_occ=occ,
                  diff={'before': before, 'after': V.summary(after_snap)} if diff else None,
                  error=outcome.error if outcome else None)


def list_instances(api, name=None, vnfd_id=None, ns_id=None, project_id=None, package=None, flavour_id=None):
    """VnfInstance dicts (with drift) of the instances matching the filters: ~8 list calls whatever their number."""
    anchors = find_anchors(api, vnf_name=name, vnfd_id=vnfd_id, ns_id=ns_id)
    instances = []
    for a in anchors:
        owners = T.parse_tags(a.get('tags'))
        if owners.get('vnf') and (owners['vnf'], owners.get('vnf_name')) not in instances:
            instances.append((owners['vnf'], owners.get('vnf_name')))
    if name and project_id and not instances:  # no record: maybe resources a failed run kept
        instances = [(T.vnf_instance_id(project_id, name), name)]
    snaps = discover(api, instances)
    out = []
    for instance_id, vnf_name in instances:
        snap = snaps[instance_id]
        if snap.is_empty():
            continue
        plan = None
        rec = V.record_of(snap)
        if package is not None and rec and rec.get('vnfd_id') == package.vnfd.descriptor_id:
            plan = _drift_plan(api, package, snap, rec)
        out.append(V.vnf_instance(snap, drift_items=V.drift(snap, plan)))
    return out


def _drift_plan(api, pkg, snap, rec):
    """The converge plan against the package at the recorded levels: what is missing beyond server counts."""
    try:
        flavour = pkg.vnfd.flavour(rec['flavour_id'])
        req = Request(vnf_name=snap.vnf_name, instance_id=snap.instance_id, vnfd_id=rec['vnfd_id'], vnfd_version=rec['vnfd_version'],
                      flavour_id=rec['flavour_id'], instantiation_level_id=rec.get('instantiation_level_id'),
                      scale_levels=rec.get('scale_levels') or None, ns_id=rec.get('ns_id'))
        discover_environment(api, snap, rec['vnfd_id'])
        plan = plan_converge(pkg.vnfd, flavour, req, snap)
    except (ValueError, KeyError):
        return None
    # only resources: units whose server must be created need images/ext links we do not know here
    return plan


def connect_api(conn):
    return CloudApi(conn)


# ---------------------------------------------------------------------------------------------------------------
# the modules' entry points (they pass an NfvoModule: params, conn, fail/exit)

def _hide_user_data(module, params):
    """User data may hold secrets: never shown in output or logs (registered as no_log values)."""
    for scope in [params] + list((params.get('vdu_params') or {}).values()):
        value = (scope or {}).get('user_data')
        if value:
            module.ansible.no_log_values.add(str(value))


def run_vnf_module(module):
    from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import describe_error
    from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
    from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

    p = module.params
    _hide_user_data(module, p.get('additional_params') or {})
    opts = Options(check_mode=module.check_mode, on_failure=p['on_failure'], wait=p['wait'], timeout=p['timeout'],
                   max_concurrency=p['max_concurrency'], termination_type=p['termination_type'],
                   graceful_termination_timeout=p['graceful_termination_timeout'], describe=describe_error)
    diff = module.ansible._diff
    api = usage_events.api_for(module)  # a CloudApi that notes the billable changes for usage_events
    name = p['name']
    try:
        if p['state'] == 'absent':
            result = terminate(api, T.vnf_instance_id(module.conn.current_project_id, name), name, opts, diff=diff)
        else:
            try:
                pkg = read_package(p['package'])
            except PackageError as exc:
                raise LcmError('Cannot read VNF package %s: %s' % (p['package'], exc))
            if p.get('vnfd_id') and p['vnfd_id'] != pkg.vnfd.descriptor_id:
                raise LcmError('package %s holds VNFD %s, not %s' % (p['package'], pkg.vnfd.descriptor_id, p['vnfd_id']))
            if p.get('vnfd_version') and p['vnfd_version'] != pkg.vnfd.descriptor_version:
                raise LcmError('package %s holds version %s of VNFD %s, not %s'
                               % (p['package'], pkg.vnfd.descriptor_version, pkg.vnfd.descriptor_id, p['vnfd_version']))
            flavour_id = p.get('flavour_id')
            if not flavour_id:
                if len(pkg.vnfd.flavours) != 1:
                    raise LcmError('VNFD %s has flavours %s: choose one with flavour_id' % (pkg.vnfd.descriptor_id, ', '.join(pkg.vnfd.flavours)))
                flavour_id = next(iter(pkg.vnfd.flavours))
            req, flavour = build_request(module.conn.current_project_id, name, pkg, flavour_id, p.get('instantiation_level_id'),
                                         p.get('ext_virtual_links'), p.get('additional_params'), p.get('images'), p.get('create_flavors'),
                                         p.get('cidr_pool'), p.get('security_group'), p.get('ns_instance_id'))
            if p.get('scale_levels') is not None:
                req.scale_levels = {str(k): int(v) if str(v).isdigit() else v for k, v in p['scale_levels'].items()}
            result = instantiate(api, pkg, flavour, req, opts, diff=diff)
            if p.get('vnf_state'):
                from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operations import converge_vnf_state
                result = converge_vnf_state(api, module.conn.current_project_id, name, result, p, opts, diff)
    except LcmError as exc:
        module.fail(str(exc))
    except CloudError as exc:
        module.fail('Failed to manage VNF %s: %s' % (name, exc))
    except Exception as exc:  # connection errors: one line
        module.fail('Failed to manage VNF %s: %s' % (name, describe_error(exc)))
    finish_module(module, result)


def finish_module(module, result):
    """The module result of every LCM operation (vnf, vnf_scale, vnf_heal, vnf_operate, vnf_lcm_op_occ)."""
    out = {'changed': result.changed, 'vnf_instance': result.vnf_instance,
           'usage_events': usage_events.module_events(module, result)}
    if result.lcm_op_occ is not None:
        out['lcm_op_occ'] = result.lcm_op_occ
    if result.plan is not None:
        out['plan'] = result.plan
    if result.diff is not None:
        out['diff'] = result.diff
    for w in result.warnings:
        module.ansible.warn(w)
    if result.error:
        module.fail(result.error, **out)
    module.exit(**out)


def run_vnf_info_module(module):
    from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import describe_error
    from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
    from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

    p = module.params
    pkg = None
    if p.get('package'):
        try:
            pkg = read_package(p['package'])
        except PackageError as exc:
            module.fail('Cannot read VNF package %s: %s' % (p['package'], exc))
    try:
        api = CloudApi(module.conn)
        found = list_instances(api, name=p.get('name'), vnfd_id=p.get('vnfd_id'), ns_id=p.get('ns_instance_id'),
                               project_id=module.conn.current_project_id, package=pkg)
    except Exception as exc:
        module.fail('Failed to read VNF instances: %s' % describe_error(exc))
    module.exit(changed=False, vnf_instances=found)
