# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``usage_events`` a lifecycle module returns: one per billable change the operation actually made.

``RecordingApi`` is the ``openstack.client.CloudApi`` the lifecycle modules use: besides making the call, it notes every billable
change the cloud accepted (server, volume, network and floating IP created or deleted; server stopped, started or resized)
with the moment it was accepted, and remembers the billable resources and flavors it saw in the operation's own list calls
(the before/after discovery), which give sizes and NFV owners without one more request. Because it sits under the
executor, what it notes is what the operation did: the creates of a rolled-back operation and the deletes of its rollback,
the creates a failed operation kept (``on_failure: keep``), and nothing at all in check mode (no write is made).

``note_call()`` (what one API call changed) and ``build_events()`` (the events of an operation) are pure; ``module_events()``
is the edge the modules' entry points call. Event ids are uuid5 of (LCM operation occurrence id, resource id, action): a
replayed result never double-counts in the ledger.
"""

from __future__ import annotations

import datetime
import threading
import time
from urllib.parse import urlparse

from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import make_event, owners, parse_timestamp, server_sizes, utc_timestamp

# (service, collection in the URL path) -> usage resource type; the JSON key of one item / of a list
BILLABLE = {
    ('compute', 'servers'): ('server', 'server', 'servers'),
    ('volume', 'volumes'): ('volume', 'volume', 'volumes'),
    ('network', 'networks'): ('network', 'network', 'networks'),
    ('network', 'floatingips'): ('floating_ip', 'floatingip', 'floatingips'),
}
SERVER_ACTIONS = {'os-stop': 'stopped', 'os-start': 'started', 'resize': 'resized'}
# instance owners (SOL003 VnfInstance) -> usage event owner fields, for what the resource's own marks do not say
INSTANCE_OWNERS = (('id', 'vnf_instance_id'), ('vnfInstanceName', 'vnf_name'), ('vnfdId', 'vnfd_id'), ('vnfdVersion', 'vnfd_version'),
                   ('nsInstanceId', 'ns_instance_id'))


def _path_parts(url):
    path = urlparse(url).path if '://' in url else url.split('?', 1)[0]
    return [part for part in path.split('/') if part]


def _collection(service, parts):
    """(resource type, item key, list key, index of the collection in parts) for a URL of a billable collection, else None."""
    for index, part in enumerate(parts):
        found = BILLABLE.get((service, part))
        if found:
            return found + (index,)
    return None


def note_call(service, method, url, request_body, response):
    """What one successful CloudApi call tells: (changes, seen, flavors).

    changes: [(resource type, resource id, action, resource dict or None)]; seen: [(resource type, resource dict)] of the
    billable resources in the response; flavors: [flavor dict]. ``response`` is None for a DELETE of something already gone.
    """
    changes, seen, flavors = [], [], []
    body = response if isinstance(response, dict) else {}
    if method == 'GET':
        for (dummy, item_key, list_key) in BILLABLE.values():
            for item in body.get(list_key) or ([body[item_key]] if isinstance(body.get(item_key), dict) else []):
                if isinstance(item, dict) and item.get('id'):
                    seen.append((_type_of(item_key), item))
        flavors = [f for f in (body.get('flavors') or ([body['flavor']] if isinstance(body.get('flavor'), dict) else [])) if f.get('id')]
        return changes, seen, flavors
    found = _collection(service, _path_parts(url))
    if found is None:
        return changes, seen, flavors
    resource_type, item_key, dummy, index = found
    rest = _path_parts(url)[index + 1:]
    if method == 'POST' and not rest and isinstance(body.get(item_key), dict):
        item = dict(body[item_key])
        if resource_type == 'server':  # the create answer has neither sizes nor marks: take them from the request
            spec = (request_body or {}).get('server') or {}
            item.setdefault('flavor', {'id': spec.get('flavorRef')})
            for name in ('name', 'metadata', 'tags'):
                if spec.get(name) is not None:
                    item.setdefault(name, spec[name])
        changes.append((resource_type, item['id'], 'created', item))
        seen.append((resource_type, item))
    elif method == 'POST' and resource_type == 'server' and len(rest) == 2 and rest[1] == 'action':
        for name, action in SERVER_ACTIONS.items():
            if isinstance(request_body, dict) and name in request_body:
                item = None
                if action == 'resized':
                    item = {'id': rest[0], 'flavor': {'id': (request_body[name] or {}).get('flavorRef')}}
                changes.append((resource_type, rest[0], action, item))
    elif method == 'DELETE' and len(rest) == 1 and response is not None:
        changes.append((resource_type, rest[0], 'deleted', None))
    return changes, seen, flavors


def _type_of(item_key):
    return next(kind for kind, key, dummy in BILLABLE.values() if key == item_key)


class RecordingApi(CloudApi):
    """A CloudApi that notes the billable changes the cloud accepted and the billable resources it listed (thread safe:
    the executor calls it from its pool)."""

    def __init__(self, conn):
        super(RecordingApi, self).__init__(conn)
        self.changes = []  # [(epoch seconds, resource type, resource id, action, resource dict or None)]
        self.seen = {}  # (resource type, id) -> the last dict seen that carries sizes or marks
        self.flavors = {}  # id -> flavor dict
        self._guard = threading.Lock()

    def request(self, service, method, url, json_body=None, params=None, headers=None, ok_missing=False, microversion=None):
        response = super(RecordingApi, self).request(service, method, url, json_body=json_body, params=params, headers=headers,
                                                     ok_missing=ok_missing, microversion=microversion)
        moment = time.time()
        changes, seen, flavors = note_call(service, method, url, json_body, response)
        with self._guard:
            self.changes.extend((moment,) + change for change in changes)
            for resource_type, item in seen:
                self.seen[(resource_type, item['id'])] = merge_seen(self.seen.get((resource_type, item['id'])), item)
            self.flavors.update((flavor['id'], flavor) for flavor in flavors)
        return response

    def unanswered_create(self, kind, resource):
        """A billable ``resource`` a create of this operation made though its answer was lost: its created event, at
        the cloud's ``created_at`` (a lost answer must not hide a charge)."""
        if kind not in {resource_type for resource_type, dummy, dummy2 in BILLABLE.values()}:
            return
        try:
            moment = parse_timestamp(resource['created_at']).timestamp()
        except (KeyError, TypeError, ValueError):
            moment = time.time()
        with self._guard:
            self.changes.append((moment, kind, resource['id'], 'created', dict(resource)))
            self.seen[(kind, resource['id'])] = merge_seen(self.seen.get((kind, resource['id'])), resource)


