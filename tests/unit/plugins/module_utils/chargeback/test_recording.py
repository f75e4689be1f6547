# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recording (usage_events): what the lifecycle modules' API calls changed -> one usage event per billable change."""

import datetime
import json

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import parse_timestamp
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.recording import (
    RecordingApi, api_for, build_events, merge_seen, module_events, note_call,
)

from .samples import CLOUD_CONTEXT as CONTEXT

T0 = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.timezone.utc).timestamp()
META = T.metadata_for(vnf='vnf-1', vnf_name='web-1', vnfd='vnfd-web', vnfd_version='1.0', vdu='VDU1', ns='ns-1', vnfc='VDU1-0')
FLAVORS = {'f-1': {'id': 'f-1', 'name': 'm1.vnf', 'vcpus': 1, 'ram': 512, 'disk': 3},
           'f-2': {'id': 'f-2', 'name': 'm1.big', 'vcpus': 4, 'ram': 8192, 'disk': 40}}
INSTANCE = {'id': 'vnf-1', 'vnfInstanceName': 'web-1', 'vnfdId': 'vnfd-web', 'vnfdVersion': '1.0'}


def server_post(sid='s-1', flavor='f-1'):
    request = {'server': {'name': 'web-1-VDU1-0', 'flavorRef': flavor, 'metadata': dict(META), 'tags': ['nfvo:vnf=vnf-1'],
                          'user_data': 'c2VjcmV0'}}
    return note_call('compute', 'POST', '/servers', request, {'server': {'id': sid, 'adminPass': 'x'}})


def listed_server(sid='s-1'):
    return {'id': sid, 'status': 'ACTIVE', 'metadata': dict(META), 'tags': ['nfvo:vnf=vnf-1'],
            'flavor': {'original_name': 'm1.vnf', 'vcpus': 1, 'ram': 512, 'disk': 3}}


def triples(events):
    return [(e['resource_type'], e['resource_id'], e['action']) for e in events]


# ---------------------------------------------------------------------------------------------------------------------
# note_call

def test_server_create_takes_flavor_and_marks_from_the_request_and_never_the_user_data():
    changes, seen, flavors = server_post()
    assert [(c[0], c[1], c[2]) for c in changes] == [('server', 's-1', 'created')]
    item = changes[0][3]
    assert item['flavor'] == {'id': 'f-1'} and item['metadata'] == META and 'user_data' not in item
    assert seen == [('server', item)] and flavors == []


def test_volume_network_floating_ip_creates_deletes_and_server_actions():
    vol = note_call('volume', 'POST', '/volumes', {'volume': {'size': 2}},
                    {'volume': {'id': 'v-1', 'size': 2, 'volume_type': 'lvm', 'metadata': META}})[0]
    assert [(c[0], c[1], c[2], c[3]['volume_type']) for c in vol] == [('volume', 'v-1', 'created', 'lvm')]
    assert note_call('network', 'POST', '/networks', {}, {'network': {'id': 'n-1'}})[0][0][:3] == ('network', 'n-1', 'created')
    assert note_call('network', 'POST', '/floatingips', {}, {'floatingip': {'id': 'ip-1'}})[0][0][:3] == ('floating_ip', 'ip-1', 'created')
    assert note_call('volume', 'DELETE', '/volumes/v-1', None, {})[0] == [('volume', 'v-1', 'deleted', None)]
    assert note_call('compute', 'DELETE', '/servers/s-1', None, None)[0] == []  # already gone: nothing changed
    assert note_call('compute', 'POST', '/servers/s-1/action', {'os-stop': None}, {})[0] == [('server', 's-1', 'stopped', None)]
    assert note_call('compute', 'POST', '/servers/s-1/action', {'os-start': None}, {})[0] == [('server', 's-1', 'started', None)]
    resize = note_call('compute', 'POST', '/servers/s-1/action', {'resize': {'flavorRef': 'f-2'}}, {})[0]
    assert resize == [('server', 's-1', 'resized', {'id': 's-1', 'flavor': {'id': 'f-2'}})]
    # not billable: ports, subnets, security groups, server groups, tags
    for service, url in (('network', '/ports'), ('network', '/subnets'), ('network', '/security-groups'), ('compute', '/os-server-groups')):
        assert note_call(service, 'POST', url, {}, {'x': {'id': 'y'}}) == ([], [], [])
    assert note_call('network', 'PUT', '/networks/n-1/tags', {'tags': []}, {}) == ([], [], [])


def test_list_calls_are_seen_including_next_pages_and_flavors():
    changes, seen, flavors = note_call('compute', 'GET', 'http://nova/v2.1/servers/detail?marker=x', None,
                                       {'servers': [listed_server()], 'servers_links': []})
    assert changes == [] and seen == [('server', listed_server())]
    assert note_call('compute', 'GET', '/flavors/detail', None, {'flavors': list(FLAVORS.values())})[2] == list(FLAVORS.values())
    assert note_call('volume', 'GET', '/volumes/v-1', None, {'volume': {'id': 'v-1', 'size': 1}})[1] == [('volume', {'id': 'v-1', 'size': 1})]


