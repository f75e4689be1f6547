#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ns
short_description: Instantiate or terminate a network service (ETSI NSD) of several VNFs and NS virtual links on OpenStack
version_added: 0.1.0
description:
  - Declarative ETSI SOL005 lifecycle of an NS instance. O(state=present) creates the NS virtual links of the NSD
    flavour (a Neutron network and subnet each, named C(nfvo-ns-<name>-<VL>)), then the VNFs in the NSD's dependency
    order - VNFs that do not depend on each other concurrently - each exactly as M(telco.nfvo.vnf) would (VNF instance
    C(<name>-<VNF node>), marked with the NS id), its external CPs that the NSD attaches to an NS virtual link on that
    link's network. O(state=absent) terminates the VNFs in reverse dependency order, then deletes the virtual links and
    the NS record.
  - The NS record is a Neutron security group C(nfvo-ns-<name>) tagged C(nfvo:role=ns-anchor), C(nfvo:ns=<NS id>) (stable
    for a project and name), the NSD id, flavour, level and the constituents it expects; it holds the NS lock (two runs on
    one NS never both act) and the last NS LCM operation.
  - A VNF that fails rolls back what this run created (VNFs, virtual links, the record if new) with O(on_failure=rollback),
    or keeps what succeeded with O(on_failure=keep) - the occurrence is then C(PARTIALLY_COMPLETED) (C(FAILED_TEMP)
    when no VNF succeeded). Running the task again resumes - finished VNFs are not touched, failed or missing ones are
    created. An NS that is as asked is left alone without a single write call.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the NS instance, unique in the project (C(nsInstanceName)).
    type: str
    required: true
  state:
    description: V(present) instantiates (or resumes, or leaves alone) the NS; V(absent) terminates it.
    type: str
    choices: [present, absent]
    default: present
  nsd:
    description:
      - Path of the NSD (a YAML file, a directory or a CSAR), read as M(telco.nfvo.vnf_package) reads VNFDs (ETSI SOL001
        NSD types 2.5.1 - 4.4.1). With O(state=present), one of O(nsd) and O(spec) is required.
    type: path
  ns_flavour_id:
    description: NS deployment flavour. May be left out when the NSD has one.
    type: str
  ns_instantiation_level_id:
    description:
      - NS instantiation level (default - the flavour's default level), recorded on the NS record. Each VNF node gets
        the number of VNF instances the NSD's VnfToInstantiationLevelMapping gives it at that level (without one, its
        C(vnf_profile.min_number_of_instances)) - instance k > 1 of node C(<node>) is the VNF C(<name>-<node>-<k>),
        deployed, wired and terminated as the first; a VNF node with no instance at that level is not deployed.
      - On an NS that exists, leave it out (or give the recorded level) - the NS keeps its numbers of VNF instances and
        NS scale levels, also after M(telco.nfvo.ns_scale) changed them; another level is refused (move the NS to it
        with M(telco.nfvo.ns_scale)).
    type: str
  vnfs:
    description:
      - Per VNF node of the NSD (keyed by its node name), the VNF package and the options of M(telco.nfvo.vnf). Every
        VNF node must have its C(package), holding the VNFD the NSD names. An entry may hold
      - C(package) (path of the VNF package, SOL004 CSAR zip or directory; required),
      - C(images) (map of VDU, storage or software image name to a Glance image name or id, as for M(telco.nfvo.vnf)),
      - C(flavour_id) (VNF deployment flavour, instead of the one the NSD's VNF node names; on an instantiated VNF another
        one converges it to that flavour - the VNF's CHANGE_FLAVOUR - and the NS record holds it; left out, the flavour
        the NS record holds from M(telco.nfvo.ns_update) O(telco.nfvo.ns_update#module:update_type=change_vnf_df) is kept),
      - C(instantiation_level_id) (VNF instantiation level, instead of the VNF node's C(vnf_profile.instantiation_level)),
      - C(ext_virtual_links) (external links of CPs the NSD does not attach to an NS virtual link, in the shapes
        M(telco.nfvo.vnf) accepts; a CP the NSD attaches is refused here),
      - C(additional_params) (server options C(user_data), C(key_name), C(availability_zone), C(server_metadata),
        C(vdu_params), as for M(telco.nfvo.vnf); user data is never shown).
    type: dict
    default: {}
  cidr_pool:
    description:
      - CIDRs to allocate /24 subnets from, for NS virtual links whose NSD gives no CIDR and the VNFs' internal virtual
        links without one, never overlapping a subnet the project can see (as M(telco.nfvo.vnf) does).
    type: list
    elements: str
  on_failure:
    description:
      - V(rollback) removes what the failed run created (VNFs, virtual links, the NS record if new) - C(ROLLED_BACK).
      - V(keep) keeps it - C(PARTIALLY_COMPLETED) when some VNFs succeeded, else C(FAILED_TEMP); run again to resume.
    type: str
    choices: [rollback, keep]
    default: rollback
  termination_type:
    description: How O(state=absent) terminates each VNF, as for M(telco.nfvo.vnf).
    type: str
    choices: [graceful, forceful]
    default: graceful
  graceful_termination_timeout:
    description: Seconds to wait for a VNF's servers to stop in a graceful termination.
    type: int
    default: 60
extends_documentation_fragment:
  - telco.nfvo.ns_spec
  - telco.nfvo.package_limits
  - telco.nfvo.lcm
  - telco.nfvo.notify
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - Check mode returns the whole-NS plan (RV(plan) - the record, the virtual links, each VNF's actions) and makes no
    write call. With C(--diff) the module shows the NS before and after.
  - The VNF instance of VNF node C(<node>) is named C(<name>-<node>) (its instance k > 1 C(<name>-<node>-<k>));
    M(telco.nfvo.vnf_info) lists them by C(ns_instance_id). O(limits) applies to reading each VNF package.
  - SAPs bound to an NS virtual link connect their CPs to it; a SAP with no internal virtual link needs the CP in the VNF's C(ext_virtual_links).
    Nested NSs are not supported yet.
  - Scale the NS (or a VNF of it) with M(telco.nfvo.ns_scale), heal with M(telco.nfvo.ns_heal), add or remove VNFs with
    M(telco.nfvo.ns_update).
seealso:
  - module: telco.nfvo.ns_info
  - module: telco.nfvo.vnf
'''

EXAMPLES = r'''
- name: Deploy an NS of two VNFs over one NS virtual link
  telco.nfvo.ns:
    cloud: nfvo-tenant
    name: shop
    nsd: /srv/nsd/two_vnfs_one_vl.yaml
    cidr_pool: [10.60.0.0/16]
    vnfs:
      db:
        package: /srv/vnf-packages/helloworld3
        images: {VDU1: cirros-0.6.3, VirtualStorage: cirros-0.6.3}
      web:
        package: /srv/vnf-packages/helloworld3
        images: {VDU1: cirros-0.6.3, VirtualStorage: cirros-0.6.3}
    on_failure: keep
  register: shop

- name: The same NS from a compact spec kept in Git (no TOSCA), e.g. examples/ns/two_vnfs.yml as vars
  telco.nfvo.ns:
    cloud: nfvo-tenant
    name: shop
    spec: "{{ ns_spec }}"
    vnfs:
      db: {package: /srv/vnf-packages/helloworld3, images: {VDU1: cirros-0.6.3, VirtualStorage: cirros-0.6.3}}
      web: {package: /srv/vnf-packages/helloworld3, images: {VDU1: cirros-0.6.3, VirtualStorage: cirros-0.6.3}}

- name: Its VNFs
  ansible.builtin.debug:
    msg: "{{ shop.ns_instance.vnfInstance | map(attribute='vnfInstanceName') }}"

- name: Terminate it
  telco.nfvo.ns:
    cloud: nfvo-tenant
    name: shop
    state: absent
'''

RETURN = r'''
ns_instance:
  description:
    - The NS instance as ETSI SOL005 C(NsInstance) - C(id), C(nsInstanceName), C(nsdId), C(flavourId), C(nsState),
      C(vnfInstance) (the SOL003 C(VnfInstance) of each VNF, as M(telco.nfvo.vnf) returns it), C(virtualLinkInfo)
      (C(nsVirtualLinkDescId), C(resourceHandle) of the network and subnet, C(cidr)), C(sapInfo), C(nsScaleStatus)
      (C(nsScalingAspectId), C(nsScaleLevelId) of each NS scaling aspect M(telco.nfvo.ns_scale) scaled).
    - C(metadata) adds C(nsInstantiationLevelId), C(vnfNodes) (VNF instance id -> VNF node), C(members) (what the
      record expects), C(vnfInstances) (VNF node -> number of VNF instances), C(lastOperation) and C(lock).
  returned: always
  type: dict
  sample:
    id: 2d1e...
    nsInstanceName: shop
    nsdId: 5b0c5d3e-8a8e-4c36-9d1a-2f0f3c1f0a01
    flavourId: default
    nsState: INSTANTIATED
    vnfInstance: [{id: 6c1b..., vnfInstanceName: shop-db, instantiationState: INSTANTIATED}]
    virtualLinkInfo: [{id: 0f3a..., nsVirtualLinkDescId: ns_vl, cidr: [10.10.0.0/24]}]
ns_lcm_op_occ:
  description:
    - The NS LCM operation occurrence (SOL005 C(NsLcmOpOcc)) when the module changed something - C(id),
      C(lcmOperationType) (C(INSTANTIATE), C(TERMINATE)), C(operationState) (C(COMPLETED), C(PARTIALLY_COMPLETED),
      C(FAILED_TEMP), C(ROLLED_BACK)), C(nsInstanceId), C(startTime), C(stateEnteredTime), C(operationParams),
      C(resourceChanges) (C(affectedVnfs) with each VNF's C(vnfLcmOpOccId), C(affectedVls)) and C(error) (a
      ProblemDetails) when it failed.
  returned: when changed (not in check mode)
  type: dict
usage_events:
  description:
    - One usage event per billable change the run made (as M(telco.nfvo.vnf) returns them; NS virtual link networks
      included), each carrying the NS id, for the callback plugin C(telco.nfvo.usage). Empty in check mode and when
      nothing changed.
  returned: always
  type: list
  elements: dict
plan:
  description:
    - In check mode, the actions the module would take, in order - the NS record, the virtual links, then each VNF's
      actions (C(vnf) names its node; the other keys as in the plan of M(telco.nfvo.vnf)).
  returned: in check mode
  type: list
  elements: dict
diff:
  description: Before/after summary of the NS (its state, virtual links, each VNF's summary).
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.runners import on_failure_option, run_options
from ansible_collections.telco.nfvo.plugins.module_utils.ns.runners import run_ns_module
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.runners import limits_option


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            nsd=dict(type='path'),
            spec=dict(type='raw'),
            ns_flavour_id=dict(type='str'),
            ns_instantiation_level_id=dict(type='str'),
            vnfs=dict(type='dict', default={}),
            cidr_pool=dict(type='list', elements='str'),
            termination_type=dict(type='str', choices=['graceful', 'forceful'], default='graceful'),
            graceful_termination_timeout=dict(type='int', default=60),
            **limits_option(), **on_failure_option(), **run_options()
        ),
        supports_check_mode=True,
        required_if=[('state', 'present', ('nsd', 'spec'), True)],
        mutually_exclusive=[('nsd', 'spec')],
    )
    run_ns_module(module)


if __name__ == '__main__':
    main()
