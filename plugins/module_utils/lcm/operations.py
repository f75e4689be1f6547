# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VNF lifecycle operations on an instantiated VNF: SCALE, HEAL, OPERATE, and continuing a FAILED_TEMP occurrence.

Each is discover -> plan (``planner.py``) -> lock -> apply (``executor.py``) -> record (``vnf_lcm.py``):

- SCALE (``vnf_scale``) and SCALE_TO_LEVEL (``vnf`` with ``scale_levels`` / ``instantiation_level_id``) compute
  the aspect levels (``planner.scale_levels_after``), then converge the VDU counts like an instantiation
  (``planner.plan_converge``): missing VNFCs are created, those beyond the counts deleted, newest first.
- HEAL (``vnf_heal``): ``planner.unhealthy_vnfcs`` finds the VNFCs to heal; ``recreate`` converges with those VNFCs
  replaced (their ports and volumes are reused: same fixed IPs), ``reboot`` / ``rebuild`` act on the servers.
- OPERATE (``vnf_operate``): start / stop every server, recording the intended state on the anchor
  (``nfvo:state=STARTED|STOPPED``) so that heal knows a SHUTOFF server is broken only when the VNF should run.
- ``vnf_lcm_op_occ``: the anchor's description records the last operation; a FAILED_TEMP one (``on_failure: keep``)
  holds the levels before it (``prev``) and what to retry. Any runner finds it by id with one list call and
  retries it, rolls it back (deleting the VNFCs beyond the previous counts, or everything for INSTANTIATE) or marks
  it FAILED.

The VNF package is not stored in the cloud: operations that create servers (scale out, heal by recreate, retry)
read it from ``package``. Images, external networks and the VNF security group of the new VNFCs are taken from the
existing ones when the task does not give them.
"""
from __future__ import annotations

import time
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_terminate
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.heal import unhealthy_vnfcs
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import (
    DELETE, REBOOT, REBUILD, START, STARTED, STOP, STOPPED, VNF_SG, ExtLink, index_snapshot, kind_of, split_vnfc_id, vnfc_id)
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operate import plan_server_actions
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.scale import plan_trim, scale_levels_after
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback import recording as usage_events
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError, LcmError, PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import find_anchors
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Executor, Settings
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.flow import (
    LOCK_GRACE, Lock, Options, Result, _discover_one, _op_record, build_request, finish_module, instantiate, preview_result)

RETRYABLE = ('INSTANTIATE', 'SCALE', 'SCALE_TO_LEVEL', 'HEAL', 'OPERATE')


# ---------------------------------------------------------------------------------------------------------------
# reading what exists

def load(api, instance_id, name):
    """(snapshot, record) of an instantiated VNF; LcmError when it is not."""
    snap = _discover_one(api, instance_id, name)
    rec = V.record_of(snap)
    if rec is None or not rec.get('vnfd_id'):
        raise LcmError('VNF %s is not instantiated (no instance record nfvo-vnf-%s in the project)' % (name, name))
    return snap, rec


def read_vnf_package(path, rec, name):
    from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
    from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package
    if not path:
        raise LcmError('VNF %s: this operation creates servers and needs the VNF package (package: <path of VNFD %s>)' % (name, rec['vnfd_id']))
    try:
        pkg = read_package(path)
    except PackageError as exc:
        raise LcmError('Cannot read VNF package %s: %s' % (path, exc))
    if pkg.vnfd.descriptor_id != rec['vnfd_id'] or pkg.vnfd.descriptor_version != rec['vnfd_version']:
        raise LcmError('VNF %s is instantiated from VNFD %s version %s; package %s holds %s version %s'
                       % (name, rec['vnfd_id'], rec['vnfd_version'], path, pkg.vnfd.descriptor_id, pkg.vnfd.descriptor_version))
    return pkg


def request_from_record(project_id, name, pkg, rec, snap, images=None, ext_virtual_links=None, additional_params=None):
    """The converge request of an instantiated VNF at its recorded levels. What the task does not give is taken
    from the VNF's resources: the image of each VDU / storage, the external network of each external CP, the VNF
    security group (kept when it exists)."""
    req, flavour = build_request(project_id, name, pkg, rec['flavour_id'], rec.get('instantiation_level_id'), ext_virtual_links,
                                 additional_params, images, ns_id=rec.get('ns_id'))
    req.scale_levels = dict(rec.get('scale_levels') or {})
    if not req.scale_levels:
        req.scale_levels = None
    existing, dummy = index_snapshot(snap)
    if existing.get(VNF_SG):
        req.security_group_rules = []  # exists: kept as it is
    # the images the instance is known to use, for VDUs / storages the task does not map (heal, scale, retry)
    for server in snap.servers:
        vdu = T.parse_metadata(server.get('metadata')).get('vdu')
        image = server.get('image')
        if vdu and isinstance(image, dict) and image.get('id'):
            req.known_images.setdefault(vdu, image['id'])
    for vol in snap.volumes:
        storage = T.parse_metadata(vol.get('metadata')).get('storage')
        image_id = (vol.get('volume_image_metadata') or {}).get('image_id')
        if storage and image_id:
            req.known_images.setdefault(storage, image_id)
    for node, image_id in (rec.get('images') or {}).items():  # recorded at instantiation: VDUs with no VNFC left
        req.known_images.setdefault(node, image_id)
    for cp_name, cp in flavour.cps.items():
        if cp.virtual_link or cp_name in req.ext_links:
            continue
        port = next((p for p in snap.ports if T.parse_tags(p.get('tags')).get('cp') == cp_name), None)
        if port is not None:
            req.ext_links[cp_name] = ExtLink(cpd_id=cp_name, network=port['network_id'])
    return req, flavour


def _vnfc_ids(snap, counts):
    """Every VNFC of the VNF: the recorded counts' ones and any other that has a server."""
    out = [vnfc_id(vdu, i) for vdu, n in sorted(counts.items()) for i in range(n)]
    for server in snap.servers:
        vnfc = T.parse_metadata(server.get('metadata')).get('vnfc')
        if vnfc and vnfc not in out:
            out.append(vnfc)
    return out


