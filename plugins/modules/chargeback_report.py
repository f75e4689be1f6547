#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: chargeback_report
short_description: Rate the usage ledger and write a chargeback report
version_added: 0.1.0
description:
  - Reads the usage ledger that the callback plugin C(telco.nfvo.usage) writes (SQLite or PostgreSQL), prices the usage of a
    period with a ManageIQ-style rate file, and returns the report; with O(dest) it also writes it as JSON, CSV, Markdown or
    a self-contained HTML page (a cost table and a chart of cost per group over time, no JavaScript, no external files).
  - Resources are charged for the hours they existed inside the period, cut into daily, weekly or monthly periods; intervals
    still open are charged up to now at most. Check-mode events are never charged.
  - The aggregation is done by SQL in the ledger; only aggregated rows are read.
  - The module reads the ledger and writes O(dest) on the host it runs on - run it where the ledger is (on the
    controller - a play on C(localhost), or a task delegated to C(localhost)), unless the ledger is a PostgreSQL database.
  - The rate file format and the arithmetic are described, with a worked example, in the collection's C(docs/chargeback.md).
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  rates:
    description: Path of the rate file (YAML).
    type: path
    required: true
  month:
    description:
      - The calendar month to report, C(YYYY-MM) (UTC). Mutually exclusive with O(start) and O(end).
    type: str
  start:
    description: Start of the period (ISO 8601; UTC when it has no offset), included. Needs O(end).
    type: str
  end:
    description: End of the period (ISO 8601; UTC when it has no offset), excluded. Needs O(start).
    type: str
  interval:
    description: Length of the periods each group's usage is cut into (UTC days, ISO weeks, calendar months).
    type: str
    choices: [daily, weekly, monthly]
    default: monthly
  group_by:
    description:
      - What a row charges - C(project), network service (C(ns)), VNF instance (C(vnf)), C(vdu) (C(<vnf>/<vdu>)), single
        C(resource) (C(<type>:<id>)) or the automation C(job) that recorded the usage (C(AWX job <id>) or the run).
    type: str
    choices: [project, ns, vnf, vdu, resource, job]
    default: project
  format:
    description: Format of the file written to O(dest).
    type: str
    choices: [json, csv, markdown, html]
    default: json
  dest:
    description:
      - File to write the report to (its directory must exist). Written only when its content changes, atomically, mode
        0644. Without it the report is only returned.
    type: path
attributes:
  check_mode:
    support: full
    details: In check mode the report is computed and returned and nothing is written; C(changed) says whether O(dest) would change.
  diff_mode:
    support: none
  platform:
    platforms: posix
notes:
  - The SQLite ledger (O(ledger_path)) must exist; the report only reads it.
extends_documentation_fragment:
  - telco.nfvo.ledger
  - action_common_attributes
seealso:
  - module: telco.nfvo.usage_snapshot
'''

EXAMPLES = r'''
- name: March 2026 per VNF, as an HTML page
  telco.nfvo.chargeback_report:
    rates: /etc/nfvo/rates.yml
    month: "2026-03"
    interval: daily
    group_by: vnf
    format: html
    dest: /srv/reports/chargeback-2026-03-vnf.html
  delegate_to: localhost

- name: Last week's cost per project from the shared ledger
  telco.nfvo.chargeback_report:
    ledger_dsn: "host=ledger.example.com dbname=nfvo user=nfvo"
    rates: /etc/nfvo/rates.yml
    start: "{{ '%Y-%m-%dT00:00:00Z' | strftime(now(utc=true).timestamp() - 7 * 86400, utc=true) }}"
    end: "{{ '%Y-%m-%dT00:00:00Z' | strftime(utc=true) }}"
    interval: daily
  register: weekly

- name: Alert when a project spent more than 1000 EUR
  ansible.builtin.fail:
    msg: "{{ item.key }} spent {{ item.value.EUR }} EUR"
  loop: "{{ weekly.report.group_totals | dict2items }}"
  when: item.value.EUR | default(0) > 1000
'''

RETURN = r'''
report:
  description:
    - The report, in one dictionary - the keys C(totals), C(group_totals), C(rows), C(columns), C(fields), C(groups),
      C(start), C(end), C(interval), C(group_by), C(ledger), C(dest) and C(format) described below.
    - Read them from here. The same keys at the top level of the result are deprecated (a deprecation warning says so)
      and will be removed in telco.nfvo 0.2.0.
  returned: always
  type: dict
  version_added: 0.1.0
  sample: {totals: {EUR: 196.5}, group_totals: {tenant-a: {EUR: 133.92}, tenant-b: {EUR: 62.58}}, groups: 2,
           group_by: project, interval: monthly, format: json, dest: null}
totals:
  description: Total cost per currency over the whole period (rounded to the cent).
  returned: always
  type: dict
  sample: {EUR: 196.5}
group_totals:
  description: Total cost per group and currency.
  returned: always
  type: dict
  sample: {tenant-a: {EUR: 133.92}, tenant-b: {EUR: 62.58}}
rows:
  description:
    - One row per group, period and currency, with the quantities charged (C(server_hours), C(vcpu_hours), C(ram_gb_hours),
      C(disk_gb_hours), C(volume_gb_hours)), one C(<field>_cost) per field of the rate file, and C(total). Usage no rate
      matches has an empty currency and cost 0.
  returned: always
  type: list
  elements: dict
  sample:
    - {group: tenant-a, period: "2026-03", currency: EUR, server_hours: 864.0, vcpu_hours: 2976.0, ram_gb_hours: 5952.0,
       disk_gb_hours: 29760.0, volume_gb_hours: 0.0, vcpu_cost: 29.76, memory_cost: 29.76, vnf_instance_cost: 74.4, total: 133.92}
columns:
  description: The names of the row fields, in the order of the CSV, Markdown and HTML tables.
  returned: always
  type: list
  elements: str
fields:
  description: The rate fields the rate file prices.
  returned: always
  type: list
  elements: str
  sample: [vcpu, memory, vnf_instance]
groups:
  description: Number of groups charged.
  returned: always
  type: int
start:
  description: Start of the period (UTC).
  returned: always
  type: str
  sample: "2026-03-01T00:00:00+00:00"
end:
  description: End of the period (UTC), excluded.
  returned: always
  type: str
  sample: "2026-04-01T00:00:00+00:00"
interval:
  description: The interval used.
  returned: always
  type: str
group_by:
  description: The grouping used.
  returned: always
  type: str
ledger:
  description: The ledger read (password masked).
  returned: always
  type: str
dest:
  description: The absolute path of the report file, null without O(dest).
  returned: always
  type: str
format:
  description: The format of O(dest).
  returned: always
  type: str
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback import runners
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import GROUPS, ledger_options
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.render import FORMATS
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.report import INTERVALS


def main():
    module = NfvoModule(
        argument_spec=dict(
            rates=dict(type='path', required=True),
            month=dict(type='str'),
            start=dict(type='str'),
            end=dict(type='str'),
            interval=dict(type='str', choices=list(INTERVALS), default='monthly'),
            group_by=dict(type='str', choices=list(GROUPS), default='project'),
            format=dict(type='str', choices=list(FORMATS), default='json'),
            dest=dict(type='path'),
            **ledger_options()
        ),
        needs_cloud=False,  # the ledger only: no connection options, no openstacksdk check
        mutually_exclusive=[('month', 'start'), ('month', 'end')],
        required_together=[('start', 'end')],
        required_one_of=[('month', 'start')],
        supports_check_mode=True,
    )
    module.run(runners.chargeback_report)


if __name__ == '__main__':
    main()
