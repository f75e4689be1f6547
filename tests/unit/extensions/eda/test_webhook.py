"""The HTTP side shared by telco.nfvo's webhook sources, its pure part: the bearer token, the error the sources
raise for a body they refuse. (The server - 400 / 401 / 413, the source going on - is tested with the real
ansible-rulebook in tests/integration/test_eda.py: aiohttp comes with ansible-rulebook, not with the unit test
environment.)"""
from ansible_collections.telco.nfvo.extensions.eda.plugins.event_source import alertmanager, lcm_notifications
from ansible_collections.telco.nfvo.extensions.eda.plugins.module_utils import webhook as W


def test_token():
    assert W.authorized(None, None) and W.authorized('whatever', '')
    assert W.authorized('Bearer s3cret', 's3cret') and W.authorized('bearer s3cret', 's3cret')
    assert W.authorized('Bearer  s3cret ', 's3cret')
    assert not W.authorized(None, 's3cret') and not W.authorized('Bearer nope', 's3cret') and not W.authorized('Basic s3cret', 's3cret')
    assert not W.authorized('Bearer', 's3cret') and not W.authorized('s3cret', 's3cret')


def test_both_sources_refuse_with_the_one_error():
    """A refused body is the same PayloadError for both sources: the server answers it 400 once for all."""
    assert alertmanager.PayloadError is W.PayloadError
    for parse in (alertmanager.parse_alerts, lcm_notifications.parse_notification):
        try:
            parse(b'{not json')
        except W.PayloadError as exc:
            assert str(exc).startswith('body is not JSON')
        else:
            raise AssertionError('%s took a body that is not JSON' % parse.__name__)
