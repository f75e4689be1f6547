# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client of the collection: JSON REST calls through openstacksdk's service proxies.

``CloudApi`` rides on an openstacksdk Connection (authentication, the endpoint catalogue, retries, microversion
headers) and gives every caller the same: JSON in and out, one paginator (``list``: ``<key>_links`` next links),
``CloudError`` (base/errors.py) carrying the cloud's own words and the HTTP status, and bounded concurrency
(``run_concurrently``). Discovery, the executor, usage recording, NFVI facts and image onboarding all call the
cloud through it.
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError

COMPUTE_MICROVERSION = '2.73'  # server tags at create (2.52), tags filters (2.26), server group policy (2.64)
VOLUME_MICROVERSION = '3.0'  # the metadata filter of /volumes/detail is accepted without resource_filters at 3.0
UUID_PATTERN = re.compile(r'^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$')


def is_uuid(text):
    """True when ``text`` looks like an OpenStack id (a UUID, with or without dashes)."""
    return bool(UUID_PATTERN.match(text or ''))


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


class CloudApi:
    """JSON REST calls through an openstacksdk Connection's service proxies (auth, endpoints, retries)."""

    def __init__(self, conn):
        self.conn = conn
        self._proxies = {'network': conn.network, 'compute': conn.compute, 'volume': conn.block_storage, 'image': conn.image}

    def request(self, service, method, url, json_body=None, params=None, headers=None, ok_missing=False, microversion=None):
        kwargs = {'raise_exc': False}
        if method in ('GET', 'PUT', 'DELETE'):  # idempotent: a dropped connection is retried
            kwargs['connect_retries'] = 3
        if service == 'compute':
            kwargs['microversion'] = microversion or COMPUTE_MICROVERSION
        elif service == 'volume':
            kwargs['microversion'] = microversion or VOLUME_MICROVERSION
        if json_body is not None:
            kwargs['json'] = json_body
        if params:
            kwargs['params'] = params
        if headers:
            kwargs['headers'] = headers
        resp = self._proxies[service].request(url, method, **kwargs)
        if resp.status_code == 404 and ok_missing:
            return None
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

    def list(self, service, url, key, params=None):
        """Every item of a (paginated) list call."""
        out = []
        body = self.get(service, url, params=params)
        while True:
            out.extend(body.get(key) or [])
            nxt = next((link.get('href') for link in body.get('%s_links' % key) or [] if link.get('rel') == 'next'), None)
            if not nxt or not body.get(key):
                return out
            body = self.get(service, nxt)


def run_concurrently(jobs, max_workers=8):
    """{name: result} of {name: callable}, run in a bounded pool; the first error is raised."""
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(jobs)))) as pool:
        futures = {name: pool.submit(fn) for name, fn in jobs.items()}
        return {name: f.result() for name, f in futures.items()}
