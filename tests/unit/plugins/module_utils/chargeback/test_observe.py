# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Observing the cloud (usage snapshots): listed resources + the ledger's open intervals -> observed/closed/resized/stopped/started events."""

import datetime

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import make_event, server_sizes
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.observe import needs_flavors, read_open_resources, snapshot_events
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.report import build_report

from .samples import CLOUD_CONTEXT as CONTEXT

UTC = datetime.timezone.utc
T0 = datetime.datetime(2026, 3, 10, 12, tzinfo=UTC)
OURS = dict(T.metadata_for(vnf='vnf-1', vnf_name='web-1', vnfd='vnfd-web', vnfd_version='1.0', vdu='VDU1', ns='ns-1'))
TINY = {'id': 'f-1', 'name': 'm1.tiny', 'vcpus': 1, 'ram': 512, 'disk': 1}


def server(sid, status='ACTIVE', metadata=None, flavor=None, server_tags=None):
    embedded = dict(flavor or {'vcpus': 2, 'ram': 4096, 'disk': 20, 'original_name': 'm1.small'})
    return {'id': sid, 'status': status, 'metadata': dict(metadata or {}), 'flavor': embedded, 'tags': server_tags or [], 'project_id': 'p-1'}


def actions(events):
    return sorted((event['resource_type'], event['resource_id'], event['action']) for event in events)


def test_observed_carries_sizes_and_owners_and_unmanaged_ones_only_on_request():
    listed = {'server': [server('srv-ours', metadata=OURS, server_tags=['nfvo:vdu=VDU1', 'other']), server('srv-other')],
              'volume': [{'id': 'vol-1', 'size': 10, 'volume_type': 'ssd', 'metadata': OURS, 'status': 'in-use', 'os-vol-tenant-attr:tenant_id': 'p-1'},
                         {'id': 'vol-gone', 'size': 5, 'status': 'deleted', 'metadata': OURS}],
              'floating_ip': [{'id': 'fip-1', 'tags': [T.tag('vnf', 'vnf-1'), T.tag('vnf_name', 'web-1')], 'tenant_id': 'p-1'}]}
    events, summary, warnings = snapshot_events(listed, {}, T0, context=CONTEXT)
    assert actions(events) == [('floating_ip', 'fip-1', 'observed'), ('server', 'srv-ours', 'observed'), ('volume', 'vol-1', 'observed')]
    srv = next(event for event in events if event['resource_id'] == 'srv-ours')
    assert (srv['vcpus'], srv['ram_mb'], srv['disk_gb'], srv['flavor']) == (2, 4096, 20, 'm1.small')
    assert (srv['vnf_instance_id'], srv['vnf_name'], srv['vdu'], srv['vnfd_id'], srv['vnfd_version'], srv['ns_instance_id']) == (
        'vnf-1', 'web-1', 'VDU1', 'vnfd-web', '1.0', 'ns-1')
    where = ('nfvo-tenant', 'RegionOne', 'p-1', 'demo', ['nfvo:vdu=VDU1', 'other'])
    assert (srv['cloud'], srv['region'], srv['project_id'], srv['project_name'], srv['tags']) == where
    assert srv['timestamp'] == '2026-03-10T12:00:00.000Z'
    vol = next(event for event in events if event['resource_id'] == 'vol-1')
    assert (vol['volume_gb'], vol['volume_type'], vol['vnf_name']) == (10, 'ssd', 'web-1')
    assert next(event for event in events if event['resource_id'] == 'fip-1')['vnf_instance_id'] == 'vnf-1'
    assert summary['unmanaged'] == 1 and summary['servers'] == 1 and not warnings
    events, summary, warnings = snapshot_events(listed, {}, T0, include_unmanaged=True, context=CONTEXT)
    assert ('server', 'srv-other', 'observed') in actions(events) and summary['unmanaged'] == 0
    again, dummy, dummy = snapshot_events(listed, {}, T0, include_unmanaged=True, context=CONTEXT)
    assert [event['id'] for event in again] == [event['id'] for event in events]  # a replayed snapshot result never double-counts


