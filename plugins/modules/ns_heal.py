#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ns_heal
short_description: Heal the VNFs of a network service (ETSI SOL005 HEAL)
version_added: 0.1.0
description:
  - Heals each VNF of O(vnf_nodes) (default every VNF of the NS) as M(telco.nfvo.vnf_heal) heals it with its defaults
    (the same code) - the VNFCs it counts unhealthy (no server, server in ERROR, SHUTOFF while it should run, a port
    missing or DOWN) - the VNFs concurrently, and records the NS LCM operation occurrence (C(HEAL)) on the NS record,
    holding the NS lock meanwhile (a stale lock is taken over).
  - An NS whose VNFs are all healthy is left alone without a single write call.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the NS instance (as given to M(telco.nfvo.ns)).
    type: str
    required: true
  vnf_nodes:
    description: The VNF nodes (names in the NSD) to heal. Default, every VNF of the NS.
    type: list
    elements: str
  strategy:
    description: How to heal, as for M(telco.nfvo.vnf_heal); V(recreate) needs each VNF's C(package) in O(vnfs).
    type: str
    choices: [recreate, reboot, rebuild]
    default: recreate
  cause:
    description: Why (recorded in the occurrences' C(operationParams)).
    type: str
extends_documentation_fragment:
  - telco.nfvo.package_limits
  - telco.nfvo.ns_ops
  - telco.nfvo.lcm
  - telco.nfvo.notify
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - Check mode returns the plan and makes no write call. An unknown VNF node fails in one line before any write.
seealso:
  - module: telco.nfvo.ns
  - module: telco.nfvo.vnf_heal
'''

EXAMPLES = r'''
- name: Heal whatever is broken in NS shop
  telco.nfvo.ns_heal:
    cloud: nfvo-tenant
    name: shop
    vnfs:
      db: {package: /srv/vnf-packages/helloworld3}
      web: {package: /srv/vnf-packages/helloworld3}
'''

RETURN = r'''
ns_instance:
  description: The NS instance after healing (SOL005 C(NsInstance), with its C(metadata.drift), as M(telco.nfvo.ns_info) returns it).
  returned: always
  type: dict
ns_lcm_op_occ:
  description:
    - The HEAL occurrence (SOL005 C(NsLcmOpOcc)) when some VNF had VNFCs to heal - C(resourceChanges.affectedVnfs)
      holds each healed VNF (C(MODIFY)) with the C(vnfLcmOpOccId) of its HEAL occurrence; C(operationState)
      C(COMPLETED), C(PARTIALLY_COMPLETED) (some VNFs healed, others failed) or C(FAILED_TEMP). Recorded on the NS record too.
  returned: when changed (not in check mode)
  type: dict
usage_events:
  description: The billable changes of the run, each carrying the NS id, for the callback C(telco.nfvo.usage).
  returned: always
  type: list
  elements: dict
plan:
  description: In check mode, the actions healing each VNF would take, C(vnf) naming its node.
  returned: in check mode
  type: list
  elements: dict
diff:
  description: The NS summary before and after (its VLs, each VNF touched).
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.ns.runners import ns_operation_options, run_ns_heal_module


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            vnf_nodes=dict(type='list', elements='str'),
            strategy=dict(type='str', choices=['recreate', 'reboot', 'rebuild'], default='recreate'),
            cause=dict(type='str'),
            **ns_operation_options()
        ),
        supports_check_mode=True,
    )
    run_ns_heal_module(module)


if __name__ == '__main__':
    main()
