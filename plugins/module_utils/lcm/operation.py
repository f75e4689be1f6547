# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one skeleton of every LCM operation: preview -> lock -> execute -> record -> rediscover.

``Operation.run()`` is that skeleton; instantiate / scale / heal by recreate (``lifecycle.Converge``), terminate
(``lifecycle.Terminate``) and the plans that are not a converge (server actions of heal and operate, the
rollbacks of ``vnf_lcm_op_occ``: ``Operation`` itself) differ only in the steps they override:

1. look (discover + plan; ``look()``, or the plan the caller made),
2. preview: nothing to do, or check mode -> the plan and the diff, nothing written (``preview_result``),
3. lock the instance record (``lock.py``; ``take_lock()``: a converge creates the anchor, or looks again),
4. execute the plan (``executor.py``; ``execute()``) and settle its state (``settle()``: COMPLETED, the rollback
   of a converge, FAILED_TEMP),
5. record: release the lock writing the operation on the anchor (``lock.op_record``), even when 4 raised,
6. rediscover and return the ``Result`` with the SOL003 occurrence (``sol003.lcm_op_occ``).

Each state the occurrence enters once the lock is held (STARTING, PROCESSING or ROLLING_BACK, the final one; FAILED_TEMP
and ROLLING_BACK before the rollback of a converge) goes to the task's receivers (``tell``: ``notify.py``).
"""
from __future__ import annotations

import dataclasses
import time
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import discover
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Executor, Settings
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lock import Lock, op_record


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
    notifier: object = None  # notify.Notifier of the task's ``notify`` receivers (shared by its operations)


@dataclasses.dataclass
class Context:
    """Where and how operations run: the cloud API, the options, --diff, the project; ``op_id``: the occurrence
    id to use (a retry keeps the one it retries; None: each operation gets a new one)."""
    api: object
    opts: Options
    diff: bool = False
    project_id: str = None
    op_id: str = None


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
    extra: dict = dataclasses.field(default_factory=dict)  # results of one operation's own (CHANGE_VNFPKG: upgrade)


def discover_one(api, instance_id, name):
    """The Snapshot of one instance (7 list calls, the anchor's first: ``Snapshot.anchor_first``)."""
    return discover(api, [(instance_id, name)], anchor_first=True)[instance_id]


def unchanged(ctx, snap, warnings=None):
    """The Result of an operation with nothing to do."""
    before = V.summary(snap)
    return Result(changed=False, vnf_instance=V.vnf_instance(snap), plan=[] if ctx.opts.check_mode else None,
                  diff={'before': before, 'after': before} if ctx.diff else None, warnings=warnings if warnings is not None else [])


def preview_result(ctx, snap, plan, before):
    """The Result of an operation that makes no write: nothing to do, or check mode (the plan). None otherwise."""
    if plan.empty:
        return unchanged(ctx, snap, plan.warnings)
    if ctx.opts.check_mode:
        return Result(changed=True, vnf_instance=V.vnf_instance(snap), plan=plan.to_list(),
                      diff={'before': before, 'after': V.summary_after(before, plan)} if ctx.diff else None, warnings=plan.warnings)
    return None


class Operation:
    """One LCM operation on one instance. As it is, it runs a plan the caller made (server actions, trims,
    terminate-as-rollback): lock, apply, record (FAILED_TEMP on failure: server actions are not rolled back).

    ``params``: the occurrence's operationParams; ``extra``: what a FAILED_TEMP record keeps for a retry;
    ``final_state``: the state of a success (ROLLED_BACK for a rollback); ``modified``: servers acted on are
    MODIFIED VNFCs of the occurrence (heal by reboot / rebuild)."""

    graceful_timeout = 60  # seconds a graceful stop waits before forcing (vnf_operate sets its own)

    def __init__(self, ctx, snap=None, plan=None, params=None, extra=None, final_state='COMPLETED', modified=False):
        self.ctx, self.api, self.opts = ctx, ctx.api, ctx.opts
        self.op_id = ctx.op_id or str(uuid.uuid4())
        self.snap, self.plan, self.params, self.extra = snap, plan, params, extra
        self.final_state, self.modified = final_state, modified
        self.start = self.before = self.lock = None

    # --- the steps an operation may override ----------------------------------------------------------------

    def look(self):
        """(snapshot, plan) as the cloud is now."""
        raise NotImplementedError

    def take_lock(self, lock):
        """Lock the instance. A Result ends the run there (what was to do is done)."""
        lock.acquire(self.snap.anchor)

    def execute(self, lock):
        ex = Executor(self.api, self.plan, Settings(max_concurrency=self.opts.max_concurrency, timeout=self.opts.timeout, wait=self.opts.wait,
                                                    graceful_timeout=self.graceful_timeout))
        return ex.run()

    def settle(self, outcome, lock):
        """The state the operation ends in."""
        if not outcome.ok:
            return 'FAILED_TEMP'
        if any(a.op == M.DELETE and a.kind == 'anchor' for a in self.plan.actions):
            lock.anchor = None  # deleted: nothing to release
        return self.final_state

    def record(self, state):
        return op_record(self.op_id, self.plan.operation, state, self.snap, self.extra)

    def error(self, outcome):
        return outcome.error

    def rediscover(self, outcome):
        return discover_one(self.api, self.snap.instance_id, self.snap.vnf_name)

    def changes(self, outcome):
        """(created, deleted) resources of the occurrence."""
        return list(outcome.created), list(outcome.deleted)

    def occurrence_params(self):
        return self.params

    def tell(self, state, error=None, occ=None):
        """Notify the task's receivers that the occurrence entered ``state`` (``occ``: the whole one, at the end)."""
        if self.opts.notifier is not None:
            self.opts.notifier.send(occ or V.lcm_op_occ(V.Occurrence(self.op_id, self.plan.operation, state, self.snap.instance_id,
                                                                     self.start, time.time(), error=error)))

    # --- the skeleton ---------------------------------------------------------------------------------------

    def run(self):
        self.start = time.time()
        if self.plan is None:
            self.snap, self.plan = self.look()
        self.before = V.summary(self.snap)
        preview = preview_result(self.ctx, self.snap, self.plan, self.before)
        if preview:
            return preview
        lock = self.lock = Lock(self.api, self.plan.vnf_name, self.op_id, self.opts.timeout)
        done = self.take_lock(lock)
        if done is not None:
            return done
        if self.ctx.op_id is None:  # a new occurrence (a retry or rollback goes on from FAILED_TEMP)
            self.tell('STARTING')
        self.tell('ROLLING_BACK' if self.final_state == 'ROLLED_BACK' else 'PROCESSING')
        state = 'FAILED_TEMP'
        try:
            outcome = self.execute(lock)
            state = self.settle(outcome, lock)
        except Exception as exc:
            self.tell(state, error=str(exc))
            # the occurrence exists (FAILED_TEMP on the record): the module still answers with it and bills what was done
            exc.lcm_op_occ = V.lcm_op_occ(V.Occurrence(self.op_id, self.plan.operation, state, self.snap.instance_id, self.start, time.time(),
                                                       error=str(exc), params=self.occurrence_params()))
            raise
        finally:
            lock.release(self.record(state))
        error = self.error(outcome)
        after = self.rediscover(outcome)
        created, deleted = self.changes(outcome)
        mod = [(u[1].split('/')[1], u[2]) for u in outcome.updated if u[0] == 'server'] if self.modified else ()
        occ = V.lcm_op_occ(V.Occurrence(self.op_id, self.plan.operation, state, self.snap.instance_id, self.start, time.time(), created,
                                        deleted, error=error, status=outcome.status, params=self.occurrence_params(), modified=mod))
        self.tell(state, occ=occ)
        warnings = list(self.plan.warnings)
        if outcome.forced:
            warnings.append('%s did not stop within the graceful stop timeout (%s s): stopped forcefully'
                            % (', '.join(outcome.forced), self.graceful_timeout))
        return Result(changed=True, vnf_instance=V.vnf_instance(after), lcm_op_occ=occ,
                      diff={'before': self.before, 'after': V.summary(after)} if self.ctx.diff else None, error=error,
                      warnings=warnings)
