"""LCM notifications: the SOL003 shape, order, retries, timeouts and the bound of all posts of a task, against real
local sockets (a receiver thread, a closed port, a receiver that never answers)."""
import json
import socket
import time

import pytest

from webhook import Webhook

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import notify as N
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V


def occ(state, error=None, created=()):
    return V.lcm_op_occ(V.Occurrence('op-1', 'INSTANTIATE', state, 'vnf-1', 1000.0, 1001.0, created=created, error=error,
                                     params={'additional_params': {'user_data': 'hush'}}))


class Receiver(Webhook):
    """The test receiver: its URL carries user info (basic authentication) and a query string."""

    def __init__(self, codes=()):
        super().__init__(codes)
        self.url = 'http://user:pw@127.0.0.1:%d/hook?token=t' % self.port


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def closed_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_the_sol003_shape_start_and_result():
    start = N.notification(occ('STARTING'), 'sub-1')
    assert start['notificationType'] == 'VnfLcmOperationOccurrenceNotification' and start['notificationStatus'] == 'START'
    assert (start['operationState'], start['operation'], start['vnfInstanceId'], start['vnfLcmOpOccId']) == ('STARTING', 'INSTANTIATE', 'vnf-1', 'op-1')
    assert start['_links']['vnfLcmOpOcc']['href'] == '/vnflcm/v2/vnf_lcm_op_occs/op-1' and start['subscriptionId'] == 'sub-1'
    assert 'affectedVnfcs' not in start and 'operationParams' not in start and 'hush' not in json.dumps(start)
    done = N.notification(occ('FAILED_TEMP', error='create server VDU1-0: no', created=[('server', 'server/VDU1-0', {'id': 's1'})]), 'sub-1')
    assert done['notificationStatus'] == 'RESULT' and done['affectedVnfcs'][0]['changeType'] == 'ADDED'
    assert done['error']['detail'] == 'create server VDU1-0: no' and 'affectedVirtualLinks' not in done
    assert [N.notification(occ(s), 's')['notificationStatus'] for s in ('PROCESSING', 'ROLLING_BACK', 'COMPLETED', 'FAILED', 'ROLLED_BACK')] \
        == ['START', 'START', 'RESULT', 'RESULT', 'RESULT']


def test_posts_in_order_with_headers_and_secrets_masked(receiver):
    notifier = N.Notifier.from_option([{'url': receiver.url, 'headers': {'Authorization': 'Bearer sekret'}}], secrets={'create server'})
    for state in ('STARTING', 'PROCESSING', 'FAILED_TEMP', 'ROLLING_BACK', 'ROLLED_BACK'):
        notifier.send(occ(state, error='create server VDU1-0: no' if state in ('FAILED_TEMP', 'ROLLED_BACK') else None))
    assert [b['operationState'] for _h, b in receiver.got] == ['STARTING', 'PROCESSING', 'FAILED_TEMP', 'ROLLING_BACK', 'ROLLED_BACK']
    headers, body = receiver.got[2]
    assert headers['Authorization'] == 'Bearer sekret' and headers['Content-Type'] == 'application/json'
    assert body['error']['detail'] == '******** VDU1-0: no'
    assert len({b['id'] for _h, b in receiver.got}) == 5 and len({b['subscriptionId'] for _h, b in receiver.got}) == 1
    assert notifier.report() == [] and notifier.spent < 1


def test_a_refused_post_is_retried_and_a_5xx_too(receiver):
    receiver.codes = [503, 429]
    notifier = N.Notifier.from_option([{'url': receiver.url}])
    notifier.send(occ('STARTING'))
    assert [b['operationState'] for _h, b in receiver.got] == ['STARTING']
    assert notifier.sent == [('STARTING', receiver.url.split('?')[0].replace('user:pw@', ''))] and receiver.got[0][0]['Authorization'] == 'Basic dXNlcjpwdw=='


