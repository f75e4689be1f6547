#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ns_update
short_description: Add VNFs to or remove VNFs from a network service (ETSI SOL005 UPDATE, ADD_VNF / REMOVE_VNF)
version_added: 0.1.0
description:
  - O(update_type=add_vnf) instantiates the VNF nodes O(vnf_nodes) of the NS's NSD as M(telco.nfvo.ns) would (VNF
    instance C(<name>-<node>), its CPs on the NS virtual links), in dependency order; O(update_type=remove_vnf)
    terminates them in reverse dependency order. The NS record's members follow (M(telco.nfvo.ns_info) and
    M(telco.nfvo.ns) with C(state=absent) know the new set), and the NS LCM operation occurrence (C(UPDATE)) is recorded on
    it, holding the NS lock meanwhile (a stale lock is taken over).
  - Fails in one line before any write on a VNF node the NSD (add) or the NS (remove) lacks, a VNF added without the
    VNFs it depends on, a VNF removed while another one staying depends on it, an NSD other than the NS's.
  - Idempotent - adding a VNF the NS has, or removing one it does not have, changes nothing.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the NS instance (as given to M(telco.nfvo.ns)).
    type: str
    required: true
  update_type:
    description: V(add_vnf) (SOL005 C(ADD_VNF)) or V(remove_vnf) (C(REMOVE_VNF)).
    type: str
    choices: [add_vnf, remove_vnf]
    required: true
  vnf_nodes:
    description: The VNF nodes (names in the NSD) to add or remove.
    type: list
    elements: str
    required: true
  nsd:
    description:
      - Path of the NS's NSD (as for M(telco.nfvo.ns)); it gives the dependencies and, for O(update_type=add_vnf), the VNF
        nodes. One of O(nsd) and O(spec) is required.
    type: path
  cidr_pool:
    description: CIDRs to allocate the added VNFs' internal virtual link subnets from, as for M(telco.nfvo.ns).
    type: list
    elements: str
  termination_type:
    description: How O(update_type=remove_vnf) terminates each VNF, as for M(telco.nfvo.vnf).
    type: str
    choices: [graceful, forceful]
    default: graceful
  graceful_termination_timeout:
    description: Seconds to wait for a VNF's servers to stop in a graceful termination.
    type: int
    default: 60
  vnfs:
    description:
      - Per VNF node (keyed by its node name in the NSD), for O(update_type=add_vnf) the options M(telco.nfvo.ns) takes - C(package) (required
        for each VNF added), C(images), C(flavour_id), C(instantiation_level_id), C(ext_virtual_links), C(additional_params).
    type: dict
    default: {}
  on_failure:
    description: What a VNF operation that fails does with what it created (V(rollback) or V(keep)), as for M(telco.nfvo.vnf).
    type: str
    choices: [rollback, keep]
    default: rollback
extends_documentation_fragment:
  - telco.nfvo.package_limits
  - telco.nfvo.ns_spec
  - telco.nfvo.lcm
  - telco.nfvo.notify
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - Check mode returns the plan (each VNF's actions) and makes no write call.
  - A VNF node removed from the NSD or from the C(vnfs) of M(telco.nfvo.ns) is never terminated by M(telco.nfvo.ns) - remove it with this module.
seealso:
  - module: telco.nfvo.ns
  - module: telco.nfvo.ns_info
'''

EXAMPLES = r'''
- name: Remove VNF web from NS shop
  telco.nfvo.ns_update:
    cloud: nfvo-tenant
    name: shop
    nsd: /srv/nsd/two_vnfs_one_vl.yaml
    update_type: remove_vnf
    vnf_nodes: [web]

- name: Add it back
  telco.nfvo.ns_update:
    cloud: nfvo-tenant
    name: shop
    nsd: /srv/nsd/two_vnfs_one_vl.yaml
    update_type: add_vnf
    vnf_nodes: [web]
    vnfs:
      web: {package: /srv/vnf-packages/helloworld3, images: {VDU1: cirros-0.6.3, VirtualStorage: cirros-0.6.3}}
'''

RETURN = r'''
ns_instance:
  description: The NS instance after the update (SOL005 C(NsInstance)); C(metadata.members.vnfs) is the new set of VNF nodes.
  returned: always
  type: dict
ns_lcm_op_occ:
  description:
    - The UPDATE occurrence (SOL005 C(NsLcmOpOcc); C(operationParams.updateType) C(ADD_VNF) or C(REMOVE_VNF)) when VNFs
      were added or removed - C(resourceChanges.affectedVnfs) holds each (C(ADD) or C(REMOVE), C(changeResult)) with the
      C(vnfLcmOpOccId) of its INSTANTIATE or TERMINATE occurrence. Recorded on the NS record too.
  returned: when changed (not in check mode)
  type: dict
usage_events:
  description: The billable changes of the run, each carrying the NS id, for the callback C(telco.nfvo.usage).
  returned: always
  type: list
  elements: dict
plan:
  description: In check mode, the instantiation or termination actions of each VNF, C(vnf) naming its node.
  returned: in check mode
  type: list
  elements: dict
diff:
  description: The NS summary before and after (its VLs, each VNF touched).
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.ns.runners import ns_descriptor_options, ns_operation_options, run_ns_update_module


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            update_type=dict(type='str', choices=['add_vnf', 'remove_vnf'], required=True),
            vnf_nodes=dict(type='list', elements='str', required=True),
            **ns_descriptor_options(), **ns_operation_options()
        ),
        supports_check_mode=True,
        required_one_of=[('nsd', 'spec')],
        mutually_exclusive=[('nsd', 'spec')],
    )
    run_ns_update_module(module)


if __name__ == '__main__':
    main()
