# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Chargeback end to end (issue 7, "Done when"): with the usage callback on, a VNF is instantiated, scaled out, scaled in
and terminated on the local OpenStack; the monthly report charges exactly the vCPU/RAM/disk-hours its events imply - on
SQLite and on PostgreSQL - and the scale-in, run while the ledger is unreachable, is spooled and flushed by the next run:
nothing lost, nothing counted twice.

Scale out/in goes through a second instantiation level of v2_basic_min (VDU1 x1 -> x3 -> x1), the converge path of
telco.nfvo.vnf; the scale modules of issue 5 produce their events through the same code (usage_events.api_for)."""

import datetime
import json
import os
import uuid

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.tags import vnf_instance_id
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import parse_timestamp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}
UNREACHABLE_PG = 'postgresql://postgres@127.0.0.1:1/nfvo_ledger?connect_timeout=2'
# 3600 per vCPU-hour, per GB-hour of RAM and per GB-hour of disk = 1 per unit-second: a few minutes cost hundreds, so the
# report's rounding to cents cannot hide a lost or doubled event.
RATES = """
currency: EUR
rates:
  - name: per-second
    details:
      - {field: vcpu, per_time: hourly, variable: 3600}
      - {field: memory, per_time: hourly, per_unit: gigabytes, variable: 3600}
      - {field: disk, per_time: hourly, per_unit: gigabytes, variable: 3600}
"""
PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  vars:
    vnf: {name: "{{ vnf_name }}", package: "{{ package }}", flavour_id: simple, images: "{{ images }}", cloud: nfvo-tenant}
  tasks:
    - name: "{{ item.step }}"
      telco.nfvo.vnf: "{{ vnf | combine(item.args) }}"
      loop: "{{ steps }}"
      loop_control: {label: "{{ item.step }}"}
      register: done
    - ansible.builtin.copy: {content: "{{ done.results | map(attribute='usage_events') | list | to_json }}", dest: "{{ out }}"}
"""


@pytest.fixture(params=['sqlite', 'postgresql'])
def ledger(request, tmp_path):
    """(open_ledger arguments, environment of the callback, environment with the ledger unreachable)."""
    spool = str(tmp_path / 'spool.jsonl')
    if request.param == 'sqlite':
        path = str(tmp_path / 'ledger.db')
        yield ({'path': path}, {'TELCO_NFVO_USAGE_LEDGER': path, 'TELCO_NFVO_USAGE_DSN': '', 'TELCO_NFVO_USAGE_SPOOL': spool},
               {'TELCO_NFVO_USAGE_LEDGER': str(tmp_path / 'missing-dir' / 'ledger.db'), 'TELCO_NFVO_USAGE_SPOOL': spool})
        return
    dsn = request.getfixturevalue('pg_schema_dsn')
    yield ({'dsn': dsn}, {'TELCO_NFVO_USAGE_DSN': dsn, 'TELCO_NFVO_USAGE_SPOOL': spool},
           {'TELCO_NFVO_USAGE_DSN': UNREACHABLE_PG, 'TELCO_NFVO_USAGE_SPOOL': spool})


def ledger_events(spec, instance_id):
    db = open_ledger(**spec)
    try:
        sql = db._sql('SELECT id, ts, resource_type, resource_id, action, vcpus, ram_mb, disk_gb, vdu FROM events '
                      'WHERE vnf_instance_id = ? ORDER BY ts_ms, seq')
        names = ('id', 'timestamp', 'resource_type', 'resource_id', 'action', 'vcpus', 'ram_mb', 'disk_gb', 'vdu')
        return [dict(zip(names, row)) for row in db.conn.execute(sql, (instance_id,)).fetchall()]
    finally:
        db.close()


def expected_hours(events):
    """vCPU-, RAM GB- and disk GB-hours: each server from its created event to its deleted event, at its created sizes."""
    opened, totals = {}, {'vcpu': 0.0, 'ram_gb': 0.0, 'disk_gb': 0.0, 'servers': 0}
    for event in events:
        if event['resource_type'] != 'server':
            continue
        if event['action'] == 'created':
            opened[event['resource_id']] = event
        elif event['action'] == 'deleted':
            start = opened.pop(event['resource_id'])
            hours = (parse_timestamp(event['timestamp']) - parse_timestamp(start['timestamp'])).total_seconds() / 3600
            totals['vcpu'] += start['vcpus'] * hours
            totals['ram_gb'] += start['ram_mb'] / 1024.0 * hours
            totals['disk_gb'] += start['disk_gb'] * hours
            totals['servers'] += 1
    assert not opened, 'servers never deleted: %s' % sorted(opened)
    return totals


