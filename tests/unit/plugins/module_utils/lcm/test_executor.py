# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Executor logic that needs no cloud: which actions share one request, and how ports get their marks when a cloud
takes tags on create or ignores them. The cloud side (bulk create, rollback, waiting) is tested on the local
OpenStack (tests/integration)."""
from __future__ import annotations

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import executor as E
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import CREATE, DELETE, Action, Plan


def port(n, deps=()):
    return Action(op=CREATE, kind='port', key='port/VDU1-%d/CP1' % n, name='vnf-VDU1-%d-CP1' % n,
                  spec={'name': 'vnf-VDU1-%d-CP1' % n, 'network_id': {'$ref': 'network/VL1'}}, deps=list(deps),
                  owner={'cp': 'CP1', 'vnfc': 'VDU1-%d' % n}, tags=['nfvo:vnf=i1', 'nfvo:vnfc=VDU1-%d' % n])


class Recorder:
    """Stands in for openstack.client.CloudApi: answers POST /ports like Neutron does, with or without tags on create."""

    def __init__(self, tags_on_create, refuse_tags=False, fail=None):
        self.tags_on_create, self.refuse_tags, self.fail = tags_on_create, refuse_tags, fail
        self.calls = []

    def post(self, service, path, body, **kw):
        self.calls.append(('POST', path, body))
        if self.fail:
            raise self.fail
        if self.refuse_tags and any('tags' in p for p in body['ports']):
            raise CloudError('Unrecognized attribute(s) \'tags\'', status=400)
        return {'ports': [dict(p, id='id-%s' % p['name'], tags=list(p.get('tags', [])) if self.tags_on_create else [])
                          for p in body['ports']]}

    def put(self, service, path, body, **kw):
        self.calls.append(('PUT', path, body))
        return {'tags': body['tags']}


def executor(api, actions):
    plan = Plan(operation='SCALE', instance_id='i1', vnf_name='vnf', actions=list(actions))
    return E.Executor(api, plan, ids={'network/VL1': 'net-1'})


def test_ready_ports_share_one_group_and_everything_else_runs_alone():
    server = Action(op=CREATE, kind='server', key='server/VDU1-0', name='s')
    delete = Action(op=DELETE, kind='port', key='port/VDU1-9/CP1', name='old', resource_id='p9')
    groups = E._groups([port(0), server, port(1), delete, port(2)])
    assert [[a.key for a in g] for g in groups] == [
        ['port/VDU1-0/CP1', 'port/VDU1-1/CP1', 'port/VDU1-2/CP1'], ['server/VDU1-0'], ['port/VDU1-9/CP1']]
    many = E._groups([port(n) for n in range(E.BULK_PORTS + 1)])
    assert [len(g) for g in many] == [E.BULK_PORTS, 1]


def test_ports_tagged_in_the_bulk_request_need_no_second_call():
    api = Recorder(tags_on_create=True)
    ex = executor(api, [port(0), port(1)])
    made = ex._apply_group([port(0), port(1)])
    assert [c[:2] for c in api.calls] == [('POST', '/ports')]
    assert api.calls[0][2]['ports'][0]['network_id'] == 'net-1'
    assert [r['tags'] for r in made] == [['nfvo:vnf=i1', 'nfvo:vnfc=VDU1-0'], ['nfvo:vnf=i1', 'nfvo:vnfc=VDU1-1']]
    assert [key for dummy, key, dummy2 in ex.outcome.created] == ['port/VDU1-0/CP1', 'port/VDU1-1/CP1']


def test_a_cloud_that_drops_tags_on_create_gets_one_put_per_port():
    api = Recorder(tags_on_create=False)
    ex = executor(api, [])
    made = ex._apply_group([port(0), port(1), port(2)])
    assert sorted(c[1] for c in api.calls if c[0] == 'PUT') == ['/ports/id-vnf-VDU1-%d-CP1/tags' % n for n in range(3)]
    assert all(r['tags'] for r in made)
    api.calls = []  # the executor remembers: the next bulk request goes without tags
    ex._apply_group([port(3), port(4)])
    assert 'tags' not in api.calls[0][2]['ports'][0]


def test_a_cloud_that_refuses_tags_on_create_gets_the_request_again_without():
    api = Recorder(tags_on_create=False, refuse_tags=True)
    made = executor(api, [])._apply_group([port(0), port(1)])
    assert [c[:2] for c in api.calls][:2] == [('POST', '/ports'), ('POST', '/ports')]
    assert len([c for c in api.calls if c[0] == 'PUT']) == 2 and len(made) == 2


def test_a_failed_bulk_request_names_the_first_port_and_says_none_was_made():
    api = Recorder(tags_on_create=True, fail=CloudError("Quota exceeded for resources: ['port'].", status=409))
    with pytest.raises(E.ActionFailed) as info:
        executor(api, [])._apply_group([port(0), port(1)])
    assert info.value.action.key == 'port/VDU1-0/CP1' and info.value.status == 409
    assert 'none was created' in info.value.reason


class Nova:
    """Stands in for CloudApi: takes POST /servers (BUILD) and counts the list calls that poll them (ACTIVE)."""

    def __init__(self):
        self.calls = []

    def post(self, service, path, body, **kw):
        self.calls.append(('POST', path))
        return {'server': {'id': 'srv-1', 'status': 'BUILD'}}

    def list(self, service, path, key, **kw):
        self.calls.append(('LIST', path))
        return [{'id': 'srv-1', 'status': 'ACTIVE', 'metadata': {}}]


@pytest.mark.parametrize('wait, calls', [(False, [('POST', '/servers')]), (True, [('POST', '/servers'), ('LIST', '/servers/detail')])])
def test_wait_false_returns_once_the_create_is_answered_without_polling(wait, calls):
    """The ``wait`` option (Options.wait -> Settings.wait): a created server is waited for ACTIVE (one list call per
    poll) or not at all; the outcome is the same success, the server as the create answered it."""
    server = Action(op=CREATE, kind='server', key='server/VDU1-0', name='vnf-VDU1-0', spec={'name': 'vnf-VDU1-0'})
    api = Nova()
    plan = Plan(operation='SCALE', instance_id='i1', vnf_name='vnf', actions=[server])
    outcome = E.Executor(api, plan, E.Settings(wait=wait, poll_min=0.01, poll_max=0.01)).run()
    assert outcome.ok and api.calls == calls
    assert [(key, res['status']) for dummy, key, res in outcome.created] == [('server/VDU1-0', 'BUILD')]


class PollingCloud:
    """Answers a server create, then the status polls: the first ``errors`` of them fail like a 500 of Nova."""

    def __init__(self, errors):
        self.errors, self.polls = errors, 0

    def post(self, service, path, body, **kw):
        return {'server': {'id': 'srv-1'}}

    def list(self, service, path, key, params=None, **kw):
        self.polls += 1
        if self.polls <= self.errors:
            raise CloudError('injected fault (HTTP 500)', status=500)
        return [{'id': 'srv-1', 'status': 'ACTIVE'}]


def server_run(errors):
    server = Action(op=CREATE, kind='server', key='server/VDU1-0', name='vnf-VDU1-0', spec={'name': 'vnf-VDU1-0'},
                    owner={'vnfc': 'VDU1-0'}, tags=['nfvo:vnf=i1'])
    api = PollingCloud(errors)
    plan = Plan(operation='INSTANTIATE', instance_id='i1', vnf_name='vnf', actions=[server])
    return api, E.Executor(api, plan, E.Settings(poll_min=0.01, poll_max=0.01)).run()


def test_a_status_poll_that_fails_is_polled_again_not_raised():
    """A 500 on the wait's list call says nothing of the server: the wait goes on (it raised out of the run before:
    no occurrence, no rollback, no usage events)."""
    api, outcome = server_run(errors=E.POLL_ERRORS - 1)
    assert outcome.ok and [k for dummy, k, dummy2 in outcome.created] == ['server/VDU1-0']
    assert api.polls == E.POLL_ERRORS


def test_status_polls_failing_in_a_row_fail_the_wait_naming_the_server_and_the_cloud():
    api, outcome = server_run(errors=100)
    assert not outcome.ok and api.polls == E.POLL_ERRORS
    assert outcome.error.startswith('Failed to create ') and '(VNF vnf): cannot follow its status' in outcome.error
    assert 'injected fault (HTTP 500)' in outcome.error and outcome.status == 500
    assert [k for dummy, k, dummy2 in outcome.created] == ['server/VDU1-0']  # what the rollback deletes


class Servers:
    """Answers the server poll (``GET /servers/detail``): every server ACTIVE; each call noted with its filter."""

    def __init__(self, servers):
        self.servers, self.calls = servers, []

    def list(self, service, path, key, params=None, **kw):
        self.calls.append(params)
        wanted = set((params.get('tags-any') or params.get('tags')).split(','))
        return [s for s in self.servers if wanted & set(s['tags'])]


def test_executors_running_together_share_one_server_poll():
    api = Servers([{'id': 's1', 'tags': ['nfvo:vnf=a'], 'status': 'ACTIVE'}, {'id': 's2', 'tags': ['nfvo:vnf=b'], 'status': 'ACTIVE'}])
    poll = E.server_poll(api)
    assert E.server_poll(api) is poll
    poll.join('a')
    poll.join('b')
    start = E.time.monotonic()
    assert sorted(poll.servers('a', start, 10)) == ['s1', 's2']
    assert sorted(poll.servers('b', start, 10)) == ['s1', 's2']  # b is answered by a's poll
    assert api.calls == [{'tags-any': 'nfvo:vnf=a,nfvo:vnf=b'}]
    poll.servers('b', E.time.monotonic() + 1, 10)  # a wait begun after that poll: a new one
    poll.servers('b', 0, 0)  # older than the caller's interval: a new one
    assert len(api.calls) == 3
    poll.leave('a')
    poll.leave('b')
    poll.servers('b', E.time.monotonic() + 1, 10)
    assert api.calls[-1] == {'tags': 'nfvo:vnf=b'} and not poll.members


def test_a_refusal_of_tags_on_create_is_learnt_once_for_every_executor_on_the_api():
    from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CreateTags  # the memo a CloudApi carries
    api = Recorder(tags_on_create=False, refuse_tags=True)
    api.create_tags = CreateTags()
    executor(api, [])._apply_group([port(0), port(1)])
    api.calls = []
    executor(api, [])._apply_group([port(2), port(3)])  # another executor (another VNF of the NS): no refused request
    assert [c[:2] for c in api.calls][:1] == [('POST', '/ports')] and 'tags' not in api.calls[0][2]['ports'][0]
    assert len([c for c in api.calls if c[0] == 'POST']) == 1


def test_an_executor_alone_polls_only_the_servers_it_waits_for():
    api = Servers([{'id': 's1', 'tags': ['nfvo:vnf=a'], 'status': 'ACTIVE'}])
    poll = E.ServerPoll(api)
    poll.join('a')
    start = E.time.monotonic()
    poll.servers('a', start, 10, names={'web-VDU1-3'})
    assert api.calls == [{'tags': 'nfvo:vnf=a', 'name': '^web-VDU1-3$'}]  # Nova's name filter: a regular expression
    poll.servers('a', start, 10, names={'web-VDU1-3'})
    poll.servers('a', start, 10, names={'web-VDU1-4'})  # a poll of other names does not answer it
    assert len(api.calls) == 2
    poll.servers('a', start, 10, names={'web-VDU1-3', 'web-VDU1-12'})
    assert api.calls[-1] == {'tags': 'nfvo:vnf=a', 'name': '^web-VDU1-'}  # several: their common prefix (Nova escapes |)
    poll.servers('a', start, 10, names={'a name (with) specials'})  # not a simple name: the instance's whole list
    poll.servers('a', start, 10, names={'v-%d' % i for i in range(E.NAMED_POLL_MAX + 1)})  # too many: the whole list (the last answers)
    assert api.calls[3:] == [{'tags': 'nfvo:vnf=a'}]
    poll.join('b')  # executors together: one poll of every instance, whatever the names
    poll.servers('a', E.time.monotonic() + 1, 10, names={'web-VDU1-3'})
    assert api.calls[-1] == {'tags-any': 'nfvo:vnf=a,nfvo:vnf=b'}


def test_waits_answered_by_a_named_poll_are_polled_at_most_named_poll_cap_apart():
    api = Servers([{'id': 's1', 'tags': ['nfvo:vnf=i1'], 'status': 'BUILD'}])
    ex = executor(api, [])
    server = Action(op=CREATE, kind='server', key='server/VDU1-3', name='web-VDU1-3')
    waits = [E._Wait(server, 'server_create', 's1', 'ACTIVE')]
    assert not ex._named_poll(waits)  # no poll yet
    E.server_poll(api).servers('i1', E.time.monotonic(), 10, names={'web-VDU1-3'})
    assert ex._named_poll(waits)
    assert not ex._named_poll(waits + [E._Wait(server, 'volume_create', 'v1', 'available')])  # the VNF's volume list too
    E.server_poll(api).servers('i1', E.time.monotonic(), 10, names={'a name (with) specials'})  # the whole list
    assert not ex._named_poll(waits)
