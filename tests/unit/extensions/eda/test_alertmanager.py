"""telco.nfvo.alertmanager's pure part: Alertmanager payloads with Tacker's labels -> events, dedupe (the token:
test_webhook.py).
(The HTTP side - 400 / 401 / 413, the source going on - is tested with the real ansible-rulebook in
tests/integration/test_eda.py: aiohttp comes with ansible-rulebook, not with the unit test environment.)"""
import json

import pytest

from ansible_collections.telco.nfvo.extensions.eda.plugins.event_source import alertmanager as A

IID = '11111111-2222-3333-4444-555555555555'


def alert(status='firing', fp='f1', **labels):
    base = {'receiver_type': 'tacker', 'function_type': 'auto_scale', 'vnf_instance_id': IID, 'auto_scale_type': 'scale_out',
            'aspect_id': 'VDU1_scale', 'perceived_severity': 'WARNING', 'alertname': 'HighLoad'}
    base.update(labels)
    out = {'status': status, 'labels': base, 'annotations': {'summary': 'hot'}, 'startsAt': '2026-12-01T10:00:00Z'}
    if fp:
        out['fingerprint'] = fp
    return out


def payload(*alerts, **kw):
    return json.dumps(dict({'version': '4', 'status': 'firing', 'receiver': 'nfvo', 'alerts': list(alerts)}, **kw)).encode()


def test_tacker_labels_become_the_event():
    [event] = A.parse_alerts(payload(alert()))
    assert {k: event[k] for k in ('function_type', 'vnf_instance_id', 'aspect_id', 'auto_scale_type', 'perceived_severity',
                                  'receiver_type', 'alertname', 'status', 'resolved', 'fingerprint')} == {
        'function_type': 'auto_scale', 'vnf_instance_id': IID, 'aspect_id': 'VDU1_scale', 'auto_scale_type': 'SCALE_OUT',
        'perceived_severity': 'WARNING', 'receiver_type': 'tacker', 'alertname': 'HighLoad', 'status': 'firing',
        'resolved': False, 'fingerprint': 'f1'}
    assert event['alert']['annotations'] == {'summary': 'hot'}


def test_one_event_per_alert_heal_labels_and_resolved():
    heal = alert(fp='f2', function_type='auto_heal', vnfc_info_id='VDU1-0')
    events = A.parse_alerts(payload(alert(), heal, alert(status='resolved', fp='f3')))
    assert [(e['function_type'], e.get('vnfc_info_id'), e['resolved']) for e in events] == [
        ('auto_scale', None, False), ('auto_heal', 'VDU1-0', False), ('auto_scale', None, True)]


def test_fingerprint_from_labels_when_absent():
    a, b = A.parse_alerts(payload(alert(fp=None), alert(fp=None, aspect_id='other')))
    assert a['fingerprint'] != b['fingerprint'] and a['fingerprint'] == A.parse_alerts(payload(alert(fp=None)))[0]['fingerprint']


@pytest.mark.parametrize('body, words', [
    (b'{not json', 'body is not JSON'),
    (b'[1, 2]', 'no "alerts" list'),
    (b'{"alerts": {"a": 1}}', 'no "alerts" list'),
    (b'{"alerts": ["x"]}', 'alert 0 is not an object'),
    (b'{"alerts": [{"labels": [1]}]}', 'alert 0 is not an object'),
    (b'{"alerts": [{"labels": {}, "status": "pending"}]}', "status 'pending'"),
])
def test_bad_payloads(body, words):
    with pytest.raises(A.PayloadError, match=words):
        A.parse_alerts(body)


class Clock:
    t = 1000.0

    def __call__(self):
        return self.t


def test_dedupe_window_and_resolved_clears():
    clock = Clock()
    dd = A.Dedupe(300, clock)
    firing, resolved = A.parse_alerts(payload(alert(), alert(status='resolved')))
    assert dd.admit(firing) is True
    assert [dd.admit(dict(firing)) for dummy in range(4)] == [False] * 4  # Alertmanager's repeats
    clock.t += 301
    assert dd.admit(firing) is True  # the window is over
    assert dd.admit(resolved) is True and 'f1' not in dd.seen  # resolved: emitted, and forgotten
    assert dd.admit(firing) is True  # firing again after it was resolved: a new alert


def test_dedupe_state_stays_small():
    clock = Clock()
    dd = A.Dedupe(10, clock)
    for n in range(100):
        dd.admit({'fingerprint': 'f%d' % n, 'resolved': False})
        clock.t += 1
    assert len(dd.seen) <= 10
    nodedupe = A.Dedupe(0, clock)
    assert all(nodedupe.admit({'fingerprint': 'x', 'resolved': False}) for dummy in range(3)) and nodedupe.seen == {}
