# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chargeback report: ledger usage (aggregated in SQL) -> rating -> a rendered file. Called by chargeback_report."""

from __future__ import annotations

import datetime
import os
import tempfile

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LedgerError, ReportError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import DEFAULT_PATH, open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.rating import load_rates
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.render import render, to_data
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import epoch_ms, parse_timestamp

INTERVALS = ('daily', 'weekly', 'monthly')
UTC = datetime.timezone.utc


def _month_start(moment):
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(moment):
    return _month_start(_month_start(moment) + datetime.timedelta(days=32))


def _utc(value):
    if isinstance(value, datetime.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return parse_timestamp(value)


def report_window(start=None, end=None, month=None):
    """(start, end) as aware UTC datetimes, from ISO text or datetimes, or from month 'YYYY-MM' (that whole month)."""
    if month:
        try:
            start = parse_timestamp('%s-01' % month)
        except ValueError:
            raise ReportError('The report month %r is not YYYY-MM' % (month,))
        return start, _next_month(start)
    if start is None or end is None:
        raise ReportError('Give either month or both start and end')
    try:
        start, end = _utc(start), _utc(end)
    except ValueError as exc:
        raise ReportError('The report period %r to %r is not ISO 8601: %s' % (start, end, exc))
    if end <= start:
        raise ReportError('The report end %s is not after its start %s' % (end.isoformat(), start.isoformat()))
    return start, end


def periods(start, end, interval):
    """Segments [(period label, hours of the calendar month, t0_ms, t1_ms)] covering [start, end).

    Periods are UTC days ('2026-03-01'), ISO weeks (Monday to Sunday, '2026-W09') or calendar months ('2026-03');
    a week is also cut at a month boundary so that monthly rates divide by the hours of the right month.
    """
    if interval not in INTERVALS:
        raise ReportError('interval must be one of %s, not %r' % (', '.join(INTERVALS), interval))
    segments, cursor = [], start
    while cursor < end:
        day = cursor.replace(hour=0, minute=0, second=0, microsecond=0)
        if interval == 'daily':
            label, following = day.strftime('%Y-%m-%d'), day + datetime.timedelta(days=1)
        elif interval == 'weekly':
            monday = day - datetime.timedelta(days=day.weekday())
            label, following = '%d-W%02d' % monday.isocalendar()[:2], monday + datetime.timedelta(days=7)
        else:
            label, following = cursor.strftime('%Y-%m'), _next_month(cursor)
        month_end = _next_month(cursor)
        stop = min(following, month_end, end)
        segments.append((label, int((month_end - _month_start(cursor)).total_seconds()) // 3600, epoch_ms(cursor), epoch_ms(stop)))
        cursor = stop
    return segments


def build_report(ledger_spec, rates_path, start=None, end=None, interval='monthly', group_by='project', fmt='json', dest=None,
                 month=None, now=None, check_mode=False):
    """Rate the ledger's usage over [start, end) (or month 'YYYY-MM') and write it as fmt to dest (when given).

    ledger_spec: a SQLite path, a PostgreSQL DSN ('postgresql://...' or 'host=... dbname=...'), or a dict with
    path/dsn/spool (open_ledger's arguments). Intervals still open are charged up to ``now`` at most.
    Returns the report as JSON-able data (rows, totals per currency) plus 'dest', 'format', 'group_totals' ({group: {currency:
    total}}) and 'changed' (dest was written because its content differed; check_mode: would have been, nothing is written).
    Raises RateError, ReportError (bad period, interval, format, dest not writable) or LedgerError (also for a SQLite file that does not exist)
    with a one-line message.
    """
    start, end = report_window(start, end, month)
    segments = periods(start, end, interval)
    rates = load_rates(rates_path)
    if not isinstance(ledger_spec, dict):
        spec = str(ledger_spec)
        ledger_spec = {'dsn': spec} if spec.startswith(('postgres://', 'postgresql://')) or '=' in spec else {'path': spec}
    if not ledger_spec.get('dsn') and not os.path.isfile(os.path.expanduser(ledger_spec.get('path') or DEFAULT_PATH)):
        raise LedgerError('Cannot read ledger %s: no such file' % os.path.abspath(os.path.expanduser(ledger_spec.get('path') or DEFAULT_PATH)))
    ledger = open_ledger(**ledger_spec)
    try:
        usage = ledger.usage(segments, epoch_ms(start), min(epoch_ms(end), epoch_ms(_utc(now) if now else datetime.datetime.now(UTC))), group_by,
                             rates.attrs, 'vnf_instance' in rates.fields)
        name = ledger.name
    finally:
        ledger.close()
    report = {'ledger': name, 'start': start.isoformat(), 'end': end.isoformat(), 'interval': interval, 'group_by': group_by,
              'fields': rates.fields, 'rows': rates.rate(usage)}
    data = to_data(report)
    text = render(data, fmt)
    changed = False
    if dest:
        dest = os.path.abspath(os.path.expanduser(dest))
        changed = write_if_changed(dest, text, check_mode)
    group_totals = {}
    for row in data['rows']:
        if row['currency']:
            per_currency = group_totals.setdefault(row['group'], {})
            per_currency[row['currency']] = round(per_currency.get(row['currency'], 0.0) + row['total'], 2)
    return dict(data, dest=dest, format=fmt, changed=changed, group_totals=group_totals)


def write_if_changed(dest, text, check_mode=False):
    """Write text to dest atomically (mode 0644) unless it already holds it; True when it changed (or would, in check mode)."""
    try:
        with open(dest, encoding='utf-8') as handle:
            if handle.read() == text:
                return False
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError('Cannot write the report %s: %s' % (dest, getattr(exc, 'strerror', None) or exc))
    if check_mode:
        if not os.access(os.path.dirname(dest), os.W_OK):
            raise ReportError('Cannot write the report %s: its directory is missing or not writable' % dest)
        return True
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(dest), prefix='.chargeback-')
        with os.fdopen(fd, 'w', encoding='utf-8') as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise ReportError('Cannot write the report %s: %s' % (dest, exc.strerror or exc))
    return True
