import json
import time

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError, LcmError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lock import LOCK_GRACE, Lock, op_record

from .neutron import Neutron


def anchor(lock=None, op=None, tags=()):
    record = {k: v for k, v in (('lock', lock), ('op', op)) if v}
    return {'id': 'sg-1', 'name': 'nfvo-vnf-web', 'revision_number': 7, 'description': json.dumps(record), 'tags': list(tags)}


def test_acquire_takes_the_lock_with_if_match_and_keeps_the_last_operation():
    api = Neutron([anchor(op={'id': 'old', 'state': 'COMPLETED'})])
    lock = Lock(api, 'web', 'op-1', 600)
    got = lock.acquire(api.groups['sg-1'])
    assert api.calls == [('PUT', '/security-groups/sg-1', 'revision_number=7')]
    record = json.loads(got['description'])
    assert record['op'] == {'id': 'old', 'state': 'COMPLETED'} and record['lock']['op'] == 'op-1'
    assert time.time() + 600 + LOCK_GRACE - 5 < record['lock']['exp'] <= time.time() + 600 + LOCK_GRACE
    assert lock.anchor is got and not lock.created


def test_a_live_lock_of_another_run_fails_without_a_request_a_stale_one_is_taken_over():
    api = Neutron([anchor(lock={'op': 'other', 'exp': int(time.time()) + 60})])
    with pytest.raises(LcmError, match=r'^VNF web is locked by another run \(LCM operation other; the lock goes stale at .*Z\): '
                                       r'wait for it to finish and run again$'):
        Lock(api, 'web', 'op-1', 600).acquire(api.groups['sg-1'])
    assert api.calls == []
    api.groups['sg-1'] = anchor(lock={'op': 'other', 'exp': int(time.time()) - 1})
    Lock(api, 'web', 'op-1', 600).acquire(api.groups['sg-1'])
    assert [c[0] for c in api.calls] == ['PUT']


def test_a_lost_compare_and_swap_names_the_winner():
    api = Neutron([anchor()], refuse=412)
    api.groups['sg-1']['description'] = json.dumps({'lock': {'op': 'winner', 'exp': 0}})
    with pytest.raises(LcmError, match='LCM operation winner; the lock goes stale at unknown'):
        Lock(api, 'web', 'op-1', None).acquire(anchor())
    assert [c[0] for c in api.calls] == ['PUT', 'GET']
    with pytest.raises(CloudError):
        Lock(Neutron([anchor()], refuse=500), 'web', 'op-1', None).acquire(anchor())


def test_an_if_match_update_that_neutron_applied_after_a_concurrent_one_backs_off():
    # Neutron retries the loser of a database compare-and-swap without its If-Match: the answer is 200, but its
    # revision is not the one after ours
    api = Neutron([anchor()], raced=True)
    lock = Lock(api, 'web', 'op-1', 600)
    with pytest.raises(LcmError, match=r'^VNF web is locked by another run \(LCM operation a concurrent run; '):
        lock.acquire(api.groups['sg-1'])
    assert lock.anchor is None and [c[0] for c in api.calls] == ['PUT']
    lock.release({'id': 'op-1'})  # nothing of ours to release
    assert [c[0] for c in api.calls] == ['PUT']


def test_the_anchor_is_created_holding_the_lock_and_deleted_when_another_run_made_one_too():
    create = M.Action(M.CREATE, 'anchor', M.ANCHOR, 'nfvo-vnf-web', tags=['nfvo:role=anchor'])
    api = Neutron()
    lock = Lock(api, 'web', 'op-1', 600)
    got = lock.acquire(None, create)
    assert [c[:2] for c in api.calls] == [('POST', '/security-groups'), ('PUT', '/security-groups/sg-new/tags'), ('LIST', '/security-groups')]
    assert lock.created and got['tags'] == ['nfvo:role=anchor'] and json.loads(got['description'])['lock']['op'] == 'op-1'
    api = Neutron(others=[anchor(lock={'op': 'first', 'exp': 0})])
    lock = Lock(api, 'web', 'op-1', 600)
    lock.sleep = lambda seconds: None
    with pytest.raises(LcmError, match='LCM operation first'):
        lock.acquire(None, create)
    # its own deleted, then a look again after the backoff finds the other's still there: refused naming that run
    assert api.calls[-2:] == [('DELETE', '/security-groups/sg-new'), ('LIST', '/security-groups')]
    assert not lock.created and lock.anchor is None and 'sg-new' not in api.groups


