"""openstack/client.py: the one paginator (both link styles), error answers, the Date of the first page.

The openstacksdk service proxy is stubbed (a test of our logic, not of the cloud: the integration tests use the real one)."""
import json

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi, CreateTags, ReadCache, is_uuid, run_concurrently


class Resp:
    def __init__(self, status, body=None, headers=None):
        self.status_code, self.headers, self.reason = status, headers or {}, 'Reason'
        self.content = json.dumps(body).encode() if body is not None else b''
        self.text = self.content.decode()

    def json(self):
        return json.loads(self.content)


class Proxy:
    def __init__(self, pages):
        self.pages, self.calls = pages, []

    def request(self, url, method, **kwargs):
        self.calls.append((method, url, kwargs))
        return self.pages[url]


class Conn:
    def __init__(self, **proxies):
        self.__dict__.update(proxies)


def test_list_follows_links_and_glance_next():
    nova = Proxy({'/servers/detail': Resp(200, {'servers': [{'id': 1}], 'servers_links': [{'rel': 'next', 'href': '/servers/detail?marker=1'}]},
                                          {'Date': 'Tue, 01 Dec 2026 07:00:00 GMT'}),
                  '/servers/detail?marker=1': Resp(200, {'servers': [{'id': 2}]})})
    glance = Proxy({'/images': Resp(200, {'images': [{'id': 'a'}], 'next': '/v2/images?marker=a'}),
                    '/images?marker=a': Resp(200, {'images': [{'id': 'b'}]})})
    api = CloudApi(Conn(compute=nova, image=glance))
    seen = {}
    assert [s['id'] for s in api.list('compute', '/servers/detail', 'servers', microversion='2.47', seen=seen)] == [1, 2]
    assert seen == {'date': 'Tue, 01 Dec 2026 07:00:00 GMT'}
    assert [c[2]['microversion'] for c in nova.calls] == ['2.47', '2.47']
    assert [i['id'] for i in api.list('image', '/images', 'images')] == ['a', 'b']


def test_error_answer_carries_the_clouds_words_and_status():
    neutron = Proxy({'/ports': Resp(409, {'NeutronError': {'message': 'Quota exceeded for resources: port.'}}),
                     '/gone': Resp(404, {'itemNotFound': {'message': 'not here'}})})
    api = CloudApi(Conn(network=neutron))
    with pytest.raises(CloudError) as err:
        api.post('network', '/ports', {'port': {}})
    assert str(err.value) == 'Quota exceeded for resources: port. (HTTP 409)' and err.value.status == 409
    assert api.delete('network', '/gone') is False
    # a POST is never resent; a DELETE's dropped connection is resent by the client itself (not keystoneauth)
    assert neutron.calls[0][2]['connect_retries'] == 0 and neutron.calls[1][2]['connect_retries'] == 0
    assert api.get('network', '/gone', ok_missing=True) is None and neutron.calls[2][2]['connect_retries'] == 3


def test_uuid_and_concurrency_helpers():
    assert is_uuid('0b5e6a4e-1f6a-4b7e-9a55-0d6f1c2b3a4d') and is_uuid('0b5e6a4e1f6a4b7e9a550d6f1c2b3a4d')
    assert not is_uuid('cirros-0.6.3') and not is_uuid(None)
    assert run_concurrently({'a': lambda: 1, 'b': lambda: 2}) == {'a': 1, 'b': 2}


class Sequence:
    """A service proxy answering each call with the next of ``answers``."""

    def __init__(self, *answers):
        self.answers, self.calls = list(answers), []

    def request(self, url, method, **kwargs):
        self.calls.append((method, url, kwargs))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def waits(monkeypatch):
    slept = []
    monkeypatch.setattr(CloudApi, 'sleep', staticmethod(slept.append))
    return slept


def test_503_and_429_are_retried_on_repeatable_calls_with_backoff_and_retry_after(waits):
    nova = Sequence(Resp(503, {'message': 'busy'}), Resp(429, headers={'Retry-After': '2'}), Resp(200, {'servers': []}))
    assert CloudApi(Conn(compute=nova)).get('compute', '/servers/detail') == {'servers': []}
    assert len(nova.calls) == 3 and waits == [0.5, 2.0]  # the backoff, then the cloud's Retry-After
    neutron = Sequence(Resp(503), Resp(204))
    assert CloudApi(Conn(network=neutron)).delete('network', '/ports/p1') is True
    tags = Sequence(Resp(503), Resp(200, {'tags': ['a']}))
    assert CloudApi(Conn(network=tags)).put('network', '/networks/n1/tags', {'tags': ['a']}) == {'tags': ['a']}
    assert waits == [0.5, 2.0, 0.5, 0.5]


def test_retries_are_bounded_and_the_last_answer_is_the_error(waits):
    nova = Sequence(*[Resp(503, {'message': 'Service Unavailable'})] * 5)
    with pytest.raises(CloudError) as err:
        CloudApi(Conn(compute=nova)).get('compute', '/servers/detail')
    assert str(err.value) == 'Service Unavailable (HTTP 503)' and len(nova.calls) == 4  # RETRY_ATTEMPTS
    assert waits == [0.5, 1.0, 2.0]


