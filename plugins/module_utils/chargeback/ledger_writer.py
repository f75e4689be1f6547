# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the callback writes the ledger: ``Recorder``, the ledger while it works, the spool once it has failed.

The ``telco.nfvo.usage`` callback plugin builds one ``Recorder`` per run and hands it every task's ``usage_events``.
"""

from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LedgerError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import validate_event
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import one_line, open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.spool import DEFAULT_SPOOL, Spool


class Recorder:
    """The callback's write path: the ledger while it works, the spool once it has failed. Never raises.

    ``record()`` returns warnings (invalid events, the first ledger failure, a failing spool) for the caller to show.
    """

    def __init__(self, path=None, dsn=None, spool=DEFAULT_SPOOL):
        self.path, self.dsn, self.spool = path, dsn, spool
        self.ledger = None
        self.failure = None
        self.lost = 0

    def open(self):
        """Open the ledger (flushing the spool) unless it already failed in this run; returns warnings."""
        if self.ledger is None and self.failure is None:
            try:
                self.ledger = open_ledger(self.path, self.dsn, self.spool)
            except LedgerError as exc:
                return self._failed(exc)
        return []

    def _failed(self, exc):
        self.close()
        self.failure = str(exc)
        return ['%s; usage events go to the spool %s until a run can write the ledger' % (self.failure, self.spool)]

    def record(self, events, context):
        warnings, valid = self.open(), []
        for event in events:
            try:
                valid.append(validate_event(event))
            except ValueError as exc:
                warnings.append('Ignored usage event: %s' % exc)
        if not valid:
            return warnings
        if self.ledger is not None:
            try:
                self.ledger.record(valid, context)
                return warnings
            except LedgerError as exc:
                warnings += self._failed(exc)
        try:
            Spool(self.spool).append(valid, context)
        except (OSError, TypeError, ValueError) as exc:
            # each loss reads differently (Ansible shows a repeated warning once): the run, the task and the count so far
            self.lost += len(valid)
            context = dict(context or {})
            warnings.append('Lost %d usage event(s) of task %r on %s (run %s, %d lost in this run): cannot write the spool %s: %s'
                            % (len(valid), context.get('task'), context.get('host'), context.get('run_id'), self.lost, self.spool, one_line(exc)))
        return warnings

    def close(self):
        if self.ledger is not None:
            self.ledger.close()
            self.ledger = None
