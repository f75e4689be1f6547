#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vnf_lcm_op_occ
short_description: Retry, roll back or fail a FAILED_TEMP VNF LCM operation occurrence
version_added: 0.1.0
description:
  - Continues an LCM operation occurrence left C(FAILED_TEMP) (by C(on_failure=keep), or by a failed rollback), as the
    ETSI SOL003 C(retry), C(rollback) and C(fail) tasks do.
  - The occurrence is recorded on the cloud (the VNF's instance record holds its id, operation, state and the levels before
    it), so any machine can continue it; the module finds it by O(id) with one list call.
  - V(retry) runs the operation again towards its target (the VNFCs that exist are kept); INSTANTIATE, SCALE,
    SCALE_TO_LEVEL, CHANGE_FLAVOUR (on to the flavour it moved to) and HEAL by recreate need
    O(package). A retry that fails again keeps what it made and leaves the
    occurrence C(FAILED_TEMP), with the levels from before the first attempt, to be retried, rolled back or failed.
  - V(rollback) deletes what the operation created - everything for INSTANTIATE, the VNFCs beyond the previous counts
    for SCALE and SCALE_TO_LEVEL (scale-out) - and records the previous levels. CHANGE_FLAVOUR is rolled back by a
    converge to the flavour and levels the record still names (O(package) needed). HEAL and OPERATE cannot be rolled back.
  - V(fail) marks it C(FAILED) and changes nothing else.
  - Acting again on an occurrence already in the state the action leads to changes nothing.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  id:
    description: Id of the occurrence (C(lcm_op_occ.id) returned by the failed task).
    type: str
    required: true
  action:
    description: What to do.
    type: str
    choices: [retry, rollback, fail]
    required: true
  graceful_stop_timeout:
    description: For a retried OPERATE, seconds a graceful stop waits.
    type: int
    default: 60
extends_documentation_fragment:
  - telco.nfvo.lcm
  - telco.nfvo.notify
  - telco.nfvo.lcm.new_vnfcs
  - telco.nfvo.package_limits
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
seealso:
  - module: telco.nfvo.vnf
  - module: telco.nfvo.vnf_scale
'''

EXAMPLES = r'''
- name: Scale out, keeping what was made if it fails
  telco.nfvo.vnf_scale:
    cloud: nfvo-tenant
    name: web-1
    package: /srv/vnf-packages/v2_basic.zip
    aspect_id: VDU1_scale
    on_failure: keep
  register: scale
  ignore_errors: true

- name: Retry it (from any machine)
  telco.nfvo.vnf_lcm_op_occ:
    cloud: nfvo-tenant
    id: "{{ scale.lcm_op_occ.id }}"
    action: retry
    package: /srv/vnf-packages/v2_basic.zip
  when: scale.lcm_op_occ.operationState | default('') == 'FAILED_TEMP'

- name: Or roll it back
  telco.nfvo.vnf_lcm_op_occ:
    cloud: nfvo-tenant
    id: 0b6d6b2e-4a57-4d53-9d53-2b4f7e1c9a60
    action: rollback
'''

RETURN = r'''
lcm_op_occ:
  description:
    - The occurrence after the action (SOL003 C(VnfLcmOpOcc)), with its own C(id) and C(operation).
    - V(retry) ends in C(COMPLETED) (or C(FAILED_TEMP) again, with C(error)); V(rollback) in C(ROLLED_BACK); V(fail) in
      C(FAILED), a final state nothing can continue.
  returned: when changed (not in check mode)
  type: dict
  sample:
    id: 0b6d...
    operation: SCALE
    operationState: ROLLED_BACK
    resourceChanges: {affectedVnfcs: [{id: VDU1-3, vduId: VDU1, changeType: REMOVED}]}
vnf_instance:
  description: The VNF instance the occurrence belongs to, read again afterwards (SOL003 C(VnfInstance), as M(telco.nfvo.vnf) returns it).
  returned: always
  type: dict
plan:
  description: In check mode, the creates and deletes a retry or rollback would make.
  returned: in check mode
  type: list
  elements: dict
diff:
  description: The instance before and after the action.
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.runners import new_vnfc_options, run_options, run_vnf_lcm_op_occ_module


def main():
    module = NfvoModule(
        argument_spec=dict(
            id=dict(type='str', required=True),
            action=dict(type='str', choices=['retry', 'rollback', 'fail'], required=True),
            graceful_stop_timeout=dict(type='int', default=60),
            **new_vnfc_options(), **run_options()
        ),
        supports_check_mode=True,
    )
    run_vnf_lcm_op_occ_module(module)


if __name__ == '__main__':
    main()
