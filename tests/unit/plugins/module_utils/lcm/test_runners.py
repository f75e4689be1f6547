# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one Options path of the VNF lifecycle modules: ``wait`` (run_options, every module) reaches the operation's
Options, and the operation skeleton (operation.py: heal, operate, retry; the converges of lifecycle.py - vnf, scale -
pass it the same way since vnf had it) hands it to the Executor. (That the Executor does not poll with wait=false:
test_executor.py.)"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.lcm import operation
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import runners as R
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Outcome
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import Plan


def module(**params):
    spec = R.run_options()
    values = {k: v.get('default') for k, v in spec.items()}
    values.update(params)
    return SimpleNamespace(params=values, check_mode=False, ansible=SimpleNamespace(no_log_values=set()))


def test_every_lifecycle_module_takes_wait_true_by_default():
    assert R.run_options()['wait'] == {'type': 'bool', 'default': True}
    assert R._options(module()).wait is True


@pytest.mark.parametrize('wait', [False, True])
def test_wait_reaches_the_options_then_the_executor(monkeypatch, wait):
    opts = R._options(module(wait=wait, on_failure='keep'))
    assert (opts.wait, opts.timeout, opts.on_failure) == (wait, 1800, 'keep')
    seen = []

    class Executor:
        def __init__(self, api, plan, settings, **kw):
            seen.append(settings)

        def run(self):
            return Outcome()

    monkeypatch.setattr(operation, 'Executor', Executor)
    ctx = operation.Context(api=None, opts=opts)
    plan = Plan(operation='HEAL', instance_id='i1', vnf_name='vnf')
    operation.Operation(ctx, plan=plan).execute(None)
    assert [(s.wait, s.timeout) for s in seen] == [(wait, 1800)]