def merge_seen(old, new):
    """The newer dict, keeping what only the older one knew (a create answer's marks, an embedded flavor's sizes)."""
    if not old:
        return new
    merged = dict(old)
    merged.update((key, value) for key, value in new.items() if value is not None)
    if (old.get('flavor') or {}).get('vcpus') is not None and (new.get('flavor') or {}).get('vcpus') is None \
            and (new.get('flavor') or {}).get('id') in (None, old['flavor'].get('id')):
        merged['flavor'] = old['flavor']
    return merged


def _sizes(resource_type, item, flavors):
    """Size fields (and flavor / volume_type) of a resource dict; None when a server's flavor is unknown."""
    if resource_type == 'server':
        sizes = server_sizes(item, flavors)
        if sizes is None:
            return None
        return dict(zip(('vcpus', 'ram_mb', 'disk_gb', 'flavor'), sizes))
    if resource_type == 'volume':
        return {'volume_gb': int(item.get('size') or 0), 'volume_type': item.get('volume_type')}
    return {}


def build_events(changes, seen, flavors, op_id, context=None, instance=None):
    """The usage events of one operation (pure).

    changes: [(epoch seconds, resource type, resource id, action, resource dict or None)] in the order made;
    seen: {(resource type, id): dict}; flavors: {id: flavor dict}; op_id: the lcm_op_occ id (part of every event's key);
    context: cloud, region, project_id, project_name; instance: the VnfInstance (owners the resource's marks lack).
    Returns (events, warnings). A stop made by the same operation that then deletes the server (graceful termination) is
    part of the delete, not an event. A server whose flavor is unknown is reported in warnings, not guessed.
    """
    context = dict(context or {})
    fallback = dict((field, (instance or {}).get(key)) for key, field in INSTANCE_OWNERS if (instance or {}).get(key))
    deleted = set((resource_type, rid) for dummy, resource_type, rid, action, dummy2 in changes if action == 'deleted')
    seen = dict(seen)
    for dummy, resource_type, rid, action, item in changes:  # a create answer tells the delete of a rollback its owners
        if action == 'created' and item:
            seen.setdefault((resource_type, rid), item)
    events, warnings, ids = [], [], set()
    for moment, resource_type, rid, action, item in sorted(changes, key=lambda change: change[0]):
        if action == 'stopped' and (resource_type, rid) in deleted:
            continue
        item = _resource(seen.get((resource_type, rid)), item, action)
        fields = dict(fallback)
        fields.update(owners(item))
        sizes = _sizes(resource_type, item, flavors) if item else None
        if sizes is None and action != 'deleted':  # a delete closes an interval: it needs no sizes
            warnings.append('Usage of server %s is not recorded: its flavor %s is unknown' % (rid, (item.get('flavor') or {}).get('id')))
            continue
        fields.update(sizes or {})
        fields.update(context)
        tags = sorted(str(tag) for tag in item.get('tags') or []) or None
        event = make_event(resource_type, rid, action, utc_timestamp(_utc(moment)), key='%s/%s/%s' % (op_id, rid, action), tags=tags, **fields)
        if event['id'] not in ids:
            ids.add(event['id'])
            events.append(event)
    return events, warnings


