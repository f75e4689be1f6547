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
  - telco.nfvo.notify
  - telco.nfvo.lcm.new_vnfcs
  - telco.nfvo.package_limits
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
lcm_op_occ:
  description:
    - The HEAL occurrence (SOL003 C(VnfLcmOpOcc)) when a VNFC was healed (not in check mode); nothing when every VNFC was healthy.
    - C(operationParams) holds C(vnfcInstanceId), C(cause) and the strategy (C(additionalParams.strategy)). Each healed VNFC is
      one C(MODIFIED) entry of C(resourceChanges.affectedVnfcs) with its (new) server; a volume made again is C(ADDED)
      in C(affectedVirtualStorages).
    - C(FAILED_TEMP) (O(on_failure=keep)) can be retried with M(telco.nfvo.vnf_lcm_op_occ); C(error) says what failed.
  returned: when changed (not in check mode)
  type: dict
  sample:
    id: 7e21...
    operation: HEAL
    operationState: COMPLETED
    operationParams: {vnfcInstanceId: [VDU1-0], cause: server deleted, additionalParams: {strategy: recreate}}
    resourceChanges: {affectedVnfcs: [{id: VDU1-0, vduId: VDU1, changeType: MODIFIED}]}
vnf_instance:
  description: The VNF instance after healing (SOL003 C(VnfInstance) as M(telco.nfvo.vnf) returns it); each C(vnfcResourceInfo) shows its server.
  returned: always
  type: dict
plan:
  description: In check mode, what healing would do (server deleted and created again, rebooted or rebuilt), VNFC by VNFC.
  returned: in check mode
  type: list
  elements: dict
diff:
  description: The unhealthy VNFCs before and after.
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.runners import new_vnfc_options, on_failure_option, run_options, run_vnf_heal_module


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