# ---------------------------------------------------------------------------------------------------------------
# running a plan that is not a converge (server actions, trims, terminate-as-rollback)

def run_plan(api, snap, plan, opts, diff, params, op_id=None, final_state='COMPLETED', graceful_timeout=60, modified=False,
             extra=None):
    """Lock, apply ``plan``, record the operation (FAILED_TEMP on failure: server actions are not rolled back)."""
    start = time.time()
    op_id = op_id or str(uuid.uuid4())
    before = V.summary(snap)
    preview = preview_result(snap, plan, opts, diff, before)
    if preview:
        return preview
    lock = Lock(api, plan.vnf_name, op_id, (opts.timeout or 1800) + LOCK_GRACE)
    lock.acquire(snap.anchor)
    state = 'FAILED_TEMP'
    outcome = None
    try:
        ex = Executor(api, plan, Settings(max_concurrency=opts.max_concurrency, timeout=opts.timeout, wait=True,
                                          graceful_timeout=graceful_timeout, describe=opts.describe))
        outcome = ex.run()
        if outcome.ok:
            state = final_state
            if any(a.op == DELETE and a.kind == 'anchor' for a in plan.actions):
                lock.anchor = None
    finally:
        lock.release(_op_record(op_id, plan.operation, state, snap, extra))
    after = _discover_one(api, snap.instance_id, snap.vnf_name)
    mod = [(u[1].split('/')[1], u[2]) for u in outcome.updated if u[0] == 'server'] if modified and outcome else ()
    occ = V.lcm_op_occ(V.Occurrence(op_id, plan.operation, state, snap.instance_id, start, time.time(), outcome.created if outcome else (),
                                    outcome.deleted if outcome else (), error=outcome.error if outcome else None,
                                    status=outcome.status if outcome else None, params=params, modified=mod))
    warnings = list(plan.warnings)
    if outcome and outcome.forced:
        warnings.append('%s did not stop within the graceful stop timeout (%s s): stopped forcefully'
                        % (', '.join(outcome.forced), graceful_timeout))
    return Result(changed=True, vnf_instance=V.vnf_instance(after), lcm_op_occ=occ,
                  diff={'before': before, 'after': V.summary(after)} if diff else None, error=outcome.error if outcome else None,
                  warnings=warnings)


def _recreated(result):
    """Heal by recreate: a VNFC whose server was replaced is MODIFIED, not ADDED + REMOVED."""
    occ = result.lcm_op_occ
    if not occ:
        return result
    vnfcs = occ['resourceChanges']['affectedVnfcs']
    added = {v['id']: v for v in vnfcs if v['changeType'] == 'ADDED'}
    for v in list(vnfcs):
        if v['id'] in added:
            vnfcs.remove(v)
    for vnfc, entry in sorted(added.items()):
        vnfcs.append(dict(entry, changeType='MODIFIED'))
    return result


# ---------------------------------------------------------------------------------------------------------------
# operations