def test_merge_keeps_the_embedded_flavor_and_the_create_marks():
    created = server_post()[0][0][3]
    merged = merge_seen(created, listed_server())
    assert merged['flavor']['vcpus'] == 1 and merged['metadata'] == META
    assert merge_seen(listed_server(), {'id': 's-1', 'status': 'SHUTOFF', 'flavor': {}})['flavor']['vcpus'] == 1


# ---------------------------------------------------------------------------------------------------------------------
# build_events

def test_instantiate_events_carry_sizes_owners_context_and_deterministic_ids():
    changes = [(T0 + 1, 'network', 'n-1', 'created', {'id': 'n-1', 'tags': ['nfvo:vnf=vnf-1', 'nfvo:vl=VL3']}),
               (T0 + 2, 'server', 's-1', 'created', server_post()[0][0][3]),
               (T0 + 3, 'volume', 'v-1', 'created', {'id': 'v-1', 'size': 2, 'volume_type': 'lvm', 'metadata': META})]
    seen = {('server', 's-1'): listed_server()}
    events, warnings = build_events(changes, seen, FLAVORS, 'op-1', CONTEXT, INSTANCE)
    assert warnings == [] and triples(events) == [('network', 'n-1', 'created'), ('server', 's-1', 'created'), ('volume', 'v-1', 'created')]
    server = events[1]
    assert (server['vcpus'], server['ram_mb'], server['disk_gb'], server['flavor']) == (1, 512, 3, 'm1.vnf')
    assert (server['vnf_instance_id'], server['vnf_name'], server['vdu'], server['vnfd_id'], server['vnfd_version'], server['ns_instance_id']) == (
        'vnf-1', 'web-1', 'VDU1', 'vnfd-web', '1.0', 'ns-1')
    assert all((e['cloud'], e['region'], e['project_id'], e['project_name']) == ('nfvo-tenant', 'RegionOne', 'p-1', 'demo') for e in events)
    assert (events[2]['volume_gb'], events[2]['volume_type']) == (2, 'lvm')
    assert events[0]['vnf_instance_id'] == 'vnf-1' and events[0]['vdu'] is None  # networks: owners from the instance
    assert server['timestamp'] == '2026-03-10T12:00:02.000Z'
    again, dummy = build_events(list(reversed(changes)), seen, FLAVORS, 'op-1', CONTEXT, INSTANCE)
    assert [e['id'] for e in again] == [e['id'] for e in events]  # a replay: the same ids
    other, dummy = build_events(changes, seen, FLAVORS, 'op-2', CONTEXT, INSTANCE)
    assert not {e['id'] for e in other} & {e['id'] for e in events}
    assert len({e['id'] for e in events}) == 3


def test_sizes_from_the_flavor_list_when_the_server_was_never_listed_and_a_warning_when_unknown():
    events, warnings = build_events([(T0, 'server', 's-1', 'created', server_post()[0][0][3])], {}, FLAVORS, 'op-1', CONTEXT)
    assert (events[0]['vcpus'], events[0]['flavor']) == (1, 'm1.vnf') and warnings == []
    events, warnings = build_events([(T0, 'server', 's-1', 'created', server_post(flavor='gone')[0][0][3])], {}, FLAVORS, 'op-1', CONTEXT)
    assert events == [] and warnings == ['Usage of server s-1 is not recorded: its flavor gone is unknown']


def test_rollback_gives_the_creates_then_the_deletes():
    changes = [(T0 + 1, 'server', 's-1', 'created', server_post()[0][0][3]),
               (T0 + 2, 'volume', 'v-1', 'created', {'id': 'v-1', 'size': 1, 'metadata': META}),
               (T0 + 9, 'server', 's-1', 'deleted', None), (T0 + 10, 'volume', 'v-1', 'deleted', None)]
    events, dummy = build_events(changes, {}, FLAVORS, 'op-1', CONTEXT, INSTANCE)
    assert triples(events) == [('server', 's-1', 'created'), ('volume', 'v-1', 'created'), ('server', 's-1', 'deleted'),
                               ('volume', 'v-1', 'deleted')]
    assert events[2]['vdu'] == 'VDU1'  # the create answer's marks


def test_terminate_skips_the_graceful_stop_of_a_deleted_server_but_keeps_a_real_stop():
    seen = {('server', 's-1'): listed_server('s-1'), ('server', 's-2'): listed_server('s-2')}
    changes = [(T0, 'server', 's-1', 'stopped', None), (T0 + 1, 'server', 's-2', 'stopped', None), (T0 + 5, 'server', 's-1', 'deleted', None)]
    gone = {'id': 'vnf-1', 'vnfInstanceName': 'web-1', 'instantiationState': 'NOT_INSTANTIATED'}
    events, dummy = build_events(changes, seen, FLAVORS, 'op-1', CONTEXT, gone)
    assert triples(events) == [('server', 's-2', 'stopped'), ('server', 's-1', 'deleted')]
    assert events[0]['vcpus'] == 1 and events[1]['vcpus'] == 1 and events[1]['vnfd_id'] == 'vnfd-web'


