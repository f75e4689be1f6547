#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ns_update
short_description: Add or remove VNFs of a network service, or change their deployment flavour (ETSI SOL005 UPDATE)
version_added: 0.1.0
description:
  - O(update_type=add_vnf) instantiates the VNF nodes O(vnf_nodes) of the NS's NSD as M(telco.nfvo.ns) would (VNF
    instance C(<name>-<node>), its CPs on the NS virtual links), in dependency order; O(update_type=remove_vnf)
    terminates them in reverse dependency order. The NS record's members follow (M(telco.nfvo.ns_info) and
    M(telco.nfvo.ns) with C(state=absent) know the new set), and the NS LCM operation occurrence (C(UPDATE)) is recorded on
    it, holding the NS lock meanwhile (a stale lock is taken over).
  - O(update_type=change_vnf_df) moves each VNF node of O(change_vnf_flavour_data) (every VNF instance of it, in
    deployment order) to another deployment flavour of its VNFD (and an instantiation level of it) with the VNF's own
    flavour change (what M(telco.nfvo.vnf_change) with C(operation=change_flavour) does - VNFCs
    recreated only where their VDU differs, creates before deletes, each VNF its own C(CHANGE_FLAVOUR) occurrence). The
    NS record holds the new VNF flavours (C(ns_instance.metadata.members.flavours)); M(telco.nfvo.ns) run again keeps
    them unless its C(vnfs.<node>.flavour_id) names another. A VNF whose change fails is rolled back by its own
    occurrence (O(on_failure=rollback)) or kept C(FAILED_TEMP); the NS occurrence is then C(FAILED_TEMP) (or
    C(PARTIALLY_COMPLETED) when other VNFs changed), and the record keeps that node's flavour as it was.
  - Fails in one line before any write on a VNF node the NSD (add) or the NS (remove, change_vnf_df) lacks, a VNF added
    without the VNFs it depends on, a VNF removed while another one staying depends on it, an NSD other than the NS's,
    a VNF flavour or instantiation level the node's VNFD lacks, a new flavour without an external CP the NSD attaches.
  - Idempotent - adding a VNF the NS has, removing one it does not have, or moving a VNF to the flavour it is on,
    changes nothing (no write).
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the NS instance (as given to M(telco.nfvo.ns)).
    type: str
    required: true
  update_type:
    description: V(add_vnf) (SOL005 C(ADD_VNF)), V(remove_vnf) (C(REMOVE_VNF)) or V(change_vnf_df) (C(CHANGE_VNF_DF)).
    type: str
    choices: [add_vnf, remove_vnf, change_vnf_df]
    required: true
  vnf_nodes:
    description: The VNF nodes (names in the NSD) to add or remove; required for O(update_type=add_vnf) and O(update_type=remove_vnf).
    type: list
    elements: str
  change_vnf_flavour_data:
    description:
      - For O(update_type=change_vnf_df) (required then), SOL005 C(changeVnfFlavourData) - per VNF node of the NS, the
        deployment flavour of its VNFD to move to. C(vnfs.<node>.package) is needed for each (the VNF's servers are made
        from it); images, external networks and the security group are the VNF's own unless C(vnfs.<node>) gives them.
    type: list
    elements: dict
    suboptions:
      vnf_node:
        description: The VNF node (name in the NSD); every VNF instance of it moves.
        type: str
        required: true
      new_flavour_id:
        description: The deployment flavour of the node's VNFD to move to.
        type: str
        required: true
      instantiation_level_id:
        description: An instantiation level of the new flavour (default - its default level).
        type: str
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
      - For O(update_type=change_vnf_df), C(package) (required for each node moved), and optionally C(images),
        C(ext_virtual_links), C(additional_params); its C(flavour_id) and C(instantiation_level_id) are left out
        (O(change_vnf_flavour_data) gives them).
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

- name: Move VNF node app of NS shop to the VNF flavour big (SOL005 CHANGE_VNF_DF)
  telco.nfvo.ns_update:
    cloud: nfvo-tenant
    name: shop
    nsd: /srv/nsd/two_flavours_ns.yaml
    update_type: change_vnf_df
    change_vnf_flavour_data:
      - {vnf_node: app, new_flavour_id: big, instantiation_level_id: big_level}
    vnfs:
      app: {package: /srv/vnf-packages/two_flavours}
'''

RETURN = r'''
ns_instance:
  description:
    - The NS instance after the update (SOL005 C(NsInstance)); C(metadata.members.vnfs) is the new set of VNF nodes,
      C(metadata.members.flavours) the VNF nodes the record holds on another VNF flavour than the NSD's (C(<flavour>) or
      C(<flavour>/<level>)); each C(vnfInstance) has its C(flavourId).
  returned: always
  type: dict
ns_lcm_op_occ:
  description:
    - The UPDATE occurrence (SOL005 C(NsLcmOpOcc); C(operationParams.updateType) C(ADD_VNF), C(REMOVE_VNF) or
      C(CHANGE_VNF_DF) with C(operationParams.changeVnfFlavourData), one per VNF instance) when VNFs were added, removed
      or moved - C(resourceChanges.affectedVnfs) holds each (C(ADD), C(REMOVE) or C(MODIFY), C(changeResult)) with the
      C(vnfLcmOpOccId) of its INSTANTIATE, TERMINATE or CHANGE_FLAVOUR occurrence. Recorded on the NS record too.
  returned: when changed (not in check mode)
  type: dict
usage_events:
  description: The billable changes of the run, each carrying the NS id, for the callback C(telco.nfvo.usage).
  returned: always
  type: list
  elements: dict
plan:
  description: In check mode, the instantiation, termination or flavour change actions of each VNF, C(vnf) naming its node.
  returned: in check mode
  type: list
  elements: dict
diff:
  description: The NS summary before and after (its VLs, each VNF touched).
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.ns.runners import ns_descriptor_options, ns_operation_options, ns_update_options, run_ns_update_module


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            **ns_update_options(), **ns_descriptor_options(), **ns_operation_options()
        ),
        supports_check_mode=True,
        required_if=[('update_type', 'add_vnf', ('vnf_nodes',)), ('update_type', 'remove_vnf', ('vnf_nodes',)),
                     ('update_type', 'change_vnf_df', ('change_vnf_flavour_data',))],
        required_one_of=[('nsd', 'spec')],
        mutually_exclusive=[('nsd', 'spec')],
    )
    run_ns_update_module(module)


if __name__ == '__main__':
    main()
