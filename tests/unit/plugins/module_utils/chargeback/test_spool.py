# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spool: what it keeps while the ledger cannot be reached."""

import json
import os

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LedgerError
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