def scale(api, project_id, name, p, opts, diff=False, op_id=None):
    """SCALE one aspect out or in by a number of steps (scale-in removes the newest VNFCs first)."""
    instance_id = T.vnf_instance_id(project_id, name)
    snap, rec = load(api, instance_id, name)
    pkg = read_vnf_package(p.get('package'), rec, name)
    try:
        flavour = pkg.vnfd.flavour(rec['flavour_id'])
        levels = scale_levels_after(flavour, rec.get('scale_levels') or {}, p['aspect_id'], p['type'], p['number_of_steps'])
    except ValueError as exc:
        raise LcmError('Cannot scale VNF %s: %s' % (name, exc))
    req, flavour = request_from_record(project_id, name, pkg, rec, snap, p.get('images'), p.get('ext_virtual_links'), p.get('additional_params'))
    req.scale_levels = levels
    params = {'type': p['type'].upper(), 'aspectId': p['aspect_id'], 'numberOfSteps': p['number_of_steps']}
    return instantiate(api, pkg, flavour, req, opts, diff=diff, operation='SCALE', params=params, op_id=op_id, snap=snap)


def heal(api, project_id, name, p, opts, diff=False, op_id=None):
    """HEAL the given VNFCs (default: every unhealthy one) by reboot, rebuild or recreate."""
    instance_id = T.vnf_instance_id(project_id, name)
    snap, rec = load(api, instance_id, name)
    counts = rec.get('vdu_instances') or {}
    strategy = p.get('strategy') or 'recreate'
    pkg = read_vnf_package(p.get('package'), rec, name) if p.get('package') or strategy == 'recreate' else None
    cps_of = None
    if pkg is not None:
        try:
            flavour = pkg.vnfd.flavour(rec['flavour_id'])
        except ValueError as exc:
            raise LcmError('Cannot heal VNF %s: %s' % (name, exc))
        cps_of = {vdu: list(v.cps) for vdu, v in flavour.vdus.items()}
    should_run = T.parse_tags(snap.anchor.get('tags')).get('state') != STOPPED
    unhealthy = unhealthy_vnfcs(snap, counts, cps_of, should_run)
    known = _vnfc_ids(snap, counts)
    targets = list(p.get('vnfc_instance_ids') or [])
    for vnfc in targets:
        if vnfc not in known:
            raise LcmError("Cannot heal VNF %s: '%s' is not one of its VNFCs (%s)" % (name, vnfc, ', '.join(known) or 'none'))
    if not targets:
        targets = [v for v in known if v in unhealthy]
    params = {'vnfcInstanceId': targets, 'cause': p.get('cause'), 'additionalParams': {'strategy': strategy},
              'unhealthy': {v: unhealthy[v] for v in targets if v in unhealthy}}
    if not targets:
        return Result(changed=False, vnf_instance=V.vnf_instance(snap), plan=[] if opts.check_mode else None,
                      diff={'before': V.summary(snap), 'after': V.summary(snap)} if diff else None)
    if strategy == 'recreate':
        req, flavour = request_from_record(project_id, name, pkg, rec, snap, p.get('images'), p.get('ext_virtual_links'),
                                           p.get('additional_params'))
        req.only = list(targets)
        existing, dummy = index_snapshot(snap)
        req.replace = [v for v in targets if existing.get('server/%s' % v)]
        return _recreated(instantiate(api, pkg, flavour, req, opts, diff=diff, operation='HEAL', params=params, op_id=op_id, snap=snap))
    op = REBOOT if strategy == 'reboot' else REBUILD
    try:
        plan = plan_server_actions(snap, targets, op, 'HEAL', detail=p.get('cause') or '')
    except PlanError as exc:
        raise LcmError('Cannot heal VNF %s: %s' % (name, exc))
    return run_plan(api, snap, plan, opts, diff, params, op_id=op_id, modified=True, extra={'v': targets, 'hs': strategy})