def test_missing_resources_are_closed_managed_or_not_and_only_of_listed_types_and_projects():
    opened = {('server', 'srv-gone'): {'action': 'created', 'project_id': 'p-1', 'timestamp': '2026-03-01T00:00:00.000Z'},
              ('server', 'srv-unmanaged'): {'action': 'observed', 'project_id': 'p-1', 'timestamp': '2026-03-01T00:00:00.000Z',
                                            'vcpus': 2, 'ram_mb': 4096, 'disk_gb': 20},
              ('server', 'srv-other-cloud'): {'action': 'created', 'project_id': 'p-9', 'timestamp': '2026-03-01T00:00:00.000Z'},
              ('server', 'srv-later'): {'action': 'created', 'project_id': 'p-1', 'timestamp': '2026-03-10T12:00:01.000Z'},
              ('volume', 'vol-unlisted-type'): {'action': 'created', 'project_id': 'p-1', 'timestamp': '2026-03-01T00:00:00.000Z'}}
    listed = {'server': [server('srv-unmanaged')]}
    events, summary, dummy = snapshot_events(listed, opened, T0, context=CONTEXT, projects={'p-1'})
    assert actions(events) == [('server', 'srv-gone', 'closed')]  # the existing unmanaged server is neither observed nor closed
    assert events[0]['project_id'] == 'p-1' and summary['closed'] == 1
    events, dummy, dummy = snapshot_events(listed, None, T0, context=CONTEXT)  # ledger unreadable: nothing closed
    assert actions(events) == []


def test_state_and_size_changes_made_outside_ansible():
    sizes = {'vcpus': 2, 'ram_mb': 4096, 'disk_gb': 20}
    opened = {('server', 'srv-stopped'): dict(sizes, action='created', project_id='p-1'),
              ('server', 'srv-started'): dict(sizes, action='stopped', project_id='p-1'),
              ('server', 'srv-resized'): dict(sizes, vcpus=1, action='created', project_id='p-1'),
              ('server', 'srv-same'): dict(sizes, action='observed', project_id='p-1'),
              ('volume', 'vol-grown'): {'action': 'created', 'volume_gb': 5, 'project_id': 'p-1'}}
    listed = {'server': [server('srv-stopped', 'SHUTOFF', OURS), server('srv-started', 'ACTIVE', OURS), server('srv-resized', 'SHUTOFF', OURS),
                         server('srv-same', 'ACTIVE', OURS), server('srv-new-stopped', 'SHELVED_OFFLOADED', OURS),
                         server('srv-building', 'BUILD', OURS)],
              'volume': [{'id': 'vol-grown', 'size': 10, 'metadata': OURS}]}
    events, summary, dummy = snapshot_events(listed, opened, T0, context=CONTEXT)
    changes = [item for item in actions(events) if item[2] != 'observed']
    assert changes == [('server', 'srv-new-stopped', 'stopped'), ('server', 'srv-resized', 'resized'), ('server', 'srv-resized', 'stopped'),
                       ('server', 'srv-started', 'started'), ('server', 'srv-stopped', 'stopped'), ('volume', 'vol-grown', 'resized')]
    assert (summary['resized'], summary['stopped'], summary['started']) == (2, 3, 1)
    # order matters for the ledger (same timestamp, insertion order): observed first, then the change
    resized = [event['action'] for event in events if event['resource_id'] == 'srv-resized']
    assert resized == ['observed', 'resized', 'stopped']


def test_flavor_from_the_flavor_list_when_the_server_does_not_embed_it():
    old_style = server('srv-1', metadata=OURS, flavor={'id': 'f-1'})
    assert needs_flavors([old_style]) and not needs_flavors([server('srv-2')])
    assert server_sizes(old_style, {'f-1': TINY}) == (1, 512, 1, 'm1.tiny')
    events, summary, warnings = snapshot_events({'server': [old_style]}, {}, T0, flavors={}, context=CONTEXT)
    assert events == [] and warnings == ['Server srv-1: its flavor f-1 is unknown, so it is not observed'] and summary['servers'] == 0


