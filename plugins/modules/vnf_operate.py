#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vnf_operate
short_description: Start or stop a VNF instance (ETSI OPERATE)
version_added: 0.1.0
description:
  - ETSI SOL003 OPERATE of an instantiated VNF - starts or stops every server of its VNFCs. Idempotent - servers in the
    requested state are left alone; nothing to do, nothing changes.
  - A V(graceful) stop asks each server to stop and waits up to O(graceful_stop_timeout) seconds, then stops the ones still
    running forcefully; V(forceful) stops them at once.
  - The intended state is recorded on the instance record (M(telco.nfvo.vnf_heal) then knows whether a stopped server
    is broken). M(telco.nfvo.vnf) with C(vnf_state) does the same declaratively.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the VNF instance (as given to M(telco.nfvo.vnf)).
    type: str
    required: true
  change_state_to:
    description: Target state.
    type: str
    choices: [started, stopped]
    required: true
  stop_type:
    description:
      - How to stop.
      - C(graceful) asks each server to shut down (Nova C(os-stop)) and waits up to O(graceful_stop_timeout) for it to be
        C(SHUTOFF); a server still running then is stopped forcefully and named in a warning.
      - C(forceful) does not wait for the guest. Nova has no API that cuts the power at once; it powers a server off when
        its own C(shutdown_timeout) (or the image property C(os_shutdown_timeout)) ends, and that bounds a forceful stop.
    type: str
    choices: [graceful, forceful]
    default: graceful
  graceful_stop_timeout:
    description: Seconds a graceful stop waits for each server before stopping it forcefully.
    type: int
    default: 60
extends_documentation_fragment:
  - telco.nfvo.lcm
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - A failed OPERATE is C(FAILED_TEMP); retry it with M(telco.nfvo.vnf_lcm_op_occ) or run the task again.
seealso:
  - module: telco.nfvo.vnf
'''

EXAMPLES = r'''
- name: Stop the VNF for maintenance
  telco.nfvo.vnf_operate:
    cloud: nfvo-tenant
    name: web-1
    change_state_to: stopped
    graceful_stop_timeout: 120

- name: Start it again
  telco.nfvo.vnf_operate:
    cloud: nfvo-tenant
    name: web-1
    change_state_to: started
'''

RETURN = r'''
vnf_instance:
  description:
    - The VNF instance as ETSI SOL003 C(VnfInstance), rebuilt from the cloud after the operation (see M(telco.nfvo.vnf)).
  returned: always
  type: dict
  sample:
    id: 3c8f...
    vnfInstanceName: web-1
    instantiationState: INSTANTIATED
    instantiatedVnfInfo:
      vnfState: STARTED
      scaleStatus: [{aspectId: VDU1_scale, scaleLevel: 1}]
lcm_op_occ:
  description:
    - The LCM operation occurrence (SOL003 C(VnfLcmOpOcc)) when something changed (not in check mode).
    - C(operationState) is C(COMPLETED), C(FAILED_TEMP), C(FAILED) or C(ROLLED_BACK); C(resourceChanges.affectedVnfcs) lists
      VNFCs with C(changeType) C(ADDED), C(REMOVED) or C(MODIFIED); C(error) is a ProblemDetails on failure.
    - A C(FAILED_TEMP) occurrence's C(id) is what M(telco.nfvo.vnf_lcm_op_occ) takes.
  returned: when changed (not in check mode)
  type: dict
  sample:
    id: 0b6d...
    operation: OPERATE
    operationState: COMPLETED
    resourceChanges:
      affectedVnfcs: [{id: VDU1-1, vduId: VDU1, changeType: MODIFIED}]
plan:
  description: In check mode, the actions the module would take, in order (as M(telco.nfvo.vnf) returns them). Empty when nothing would change.
  returned: in check mode
  type: list
  elements: dict
diff:
  description: Before/after summary of the instance (VNFCs, storages, levels; C(vnfState) for OPERATE).
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.cloud import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.vnf_lcm import run_options
from ansible_collections.telco.nfvo.plugins.module_utils.lcm_operations import run_vnf_operate_module


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            change_state_to=dict(type='str', choices=['started', 'stopped'], required=True),
            stop_type=dict(type='str', choices=['graceful', 'forceful'], default='graceful'),
            graceful_stop_timeout=dict(type='int', default=60),
            **run_options()
        ),
        supports_check_mode=True,
    )
    run_vnf_operate_module(module)


if __name__ == '__main__':
    main()
