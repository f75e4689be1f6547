# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""chargeback_report's result: the report is the one value `report`; its keys stay at the top level for one release,
with a deprecation of telco.nfvo naming the release that removes them. A real (empty) SQLite ledger, no cloud."""
import json

from ansible_collections.telco.nfvo.plugins.module_utils.chargeback import runners
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger


class _Module:
    check_mode = False

    def __init__(self, params):
        self.params = params
        self.deprecations = []

    def deprecate(self, text, version):
        self.deprecations.append((text, version))


def test_report_is_one_key_and_the_old_top_level_keys_are_deprecated(tmp_path):
    open_ledger(str(tmp_path / 'ledger.db')).close()
    (tmp_path / 'rates.yml').write_text('rates: [{name: all, details: [{field: vcpu, variable: 1}]}]\n')
    module = _Module(dict(ledger_path=str(tmp_path / 'ledger.db'), ledger_dsn=None, rates=str(tmp_path / 'rates.yml'),
                          month='2026-03', start=None, end=None, interval='monthly', group_by='project', format='json',
                          dest=str(tmp_path / 'report.json')))
    result = runners.chargeback_report(module)
    report = result['report']
    assert result['changed'] is True and 'changed' not in report
    assert {'totals', 'group_totals', 'rows', 'columns', 'fields', 'groups', 'start', 'end', 'interval', 'group_by',
            'ledger', 'dest', 'format'} <= set(report)
    assert report['start'] == '2026-03-01T00:00:00+00:00' and report['dest'] == str(tmp_path / 'report.json')
    assert json.load(open(str(tmp_path / 'report.json')))['totals'] == report['totals']
    assert {key: result[key] for key in report} == report  # kept at the top level for one release
    [(text, version)] = module.deprecations
    assert version == runners.REPORT_KEYS_REMOVED_IN == '0.2.0'
    assert 'as the one value `report`' in text and 'totals' in text and 'group_totals' in text