def test_a_snapshot_recorded_in_the_ledger_charges_what_the_cloud_shows(ledger_spec, tmp_path):
    """created by a module, then a snapshot misses it (closed); a server made outside Ansible is observed, then stopped."""
    owner = {'project_id': 'p-1', 'region': 'RegionOne'}
    ledger = open_ledger(**ledger_spec)
    try:
        ledger.record([make_event('server', 'srv-a', 'created', '2026-03-01T00:00:00Z', vcpus=2, ram_mb=2048, disk_gb=10, **owner),
                       make_event('server', 'srv-elsewhere', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512, project_id='p-1', region='Other'),
                       make_event('server', 'srv-check', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512, **owner)],
                      {'run_id': 'r-0'})
        ledger.record([make_event('server', 'srv-dry', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512, **owner)], {'check_mode': True})
        opened = ledger.open_resources(('server',), 'RegionOne', 'p-1')
        assert sorted(key[1] for key in opened) == ['srv-a', 'srv-check']  # not another region's, not a check-mode one
        assert opened[('server', 'srv-a')]['vcpus'] == 2 and opened[('server', 'srv-a')]['action'] == 'created'
        check = server('srv-check', metadata=OURS, flavor={'vcpus': 1, 'ram': 512, 'disk': 0})
        first, dummy, dummy = snapshot_events({'server': [server('srv-b', metadata=OURS), check]}, opened, '2026-03-03T00:00:00Z', context=CONTEXT)
        assert actions(first) == [('server', 'srv-a', 'closed'), ('server', 'srv-b', 'observed'), ('server', 'srv-check', 'observed')]
        ledger.record(first, {'run_id': 'r-1'})
        opened = ledger.open_resources(('server',), 'RegionOne', 'p-1')
        assert sorted(key[1] for key in opened) == ['srv-b', 'srv-check'] and opened[('server', 'srv-b')]['action'] == 'observed'
        second, dummy, dummy = snapshot_events({'server': [server('srv-b', 'SHUTOFF', OURS), check]}, opened, '2026-03-04T00:00:00Z',
                                               context=CONTEXT)
        assert [item for item in actions(second) if item[2] != 'observed'] == [('server', 'srv-b', 'stopped')]
        ledger.record(second, {'run_id': 'r-2'})
        ledger.record(snapshot_events({'server': []}, ledger.open_resources(('server',), 'RegionOne', 'p-1'), '2026-03-05T00:00:00Z',
                                      context=CONTEXT)[0], {'run_id': 'r-3'})
        assert ledger.open_resources(('server',), 'RegionOne', 'p-1') == {}
    finally:
        ledger.close()
    (tmp_path / 'rates.yml').write_text('rates: [{name: all, details: [{field: vcpu, per_time: hourly, variable: 1}]}]\n')
    report = build_report(dict(ledger_spec), str(tmp_path / 'rates.yml'), start='2026-03-01', end='2026-03-06', group_by='resource',
                          now='2026-04-01T00:00:00Z')
    hours = dict((row['group'], row['vcpu_hours']) for row in report['rows'])
    # srv-a: 2 vCPUs x 48 h (closed by the first snapshot); srv-b: 2 x 48 h (observed on the 3rd, stopped the 4th - still
    # allocated - then closed on the 5th); srv-check: 1 x 96 h; srv-elsewhere, never closed here: 1 x 120 h
    assert hours == {'server:srv-a': 96.0, 'server:srv-b': 96.0, 'server:srv-check': 96.0, 'server:srv-elsewhere': 120.0}


def test_reading_the_ledger_never_creates_it_and_an_unreadable_one_is_a_warning(tmp_path):
    missing = str(tmp_path / 'nope.db')
    assert read_open_resources(path=missing) == ({}, missing, None)
    assert not (tmp_path / 'nope.db').exists()
    opened, name, warning = read_open_resources(dsn='postgresql://nfvo@127.0.0.1:1/nfvo_ledger')
    assert opened is None and name is None and warning.startswith('Cannot open ledger postgresql://nfvo@127.0.0.1:1/nfvo_ledger: ')
    assert warning.endswith('; this snapshot closes nothing') and '\n' not in warning
