# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Chargeback end to end: usage_snapshot against the local OpenStack with the usage callback on, chargeback_report over
known ledgers (SQLite and PostgreSQL) in every format (the HTML page rendered by headless Chromium), and the role."""

import csv
import datetime
import io
import json
import os
import time
import uuid

import pytest

from headless import CHROMIUM, NO_CHROMIUM, png_pixels_look_like_a_page, screenshot
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import make_event

UTC = datetime.timezone.utc
RATES = """
currency: EUR
rates:
  - name: standard
    details:
      - {field: vcpu, per_time: hourly, variable: 0.01}
      - {field: memory, per_time: hourly, per_unit: gigabytes, variable: 0.005}
      - {field: disk, per_time: monthly, per_unit: gigabytes, variable: 0.672}
      - {field: storage, per_time: monthly, variable: 2.016}
"""
# the same rates per hour (February 2026 has 672 hours): vCPU, RAM GB, disk GB, volume GB
PER_HOUR = {'vcpu': 0.01, 'ram_gb': 0.005, 'disk_gb': 0.672 / 672, 'volume_gb': 2.016 / 672}


def _wait(predicate, what, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(1)
    raise AssertionError('timed out waiting for %s' % what)


def _gone(getter, resource_id):
    from openstack import exceptions
    try:
        return getter(resource_id).status in ('DELETED', 'deleted')
    except exceptions.NotFoundException:
        return True


def _ledger_rows(path, sql, params=()):
    ledger = open_ledger(path)
    try:
        return [tuple(row) for row in ledger.conn.execute(sql, params).fetchall()]
    finally:
        ledger.close()


# ---------------------------------------------------------------------------------------------------------------------
# (a) usage_snapshot + the callback against the cloud

@pytest.fixture
def resources(sdk):
    """A managed server and volume (our metadata) and an unmanaged server; deleted at the end whatever happens."""
    suffix = uuid.uuid4().hex[:6]
    image = sdk.image.find_image('cirros-0.6.3', ignore_missing=False)
    flavor = sdk.compute.find_flavor('m1.tiny', ignore_missing=False)
    vnf_id = str(uuid.uuid4())
    meta = T.metadata_for(vnf=vnf_id, vnf_name='it-usage-%s' % suffix, vdu='VDU1', vnfd='vnfd-usage', vnfd_version='1.0')
    made = {'servers': [], 'volumes': [], 'ips': []}
    try:
        fip = sdk.network.create_ip(floating_network_id=sdk.network.find_network('public', ignore_missing=False).id)
        made['ips'].append(fip.id)
        sdk.network.set_tags(fip, [T.tag('vnf', vnf_id), T.tag('vnf_name', 'it-usage-%s' % suffix)])
        ours = sdk.compute.create_server(name='it-usage-%s-ours' % suffix, image_id=image.id, flavor_id=flavor.id, networks='none', metadata=meta)
        made['servers'].append(ours.id)
        other = sdk.compute.create_server(name='it-usage-%s-other' % suffix, image_id=image.id, flavor_id=flavor.id, networks='none')
        made['servers'].append(other.id)
        volume = sdk.block_storage.create_volume(name='it-usage-%s-vol' % suffix, size=1, metadata=meta)
        made['volumes'].append(volume.id)
        for server in (ours, other):
            sdk.compute.wait_for_server(server, status='ACTIVE', wait=180)
        sdk.block_storage.wait_for_status(volume, status='available', wait=120)
        yield {'ours': ours.id, 'other': other.id, 'volume': volume.id, 'ip': fip.id, 'vnf': vnf_id, 'flavor': flavor}
    finally:
        for ip_id in made['ips']:
            sdk.network.delete_ip(ip_id, ignore_missing=True)
        for server_id in made['servers']:
            sdk.compute.delete_server(server_id, ignore_missing=True)
        for volume_id in made['volumes']:
            sdk.block_storage.delete_volume(volume_id, ignore_missing=True)


def test_snapshot_observes_ours_records_via_the_callback_and_closes_what_vanished(sdk, run_module, resources, tmp_path, http_log):
    ledger = str(tmp_path / 'ledger.db')
    env = {'ANSIBLE_CALLBACKS_ENABLED': 'telco.nfvo.usage', 'TELCO_NFVO_USAGE_LEDGER': ledger,
           'TELCO_NFVO_USAGE_SPOOL': str(tmp_path / 'spool.jsonl'), 'TELCO_NFVO_USAGE_DSN': ''}
    mine = (resources['ours'], resources['other'], resources['volume'], resources['ip'])

    def snapshot(check=False, extra_env=None, **args):  # ledger_path comes from TELCO_NFVO_USAGE_LEDGER, as for the callback
        result = run_module('telco.nfvo.usage_snapshot', args, check=check, env=dict(env, **(extra_env or {})))
        assert not result.get('failed'), result.get('msg')
        assert result['changed'] is False
        return result, sorted((event['resource_id'], event['action']) for event in result['usage_events'] if event['resource_id'] in mine)

    result, seen = snapshot()
    assert seen == sorted([(resources['ours'], 'observed'), (resources['volume'], 'observed'), (resources['ip'], 'observed')])  # not the other
    server = next(event for event in result['usage_events'] if event['resource_id'] == resources['ours'])
    flavor = resources['flavor']
    assert (server['vcpus'], server['ram_mb'], server['disk_gb'], server['flavor']) == (flavor.vcpus, flavor.ram, flavor.disk, 'm1.tiny')
    assert (server['vnf_instance_id'], server['vdu'], server['project_id'], server['region']) == (
        resources['vnf'], 'VDU1', sdk.current_project_id, 'RegionOne')
    assert result['snapshot']['ledger'] is None or result['snapshot']['ledger'] == ledger
    recorded = _ledger_rows(ledger, 'SELECT resource_id, action, check_mode, task FROM events WHERE resource_id IN (?, ?, ?, ?)', mine)
    assert sorted(recorded) == sorted((rid, 'observed', 0, 'run') for rid in (resources['ours'], resources['volume'], resources['ip']))
    admin = run_module('telco.nfvo.usage_snapshot', {'all_projects': True, 'include_unmanaged': True, 'resource_types': ['server']},
                       cloud='nfvo-admin', env={'TELCO_NFVO_USAGE_LEDGER': ledger, 'TELCO_NFVO_USAGE_DSN': ''})  # no callback: not recorded
    assert not admin.get('failed'), admin.get('msg')
    assert sorted((event['resource_id'], event['project_name']) for event in admin['usage_events'] if event['resource_id'] in mine) == sorted(
        [(resources['ours'], 'nfvo-demo'), (resources['other'], 'nfvo-demo')])
    assert not os.path.exists(str(tmp_path / 'spool.jsonl'))

    result, seen = snapshot(check=True, include_unmanaged=True)  # same output; recorded as check-mode events, never charged
    assert (resources['other'], 'observed') in seen
    assert _ledger_rows(ledger, 'SELECT check_mode FROM events WHERE resource_id = ?', (resources['other'],)) == [(1,)]

    sdk.compute.stop_server(resources['ours'])
    _wait(lambda: sdk.compute.get_server(resources['ours']).status == 'SHUTOFF', 'the server to stop')
    result, seen = snapshot()
    assert seen == sorted([(resources['ours'], 'observed'), (resources['ours'], 'stopped'), (resources['volume'], 'observed'),
                           (resources['ip'], 'observed')])

    # behind Ansible's back: the managed server and the volume go away
    sdk.compute.delete_server(resources['ours'])
    sdk.block_storage.delete_volume(resources['volume'])
    sdk.network.delete_ip(resources['ip'])
    _wait(lambda: _gone(sdk.compute.get_server, resources['ours']) and _gone(sdk.block_storage.get_volume, resources['volume']),
          'the server and the volume to go')
    result, seen = snapshot()
    assert seen == sorted([(resources['ours'], 'closed'), (resources['volume'], 'closed'), (resources['ip'], 'closed')])
    assert result['snapshot']['closed'] >= 3
    ledger_now = open_ledger(ledger)
    try:
        still_open = ledger_now.open_resources(('server', 'volume', 'floating_ip'), 'RegionOne', sdk.current_project_id)
    finally:
        ledger_now.close()
    assert not set(still_open) & {('server', resources['ours']), ('volume', resources['volume']), ('floating_ip', resources['ip'])}
    result, seen = snapshot(extra_env=http_log[0])  # nothing more to close; one list call per resource type, whatever their number
    assert seen == []
    calls = [line.split()[1].split('?')[0] for line in http_log[1]() if line.startswith('GET ')]
    lists = [url for url in calls if url.endswith(('/servers/detail', '/volumes/detail', '/floatingips'))]
    assert sorted(url.rsplit('/', 1)[-1] for url in lists) == ['detail', 'detail', 'floatingips'], calls
    assert not [url for url in calls if '/servers/' in url and not url.endswith('/servers/detail')], calls


# ---------------------------------------------------------------------------------------------------------------------
# (b) chargeback_report over a ledger of known events

INTERVALS = [  # (vnf, resource type, id, start, end (None: open), sizes) of February 2026
    ('web-1', 'server', 'srv-1', '2026-01-30T00:00:00', '2026-02-10T00:00:00', {'vcpus': 2, 'ram_mb': 4096, 'disk_gb': 10}),
    ('web-1', 'server', 'srv-1', '2026-02-10T00:00:00', '2026-02-20T12:00:00', {'vcpus': 4, 'ram_mb': 8192, 'disk_gb': 10}),
    ('db-1', 'server', 'srv-2', '2026-02-05T06:00:00', None, {'vcpus': 1, 'ram_mb': 2048, 'disk_gb': 20}),
    ('db-1', 'volume', 'vol-1', '2026-02-01T00:00:00', '2026-02-15T00:00:00', {'volume_gb': 100}),
]


def _known_events():
    events = []
    for index, (vnf, kind, rid, start, end, sizes) in enumerate(INTERVALS):
        owner = {'vnf_instance_id': 'id-' + vnf, 'vnf_name': vnf, 'project_name': 'tenant-' + vnf, 'region': 'RegionOne'}
        first = index == 0 or INTERVALS[index - 1][2] != rid
        extra = {'volume_type': 'ssd'} if kind == 'volume' else {}
        events.append(make_event(kind, rid, 'created' if first else 'resized', start + 'Z', **dict(owner, **dict(sizes, **extra))))
        last = index + 1 == len(INTERVALS) or INTERVALS[index + 1][2] != rid
        if end and last:
            events.append(make_event(kind, rid, 'deleted' if kind == 'server' else 'closed', end + 'Z', **owner))
    return events


def _expected():
    """Per VNF: vCPU, RAM GB, disk GB and volume GB hours in February 2026, and the cost, by this test's own arithmetic."""
    window = (datetime.datetime(2026, 2, 1, tzinfo=UTC), datetime.datetime(2026, 3, 1, tzinfo=UTC))
    out = {}
    for vnf, dummy_kind, dummy_id, start, end, sizes in INTERVALS:
        t0 = max(datetime.datetime.fromisoformat(start).replace(tzinfo=UTC), window[0])
        t1 = min(datetime.datetime.fromisoformat(end).replace(tzinfo=UTC), window[1]) if end else window[1]
        hours = (t1 - t0).total_seconds() / 3600
        row = out.setdefault(vnf, {'vcpu': 0.0, 'ram_gb': 0.0, 'disk_gb': 0.0, 'volume_gb': 0.0})
        row['vcpu'] += sizes.get('vcpus', 0) * hours
        row['ram_gb'] += sizes.get('ram_mb', 0) / 1024 * hours
        row['disk_gb'] += sizes.get('disk_gb', 0) * hours
        row['volume_gb'] += sizes.get('volume_gb', 0) * hours
    for row in out.values():
        row['cost'] = round(sum(row[name] * PER_HOUR[name] for name in PER_HOUR), 2)
    return out