class Vanishing(Neutron):
    """The other run met ours too and deleted its anchor: after the first list, it is gone."""

    def list(self, service, path, key, params=None, **kw):
        found = super().list(service, path, key, params, **kw)
        self.others = []
        return found


def test_two_runs_that_made_the_anchor_at_once_both_back_off_and_one_makes_it_again():
    create = M.Action(M.CREATE, 'anchor', M.ANCHOR, 'nfvo-vnf-web', tags=['nfvo:role=anchor'])
    api = Vanishing(others=[anchor(lock={'op': 'other', 'exp': 0})])
    lock = Lock(api, 'web', 'op-1', 600)
    waits = []
    lock.sleep = waits.append
    got = lock.acquire(None, create)
    assert [c[:2] for c in api.calls] == [('POST', '/security-groups'), ('PUT', '/security-groups/sg-new/tags'), ('LIST', '/security-groups'),
                                          ('DELETE', '/security-groups/sg-new'), ('LIST', '/security-groups'),
                                          ('POST', '/security-groups'), ('PUT', '/security-groups/sg-new/tags'), ('LIST', '/security-groups')]
    assert lock.created and got['id'] == 'sg-new' and len(waits) == 1 and 0.5 <= waits[0] <= 3.0


def test_release_writes_the_operation_and_drops_the_lock_unless_the_anchor_is_gone():
    api = Neutron([anchor()])
    lock = Lock(api, 'web', 'op-1', 600)
    lock.release({'id': 'op-1'})
    assert api.calls == []
    lock.acquire(api.groups['sg-1'])
    lock.release({'id': 'op-1', 'state': 'COMPLETED'})
    assert json.loads(api.groups['sg-1']['description']) == {'op': {'id': 'op-1', 'state': 'COMPLETED'}}
    api.refuse = 404
    lock.release({'id': 'op-1'})  # a cloud error on release is not the operation's failure


def test_a_failed_temp_record_keeps_the_levels_before_it_and_what_to_retry():
    tags = ['nfvo:role=anchor', 'nfvo:level=small', 'nfvo:scale=VDU1_scale:1', 'nfvo:want=VDU1:2']
    snap = M.Snapshot(instance_id='i1', vnf_name='web', anchors=[anchor(tags=tags)])
    rec = op_record('op-1', 'SCALE', 'FAILED_TEMP', snap, extra={'v': ['VDU1-1']})
    assert rec['prev'] == {'l': 'small', 's': {'VDU1_scale': 1}, 'w': {'VDU1': 2}} and rec['v'] == ['VDU1-1']
    assert 'prev' not in op_record('op-1', 'INSTANTIATE', 'FAILED_TEMP', snap) and 'prev' not in op_record('op-1', 'TERMINATE', 'FAILED_TEMP')
    again = M.Snapshot(instance_id='i1', vnf_name='web', anchors=[anchor(op={'id': 'op-1', 'prev': {'l': 'big'}}, tags=tags)])
    assert op_record('op-1', 'SCALE', 'FAILED_TEMP', again)['prev'] == {'l': 'big'}  # a retry that failed again
    assert set(op_record('op-1', 'SCALE', 'COMPLETED', snap, extra={'v': 1})) == {'id', 'type', 'state', 'at'}


def test_unchanged_only_when_the_anchor_seen_was_unlocked_and_the_lock_went_on_at_the_revision_seen():
    def took(seen, op_id='op-1'):
        api = Neutron([dict(anchor(), **seen)])
        lock = Lock(api, 'web', op_id, 600)
        lock.acquire(dict(seen))
        return lock.unchanged
    assert took(anchor(op={'id': 'old', 'state': 'COMPLETED'}))
    assert not took(anchor(lock={'op': 'other', 'exp': int(time.time()) - 1}))  # a stale lock: its run may have acted since
    assert not took(anchor(lock={'op': 'op-1', 'exp': int(time.time()) + 60}))  # our own (a retry): look again
    unknown = anchor()
    del unknown['revision_number']  # no revision to hold the look to
    assert not took(unknown)
