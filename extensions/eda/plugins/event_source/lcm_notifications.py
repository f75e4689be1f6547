# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event source telco.nfvo.lcm_notifications: the callback URI of ETSI SOL003 LCM notifications, one event each.

The lifecycle modules' ``notify`` option (``plugins/module_utils/lcm/notify.py``) posts a
``VnfLcmOperationOccurrenceNotification`` for each state an LCM operation occurrence enters; this source receives
them (or those of any SOL003 VNFM) and emits each as one event, its fields at the top level. Serving HTTP - the
bearer token, the bounded body, 400 to a malformed notification - is ``webhook.serve`` (in
extensions/eda/plugins/module_utils, shared with telco.nfvo.alertmanager); ``parse_notification``, the check of the
SOL003 shape, is unit tested; ``main`` is the ansible-rulebook entry point.
"""
from __future__ import annotations

import json
import logging
import os
import sys

try:
    from ansible_collections.telco.nfvo.extensions.eda.plugins.module_utils import webhook
except ImportError:  # run by ansible-rulebook (runpy) from a collections path: make that path importable
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), *(['..'] * 7))))
    from ansible_collections.telco.nfvo.extensions.eda.plugins.module_utils import webhook

DOCUMENTATION = r'''
---
short_description: Receive ETSI SOL003 LCM operation occurrence notifications.
description:
  - An ansible-rulebook event source - an HTTP webhook (aiohttp), the callback URI (any path) that the lifecycle
    modules' C(notify) option (or any SOL003 VNFM) posts C(VnfLcmOperationOccurrenceNotification)s to. Each
    notification is one event, its fields at the top level of the event (C(event.operationState)).
  - A notification is checked before it is emitted - a JSON object with C(notificationType)
    C(VnfLcmOperationOccurrenceNotification), C(id), C(vnfInstanceId), C(vnfLcmOpOccId) and C(operation) strings,
    C(notificationStatus) C(START) or C(RESULT), C(operationState) one of C(STARTING), C(PROCESSING), C(COMPLETED),
    C(FAILED_TEMP), C(FAILED), C(ROLLING_BACK), C(ROLLED_BACK); anything else is answered C(400) (logged, the source
    goes on).
  - Answers C(204) to a notification taken; C(401) to a missing or wrong token, C(413) to a body over
    O(max_body_bytes). C(GET) answers C(204) without the token - the SOL003 test of a callback URI a VNFM makes when
    a subscription is created.
options:
  host:
    description: Address of the callback URI (where the source listens).
    type: str
    default: 127.0.0.1
  port:
    description: TCP port of the callback URI.
    type: int
    default: 5000
  token:
    description:
      - When set, a post must carry C(Authorization - Bearer <token>); give the lifecycle modules
        C(notify - [{url - http://HOST:PORT/lcm, headers - {Authorization - Bearer TOKEN}}]).
    type: str
  max_body_bytes:
    description: Largest notification accepted, in bytes.
    type: int
    default: 1048576
'''

EXAMPLES = r'''
- name: Page on failed LCM operations
  hosts: localhost
  sources:
    - telco.nfvo.lcm_notifications:
        port: 5000
        token: "{{ lcm_token }}"
  rules:
    - name: Page on FAILED_TEMP
      condition: event.operationState == "FAILED_TEMP"
      throttle:
        once_within: 10 minutes
        group_by_attributes: [event.vnfLcmOpOccId]
      action:
        run_playbook:
          name: /usr/share/ansible/collections/ansible_collections/telco/nfvo/extensions/eda/playbooks/page.yml
          extra_vars:
            nfvo_eda:
              pager_url: https://pager.example.com/hooks/nfvo
'''

RETURN = r'''
notificationType:
  description: C(VnfLcmOperationOccurrenceNotification).
  type: str
id:
  description: The notification's id.
  type: str
notificationStatus:
  description: C(START) (the occurrence started or goes on) or C(RESULT) (it ended, or failed and waits).
  type: str
operationState:
  description: C(STARTING), C(PROCESSING), C(COMPLETED), C(FAILED_TEMP), C(FAILED), C(ROLLING_BACK) or C(ROLLED_BACK).
  type: str
operation:
  description: The LCM operation - C(INSTANTIATE), C(SCALE), C(SCALE_TO_LEVEL), C(HEAL), C(OPERATE), C(TERMINATE) ...
  type: str
vnfInstanceId:
  description: The VNF instance.
  type: str
vnfLcmOpOccId:
  description: The LCM operation occurrence (what M(telco.nfvo.vnf_lcm_op_occ) retries, rolls back or fails).
  type: str
isAutomaticInvocation:
  description: Whether the operation was started automatically.
  type: bool
error:
  description: The ProblemDetails of a failed occurrence (C(status), C(title), C(detail)), when it failed.
  type: dict
affectedVnfcs:
  description: The VNFCs the occurrence changed (RESULT notifications).
  type: list
  elements: dict
'''

LOG = logging.getLogger('telco.nfvo.lcm_notifications')
NOTIFICATION_TYPE = 'VnfLcmOperationOccurrenceNotification'
STATES = ('STARTING', 'PROCESSING', 'COMPLETED', 'FAILED_TEMP', 'FAILED', 'ROLLING_BACK', 'ROLLED_BACK')
STATUSES = ('START', 'RESULT')
IDS = ('id', 'vnfInstanceId', 'vnfLcmOpOccId', 'operation')


def parse_notification(body):
    """The event of a SOL003 notification body (bytes or text). ``webhook.PayloadError`` names what is wrong."""
    try:
        note = json.loads(body)
    except ValueError as exc:
        raise webhook.PayloadError('body is not JSON: %s' % exc) from None
    if not isinstance(note, dict):
        raise webhook.PayloadError('not a SOL003 notification: not a JSON object')
    if note.get('notificationType') != NOTIFICATION_TYPE:
        raise webhook.PayloadError('notificationType %r is not %s' % (note.get('notificationType'), NOTIFICATION_TYPE))
    missing = [key for key in IDS if not isinstance(note.get(key), str) or not note[key]]
    if missing:
        raise webhook.PayloadError('%s %s has no %s' % (NOTIFICATION_TYPE, note.get('id', '?'), ', '.join(missing)))
    for key, allowed in (('operationState', STATES), ('notificationStatus', STATUSES)):
        if note.get(key) not in allowed:
            raise webhook.PayloadError('%s %s: %s %r is not one of %s'
                                       % (NOTIFICATION_TYPE, note['id'], key, note.get(key), ', '.join(allowed)))
    return note


def make_app(queue, args):
    """The aiohttp application (separate from ``main`` for the tests)."""

    def on_post(body, dummy_path):
        note = parse_notification(body)
        LOG.info('lcm_notifications: %s %s of VNF instance %s: %s', note['operation'], note['vnfLcmOpOccId'],
                 note['vnfInstanceId'], note['operationState'])
        return [note], None, 204

    return webhook.make_app('lcm_notifications', LOG, queue, args, on_post, lambda: (None, 204))


async def main(queue, args):
    """The ansible-rulebook entry point: serve until cancelled."""
    await webhook.serve('lcm_notifications', LOG, make_app(queue, args), args, 5000)
