# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The usage ledger: where usage events, with the run context that produced them, are written (SQLite or PostgreSQL).

* SQLite (default): one file, created 0600, WAL, schema version in ``PRAGMA user_version``.
* PostgreSQL (``dsn``; psycopg 3): same tables, schema version in table ``schema_version``; for AWX clusters.
* An older ledger is migrated when it is opened, in one transaction (``MIGRATIONS``: version -> statements); a newer
  one is refused.
* Inserts are idempotent by event id (``ON CONFLICT DO NOTHING``): a replay never double-counts.
* When the ledger cannot be reached, the callback's ``Recorder`` (ledger_writer.py) appends to the JSONL spool file
  (spool.py); the next successful ``open_ledger(..., spool=...)`` flushes it. Nothing is lost.
* No secret is stored: the callback never reads no_log results, and ``events.scrub()`` drops every key that looks like a
  secret (password, token, secret, auth, ...) from events and run context before they are written or spooled.

Intervals (``Ledger.usage``), in one window pass per resource ordered by time: each event opens a segment that
lasts until the resource's next event other than ``observed``; ``deleted``/``closed`` segments are not billable;
``resized``/``stopped``/``started`` split segments (a segment keeps the sizes of the event that opened it); an
``observed`` event opens a segment only when none is open (first sighting, or after a delete/close), so snapshots fill
gaps without splitting anything. A segment still open at the end runs until ``open_until`` (the window end, or now if
earlier). Check-mode events are ignored. The SQL clips segments to report periods and sums milliseconds per group,
period and priced attributes: Python only sees the aggregated rows.
"""

from __future__ import annotations

import contextlib
import decimal
import json
import os
import re
import sqlite3

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LedgerError, ReportError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import EVENT_FIELDS, RUN_FIELDS, TASK_FIELDS, epoch_ms, scrub, utc_timestamp
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import validate_event
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.spool import Spool

try:
    import psycopg
    HAS_PSYCOPG = True
except ImportError:
    psycopg = None
    HAS_PSYCOPG = False

SCHEMA_VERSION = 2
# version -> the statements that take a ledger of the version before to it (a new ledger is made at SCHEMA_VERSION)
MIGRATIONS = {
    2: ('ALTER TABLE runs ADD COLUMN awx_inventory_id TEXT',),  # the AWX job's INVENTORY_ID
}
DEFAULT_PATH = '~/.ansible/telco_nfvo_usage.db'
_EVENT_COLUMNS = ('id', 'ts', 'ts_ms') + EVENT_FIELDS[2:] + ('run_id',) + TASK_FIELDS
_INT_COLUMNS = ('ts_ms', 'vcpus', 'ram_mb', 'disk_gb', 'volume_gb', 'check_mode')
_DDL = (
    'CREATE TABLE IF NOT EXISTS runs (%s, PRIMARY KEY (run_id))' % ', '.join('%s TEXT' % name for name in RUN_FIELDS),
    'CREATE TABLE IF NOT EXISTS events (seq {seq} PRIMARY KEY, %s, UNIQUE (id))' % ', '.join(
        '%s %s' % (name, 'BIGINT' if name in _INT_COLUMNS else 'TEXT') + (' NOT NULL' if name in ('id', 'ts', 'ts_ms') else '')
        for name in _EVENT_COLUMNS),
    'CREATE INDEX IF NOT EXISTS events_resource ON events (resource_type, resource_id, ts_ms, seq)',
)
# group_by -> SQL expression over an interval; NULL becomes '(none)' in the report.
GROUPS = {
    'project': 'COALESCE(project_name, project_id)',
    'ns': 'ns_instance_id',
    'vnf': 'COALESCE(vnf_name, vnf_instance_id)',
    'vdu': "COALESCE(vnf_name, vnf_instance_id) || '/' || vdu",
    'resource': "resource_type || ':' || resource_id",
    'job': "(SELECT COALESCE('AWX job ' || r.awx_job_id, 'run ' || r.run_id) FROM runs r WHERE r.run_id = ev.run_id)",
}
_GROUP_COLUMNS = {'project': ('project_name', 'project_id'), 'ns': ('ns_instance_id',), 'vnf': ('vnf_name', 'vnf_instance_id'),
                  'vdu': ('vnf_name', 'vnf_instance_id', 'vdu'), 'resource': (), 'job': ('run_id',)}
# Columns an aggregated usage row carries besides the ones a rate assignment asks for.
USAGE_KEYS = ('resource_type', 'vcpus', 'ram_mb', 'disk_gb', 'volume_gb', 'volume_type')


def ledger_options():
    """Argument spec of the modules that read the ledger (documented in doc_fragments/ledger.py)."""
    # imported here: the callback plugin imports this file too (through ledger_writer.py) and has no use for module arguments
    from ansible.module_utils.basic import env_fallback  # pylint: disable=import-outside-toplevel
    return dict(ledger_path=dict(type='path', default=DEFAULT_PATH, fallback=(env_fallback, ['TELCO_NFVO_USAGE_LEDGER'])),
                ledger_dsn=dict(type='str', no_log=True, fallback=(env_fallback, ['TELCO_NFVO_USAGE_DSN'])))


def redact_dsn(dsn):
    """The DSN with its password masked, for messages."""
    dsn = re.sub(r'(://[^:/@]*:)[^@]*@', r'\1***@', dsn)
    return re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r'\1***', dsn)


def one_line(exc):
    """All of an error's text on one line (a psycopg error spans several; base's first_line keeps only the first)."""
    return ' '.join(str(exc).split()) or type(exc).__name__


class Ledger:
    """One interface over both backends; use ``open_ledger()``."""

    placeholder = '?'
    least, greatest = 'MIN', 'MAX'
    seq_type = 'INTEGER'
    errors = (sqlite3.Error,)

    def __init__(self, name, conn):
        self.name, self.conn = name, conn

    @contextlib.contextmanager
    def _guard(self, verb):
        try:
            yield
        except self.errors as exc:
            raise LedgerError('Cannot %s ledger %s: %s' % (verb, self.name, one_line(exc)))

    def _sql(self, sql):
        return sql if self.placeholder == '?' else sql.replace('?', self.placeholder)

    def _upgrade(self, cur, version, made=False):
        """Bring a ledger at schema ``version`` (0: new) to SCHEMA_VERSION in the transaction of ``cur``: a new one
        gets the tables (``made``: the caller created them already), an older one the MIGRATIONS after its version."""
        if not made:
            for ddl in _DDL:
                cur.execute(ddl.format(seq=self.seq_type))
        for step in range(version + 1, SCHEMA_VERSION + 1) if version else ():
            for sql in MIGRATIONS[step]:
                cur.execute(sql)

    def record(self, events, context=None):
        """Insert events (validated; raises ValueError) with their run context; returns how many were new."""
        context = scrub(dict(context or {}))
        run_id = context.get('run_id')
        task = (run_id,) + tuple(context.get(name) for name in TASK_FIELDS[:-1]) + (int(bool(context.get('check_mode'))),)
        rows = []
        for event in events:
            event = validate_event(scrub(event))
            tags = json.dumps(sorted(event['tags'])) if event.get('tags') else None
            rows.append((event['id'], utc_timestamp(event['timestamp']), epoch_ms(event['timestamp']))
                        + tuple(tags if name == 'tags' else event.get(name) for name in EVENT_FIELDS[2:]) + task)
        marks = ', '.join('?' * len(_EVENT_COLUMNS))
        with self._guard('write'), self._transaction() as cur:
            if run_id:
                cur.execute(self._sql('INSERT INTO runs (%s) VALUES (%s) ON CONFLICT (run_id) DO NOTHING'
                                      % (', '.join(RUN_FIELDS), ', '.join('?' * len(RUN_FIELDS)))),
                            tuple(None if context.get(name) is None else str(context[name]) for name in RUN_FIELDS))
            if not rows:
                return 0
            cur.executemany(self._sql('INSERT INTO events (%s) VALUES (%s) ON CONFLICT (id) DO NOTHING' % (', '.join(_EVENT_COLUMNS), marks)), rows)
            return max(cur.rowcount, 0)

    def count(self):
        with self._guard('read'):
            return self.conn.execute('SELECT COUNT(*) FROM events').fetchone()[0]

    def open_resources(self, resource_types, region=None, project_id=None):
        """{(resource_type, resource_id): state} of the resources whose interval is open (read only; for usage snapshots).

        Only resources of resource_types, whose events name this region (or none) and, when given, this project_id.
        state: 'action' (the last event other than observed, or 'observed' when only a sighting reopened it), 'project_id',
        'timestamp' of the last event, and the sizes the open interval was priced with. Check-mode events are ignored.
        """
        sql = ("SELECT resource_type, resource_id, action, ts, project_id, vcpus, ram_mb, disk_gb, volume_gb, volume_type FROM"
               " (SELECT ev.*, ROW_NUMBER() OVER (PARTITION BY resource_type, resource_id, CASE WHEN action = 'observed' THEN 1 ELSE 0 END"
               " ORDER BY ts_ms DESC, seq DESC) AS rn FROM events ev WHERE check_mode = 0 AND resource_type IN (%s)"
               " AND COALESCE(region, ?) = ?%s) latest WHERE rn = 1 ORDER BY ts_ms DESC, seq DESC"
               % (', '.join('?' * len(resource_types)), ' AND project_id = ?' if project_id else ''))
        params = list(resource_types) + [region or '', region or ''] + ([project_id] if project_id else [])
        with self._guard('read'):
            rows = self.conn.execute(self._sql(sql), params).fetchall()
        names = ('action', 'timestamp', 'project_id', 'vcpus', 'ram_mb', 'disk_gb', 'volume_gb', 'volume_type')
        newest, other = {}, {}  # per resource, newest first: its last event, then its last event of the other kind (observed or not)
        for row in rows:
            key = (row[0], row[1])
            (other if key in newest else newest)[key] = dict(zip(names, row[2:]))
        found = {}
        for key, last in newest.items():
            # the last event other than observed decides, unless it is a delete/close and a sighting came after it
            state = last if last['action'] != 'observed' or other.get(key, {}).get('action') in (None, 'deleted', 'closed') else other[key]
            if state['action'] not in ('deleted', 'closed'):
                found[key] = dict(state, timestamp=last['timestamp'])
        return found

    def usage(self, segments, start, open_until, group_by, attrs=(), vnf_spans=False):
        """Aggregated billable time, one dict per (group, period, priced attributes), with 'hours' (Decimal).

        segments: [(period label, hours in that calendar month, t0_ms, t1_ms)], contiguous, each inside one month;
        start: epoch ms of the first segment. open_until: epoch ms at which still-open intervals end.
        attrs: extra event columns to keep (for rate assignment). vnf_spans: add rows with resource_type
        'vnf_instance' for the time each VNF instance had at least one billable resource (the union of its
        resources' intervals, so hours are the same whatever the periods); they are grouped by VNF unless
        group_by is project or ns.
        """
        if group_by not in GROUPS:
            raise ReportError('group_by must be one of %s, not %r' % (', '.join(GROUPS), group_by))
        attrs = tuple(name for name in attrs if name not in USAGE_KEYS)
        cols = ', '.join(sorted(set(USAGE_KEYS + ('resource_id', 'vnf_instance_id') + _GROUP_COLUMNS[group_by] + _GROUP_COLUMNS['vnf'] + attrs)))
        window = 'PARTITION BY resource_type, resource_id ORDER BY ts_ms, seq'
        positions = ', '.join(str(i) for i in range(1, 11 + len(attrs)))

        def clipped(alias):
            return 'SUM(%s(%s.t1, seg.t1) - %s(%s.t0, seg.t0))' % (self.least, alias, self.greatest, alias)

        ctes = ['seg (period, month_hours, t0, t1) AS (VALUES %s)'
                % ', '.join(['(CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT))'] * len(segments)),
                # one pass: an observed event counts only when nothing is open (first sighting, after a delete/close);
                # a counted event lasts until the resource's next event that is not an observed one
                "ev AS (SELECT %s, action, ts_ms AS t0, LAG(action) %s AS prev, COALESCE(MIN(CASE WHEN action <> 'observed' THEN ts_ms END) %s"
                " ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), ?) AS t1 FROM events WHERE ts_ms < ? AND check_mode = 0 WINDOW w AS (%s))"
                % (cols, 'OVER w', 'OVER (w', window),
                "bill AS (SELECT %s AS grp, %s AS vgrp, CASE WHEN action = 'stopped' THEN 1 ELSE 0 END AS stopped, vnf_instance_id, %s, t0, t1"
                " FROM ev WHERE action NOT IN ('deleted', 'closed')"
                " AND (action <> 'observed' OR prev IS NULL OR prev IN ('deleted', 'closed')) AND t1 > t0 AND t1 > ?)"
                % (GROUPS[group_by], GROUPS[group_by] if group_by in ('project', 'ns', 'vnf') else GROUPS['vnf'], ', '.join(USAGE_KEYS + attrs))]
        params = [value for segment in segments for value in segment] + [open_until, open_until, start]
        sql = (" SELECT iv.grp, seg.period, seg.month_hours, %s, iv.stopped%s, %s FROM bill iv JOIN seg ON iv.t0 < seg.t1 AND iv.t1 > seg.t0 GROUP BY %s"
               % (', '.join('iv.' + name for name in USAGE_KEYS), ''.join(', iv.%s' % name for name in attrs), clipped('iv'), positions))
        if vnf_spans:  # islands of overlapping intervals per VNF instance
            ctes += ['vi AS (SELECT vnf_instance_id, t0, t1, vgrp%s, MAX(t1) OVER (PARTITION BY vnf_instance_id ORDER BY t0, t1'
                     ' ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach FROM bill WHERE vnf_instance_id IS NOT NULL)'
                     % ''.join(', ' + name for name in attrs),
                     'isl AS (SELECT vi.*, SUM(CASE WHEN reach >= t0 THEN 0 ELSE 1 END) OVER (PARTITION BY vnf_instance_id ORDER BY t0, t1'
                     ' ROWS UNBOUNDED PRECEDING) AS island FROM vi)',
                     'span AS (SELECT MIN(vgrp) AS grp, MIN(t0) AS t0, MAX(t1) AS t1%s FROM isl GROUP BY vnf_instance_id, island)'
                     % ''.join(', MIN(%s) AS %s' % (name, name) for name in attrs)]
            sql += (" UNION ALL SELECT sp.grp, seg.period, seg.month_hours, 'vnf_instance', NULL, NULL, NULL, NULL, NULL, 0%s, %s"
                    " FROM span sp JOIN seg ON sp.t0 < seg.t1 AND sp.t1 > seg.t0 GROUP BY %s"
                    % (''.join(', sp.%s' % name for name in attrs), clipped('sp'), ', '.join(str(i) for i in (1, 2, 3) + tuple(range(11, 11 + len(attrs))))))
        names = ('group', 'period', 'month_hours') + USAGE_KEYS + ('stopped',) + attrs
        with self._guard('read'):
            rows = self.conn.execute(self._sql('WITH ' + ', '.join(ctes) + sql), params).fetchall()
        return [dict(zip(names, row[:-1]), hours=decimal.Decimal(row[-1]) / 3600000) for row in rows]

    def close(self):
        with contextlib.suppress(Exception):
            self.conn.close()


class SQLiteLedger(Ledger):

    def __init__(self, path):
        path = os.path.abspath(os.path.expanduser(path))
        super(SQLiteLedger, self).__init__(path, None)
        with self._guard('open'):
            try:
                os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            except OSError as exc:
                raise sqlite3.OperationalError(exc.strerror)
            self.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.conn.execute('PRAGMA journal_mode = WAL')
            self.conn.execute('PRAGMA synchronous = NORMAL')
            version = self.conn.execute('PRAGMA user_version').fetchone()[0]
            if version < SCHEMA_VERSION:
                with self._transaction() as cur:
                    version = cur.execute('PRAGMA user_version').fetchone()[0]  # another open may have done it meanwhile
                    if version < SCHEMA_VERSION:
                        self._upgrade(cur, version)
                        cur.execute('PRAGMA user_version = %d' % SCHEMA_VERSION)
        if version > SCHEMA_VERSION:
            self.close()
            raise LedgerError('Cannot open ledger %s: schema version %d is newer than this collection knows (%d)' % (path, version, SCHEMA_VERSION))

    @contextlib.contextmanager
    def _transaction(self):
        cur = self.conn.cursor()
        cur.execute('BEGIN IMMEDIATE')
        try:
            yield cur
        except BaseException:
            self.conn.rollback()
            raise
        cur.execute('COMMIT')


class PostgresLedger(Ledger):

    placeholder = '%s'
    least, greatest = 'LEAST', 'GREATEST'
    seq_type = 'BIGSERIAL'

    def __init__(self, dsn, connect_timeout=5):
        super(PostgresLedger, self).__init__(redact_dsn(dsn), None)
        if not HAS_PSYCOPG:
            raise LedgerError('Cannot open ledger %s: the PostgreSQL ledger needs the python library psycopg (3.x)' % self.name)
        self.errors = (psycopg.Error,)
        with self._guard('open'):
            kwargs = {} if 'connect_timeout' in dsn else {'connect_timeout': connect_timeout}
            self.conn = psycopg.connect(dsn, autocommit=True, **kwargs)
            self.conn.execute("SET work_mem = '256MB'")  # report sorts and aggregates in memory, not in temporary files
            with self._transaction() as cur:
                cur.execute('SELECT pg_advisory_xact_lock(7077001)')  # serialise concurrent first opens
                for ddl in _DDL + ('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)',):
                    cur.execute(ddl.format(seq=self.seq_type))
                version = cur.execute('SELECT MAX(version) FROM schema_version').fetchone()[0]
                if (version or 0) < SCHEMA_VERSION:
                    self._upgrade(cur, version or 0, made=True)
                    cur.execute('INSERT INTO schema_version (version) VALUES (%s)', (SCHEMA_VERSION,))
        if (version or 0) > SCHEMA_VERSION:
            self.close()
            raise LedgerError('Cannot open ledger %s: schema version %d is newer than this collection knows (%d)' % (self.name, version, SCHEMA_VERSION))

    @contextlib.contextmanager
    def _transaction(self):
        with self.conn.transaction(), self.conn.cursor() as cur:
            yield cur


def open_ledger(path=None, dsn=None, spool=None):
    """Open the PostgreSQL ledger when dsn is given, else the SQLite file (default DEFAULT_PATH); flush spool into it."""
    ledger = PostgresLedger(dsn) if dsn else SQLiteLedger(path or DEFAULT_PATH)
    if spool:
        try:
            Spool(spool).flush(ledger)
        except BaseException:
            ledger.close()
            raise
    return ledger