def _resource(known, noted, action):
    """The resource as best known: a resize's own answer wins over the listing made before it; otherwise what the
    operation listed (which already merges the create answer with the later listings) wins."""
    if action == 'resized' and noted:
        return merge_seen(known, noted)
    return known or noted or {}


def _utc(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


def cloud_context(conn, cloud_name=None):
    """cloud, region, project_id and project_name of a connection (the region as usage_snapshot records it)."""
    current = conn.current_project
    return {'cloud': cloud_name if isinstance(cloud_name, str) else None, 'region': conn.config.get_region_name('compute') or None,
            'project_id': conn.current_project_id, 'project_name': current.get('name') if current else None}


def _fetch_missing_flavors(api, changes, seen, flavors):
    """GET the flavors of created/resized servers whose sizes are still unknown (rare: the operation lists flavors)."""
    for dummy, resource_type, rid, action, item in changes:
        if resource_type != 'server' or action == 'deleted':
            continue
        server = _resource(seen.get((resource_type, rid)), item, action)
        flavor_id = (server.get('flavor') or {}).get('id')
        if server_sizes(server, flavors) is None and flavor_id:
            try:
                found = api.get('compute', '/flavors/%s' % flavor_id, ok_missing=True)
            except Exception:  # best effort: build_events warns about the server
                found = None
            if found and found.get('flavor'):
                flavors[flavor_id] = found['flavor']


def api_for(module):
    """The RecordingApi of a module run (one per run: the operation and ``module_events`` share it)."""
    api = getattr(module, '_usage_api', None)
    if api is None:
        api = RecordingApi(module.conn)
        setattr(module, '_usage_api', api)
    return api


def module_events(module, result):
    """``usage_events`` for a lifecycle module's result (an ``lcm.operation.Result``): none in check mode or without an operation.

    The operation must have run with ``api_for(module)`` (otherwise nothing was noted: no events). Warnings go to the
    module's warnings."""
    api = getattr(module, '_usage_api', None)
    occ = getattr(result, 'lcm_op_occ', None)
    if module.check_mode or not occ or not isinstance(api, RecordingApi) or not api.changes:
        return []
    with api._guard:
        changes, seen, flavors = list(api.changes), dict(api.seen), dict(api.flavors)
    _fetch_missing_flavors(api, changes, seen, flavors)
    events, warnings = build_events(changes, seen, flavors, occ['id'], cloud_context(module.conn, module.params.get('cloud')),
                                    getattr(result, 'vnf_instance', None))
    for warning in warnings:
        module.warn(warning)
    return events
