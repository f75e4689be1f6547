# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NS modules' Options path: ``wait`` (their run_options) reaches the Context's Options, which the VNFs of the NS
(lcm lifecycle) and the NS's own resources (ns/lifecycle._executor) run with."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import Plan
from ansible_collections.telco.nfvo.plugins.module_utils.ns import lifecycle as NL
from ansible_collections.telco.nfvo.plugins.module_utils.ns import runners as NR


@pytest.mark.parametrize('wait', [False, True])
def test_wait_reaches_the_ns_context_and_its_executor(monkeypatch, wait):
    params = {k: v.get('default') for k, v in NR.ns_operation_options().items()}
    assert params['wait'] is True
    params.update(wait=wait, on_failure='rollback', timeout=600, max_concurrency=4)
    module = SimpleNamespace(params=params, check_mode=False, diff=False, ansible=SimpleNamespace(no_log_values=set()),
                             conn=SimpleNamespace(current_project_id='p1'))
    monkeypatch.setattr(NR.usage_events, 'api_for', lambda m: 'api')
    ctx = NR._context(module)
    assert (ctx.api, ctx.opts.wait, ctx.opts.timeout, ctx.opts.max_concurrency) == ('api', wait, 600, 4)
    ex = NL._executor(ctx, Plan(operation='INSTANTIATE', instance_id='ns1', vnf_name='ns'))
    assert (ex.wait, ex.timeout, ex.max_concurrency) == (wait, 600, 4)
