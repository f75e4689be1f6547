# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lcm/runners.py: the one Options path of the VNF lifecycle modules - ``wait`` (run_options, every module) reaches
the operation's Options, and the operation skeleton (operation.py: heal, operate, retry; the converges of lifecycle.py -
vnf, scale - pass it the same way since vnf had it) hands it to the Executor (that the Executor does not poll with
wait=false: test_executor.py) - and what a lifecycle module answers when its operation raised once it held the lock."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.recording import api_for
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import operation
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import runners as R
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Outcome
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import Plan

from chargeback.test_recording import Conn, Module  # the chargeback tests' stubbed connection (tests/unit/plugins/module_utils is on sys.path)


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


def test_an_operation_that_raised_after_its_writes_still_answers_its_occurrence_and_bills_them():
    """A network made, then an error out of the run (a 500 on a status poll did that): before, the module failed with
    neither the occurrence nor usage events, and the ledger missed the network the cloud had made."""
    module = Module(Conn({('POST', '/v2.0/networks'): (201, {'network': {'id': 'n-1', 'name': 'web-VL1'}})}))
    occ = {'id': 'op-1', 'operation': 'INSTANTIATE', 'operationState': 'FAILED_TEMP'}

    def vnf(mod):
        api_for(mod).post('network', '/v2.0/networks', {'network': {'name': 'web-VL1'}})
        exc = CloudError('injected fault (HTTP 500)', status=500)
        exc.lcm_op_occ = occ
        raise exc

    with pytest.raises(CloudError) as raised:
        R._billed(vnf)(module)
    assert raised.value.result['lcm_op_occ'] is occ
    assert [(e['resource_type'], e['resource_id'], e['action']) for e in raised.value.result['usage_events']] == [('network', 'n-1', 'created')]


def test_an_error_before_the_lock_has_neither():
    def vnf(mod):
        raise CloudError('cannot reach the cloud')

    with pytest.raises(CloudError) as raised:
        R._billed(vnf)(Module(Conn({})))
    assert getattr(raised.value, 'result', None) is None
