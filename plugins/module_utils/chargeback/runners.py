# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runners of the chargeback modules: ``fn(module)`` -> result dict, for ``NfvoModule.run(fn)`` (base/module.py).

Both run with ``what=None``: every failure of theirs is already worded whole ('Failed to list servers of ...',
'Cannot read ledger ...', 'Rate file ...', 'Cannot write the report ...'), so ``run()`` shows it as it is.
"""

from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.observe import take_snapshot
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.report import build_report

# the release that drops chargeback_report's top-level copies of the keys of `report`
REPORT_KEYS_REMOVED_IN = '0.2.0'


def usage_snapshot(module):
    """Observe the cloud (read only: changed is always false); the ledger's warnings become the module's."""
    p = module.params
    result = take_snapshot(module.conn, p['cloud'] if isinstance(p['cloud'], str) else None, p['resource_types'],
                           p['include_unmanaged'], p['all_projects'], p['ledger_path'], p['ledger_dsn'])
    for warning in result.pop('warnings'):
        module.warn(warning)
    return dict(changed=False, **result)


def chargeback_report(module):
    """Rate the ledger and write the report (LedgerError, RateError, ReportError fail with their own words)."""
    p = module.params
    ledger = {'dsn': p['ledger_dsn']} if p['ledger_dsn'] else {'path': p['ledger_path']}
    report = build_report(ledger, p['rates'], start=p['start'], end=p['end'], interval=p['interval'], group_by=p['group_by'],
                          fmt=p['format'], dest=p['dest'], month=p['month'], check_mode=module.check_mode)
    changed = report.pop('changed')
    # the report is one return value; its keys stay at the top level too for one release (RETURN documents it)
    module.deprecate('telco.nfvo.chargeback_report returns the report as the one value `report`; its keys at the top level of'
                     ' the result (%s) are deprecated and will be removed' % ', '.join(sorted(report)),
                     version=REPORT_KEYS_REMOVED_IN)
    return dict(report, report=report, changed=changed)
