# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rating: ManageIQ-style rate details, and the worked example of docs/chargeback.md reproduced to the cent."""

import datetime
import decimal
import os
import re

import pytest
import yaml

from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.report import build_report, periods, report_window
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import RateError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.rating import Detail, Rates, load_rates
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import epoch_ms, make_event

D = decimal.Decimal
DOC = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', 'docs', 'chargeback.md')
CENT = D('0.01')


def doc_block(name):
    """The fenced block that follows '<!-- name -->' in docs/chargeback.md: the test uses what the docs show."""
    with open(DOC, encoding='utf-8') as handle:
        return re.search(r'<!-- %s -->\s*```\w*\n(.*?)```' % name, handle.read(), re.S).group(1)


def example_events():
    """The events table of the worked example, as the lifecycle modules would emit them."""
    events = []
    for line in doc_block('example-events').strip().splitlines()[2:]:
        when, resource_type, resource_id, action, sizes, owner = [cell.strip() for cell in line.strip('|').split('|')]
        fields = dict((key, int(value) if value.isdigit() else value) for key, value in (item.split('=') for item in sizes.split()))
        vnf, project, vnfd = owner.split('/')
        events.append(make_event(resource_type, resource_id, action, when, project_name=project, vnf_instance_id=vnf, vnf_name=vnf,
                                 vnfd_id=vnfd, **fields))
    return events


def test_worked_example_to_the_cent(ledger_spec, tmp_path):  # noqa: F811
    rates_path = tmp_path / 'rates.yml'
    rates_path.write_text(doc_block('example-rates'))
    ledger = open_ledger(**ledger_spec)
    try:
        ledger.record(example_events(), {'run_id': 'example'})
    finally:
        ledger.close()
    expected = yaml.safe_load(doc_block('example-costs'))
    rates = load_rates(str(rates_path))
    start, end = report_window(month='2026-03')
    ledger = open_ledger(**ledger_spec)
    try:
        usage = ledger.usage(periods(start, end, 'monthly'), epoch_ms(start), epoch_ms(end), 'vnf', rates.attrs, vnf_spans=True)
    finally:
        ledger.close()
    rows = dict((row['group'], row) for row in rates.rate(usage) if row['currency'])
    assert [r['volume_gb_hours'] for r in rates.rate(usage) if not r['currency']] == [3600]  # vol-2: hdd, no rate
    for vnf, costs in expected.items():
        for name, value in costs.items():
            assert rows[vnf][name].quantize(CENT, decimal.ROUND_HALF_UP) == D(str(value)).quantize(CENT), (vnf, name)
    summary = build_report(ledger_spec, str(rates_path), month='2026-03', interval='daily', group_by='project', fmt='json',
                           now=datetime.datetime(2026, 4, 15, tzinfo=datetime.timezone.utc))
    assert summary['totals'] == {'EUR': float(sum(D(str(c['total'])) for c in expected.values()))}


def detail(**data):
    return Detail(dict({'field': 'vcpu'}, **data), 'Rate t')


def test_pick_one_tier_as_manageiq_and_graduated():
    tiers = [{'start': 0, 'finish': 4, 'fixed': 0, 'variable': '0.02'}, {'start': 4, 'finish': None, 'fixed': '0.01', 'variable': '0.015'}]
    row = {'resource_type': 'server', 'vcpus': 8}
    assert detail(tiers=tiers).hourly_cost(row, 744) == D('0.01') + 8 * D('0.015')
    assert detail(tiers=tiers).hourly_cost(dict(row, vcpus=3), 744) == 3 * D('0.02')
    assert detail(tiers=tiers).hourly_cost(dict(row, vcpus=4), 744) == D('0.01') + 4 * D('0.015')  # [start, finish)
    assert detail(tiers=tiers, tier_method='graduated').hourly_cost(row, 744) == 4 * D('0.02') + D('0.01') + 4 * D('0.015')
    with pytest.raises(RateError, match='tiers must be contiguous'):
        detail(tiers=[{'start': 0, 'finish': 2}, {'start': 3, 'finish': None}])


@pytest.mark.parametrize('per_time, month_hours', [('hourly', 744), ('daily', 744), ('weekly', 744), ('monthly', 672), ('monthly', 744), ('yearly', 744)])
def test_per_time_is_converted_to_hourly(per_time, month_hours):
    amount = {'hourly': 1, 'daily': 24, 'weekly': 168, 'monthly': month_hours, 'yearly': 8760}[per_time]
    assert detail(per_time=per_time, fixed=amount).hourly_cost({'resource_type': 'server', 'vcpus': 0}, month_hours) == 1


