import dataclasses
import json
from types import SimpleNamespace

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Outcome
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import Converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context, Operation, Options

from .neutron import Neutron
from .test_lock import anchor


class Scripted(Operation):
    """The skeleton with the plan's execution replaced: ``outcome`` (or an exception) is what it returns."""

    def __init__(self, ctx, snap, plan, outcome, **kw):
        super().__init__(ctx, snap, plan, {'p': 1}, **kw)
        self.outcome = outcome

    def execute(self, lock):
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def setup(actions=(), check_mode=False, diff=False):
    api = Neutron([anchor(tags=['nfvo:role=anchor', 'nfvo:vnf=i1', 'nfvo:want=VDU1:1'])])
    snap = M.Snapshot(instance_id='i1', vnf_name='web', anchors=[dict(api.groups['sg-1'])])
    plan = M.Plan(operation='HEAL', instance_id='i1', vnf_name='web', actions=list(actions), warnings=['w1'])
    return api, Context(api=api, opts=Options(check_mode=check_mode), diff=diff, op_id='op-1'), snap, plan


def reboot():
    return M.Action(M.REBOOT, 'server', 'server/VDU1-0', 'web-VDU1-0', resource_id='srv-1')


def test_nothing_to_do_and_check_mode_write_nothing():
    api, ctx, snap, plan = setup(diff=True)
    result = Scripted(ctx, snap, plan, None).run()
    assert not result.changed and result.plan is None and result.diff['before'] == result.diff['after'] and result.warnings == ['w1']
    api, ctx, snap, plan = setup([reboot()], check_mode=True)
    result = Scripted(ctx, snap, plan, None).run()
    assert result.changed and [a['action'] for a in result.plan] == ['reboot'] and result.diff is None
    assert api.calls == []


def test_lock_execute_record_rediscover():
    api, ctx, snap, plan = setup([reboot()])
    outcome = Outcome()
    outcome.updated.append(('server', 'server/VDU1-0', 'srv-1'))
    outcome.forced.append('server VDU1-0')
    result = Scripted(ctx, snap, plan, outcome, modified=True).run()
    assert [c[0] for c in api.calls[:2]] == ['PUT', 'PUT'] and api.calls[0][2] == 'revision_number=7'
    assert json.loads(api.groups['sg-1']['description'])['op']['state'] == 'COMPLETED'
    assert len(api.calls) == 2 + 7  # the lock, the record, one discovery
    occ = result.lcm_op_occ
    assert (occ['id'], occ['operation'], occ['operationState'], occ['operationParams']) == ('op-1', 'HEAL', 'COMPLETED', {'p': 1})
    assert [v['changeType'] for v in occ['resourceChanges']['affectedVnfcs']] == ['MODIFIED']
    assert result.warnings == ['w1', 'server VDU1-0 did not stop within the graceful stop timeout (60 s): stopped forcefully']


def test_a_failure_is_recorded_failed_temp_with_what_to_retry_and_an_exception_still_releases_the_lock():
    api, ctx, snap, plan = setup([reboot()])
    outcome = Outcome()
    outcome.error = 'reboot server VDU1-0: no'
    result = Scripted(ctx, snap, plan, outcome, extra={'hs': 'reboot'}).run()
    op = json.loads(api.groups['sg-1']['description'])['op']
    assert (op['state'], op['hs'], op['prev']['w']) == ('FAILED_TEMP', 'reboot', {'VDU1': 1})
    assert result.error == 'reboot server VDU1-0: no' and result.lcm_op_occ['operationState'] == 'FAILED_TEMP'
    api, ctx, snap, plan = setup([reboot()])
    with pytest.raises(RuntimeError) as raised:
        Scripted(ctx, snap, plan, RuntimeError('boom')).run()
    assert json.loads(api.groups['sg-1']['description'])['op']['state'] == 'FAILED_TEMP'
    # the error carries the occurrence as recorded: the module answers with it and bills what was done (runners._billed)
    occ = raised.value.lcm_op_occ
    assert (occ['id'], occ['operation'], occ['operationState'], occ['error']['detail']) == ('op-1', 'HEAL', 'FAILED_TEMP', 'boom')


