# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event source telco.nfvo.alertmanager: a webhook for Prometheus Alertmanager, one event per alert.

It reads Tacker's Prometheus plugin labels (``function_type`` auto_heal / auto_scale, ``vnf_instance_id``,
``vnfc_info_id``, ``aspect_id``, ``auto_scale_type`` SCALE_OUT / SCALE_IN, ``perceived_severity``), so alert rules
written for Tacker work unchanged. A firing alert already emitted and not resolved since is dropped for
``dedupe_window`` seconds (Alertmanager repeats it); a resolved one becomes a resolved event and clears that.
The HTTP side (token, body bound, 400 / 401 / 413) is the one of every telco.nfvo webhook source
(``extensions/eda/plugins/module_utils/webhook.py``). The pure part (``parse_alerts``, ``Dedupe``) is unit tested;
``main`` is the ansible-rulebook entry point.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time

try:
    from ansible_collections.telco.nfvo.extensions.eda.plugins.module_utils import webhook
except ImportError:  # run by ansible-rulebook (runpy) from a collections path: make that path importable
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), *(['..'] * 7))))
    from ansible_collections.telco.nfvo.extensions.eda.plugins.module_utils import webhook

DOCUMENTATION = r'''
---
short_description: Receive Prometheus Alertmanager alerts with Tacker's labels.
description:
  - An ansible-rulebook event source - an HTTP webhook (aiohttp) that Alertmanager posts its payloads to (any path).
    Each alert of a payload is one event.
  - Tacker's Prometheus plugin labels are read into the event - C(function_type) (C(auto_heal), C(auto_scale)),
    C(vnf_instance_id), C(vnfc_info_id), C(aspect_id), C(auto_scale_type) (C(SCALE_OUT), C(SCALE_IN)),
    C(perceived_severity); C(vnf_instance_name) may name the VNF instead of its id.
  - A firing alert already emitted is not emitted again within O(dedupe_window) seconds (by its Alertmanager
    C(fingerprint), else its labels). A C(resolved) alert is emitted with C(resolved=true) and clears that state.
  - Answers C(202) with the number of events emitted; C(400) to a body that is not an Alertmanager payload (logged,
    the source goes on), C(401) to a missing or wrong token, C(413) to a body over O(max_body_bytes). C(GET) answers
    C(200) (a liveness probe).
options:
  host:
    description: Address to listen on.
    type: str
    default: 127.0.0.1
  port:
    description: TCP port to listen on.
    type: int
    default: 5050
  token:
    description: When set, a post must carry C(Authorization - Bearer <token>).
    type: str
  max_body_bytes:
    description: Largest body accepted.
    type: int
    default: 1048576
  dedupe_window:
    description: Seconds a firing alert already emitted is not emitted again (0 - never deduplicated).
    type: float
    default: 300
'''

EXAMPLES = r'''
- name: Scale on load alerts
  hosts: localhost
  sources:
    - telco.nfvo.alertmanager:
        port: 5050
        token: "{{ alert_token }}"
  rules:
    - name: Scale out
      condition: event.function_type == "auto_scale" and event.auto_scale_type == "SCALE_OUT" and not event.resolved
      throttle:
        once_within: 5 minutes
        group_by_attributes: [event.vnf_instance_id, event.aspect_id]
      action:
        run_playbook:
          name: "{{ nfvo_eda.playbooks }}/closed_loop.yml"  # this collection's extensions/eda/playbooks
          extra_vars:
            nfvo_eda: "{{ nfvo_eda }}"
            nfvo_eda_action: scale_out
'''

