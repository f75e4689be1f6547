# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report: its window and periods, and the one-line errors of a report that cannot be written."""

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.report import build_report, periods, report_window


def test_periods_are_days_iso_weeks_or_months_cut_at_month_ends():
    start, end = report_window('2026-02-25T12:00:00Z', '2026-03-03')
    assert [(label, hours) for label, hours, _t0, _t1 in periods(start, end, 'weekly')] == [('2026-W09', 672), ('2026-W09', 744), ('2026-W10', 744)]
    assert [label for label, _h, _t0, _t1 in periods(start, end, 'daily')][:2] == ['2026-02-25', '2026-02-26']
    assert periods(*report_window(month='2026-02'), interval='monthly') == [('2026-02', 672, 1769904000000, 1772323200000)]
    with pytest.raises(ValueError, match='is not after its start'):
        report_window('2026-03-02', '2026-03-01')


@pytest.mark.parametrize('stray', ['dest-is-a-directory', 'missing-directory'])
def test_report_dest_errors_are_one_line(tmp_path, stray):
    ledger = open_ledger(str(tmp_path / 'ledger.db'))
    ledger.close()
    (tmp_path / 'rates.yml').write_text('rates: [{name: all, details: [{field: vcpu, variable: 1}]}]\n')
    dest = str(tmp_path) if stray == 'dest-is-a-directory' else str(tmp_path / 'no' / 'report.json')
    with pytest.raises(ValueError, match=r'^Cannot write the report %s: [^\n]+$' % dest):
        build_report(str(tmp_path / 'ledger.db'), str(tmp_path / 'rates.yml'), month='2026-03', dest=dest)
