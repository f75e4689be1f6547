# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spool: what it keeps while the ledger cannot be reached."""

import fcntl
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LedgerError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import make_event
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.spool import Spool

from .samples import RUN_CONTEXT as CONTEXT, server


def test_spool_flush_failure_keeps_everything(tmp_path):
    spool = Spool(str(tmp_path / 'spool.jsonl'))
    spool.append([server('srv-1', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512)], CONTEXT)

    class Broken:
        name = 'broken'

        def record(self, events, context):
            raise LedgerError('Cannot write ledger broken: disk I/O error')

    with pytest.raises(LedgerError):
        spool.flush(Broken())
    assert [json.loads(line)['events'][0]['resource_id'] for line in open(spool.path)] == ['srv-1']
    assert os.listdir(str(tmp_path)) == ['spool.jsonl']


def write_spool(path, count, per_line=1, first=0):
    """A spool of events srv-<first>.. srv-<first + count - 1> (ids from their names), per_line to a line, written as
    the former Spool.append wrote it, directly (fast, for big spools)."""
    context = dict((key, value) for key, value in CONTEXT.items() if key not in ('password', 'auth'))
    with open(path, 'w', encoding='utf-8') as handle:
        for start in range(first, first + count, per_line):
            events = [make_event('server', 'srv-%d' % i, 'created', '2026-03-01T00:00:00Z', key='srv-%d' % i, vcpus=1, ram_mb=512)
                      for i in range(start, min(start + per_line, first + count))]
            handle.write(json.dumps({'context': context, 'events': events}, sort_keys=True) + '\n')


def leftovers(tmp_path):
    return sorted(name for name in os.listdir(str(tmp_path)) if name.startswith('spool.jsonl'))


class Interrupting:
    """A ledger whose record() is interrupted (Ctrl-C) after `after` calls, the earlier ones written."""

    def __init__(self, ledger, after):
        self.ledger, self.after, self.name = ledger, after, ledger.name

    def record(self, events, context=None):
        if self.after == 0:
            raise KeyboardInterrupt()
        self.after -= 1
        return self.ledger.record(events, context)


def test_interrupted_flush_is_resumed_and_counts_every_event_once(tmp_path, ledger_spec):
    spool = Spool(str(tmp_path / 'spool.jsonl'))
    write_spool(spool.path, 30, per_line=3)
    ledger = open_ledger(**ledger_spec)
    try:
        with pytest.raises(KeyboardInterrupt):
            spool.flush(Interrupting(ledger, after=4))
        assert ledger.count() == 12
        spool.append([server('srv-new', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512)], CONTEXT)  # a later run spools more
        assert spool.flush(ledger) == 19  # the 18 the interrupted flush did not write, and the new one
        assert ledger.count() == 31 and leftovers(tmp_path) == []
        assert spool.flush(ledger) == 0
    finally:
        ledger.close()


def test_claim_orphaned_by_a_killed_run_is_flushed_by_the_next(tmp_path):
    """The claim a flush of the former code left when it was killed (spool.jsonl.flushing-<uuid>), and a spool of today."""
    spool = Spool(str(tmp_path / 'spool.jsonl'))
    write_spool(spool.path + '.flushing-0123456789abcdef0123456789abcdef', 5)
    spool.append([server('srv-new', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512)], CONTEXT)
    ledger = open_ledger(path=str(tmp_path / 'ledger.db'), spool=spool.path)  # open_ledger flushes
    try:
        assert ledger.count() == 6 and leftovers(tmp_path) == []
    finally:
        ledger.close()


FLUSH = ('import json, sys\n'
         'from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger\n'
         'from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.spool import Spool\n'
         'print(Spool(sys.argv[2]).flush(open_ledger(**json.loads(sys.argv[1]))))\n')


