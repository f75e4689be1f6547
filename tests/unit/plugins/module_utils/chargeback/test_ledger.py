# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The usage ledger on SQLite and on a real PostgreSQL server (NFVO_TEST_PG_DSN; tests/services/postgres.sh start)."""

import datetime
import os
import sqlite3
import stat

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LedgerError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import epoch_ms, make_event, scrub
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import RUN_FIELDS
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import SCHEMA_VERSION, open_ledger, redact_dsn
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.report import periods, report_window

from .samples import RUN_CONTEXT as CONTEXT, UNREACHABLE_PG, server


def hours_by_resource(ledger, start, end, now, interval='monthly'):
    """{(group, period, vcpus, stopped): hours} over [start, end) as float hours."""
    start, end = report_window(start, end)
    rows = ledger.usage(periods(start, end, interval), epoch_ms(start), epoch_ms(now), 'resource')
    return dict(((row['group'], row['period'], row['vcpus'], row['stopped']), float(row['hours'])) for row in rows)


def test_sqlite_file_is_private_wal_and_versioned(tmp_path):
    path = tmp_path / 'ledger.db'
    open_ledger(str(path)).close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    conn = sqlite3.connect(str(path))
    assert conn.execute('PRAGMA journal_mode').fetchone()[0] == 'wal'
    assert conn.execute('PRAGMA user_version').fetchone()[0] == SCHEMA_VERSION == 2
    conn.execute('PRAGMA user_version = 99')
    conn.commit()
    conn.close()
    with pytest.raises(LedgerError, match=r'^Cannot open ledger .*ledger.db: schema version 99 is newer than this collection knows \(2\)$'):
        open_ledger(str(path))


def test_record_is_idempotent_and_keeps_run_context(ledger_spec):
    events = [server('srv-1', 'created', '2026-03-01T00:00:00Z', vcpus=2, ram_mb=4096, disk_gb=20, flavor='m1.small'),
              server('srv-1', 'deleted', '2026-03-02T00:00:00Z')]
    ledger = open_ledger(**ledger_spec)
    try:
        assert ledger.record(events, CONTEXT) == 2
        assert ledger.record(events, CONTEXT) == 0  # a replay never double-counts
        assert ledger.record(events[:1] + [server('srv-2', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512)], CONTEXT) == 1
        assert ledger.count() == 3
        run = ledger.conn.execute('SELECT playbook, awx_job_id, awx_job_template, awx_user, project_revision FROM runs').fetchall()
        assert [tuple(row) for row in run] == [('site.yml', '42', 'deploy-vnf', 'alice', 'abc123')]
        task = ledger.conn.execute("SELECT run_id, play, task, host, check_mode, flavor FROM events WHERE resource_id = 'srv-1' AND action = 'created'")
        assert tuple(task.fetchone()) == ('run-1', 'Deploy', 'Instantiate', 'localhost', 0, 'm1.small')
    finally:
        ledger.close()


V1_RUN_FIELDS = ('run_id', 'started', 'playbook', 'awx_job_id', 'awx_job_template', 'awx_user', 'awx_workflow_job_id',
                 'awx_schedule_id', 'project_revision', 'awx_host')  # the runs table of schema version 1


def v1_ledger(ledger_spec):
    """A ledger as schema version 1 left it (runs without awx_inventory_id), with one run and its event."""
    ddl = ['CREATE TABLE runs (%s, PRIMARY KEY (run_id))' % ', '.join('%s TEXT' % name for name in V1_RUN_FIELDS),
           "INSERT INTO runs (run_id, awx_job_id, awx_job_template) VALUES ('old-run', '41', 'deploy-vnf')"]
    if 'path' in ledger_spec:
        conn = sqlite3.connect(ledger_spec['path'])
        ddl.append('PRAGMA user_version = 1')
    else:
        import psycopg  # pylint: disable=import-outside-toplevel  # only for the PostgreSQL case (pg_schema_dsn needs it too)
        conn = psycopg.connect(ledger_spec['dsn'], autocommit=True)
        ddl += ['CREATE TABLE schema_version (version INTEGER NOT NULL)', 'INSERT INTO schema_version (version) VALUES (1)']
    for sql in ddl:
        conn.execute(sql)
    conn.commit()
    conn.close()


def test_an_old_ledger_is_migrated_when_opened(ledger_spec):
    """A schema version 1 ledger opens, gets the runs.awx_inventory_id column (its rows kept), records runs with it, and
    opens again as version 2 (the migration runs once)."""
    assert RUN_FIELDS == V1_RUN_FIELDS + ('awx_inventory_id',)
    v1_ledger(ledger_spec)
    for dummy in range(2):
        ledger = open_ledger(**ledger_spec)
        try:
            ledger.record([server('srv-9', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512)],
                          dict(CONTEXT, awx_inventory_id='7'))
            runs = ledger.conn.execute('SELECT run_id, awx_job_id, awx_inventory_id FROM runs ORDER BY run_id').fetchall()
            assert [tuple(r) for r in runs] == [('old-run', '41', None), ('run-1', '42', '7')]
            if 'path' in ledger_spec:
                version = ledger.conn.execute('PRAGMA user_version').fetchone()[0]
            else:
                version = ledger.conn.execute('SELECT MAX(version) FROM schema_version').fetchone()[0]
            assert version == SCHEMA_VERSION
        finally:
            ledger.close()