def operate(api, project_id, name, p, opts, diff=False, op_id=None):
    """OPERATE: start or stop every VNFC server (graceful stop: wait up to graceful_stop_timeout, then force)."""
    instance_id = T.vnf_instance_id(project_id, name)
    snap, dummy = load(api, instance_id, name)
    target = STARTED if p['change_state_to'] == 'started' else STOPPED
    op = START if target == STARTED else STOP
    stop_type = p.get('stop_type') or 'graceful'
    tags_after = T.retag(snap.anchor.get('tags'), state=target)
    existing, dummy = index_snapshot(snap)
    vnfcs = sorted((k.split('/', 1)[1] for k in existing if kind_of(k) == 'server' and '#' not in k), key=split_vnfc_id)
    plan = plan_server_actions(snap, vnfcs, op, 'OPERATE', detail=stop_type if op == STOP else '', anchor_tags_after=tags_after)
    for a in plan.actions:
        if a.op == STOP:
            a.spec = {'then_force': True} if stop_type == 'graceful' else {'forceful': True}
    params = {'changeStateTo': target, 'stopType': stop_type.upper() if op == STOP else None,
              'gracefulStopTimeout': p.get('graceful_stop_timeout') if op == STOP else None}
    result = run_plan(api, snap, plan, opts, diff, params, op_id=op_id, graceful_timeout=p.get('graceful_stop_timeout') or 60,
                      extra={'to': target, 'st': stop_type})
    if result.diff is not None and result.changed:
        result.diff['after'] = dict(result.diff['after'], vnfState=target)
        result.diff['before'] = dict(result.diff['before'], vnfState=(V.vnf_instance(snap).get('instantiatedVnfInfo') or {}).get('vnfState'))
    return result


def find_occurrence(api, op_id):
    """(anchor, op record) of the VNF whose last operation is ``op_id``: one list call over the project's anchors."""
    for anchor in find_anchors(api):
        op = V.read_record(anchor).get('op') or {}
        if op.get('id') == op_id:
            return anchor, op
    return None, None


def continue_occurrence(api, project_id, p, opts, diff=False):
    """``vnf_lcm_op_occ``: retry, roll back or fail a FAILED_TEMP occurrence."""
    op_id, action = p['id'], p['action']
    anchor, op = find_occurrence(api, op_id)
    if anchor is None:
        raise LcmError('LCM operation occurrence %s not found: it is not the last operation of any VNF in the project' % op_id)
    owners = T.parse_tags(anchor.get('tags'))
    name, instance_id = owners.get('vnf_name'), owners.get('vnf')
    if op.get('state') != 'FAILED_TEMP':
        if (action, op.get('state')) in (('fail', 'FAILED'), ('rollback', 'ROLLED_BACK'), ('retry', 'COMPLETED')):
            snap = _discover_one(api, instance_id, name)
            return Result(changed=False, vnf_instance=V.vnf_instance(snap), plan=[] if opts.check_mode else None)
        raise LcmError('LCM operation occurrence %s (%s of VNF %s) is %s, not FAILED_TEMP: it cannot be %s'
                       % (op_id, op.get('type'), name, op.get('state'), {'retry': 'retried', 'rollback': 'rolled back', 'fail': 'failed'}[action]))
    kind = op.get('type')
    snap = _discover_one(api, instance_id, name)
    rec = V.record_of(snap)
    if action == 'fail':
        return _mark_failed(api, snap, op, opts, diff)
    if action == 'rollback':
        if kind == 'INSTANTIATE':
            plan = plan_terminate(snap, operation='INSTANTIATE')
            return run_plan(api, snap, plan, opts, diff, {'action': 'ROLLBACK'}, op_id=op_id, final_state='ROLLED_BACK')
        prev = op.get('prev')
        if kind not in ('SCALE', 'SCALE_TO_LEVEL') or not prev:
            raise LcmError('LCM operation occurrence %s (%s of VNF %s) cannot be rolled back: retry it or mark it failed (action: fail)'
                           % (op_id, kind, name))
        want = {k: int(v) for k, v in (prev.get('w') or {}).items()}
        if any(n > (rec.get('vdu_instances') or {}).get(vdu, 0) for vdu, n in want.items()):
            raise LcmError('LCM operation occurrence %s (%s of VNF %s) removed VNFCs: a scale-in cannot be rolled back; retry it'
                           % (op_id, kind, name))
        tags_after = T.retag(snap.anchor.get('tags'), level=prev.get('l'), scale=prev.get('s') or {}, want=want)
        plan = plan_trim(snap, want, operation=kind, anchor_tags_after=tags_after)
        return run_plan(api, snap, plan, opts, diff, {'action': 'ROLLBACK'}, op_id=op_id, final_state='ROLLED_BACK')
    # retry
    if kind not in RETRYABLE:
        raise LcmError('LCM operation occurrence %s (%s of VNF %s) cannot be retried' % (op_id, kind, name))
    opts.on_failure = 'keep'  # a retry that fails again stays FAILED_TEMP: to be retried, rolled back or failed
    if kind == 'OPERATE':
        return operate(api, project_id, name, {'change_state_to': 'started' if op.get('to') == STARTED else 'stopped',
                                               'stop_type': op.get('st') or 'graceful', 'graceful_stop_timeout': p.get('graceful_stop_timeout')},
                       opts, diff, op_id=op_id)
    if kind == 'HEAL' and op.get('hs') in ('reboot', 'rebuild'):
        return heal(api, project_id, name, dict(p, vnfc_instance_ids=op.get('v'), strategy=op['hs']), opts, diff, op_id=op_id)
    pkg = read_vnf_package(p.get('package'), rec, name)
    req, flavour = request_from_record(project_id, name, pkg, rec, snap, p.get('images'), p.get('ext_virtual_links'), p.get('additional_params'))
    result = instantiate(api, pkg, flavour, req, opts, diff=diff, operation=kind, params={'action': 'RETRY'}, op_id=op_id)
    return _recreated(result) if kind == 'HEAL' else result


