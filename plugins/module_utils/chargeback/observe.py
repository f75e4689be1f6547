# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Observing the cloud for billing (the usage_snapshot module): what exists now, as usage events the callback records.

Not to be confused with lcm's ``Snapshot`` (the cloud state a plan is made from): this file only feeds the ledger.

``snapshot_events()`` is pure: it compares the billable resources listed from the cloud (plain dicts, as the APIs return
them) with the intervals the ledger holds open, and returns

* ``observed`` for every existing resource we report (ours by our marks, or all with include_unmanaged), with its sizes
  and NFV owners (an ``observed`` event opens an interval only when none is open, so it never double-counts);
* ``resized``, ``stopped`` or ``started`` when the ledger's open interval disagrees with what the cloud shows (a resize or
  a shutdown made outside Ansible);
* ``closed`` for every resource the ledger holds open that the cloud no longer lists, whether ours or not.

``take_snapshot()`` is the cloud edge: one paginated list call per resource type through ``CloudApi`` (run concurrently), one flavor list
only when a server does not embed its flavor's sizes (compute API < 2.47), one project list for all_projects.
"""

from __future__ import annotations

import datetime
import os

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LedgerError, SnapshotError, describe_error
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi, run_concurrently
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import (make_event, owners, parse_timestamp, server_sizes,
                                                                                   utc_timestamp)
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import DEFAULT_PATH, open_ledger

RESOURCE_TYPES = ('server', 'volume', 'floating_ip')
# Nova statuses of a server that is not running (allocated sizes are still charged; metering is not)
STOPPED_STATES = ('SHUTOFF', 'SUSPENDED', 'PAUSED', 'SHELVED', 'SHELVED_OFFLOADED')
GONE_STATES = {'server': ('DELETED',), 'volume': ('deleted',), 'floating_ip': ()}
SIZES = {'server': ('vcpus', 'ram_mb', 'disk_gb'), 'volume': ('volume_gb',), 'floating_ip': ()}


def _project_id(item):
    return item.get('project_id') or item.get('tenant_id') or item.get('os-vol-tenant-attr:tenant_id')


def needs_flavors(servers):
    """True when some server does not embed its flavor's sizes (so one flavor list call is needed)."""
    return any((server.get('flavor') or {}).get('vcpus') is None for server in servers)


def describe(resource_type, item):
    """What one listed resource is, for the comparison with the ledger: sizes, state, owners, tags; None if it is gone."""
    if item.get('status') in GONE_STATES[resource_type]:
        return None
    found = {'resource_type': resource_type, 'resource_id': item['id'], 'project_id': _project_id(item),
             'managed': T.is_managed(item.get('metadata'), item.get('tags')), 'owners': owners(item),
             'tags': sorted(str(tag) for tag in item.get('tags') or []) or None, 'state': None, 'sizes': {}, 'extra': {}}
    if resource_type == 'server':
        found['state'] = 'stopped' if item.get('status') in STOPPED_STATES else 'running' if item.get('status') == 'ACTIVE' else None
    elif resource_type == 'volume':
        found['sizes'] = {'volume_gb': int(item.get('size') or 0)}
        found['extra'] = {'volume_type': item.get('volume_type')}
    return found


def snapshot_events(listed, open_resources, timestamp, include_unmanaged=False, flavors=None, context=None, project_names=None,
                    projects=None):
    """Usage events of one snapshot, and a summary.

    listed: {resource_type: [resource dicts]} of the types listed (complete lists: a type absent here closes nothing);
    open_resources: Ledger.open_resources() (None: the ledger could not be read, so nothing is closed);
    timestamp: the time the listing started (every event carries it); flavors: {flavor id: flavor dict};
    context: cloud, region (and project_id/project_name for a project-scoped snapshot) for every event;
    project_names: {project id: name}; projects: the project ids in scope for closing (None: every open resource listed
    by the ledger query, which is already scoped).
    Returns (events, summary, warnings).
    """
    timestamp = utc_timestamp(timestamp)
    context, project_names, flavors = dict(context or {}), project_names or {}, flavors or {}
    open_resources = open_resources or {}
    events, warnings, existing = [], [], set()
    summary = dict(('%ss' % kind, 0) for kind in RESOURCE_TYPES)
    summary.update(unmanaged=0, closed=0, resized=0, stopped=0, started=0)

    def add(found, action, **fields):
        key = 'snapshot/%s/%s/%s/%s' % (timestamp, found['resource_type'], found['resource_id'], action)
        project = found['project_id'] or context.get('project_id')
        name = project_names.get(project) or (context.get('project_name') if project == context.get('project_id') else None)
        fields.update(context, project_id=project, project_name=name)
        events.append(make_event(found['resource_type'], found['resource_id'], action, timestamp, key=key, **fields))

    for resource_type in RESOURCE_TYPES:
        for item in listed.get(resource_type) or ():
            found = describe(resource_type, item)
            if found is None:
                continue
            existing.add((resource_type, found['resource_id']))
            if not (found['managed'] or include_unmanaged):
                summary['unmanaged'] += 1
                continue
            if resource_type == 'server':
                sizes = server_sizes(item, flavors)
                if sizes is None:
                    warnings.append('Server %s: its flavor %s is unknown, so it is not observed'
                                    % (found['resource_id'], (item.get('flavor') or {}).get('id')))
                    continue
                found['sizes'] = dict(zip(SIZES['server'], sizes[:3]))
                found['extra'] = {'flavor': sizes[3]}
            fields = dict(found['sizes'], tags=found['tags'], **dict(found['extra'], **found['owners']))
            add(found, 'observed', **fields)
            summary['%ss' % resource_type] += 1
            was = open_resources.get((resource_type, found['resource_id']))
            if was is None:
                if found['state'] == 'stopped':  # first sighting of a stopped server: charge it as stopped from now
                    add(found, 'stopped', **fields)
                    summary['stopped'] += 1
                continue
            if any(was.get(name) is not None and was[name] != found['sizes'].get(name) for name in SIZES[resource_type]):
                add(found, 'resized', **fields)  # a resized interval is a running one
                summary['resized'] += 1
                if found['state'] == 'stopped':
                    add(found, 'stopped', **fields)
                    summary['stopped'] += 1
            elif found['state'] == 'stopped' and was['action'] != 'stopped':
                add(found, 'stopped', **fields)
                summary['stopped'] += 1
            elif found['state'] == 'running' and was['action'] == 'stopped':
                add(found, 'started', **fields)
                summary['started'] += 1

    moment = parse_timestamp(timestamp)
    for (resource_type, resource_id), was in sorted(open_resources.items()):
        if resource_type not in listed or (resource_type, resource_id) in existing:
            continue
        if projects is not None and was.get('project_id') not in projects:
            continue  # another cloud's project that shares this ledger
        if was.get('timestamp') and parse_timestamp(was['timestamp']) > moment:
            continue  # recorded after this listing started: not ours to judge
        add({'resource_type': resource_type, 'resource_id': resource_id, 'project_id': was.get('project_id')}, 'closed')
        summary['closed'] += 1
    return events, summary, warnings


