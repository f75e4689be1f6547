"""telco.nfvo.lcm_notifications' pure part: SOL003 VnfLcmOperationOccurrenceNotifications -> events; malformed
ones refused with the reason (answered 400). The notifications are made by the lifecycle modules' own code
(lcm/notify.py), so what the modules post is what the source takes."""
import json

import pytest

from ansible_collections.telco.nfvo.extensions.eda.plugins.event_source import lcm_notifications as N
from ansible_collections.telco.nfvo.extensions.eda.plugins.module_utils.webhook import PayloadError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import notify

IID = '11111111-2222-3333-4444-555555555555'
OCC = '99999999-8888-7777-6666-555555555555'


def note(state='FAILED_TEMP', **changes):
    occ = {'id': OCC, 'vnfInstanceId': IID, 'operation': 'SCALE', 'operationState': state,
           'resourceChanges': {'affectedVnfcs': [{'id': 'VDU1-1', 'changeType': 'ADDED'}]},
           'error': {'status': 400, 'title': 'Scale failed', 'detail': 'Invalid input for field/attribute metadata'}}
    out = notify.notification(occ, 'sub-1')
    out.update(changes)
    return out


def body(value):
    return json.dumps(value).encode()


@pytest.mark.parametrize('state', N.STATES)
def test_every_state_the_modules_post_is_one_event(state):
    sent = note(state)
    event = N.parse_notification(body(sent))
    assert event == sent
    assert (event['operationState'], event['vnfLcmOpOccId'], event['vnfInstanceId']) == (state, OCC, IID)
    assert event['notificationStatus'] == ('START' if state in notify.START_STATES else 'RESULT')


def test_the_states_are_those_of_sol003_and_of_notify():
    assert set(notify.START_STATES) < set(N.STATES) and len(N.STATES) == 7
    assert N.NOTIFICATION_TYPE == notify.NOTIFICATION_TYPE


def test_a_result_keeps_error_and_changes():
    event = N.parse_notification(body(note()).decode())
    assert event['error']['detail'].startswith('Invalid input') and event['affectedVnfcs'][0]['id'] == 'VDU1-1'


@pytest.mark.parametrize('value, words', [
    ([1, 2], 'not a JSON object'),
    ({'alerts': []}, "notificationType None is not VnfLcmOperationOccurrenceNotification"),
    (note(notificationType='VnfIdentifierCreationNotification'), "'VnfIdentifierCreationNotification' is not"),
    (note(vnfLcmOpOccId=''), 'has no vnfLcmOpOccId'),
    (note(vnfInstanceId=None, operation=3), 'has no vnfInstanceId, operation'),
    (note(operationState='DONE'), "operationState 'DONE' is not one of STARTING, PROCESSING"),
    (note(operationState=None), 'operationState None'),
    (note(notificationStatus='END'), "notificationStatus 'END' is not one of START, RESULT"),
])
def test_malformed_notifications_are_refused_with_the_reason(value, words):
    with pytest.raises(PayloadError, match=words.replace('(', r'\(')):
        N.parse_notification(body(value))


def test_not_json():
    with pytest.raises(PayloadError, match='body is not JSON'):
        N.parse_notification(b'{"notificationType": ')
