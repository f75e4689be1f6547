# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find what exists for VNF instances, in bulk, and return a pure ``planner.Snapshot``.

One list call per resource type, filtered by our ownership tags (``tags.py``), run concurrently:
networks, subnets, ports and security groups (Neutron ``tags``/``tags-any``), servers (Nova ``tags``/``tags-any``,
microversion 2.73), volumes (Cinder ``metadata`` filter, checked again here), server groups (one list, by name
prefix ``nfvo-<instance id>-``). The anchor (the instance record) is the security group tagged ``nfvo:role=anchor``.

``CloudApi`` is the thin REST layer over openstacksdk's service proxies (``conn.network``, ``conn.compute`` ...)
that discovery and the executor share: JSON in and out, pagination, and ``CloudError`` carrying the cloud's own
message.
"""
from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.planner import Snapshot, server_group_prefix

COMPUTE_MICROVERSION = '2.73'  # server tags at create (2.52), tags filters (2.26), server group policy (2.64)
VOLUME_MICROVERSION = '3.0'  # the metadata filter of /volumes/detail is accepted without resource_filters at 3.0
_UUID = re.compile(r'^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$')
_CHUNK = 40
GONE_SERVER_STATES = ('DELETED', 'SOFT_DELETED')  # instance ids per tags-any query


class CloudError(Exception):
    """An error answer of the cloud: ``message`` is the cloud's own words, ``status`` the HTTP status."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self):
        return '%s (HTTP %s)' % (self.message, self.status) if self.status else self.message


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


# ---------------------------------------------------------------------------------------------------------------
# one list call per resource type

def list_servers(api, instance_ids):
    out = []
    for chunk in _chunks(instance_ids):
        params = {'tags-any': ','.join(T.tag('vnf', i) for i in chunk)} if len(chunk) > 1 else {'tags': T.tag('vnf', chunk[0])}
        out += api.list('compute', '/servers/detail', 'servers', params=params)
    return [s for s in out if s.get('status') not in GONE_SERVER_STATES]  # Nova may list deleted ones


def list_volumes(api, instance_ids):
    wanted = set(instance_ids)
    key = T.META_KEYS['vnf']
    params = {'metadata': json.dumps({key: instance_ids[0]})} if len(instance_ids) == 1 else None
    return [v for v in api.list('volume', '/volumes/detail', 'volumes', params=params)
            if (v.get('metadata') or {}).get(key) in wanted]


def list_neutron(api, what, instance_ids, extra=None):
    out = []
    for chunk in _chunks(instance_ids):
        params = {'tags-any': ','.join(T.tag('vnf', i) for i in chunk)} if len(chunk) > 1 else {'tags': T.tag('vnf', chunk[0])}
        params.update(extra or {})
        out += api.list('network', '/%s' % what, what.replace('-', '_'), params=params)
    return out


def list_server_groups(api, instance_ids):
    prefixes = tuple(server_group_prefix(i) for i in instance_ids)
    return [g for g in api.list('compute', '/os-server-groups', 'server_groups') if (g.get('name') or '').startswith(prefixes)]


def _chunks(ids):
    ids = list(ids)
    return [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)] or [[]]


def _by_instance(items, instance_id, how):
    if how == 'tags':
        return [r for r in items if T.parse_tags(r.get('tags')).get('vnf') == instance_id]
    if how == 'metadata':
        return [r for r in items if T.parse_metadata(r.get('metadata')).get('vnf') == instance_id]
    return [r for r in items if (r.get('name') or '').startswith(server_group_prefix(instance_id))]


def discover(api, instances, max_workers=8):
    """{instance id: Snapshot} for [(instance id, VNF name)]: 7 list calls whatever the number of instances."""
    instances = list(instances)
    ids = [i for i, dummy in instances]
    if not ids:
        return {}
    jobs = {
        'security_groups': lambda: list_neutron(api, 'security-groups', ids),
        'networks': lambda: list_neutron(api, 'networks', ids),
        'subnets': lambda: list_neutron(api, 'subnets', ids),
        'ports': lambda: list_neutron(api, 'ports', ids),
        'servers': lambda: list_servers(api, ids),
        'volumes': lambda: list_volumes(api, ids),
        'server_groups': lambda: list_server_groups(api, ids),
    }
    found = run_concurrently(jobs, max_workers)
    out = {}
    for instance_id, name in instances:
        snap = Snapshot(instance_id=instance_id, vnf_name=name)
        sgs = _by_instance(found['security_groups'], instance_id, 'tags')
        snap.anchors = [g for g in sgs if T.parse_tags(g.get('tags')).get('role') == 'anchor']
        snap.security_groups = [g for g in sgs if g not in snap.anchors]
        for attr in ('networks', 'subnets', 'ports'):
            setattr(snap, attr, _by_instance(found[attr], instance_id, 'tags'))
        snap.servers = _by_instance(found['servers'], instance_id, 'metadata') or _by_instance(found['servers'], instance_id, 'tags')
        snap.volumes = _by_instance(found['volumes'], instance_id, 'metadata')
        snap.server_groups = _by_instance(found['server_groups'], instance_id, 'name')
        if snap.anchor is not None and not name:
            snap.vnf_name = T.parse_tags(snap.anchor.get('tags')).get('vnf_name')
        out[instance_id] = snap
    return out


