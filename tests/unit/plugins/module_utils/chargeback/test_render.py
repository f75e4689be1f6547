# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rendering: the four formats agree, and the HTML report rendered by headless Chromium."""

import csv
import datetime
import io
import json
import os
import shutil

import pytest

from headless import CHROMIUM, NO_CHROMIUM, png_pixels_look_like_a_page, screenshot
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import make_event
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.report import build_report

RATES = """
currency: EUR
rates:
  - name: standard
    details:
      - {field: vcpu, per_time: hourly, variable: 0.01}
      - {field: memory, per_time: hourly, per_unit: gigabytes, variable: 0.005}
      - {field: storage, per_time: monthly, variable: 0.1}
      - {field: vnf_instance, per_time: daily, fixed: 1}
"""

NOW = datetime.datetime(2026, 4, 15, tzinfo=datetime.timezone.utc)


@pytest.fixture
def ledger(tmp_path):
    """Six VNFs of three projects scaling in and out over the first half of March 2026."""
    path = str(tmp_path / 'ledger.db')
    events = []
    for vnf in range(6):
        owner = dict(project_name='tenant-%s' % 'abc'[vnf % 3], vnf_instance_id='vnf-%d' % vnf, vnf_name='vnf-%d' % vnf,
                     ns_instance_id='ns-%d' % (vnf // 2), vnfd_id='vnfd-%d' % (vnf % 2), vdu='VDU1')
        for number in range(vnf + 1):
            rid = 'srv-%d-%d' % (vnf, number)
            created = datetime.datetime(2026, 3, 1 + number * 2, 6 * (vnf % 3), tzinfo=datetime.timezone.utc)
            events.append(make_event('server', rid, 'created', created, vcpus=2 * (1 + vnf % 2), ram_mb=4096, disk_gb=20, **owner))
            events.append(make_event('server', rid, 'deleted', created + datetime.timedelta(days=3 + vnf), **owner))
        events.append(make_event('volume', 'vol-%d' % vnf, 'created', '2026-03-02T00:00:00Z', volume_gb=100, volume_type='ssd', **owner))
    store = open_ledger(path)
    store.record(events, {'run_id': 'r-1', 'awx_job_id': '7'})
    store.close()
    (tmp_path / 'rates.yml').write_text(RATES)
    return path


def test_formats_agree(ledger, tmp_path):
    rates = str(tmp_path / 'rates.yml')
    results = {}
    for fmt in ('json', 'csv', 'markdown', 'html'):
        dest = str(tmp_path / ('report.' + fmt))
        results[fmt] = build_report(ledger, rates, month='2026-03', interval='weekly', group_by='vnf', fmt=fmt, dest=dest, now=NOW)
        assert results[fmt]['dest'] == dest and os.path.getsize(dest) > 0
    summary = results['json']
    assert all(result['rows'] == summary['rows'] for result in results.values())
    assert json.load(open(str(tmp_path / 'report.json')))['totals'] == summary['totals']
    table = list(csv.DictReader(io.StringIO(open(str(tmp_path / 'report.csv')).read())))
    assert len(table) == len(summary['rows']) and list(table[0]) == summary['columns']
    assert round(sum(float(row['total']) for row in table), 2) == pytest.approx(summary['totals']['EUR'], abs=0.01 * len(table))
    markdown = open(str(tmp_path / 'report.markdown')).read()
    assert markdown.startswith('# Chargeback by vnf, 2026-03-01 to 2026-04-01 (weekly)') and '| vnf-5 | 2026-W10 | EUR |' in markdown
    for group_by in ('project', 'ns', 'vdu', 'resource', 'job'):  # every grouping charges the same total
        assert build_report(ledger, rates, month='2026-03', group_by=group_by, now=NOW)['totals'] == summary['totals']


@pytest.mark.skipif(not CHROMIUM, reason=NO_CHROMIUM)
def test_html_is_self_contained_and_renders_in_chromium(ledger, tmp_path):
    dest = str(tmp_path / 'report.html')
    build_report(ledger, str(tmp_path / 'rates.yml'), start='2026-03-01', end='2026-03-16', interval='daily', group_by='vnf', fmt='html',
                 dest=dest, now=NOW)
    page = open(dest).read()
    assert '<script' not in page and '<link' not in page and 'https://' not in page and '<svg' in page and '<table>' in page
    assert page.count('<rect') > 60  # bars of 6 groups over 15 days, and the legend
    png = str(tmp_path / 'report.png')
    screenshot(dest, png, tmp_path / 'profile')
    width, height, distinct = png_pixels_look_like_a_page(png)
    assert (width, height) == (1200, 900) and distinct > 50
    if os.environ.get('NFVO_KEEP_SCREENSHOT'):
        shutil.copy(png, os.environ['NFVO_KEEP_SCREENSHOT'])
