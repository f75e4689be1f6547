"""telco.nfvo.vnf_health's pure part: the health state of what the cloud lists, and the events between two polls."""
import asyncio
import time

from ansible_collections.telco.nfvo.extensions.eda.plugins.event_source import vnf_health as H
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import Snapshot

IID = '11111111-2222-3333-4444-555555555555'


def anchor(want=None, state=None, lock_exp=None):
    tags = [T.tag('vnf', IID), T.tag('vnf_name', 'web-1'), T.tag('role', 'anchor')]
    tags += [T.multi_tag('want', vdu, n) for vdu, n in sorted((want or {'VDU1': 2}).items())]
    if state:
        tags.append(T.tag('state', state))
    desc = '{"lock": {"op": "x", "exp": %d}}' % lock_exp if lock_exp else ''
    return {'id': 'sg-1', 'tags': tags, 'description': desc}


def server(vnfc, status='ACTIVE', host=None):
    out = {'id': 'srv-%s' % vnfc, 'status': status, 'metadata': {T.META_KEYS['vnf']: IID, T.META_KEYS['vnfc']: vnfc}}
    if host:
        out[H.HOST_KEY] = host
    return out


def port(vnfc, status='ACTIVE', cp='CP1'):
    return {'id': 'port-%s' % vnfc, 'status': status, 'binding:vif_type': 'ovs',
            'tags': [T.tag('vnf', IID), T.tag('vnfc', vnfc), T.tag('cp', cp)]}


def state(servers, ports=(), **kw):
    snap = Snapshot(instance_id=IID, vnf_name='web-1', anchors=[anchor(**kw)], servers=list(servers), ports=list(ports))
    return H.health_state({IID: snap})


HEALTHY = [server('VDU1-0'), server('VDU1-1')]


def test_healthy_vnf_states():
    st = state(HEALTHY, [port('VDU1-0')])
    assert {k: v['condition'] for k, v in st.items()} == {
        ('vnfc', IID, 'VDU1-0'): 'OK', ('vnfc', IID, 'VDU1-1'): 'OK', ('port', IID, 'port-VDU1-0'): 'OK'}
    assert st[('port', IID, 'port-VDU1-0')]['cp_id'] == 'CP1'


def test_unchanged_gives_nothing():
    events, keep = H.diff_health(state(HEALTHY), state(HEALTHY))
    assert events == [] and len(keep) == 2


def test_missing_error_and_cleared():
    base = state(HEALTHY)
    events, keep = H.diff_health(base, state([server('VDU1-0', 'ERROR')]))
    assert [(e['vnfc_instance_id'], e['state'], e['previous_state'], e['perceivedSeverity']) for e in events] == [
        ('VDU1-0', 'ERROR', 'OK', 'CRITICAL'), ('VDU1-1', 'MISSING', 'OK', 'CRITICAL')]
    e = events[0]
    assert e['kind'] == 'vnfc' and e['vnf_instance_id'] == IID and e['vnf_instance_name'] == 'web-1' and e['vdu_id'] == 'VDU1'
    assert e['server_id'] == 'srv-VDU1-0' and e['vnf_state'] == 'STARTED' and e['cleared'] is False
    assert 'server_id' not in events[1]  # a missing VNFC has none
    # same broken state again: nothing; then healed: one CLEARED each
    events2, keep = H.diff_health(keep, state([server('VDU1-0', 'ERROR')]))
    assert events2 == []
    events3, dummy = H.diff_health(keep, state(HEALTHY))
    assert [(e['vnfc_instance_id'], e['perceivedSeverity'], e['cleared']) for e in events3] == [
        ('VDU1-0', 'CLEARED', True), ('VDU1-1', 'CLEARED', True)]


def test_shutoff_only_when_the_vnf_should_run():
    off = [server('VDU1-0', 'SHUTOFF'), server('VDU1-1')]
    events, dummy = H.diff_health(state(HEALTHY), state(off))
    assert [(e['state'], e['perceivedSeverity']) for e in events] == [('SHUTOFF', 'MAJOR')]
    events, dummy = H.diff_health(state(HEALTHY, state='STOPPED'), state(off, state='STOPPED'))
    assert events == []


def test_port_down_only_on_an_active_server():
    base = state(HEALTHY, [port('VDU1-0')])
    events, dummy = H.diff_health(base, state(HEALTHY, [port('VDU1-0', 'DOWN')]))
    assert [(e['kind'], e['state'], e['cp_id'], e['port_id']) for e in events] == [('port', 'DOWN', 'CP1', 'port-VDU1-0')]
    events, dummy = H.diff_health(base, state([server('VDU1-0', 'BUILD'), server('VDU1-1')], [port('VDU1-0', 'DOWN')]))
    assert events == []