def test_a_long_or_dated_retry_after_is_capped(waits):
    from email.utils import formatdate
    import time
    nova = Sequence(Resp(429, headers={'Retry-After': '3600'}), Resp(429, headers={'Retry-After': formatdate(time.time() + 3600, usegmt=True)}),
                    Resp(429, headers={'Retry-After': 'soon'}), Resp(200, {}))
    CloudApi(Conn(compute=nova)).get('compute', '/servers/detail')
    assert waits == [10.0, 10.0, 2.0]  # RETRY_AFTER_CAP twice, then the backoff of the third attempt


def test_creates_actions_conditional_puts_and_uploads_are_never_retried(waits):
    for method, call in (('POST', lambda api: api.post('network', '/ports', {'port': {}})),
                         ('PUT', lambda api: api.put('network', '/security-groups/a', {}, headers={'If-Match': 'revision_number=3'})),
                         ('PUT', lambda api: api.upload('network', '/images/i/file', iter([b'x'])))):
        neutron = Sequence(Resp(503, {'message': 'busy'}), Resp(201, {}))
        with pytest.raises(CloudError):
            call(CloudApi(Conn(network=neutron)))
        assert [c[0] for c in neutron.calls] == [method] and neutron.calls[0][2]['connect_retries'] == 0  # not clouds.yaml's
    assert waits == []


class Reads:
    """Counts the list / get calls a ReadCache lets through; a list call waits for ``event``."""

    def __init__(self):
        import threading  # only this stand-in waits
        self.calls, self.event = [], threading.Event()

    def list(self, service, url, key, params=None, microversion=None, seen=None):
        self.calls.append((url, params))
        self.event.wait(2)
        if url == '/bad':
            raise CloudError('nope', 500)
        return [{'id': 'f1', 'params': params}]

    def get(self, service, url, params=None, **kw):
        self.calls.append((url, params))
        return {'image': {'id': url}}

    def post(self, service, url, body, **kw):
        return 'posted'


def test_a_read_cache_sends_each_read_once_for_concurrent_callers_each_getting_its_own_copy():
    api = Reads()
    cache = ReadCache(api)
    jobs = {i: (lambda: cache.list('compute', '/flavors/detail', 'flavors', params={'is_public': 'None'})) for i in range(4)}
    jobs[9] = lambda: cache.list('compute', '/flavors/detail', 'flavors', params={'is_public': 'x'})
    api.event.set()
    got = run_concurrently(jobs, 5)
    assert sorted(api.calls, key=repr) == [('/flavors/detail', {'is_public': 'None'}), ('/flavors/detail', {'is_public': 'x'})]
    got[0][0]['id'] = 'changed'
    assert got[1][0]['id'] == 'f1' and cache.list('compute', '/flavors/detail', 'flavors', params={'is_public': 'None'})[0]['id'] == 'f1'
    assert cache.get('image', '/images/a') == cache.get('image', '/images/a') and len(api.calls) == 3
    with pytest.raises(CloudError, match='nope'):
        cache.list('compute', '/bad', 'x')
    with pytest.raises(CloudError, match='nope'):
        cache.list('compute', '/bad', 'x')  # the same error, not sent again
    assert len(api.calls) == 4 and cache.post('network', '/ports', {}) == 'posted'  # anything else goes through


def test_create_tags_learns_per_collection_for_the_run():
    memo = CreateTags()
    assert memo.accepted('networks') is None  # not known: creates send their tags (and nothing waits)
    memo.learn('networks', False)
    memo.learn('ports', 1)
    assert memo.accepted('networks') is False and memo.accepted('ports') is True and memo.accepted('subnets') is None


def test_a_delete_whose_connection_dropped_is_resent_and_a_404_then_means_the_dropped_attempt_deleted_it(waits):
    from keystoneauth1.exceptions import ConnectFailure
    from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.recording import RecordingApi
    nova = Sequence(ConnectFailure('Connection aborted: RemoteDisconnected'), Resp(404, {'itemNotFound': {'message': 'gone'}}))
    api = RecordingApi(Conn(compute=nova))
    assert api.delete('compute', '/servers/srv-1') is True
    assert [c[0] for c in nova.calls] == ['DELETE', 'DELETE'] and waits == [0.5]
    assert [c[1:4] for c in api.changes] == [('server', 'srv-1', 'deleted')]  # billed: the cloud did delete it
    # gone before we asked (no dropped attempt): nothing deleted, nothing billed
    api = RecordingApi(Conn(compute=Sequence(Resp(404, {'itemNotFound': {'message': 'gone'}}))))
    assert api.delete('compute', '/servers/srv-2') is False and api.changes == []
    # a connection that keeps dropping: resent CONNECT_RETRIES times, then the error
    nova = Sequence(*[ConnectFailure('refused')] * 4)
    with pytest.raises(ConnectFailure):
        CloudApi(Conn(compute=nova)).delete('compute', '/servers/srv-3')
    assert len(nova.calls) == 4
    # other errors are not resent
    nova = Sequence(ValueError('not a connection'))
    with pytest.raises(ValueError):
        CloudApi(Conn(compute=nova)).delete('compute', '/servers/srv-4')
    assert len(nova.calls) == 1
