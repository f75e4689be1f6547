# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spool: a local JSONL file (0600) that keeps usage events while the ledger cannot be reached.

The callback's ``Recorder`` (ledger_writer.py) appends to it once the ledger has failed; ``ledger.open_ledger(spool=...)``
flushes it into the next ledger it opens. Appends and claims of concurrent runs are serialised by ``flock``.

A flush is crash-safe (Ctrl-C, kill -9, a ledger error, at any point):

1. claim: under the spool's lock, the spool is renamed ``<spool>.flushing-<uuid>`` (atomic; appenders then start a new
   spool) and the flusher keeps that lock on the claim until it is done with it;
2. every claim found next to the spool is flushed: the new one, and those a killed flush left (their lock died with it).
   A claim whose lock is held belongs to a flush still running: it is left to it;
3. each line is recorded in its own ledger transaction, idempotently by event id (``ON CONFLICT DO NOTHING``);
4. only when all its lines are in the ledger is the claim removed.

Interrupted before 4, the claim stays and the next flush records it again: what was written is not counted twice, and
nothing is lost. Only the keys the ledger stores are spooled (``EVENT_FIELDS``, the run and task context), scrubbed.
"""

from __future__ import annotations

import fcntl
import glob
import json
import os
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LedgerError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import CONTEXT_FIELDS, EVENT_FIELDS, scrub

DEFAULT_SPOOL = '~/.ansible/telco_nfvo_usage.spool.jsonl'
CLAIM_SUFFIX = '.flushing-'


def spool_line(events, context=None):
    """One spool line: the events and their run context, only what the ledger keeps, scrubbed."""
    context = dict((name, value) for name, value in dict(context or {}).items() if name in CONTEXT_FIELDS)
    events = [dict((name, event[name]) for name in EVENT_FIELDS if name in event) if isinstance(event, dict) else event for event in events]
    return json.dumps({'context': scrub(context), 'events': scrub(events)}, sort_keys=True) + '\n'


def _same_file(fd, path):
    """Whether fd is still the file at path (not renamed or removed by a flush meanwhile)."""
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]


class Spool:
    """A local JSONL file (0600) of {"context": ..., "events": [...]} lines waiting for the ledger."""

    def __init__(self, path):
        self.path = os.path.abspath(os.path.expanduser(path))

    def append(self, events, context=None):
        self._append(spool_line(list(events), context).encode('utf-8'))

    def _append(self, data, sync=False):
        """Append whole lines (bytes) to the spool under its lock; a torn last line of a killed writer is ended first."""
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if _same_file(fd, self.path):  # not claimed by a flush meanwhile
                    size = os.fstat(fd).st_size
                    if size and os.pread(fd, 1, size - 1) != b'\n':
                        data = b'\n' + data
                    _write_all(fd, data)
                    if sync:
                        os.fsync(fd)
                    return
            finally:
                os.close(fd)

    def flush(self, ledger):
        """Record every spooled event in ledger, then remove what was flushed; returns the number of events newly recorded.

        On a ledger error the unflushed lines go back to the spool and the LedgerError propagates; on any other
        interruption the claim stays for the next flush (see the module's description).
        """
        try:
            claim = self._claim()
            recorded = 0 if claim is None else self._flush_claim(ledger, *claim)
            for path in sorted(glob.glob(glob.escape(self.path) + CLAIM_SUFFIX + '*')):
                orphan = self._take(path)
                if orphan is not None:
                    recorded += self._flush_claim(ledger, path, orphan)
        except OSError as exc:  # what was claimed stays claimed: the next flush takes it
            raise LedgerError('Cannot flush the spool %s into ledger %s: %s' % (self.path, ledger.name, exc.strerror or exc))
        return recorded

    def _claim(self):
        """(claim path, its fd, locked) of the spool renamed as a claim, or None when there is no spool."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not _same_file(fd, self.path):
                os.close(fd)
                return None  # another run claimed it
            claim = '%s%s%s' % (self.path, CLAIM_SUFFIX, uuid.uuid4().hex)
            os.rename(self.path, claim)
        except BaseException:
            os.close(fd)
            raise
        return claim, fd

    @staticmethod
    def _take(path):
        """The locked fd of a claim no running flush holds (left by a killed one), or None."""
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None  # flushed meanwhile
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None  # a flush that is running holds it
        if not _same_file(fd, path):
            os.close(fd)
            return None  # flushed and removed between our open and our lock
        return fd

    def _flush_claim(self, ledger, path, fd):
        """Record the lines of one locked claim, then remove it (and close fd); returns the events newly recorded."""
        try:
            with os.fdopen(os.dup(fd), 'rb') as handle:
                lines = handle.read().splitlines(True)
            recorded = 0
            for index, raw in enumerate(lines):
                try:
                    entry = json.loads(raw)
                    events, context = entry['events'], entry.get('context')
                except (ValueError, TypeError, KeyError, AttributeError):
                    continue  # a torn line of a killed writer
                try:
                    recorded += ledger.record(events, context) or 0
                except LedgerError:
                    try:  # the rest back to the spool, then no claim; a kill in between only replays lines: idempotent
                        self._append(b''.join(line if line.endswith(b'\n') else line + b'\n' for line in lines[index:]), sync=True)
                        os.unlink(path)
                    except OSError:
                        pass  # the claim stays, for the next flush
                    raise
                except (ValueError, TypeError, KeyError, AttributeError):
                    continue  # never a valid event (the Recorder spools only validated ones)
            os.unlink(path)
            return recorded
        finally:
            os.close(fd)
