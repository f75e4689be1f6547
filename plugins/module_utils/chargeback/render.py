# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Chargeback report rendering: json, csv, markdown and html (one self-contained file: inline CSS and SVG, no JS)."""

from __future__ import annotations

import csv
import decimal
import html
import io
import json
import math

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import ReportError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.rating import QUANTITIES

FORMATS = ('json', 'csv', 'markdown', 'html')
CENT, MILLI = decimal.Decimal('0.01'), decimal.Decimal('0.001')
PALETTE = ('#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#9c755f', '#bab0ac')
HEADINGS = {'group': 'Group', 'period': 'Period', 'currency': 'Currency', 'server_hours': 'Server h', 'vcpu_hours': 'vCPU h',
            'ram_gb_hours': 'RAM GB h', 'disk_gb_hours': 'Disk GB h', 'volume_gb_hours': 'Volume GB h', 'total': 'Total',
            'vcpu_cost': 'vCPU cost', 'vnf_instance_cost': 'VNF instance cost', 'floating_ip_cost': 'Floating IP cost'}


def _money(name):
    return name == 'total' or name.endswith('_cost')


def to_data(report):
    """The report as JSON-able data: money rounded half-up to the cent, quantities to 1/1000, totals per currency."""
    columns = ['group', 'period', 'currency'] + list(QUANTITIES) + ['%s_cost' % field for field in report['fields']] + ['total']
    totals = {}
    for row in report['rows']:
        if row['currency']:
            totals[row['currency']] = totals.get(row['currency'], decimal.Decimal(0)) + row['total']
    rows = [dict((name, float(row[name].quantize(CENT if _money(name) else MILLI, decimal.ROUND_HALF_UP))
                  if isinstance(row[name], decimal.Decimal) else row[name]) for name in columns) for row in report['rows']]
    return dict(report, columns=columns, rows=rows, groups=len(set(row['group'] for row in rows)),
                totals=dict((currency, float(total.quantize(CENT, decimal.ROUND_HALF_UP))) for currency, total in sorted(totals.items())))


def render(data, fmt):
    """The report data (to_data) as text in fmt."""
    if fmt not in FORMATS:
        raise ReportError('format must be one of %s, not %r' % (', '.join(FORMATS), fmt))
    return {'json': _json, 'csv': _csv, 'markdown': _markdown, 'html': _html}[fmt](data)


def _json(data):
    return json.dumps(data, indent=2, sort_keys=True) + '\n'


def _csv(data):
    out = io.StringIO()
    writer = csv.DictWriter(out, data['columns'], lineterminator='\n')
    writer.writeheader()
    writer.writerows(data['rows'])
    return out.getvalue()


def _heading(name):
    return HEADINGS.get(name) or name[:-len('_cost')].replace('_', ' ').capitalize() + ' cost'


def _cell(name, value):
    return '%.2f' % value if _money(name) else ('%.3f' % value).rstrip('0').rstrip('.') if isinstance(value, float) else str(value)


def _title(data):
    return 'Chargeback by %s, %s to %s (%s)' % (data['group_by'], data['start'][:10], data['end'][:10], data['interval'])


def _totals_text(data):
    return ', '.join('%.2f %s' % (total, currency) for currency, total in data['totals'].items()) or 'nothing charged'


def _markdown(data):
    lines = ['# %s' % _title(data), '', 'Ledger: `%s`. Total: **%s**.' % (data['ledger'], _totals_text(data)), '',
             '| %s |' % ' | '.join(_heading(name) for name in data['columns']),
             '|%s|' % '|'.join('---' if name in ('group', 'period', 'currency') else '---:' for name in data['columns'])]
    lines += ['| %s |' % ' | '.join(_cell(name, row[name]).replace('|', '\\|') for name in data['columns']) for row in data['rows']]
    return '\n'.join(lines) + '\n'


def _nice_step(top):
    """A round axis step giving about 5 ticks up to top."""
    magnitude = 10 ** math.floor(math.log10(top / 5.0))
    return next(magnitude * factor for factor in (1, 2, 2.5, 5, 10) if magnitude * factor >= top / 5.0)


