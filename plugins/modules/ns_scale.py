#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ns_scale
short_description: Scale a network service - the whole NS by an NS scaling aspect or to an NS level, or one VNF of it (ETSI SOL005 SCALE)
version_added: 0.1.0
description:
  - Scales an NS made by M(telco.nfvo.ns) and records the NS LCM operation occurrence (C(SCALE)) on the NS record,
    holding the NS lock meanwhile (a stale lock is taken over). The options given choose what is scaled.
  - B(The whole NS by an NS scaling aspect) (C(scaleType) C(SCALE_NS), C(ScaleNsByStepsData)) - O(aspect_id) names an
    NS scaling aspect of the NSD (no O(vnf)); O(type) and O(number_of_steps) move its NS scale level, and each VNF
    node the NSD's VnfToLevelMapping of that aspect targets gets the number of VNF instances the mapping gives at the
    new level.
  - B(The whole NS to a level) (C(SCALE_NS), C(ScaleNsToLevelData)) - O(ns_instantiation_level_id) gives each VNF node
    the number of instances of its VnfToInstantiationLevelMapping at that NS level (the NS scale levels go back to
    0); or O(ns_scale_info) sets NS scale levels of aspects directly.
  - For both, the missing VNF instances are created in the NSD's dependency order, exactly as M(telco.nfvo.ns) creates
    VNFs - instance k > 1 of VNF node C(<node>) is the VNF C(<name>-<node>-<k>), on the same NS virtual links - and
    the surplus ones are terminated (reverse dependency order, highest index first). The record gets the new numbers
    of instances, the NS scale levels (C(nsScaleStatus)) and the NS level once every VNF succeeded. A failed scale
    leaves the record as it was - running the task again completes it. An NS already at the target is left alone
    without a write call.
  - B(One VNF node by its VNF scaling aspect) (C(SCALE_VNF)) - O(vnf) and O(aspect_id) (an aspect of that VNF's
    deployment flavour) - each VNF instance of node O(vnf) is scaled out or in by O(number_of_steps) steps, exactly as
    M(telco.nfvo.vnf_scale) scales the VNF instance C(<name>-<vnf>) (the same code).
  - Every refusal is one line before any write - an unknown VNF node, aspect or NS level, an NS scale level beyond
    0..C(max_scale_level) of the aspect, a number of instances outside the VNF node's C(vnf_profile)
    C(min_number_of_instances)..C(max_number_of_instances), a VNF left without the VNFs it depends on, an NS
    scaling aspect that scales a nested NS (not supported yet), a VNF node to grow without its O(vnfs) C(package).
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the NS instance (as given to M(telco.nfvo.ns)).
    type: str
    required: true
  vnf:
    description:
      - The VNF node (its name in the NSD) to scale by its VNF scaling aspect O(aspect_id) (C(SCALE_VNF)).
      - Leave it out to scale the whole NS (C(SCALE_NS)).
    type: str
  aspect_id:
    description:
      - With O(vnf), a scaling aspect of that VNF's deployment flavour; without, an NS scaling aspect of the NSD flavour
        (C(tosca.policies.nfv.NsScalingAspects)).
      - One of O(aspect_id), O(ns_instantiation_level_id) and O(ns_scale_info) is required.
    type: str
  type:
    description:
      - V(scale_out) adds (VNFCs of the VNF, or VNF instances of the NS), V(scale_in) removes them (the newest first).
    type: str
    choices: [scale_out, scale_in]
    default: scale_out
  number_of_steps:
    description: Number of scaling steps of O(aspect_id).
    type: int
    default: 1
  ns_instantiation_level_id:
    description: Scale the whole NS to this NS instantiation level of the NSD flavour (C(ScaleNsToLevelData.nsInstantiationLevel)).
    type: str
  ns_scale_info:
    description:
      - Scale the whole NS to these NS scale levels, NS scaling aspect -> level (an integer, 0..its C(max_scale_level))
        (C(ScaleNsToLevelData.nsScaleInfo)); aspects not given keep their level.
    type: dict
  nsd:
    description: Path of the NSD the NS was made from (file, directory or CSAR); the NS scaling modes need it (or O(spec)).
    type: path
  cidr_pool:
    description: CIDRs to allocate the VNF-internal virtual links of new VNF instances from, as for M(telco.nfvo.ns).
    type: list
    elements: str
  termination_type:
    description: How a surplus VNF instance is terminated (NS scaling in), as for M(telco.nfvo.ns).
    type: str
    choices: [graceful, forceful]
    default: graceful
  graceful_termination_timeout:
    description: Seconds to wait for a surplus VNF instance's servers to stop in a graceful termination.
    type: int
    default: 60
