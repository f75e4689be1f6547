# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""LCM notifications: each state an LCM operation occurrence enters, posted as an ETSI SOL003
``VnfLcmOperationOccurrenceNotification`` to the webhook receivers of the lifecycle modules' ``notify`` option.

``Notifier`` (one per task, shared by every operation of it, thread safe: the NS modules run VNF operations
concurrently) posts in order, one notification after the other, with a per-post timeout and retries of a refused
connection or a 429 / 5xx answer. A receiver that does not answer within its timeout is not posted to again in that
task. All posts of one task take at most ``BOUND`` seconds in all; what is left after that is dropped. A receiver
that is down never fails the operation: at the end of the task it is one warning (``report``). The body holds no
operation parameters (user data) and none of the task's no_log values; warnings name the receiver without its user
info or query string.
Standard library only (``urllib``): receivers are not the cloud, so not ``openstack/client.py``.
"""
from __future__ import annotations

import base64
import datetime
import http.client
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError

BOUND = 5.0  # seconds all notifications of one task may take, in all
BACKOFF = 0.25  # seconds before the first retry of a post; doubled for each next one
START_STATES = ('STARTING', 'PROCESSING', 'ROLLING_BACK')  # notificationStatus START; the others are RESULT
NOTIFICATION_TYPE = 'VnfLcmOperationOccurrenceNotification'
MASK = '********'


def notify_option():
    """The ``notify`` argument spec of the lifecycle modules (documented by doc_fragments/notify.py)."""
    return dict(notify=dict(type='list', elements='dict', options=dict(
        url=dict(type='str', required=True),
        headers=dict(type='dict', default={}, no_log=True),
        timeout=dict(type='float', default=2.0),
        retries=dict(type='int', default=2),
        validate_certs=dict(type='bool', default=True))))


def notification(occ, subscription_id, ts=None):
    """The SOL003 VnfLcmOperationOccurrenceNotification of a VnfLcmOpOcc dict (``sol003.lcm_op_occ``) for one
    receiver. Resource changes and the error are only in RESULT notifications; operationParams never are."""
    state = occ['operationState']
    status = 'START' if state in START_STATES else 'RESULT'
    out = {
        'id': str(uuid.uuid4()),
        'notificationType': NOTIFICATION_TYPE,
        'subscriptionId': subscription_id,
        'timeStamp': _iso(ts),
        'notificationStatus': status,
        'operationState': state,
        'vnfInstanceId': occ['vnfInstanceId'],
        'operation': occ['operation'],
        'isAutomaticInvocation': bool(occ.get('isAutomaticInvocation')),
        'verbosity': 'FULL',
        'vnfLcmOpOccId': occ['id'],
        '_links': {'vnfInstance': {'href': '/vnflcm/v2/vnf_instances/%s' % occ['vnfInstanceId']},
                   'subscription': {'href': '/vnflcm/v2/subscriptions/%s' % subscription_id},
                   'vnfLcmOpOcc': {'href': '/vnflcm/v2/vnf_lcm_op_occs/%s' % occ['id']}},
    }
    if status == 'RESULT':
        for key, value in sorted((occ.get('resourceChanges') or {}).items()):
            if value:
                out[key] = value
    if occ.get('error'):
        out['error'] = occ['error']
    return out


def _iso(ts=None):
    ts = datetime.datetime.fromtimestamp(ts if ts is not None else time.time(), datetime.timezone.utc)
    return ts.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (ts.microsecond // 1000)


def shown(url):
    """A receiver's URL as warnings show it: scheme, host, port and path (no user info, no query)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ''
    if parts.port:
        host = '%s:%d' % (host, parts.port)
    return '%s://%s%s' % (parts.scheme, host, parts.path)


def mask(value, secrets):
    """A copy of ``value`` with every string holding one of ``secrets`` (longest first) masked, through dicts and lists."""
    if isinstance(value, dict):
        return {k: mask(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v, secrets) for v in value]
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, MASK)
    return value


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A receiver answering 3xx has not taken the notification: no POST is re-sent elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Receiver:
    """One entry of ``notify``: where to post, with which headers, timeout and retries."""

    def __init__(self, url, headers=None, timeout=2.0, retries=2, validate_certs=True):
        self.url, self.headers, self.timeout, self.retries = url, dict(headers or {}), float(timeout), int(retries)
        parts = urllib.parse.urlsplit(url)
        if parts.username is not None:  # user info in the URL: HTTP basic authentication
            self.url = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition('@')[2]))
            creds = '%s:%s' % (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ''))
            self.headers.setdefault('Authorization', 'Basic %s' % base64.b64encode(creds.encode('utf-8')).decode('ascii'))
        self.subscription_id = str(uuid.uuid5(uuid.NAMESPACE_URL, shown(url)))
        context = None if validate_certs else ssl._create_unverified_context()  # pylint: disable=protected-access
        self.opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=context))
        self.down = None  # why it is not posted to again in this task
        self.delivered, self.missed, self.why = 0, 0, None  # notifications taken, not taken, why the first was not

    @classmethod
    def from_entry(cls, index, entry):
        url = str(entry.get('url') or '')
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ('http', 'https') or not parts.hostname:
            raise LcmError('notify[%d].url %s: not an http or https URL with a host' % (index, shown(url) if parts.scheme else '(given)'))
        if entry.get('timeout') is not None and float(entry['timeout']) <= 0:
            raise LcmError('notify[%d].timeout of %s: must be more than 0 seconds' % (index, shown(url)))
        if entry.get('retries') is not None and int(entry['retries']) < 0:
            raise LcmError('notify[%d].retries of %s: must be 0 or more' % (index, shown(url)))
        return cls(url, entry.get('headers'), 2.0 if entry.get('timeout') is None else entry['timeout'],
                   2 if entry.get('retries') is None else entry['retries'], entry.get('validate_certs', True) is not False)


