# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lcm/lifecycle.py: what a failed operation finds of the creates whose answer was lost (issue 13, fault tests)."""
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Outcome
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import _untagged_by_name


class Api:
    def __init__(self, listed):
        self.listed, self.calls = listed, []

    def list(self, service, url, key, params=None):
        self.calls.append((service, url, key))
        return self.listed.get(key, [])


def test_an_untagged_create_whose_answer_was_lost_is_found_by_its_planned_name():
    plan = M.Plan(operation='INSTANTIATE', instance_id='i-1', vnf_name='web')
    plan.actions = [M.Action(M.CREATE, 'network', 'network/VL1', 'web-VL1'), M.Action(M.CREATE, 'network', 'network/VL2', 'web-VL2'),
                    M.Action(M.CREATE, 'server', 'server/VDU1-0', 'web-VDU1-0')]
    outcome = Outcome()
    outcome.created.append(('network', 'network/VL1', {'id': 'n1', 'name': 'web-VL1'}))
    api = Api({'networks': [{'id': 'n1', 'name': 'web-VL1', 'tags': []}, {'id': 'lost', 'name': 'web-VL2', 'tags': []},
                            {'id': 'tagged', 'name': 'web-VL2', 'tags': ['nfvo:vl=VL2']}, {'id': 'other', 'name': 'db-VL2', 'tags': []}]})
    now = M.Snapshot(instance_id='i-1', vnf_name='web')
    _untagged_by_name(api, plan, outcome, now)
    assert [n['id'] for n in now.networks] == ['lost']  # not the answered one, not a tagged one (discovery has it), not another's
    assert api.calls == [('network', '/networks', 'networks')]  # one list call, only for a kind with a create unanswered