@pytest.fixture(params=['sqlite', 'postgresql'])
def known_ledger(request, tmp_path):
    """module arguments naming a ledger that holds the known events."""
    if request.param == 'sqlite':
        spec, args = {'path': str(tmp_path / 'ledger.db')}, {'ledger_path': str(tmp_path / 'ledger.db')}
    else:
        dsn = request.getfixturevalue('pg_schema_dsn')
        spec, args = {'dsn': dsn}, {'ledger_dsn': dsn}
    ledger = open_ledger(**spec)
    try:
        ledger.record(_known_events(), {'run_id': 'known-run'})
    finally:
        ledger.close()
    (tmp_path / 'rates.yml').write_text(RATES)
    return dict(args, rates=str(tmp_path / 'rates.yml'))


def test_report_charges_what_the_events_imply_in_every_format(run_module, known_ledger, tmp_path):
    expected = _expected()
    assert expected['web-1']['vcpu'] == 2 * 216 + 4 * 252 and expected['db-1']['volume_gb'] == 100 * 336  # the arithmetic itself
    results = {}
    for fmt in ('json', 'csv', 'markdown', 'html'):
        dest = str(tmp_path / ('report.' + fmt))
        args = dict(known_ledger, month='2026-02', interval='daily', group_by='vnf', format=fmt, dest=dest)
        result = results[fmt] = run_module('telco.nfvo.chargeback_report', args, cloud=None)
        assert not result.get('failed'), result.get('msg')
        assert result['changed'] is True and result['dest'] == dest and os.path.getsize(dest) > 0
        assert run_module('telco.nfvo.chargeback_report', args, cloud=None)['changed'] is False  # same content: not rewritten
    summary = results['json']
    assert summary['group_totals'] == {'web-1': {'EUR': expected['web-1']['cost']}, 'db-1': {'EUR': expected['db-1']['cost']}}
    assert summary['totals']['EUR'] == pytest.approx(expected['web-1']['cost'] + expected['db-1']['cost'], abs=0.011)
    for vnf, want in expected.items():
        rows = [row for row in summary['rows'] if row['group'] == vnf]
        assert sum(row['vcpu_hours'] for row in rows) == pytest.approx(want['vcpu'], abs=0.01)
        assert sum(row['ram_gb_hours'] for row in rows) == pytest.approx(want['ram_gb'], abs=0.01)
        assert sum(row['disk_gb_hours'] for row in rows) == pytest.approx(want['disk_gb'], abs=0.01)
        assert sum(row['volume_gb_hours'] for row in rows) == pytest.approx(want['volume_gb'], abs=0.01)
    assert len(summary['rows']) == len(set(row['period'] for row in summary['rows'] if row['group'] == 'db-1')) + 20  # web-1: Feb 1..20
    assert json.load(open(str(tmp_path / 'report.json')))['totals'] == summary['totals']
    table = list(csv.DictReader(io.StringIO(open(str(tmp_path / 'report.csv')).read())))
    assert len(table) == len(summary['rows'])
    assert sum(float(row['vcpu_hours']) for row in table) == pytest.approx(expected['web-1']['vcpu'] + expected['db-1']['vcpu'], abs=0.1)
    markdown = open(str(tmp_path / 'report.markdown')).read()
    assert markdown.startswith('# Chargeback by vnf, 2026-02-01 to 2026-03-01 (daily)') and 'Total: **%.2f EUR**' % summary['totals']['EUR'] in markdown

    check = run_module('telco.nfvo.chargeback_report', dict(known_ledger, month='2026-02', dest=str(tmp_path / 'dry.json')), check=True, cloud=None)
    assert check['changed'] is True and not os.path.exists(str(tmp_path / 'dry.json'))

    page = open(str(tmp_path / 'report.html')).read()
    assert '<script' not in page and '<svg' in page and 'web-1' in page
    if not CHROMIUM:
        pytest.skip(NO_CHROMIUM)
    png = str(tmp_path / 'report.png')
    screenshot(tmp_path / 'report.html', png, tmp_path / 'profile')
    width, height, distinct = png_pixels_look_like_a_page(png)
    assert (width, height) == (1200, 900) and distinct > 50