def read_open_resources(path=None, dsn=None, resource_types=RESOURCE_TYPES, region=None, project_id=None):
    """(open resources, ledger name, warning): the ledger's open intervals, read only. A missing SQLite file is an empty ledger;
    a ledger that cannot be read gives (None, name, warning) so that the snapshot still observes but closes nothing."""
    if not dsn:
        path = os.path.abspath(os.path.expanduser(path or DEFAULT_PATH))
        if not os.path.exists(path):
            return {}, path, None
    ledger = None
    try:
        ledger = open_ledger(path=path, dsn=dsn)
        return ledger.open_resources(resource_types, region, project_id), ledger.name, None
    except LedgerError as exc:
        return None, None, '%s; this snapshot closes nothing' % exc
    finally:
        if ledger is not None:
            ledger.close()


def _listing(api, all_projects):
    """{name: callable} of the list calls of a snapshot (the API's own dicts: ``describe`` reads both spellings of
    the project, ``server_sizes`` the embedded flavor)."""
    every = {'all_tenants': 1} if all_projects else None
    return {
        'server': lambda: api.list('compute', '/servers/detail', 'servers', params=every),
        'volume': lambda: api.list('volume', '/volumes/detail', 'volumes', params=every),
        'floating_ip': lambda: api.list('network', '/floatingips', 'floatingips',
                                        params=None if all_projects else {'project_id': api.conn.current_project_id}),
        'projects': lambda: dict((p['id'], p.get('name')) for p in api.list('identity', '/projects', 'projects')),
    }


def _list(call, name, cloud_name):
    """The result of one list call; any error of the cloud as one line naming the list call."""
    try:
        return call()
    except Exception as exc:  # any cloud, SDK or network error
        raise SnapshotError('Failed to list %s of %s: %s' % ('projects' if name == 'projects' else name.replace('_', ' ') + 's',
                                                             cloud_name or 'the cloud', describe_error(exc))) from None


def take_snapshot(conn, cloud_name=None, resource_types=RESOURCE_TYPES, include_unmanaged=False, all_projects=False,
                  ledger_path=None, ledger_dsn=None, now=None):
    """Read the ledger's open intervals, then list the cloud, then compare. Returns a dict for the module's result.

    Raises SnapshotError (one line) when a list call fails.
    """
    region = conn.config.get_region_name('compute') or None
    project_id = None if all_projects else conn.current_project_id
    opened, ledger_name, warning = read_open_resources(ledger_path, ledger_dsn, resource_types, region, project_id)
    warnings = [warning] if warning else []
    started = now or datetime.datetime.now(datetime.timezone.utc)  # after the ledger read: see snapshot_events
    api = CloudApi(conn)
    calls = _listing(api, all_projects)
    wanted = list(resource_types) + (['projects'] if all_projects else [])
    listed = run_concurrently(dict((name, lambda name=name: _list(calls[name], name, cloud_name)) for name in wanted), len(wanted))
    flavors = {}
    if needs_flavors(listed.get('server') or ()):
        try:
            flavors = dict((f['id'], f) for f in api.list('compute', '/flavors/detail', 'flavors', params={'is_public': 'None'}))
        except Exception as exc:
            raise SnapshotError('Failed to list flavors of %s: %s' % (cloud_name or 'the cloud', describe_error(exc)))
    context = {'cloud': cloud_name, 'region': region}
    project_names = listed.pop('projects', {})
    if not all_projects:
        current = conn.current_project
        context.update(project_id=conn.current_project_id, project_name=current.get('name') if current else None)
    events, summary, more = snapshot_events(listed, opened, started, include_unmanaged, flavors, context, project_names,
                                            projects=set(project_names) if all_projects else None)
    summary['open_in_ledger'] = None if opened is None else len(opened)
    return {'usage_events': events, 'snapshot': dict(summary, timestamp=utc_timestamp(started), ledger=ledger_name,
                                                     region=region, project_id=project_id), 'warnings': warnings + more}