def chart_svg(data, width=1080, height=380, max_groups=8):
    """A stacked bar chart (inline SVG) of cost per group per period, in the currency with the largest total."""
    if not data['totals']:
        return '<p class="note">No charges in this period.</p>'
    currency = max(data['totals'], key=lambda c: data['totals'][c])
    rows = [row for row in data['rows'] if row['currency'] == currency]
    by_group = {}
    for row in rows:
        by_group[row['group']] = by_group.get(row['group'], 0.0) + row['total']
    ranked = sorted(by_group, key=lambda g: (-by_group[g], g))
    shown = ranked[:max_groups] + (['other'] if len(ranked) > max_groups else [])
    periods = sorted(set(row['period'] for row in rows))
    stacks = dict((period, dict((group, 0.0) for group in shown)) for period in periods)
    for row in rows:
        stacks[row['period']][row['group'] if row['group'] in shown else 'other'] += row['total']
    top = max(sum(stack.values()) for stack in stacks.values()) or 1.0
    step = _nice_step(top)
    ticks = int(top / step) + (top % step > 1e-9)
    left, right, upper, lower = 80, 200, 20, 50
    plot_w, plot_h = width - left - right, height - upper - lower
    scale = plot_h / (ticks * step)
    slot = plot_w / len(periods)
    bar_w = max(slot * 0.7, 1)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">'
             % (width, height, width, height, html.escape('Cost per %s over time (%s)' % (data['group_by'], currency)))]
    for index in range(ticks + 1):
        y = upper + plot_h - index * step * scale
        parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" class="grid"/><text x="%d" y="%.1f" class="axis" text-anchor="end">%s</text>'
                     % (left, left + plot_w, y, y, left - 8, y + 4, ('%.2f' % (index * step)).rstrip('0').rstrip('.')))
    label_every = max(1, int(len(periods) / 12.0 + 0.999))
    for number, period in enumerate(periods):
        x, base = left + number * slot + (slot - bar_w) / 2, upper + plot_h
        for colour, group in zip(PALETTE, shown):
            size = stacks[period][group] * scale
            if size > 0:
                base -= size
                parts.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %.2f %s</title></rect>'
                             % (x, base, bar_w, size, colour, html.escape(group), period, stacks[period][group], currency))
        if number % label_every == 0:
            parts.append('<text x="%.1f" y="%d" class="axis" text-anchor="middle">%s</text>' % (x + bar_w / 2, upper + plot_h + 20, period))
    parts.append('<text x="%d" y="%d" class="axis" transform="rotate(-90 %d %d)" text-anchor="middle">%s</text>'
                 % (18, upper + plot_h // 2, 18, upper + plot_h // 2, currency))
    for number, (colour, group) in enumerate(zip(PALETTE, shown)):
        y = upper + 10 + number * 22
        parts.append('<rect x="%d" y="%d" width="14" height="14" fill="%s"/><text x="%d" y="%d" class="legend">%s</text>'
                     % (width - right + 20, y, colour, width - right + 40, y + 12, html.escape(group if len(group) <= 22 else group[:21] + '…')))
    parts.append('</svg>')
    return ''.join(parts)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px 32px;color:#1f2933;background:#fff}
h1{font-size:22px;margin:0 0 4px}.sub{color:#52606d;margin:0 0 16px;font-size:13px}
.cards{display:flex;gap:12px;margin:0 0 18px}.card{border:1px solid #d9e2ec;border-radius:6px;padding:10px 16px;min-width:140px}
.card b{display:block;font-size:20px}.card span{font-size:12px;color:#52606d;text-transform:uppercase;letter-spacing:.04em}
svg{display:block;margin:0 0 18px}.grid{stroke:#e4e7eb}.axis{font-size:11px;fill:#52606d}.legend{font-size:12px;fill:#1f2933}
table{border-collapse:collapse;font-size:12px;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #e4e7eb;white-space:nowrap}
th{background:#f5f7fa;text-align:left;position:sticky;top:0}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr:hover td{background:#f0f4f8}.note{color:#52606d}
"""


def _html(data):
    cards = [('Total', _totals_text(data)), ('Groups', str(data['groups'])), ('Period', '%s – %s' % (data['start'][:10], data['end'][:10])),
             ('Interval', data['interval'])]
    classes = [(name, '' if name in ('group', 'period', 'currency') else 'num') for name in data['columns']]
    head = ''.join('<th class="%s">%s</th>' % (css, html.escape(_heading(name))) for name, css in classes)
    body = ''.join('<tr>%s</tr>' % ''.join('<td class="%s">%s</td>' % (css, html.escape(_cell(name, row[name]))) for name, css in classes)
                   for row in data['rows'])
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s</title><style>%s</style></head><body>'
            '<h1>%s</h1><p class="sub">Ledger %s · rated by telco.nfvo</p><div class="cards">%s</div>%s'
            '<table><thead><tr>%s</tr></thead><tbody>%s</tbody></table></body></html>\n'
            % (html.escape(_title(data)), _CSS, html.escape(_title(data)), html.escape(data['ledger']),
               ''.join('<div class="card"><span>%s</span><b>%s</b></div>' % (k, html.escape(v)) for k, v in cards), chart_svg(data), head, body))