def test_a_plan_that_deletes_the_anchor_has_nothing_to_release():
    api, ctx, snap, plan = setup([M.Action(M.DELETE, 'anchor', M.ANCHOR, 'nfvo-vnf-web', resource_id='sg-1')])
    result = Scripted(ctx, snap, plan, Outcome(), final_state='ROLLED_BACK').run()
    assert [c[0] for c in api.calls[:2]] == ['PUT', 'LIST'] and result.lcm_op_occ['operationState'] == 'ROLLED_BACK'


class Told:
    """A notifier that keeps the states it was told."""

    def __init__(self):
        self.occs = []

    def send(self, occ):
        self.occs.append(occ)

    def states(self):
        return [o['operationState'] for o in self.occs]


def told(ctx, op_id=None):
    notifier = Told()
    return dataclasses.replace(ctx, op_id=op_id, opts=dataclasses.replace(ctx.opts, notifier=notifier)), notifier


def test_each_state_the_occurrence_enters_is_told_once_the_lock_is_held():
    api, ctx, snap, plan = setup([reboot()])
    ctx, notifier = told(ctx)
    result = Scripted(ctx, snap, plan, Outcome()).run()
    assert notifier.states() == ['STARTING', 'PROCESSING', 'COMPLETED'] and notifier.occs[-1] == result.lcm_op_occ
    assert len({o['id'] for o in notifier.occs}) == 1 and notifier.occs[0]['operation'] == 'HEAL'
    api, ctx, snap, plan = setup([reboot()])  # a rollback of a FAILED_TEMP occurrence goes on under its id
    ctx, notifier = told(ctx, op_id='op-1')
    Scripted(ctx, snap, plan, Outcome(), final_state='ROLLED_BACK').run()
    assert notifier.states() == ['ROLLING_BACK', 'ROLLED_BACK']
    api, ctx, snap, plan = setup([reboot()])
    ctx, notifier = told(ctx)
    with pytest.raises(RuntimeError):
        Scripted(ctx, snap, plan, RuntimeError('boom')).run()
    assert notifier.states() == ['STARTING', 'PROCESSING', 'FAILED_TEMP'] and notifier.occs[-1]['error']['detail'] == 'boom'
    api, ctx, snap, plan = setup(check_mode=True)  # nothing to do, check mode: nothing told
    ctx, notifier = told(ctx)
    Scripted(ctx, snap, plan, None).run()
    assert notifier.occs == []


def test_a_converge_that_rolls_back_tells_failed_temp_then_rolling_back():
    stub = SimpleNamespace(opts=Options(on_failure='rollback'), states=[], rollback=None)
    stub.tell = lambda state, error=None: stub.states.append((state, error))
    stub._lost_creates = lambda outcome: []
    stub._rollback = lambda outcome, lock, lost: SimpleNamespace(ok=True)
    outcome = Outcome()
    outcome.error = 'create server VDU1-0: no'
    assert Converge.settle(stub, outcome, None) == 'ROLLED_BACK'
    assert stub.states == [('FAILED_TEMP', 'create server VDU1-0: no'), ('ROLLING_BACK', None)]


def test_a_heal_that_deleted_a_server_before_failing_is_failed_temp_not_rolled_back():
    """The rollback removes what the heal created, but cannot bring back the server the heal had deleted: the VNF is
    not where it was, so the occurrence says FAILED_TEMP and names it (a retry recreates it)."""
    stub = SimpleNamespace(opts=Options(on_failure='rollback'), states=[], rollback=None, unrestored=[], unlooked=None)
    stub.tell = lambda state, error=None: stub.states.append((state, error))
    stub._error = lambda outcome: Converge._error(stub, outcome)
    stub._lost_creates = lambda outcome: []
    stub._rollback = lambda outcome, lock, lost: SimpleNamespace(ok=True)
    outcome = Outcome()
    outcome.deleted.append(('server', 'server/VDU1-0', 'srv-old'))
    outcome.error = 'Failed to create server VDU1-0 (VNF web): no'
    assert Converge.settle(stub, outcome, None) == 'FAILED_TEMP'
    assert Converge.error(stub, outcome) == ('Failed to create server VDU1-0 (VNF web): no; rolled back what it created, but server VDU1-0, '
                                             'deleted before the failure, cannot be restored by a rollback: retry the operation to complete it')