def test_report_errors_are_one_line(run_module, tmp_path):
    ledger = str(tmp_path / 'ledger.db')
    open_ledger(ledger).close()
    (tmp_path / 'rates.yml').write_text(RATES)
    (tmp_path / 'bad.yml').write_text('rates: [{name: broken, details: [{field: gpu}]}]\n')
    rates, missing, nowhere = str(tmp_path / 'rates.yml'), str(tmp_path / 'missing.db'), str(tmp_path / 'no' / 'r.json')
    cases = [
        ({'ledger_path': missing, 'rates': rates}, 'Cannot read ledger %s: no such file' % missing),
        ({'ledger_path': ledger, 'rates': str(tmp_path / 'bad.yml')}, 'Rate file %s: Rate broken, field gpu: field must be one of' % (tmp_path / 'bad.yml')),
        ({'ledger_path': ledger, 'rates': rates, 'dest': nowhere}, 'Cannot write the report %s: No such file or directory' % nowhere),
        ({'ledger_dsn': 'postgresql://nfvo:s3cr3t@127.0.0.1:1/nfvo', 'rates': rates}, 'Cannot open ledger postgresql://nfvo:***@127.0.0.1:1/nfvo'),
    ]
    for args, message in cases:
        result = run_module('telco.nfvo.chargeback_report', dict(args, month='2026-02'), cloud=None)
        assert result['failed'] and result['msg'].startswith(message) and '\n' not in result['msg'], result['msg']
        assert 's3cr3t' not in json.dumps(result)
    result = run_module('telco.nfvo.chargeback_report', {'ledger_path': ledger, 'rates': str(tmp_path / 'rates.yml'), 'month': '2026-13'}, cloud=None)
    assert result['failed'] and result['msg'] == "The report month '2026-13' is not YYYY-MM"


