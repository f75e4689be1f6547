# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The callback's write path: the ledger while it works, the spool once it has failed, flushed by the next open."""

import os
import stat

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger_writer import Recorder

from .samples import RUN_CONTEXT as CONTEXT, UNREACHABLE_PG, server


@pytest.mark.parametrize('unreachable', [{'path': '/nonexistent/dir/ledger.db'}, {'dsn': UNREACHABLE_PG}], ids=['sqlite', 'postgresql'])
def test_unreachable_ledger_spools_and_next_open_flushes(tmp_path, ledger_spec, unreachable):
    spool = str(tmp_path / 'spool.jsonl')
    recorder = Recorder(spool=spool, **unreachable)
    first = [server('srv-%d' % i, 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512) for i in range(3)]
    warnings = recorder.record(first, CONTEXT)
    assert len(warnings) == 1 and warnings[0].startswith('Cannot open ledger ') and 'spool' in warnings[0]
    assert recorder.record([server('srv-9', 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512)], CONTEXT) == []  # warned once
    assert recorder.record([{'id': 'bad', 'action': 'created'}], CONTEXT)[0].startswith('Ignored usage event: Invalid usage event bad: ')
    assert stat.S_IMODE(os.stat(spool).st_mode) == 0o600
    spooled = open(spool).read()
    assert 'hunter2' not in spooled and 'gAAAA' not in spooled and len(spooled.splitlines()) == 2
    ledger = open_ledger(spool=spool, **ledger_spec)  # the next successful open flushes
    try:
        assert ledger.count() == 4 and not os.path.exists(spool)
        assert ledger.record(first, CONTEXT) == 0
    finally:
        ledger.close()


def test_each_loss_is_its_own_warning_with_the_run_and_the_count(tmp_path):
    """Ansible shows a repeated warning once: each loss must read differently, and say how many were lost in all."""
    recorder = Recorder(path=str(tmp_path / 'missing' / 'ledger.db'), spool=str(tmp_path / 'missing' / 'spool.jsonl'))
    events = [server('srv-%d' % i, 'created', '2026-03-01T00:00:00Z', vcpus=1, ram_mb=512) for i in range(2)]
    first = recorder.record(events, CONTEXT)[-1]
    second = recorder.record(events, CONTEXT)[-1]
    assert first.startswith('Lost 2 usage event(s) ') and second.startswith('Lost 2 usage event(s) ') and first != second
    assert 'run-1' in first and '4 lost in this run' in second and 'spool.jsonl' in second