def run_concurrently(jobs, max_workers=8):
    """{name: result} of {name: callable}, run in a bounded pool; the first error is raised."""
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(jobs)))) as pool:
        futures = {name: pool.submit(fn) for name, fn in jobs.items()}
        return {name: f.result() for name, f in futures.items()}


def find_anchors(api, vnf_name=None, vnfd_id=None, ns_id=None, instance_id=None):
    """Anchors (instance records) matching the filters: one Neutron list call."""
    wanted = [T.tag('role', 'anchor')]
    if instance_id:
        wanted.append(T.tag('vnf', instance_id))
    if vnfd_id:
        wanted.append(T.tag('vnfd', vnfd_id))
    if ns_id:
        wanted.append(T.tag('ns', ns_id))
    params = {'tags': ','.join(wanted)}
    if vnf_name:
        params['name'] = 'nfvo-vnf-%s' % vnf_name
    return api.list('network', '/security-groups', 'security_groups', params=params)


def anchors_by_name(api, name):
    """Every security group named like the anchor of VNF ``name`` (tagged or not yet): the creation race check."""
    return api.list('network', '/security-groups', 'security_groups', params={'name': 'nfvo-vnf-%s' % name})


# ---------------------------------------------------------------------------------------------------------------
# the environment the planner picks from

def discover_environment(api, snap, vnfd_id, images=None, networks=None, need_cidrs=False, max_workers=8):
    """Fill ``snap`` with flavors, onboarded images of ``vnfd_id``, the images and networks the user named
    (``images``: refs, ``networks``: refs; each a name or an id) and, when asked, the CIDRs of the subnets in use."""
    jobs = {
        'flavors': lambda: api.list('compute', '/flavors/detail', 'flavors', params={'is_public': 'None'}),
        'onboarded': lambda: api.list('image', '/images', 'images', params={T.IMAGE_PROPS['vnfd']: vnfd_id}),
    }
    for r in sorted(set(images or ())):
        jobs['image:%s' % r] = (lambda r=r: _find_image(api, r))
    for r in sorted(set(networks or ())):
        jobs['network:%s' % r] = (lambda r=r: _find_network(api, r))
    if need_cidrs:
        jobs['cidrs'] = lambda: [s.get('cidr') for s in api.list('network', '/subnets', 'subnets', params={'fields': 'cidr'})]
    found = run_concurrently(jobs, max_workers)
    snap.flavors = found['flavors']
    snap.onboarded_images = found['onboarded']
    snap.user_images = {k.split(':', 1)[1]: v for k, v in found.items() if k.startswith('image:')}
    snap.ext_networks = {k.split(':', 1)[1]: v for k, v in found.items() if k.startswith('network:')}
    snap.used_cidrs = [c for c in found.get('cidrs') or [] if c]
    return snap


def _find_image(api, ref):
    if _UUID.match(ref):
        image = api.get('image', '/images/%s' % ref, ok_missing=True)
        if image:
            return image
    found = [i for i in api.list('image', '/images', 'images', params={'name': ref}) if i.get('status') == 'active']
    found.sort(key=lambda i: i.get('created_at') or '', reverse=True)
    return found[0] if found else None


def _find_network(api, ref):
    if _UUID.match(ref):
        found = api.list('network', '/networks', 'networks', params={'id': ref})
        if found:
            return found[0]
    found = api.list('network', '/networks', 'networks', params={'name': ref})
    if len(found) > 1:
        raise CloudError("network name '%s' is ambiguous (%d networks): give its id" % (ref, len(found)))
    return found[0] if found else None
