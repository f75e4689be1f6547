"""Faults against the local OpenStack (issue 13 items 2-3): one test per fault type at its worst moment.

Each test runs the lifecycle modules through the fault proxy (tests/faults/proxy.py: its own clouds.yaml, every
service call of the module goes through it; nobody else's does) with the usage callback on and a ledger of its own,
injects one kind of fault, and checks: the operation completes (a fault a retry absorbed is a survived fault) or
fails with one line naming the resource, the VNF and the cloud's words; a rollback leaves nothing (or ``keep`` and
a retry complete it); the occurrence on the cloud tells the truth; the lock is released; and the ledger's events
are what the cloud actually did, by the proxy's account of every create and delete the services accepted (not
what the client heard).

Service restarts (RabbitMQ, a nova-compute, neutron-server) disturb the shared cloud: those tests are
``@pytest.mark.serial``, run after the parallel pass: ``pytest tests/integration -m serial``.
"""
import json
import os
import signal
import uuid

import pytest

from faults import services
from test_chargeback_e2e import ledger_events
from vnf_resources import assert_nothing_left, instance_id_of, ok, owned

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}
SERVERS, NETWORKS = r'/servers$', r'/v2.0/networks$'
WAIT = r'/servers/detail'  # the executor's one list call while servers build


class Faulty:
    """One VNF run through the proxy with the usage callback on; ``check()`` is what every fault test ends with."""

    def __init__(self, proxy, run_module, sdk, tmp_path):
        self.proxy, self.run_module, self.sdk = proxy, run_module, sdk
        self.name = 'it-faults-%s' % uuid.uuid4().hex[:6]
        self.iid = instance_id_of(sdk, self.name)
        self.ledger = str(tmp_path / 'ledger.db')
        self.env = {'OS_CLIENT_CONFIG_FILE': proxy.clouds, 'ANSIBLE_CALLBACKS_ENABLED': 'telco.nfvo.usage',
                    'TELCO_NFVO_USAGE_LEDGER': self.ledger, 'TELCO_NFVO_USAGE_DSN': '',
                    'TELCO_NFVO_USAGE_SPOOL': str(tmp_path / 'spool.jsonl')}

    def run(self, module, **args):
        return self.run_module(module, args, env=self.env)

    def instantiate(self, **args):
        return self.run('telco.nfvo.vnf', name=self.name, package=BASIC, flavour_id='simple', images=IMAGES, **args)

    def scale_out(self, **args):
        return self.run('telco.nfvo.vnf_scale', name=self.name, package=BASIC, aspect_id='VDU1_scale', type='scale_out', number_of_steps=1,
                        **args)

    def heal(self, **args):
        return self.run('telco.nfvo.vnf_heal', name=self.name, package=BASIC, **args)

    def terminate(self):
        return self.run('telco.nfvo.vnf', name=self.name, state='absent', termination_type='forceful')

    def record(self):
        """The instance record's description (lock and last operation), None when there is no record."""
        groups = [g for g in owned(self.sdk, self.iid)['security_groups'] if 'nfvo:role=anchor' in g.tags]
        return json.loads(groups[0].description or '{}') if groups else None

    def vnfcs(self):
        return sorted(s.metadata['nfvo_vnfc_id'] for s in owned(self.sdk, self.iid)['servers'])

    def check_ledger(self):
        """The ledger's server and network events are exactly the creates and deletes the cloud accepted."""
        events = ledger_events({'path': self.ledger}, self.iid)
        for kind, service, collection in (('server', 'compute', '/servers'), ('network', 'network', '/networks')):
            for action, done in (('created', self.proxy.created(service, collection)), ('deleted', self.proxy.deleted(service, collection))):
                ledger = sorted(e['resource_id'] for e in events if e['resource_type'] == kind and e['action'] == action)
                assert ledger == sorted(done), '%s %s: ledger %s, cloud %s' % (kind, action, ledger, sorted(done))
        assert len({e['id'] for e in events}) == len(events)


@pytest.fixture
def faulty(proxy, run_module, sdk, vdu_flavor, tmp_path):
    """A VNF name run through the proxy; at the end (faults off) terminated, nothing left, the ledger checked."""
    proxy.clear()
    vnf = Faulty(proxy, run_module, sdk, tmp_path)
    yield vnf
    proxy.rules = []
    ok(vnf.terminate())
    assert_nothing_left(sdk, vnf.iid)
    vnf.check_ledger()