extends_documentation_fragment:
  - telco.nfvo.ns_spec
  - telco.nfvo.package_limits
  - telco.nfvo.ns_ops
  - telco.nfvo.lcm
  - telco.nfvo.notify
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - Check mode returns the plan and makes no write call; C(--diff) shows the NS before and after.
  - O(vnfs) must give the C(package) of each VNF node that gets VNF instances (NS scaling) or of O(vnf) (the VNFD gives
    the deltas per step); a VNF node that only loses instances needs none.
  - O(ns_scale_info), O(ns_instantiation_level_id) and O(aspect_id) exclude each other; O(vnf) needs O(aspect_id).
  - M(telco.nfvo.ns) run again on a scaled NS keeps its numbers of instances (it does not scale it back).
seealso:
  - module: telco.nfvo.ns
  - module: telco.nfvo.ns_info
  - module: telco.nfvo.vnf_scale
'''

EXAMPLES = r'''
- name: Scale NS shop out by one step of its NS scaling aspect web_scale (one more VNF web, shop-web-2)
  telco.nfvo.ns_scale:
    cloud: nfvo-tenant
    name: shop
    nsd: /srv/nsd/shop.yaml
    aspect_id: web_scale
    vnfs:
      web: {package: /srv/vnf-packages/web, images: {VDU1: cirros-0.6.3}}

- name: Scale NS shop back to its NS instantiation level small (surplus VNF instances terminated)
  telco.nfvo.ns_scale:
    cloud: nfvo-tenant
    name: shop
    nsd: /srv/nsd/shop.yaml
    ns_instantiation_level_id: small

- name: Set NS scale level 1 of aspect web_scale
  telco.nfvo.ns_scale:
    cloud: nfvo-tenant
    name: shop
    nsd: /srv/nsd/shop.yaml
    ns_scale_info: {web_scale: 1}
    vnfs:
      web: {package: /srv/vnf-packages/web, images: {VDU1: cirros-0.6.3}}

- name: Scale VNF web of NS shop out by one step of its VNF aspect (VNFCs)
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
  description:
    - The NS instance after scaling (SOL005 C(NsInstance), as M(telco.nfvo.ns_info) returns it) - C(vnfInstance) holds
      every VNF instance (C(<name>-<node>-<k>) included), C(nsScaleStatus) the NS scale level of each aspect scaled
      (C(nsScalingAspectId), C(nsScaleLevelId)), C(metadata.vnfInstances) the number of instances of each VNF node,
      C(metadata.nsInstantiationLevelId) the NS level. With O(vnf), the scaled VNF's C(instantiatedVnfInfo.scaleStatus)
      has its new aspect level.
  returned: always
  type: dict
ns_lcm_op_occ:
  description:
    - The SCALE occurrence (SOL005 C(NsLcmOpOcc)) when something changed - C(operationParams.scaleType) C(SCALE_NS)
      (C(scaleNsData) with C(scaleNsByStepsData) or C(scaleNsToLevelData)) or C(SCALE_VNF) (C(scaleVnfData)).
    - C(resourceChanges.affectedVnfs) - each VNF instance made (C(ADD)), terminated (C(REMOVE)) or scaled (C(MODIFY)),
      C(vnfProfileId) its VNF node, C(changeResult), and the C(vnfLcmOpOccId) of its own occurrence; C(operationState)
      C(COMPLETED), C(PARTIALLY_COMPLETED) or C(FAILED_TEMP), C(error) a ProblemDetails on failure. Recorded on the NS
      record too.
  returned: when changed (not in check mode)
  type: dict
usage_events:
  description: The billable changes of the run, each carrying the NS id, for the callback C(telco.nfvo.usage).
  returned: always
  type: list
  elements: dict
plan:
  description: In check mode, the creates or deletes of each VNF instance in order, C(vnf) naming it (C(<node>) or C(<node>-<k>)).
  returned: in check mode
  type: list
  elements: dict
diff:
  description: The NS summary before and after (its VLs, each VNF touched).
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.ns.runners import ns_descriptor_options, ns_operation_options, run_ns_scale_module


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            vnf=dict(type='str'),
            aspect_id=dict(type='str'),
            type=dict(type='str', choices=['scale_out', 'scale_in'], default='scale_out'),
            number_of_steps=dict(type='int', default=1),
            ns_instantiation_level_id=dict(type='str'),
            ns_scale_info=dict(type='dict'),
            **ns_descriptor_options(), **ns_operation_options()
        ),
        supports_check_mode=True,
        required_one_of=[('aspect_id', 'ns_instantiation_level_id', 'ns_scale_info')],
        mutually_exclusive=[('aspect_id', 'ns_instantiation_level_id', 'ns_scale_info'), ('vnf', 'ns_instantiation_level_id'),
                            ('vnf', 'ns_scale_info'), ('nsd', 'spec')],
        required_by={'vnf': 'aspect_id'},
    )
    run_ns_scale_module(module)


if __name__ == '__main__':
    main()