RETURN = r'''
status:
  description: C(firing) or C(resolved).
  type: str
resolved:
  description: True for a resolved alert - rules never heal or scale on it.
  type: bool
function_type:
  description: C(auto_heal) or C(auto_scale) (Tacker's label), or what the alert says.
  type: str
vnf_instance_id:
  description: The VNF instance id label.
  type: str
vnf_instance_name:
  description: The VNF name label, when the alert rule gives one.
  type: str
vnfc_info_id:
  description: The VNFC label (auto_heal).
  type: str
aspect_id:
  description: The scaling aspect label (auto_scale).
  type: str
auto_scale_type:
  description: C(SCALE_OUT) or C(SCALE_IN) (auto_scale).
  type: str
perceived_severity:
  description: The alert's severity label.
  type: str
fingerprint:
  description: Alertmanager's fingerprint of the alert (or one made from its labels).
  type: str
alert:
  description: The alert as posted (labels, annotations, startsAt, endsAt, generatorURL).
  type: dict
'''

LOG = logging.getLogger('telco.nfvo.alertmanager')
LABELS = ('function_type', 'vnf_instance_id', 'vnf_instance_name', 'vnfc_info_id', 'aspect_id', 'auto_scale_type',
          'perceived_severity', 'receiver_type', 'alertname')


PayloadError = webhook.PayloadError  # a body that is not an Alertmanager webhook payload (answered 400)


def fingerprint(alert):
    if alert.get('fingerprint'):
        return str(alert['fingerprint'])
    labels = json.dumps(alert.get('labels') or {}, sort_keys=True)
    return hashlib.sha256(labels.encode()).hexdigest()[:16]


def parse_alerts(body):
    """Events of an Alertmanager payload (bytes or text): one per alert. PayloadError names what is wrong."""
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise PayloadError('body is not JSON: %s' % exc) from None
    if not isinstance(payload, dict) or not isinstance(payload.get('alerts'), list):
        raise PayloadError('not an Alertmanager payload: no "alerts" list')
    events = []
    for n, alert in enumerate(payload['alerts']):
        if not isinstance(alert, dict) or not isinstance(alert.get('labels') or {}, dict):
            raise PayloadError('alert %d is not an object with "labels"' % n)
        labels = {str(k): str(v) for k, v in (alert.get('labels') or {}).items()}
        status = str(alert.get('status') or payload.get('status') or 'firing').lower()
        if status not in ('firing', 'resolved'):
            raise PayloadError('alert %d: status %r is neither firing nor resolved' % (n, status))
        event = {k: labels[k] for k in LABELS if k in labels}
        if 'auto_scale_type' in event:
            event['auto_scale_type'] = event['auto_scale_type'].upper()
        event.update(status=status, resolved=status == 'resolved', fingerprint=fingerprint(alert),
                     alert={k: alert[k] for k in ('labels', 'annotations', 'startsAt', 'endsAt', 'generatorURL') if k in alert})
        events.append(event)
    return events


class Dedupe:
    """Which firing alerts were emitted (fingerprint -> when), so Alertmanager's repeats are dropped."""

    def __init__(self, window, clock=time.monotonic):
        self.window = float(window)
        self.clock = clock
        self.seen = {}

    def admit(self, event):
        """True when ``event`` is to be emitted. A resolved one always is, and forgets its alert."""
        key = event['fingerprint']
        if event['resolved']:
            self.seen.pop(key, None)
            return True
        now = self.clock()
        self.seen = {k: t for k, t in self.seen.items() if now - t < self.window}  # stay small
        if key in self.seen:
            return False
        if self.window > 0:
            self.seen[key] = now
        return True


def make_app(queue, args):
    """The aiohttp application (separate from ``main`` for the tests)."""
    dedupe = Dedupe(args.get('dedupe_window', 300))

    def on_post(body, dummy_path):
        events = parse_alerts(body)
        admitted = [event for event in events if dedupe.admit(event)]
        LOG.info('alertmanager: %d alerts, %d emitted, %d deduplicated', len(events), len(admitted), len(events) - len(admitted))
        return admitted, {'alerts': len(events), 'emitted': len(admitted)}, 202

    return webhook.make_app('alertmanager', LOG, queue, args, on_post, lambda: ({'status': 'ok'}, 200))


async def main(queue, args):
    """The ansible-rulebook entry point: serve until cancelled."""
    await webhook.serve('alertmanager', LOG, make_app(queue, args), args, 5050)
