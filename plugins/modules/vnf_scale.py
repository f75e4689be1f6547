#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vnf_scale
short_description: Scale a VNF instance out or in by steps of a scaling aspect (ETSI SCALE)
version_added: 0.1.0
description:
  - Imperative ETSI SOL003 SCALE of an instantiated VNF, for runbooks and alarms. Each run scales by O(number_of_steps)
    steps of O(aspect_id), adding or removing the VNFC instances (servers with their ports and volumes) that the
    aspect's VduScalingAspectDeltas give per step.
  - Scale-in removes the newest VNFCs first (the highest C(<VDU>-<index>)).
  - The new level must stay within the aspect's C(max_scale_level) and the VDUs' C(vdu_profile) bounds; otherwise the
    module fails naming the aspect and its range, and changes nothing.
  - For a target level (idempotent), use M(telco.nfvo.vnf) with C(scale_levels) (SCALE_TO_LEVEL).
  - A failed scale-out deletes what it created (O(on_failure=rollback)), or keeps it as a C(FAILED_TEMP) occurrence.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the VNF instance (as given to M(telco.nfvo.vnf)).
    type: str
    required: true
  aspect_id:
    description: Scaling aspect of the VNF's deployment flavour.
    type: str
    required: true
  type:
    description: V(scale_out) adds VNFCs, V(scale_in) removes them.
    type: str
    choices: [scale_out, scale_in]
    default: scale_out
  number_of_steps:
    description: Number of scaling steps.
    type: int
    default: 1
extends_documentation_fragment:
  - telco.nfvo.lcm
  - telco.nfvo.notify
  - telco.nfvo.lcm.new_vnfcs
  - telco.nfvo.package_limits
  - telco.nfvo.lcm.on_failure
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - Check mode returns the plan and makes no write call. O(package) is needed (the VNFD gives the deltas per step).
seealso:
  - module: telco.nfvo.vnf
  - module: telco.nfvo.vnf_lcm_op_occ
'''

EXAMPLES = r'''
- name: Scale out by two steps
  telco.nfvo.vnf_scale:
    cloud: nfvo-tenant
    name: web-1
    package: /srv/vnf-packages/v2_basic.zip
    aspect_id: VDU1_scale
    type: scale_out
    number_of_steps: 2
  register: scaled

- name: Scale in by one step (removes the newest VNFC)
  telco.nfvo.vnf_scale:
    cloud: nfvo-tenant
    name: web-1
    package: /srv/vnf-packages/v2_basic.zip
    aspect_id: VDU1_scale
    type: scale_in
'''

RETURN = r'''
lcm_op_occ:
  description:
    - The SCALE occurrence (SOL003 C(VnfLcmOpOcc)), when VNFCs were added or removed (not in check mode).
    - C(operationParams) repeats the request; C(resourceChanges.affectedVnfcs) lists the VNFCs C(ADDED) by a scale out or
      C(REMOVED) by a scale in, with their servers, and C(affectedVirtualStorages) their volumes.
    - C(operationState) is C(COMPLETED), C(ROLLED_BACK) (O(on_failure=rollback)) or C(FAILED_TEMP) (O(on_failure=keep),
      whose C(id) M(telco.nfvo.vnf_lcm_op_occ) takes); C(error) is a ProblemDetails on failure.
  returned: when changed (not in check mode)
  type: dict
  sample:
    id: 0b6d...
    operation: SCALE
    operationState: COMPLETED
    operationParams: {type: SCALE_OUT, aspectId: VDU1_scale, numberOfSteps: 2}
    resourceChanges:
      affectedVnfcs: [{id: VDU1-1, vduId: VDU1, changeType: ADDED}, {id: VDU1-2, vduId: VDU1, changeType: ADDED}]
vnf_instance:
  description: The VNF instance (SOL003 C(VnfInstance), as M(telco.nfvo.vnf) returns it) read again after the scaling; C(scaleStatus) has the new level.
  returned: always
  type: dict
  sample: {id: 3c8f..., vnfInstanceName: web-1, instantiatedVnfInfo: {scaleStatus: [{aspectId: VDU1_scale, scaleLevel: 2}]}}
plan:
  description: In check mode, the creates or deletes a scaling would make, in order. Empty when nothing would change.
  returned: in check mode
  type: list
  elements: dict
diff:
  description: The VNFCs, storages and scale levels before and after.
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.runners import new_vnfc_options, on_failure_option, run_options, run_vnf_scale_module


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            aspect_id=dict(type='str', required=True),
            type=dict(type='str', choices=['scale_out', 'scale_in'], default='scale_out'),
            number_of_steps=dict(type='int', default=1),
            **new_vnfc_options(), **on_failure_option(), **run_options()
        ),
        supports_check_mode=True,
    )
    run_vnf_scale_module(module)


if __name__ == '__main__':
    main()