def one_line_naming(res, *words):
    msg = res.get('msg') or ''
    assert res.get('failed') and '\n' not in msg, res
    for word in words:
        assert word in msg, (word, msg)
    return msg


def test_single_503s_are_retried_without_the_user_seeing_them(faulty, proxy):
    """A 503 on the wait's list call, on a tag update and on a delete: absorbed by the client's retries."""
    proxy.add('status:503', service='compute', method='GET', path=WAIT, nth=1)
    proxy.add('status:503', service='network', method='PUT', path=r'/tags$', nth=1)
    res = ok(faulty.instantiate())
    assert res['changed'] is True and res['lcm_op_occ']['operationState'] == 'COMPLETED'
    assert not [w for w in res.get('warnings') or [] if '503' in w]
    proxy.add('status:503', service='compute', method='DELETE', path=r'/servers/', nth=1)
    proxy.add('status:429', service='network', method='DELETE', path=r'/ports/', nth=1)
    ok(faulty.terminate())
    assert [f[3] for f in proxy.fired] == ['status:503', 'status:503', 'status:503', 'status:429']
    assert_nothing_left(faulty.sdk, faulty.iid)
    assert faulty.vnfcs() == []


def test_a_500_on_a_server_create_rolls_instantiate_back_to_nothing(faulty, proxy):
    """During the creates: the second server create fails; the rollback deletes the first and everything else."""
    proxy.add('status:500', service='compute', method='POST', path=SERVERS, nth=2)
    res = faulty.instantiate()
    one_line_naming(res, 'Failed to create server VDU', faulty.name, 'injected fault: HTTP 500 from the fault proxy', '(HTTP 500)')
    assert res['lcm_op_occ']['operationState'] == 'ROLLED_BACK', res['lcm_op_occ']
    assert_nothing_left(faulty.sdk, faulty.iid)  # the record too: nothing of the instance is left
    assert len(proxy.created('compute', '/servers')) == 1 and proxy.deleted('compute', '/servers') == proxy.created('compute', '/servers')


def test_a_create_the_cloud_did_but_never_answered_is_rolled_back_too(faulty, proxy):
    """During the creates: the network is created, the connection drops before the answer (a POST is never sent twice):
    the rollback finds it by its marks and deletes it though the run never heard of it, and the ledger bills it."""
    # nth 2: the first network POST of a run carries tags, which this cloud refuses (400); the executor then creates
    # without them (executor._neutron_create)
    proxy.add('reset_after', service='network', method='POST', path=NETWORKS, nth=2)
    res = faulty.instantiate()
    one_line_naming(res, 'Failed to create network', faulty.name, 'cannot reach the cloud')
    assert res['lcm_op_occ']['operationState'] == 'ROLLED_BACK', res['lcm_op_occ']
    assert len(proxy.created('network', '/networks')) == 1, (res['msg'], proxy.done)
    assert_nothing_left(faulty.sdk, faulty.iid)


def test_a_dropped_server_create_during_scale_out_is_kept_then_the_retry_completes_it(faulty, proxy):
    """Scale-out with on_failure keep: the new server is created, its answer lost; FAILED_TEMP on the record, the lock
    released; the retry completes with exactly one server per VNFC (the unanswered one adopted, not doubled)."""
    ok(faulty.instantiate())
    proxy.add('reset_after', service='compute', method='POST', path=SERVERS, nth=1)
    res = faulty.scale_out(on_failure='keep')
    one_line_naming(res, 'VDU1-1', faulty.name)
    occ = res['lcm_op_occ']
    assert occ['operationState'] == 'FAILED_TEMP'
    record = faulty.record()
    assert record['op']['id'] == occ['id'] and record['op']['state'] == 'FAILED_TEMP' and 'lock' not in record, record
    res = ok(faulty.run('telco.nfvo.vnf_lcm_op_occ', id=occ['id'], action='retry', package=BASIC))
    assert res['lcm_op_occ']['operationState'] == 'COMPLETED'
    assert faulty.vnfcs() == ['VDU1-0', 'VDU1-1', 'VDU2-0']
    assert len(proxy.created('compute', '/servers')) == 3


