# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Usage events: what a lifecycle module returns as ``usage_events`` for every billable change it made.

One event is a flat dict. Every event carries the resource's *current* sizes (a ``stopped`` or
``resized`` event repeats vcpus/ram_mb/disk_gb, a volume event its volume_gb), so an interval can be
priced from the event that opens it alone. Also what a cloud resource dict says about its event (owners, server sizes)
and ``scrub()``, which drops anything that looks like a secret before an event is stored or spooled.
Pure Python: no Ansible, no openstacksdk.
"""

from __future__ import annotations

import datetime
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import UsageEventError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

RESOURCE_TYPES = ('server', 'volume', 'floating_ip', 'network')
# observed: seen by a snapshot (opens an interval if none is open); closed: missing from a snapshot.
ACTIONS = ('created', 'deleted', 'resized', 'stopped', 'started', 'observed', 'closed')
CLOSING_ACTIONS = ('deleted', 'closed')
SIZE_FIELDS = ('vcpus', 'ram_mb', 'disk_gb', 'volume_gb')
OWNER_FIELDS = ('ns_instance_id', 'vnf_instance_id', 'vnf_name', 'vdu', 'vnfd_id', 'vnfd_version')
# Column order of the ledger's events table (tags is a list of strings).
EVENT_FIELDS = (('id', 'timestamp', 'cloud', 'region', 'project_id', 'project_name', 'resource_type', 'resource_id', 'action')
                + SIZE_FIELDS + ('volume_type', 'flavor') + OWNER_FIELDS + ('tags',))
# The run context the ledger keeps: of the run (table runs), of the task (beside each event).
RUN_FIELDS = ('run_id', 'started', 'playbook', 'awx_job_id', 'awx_job_template', 'awx_user', 'awx_workflow_job_id',
              'awx_schedule_id', 'project_revision', 'awx_host', 'awx_inventory_id')
TASK_FIELDS = ('play', 'task', 'host', 'check_mode')
CONTEXT_FIELDS = RUN_FIELDS + TASK_FIELDS
# uuid5 namespace for deterministic event ids (a replayed module run yields the same ids).
EVENT_NAMESPACE = uuid.UUID('5b0f3c1e-7a4d-5e8a-9c61-2f0d7b9e4a10')
_REQUIRED_SIZES = {'server': ('vcpus', 'ram_mb'), 'volume': ('volume_gb',)}
# our ownership keys (tags.py) -> usage event owner fields
OWNER_KEYS = {'ns': 'ns_instance_id', 'vnf': 'vnf_instance_id', 'vnf_name': 'vnf_name', 'vdu': 'vdu', 'vnfd': 'vnfd_id',
              'vnfd_version': 'vnfd_version'}
SECRET_MARKERS = ('password', 'passwd', 'token', 'secret', 'auth', 'credential', 'private_key', 'api_key')


def utc_timestamp(value=None):
    """ISO 8601 UTC text with milliseconds ('2026-03-01T10:00:00.000Z') for a datetime (naive = UTC), ISO text or now."""
    if value is None:
        value = datetime.datetime.now(datetime.timezone.utc)
    elif not isinstance(value, datetime.datetime):
        value = parse_timestamp(value)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc)
    return value.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (value.microsecond // 1000)


def parse_timestamp(text):
    """An aware UTC datetime from ISO 8601 text ('Z' or an offset; no offset means UTC)."""
    value = datetime.datetime.fromisoformat(str(text).strip().replace('Z', '+00:00').replace('z', '+00:00'))
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc)


def epoch_ms(value):
    """Milliseconds since the epoch of a datetime (naive = UTC) or ISO text."""
    if not isinstance(value, datetime.datetime):
        value = parse_timestamp(value)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return int(round(value.timestamp() * 1000))


def make_event(resource_type, resource_id, action, timestamp=None, key=None, **fields):
    """Build one usage event.

    ``key``: any text that identifies this change uniquely (e.g. 'vnf-1/op-7/VDU1-0/created'); the id is then
    a uuid5 of it, so re-running the same operation cannot double-count. Without it the id is a uuid4.
    ``fields``: the other names of EVENT_FIELDS (cloud, region, project_id, sizes, owners, tags...).
    """
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise UsageEventError('Unknown usage event field(s): %s' % ', '.join(sorted(unknown)))
    event = dict((name, None) for name in EVENT_FIELDS)
    event.update(fields)
    event.update(id=str(uuid.uuid5(EVENT_NAMESPACE, key) if key else uuid.uuid4()), timestamp=utc_timestamp(timestamp),
                 resource_type=resource_type, resource_id=resource_id, action=action)
    validate_event(event)
    return event


def validate_event(event):
    """Raise ValueError naming the event and the problem; return the event unchanged when valid."""
    def fail(reason):
        raise UsageEventError('Invalid usage event %s: %s' % (event.get('id') if isinstance(event, dict) else event, reason))

    if not isinstance(event, dict):
        fail('not a dict')
    for name in ('id', 'timestamp', 'resource_type', 'resource_id', 'action'):
        if not event.get(name):
            fail('%s is missing' % name)
    if event['resource_type'] not in RESOURCE_TYPES:
        fail('resource_type %r is not one of %s' % (event['resource_type'], ', '.join(RESOURCE_TYPES)))
    if event['action'] not in ACTIONS:
        fail('action %r is not one of %s' % (event['action'], ', '.join(ACTIONS)))
    try:
        parse_timestamp(event['timestamp'])
    except ValueError:
        fail('timestamp %r is not ISO 8601' % (event['timestamp'],))
    for name in SIZE_FIELDS:
        value = event.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            fail('%s must be a non-negative integer, not %r' % (name, value))
    if event['action'] not in CLOSING_ACTIONS:
        missing = [name for name in _REQUIRED_SIZES.get(event['resource_type'], ()) if event.get(name) is None]
        if missing:
            fail('a %s %s event needs %s' % (event['resource_type'], event['action'], ', '.join(missing)))
    tags = event.get('tags')
    if tags is not None and not (isinstance(tags, (list, tuple)) and all(isinstance(tag, str) for tag in tags)):
        fail('tags must be a list of strings')
    return event


def scrub(value):
    """A copy of value without any mapping key that names a secret (recursively through dicts and lists)."""
    if isinstance(value, dict):
        return dict((k, scrub(v)) for k, v in value.items() if not any(m in str(k).lower() for m in SECRET_MARKERS))
    if isinstance(value, (list, tuple)):
        return [scrub(item) for item in value]
    return value


def owners(item):
    """Usage event owner fields from our tags and metadata (metadata wins)."""
    marks = T.parse_tags(item.get('tags'))
    marks.update(T.parse_metadata(item.get('metadata')))
    return dict((field, marks[key]) for key, field in OWNER_KEYS.items() if marks.get(key))


def server_sizes(server, flavors):
    """(vcpus, ram_mb, disk_gb, flavor name) of a server: from its embedded flavor, else from flavors {id: flavor dict}.

    Returns None when the flavor is unknown (deleted, and the server does not embed it)."""
    flavor = server.get('flavor') or {}
    if flavor.get('vcpus') is None:
        flavor = flavors.get(flavor.get('id')) or {}
        if flavor.get('vcpus') is None:
            return None
    name = flavor.get('original_name') or flavor.get('name') or flavor.get('id')
    return int(flavor['vcpus']), int(flavor.get('ram') or 0), int(flavor.get('disk') or 0), name
