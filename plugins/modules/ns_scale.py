#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ns_scale
short_description: Scale one VNF of a network service through the NS (ETSI SOL005 SCALE, SCALE_VNF)
version_added: 0.1.0
description:
  - Scales VNF node O(vnf) of an NS made by M(telco.nfvo.ns) out or in by O(number_of_steps) steps of its VNF scaling
    aspect O(aspect_id), exactly as M(telco.nfvo.vnf_scale) scales the VNF instance C(<name>-<vnf>) (the same code),
    and records the NS LCM operation occurrence (C(SCALE)) on the NS record, holding the NS lock meanwhile (a stale
    lock is taken over).
  - A level out of the aspect's range, an unknown aspect or an unknown VNF node fails in one line before any write.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the NS instance (as given to M(telco.nfvo.ns)).
    type: str
    required: true
  vnf:
    description: The VNF node (its name in the NSD) to scale.
    type: str
    required: true
  aspect_id:
    description: Scaling aspect of that VNF's deployment flavour.
    type: str
    required: true
  type:
    description: V(scale_out) adds VNFCs, V(scale_in) removes them (the newest first).
    type: str
    choices: [scale_out, scale_in]
    default: scale_out
  number_of_steps:
    description: Number of scaling steps.
    type: int
    default: 1
extends_documentation_fragment:
  - telco.nfvo.ns_ops
  - telco.nfvo.lcm
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - Check mode returns the plan and makes no write call. O(vnfs) must give the C(package) of the VNF node (the VNFD gives the deltas per step).
  - Scaling the NS by an NS scaling aspect or to an NS instantiation level changes the number of instances of VNF
    nodes (VnfToLevelMapping); one instance per VNF node is deployed so far, so this module scales a VNF of the NS.
seealso:
  - module: telco.nfvo.ns
  - module: telco.nfvo.vnf_scale
'''

EXAMPLES = r'''
- name: Scale VNF web of NS shop out by one step
  telco.nfvo.ns_scale:
    cloud: nfvo-tenant
    name: shop
    vnf: web
    aspect_id: worker_instance
    vnfs:
      web: {package: /srv/vnf-packages/helloworld3}
'''

RETURN = r'''
ns_instance:
  description: The NS instance after scaling (SOL005 C(NsInstance), as M(telco.nfvo.ns_info) returns it); the scaled VNF's
    C(instantiatedVnfInfo.scaleStatus) has its new aspect level.
  returned: always
  type: dict
ns_lcm_op_occ:
  description:
    - The SCALE occurrence (SOL005 C(NsLcmOpOcc), C(scaleType) C(SCALE_VNF)) when VNFCs were added or removed -
      C(resourceChanges.affectedVnfs) holds the scaled VNF (C(MODIFY)) and the C(vnfLcmOpOccId) of its own SCALE
      occurrence (whose C(affectedVnfcs) are the VNFCs added or removed); C(operationState) C(COMPLETED) or
      C(FAILED_TEMP), C(error) a ProblemDetails on failure. Recorded on the NS record too.
  returned: when changed (not in check mode)
  type: dict
usage_events:
  description: The billable changes of the run, each carrying the NS id, for the callback C(telco.nfvo.usage).
  returned: always
  type: list
  elements: dict
plan:
  description: In check mode, the scaled VNF's creates or deletes in order, C(vnf) naming its node.
  returned: in check mode
  type: list
  elements: dict
diff:
  description: The NS summary before and after (its VLs, each VNF touched).
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.ns.runners import ns_operation_options, run_ns_scale_module


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            vnf=dict(type='str', required=True),
            aspect_id=dict(type='str', required=True),
            type=dict(type='str', choices=['scale_out', 'scale_in'], default='scale_out'),
            number_of_steps=dict(type='int', default=1),
            **ns_operation_options()
        ),
        supports_check_mode=True,
    )
    run_ns_scale_module(module)


if __name__ == '__main__':
    main()