def flusher(tmp_path, spec=None):
    """A process that flushes tmp_path/spool.jsonl into the ledger of spec (default: tmp_path/ledger.db) and prints the count."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    spec = json.dumps(spec or {'path': str(tmp_path / 'ledger.db')})
    return subprocess.Popen([sys.executable, '-c', FLUSH, spec, str(tmp_path / 'spool.jsonl')], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_flush_killed_mid_way_loses_nothing(tmp_path):
    write_spool(str(tmp_path / 'spool.jsonl'), 8000)
    ledger = open_ledger(path=str(tmp_path / 'ledger.db'))
    try:
        proc = flusher(tmp_path)
        deadline = time.time() + 60
        while ledger.count() < 200 and proc.poll() is None and time.time() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, 'the flush ended before it could be killed: %s' % proc.communicate()[1]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        written = ledger.count()
        assert 0 < written < 8000
        assert Spool(str(tmp_path / 'spool.jsonl')).flush(ledger) == 8000 - written
        assert ledger.count() == 8000 and leftovers(tmp_path) == []
    finally:
        ledger.close()


def test_concurrent_flushers_count_each_event_once(tmp_path, ledger_spec):
    write_spool(str(tmp_path / 'spool.jsonl'), 3000)
    write_spool(str(tmp_path / 'spool.jsonl.flushing-0123456789abcdef0123456789abcdef'), 3000, first=2000)  # a killed run's claim
    open_ledger(**ledger_spec).close()
    procs = [flusher(tmp_path, ledger_spec) for dummy in range(4)]
    outputs = [proc.communicate() for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * 4, outputs
    assert sum(int(output[0]) for output in outputs) == 5000  # the flushers' counts: each event once
    ledger = open_ledger(**ledger_spec)
    try:
        assert ledger.count() == 5000 and leftovers(tmp_path) == []
    finally:
        ledger.close()


def test_claim_of_a_running_flush_is_left_to_it(tmp_path):
    claim = str(tmp_path / 'spool.jsonl.flushing-0123456789abcdef0123456789abcdef')
    write_spool(claim, 5)
    ledger = open_ledger(path=str(tmp_path / 'ledger.db'))
    held = os.open(claim, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # as the flush that claimed it holds it while it runs
        assert Spool(str(tmp_path / 'spool.jsonl')).flush(ledger) == 0 and leftovers(tmp_path) == [os.path.basename(claim)]
        os.close(held)  # that flush was killed: its lock went with it
        held = None
        assert Spool(str(tmp_path / 'spool.jsonl')).flush(ledger) == 5 and ledger.count() == 5 and leftovers(tmp_path) == []
    finally:
        if held is not None:
            os.close(held)
        ledger.close()


def test_spool_keeps_only_what_the_ledger_keeps(tmp_path):
    spool = Spool(str(tmp_path / 'spool.jsonl'))
    event = dict(server('srv-1', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512), user_data='#cloud-config\nchpasswd: x', extra={'k': 1})
    spool.append([event], dict(CONTEXT, extra_vars={'db_pass': 'x'}, inventory='hosts'))
    line = json.loads(open(spool.path).read())
    assert set(line['events'][0]) == set(server('srv-2', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512))
    assert sorted(line['context']) == ['awx_job_id', 'awx_job_template', 'awx_user', 'check_mode', 'host', 'play', 'playbook', 'project_revision',
                                       'run_id', 'task']


def test_torn_line_of_a_killed_writer_costs_no_other_line(tmp_path):
    spool = Spool(str(tmp_path / 'spool.jsonl'))
    with open(spool.path, 'w') as handle:
        handle.write('{"context": {}, "events": [{"id": "torn')  # a writer killed mid-line
    spool.append([server('srv-1', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512)], CONTEXT)
    ledger = open_ledger(path=str(tmp_path / 'ledger.db'))
    try:
        assert spool.flush(ledger) == 1 and leftovers(tmp_path) == []
    finally:
        ledger.close()


def test_spool_that_cannot_be_claimed_is_a_ledger_error_and_stays(tmp_path, monkeypatch):
    spool = Spool(str(tmp_path / 'spool.jsonl'))
    spool.append([server('srv-1', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512)], CONTEXT)

    def refused(*args):
        raise PermissionError(13, 'Permission denied')

    monkeypatch.setattr(os, 'rename', refused)
    ledger = open_ledger(path=str(tmp_path / 'ledger.db'))
    try:
        with pytest.raises(LedgerError, match=r'^Cannot flush the spool .*spool.jsonl into ledger .*ledger.db: Permission denied$'):
            spool.flush(ledger)
        monkeypatch.undo()
        assert leftovers(tmp_path) == ['spool.jsonl'] and spool.flush(ledger) == 1
    finally:
        ledger.close()
