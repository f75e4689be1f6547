# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client of the collection: JSON REST calls through openstacksdk's service proxies.

``CloudApi`` rides on an openstacksdk Connection (authentication, the endpoint catalogue, retries, microversion
headers) and gives every caller the same: JSON in and out, one paginator (``list``: ``<key>_links`` next links),
``CloudError`` (base/errors.py) carrying the cloud's own words and the HTTP status, and bounded concurrency
(``run_concurrently``). Discovery, the executor, usage recording, NFVI facts and image onboarding all call the
cloud through it.

Retries: a call that can be repeated without changing its outcome (GET, HEAD, DELETE, and a PUT that is neither
conditional nor streamed: a PUT sets the whole state it names, e.g. a tag list or a record) is retried on a dropped
connection (keystoneauth's connect retries; any other call is sent once, whatever clouds.yaml's ``connect_retries``
says: a create whose answer was lost would be made twice) and on a transient answer, 503 Service Unavailable or 429 Too Many
Requests (here: RETRY_ATTEMPTS answers at most, backoff RETRY_BACKOFF doubling, a Retry-After of seconds or an HTTP
date honoured up to RETRY_AFTER_CAP). Never retried: POST and PATCH (a create or an action that may have been done),
a PUT with If-Match (the instance lock: a repeat of a write that was applied would read as a lost race) and a
streamed upload (its body cannot be sent twice). The last answer of an exhausted retry is the caller's error.
A DELETE whose connection dropped is sent again here, not by keystoneauth: when the resend answers 404, the dropped
attempt did the delete (the cloud carried it out, its answer was lost), so the call answers as deleted and the usage
recording bills the deletion.
"""
from __future__ import annotations

import copy
import email.utils
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError

COMPUTE_MICROVERSION = '2.73'  # server tags at create (2.52), tags filters (2.26), server group policy (2.64)
VOLUME_MICROVERSION = '3.0'  # the metadata filter of /volumes/detail is accepted without resource_filters at 3.0
RETRY_STATUSES = (429, 503)
RETRY_ATTEMPTS = 4  # answers at most: the first and 3 retries
RETRY_BACKOFF = 0.5  # seconds before the first retry, doubled for each next one
RETRY_AFTER_CAP = 10.0  # a longer Retry-After is waited this long (then the retry's answer decides)
CONNECT_RETRIES = 3  # resends of a repeatable call whose connection dropped
UUID_PATTERN = re.compile(r'^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$')


def is_uuid(text):
    """True when ``text`` looks like an OpenStack id (a UUID, with or without dashes)."""
    return bool(UUID_PATTERN.match(text or ''))


def retriable(method, headers=None, data=None):
    """True when a call may be sent again with the same outcome (see the module docstring: which calls and why)."""
    if data is not None or method not in ('GET', 'HEAD', 'DELETE', 'PUT'):
        return False
    return not (method == 'PUT' and any(k.lower() == 'if-match' for k in headers or ()))


def _dropped(exc):
    """Whether ``exc`` is a connection that dropped, was refused or timed out (what keystoneauth's connect retries
    resend)."""
    try:
        # here, not at the top: keystoneauth comes with openstacksdk, which NfvoModule checks only when a module needs the cloud
        from keystoneauth1.exceptions import RetriableConnectionFailure
    except ImportError:
        return False
    return isinstance(exc, RetriableConnectionFailure)


def retry_delay(resp, attempt):
    """Seconds to wait before retrying after ``resp`` (the ``attempt``-th answer, from 1): its Retry-After (seconds or
    an HTTP date) up to RETRY_AFTER_CAP, else the backoff."""
    backoff = RETRY_BACKOFF * 2 ** (attempt - 1)
    value = (resp.headers or {}).get('Retry-After')
    if not value:
        return backoff
    try:
        delay = float(value)
    except ValueError:
        try:
            delay = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, IndexError):
            return backoff
    return min(max(delay, 0.0), RETRY_AFTER_CAP)


def _cloud_message(resp):
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        if isinstance(body.get('NeutronError'), dict):
            return body['NeutronError'].get('message') or str(body['NeutronError'])
        if len(body) == 1:
            inner = next(iter(body.values()))
            if isinstance(inner, dict) and inner.get('message'):
                return inner['message']
        if body.get('message'):
            return body['message']
        if body.get('error_message'):
            return str(body['error_message'])
    text = (resp.text or '').strip()
    text = re.sub(r'<[^>]+>', ' ', text)
    return ' '.join(text.split()) or resp.reason or 'HTTP %s' % resp.status_code


class CreateTags:
    """Whether this cloud takes tags in a Neutron create request, per collection ('networks', 'ports'...), learnt
    once for the whole run: some refuse them (HTTP 400) or drop them, and want one ``PUT .../tags`` after the create.
    Creates running before the first answer is learnt do not wait for it (that held every VNF's port create behind
    the first one's): on a cloud that refuses tags, those few are refused and sent again, every later one is not."""

    def __init__(self):
        self._known = {}

    def accepted(self, collection):
        """True / False when learnt, None while not known."""
        return self._known.get(collection)

    def learn(self, collection, accepted):
        self._known[collection] = bool(accepted)


class CloudApi:
    """JSON REST calls through an openstacksdk Connection's service proxies (auth, endpoints, retries);
    ``create_tags``: what the cloud does with tags on create, learnt once for the run (``CreateTags``)."""

    sleep = staticmethod(time.sleep)  # the wait between retries (a test replaces it)
    PROXIES = {'network': 'network', 'compute': 'compute', 'volume': 'block_storage', 'image': 'image', 'identity': 'identity'}

    def __init__(self, conn):
        self.conn = conn
        self._proxies = {}
        self.create_tags = CreateTags()

    def _proxy(self, service):
        if service not in self._proxies:  # made on first use: a proxy of a service not called costs nothing
            self._proxies[service] = getattr(self.conn, self.PROXIES[service])
        return self._proxies[service]

    def send(self, service, method, url, json_body=None, params=None, headers=None, microversion=None, data=None):
        """The raw response (any status) of one call; ``request`` is what callers normally use. ``data``: a body
        other than JSON (an iterable of bytes is streamed, never held in memory: a Glance image upload). A repeatable
        call (``retriable``) is retried on a dropped connection and on a 503 or 429 answer."""
        kwargs = {'raise_exc': False}
        repeat = retriable(method, headers, data)
        # a dropped connection: a repeatable call is sent again; any other never is, whatever the cloud config's
        # connect_retries says (a create whose answer was lost would be made twice); a DELETE is resent here (below)
        kwargs['connect_retries'] = CONNECT_RETRIES if repeat and method != 'DELETE' else 0
        if service == 'compute':
            kwargs['microversion'] = microversion or COMPUTE_MICROVERSION
        elif service == 'volume':
            kwargs['microversion'] = microversion or VOLUME_MICROVERSION
        if json_body is not None:
            kwargs['json'] = json_body
        if data is not None:
            kwargs['data'] = data
        if params:
            kwargs['params'] = params
        if headers:
            kwargs['headers'] = headers
        attempt, drops = 1, 0
        while True:
            try:
                resp = self._proxy(service).request(url, method, **kwargs)
            except Exception as exc:  # a DELETE's dropped connection: resent (keystoneauth does it for the others)
                if method != 'DELETE' or drops >= CONNECT_RETRIES or not _dropped(exc):
                    raise
                drops += 1
                self.sleep(RETRY_BACKOFF * 2 ** (drops - 1))
                continue
            if drops and method == 'DELETE' and resp.status_code == 404:
                resp.done_by_dropped_attempt = True  # gone now: the attempt whose answer was lost deleted it
            if not repeat or resp.status_code not in RETRY_STATUSES or attempt >= RETRY_ATTEMPTS:
                return resp
            self.sleep(retry_delay(resp, attempt))
            attempt += 1

    def request(self, service, method, url, json_body=None, params=None, headers=None, ok_missing=False, microversion=None):
        """The JSON body of the answer ({} when there is none); None for a 404 when ``ok_missing``; else CloudError."""
        resp = self.send(service, method, url, json_body=json_body, params=params, headers=headers, microversion=microversion)
        return self._body(resp, ok_missing)

    def upload(self, service, url, stream, content_type='application/octet-stream'):
        """PUT a streamed body (an iterable of bytes); CloudError on an error answer. Not through ``request``: the body is
        not JSON and is not retried."""
        return self._body(self.send(service, 'PUT', url, headers={'Content-Type': content_type}, data=stream))

    def unanswered_create(self, kind, resource):
        """``resource`` (of ``kind``: server, network, port...) was made by a create whose answer was lost and found
        later by its marks. Nothing to do for a plain client; the usage recording (chargeback/recording.py) bills it."""

    @staticmethod
    def _body(resp, ok_missing=False):
        if resp.status_code == 404 and ok_missing:
            return {} if getattr(resp, 'done_by_dropped_attempt', False) else None
        if resp.status_code >= 400:
            raise CloudError(_cloud_message(resp), resp.status_code)
        if resp.status_code == 204 or not resp.content:
            return {}
        try:
            return resp.json()
        except ValueError:
            return {}

    def get(self, service, url, params=None, **kw):
        return self.request(service, 'GET', url, params=params, **kw)

    def post(self, service, url, body, **kw):
        return self.request(service, 'POST', url, json_body=body, **kw)

    def put(self, service, url, body, **kw):
        return self.request(service, 'PUT', url, json_body=body, **kw)

    def delete(self, service, url, **kw):
        """True when deleted, False when it was already gone."""
        return self.request(service, 'DELETE', url, ok_missing=True, **kw) is not None

    def list(self, service, url, key, params=None, microversion=None, seen=None):
        """Every item of a (paginated) list call: THE paginator. It follows Nova / Neutron / Cinder / Keystone
        ``<key>_links`` next links and Glance's ``next`` path. ``seen``: a dict that gets the ``Date`` header of the
        first answer (the cloud's clock)."""
        out = []
        if seen is None:
            body = self.get(service, url, params=params, microversion=microversion)
        else:  # the raw answer, for its headers (not through request(): only the inventory asks, with a plain CloudApi)
            resp = self.send(service, 'GET', url, params=params, microversion=microversion)
            seen.setdefault('date', resp.headers.get('Date'))
            body = self._body(resp)
        while True:
            out.extend(body.get(key) or [])
            nxt = _next_page(body, key) if body.get(key) else None
            if not nxt:
                return out
            body = self.get(service, nxt, microversion=microversion)


class ReadCache:
    """A CloudApi for a phase that only reads (the previews of an NS's VNFs): each distinct ``get`` / ``list`` call is
    sent once and its answer shared by every caller, also by those asking while it is in flight (concurrent
    previews of VNFs of one package ask for the same flavors, images and networks). Anything else goes to ``api``."""

    def __init__(self, api):
        self.api = api
        self._answers = {}  # call -> (Event set when answered, [answer or the error])
        self._guard = threading.Lock()

    def __getattr__(self, name):
        return getattr(self.api, name)

    def _once(self, call, fn):
        with self._guard:
            entry = self._answers.get(call)
            mine = entry is None
            if mine:
                entry = self._answers[call] = (threading.Event(), [])
        if mine:
            try:
                entry[1].append(fn())
            except Exception as exc:  # every caller gets the same error
                entry[1].append(exc)
            entry[0].set()
        entry[0].wait()
        if isinstance(entry[1][0], Exception):
            raise entry[1][0]
        return copy.deepcopy(entry[1][0])  # each caller its own: a caller may change what it got

    def get(self, service, url, params=None, **kw):
        return self._once(('get', service, url, repr(params), repr(sorted(kw.items()))), lambda: self.api.get(service, url, params=params, **kw))

    def list(self, service, url, key, params=None, microversion=None, seen=None):
        if seen is not None:
            return self.api.list(service, url, key, params=params, microversion=microversion, seen=seen)
        return self._once(('list', service, url, key, repr(params), microversion),
                          lambda: self.api.list(service, url, key, params=params, microversion=microversion))


def _next_page(body, key):
    nxt = next((link.get('href') for link in body.get('%s_links' % key) or () if link.get('rel') == 'next'), None)
    if nxt is None and isinstance(body.get('next'), str):  # Glance: a path from the API root ('/v2/images?marker=...')
        nxt = body['next']
        if nxt.startswith('/v2/'):
            nxt = nxt[3:]
    return nxt


def run_concurrently(jobs, max_workers=8):
    """{name: result} of {name: callable}, run in a bounded pool; the first error is raised."""
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(jobs)))) as pool:
        futures = {name: pool.submit(fn) for name, fn in jobs.items()}
        return {name: f.result() for name, f in futures.items()}
