# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lcm/lifecycle.py: what a failed operation finds of the creates whose answer was lost (issue 13, fault tests)."""
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Outcome
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import _untagged_by_name


class Api:
    def __init__(self, listed):
        self.listed, self.calls = listed, []

    def list(self, service, url, key, params=None):
        self.calls.append((service, url, key))
        return self.listed.get(key, [])


def test_an_untagged_create_whose_answer_was_lost_is_found_by_its_planned_name():
    plan = M.Plan(operation='INSTANTIATE', instance_id='i-1', vnf_name='web')
    plan.actions = [M.Action(M.CREATE, 'network', 'network/VL1', 'web-VL1'), M.Action(M.CREATE, 'network', 'network/VL2', 'web-VL2'),
                    M.Action(M.CREATE, 'server', 'server/VDU1-0', 'web-VDU1-0')]
    outcome = Outcome()
    outcome.created.append(('network', 'network/VL1', {'id': 'n1', 'name': 'web-VL1'}))
    api = Api({'networks': [{'id': 'n1', 'name': 'web-VL1', 'tags': []}, {'id': 'lost', 'name': 'web-VL2', 'tags': []},
                            {'id': 'tagged', 'name': 'web-VL2', 'tags': ['nfvo:vl=VL2']}, {'id': 'other', 'name': 'db-VL2', 'tags': []}]})
    now = M.Snapshot(instance_id='i-1', vnf_name='web')
    _untagged_by_name(api, plan, outcome, now)
    assert [n['id'] for n in now.networks] == ['lost']  # not the answered one, not a tagged one (discovery has it), not another's
    assert api.calls == [('network', '/networks', 'networks')]  # one list call, only for a kind with a create unanswered


class Conn:
    class config:  # pylint: disable=invalid-name  # openstacksdk's CloudRegion: .config is the cloud's settings
        config = {'api_timeout': 5}


def _looking_again(monkeypatch, looks):
    """A Converge whose discovery answers ``looks`` in turn (each the servers it lists); returns (op, outcome, calls)."""
    from ansible_collections.telco.nfvo.plugins.module_utils.lcm import lifecycle  # pylint: disable=import-outside-toplevel  # the module patched
    calls, clock = [], [0.0]

    def discover_one(api, instance_id, vnf_name):
        calls.append(clock[0])
        snap = M.Snapshot(instance_id=instance_id, vnf_name=vnf_name)
        snap.servers.extend(looks[min(len(calls), len(looks)) - 1])
        return snap
    monkeypatch.setattr(lifecycle, 'discover_one', discover_one)
    monkeypatch.setattr(lifecycle, '_untagged_by_name', lambda *a: None)
    monkeypatch.setattr(lifecycle.time, 'monotonic', lambda: clock[0])
    monkeypatch.setattr(lifecycle.time, 'sleep', lambda s: clock.__setitem__(0, clock[0] + s))
    op = object.__new__(lifecycle.Converge)
    op.api = Api({})
    op.api.conn = Conn()
    op.api.unanswered_create = lambda kind, res: op.api.calls.append(('billed', kind, res['id']))
    op.plan = M.Plan(operation='INSTANTIATE', instance_id='i-1', vnf_name='web')
    op.snap = M.Snapshot(instance_id='i-1', vnf_name='web')
    outcome = Outcome()
    outcome.unanswered.append(M.Action(M.CREATE, 'server', 'server/VDU1-1', 'web-VDU1-1'))
    return op, outcome, calls


LATE = {'id': 's-late', 'metadata': {'nfvo_vnfc_id': 'VDU1-1'}}


def test_a_create_the_client_gave_up_on_is_looked_for_again_until_the_cloud_shows_it(monkeypatch):
    op, outcome, calls = _looking_again(monkeypatch, [[], [], [LATE]])
    lost = op._lost_creates(outcome)  # pylint: disable=protected-access
    assert [(k, key, r['id']) for k, key, r in lost] == [('server', 'server/VDU1-1', 's-late')]
    assert calls == [0.0, 2.0, 4.0]  # looked again every LOOK_AGAIN_INTERVAL seconds until found
    assert ('billed', 'server', 's-late') in op.api.calls  # told to the API: the usage recording bills it


def test_the_look_again_is_bounded_by_the_clients_api_timeout(monkeypatch):
    op, outcome, calls = _looking_again(monkeypatch, [[]])
    assert op._lost_creates(outcome) == []  # pylint: disable=protected-access
    assert calls == [0.0, 2.0, 4.0, 6.0]  # api_timeout 5 s: the last look at or after it


def test_no_look_again_when_every_create_was_answered(monkeypatch):
    op, outcome, calls = _looking_again(monkeypatch, [[]])
    outcome.unanswered.clear()
    assert op._lost_creates(outcome) == [] and calls == [0.0]  # the one look it always had


def test_a_look_that_fails_is_made_again_and_the_error_says_when_none_answered(monkeypatch):
    from ansible_collections.telco.nfvo.plugins.module_utils.lcm import lifecycle  # pylint: disable=import-outside-toplevel  # the module patched
    from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError  # pylint: disable=import-outside-toplevel
    op, outcome, calls = _looking_again(monkeypatch, [[LATE]])
    found = lifecycle.discover_one
    answers = [CloudError('Internal Server Error', 500)]

    def flaky(*args):
        if answers:
            calls.append('failed')
            raise answers.pop()
        return found(*args)
    monkeypatch.setattr(lifecycle, 'discover_one', flaky)
    outcome.error = 'Failed to create server VDU1-1 (VNF web): cannot reach the cloud'
    op.rollback, op.unrestored = None, []
    assert [r['id'] for k, key, r in op._lost_creates(outcome)] == ['s-late']  # pylint: disable=protected-access
    assert op.error(outcome) == outcome.error  # the second look answered

    def failing(*args):
        raise CloudError('Internal Server Error', 500)
    monkeypatch.setattr(lifecycle, 'discover_one', failing)
    assert op._lost_creates(outcome) == []  # pylint: disable=protected-access
    assert op.error(outcome) == (outcome.error + '; the look for what the cloud made without answering failed (Internal Server Error '
                                 "(HTTP 500)): list the VNF's resources (telco.nfvo.vnf_info) before a retry")