def test_units_are_adjusted_by_1024():
    row = {'resource_type': 'server', 'ram_mb': 8192, 'disk_gb': 2048}
    assert Detail({'field': 'memory', 'per_unit': 'gigabytes', 'variable': 1}, 'r').hourly_cost(row, 744) == 8
    assert Detail({'field': 'memory', 'variable': 1}, 'r').hourly_cost(row, 744) == 8192
    assert Detail({'field': 'disk', 'per_unit': 'terabytes', 'variable': 1}, 'r').hourly_cost(row, 744) == 2
    with pytest.raises(RateError, match='^r, field vcpu: per_unit must be cpu$'):
        Detail({'field': 'vcpu', 'per_unit': 'gigabytes'}, 'r')


def usage(**row):
    return dict({'group': 'g', 'period': '2026-03', 'month_hours': 744, 'resource_type': 'server', 'vcpus': 2, 'ram_mb': 0, 'disk_gb': 0,
                 'volume_gb': None, 'volume_type': None, 'stopped': 0, 'hours': D(10)}, **row)


def test_assignment_first_match_cumulative_tags_and_currency():
    data = {'currency': 'EUR', 'rates': [
        {'name': 'gold', 'currency': 'USD', 'assign_to': {'tag': ['gold']}, 'details': [{'field': 'vcpu', 'variable': 1}]},
        {'name': 'tenant', 'assign_to': {'project': ['p-a'], 'vnfd': 'vnfd-1'}, 'details': [{'field': 'vcpu', 'variable': 2}]},
        {'name': 'default', 'details': [{'field': 'vcpu', 'variable': 3}, {'field': 'metering', 'fixed': 5}]}]}
    gold = usage(tags='["gold", "x"]', project_id='p-a', project_name='A', vnfd_id='vnfd-1')
    tenant, other = usage(tags=None, project_id='p-a', vnfd_id='vnfd-1'), usage(group='h', project_id='p-b', vnfd_id='vnfd-1', stopped=1)
    rows = Rates(data).rate([gold, tenant, other])
    assert [(r['group'], r['currency'], r['total']) for r in rows] == [('g', 'EUR', 40), ('g', 'USD', 20), ('h', 'EUR', 60)]  # metering: not while stopped
    rows = Rates(dict(data, assignment='cumulative')).rate([gold])
    assert [(r['currency'], r['vcpu_cost'], r['metering_cost'], r['vcpu_hours']) for r in rows] == [('EUR', 100, 50, 20), ('USD', 20, 0, 20)]
    assert Rates(data).attrs == ['project_id', 'project_name', 'tags', 'vnfd_id']


def test_unrated_usage_is_still_reported():
    rows = Rates({'rates': [{'details': [{'field': 'storage', 'volume_type': 'ssd', 'variable': 1}]}]}).rate(
        [usage(resource_type='volume', volume_gb=5, volume_type='hdd')])
    assert [(r['currency'], r['volume_gb_hours'], r['total']) for r in rows] == [('', 50, 0)]


@pytest.mark.parametrize('text, message', [
    ('rates: {}', 'A rate file is a mapping with a list "rates"'),
    ('rates: [{name: x, details: [{field: cpu}]}]', 'Rate x, field cpu: field must be one of vcpu, memory'),
    ('rates: [{name: x, details: [{field: vcpu, per_time: fortnightly}]}]', 'per_time must be one of hourly'),
    ('rates: [{name: x, assign_to: {tenant: a}, details: [{field: vcpu}]}]', 'assign_to accepts project, ns, vnf, vnfd, tag, not tenant'),
    ('rates: [{name: x, details: [{field: vcpu, variable: lots}]}]', "variable: 'lots' is not a number"),
    ('rates: [', 'Cannot read the rate file'),
])
def test_rate_file_errors_name_file_and_detail(tmp_path, text, message):
    path = tmp_path / 'rates.yml'
    path.write_text(text)
    with pytest.raises(RateError, match=re.escape(message)) as error:
        load_rates(str(path))
    assert str(path) in str(error.value) and '\n' not in str(error.value)