def test_a_list_call_delayed_past_the_client_timeout_during_the_heal_wait_is_retried(faulty, proxy, sdk):
    """Heal, during the wait: one list call answers after the client's api_timeout; the client gives up on it and
    asks again (a GET is repeatable), the heal completes."""
    ok(faulty.instantiate())
    lost = next(s for s in owned(sdk, faulty.iid)['servers'] if s.metadata['nfvo_vnfc_id'] == 'VDU1-0')
    sdk.compute.delete_server(lost)
    sdk.compute.wait_for_delete(lost)
    proxy.add('delay:30', service='compute', method='GET', path=WAIT, nth=2)
    res = ok(faulty.heal(api_timeout=20, cause='server deleted'))  # 20 s: a server create takes seconds on a loaded machine
    assert res['lcm_op_occ']['operationState'] == 'COMPLETED' and proxy.fired
    assert faulty.vnfcs() == ['VDU1-0', 'VDU2-0']


def test_a_failing_rollback_stays_failed_temp_and_terminate_cleans_up(faulty, proxy):
    """During the rollback: a server create fails, then every port delete of the rollback fails; the occurrence
    stays FAILED_TEMP naming both failures, the lock is released, and terminate then removes everything."""
    proxy.add('status:500', service='compute', method='POST', path=SERVERS, nth=2)
    proxy.add('status:500', service='network', method='DELETE', path=r'/ports/', nth=1, times=1000)
    res = faulty.instantiate()
    msg = one_line_naming(res, 'Failed to create server VDU', faulty.name, 'rollback failed too', '(HTTP 500)')
    assert msg.count('injected fault') == 2, msg
    assert res['lcm_op_occ']['operationState'] == 'FAILED_TEMP'
    record = faulty.record()
    assert record['op']['state'] == 'FAILED_TEMP' and 'lock' not in record, record
    proxy.rules = []


@pytest.mark.serial
def test_a_nova_compute_killed_during_instantiate_then_restarted(faulty, proxy):
    """A compute host dies (SIGKILL) while servers build and is started again: the operation completes, or fails
    naming the server and rolls back; either way nothing is left behind after the rollback and the ledger is right."""
    restart = services.restart_later('nova-compute1', after=3, sig=signal.SIGKILL, down=5)
    res = faulty.instantiate(timeout=600)
    restart.join()
    assert restart.result and restart.result[1] != restart.result[0]
    if res.get('failed'):
        one_line_naming(res, faulty.name)
        assert res['lcm_op_occ']['operationState'] == 'ROLLED_BACK'
        assert_nothing_left(faulty.sdk, faulty.iid)
    else:
        assert faulty.vnfcs() == ['VDU1-0', 'VDU2-0']


@pytest.mark.serial
def test_rabbitmq_and_neutron_server_restarted_during_scale_out(faulty, proxy):
    """The message bus and then neutron-server restart while a scale-out runs: it completes, or fails in one line
    and rolls back to the instance as it was."""
    ok(faulty.instantiate())
    before = faulty.record()['op']
    services.restart('rabbitmq')
    neutron = services.restart_later('neutron', after=2)
    res = faulty.scale_out()
    neutron.join()
    if res.get('failed'):
        one_line_naming(res, faulty.name)
        if 'lcm_op_occ' in res:  # it failed once the scale-out had started: rolled back, or FAILED_TEMP (as recorded)
            occ = res['lcm_op_occ']  # when the look after the failure met neutron down; then a rollback finishes it
            assert occ['operationState'] in ('ROLLED_BACK', 'FAILED_TEMP'), res['msg']
            if occ['operationState'] == 'FAILED_TEMP':
                assert faulty.record()['op']['state'] == 'FAILED_TEMP'
                assert ok(faulty.run('telco.nfvo.vnf_lcm_op_occ', id=occ['id'], action='rollback'))['lcm_op_occ'][
                    'operationState'] == 'ROLLED_BACK'
        else:  # neutron was down before the first write (looking at the VNF, or taking its lock): nothing changed
            assert faulty.record()['op'] == before, res['msg']
        assert faulty.vnfcs() == ['VDU1-0', 'VDU2-0'], res['msg']
    else:
        assert faulty.vnfcs() == ['VDU1-0', 'VDU1-1', 'VDU2-0']
    assert 'lock' not in faulty.record()