# ---------------------------------------------------------------------------------------------------------------------
# (c) the role, as an AWX schedule would run it

def test_role_writes_last_months_reports_in_every_format(run_playbook, tmp_path):
    today = datetime.datetime.now(UTC)
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    label = '%04d-%02d' % (year, month)
    ledger = str(tmp_path / 'ledger.db')
    store = open_ledger(ledger)
    try:  # 3 vCPUs for the 48 hours of the 2nd and 3rd of last month
        store.record([make_event('server', 'srv-r', 'created', '%s-02T00:00:00Z' % label, vcpus=3, ram_mb=1024, project_name='tenant-r'),
                      make_event('server', 'srv-r', 'deleted', '%s-04T00:00:00Z' % label, project_name='tenant-r')], {'run_id': 'role-run'})
    finally:
        store.close()
    (tmp_path / 'rates.yml').write_text(RATES)
    playbook = """
    - name: Monthly chargeback
      hosts: localhost
      gather_facts: false
      roles:
        - role: telco.nfvo.chargeback_report
          vars:
            chargeback_report_rates: {rates}
            chargeback_report_dir: {out}
            chargeback_report_ledger_path: {ledger}
            chargeback_report_group_by: [project, resource]
    """.format(rates=tmp_path / 'rates.yml', out=tmp_path / 'reports', ledger=ledger)
    proc = run_playbook(playbook)
    assert proc.stdout.count('changed: [localhost] => (item=') == 8, proc.stdout  # 2 groupings x 4 formats
    names = sorted(os.listdir(str(tmp_path / 'reports')))
    assert names == sorted('chargeback-%s-by-%s.%s' % (label, group, ext) for group in ('project', 'resource') for ext in ('json', 'csv', 'md', 'html'))
    data = json.load(open(str(tmp_path / 'reports' / ('chargeback-%s-by-project.json' % label))))
    assert data['totals'] == {'EUR': round(3 * 48 * PER_HOUR['vcpu'] + 1 * 48 * PER_HOUR['ram_gb'], 2)}
    assert sum(row['vcpu_hours'] for row in data['rows']) == 144
    again = run_playbook(playbook)  # idempotent
    assert 'changed=0' in again.stdout, again.stdout
    bad = run_playbook(playbook.replace('[project, resource]', '[tenant]'), expect_rc=2)
    assert 'chargeback_report_group_by' in bad.stdout