def _mark_failed(api, snap, op, opts, diff):
    """FAILED_TEMP -> FAILED: nothing in the cloud changes but the record."""
    start = time.time()
    occ = V.lcm_op_occ(V.Occurrence(op['id'], op.get('type'), 'FAILED', snap.instance_id, op.get('at') or start, time.time(),
                                    params={'action': 'FAIL'}))
    before = V.summary(snap)
    if opts.check_mode:
        return Result(changed=True, vnf_instance=V.vnf_instance(snap), plan=[], diff={'before': before, 'after': before} if diff else None)
    lock = Lock(api, snap.vnf_name, op['id'], (opts.timeout or 1800) + LOCK_GRACE)
    lock.acquire(snap.anchor)
    lock.release({'id': op['id'], 'type': op.get('type'), 'state': 'FAILED', 'at': int(time.time())})
    after = _discover_one(api, snap.instance_id, snap.vnf_name)
    return Result(changed=True, vnf_instance=V.vnf_instance(after), lcm_op_occ=occ,
                  diff={'before': before, 'after': V.summary(after)} if diff else None)


# ---------------------------------------------------------------------------------------------------------------
# the modules' entry points

def _options(module, p):
    from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import describe_error
    return Options(check_mode=module.check_mode, on_failure=p.get('on_failure') or 'rollback', wait=True, timeout=p.get('timeout') or 1800,
                   max_concurrency=p.get('max_concurrency') or 10, describe=describe_error)


def _run(module, what, fn):
    from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import describe_error
    p = module.params
    for scope in [p.get('additional_params') or {}] + list(((p.get('additional_params') or {}).get('vdu_params') or {}).values()):
        if (scope or {}).get('user_data'):
            module.ansible.no_log_values.add(str(scope['user_data']))
    result = None
    try:
        result = fn(usage_events.api_for(module), module.conn.current_project_id, p, _options(module, p), module.ansible._diff)
    except LcmError as exc:
        module.fail(str(exc))
    except CloudError as exc:
        module.fail('Failed to %s: %s' % (what(p), exc))
    except Exception as exc:  # connection errors: one line
        module.fail('Failed to %s: %s' % (what(p), describe_error(exc)))
    finish_module(module, result)


def run_vnf_scale_module(module):
    _run(module, lambda p: 'scale VNF %s' % p['name'], lambda api, project, p, opts, diff: scale(api, project, p['name'], p, opts, diff))


def run_vnf_heal_module(module):
    _run(module, lambda p: 'heal VNF %s' % p['name'], lambda api, project, p, opts, diff: heal(api, project, p['name'], p, opts, diff))


def run_vnf_operate_module(module):
    _run(module, lambda p: 'operate VNF %s' % p['name'], lambda api, project, p, opts, diff: operate(api, project, p['name'], p, opts, diff))


def run_vnf_lcm_op_occ_module(module):
    _run(module, lambda p: '%s LCM operation occurrence %s' % (p['action'], p['id']), continue_occurrence)


def converge_vnf_state(api, project_id, name, first, p, opts, diff):
    """``vnf`` with ``vnf_state``: OPERATE after the instance is converged (nothing when it is in that state).
    Returns one result: changed when either changed, the last occurrence, the diff from before the first to after."""
    if first.error or (opts.check_mode and first.vnf_instance.get('instantiationState') != 'INSTANTIATED'):
        return first
    second = operate(api, project_id, name, {'change_state_to': p['vnf_state'], 'stop_type': 'graceful',
                                             'graceful_stop_timeout': p.get('graceful_stop_timeout')}, opts, diff)
    if not second.changed:
        return first
    if first.diff is not None and second.diff is not None:
        second.diff['before'] = first.diff['before']
    if first.plan and second.plan is not None:
        second.plan = first.plan + second.plan
    second.warnings = first.warnings + second.warnings
    return second