def test_scrub_drops_secrets_everywhere():
    assert scrub({'name': 'x', 'Password': 'p', 'os_auth': {'a': 1}, 'nested': [{'api_token': 't', 'keep': 1}], 'client_secret': 's'}) == \
        {'name': 'x', 'nested': [{'keep': 1}]}
    assert redact_dsn('postgresql://nfvo:hunter2@db:5432/x') == 'postgresql://nfvo:***@db:5432/x'
    assert redact_dsn("host=db password='hun ter2' dbname=x") == 'host=db password=*** dbname=x'


def test_errors_are_one_line_and_name_the_ledger(tmp_path):
    with pytest.raises(LedgerError) as error:
        open_ledger(str(tmp_path / 'missing-dir' / 'ledger.db'))
    assert str(error.value) == 'Cannot open ledger %s: No such file or directory' % (tmp_path / 'missing-dir' / 'ledger.db')
    (tmp_path / 'garbage.db').write_bytes(b'this is not a database' * 100)
    with pytest.raises(LedgerError, match=r'^Cannot open ledger .*garbage.db: file is not a database$'):
        open_ledger(str(tmp_path / 'garbage.db'))
    with pytest.raises(LedgerError) as error:
        open_ledger(dsn=UNREACHABLE_PG)
    assert str(error.value).startswith('Cannot open ledger postgresql://nfvo:***@127.0.0.1:1/nfvo_ledger: ')
    assert 'hunter2' not in str(error.value) and '\n' not in str(error.value)


def test_intervals_follow_the_lifecycle(ledger_spec):
    """created/resized/stopped/started/deleted split intervals; observed opens only when nothing is open; closed closes."""
    sizes = dict(ram_mb=2048, disk_gb=10)
    events = [
        server('s1', 'created', '2026-02-25T00:00:00Z', vcpus=1, **sizes),  # before the window: clipped
        server('s1', 'resized', '2026-03-02T00:00:00Z', vcpus=2, **sizes),
        server('s1', 'stopped', '2026-03-03T00:00:00Z', vcpus=2, **sizes),
        server('s1', 'started', '2026-03-04T00:00:00Z', vcpus=2, **sizes),
        server('s1', 'observed', '2026-03-04T12:00:00Z', vcpus=2, **sizes),  # already open: changes nothing
        server('s1', 'deleted', '2026-03-05T00:00:00Z'),
        server('s1', 'closed', '2026-03-06T00:00:00Z'),  # already closed: nothing
        make_event('volume', 'v1', 'observed', '2026-03-10T00:00:00Z', volume_gb=10),  # created outside Ansible
        make_event('volume', 'v1', 'observed', '2026-03-11T00:00:00Z', volume_gb=10),
        make_event('volume', 'v1', 'closed', '2026-03-12T00:00:00Z'),  # missing from a snapshot
        make_event('volume', 'v2', 'created', '2026-03-20T00:00:00Z', volume_gb=10),  # still there: runs until now
        make_event('floating_ip', 'f1', 'created', '2026-03-30T12:00:00Z'),
        make_event('floating_ip', 'f1', 'deleted', '2026-03-30T12:00:00Z'),  # same millisecond: insertion order decides
        make_event('network', 'n1', 'deleted', '2026-03-01T00:00:00Z'),
        server('s2', 'created', '2026-04-02T00:00:00Z', vcpus=8, **sizes),  # after the window
    ]
    ledger = open_ledger(**ledger_spec)
    try:
        ledger.record(events, CONTEXT)
        ledger.record([server('s9', 'created', '2026-03-01T00:00:00Z', vcpus=64, **sizes)], dict(CONTEXT, check_mode=True))
        now = datetime.datetime(2026, 3, 31, tzinfo=datetime.timezone.utc)
        assert hours_by_resource(ledger, '2026-03-01', '2026-04-01', now) == {
            ('server:s1', '2026-03', 1, 0): 24.0, ('server:s1', '2026-03', 2, 0): 48.0, ('server:s1', '2026-03', 2, 1): 24.0,
            ('volume:v1', '2026-03', None, 0): 48.0, ('volume:v2', '2026-03', None, 0): 264.0}
        daily = hours_by_resource(ledger, '2026-03-04T06:00:00', '2026-03-05T06:00:00', now, 'daily')
        assert daily == {('server:s1', '2026-03-04', 2, 0): 18.0}  # clipped to the window
    finally:
        ledger.close()


def test_vnf_instance_hours_are_the_union_of_its_resources(ledger_spec):
    owner = dict(project_name='tenant-a', vnf_instance_id='vnf-1', vnf_name='web')
    events = [make_event('server', 'a', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512, **owner),
              make_event('server', 'b', 'created', '2026-03-01T12:00:00Z', vcpus=1, ram_mb=512, **owner),
              make_event('server', 'a', 'deleted', '2026-03-02T00:00:00Z', **owner),
              make_event('server', 'b', 'deleted', '2026-03-03T00:00:00Z', **owner),
              make_event('volume', 'c', 'created', '2026-03-04T00:00:00Z', volume_gb=1, **owner),  # after a gap
              make_event('volume', 'c', 'deleted', '2026-03-04T06:00:00Z', **owner)]
    ledger = open_ledger(**ledger_spec)
    try:
        ledger.record(events)
        for interval in ('daily', 'monthly'):
            start, end = report_window(month='2026-03')
            rows = ledger.usage(periods(start, end, interval), epoch_ms(start), epoch_ms(end), 'vnf', vnf_spans=True)
            spans = [row for row in rows if row['resource_type'] == 'vnf_instance']
            assert set(row['group'] for row in spans) == {'web'}
            assert float(sum(row['hours'] for row in spans)) == 48.0 + 6.0
    finally:
        ledger.close()