def test_scaled_out_and_in_vnfcs_give_nothing():
    base = state(HEALTHY)
    events, keep = H.diff_health(base, state(HEALTHY + [server('VDU1-2')], want={'VDU1': 3}))
    assert events == [] and ('vnfc', IID, 'VDU1-2') in keep
    events, keep = H.diff_health(keep, state(HEALTHY))
    assert events == [] and ('vnfc', IID, 'VDU1-2') not in keep


def test_locked_vnf_is_not_judged():
    base = state(HEALTHY)
    events, keep = H.diff_health(base, state([], lock_exp=time.time() + 600))  # our own heal deleting servers
    assert events == [] and keep == base
    events, dummy = H.diff_health(keep, state([], lock_exp=time.time() - 5))  # a stale lock does not hide it
    assert len(events) == 2


def test_hypervisor_down_names_its_vnfcs():
    servers = [server('VDU1-0', host='cmp1'), server('VDU1-1', host='cmp2')]
    snap = Snapshot(instance_id=IID, vnf_name='web-1', anchors=[anchor()], servers=servers)
    base = H.health_state({IID: snap}, [{'name': 'cmp1', 'state': 'up'}, {'name': 'cmp2', 'state': 'up'}])
    now = H.health_state({IID: snap}, [{'name': 'cmp1', 'state': 'down'}, {'name': 'cmp2', 'state': 'up'}])
    events, dummy = H.diff_health(base, now)
    assert [(e['kind'], e['hypervisor'], e['state'], e['perceivedSeverity'], e['vnfcs']) for e in events] == [
        ('hypervisor', 'cmp1', 'DOWN', 'MAJOR', ['web-1/VDU1-0'])]


class FakeApi:
    """What poll() asks, answered from lists; counts the calls."""

    def __init__(self, n_vnfcs, forbid_hypervisors=False):
        self.calls = []
        self.forbid = forbid_hypervisors
        self.anchors = [anchor(want={'VDU1': n_vnfcs})]
        self.servers = [server('VDU1-%d' % i) for i in range(n_vnfcs)]
        self.ports = [port('VDU1-%d' % i) for i in range(n_vnfcs)]

    def list(self, service, url, key, params=None, microversion=None):
        self.calls.append(url)
        if url == '/os-hypervisors/detail':
            if self.forbid:
                raise CloudError("You are not allowed to list hypervisors", 403)
            return [{'id': 1, 'hypervisor_hostname': 'cmp1', 'state': 'up'}]
        return {'/security-groups': self.anchors, '/servers/detail': self.servers, '/ports': self.ports}[url]


def test_requests_per_poll_do_not_grow_with_vnfcs():
    counts = []
    for n in (10, 200):
        api = FakeApi(n)
        st = H.poll(api, with_hypervisors=True)
        assert sum(1 for k in st if k[0] == 'vnfc') == n and all(v['condition'] == 'OK' for v in st.values())
        counts.append(len(api.calls))
    assert counts == [4, 4]
    api = FakeApi(3)
    H.poll(api, vnf_names=['other'])
    assert api.calls == ['/security-groups']  # no VNF watched: no server or port list


def test_hypervisors_forbidden_warns_once(caplog):
    assert H.may_list_hypervisors(FakeApi(1, forbid_hypervisors=True)) is False
    assert 'hypervisors are not watched' in caplog.text
    assert H.may_list_hypervisors(FakeApi(1)) is True
    assert H.may_list_hypervisors(FakeApi(1), 'false') is False


def test_main_baseline_then_one_event(monkeypatch):
    api = FakeApi(2)
    monkeypatch.setattr(H, 'connect', lambda cloud, clouds_yaml=None: api)
    api.requests = 0
    queue = asyncio.Queue()

    async def run():
        task = asyncio.ensure_future(H.main(queue, {'cloud': 'x', 'interval': 0.01, 'hypervisors': 'false'}))
        await asyncio.sleep(0.1)
        assert queue.empty()  # baseline: nothing
        api.servers[1]['status'] = 'ERROR'
        event = await asyncio.wait_for(queue.get(), 5)
        await asyncio.sleep(0.1)
        task.cancel()
        return event, queue.qsize()
    event, more = asyncio.run(run())
    assert (event['vnfc_instance_id'], event['state']) == ('VDU1-1', 'ERROR') and more == 0