class Notifier:
    """Posts the occurrences of one task's operations to its receivers (``send``), within ``bound`` seconds in all.

    ``secrets``: values masked in every body; ``report()``: the warnings of the task."""

    def __init__(self, receivers, secrets=(), bound=BOUND, clock=time.monotonic, sleep=time.sleep):
        self.receivers, self.secrets = list(receivers), secrets  # a live set: read at each send
        self.bound, self.clock, self.sleep = bound, clock, sleep
        self.spent = 0.0  # seconds the task has waited for receivers
        self.sent = []  # (state, receiver url shown) of each notification delivered
        self.lock = threading.Lock()

    @classmethod
    def from_option(cls, entries, secrets=()):
        """The Notifier of a module's ``notify`` option (None when it is empty); an entry that is not usable is
        refused before the operation starts."""
        receivers = [Receiver.from_entry(i, e if isinstance(e, dict) else {'url': e}) for i, e in enumerate(entries or [])]
        return cls(receivers, secrets=secrets) if receivers else None

    def send(self, occ):
        """Post the VnfLcmOpOcc dict ``occ`` (its operationState: the state just entered) to every receiver."""
        secrets = sorted({str(v) for v in self.secrets if v}, key=len, reverse=True)
        with self.lock:
            for r in self.receivers:
                if r.down is None:
                    self._deliver(r, occ, secrets)
                else:
                    r.missed += 1

    def _deliver(self, r, occ, secrets):
        data = json.dumps(mask(notification(occ, r.subscription_id), secrets), sort_keys=True).encode('utf-8')
        headers = {'Content-Type': 'application/json', 'Accept': 'application/json', 'User-Agent': 'telco.nfvo'}
        headers.update(r.headers)
        for attempt in range(r.retries + 1):
            left = self.bound - self.spent
            if left < 0.05:
                return self._missed(r, 'the %g s bound of all notifications of the task was spent' % self.bound)
            t0 = self.clock()
            try:
                reason = self._post(r, data, headers, min(r.timeout, left))
            finally:
                self.spent += self.clock() - t0
            if reason is None:
                self.sent.append((occ['operationState'], shown(r.url)))
                r.delivered += 1
                return None
            if r.down is not None or attempt == r.retries:
                return self._missed(r, r.down or reason)
            t0 = self.clock()
            self.sleep(max(0.0, min(BACKOFF * 2 ** attempt, self.bound - self.spent)))
            self.spent += self.clock() - t0
        return None

    def _post(self, r, data, headers, timeout):
        """None when the receiver took it; else why not (``r.down`` set when it is not to be posted to again)."""
        req = urllib.request.Request(r.url, data=data, method='POST', headers=headers)
        try:
            with r.opener.open(req, timeout=timeout) as resp:
                resp.read(65536)
            return None
        except urllib.error.HTTPError as exc:
            if exc.code == 429 or exc.code >= 500:
                return 'HTTP %d' % exc.code
            r.down = 'HTTP %d: not posted to again in this task' % exc.code
        except (socket.timeout, TimeoutError):
            r.down = 'no answer within %g s: not posted to again in this task' % timeout
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            reason = getattr(exc, 'reason', exc)
            if isinstance(reason, (socket.timeout, TimeoutError)):
                r.down = 'no answer within %g s: not posted to again in this task' % timeout
            else:
                return str(reason).splitlines()[0] if str(reason) else type(reason).__name__
        return r.down

    @staticmethod
    def _missed(r, reason):
        r.missed += 1
        r.why = r.why or reason
        return None

    def report(self):
        """One warning per receiver that missed notifications of the task, with the time all posts took."""
        with self.lock:
            return ['LCM notifications to %s: %d of %d not delivered (%s); all posts of the task took %.1f s (bound %g s),'
                    ' the operation went on' % (shown(r.url), r.missed, r.missed + r.delivered, r.why, self.spent, self.bound)
                    for r in self.receivers if r.missed]
