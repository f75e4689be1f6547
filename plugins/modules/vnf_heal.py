#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vnf_heal
short_description: Heal the VNFCs of a VNF instance by reboot, rebuild or recreate (ETSI HEAL)
version_added: 0.1.0
description:
  - Imperative ETSI SOL003 HEAL of an instantiated VNF. Without O(vnfc_instance_ids) it heals every VNFC that is not
    healthy - its server is missing or in ERROR, or SHUTOFF while the VNF should run, or one of its ports is missing
    or DOWN while the server is ACTIVE. With nothing unhealthy, nothing changes.
  - V(recreate) deletes the server (when there is one) and creates it again on the VNFC's own ports and volumes, so it
    keeps its fixed IPs and data; missing ports or volumes are created again. It needs O(package).
  - V(reboot) hard-reboots the servers (starting stopped ones); V(rebuild) rebuilds them from their image. Both need
    the servers to exist.
  - Works on scaled VNFs - the VNFCs are those of the current VDU counts recorded on the instance.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the VNF instance (as given to M(telco.nfvo.vnf)).
    type: str
    required: true
  vnfc_instance_ids:
    description: VNFCs to heal (C(<VDU>-<index>), the C(id) of C(vnfcResourceInfo)). Default, every unhealthy VNFC.
    type: list
    elements: str
  cause:
    description: Why (recorded in the occurrence's C(operationParams)).
    type: str
  strategy:
    description: How to heal.
    type: str
    choices: [recreate, reboot, rebuild]
    default: recreate
extends_documentation_fragment:
  - telco.nfvo.lcm
  - telco.nfvo.lcm.new_vnfcs
  - telco.nfvo.lcm.on_failure
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - Check mode returns the plan and makes no write call.
  - A failed heal by V(reboot) or V(rebuild) is C(FAILED_TEMP) (there is nothing to roll back) - retry it or mark it
    failed with M(telco.nfvo.vnf_lcm_op_occ).
seealso:
  - module: telco.nfvo.vnf
  - module: telco.nfvo.vnf_info
'''

EXAMPLES = r'''
- name: Heal whatever is broken (servers gone or in ERROR, ports down)
  telco.nfvo.vnf_heal:
    cloud: nfvo-tenant
    name: web-1
    package: /srv/vnf-packages/v2_basic.zip
    cause: alarm 4711

- name: Reboot one VNFC
  telco.nfvo.vnf_heal:
    cloud: nfvo-tenant
    name: web-1
    vnfc_instance_ids: [VDU1-2]
    strategy: reboot
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
    operation: HEAL
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
from ansible_collections.telco.nfvo.plugins.module_utils.vnf_lcm import new_vnfc_options, on_failure_option, run_options
from ansible_collections.telco.nfvo.plugins.module_utils.lcm_operations import run_vnf_heal_module


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            vnfc_instance_ids=dict(type='list', elements='str'),
            cause=dict(type='str'),
            strategy=dict(type='str', choices=['recreate', 'reboot', 'rebuild'], default='recreate'),
            **new_vnfc_options(), **on_failure_option(), **run_options()
        ),
        supports_check_mode=True,
        required_if=[('strategy', 'recreate', ('package',))],
    )
    run_vnf_heal_module(module)


if __name__ == '__main__':
    main()
