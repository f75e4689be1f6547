# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Where the usage ledger is (the modules that read it); the argument spec is ledger_options() in
    # module_utils/chargeback/ledger.py, and the callback plugin telco.nfvo.usage reads the same variables.
    DOCUMENTATION = r'''
options:
  ledger_path:
    description:
      - The SQLite ledger file the C(telco.nfvo.usage) callback writes. Ignored when O(ledger_dsn) is set.
      - Defaults to the callback's default path, or to the environment variable E(TELCO_NFVO_USAGE_LEDGER) when set.
    type: path
    default: ~/.ansible/telco_nfvo_usage.db
  ledger_dsn:
    description:
      - PostgreSQL connection string of a shared ledger (needs the python library C(psycopg) 3).
      - Defaults to the environment variable E(TELCO_NFVO_USAGE_DSN) (the same one the callback reads).
    type: str
'''
