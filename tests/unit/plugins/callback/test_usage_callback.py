# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The telco.nfvo.usage callback in real ansible-playbook runs of tests/data/callback_usage/playbook.yml."""

import glob
import json
import os
import subprocess
import sys

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PLAYBOOK = os.path.join(ROOT, 'tests', 'data', 'callback_usage', 'playbook.yml')
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
RECORDED = ['ev-create-1', 'ev-create-2', 'ev-rollback', 'ev-scale-2', 'ev-scale-3', 'ev-stop']
PG_DSN = os.environ.get('NFVO_TEST_PG_DSN')

pytestmark = pytest.mark.skipif(not os.path.exists(ANSIBLE_PLAYBOOK), reason='ansible-core is not installed next to this python')


def run_playbook(tmp_path, **options):
    """Run the playbook; its stand-in module (library/emit_usage_events.py) is billed as one of ours (option actions)."""
    options.setdefault('actions', 'telco.nfvo.*, emit_usage_events')
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, '.build', 'pytest'), ANSIBLE_CALLBACKS_ENABLED='telco.nfvo.usage',
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), ANSIBLE_NOCOLOR='1', ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               TELCO_NFVO_USAGE_SPOOL=str(tmp_path / 'spool.jsonl'), JOB_ID='4242', INVENTORY_ID='7', PROJECT_REVISION='0f3c9a1',
               AWX_HOST='https://awx.example.com')
    env.pop('TELCO_NFVO_USAGE_DSN', None)
    env.update(('TELCO_NFVO_USAGE_%s' % name.upper(), value) for name, value in options.items())
    extra = json.dumps({'awx_job_template_name': 'deploy web', 'awx_user_name': 'alice', 'awx_workflow_job_id': 17, 'awx_schedule_id': 3})
    proc = subprocess.run([ANSIBLE_PLAYBOOK, '-i', 'localhost,', '-c', 'local', '-e', extra, PLAYBOOK], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def ledger_ids(**spec):
    ledger = open_ledger(**spec)
    try:
        return sorted(row[0] for row in ledger.conn.execute('SELECT id FROM events').fetchall())
    finally:
        ledger.close()


def test_events_are_recorded_with_run_context_and_no_secret(tmp_path):
    path = str(tmp_path / 'ledger.db')
    output = run_playbook(tmp_path, ledger=path)
    assert output.count('telco.nfvo.usage: Ignored usage event: Invalid usage event ev-bad: action') == 1
    assert ledger_ids(path=path) == RECORDED  # not the no_log task's, not the invalid one, not debug's
    ledger = open_ledger(path)
    try:
        run = ledger.conn.execute('SELECT playbook, awx_job_id, awx_job_template, awx_user, awx_workflow_job_id, awx_schedule_id, project_revision,'
                                  ' awx_host, awx_inventory_id FROM runs').fetchall()
        assert [tuple(row) for row in run] == [(PLAYBOOK, '4242', 'deploy web', 'alice', '17', '3', '0f3c9a1', 'https://awx.example.com', '7')]
        rows = ledger.conn.execute("SELECT play, task, host, check_mode, vdu FROM events WHERE id IN ('ev-scale-3', 'ev-rollback')").fetchall()
        assert sorted(tuple(row) for row in rows) == [
            ('Emit usage events like the lifecycle modules do', 'A failed operation still reports its rollback', 'localhost', 0, None),
            ('Emit usage events like the lifecycle modules do', 'Scale out (loop, one item per VDU instance)', 'localhost', 0, 'VDU1')]
    finally:
        ledger.close()
    for name in glob.glob(path + '*'):
        assert b's3cr3t' not in open(name, 'rb').read()
    run_playbook(tmp_path, ledger=path)  # a replay changes nothing
    assert ledger_ids(path=path) == RECORDED


def test_only_the_collections_own_modules_are_billed_by_default(tmp_path):
    path = str(tmp_path / 'ledger.db')
    run_playbook(tmp_path, ledger=path, actions='telco.nfvo.*')  # the default: the stand-in module is not ours
    assert ledger_ids(path=path) == []


@pytest.mark.parametrize('unreachable', [{'ledger': '/nonexistent/dir/ledger.db'}, {'dsn': 'postgresql://nfvo@127.0.0.1:1/nfvo_ledger'}],
                         ids=['sqlite', 'postgresql'])
def test_unreachable_ledger_warns_once_spools_and_loses_nothing(tmp_path, unreachable):
    output = run_playbook(tmp_path, **unreachable)
    assert output.count('telco.nfvo.usage: Cannot open ledger') == 1
    spooled = [event['id'] for line in open(str(tmp_path / 'spool.jsonl')) for event in json.loads(line)['events']]
    assert sorted(spooled) == RECORDED
    path = str(tmp_path / 'ledger.db')
    run_playbook(tmp_path, ledger=path)  # the next run flushes the spool, then records its own (the same ids: no double count)
    assert ledger_ids(path=path) == RECORDED and not os.path.exists(str(tmp_path / 'spool.jsonl'))


@pytest.mark.skipif(not PG_DSN, reason='NFVO_TEST_PG_DSN is not set: start a server with tests/services/postgres.sh start')
def test_postgresql_ledger(tmp_path):
    import psycopg
    from psycopg.conninfo import make_conninfo
    schema = 'cb_%s' % os.urandom(6).hex()
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute('CREATE SCHEMA %s' % schema)
    try:
        dsn = make_conninfo(PG_DSN, options='-c search_path=%s' % schema)
        run_playbook(tmp_path, dsn=dsn)
        assert ledger_ids(dsn=dsn) == RECORDED
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute('DROP SCHEMA %s CASCADE' % schema)
