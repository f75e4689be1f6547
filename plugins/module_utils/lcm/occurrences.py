# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SOL003 LCM operation occurrences (``vnf_lcm_op_occ``): find one, retry it, roll it back or mark it FAILED.

The anchor's description records the last operation (``lock.op_record``); a FAILED_TEMP one (``on_failure: keep``)
holds the levels before it (``prev``) and what to retry. Any runner finds it by id with one list call and retries
it (the operation again, same id, through ``operations.py`` / ``lifecycle.py``), rolls it back (deleting the VNFCs
beyond the previous counts, or everything for INSTANTIATE: a plan run by the skeleton of ``operation.py``) or marks
it FAILED (only the record changes).
"""
from __future__ import annotations

import dataclasses
import time

from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.change import change_ext_conn, change_flavour
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.change_flavour import target_record
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.upgrade import change_vnfpkg
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_terminate
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.scale import plan_trim
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import find_anchors
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import instantiate
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lock import Lock
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Operation, Result, discover_one
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operations import heal, operate, read_vnf_package, recreated, request_from_record

RETRYABLE = ('INSTANTIATE', 'SCALE', 'SCALE_TO_LEVEL', 'HEAL', 'OPERATE', 'CHANGE_EXT_CONN', 'CHANGE_FLAVOUR', 'CHANGE_VNFPKG')
PAST = {'retry': 'retried', 'rollback': 'rolled back', 'fail': 'failed'}


def find_occurrence(api, op_id):
    """(anchor, op record) of the VNF whose last operation is ``op_id``: one list call over the project's anchors."""
    for anchor in find_anchors(api):
        op = V.read_record(anchor).get('op') or {}
        if op.get('id') == op_id:
            return anchor, op
    return None, None


def continue_occurrence(ctx, p):
    """``vnf_lcm_op_occ``: retry, roll back or fail a FAILED_TEMP occurrence."""
    op_id, action = p['id'], p['action']
    anchor, op = find_occurrence(ctx.api, op_id)
    if anchor is None:
        raise LcmError('LCM operation occurrence %s not found: it is not the last operation of any VNF in the project' % op_id)
    owners = T.parse_tags(anchor.get('tags'))
    name, instance_id = owners.get('vnf_name'), owners.get('vnf')
    if op.get('state') != 'FAILED_TEMP':
        if (action, op.get('state')) in (('fail', 'FAILED'), ('rollback', 'ROLLED_BACK'), ('retry', 'COMPLETED')):
            snap = discover_one(ctx.api, instance_id, name)
            return Result(changed=False, vnf_instance=V.vnf_instance(snap), plan=[] if ctx.opts.check_mode else None)
        raise LcmError('LCM operation occurrence %s (%s of VNF %s) is %s, not FAILED_TEMP: it cannot be %s'
                       % (op_id, op.get('type'), name, op.get('state'), PAST[action]))
    kind = op.get('type')
    snap = discover_one(ctx.api, instance_id, name)
    rec = V.record_of(snap)
    if action == 'fail':
        return mark(ctx, snap, op)
    again = dataclasses.replace(ctx, op_id=op_id)  # the occurrence goes on under its own id
    if action == 'rollback' and kind == 'CHANGE_VNFPKG':  # the package the record names: each VNFC rebuilt back on its image
        return change_vnfpkg(again, name, p, rollback=True)
    if action == 'rollback':
        if kind == 'CHANGE_FLAVOUR':  # back to the flavour the record still names: a converge, with the package
            result = change_flavour(again, name, dict(p, flavour_id=rec['flavour_id'], instantiation_level_id=None), rollback=True)
            return result if result.changed else mark(ctx, snap, op, 'ROLLED_BACK', 'ROLLBACK')  # it had changed nothing
        return Operation(again, snap, _rollback_plan(snap, op, rec, name), {'action': 'ROLLBACK'}, final_state='ROLLED_BACK').run()
    # retry
    if kind not in RETRYABLE:
        raise LcmError('LCM operation occurrence %s (%s of VNF %s) cannot be retried' % (op_id, kind, name))
    ctx.opts.on_failure = 'keep'  # a retry that fails again stays FAILED_TEMP: to be retried, rolled back or failed
    if kind == 'OPERATE':
        return operate(again, name, {'change_state_to': 'started' if op.get('to') == M.STARTED else 'stopped',
                                     'stop_type': op.get('st') or 'graceful', 'graceful_stop_timeout': p.get('graceful_stop_timeout')})
    if kind == 'CHANGE_EXT_CONN':  # the links are not on the record (255 characters): the task gives them again
        if not p.get('ext_virtual_links'):
            raise LcmError('LCM operation occurrence %s (CHANGE_EXT_CONN of VNF %s): a retry needs ext_virtual_links, as the failed task gave them'
                           % (op_id, name))
        return change_ext_conn(again, name, p)
    if kind == 'CHANGE_VNFPKG':  # goes on from the VNFCs on the new image; the task gives the package again
        return change_vnfpkg(again, name, dict(p, batch='all'))
    if kind == 'HEAL' and op.get('hs') in ('reboot', 'rebuild'):
        return heal(again, name, dict(p, vnfc_instance_ids=op.get('v'), strategy=op['hs']))
    pkg = read_vnf_package(p.get('package'), rec, name, p.get('limits'))
    if kind == 'CHANGE_FLAVOUR':  # the record names the flavour before it until it completes
        rec = target_record(rec, op.get('f'), op.get('il'))
    req, flavour = request_from_record(ctx, name, pkg, rec, snap, p)
    result = instantiate(again, pkg, flavour, req, operation=kind, params={'action': 'RETRY'})
    if not result.changed:  # nothing left to do: the cloud did it though the answer was lost; the record must say so
        return mark(ctx, discover_one(ctx.api, instance_id, name), op, 'COMPLETED', 'RETRY')
    return recreated(result) if kind == 'HEAL' else result


