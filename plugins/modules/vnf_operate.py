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
  - telco.nfvo.notify
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
lcm_op_occ:
  description:
    - The OPERATE occurrence (SOL003 C(VnfLcmOpOcc)) when a server was stopped or started (not in check mode).
    - C(operationParams) has C(changeStateTo) and, for a stop, C(stopType) and C(gracefulStopTimeout); C(resourceChanges)
      lists nothing, as no resource is created or deleted. A graceful stop that ran out of time and forced a server is
      a warning, not a failure.
    - A start or stop the cloud refused leaves C(FAILED_TEMP), to be retried with M(telco.nfvo.vnf_lcm_op_occ).
  returned: when changed (not in check mode)
  type: dict
  sample:
    operation: OPERATE
    operationState: COMPLETED
    operationParams: {changeStateTo: STOPPED, stopType: GRACEFUL}
vnf_instance:
  description: The VNF instance after the operation (SOL003 C(VnfInstance)); C(instantiatedVnfInfo.vnfState) is C(STARTED) or C(STOPPED).
  returned: always
  type: dict
  sample: {vnfInstanceName: web-1, instantiatedVnfInfo: {vnfState: STOPPED}}
plan:
  description: In check mode, the servers that would be stopped or started. Empty when all are in the wanted state.
  returned: in check mode
  type: list
  elements: dict
diff:
  description: C(vnfState) before and after.
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.runners import run_options, run_vnf_operate_module


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
