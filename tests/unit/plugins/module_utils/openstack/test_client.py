"""openstack/client.py: the one paginator (both link styles), error answers, the Date of the first page.

The openstacksdk service proxy is stubbed (a test of our logic, not of the cloud: the integration tests use the real one)."""
import json

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi, is_uuid, run_concurrently


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
    assert 'connect_retries' not in neutron.calls[0][2] and neutron.calls[1][2]['connect_retries'] == 3


def test_uuid_and_concurrency_helpers():
    assert is_uuid('0b5e6a4e-1f6a-4b7e-9a55-0d6f1c2b3a4d') and is_uuid('0b5e6a4e1f6a4b7e9a550d6f1c2b3a4d')
    assert not is_uuid('cirros-0.6.3') and not is_uuid(None)
    assert run_concurrently({'a': lambda: 1, 'b': lambda: 2}) == {'a': 1, 'b': 2}