def _rollback_plan(snap, op, rec, name):
    """The plan that undoes a FAILED_TEMP operation: everything for INSTANTIATE, the VNFCs a scale added otherwise."""
    kind = op.get('type')
    if kind == 'INSTANTIATE':
        return plan_terminate(snap, operation='INSTANTIATE')
    prev = op.get('prev')
    if kind not in ('SCALE', 'SCALE_TO_LEVEL') or not prev:
        raise LcmError('LCM operation occurrence %s (%s of VNF %s) cannot be rolled back: retry it or mark it failed (action: fail)'
                       % (op['id'], kind, name))
    want = {k: int(v) for k, v in (prev.get('w') or {}).items()}
    if any(n > (rec.get('vdu_instances') or {}).get(vdu, 0) for vdu, n in want.items()):
        raise LcmError('LCM operation occurrence %s (%s of VNF %s) removed VNFCs: a scale-in cannot be rolled back; retry it'
                       % (op['id'], kind, name))
    tags_after = T.retag(snap.anchor.get('tags'), level=prev.get('l'), scale=prev.get('s') or {}, want=want)
    return plan_trim(snap, want, operation=kind, anchor_tags_after=tags_after)


def mark(ctx, snap, op, state='FAILED', action='FAIL'):
    """FAILED_TEMP -> ``state`` (FAILED; COMPLETED for a retry that finds the work done: a create whose answer was lost):
    nothing in the cloud changes but the record (lock, write the record, rediscover)."""
    start = time.time()
    occ = V.lcm_op_occ(V.Occurrence(op['id'], op.get('type'), state, snap.instance_id, op.get('at') or start, time.time(),
                                    params={'action': action}))
    before = V.summary(snap)
    if ctx.opts.check_mode:
        return Result(changed=True, vnf_instance=V.vnf_instance(snap), plan=[], diff={'before': before, 'after': before} if ctx.diff else None)
    lock = Lock(ctx.api, snap.vnf_name, op['id'], ctx.opts.timeout)
    lock.acquire(snap.anchor)
    lock.release({'id': op['id'], 'type': op.get('type'), 'state': state, 'at': int(time.time())})
    if ctx.opts.notifier is not None:
        ctx.opts.notifier.send(occ)
    after = discover_one(ctx.api, snap.instance_id, snap.vnf_name)
    return Result(changed=True, vnf_instance=V.vnf_instance(after), lcm_op_occ=occ,
                  diff={'before': before, 'after': V.summary(after)} if ctx.diff else None)
