# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Chargeback rating modelled on ManageIQ's chargeback rates (see docs/chargeback.md).

A rate has details, one per field; a detail has per_time (hourly/daily/weekly/monthly/yearly), per_unit (for
memory/disk/storage: bytes..terabytes, 1024 apart) and tiers, each with a fixed and a variable part. As in
ManageIQ, the hourly cost of a detail for a value is hourly(fixed) + value_in_per_unit * hourly(variable), where
the tier is the one whose [start, finish) holds the value ("pick one"); ``tier_method: graduated`` instead charges
each tier's variable part on the slice of the value inside it, plus the fixed part of every tier reached.
Monthly rates use the hours of the calendar month being charged. Cost = sum over usage rows of hourly cost * hours.

vcpu, memory and disk are charged on *allocated* sizes, so a stopped server still pays for them (its flavor is
still reserved on the hypervisor); ``metering`` charges running hours only. Pure Python; money is Decimal.
"""

from __future__ import annotations

import decimal
import json

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import RateError

try:
    import yaml
    HAS_YAML = True
except ImportError:
    yaml = None
    HAS_YAML = False

D = decimal.Decimal
INFINITY = D('Infinity')
# field: (resource_type it charges, usage column with the value (None: a count of 1), base unit, charged while stopped)
FIELDS = {
    'vcpu': ('server', 'vcpus', 'cpu', True),
    'memory': ('server', 'ram_mb', 'megabytes', True),
    'disk': ('server', 'disk_gb', 'gigabytes', True),
    'metering': ('server', None, None, False),
    'storage': ('volume', 'volume_gb', 'gigabytes', True),
    'floating_ip': ('floating_ip', None, None, True),
    'network': ('network', None, None, True),
    'vnf_instance': ('vnf_instance', None, None, True),
}
UNITS = {'bytes': 0, 'kilobytes': 1, 'megabytes': 2, 'gigabytes': 3, 'terabytes': 4}  # powers of 1024
PER_TIME = ('hourly', 'daily', 'weekly', 'monthly', 'yearly')
# rate assignment key -> usage columns it is matched against
ASSIGN_COLUMNS = {'project': ('project_id', 'project_name'), 'ns': ('ns_instance_id',), 'vnf': ('vnf_instance_id', 'vnf_name'),
                  'vnfd': ('vnfd_id',), 'tag': ('tags',)}
# quantity column -> (resource_type, usage column (None: hours), divisor)
QUANTITIES = {'server_hours': ('server', None, 1), 'vcpu_hours': ('server', 'vcpus', 1), 'ram_gb_hours': ('server', 'ram_mb', 1024),
              'disk_gb_hours': ('server', 'disk_gb', 1), 'volume_gb_hours': ('volume', 'volume_gb', 1)}


def _decimal(value, where):
    if value is None or isinstance(value, bool):
        raise RateError('%s: %r is not a number' % (where, value))
    if isinstance(value, float) and value == float('inf'):
        return INFINITY
    try:
        return D(str(value))
    except decimal.InvalidOperation:
        raise RateError('%s: %r is not a number' % (where, value))


def hourly(amount, per_time, month_hours):
    """The hourly equivalent of an amount per per_time (ManageIQ: month = hours of the calendar month, year = 365 days)."""
    divisor = {'hourly': 1, 'daily': 24, 'weekly': 168, 'monthly': month_hours, 'yearly': 8760}[per_time]
    return amount / divisor


class Detail:
    """One field of a rate."""

    def __init__(self, data, where):
        if not isinstance(data, dict):
            raise RateError('%s: a detail must be a mapping' % where)
        self.field = data.get('field')
        where = '%s, field %s' % (where, self.field)
        if self.field not in FIELDS:
            raise RateError('%s: field must be one of %s' % (where, ', '.join(FIELDS)))
        self.resource_type, self.column, base_unit, self.when_stopped = FIELDS[self.field]
        self.per_time = data.get('per_time', 'hourly')
        if self.per_time not in PER_TIME:
            raise RateError('%s: per_time must be one of %s' % (where, ', '.join(PER_TIME)))
        per_unit = data.get('per_unit', base_unit)
        if base_unit in UNITS:
            if per_unit not in UNITS:
                raise RateError('%s: per_unit must be one of %s' % (where, ', '.join(UNITS)))
            self.adjustment = D(1024) ** (UNITS[base_unit] - UNITS[per_unit])
        elif per_unit != base_unit:
            raise RateError('%s: per_unit must be %s' % (where, base_unit or 'left out (the value is a count)'))
        else:
            self.adjustment = D(1)
        self.volume_type = data.get('volume_type')
        tier_method = data.get('tier_method', 'pick_one')
        if tier_method not in ('pick_one', 'graduated'):
            raise RateError('%s: tier_method must be pick_one or graduated' % where)
        self.graduated = tier_method == 'graduated'
        tiers = data.get('tiers') or [{'start': 0, 'finish': None, 'fixed': data.get('fixed', 0), 'variable': data.get('variable', 0)}]
        self.tiers = []
        for tier in tiers:
            finish = tier.get('finish')
            self.tiers.append((_decimal(tier.get('start', 0), where + ' tier start'),
                               INFINITY if finish is None else _decimal(finish, where + ' tier finish'),
                               _decimal(tier.get('fixed', 0), where + ' fixed'), _decimal(tier.get('variable', 0), where + ' variable')))
        self.tiers.sort()
        if any(prev[1] != nxt[0] for prev, nxt in zip(self.tiers, self.tiers[1:])):
            raise RateError('%s: tiers must be contiguous (each finish is the next start)' % where)

    def applies(self, row):
        return (row['resource_type'] == self.resource_type and (self.when_stopped or not row.get('stopped'))
                and (self.volume_type is None or row.get('volume_type') == self.volume_type))

    def hourly_cost(self, row, month_hours):
        """hourly(fixed) + value * hourly(variable) for the usage row's value, in this detail's per_unit."""
        value = D(1) if self.column is None else D(row.get(self.column) or 0) * self.adjustment
        if self.graduated:
            reached = [tier for tier in self.tiers if tier[0] <= value]
            fixed = sum((tier[2] for tier in reached), D(0))
            variable = sum(((min(value, finish) - start) * var for start, finish, _fixed, var in reached), D(0))
            return hourly(fixed, self.per_time, month_hours) + hourly(variable, self.per_time, month_hours)
        for start, finish, fixed, var in self.tiers:
            if start <= value < finish:
                return hourly(fixed, self.per_time, month_hours) + value * hourly(var, self.per_time, month_hours)
        return D(0)


class Rate:

    def __init__(self, data, index, default_currency):
        self.name = data.get('name') or 'rate %d' % (index + 1)
        where = 'Rate %s' % self.name
        self.currency = data.get('currency', default_currency)
        self.assign_to = data.get('assign_to') or {}
        unknown = set(self.assign_to) - set(ASSIGN_COLUMNS)
        if unknown:
            raise RateError('%s: assign_to accepts %s, not %s' % (where, ', '.join(ASSIGN_COLUMNS), ', '.join(sorted(unknown))))
        self.assign_to = dict((key, set(str(v) for v in (values if isinstance(values, list) else [values])))
                              for key, values in self.assign_to.items())
        self.details = [Detail(detail, where) for detail in data.get('details') or []]
        if not self.details:
            raise RateError('%s: no details' % where)

    def matches(self, row):
        for key, wanted in self.assign_to.items():
            if key == 'tag':
                have = set(json.loads(row.get('tags') or '[]'))
            else:
                have = set(str(row.get(column)) for column in ASSIGN_COLUMNS[key] if row.get(column) is not None)
            if not have & wanted:
                return False
        return True


class Rates:
    """A rate file: ``{currency, assignment: first_match|cumulative, rates: [...]}``."""

    def __init__(self, data):
        if not isinstance(data, dict) or not isinstance(data.get('rates'), list):
            raise RateError('A rate file is a mapping with a list "rates"')
        self.currency = data.get('currency', 'EUR')
        self.assignment = data.get('assignment', 'first_match')
        if self.assignment not in ('first_match', 'cumulative'):
            raise RateError('assignment must be first_match or cumulative, not %r' % (self.assignment,))
        self.rates = [Rate(rate, index, self.currency) for index, rate in enumerate(data['rates'])]
        self.fields = [field for field in FIELDS if any(d.field == field for rate in self.rates for d in rate.details)]
        self.attrs = sorted(set(column for rate in self.rates for key in rate.assign_to for column in ASSIGN_COLUMNS[key]))

    def for_row(self, row):
        matching = [rate for rate in self.rates if rate.matches(row)]
        return matching if self.assignment == 'cumulative' else matching[:1]

    def rate(self, usage):
        """Price aggregated usage rows (Ledger.usage) into report rows keyed by (group, period, currency).

        Each report row has the quantities charged (server/vCPU/RAM GB/disk GB/volume GB hours), one '<field>_cost'
        per field of the rate file and 'total', all Decimal. Usage no rate matches is reported with currency ''.
        """
        rows, matches, hourly_costs = {}, {}, {}
        for use in usage:
            charges = {}
            attrs = tuple(use.get(name) for name in self.attrs)
            if attrs not in matches:
                matches[attrs] = self.for_row(use)
            for rate in matches[attrs]:
                for detail in rate.details:
                    if detail.applies(use):
                        key = (id(detail), use.get(detail.column), use['month_hours'])
                        if key not in hourly_costs:
                            hourly_costs[key] = detail.hourly_cost(use, use['month_hours'])
                        costs = charges.setdefault(rate.currency, {})
                        costs[detail.field] = costs.get(detail.field, D(0)) + hourly_costs[key] * use['hours']
            for currency, costs in (charges or {'': {}}).items():
                key = (use['group'] if use['group'] is not None else '(none)', use['period'], currency)
                row = rows.get(key)
                if row is None:
                    row = rows[key] = dict(zip(('group', 'period', 'currency'), key))
                    row.update((name, D(0)) for name in list(QUANTITIES) + ['%s_cost' % f for f in self.fields] + ['total'])
                for name, (resource_type, column, divisor) in QUANTITIES.items():
                    if use['resource_type'] == resource_type:
                        row[name] += (use['hours'] if column is None else D(use[column] or 0) * use['hours'] / divisor)
                for field, cost in costs.items():
                    row['%s_cost' % field] += cost
                    row['total'] += cost
        return [rows[key] for key in sorted(rows)]


def load_rates(path):
    """Rates from a YAML (or JSON) file; RateError names the file on a problem."""
    if not HAS_YAML:
        raise RateError('Reading the rate file %s needs the python library PyYAML' % path)
    try:
        with open(path, encoding='utf-8') as handle:
            return Rates(yaml.safe_load(handle))
    except (OSError, yaml.YAMLError) as exc:
        raise RateError('Cannot read the rate file %s: %s' % (path, ' '.join(str(exc).split())))
    except RateError as exc:
        raise RateError('Rate file %s: %s' % (path, exc))