def test_resize_event_has_the_new_sizes():
    seen = {('server', 's-1'): listed_server()}
    resize = note_call('compute', 'POST', '/servers/s-1/action', {'resize': {'flavorRef': 'f-2'}}, {})[0][0]
    events, dummy = build_events([(T0,) + resize], seen, FLAVORS, 'op-1', CONTEXT)
    assert (events[0]['action'], events[0]['vcpus'], events[0]['ram_mb'], events[0]['flavor']) == ('resized', 4, 8192, 'm1.big')


def test_events_make_the_hours_a_ledger_charges(tmp_path):
    changes = [(T0, 'server', 's-1', 'created', server_post()[0][0][3]), (T0 + 7200, 'server', 's-1', 'deleted', None)]
    events, dummy = build_events(changes, {}, FLAVORS, 'op-1', CONTEXT, INSTANCE)
    ledger = open_ledger(str(tmp_path / 'ledger.db'))
    try:
        ledger.record(events)
        ledger.record(events)  # replay
        assert ledger.count() == 2
        opened = ledger.open_resources(('server',))
    finally:
        ledger.close()
    assert opened == {} or ('server', 's-1') not in opened
    hours = (parse_timestamp(events[1]['timestamp']) - parse_timestamp(events[0]['timestamp'])).total_seconds() / 3600
    assert hours == 2.0


# ---------------------------------------------------------------------------------------------------------------------
# the edge: RecordingApi (openstacksdk's proxies stubbed: the test is about what we note) and module_events

class Response:
    def __init__(self, status, body):
        self.status_code, self._body = status, body
        self.content = json.dumps(body).encode() if body is not None else b''
        self.text, self.reason = self.content.decode(), ''

    def json(self):
        return self._body


class Proxy:
    def __init__(self, answers):
        self.answers = answers

    def request(self, url, method, **kwargs):
        status, body = self.answers[(method, url.split('?')[0])]
        return Response(status, body)


class Config:
    @staticmethod
    def get_region_name(service=None):
        return 'RegionOne'


class Conn:
    def __init__(self, answers):
        self.network = self.compute = self.block_storage = self.image = Proxy(answers)
        self.config = Config()
        self.current_project_id = 'p-1'
        self.current_project = {'name': 'demo'}


class Module:
    def __init__(self, conn, check_mode=False):
        self.conn, self.check_mode, self.params = conn, check_mode, {'cloud': 'nfvo-tenant'}
        self.warnings = []
        self.ansible = self

    def warn(self, text):
        self.warnings.append(text)


class Result:
    def __init__(self, occ, instance=None):
        self.lcm_op_occ, self.vnf_instance = occ, instance


def test_recording_api_and_module_events():
    answers = {('POST', '/servers'): (202, {'server': {'id': 's-1'}}), ('GET', '/flavors/f-1'): (200, {'flavor': FLAVORS['f-1']}),
               ('DELETE', '/servers/s-9'): (404, {'itemNotFound': {'message': 'gone'}}), ('DELETE', '/volumes/v-1'): (202, None)}
    module = Module(Conn(answers))
    api = api_for(module)
    assert isinstance(api, RecordingApi) and api_for(module) is api
    api.post('compute', '/servers', {'server': {'flavorRef': 'f-1', 'metadata': META}})
    assert api.delete('compute', '/servers/s-9') is False
    api.delete('volume', '/volumes/v-1')
    assert [c[1:4] for c in api.changes] == [('server', 's-1', 'created'), ('volume', 'v-1', 'deleted')]
    events = module_events(module, Result({'id': 'op-1'}, INSTANCE))  # the flavor is fetched: it was never listed
    assert triples(events) == [('server', 's-1', 'created'), ('volume', 'v-1', 'deleted')]
    assert events[0]['vcpus'] == 1 and events[0]['cloud'] == 'nfvo-tenant' and events[0]['region'] == 'RegionOne'
    assert module_events(module, Result(None)) == []  # nothing changed
    module.check_mode = True
    assert module_events(module, Result({'id': 'op-1'})) == []
    assert module_events(Module(Conn({})), Result({'id': 'op-1'})) == []  # an operation that did not record


def test_a_create_whose_answer_was_lost_is_billed_from_the_clouds_created_at():
    api = RecordingApi(Conn({}))
    api.unanswered_create('server', dict(listed_server('s-lost'), created_at='2026-03-10T12:00:00Z'))
    api.unanswered_create('port', {'id': 'p-lost'})  # not billable
    assert [c[:4] for c in api.changes] == [(T0, 'server', 's-lost', 'created')]
    events, warnings = build_events(api.changes, api.seen, {}, 'op-1', CONTEXT, INSTANCE)
    assert triples(events) == [('server', 's-lost', 'created')] and events[0]['vcpus'] == 1 and not warnings