def test_lifecycle_events_are_charged_exactly_and_survive_an_unreachable_ledger(run_playbook, run_module, sdk, vdu_flavor, ledger, tmp_path):
    spec, env, unreachable = ledger
    env = dict(env, ANSIBLE_CALLBACKS_ENABLED='telco.nfvo.usage')
    name = 'it-e2e-%s' % uuid.uuid4().hex[:6]
    iid = vnf_instance_id(sdk.current_project_id, name)
    (tmp_path / 'play.yml').write_text(PLAYBOOK)
    (tmp_path / 'rates.yml').write_text(RATES)
    returned = []

    def run(steps, run_env):
        out = str(tmp_path / ('events-%s.json' % uuid.uuid4().hex[:6]))
        proc = run_playbook(str(tmp_path / 'play.yml'), {'vnf_name': name, 'package': BASIC, 'images': IMAGES, 'out': out, 'steps': steps},
                            env=run_env)
        returned.extend(event for events in json.load(open(out)) for event in events)
        return proc

    try:
        # 1. instantiate (VDU1 x1, VDU2 x1) and scale out (VDU1 x3); check mode first: no events
        dry = run_module('telco.nfvo.vnf', {'name': name, 'package': BASIC, 'flavour_id': 'simple', 'images': IMAGES}, check=True, env=env)
        assert not dry.get('failed') and dry['changed'] is True and dry['usage_events'] == [], dry
        run([{'step': 'instantiate', 'args': {'instantiation_level_id': 'instantiation_level_1'}},
             {'step': 'scale out', 'args': {'instantiation_level_id': 'instantiation_level_2'}}], env)
        assert sorted((e['vdu'], e['action']) for e in returned if e['resource_type'] == 'server') == [
            ('VDU1', 'created')] * 3 + [('VDU2', 'created')]
        assert [e['action'] for e in returned if e['resource_type'] == 'network'] == ['created']
        # 2. scale in (VDU1 x1) while the ledger cannot be reached: the run succeeds, the events wait in the spool
        proc = run([{'step': 'scale in', 'args': {'instantiation_level_id': 'instantiation_level_1'}}], dict(env, **unreachable))
        assert 'telco.nfvo.usage' in proc.stdout + proc.stderr  # the warning
        scale_in = [e for e in returned if e['action'] == 'deleted']
        assert sorted((e['resource_type'], e['vdu']) for e in scale_in) == [('server', 'VDU1')] * 2
        spooled = [event['id'] for line in open(env['TELCO_NFVO_USAGE_SPOOL']) for event in json.loads(line)['events']]
        assert sorted(spooled) == sorted(e['id'] for e in scale_in)
        assert not {e['id'] for e in scale_in} & {e['id'] for e in ledger_events(spec, iid)}
        # 3. terminate with the ledger back: the spool is flushed first
        run([{'step': 'terminate', 'args': {'state': 'absent'}}], env)
    finally:
        res = run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'})
        assert not res.get('failed'), res.get('msg')
    assert not os.path.exists(env['TELCO_NFVO_USAGE_SPOOL'])
    recorded = ledger_events(spec, iid)
    assert sorted(e['id'] for e in recorded) == sorted(e['id'] for e in returned)  # every event, once
    assert len({e['id'] for e in recorded}) == len(recorded)
    assert [(e['resource_type'], e['action']) for e in recorded].count(('server', 'deleted')) == 4
    assert [(e['resource_type'], e['action']) for e in recorded].count(('network', 'deleted')) == 1
    assert all((e['vcpus'], e['ram_mb'], e['disk_gb']) == (1, 512, 3) for e in recorded if e['action'] == 'created' and e['resource_type'] == 'server')

    want = expected_hours(recorded)
    assert want['servers'] == 4 and want['vcpu'] > 0
    first, last = parse_timestamp(recorded[0]['timestamp']), parse_timestamp(recorded[-1]['timestamp'])
    window = {'month': first.strftime('%Y-%m')} if (first.year, first.month) == (last.year, last.month) else {
        'start': (first - datetime.timedelta(minutes=1)).isoformat(), 'end': (last + datetime.timedelta(minutes=1)).isoformat()}
    args = dict(window, rates=str(tmp_path / 'rates.yml'), group_by='vnf', format='json', dest=str(tmp_path / 'report.json'))
    args.update({'ledger_dsn': spec['dsn']} if 'dsn' in spec else {'ledger_path': spec['path']})
    report = run_module('telco.nfvo.chargeback_report', args, cloud=None)
    assert not report.get('failed'), report.get('msg')
    rows = [row for row in report['rows'] if row['group'] == name]
    assert sum(row['vcpu_hours'] for row in rows) == pytest.approx(want['vcpu'], abs=1e-3)
    assert sum(row['ram_gb_hours'] for row in rows) == pytest.approx(want['ram_gb'], abs=1e-3)
    assert sum(row['disk_gb_hours'] for row in rows) == pytest.approx(want['disk_gb'], abs=1e-3)
    cost = 3600 * (want['vcpu'] + want['ram_gb'] + want['disk_gb'])
    assert report['group_totals'][name]['EUR'] == pytest.approx(cost, abs=0.02)

    # a replay of the whole run's events counts nothing twice
    db = open_ledger(**spec)
    try:
        before = db.count()
        db.record([dict(e, tags=e.get('tags')) for e in returned], {'run_id': 'replay'})
        assert db.count() == before
    finally:
        db.close()
