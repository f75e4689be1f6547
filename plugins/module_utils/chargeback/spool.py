# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spool: a local JSONL file (0600) that keeps usage events while the ledger cannot be reached.

The callback's ``Recorder`` (ledger_writer.py) appends to it once the ledger has failed; ``ledger.open_ledger(spool=...)``
flushes it into the next ledger it opens. Appends and flushes of concurrent runs are serialised by ``flock``.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LedgerError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import scrub

DEFAULT_SPOOL = '~/.ansible/telco_nfvo_usage.spool.jsonl'


class Spool:
    """A local JSONL file (0600) of {"context": ..., "events": [...]} lines waiting for the ledger."""

    def __init__(self, path):
        self.path = os.path.abspath(os.path.expanduser(path))

    def append(self, events, context=None):
        line = (json.dumps({'context': scrub(dict(context or {})), 'events': scrub(list(events))}, sort_keys=True) + '\n').encode('utf-8')
        while True:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if os.path.exists(self.path) and os.fstat(fd).st_ino == os.stat(self.path).st_ino:  # not taken by a flush meanwhile
                    os.write(fd, line)
                    return
            finally:
                os.close(fd)

    def flush(self, ledger):
        """Record every spooled line in ledger, then remove the spool; returns the number of events flushed.

        On a ledger error the unflushed lines go back to the spool (inserts are idempotent, so a partial flush
        replayed later does not double-count) and the LedgerError propagates.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return 0
        taken = '%s.flushing-%s' % (self.path, uuid.uuid4().hex)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not os.path.exists(self.path) or os.fstat(fd).st_ino != os.stat(self.path).st_ino:
                return 0  # another process flushed it
            os.rename(self.path, taken)
        finally:
            os.close(fd)
        entries = []
        with open(taken, encoding='utf-8') as handle:
            for line in handle:
                try:
                    entries.append(json.loads(line))
                except ValueError:
                    pass  # a torn last line of a killed writer
        flushed = 0
        for index, entry in enumerate(entries):
            try:
                ledger.record(entry['events'], entry['context'])
            except LedgerError:
                for rest in entries[index:]:
                    self.append(rest['events'], rest['context'])
                os.unlink(taken)
                raise
            except ValueError:
                continue  # never a valid event (the Recorder spools only validated ones)
            flushed += len(entry['events'])
        os.unlink(taken)
        return flushed