def test_a_closed_port_never_fails_and_is_one_warning_within_the_bound(receiver):
    dead = 'http://127.0.0.1:%d/hook' % closed_port()
    notifier = N.Notifier.from_option([{'url': dead}, {'url': receiver.url}])
    t0 = time.monotonic()
    for state in ('STARTING', 'PROCESSING', 'COMPLETED'):
        notifier.send(occ(state))
    took = time.monotonic() - t0
    print('\nclosed port: 3 notifications x 3 attempts took %.2f s (bound %g s)' % (took, N.BOUND))
    warnings = notifier.report()
    assert took < N.BOUND and len(warnings) == 1 and warnings[0].startswith('LCM notifications to %s: 3 of 3 not delivered (' % dead)
    assert 'refused' in warnings[0] and 'all posts of the task took' in warnings[0]
    assert [b['operationState'] for _h, b in receiver.got] == ['STARTING', 'PROCESSING', 'COMPLETED']  # the live one gets all


def test_a_receiver_that_hangs_costs_one_timeout_then_is_left_alone(receiver):
    hang = socket.socket()
    hang.bind(('127.0.0.1', 0))
    hang.listen(8)  # connects (the backlog), never answers
    try:
        notifier = N.Notifier.from_option([{'url': 'http://127.0.0.1:%d/' % hang.getsockname()[1], 'timeout': 1},
                                           {'url': receiver.url}])
        t0 = time.monotonic()
        for state in ('STARTING', 'PROCESSING', 'COMPLETED'):
            notifier.send(occ(state))
        took = time.monotonic() - t0
    finally:
        hang.close()
    print('\nhanging receiver: 3 notifications took %.2f s (timeout 1 s, bound %g s)' % (took, N.BOUND))
    warnings = notifier.report()
    assert 0.9 < took < N.BOUND and len(warnings) == 1 and '3 of 3 not delivered (no answer within 1 s: not posted to again' in warnings[0]
    assert len(receiver.got) == 3


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, s):
        self.now += s


def test_all_posts_of_a_task_stay_within_the_bound():
    clock = Clock()
    notifier = N.Notifier([N.Receiver('http://a.example/'), N.Receiver('http://b.example/')], clock=clock, sleep=clock.sleep)

    def slow_failure(r, data, headers, timeout):
        clock.now += timeout
        return 'HTTP 503'

    notifier._post = slow_failure
    for state in ('STARTING', 'PROCESSING', 'COMPLETED'):
        notifier.send(occ(state))
    assert notifier.spent <= N.BOUND + 1e-9 and notifier.sent == []
    tail = '; all posts of the task took 5.0 s (bound 5 s), the operation went on'
    want = ['3 of 3 not delivered (HTTP 503)' + tail, '3 of 3 not delivered (the 5 s bound of all notifications of the task was spent)' + tail]
    assert [w.split(': ', 1)[1] for w in notifier.report()] == want


def test_a_4xx_stops_the_posts_to_that_receiver(receiver):
    receiver.codes = [404]
    notifier = N.Notifier.from_option([receiver.url])
    notifier.send(occ('STARTING'))
    notifier.send(occ('COMPLETED'))
    warnings = notifier.report()
    assert receiver.got == [] and 'HTTP 404: not posted to again' in warnings[0] and 'user:pw' not in warnings[0] and 'token' not in warnings[0]


def test_bad_entries_are_refused_before_anything_runs():
    assert N.Notifier.from_option(None) is None and N.Notifier.from_option([]) is None
    with pytest.raises(LcmError, match=r'notify\[1\]\.url ftp://h/x: not an http or https URL'):
        N.Notifier.from_option([{'url': 'http://h/'}, {'url': 'ftp://h/x'}])
    with pytest.raises(LcmError, match=r'notify\[0\]\.timeout of http://h/: must be more than 0'):
        N.Notifier.from_option([{'url': 'http://h/', 'timeout': 0}])
    with pytest.raises(LcmError, match=r'notify\[0\]\.retries'):
        N.Notifier.from_option([{'url': 'http://h/', 'retries': -1}])


def test_mask_goes_through_dicts_and_lists():
    assert N.mask({'a': ['x-secret-y', 1], 'b': {'c': 'secret'}}, ['secret']) == {'a': ['x-********-y', 1], 'b': {'c': '********'}}
