#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vnf_change
short_description: Change an instantiated VNF - information, external connectivity, flavour or package (SOL003 change operations)
version_added: 0.1.0
description:
  - Imperative ETSI SOL003 change operations of an instantiated VNF, for runbooks. M(telco.nfvo.vnf) converges to the same
    with a changed O(ext_virtual_links), O(vnf_instance_description), O(metadata), O(extensions) or O(flavour_id).
  - O(operation=modify_info) records the VNF's description, metadata and extensions on its instance record in the cloud
    (one tag update of the record). The same values change nothing (no write call).
  - O(operation=change_ext_conn) moves external CPs (the VduCps connected with O(ext_virtual_links)) to other networks,
    subnets or fixed IPs. For each VNFC of a CP - on the same network, its port's fixed IPs are updated (only when they
    differ); on another network a new port is made there (same name, tags and security groups), attached to the server,
    and the old port detached and deleted. The VNFC's other ports are kept and servers are never rebuilt. Ports already
    where they should be change nothing.
  - O(operation=change_flavour) moves the VNF to another deployment flavour O(flavour_id) of the same VNFD (O(package)),
    at O(instantiation_level_id) or the new flavour's default level. The difference is planned as a converge - the VDUs,
    virtual links, server groups and ports the new flavour adds are created first, then those it drops are deleted, and
    the instance record's flavour and level are written last, on success only. A VNFC of a VDU both flavours have keeps
    its server when the VDU is the same in both (compute, image, CPs, storage, server group); otherwise it is recreated
    with its ports and volumes kept (same fixed IPs). New VNFCs take the VNF's images, external networks and security
    group unless O(images), O(ext_virtual_links) give them.
  - O(operation=change_vnfpkg) moves the VNF to another version of its package - O(package) is then the package to move to (another version
    of the VNF's VNFD, or another VNFD of the same provider and product, with O(from_package)) - a rolling upgrade - per VDU
    O(max_unavailable) VNFCs at a time, each rebuilt in place on the new package's image (Nova rebuild - same server,
    ports, fixed IPs and attached volumes) or, when its VDU's compute flavour or volumes change or it boots from a volume,
    recreated - the old server deleted, then a new one of the new flavour, image and volumes made on the same ports (same
    fixed IPs); a volume of the same size and image is kept and attached again, another one is made anew and the old one
    deleted once the upgrade succeeded. A batch may mix rebuilds and recreates. The health gate O(health_check) runs after
    each batch. O(batch=next) runs one batch
    per task (the role C(telco.nfvo.vnf_upgrade) loops on it); the result's
    RV(upgrade.batches_left) says how many are left. The instance record names the new VNFD version once no batch is left.
    A rollback puts a recreated VNFC back as it was - its old flavour, image and volumes on the same ports. A recreate that
    would change the VNFC's ports (other CPs) is refused before any write. Check mode shows each VNFC's C(mode) (rebuild or
    recreate) and C(why). VNFCs on the new image already are not touched - the same package again changes nothing.
  - All are LCM operation occurrences (C(MODIFY_INFO), C(CHANGE_EXT_CONN), C(CHANGE_FLAVOUR), C(CHANGE_VNFPKG)) under the
    instance's lock.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  operation:
    description: The change to make.
    choices: [modify_info, change_ext_conn, change_flavour, change_vnfpkg]
    required: true
    type: str
  name:
    description: The VNF instance to change, by the name M(telco.nfvo.vnf) gave it.
    required: true
    type: str
  vnf_instance_name:
    description:
      - SOL003 C(vnfInstanceName) for O(operation=modify_info). The name is the VNF's identity here (its instance id, record
        and resources are named after it) - only its current name (O(name)) is accepted; another one is refused.
    type: str
  ext_virtual_links:
    description:
      - "For O(operation=change_ext_conn) (required), where the external CPs go, in the shapes M(telco.nfvo.vnf) takes - the
        ETSI C(ExtVirtualLinkData) list, or C({<VduCp>: <network>}) / C({<VduCp>: {network, fixed_ips}})."
      - The n-th C(cp_config) entry is for the n-th VNFC (index n-1) of the CP's VDU; a VNFC without one keeps its address on
        the same network, or gets one from DHCP on a new network. CPs not named are not touched.
      - Refused before any write, in one line - a CP that is not an external CP of the VNF, a network that is not found, a
        subnet of another network, a fixed IP outside the network's subnets (or the subnet given), one address given twice,
        more C(cp_config) entries than VNFCs.
      - For O(operation=change_flavour), the external connections of the new VNFCs, as for M(telco.nfvo.vnf). Not given, an
        external CP goes to the network of the same CP of the existing VNFCs; a new external CP with none is refused.
    type: raw
  flavour_id:
    description:
      - For O(operation=change_flavour) (required), the deployment flavour of the VNFD to move to. The VNF's own flavour
        changes nothing (or, with another O(instantiation_level_id), scales to that level).
      - Refused before any write, in one line - a flavour the VNFD does not have (naming those it has), a level the
        flavour does not have or one beyond a C(vdu_profile), a new external CP with no network, a CP of a kept VDU on
        another virtual link, a kept block storage of another size or image.
    type: str
  instantiation_level_id:
    description: For O(operation=change_flavour), the instantiation level of the new flavour. Default - its default level.
    type: str
  from_package:
    description:
      - For O(operation=change_vnfpkg) to a package of another VNFD id, the package the VNF runs now - its provider and
        product must be those of O(package).
    type: path
  max_unavailable:
    description:
      - "For O(operation=change_vnfpkg), how many VNFCs of a VDU are rebuilt or recreated at a time (a batch) - one number
        for every VDU, or C({<VDU>: <number>}). At least 1. Batch k changes the k-th group of every VDU at once."
    type: raw
    default: 1
  batch:
    description:
      - For O(operation=change_vnfpkg), V(all) runs every batch left, one after the other; V(next) only the first batch
        left, so that the playbook's own tasks can run between batches (RV(upgrade.batches_left) says when to stop).
    type: str
    choices: [all, next]
    default: all
  health_check:
    description:
      - For O(operation=change_vnfpkg), the gate after each batch - every server rebuilt or recreated is ACTIVE, and (when given) answers
        on a TCP port and / or at an HTTP URL. A failed check stops the upgrade (see O(on_failure)).
    type: dict
    suboptions:
      tcp_port:
        description: A TCP port that must accept a connection on each fixed IP of the VNFC.
        type: int
      http_url:
        description:
          - A URL that must answer with a status below 400; C({ip}) (the VNFC's first fixed IP), C({vnfc}) (its id, e.g.
            C(VDU1-0)) and C({name}) (its server's name) are replaced.
        type: str
      timeout:
        description: Seconds each VNFC may take to pass (the probes are tried again until then).
        type: int
        default: 60
extends_documentation_fragment:
  - telco.nfvo.lcm
  - telco.nfvo.lcm.info
  - telco.nfvo.lcm.new_vnfcs
  - telco.nfvo.package_limits
  - telco.nfvo.notify
  - telco.nfvo.lcm.on_failure
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - Check mode returns the plan and makes no write call; O(ext_virtual_links) and the values are checked all the same.
  - O(wait) has no effect here - a port is attached when the request returns, and a detach is always waited for.
  - A failed O(operation=change_ext_conn) undoes what it did in reverse order (O(on_failure=rollback) - new ports detached
    and deleted, fixed IPs set back, old ports attached again) and ends C(ROLLED_BACK); with O(on_failure=keep) it is
    C(FAILED_TEMP) - run the task again or retry it with M(telco.nfvo.vnf_lcm_op_occ) giving the same O(ext_virtual_links)
    (it goes on from what it finds), or mark it failed there.
  - A failed O(operation=change_vnfpkg) (a rebuild, or the health gate) stops; with O(on_failure=rollback) every VNFC on
    the new image (those of earlier O(batch=next) tasks too - the record still names the old version) is rebuilt back on
    its old image, C(ROLLED_BACK); with O(on_failure=keep) it is C(FAILED_TEMP) - run the task again to go on (the VNFCs on
    the new image are done), the task with the old package to go back, or mark it failed with M(telco.nfvo.vnf_lcm_op_occ).
  - O(operation=change_flavour) needs O(package) (the VNFD holds the flavours). A failure half-way deletes what it
    created (O(on_failure=rollback); C(ROLLED_BACK), the VNF in its old flavour - but for VNFCs it recreated or removed
    before the failure, then C(FAILED_TEMP)), or keeps it as C(FAILED_TEMP) (O(on_failure=keep)) - retry it with
    M(telco.nfvo.vnf_lcm_op_occ) (it goes on to the new flavour), roll it back there (back to the recorded flavour; both
    need O(package)) or mark it failed.
  - Ports are not charged - MODIFY_INFO and CHANGE_EXT_CONN add no usage events; CHANGE_FLAVOUR's servers and volumes
    created and deleted are usage events from the moment they changed; a server CHANGE_VNFPKG rebuilds keeps its id and
    size - its charge goes on unchanged.
seealso:
  - module: telco.nfvo.vnf
  - module: telco.nfvo.vnf_info
  - module: telco.nfvo.vnf_lcm_op_occ
'''

EXAMPLES = r'''
- name: Move CP1 of every VNFC to another network, VNFC 0 with a fixed IP
  telco.nfvo.vnf_change:
    cloud: nfvo-tenant
    name: web-1
    operation: change_ext_conn
    ext_virtual_links:
      - id: ext-2
        resource_id: provider-net-2
        ext_cps:
          - cpd_id: CP1
            cp_config:
              - fixed_ips: [{ip_address: 198.51.100.20}]
  register: moved

- name: Another address on the same network (a port update, the server untouched)
  telco.nfvo.vnf_change:
    cloud: nfvo-tenant
    name: web-1
    operation: change_ext_conn
    ext_virtual_links:
      CP1: {network: provider-net-2, fixed_ips: [198.51.100.21]}

- name: Upgrade to version 2.0 of the package, one VNFC of each VDU at a time, the health gate on port 80
  telco.nfvo.vnf_change:
    cloud: nfvo-tenant
    name: web-1
    operation: change_vnfpkg
    package: /srv/packages/web-2.0.zip
    max_unavailable: 1
    health_check: {http_url: 'http://{ip}/health', timeout: 120}
  register: upgraded

- name: One batch only (the role telco.nfvo.vnf_upgrade loops on this)
  telco.nfvo.vnf_change:
    cloud: nfvo-tenant
    name: web-1
    operation: change_vnfpkg
    package: /srv/packages/web-2.0.zip
    max_unavailable: {VDU1: 2}
    batch: next
  register: one_batch

- name: Move the VNF to its big deployment flavour (VNFCs added, kept ones untouched)
  telco.nfvo.vnf_change:
    cloud: nfvo-tenant
    name: web-1
    operation: change_flavour
    flavour_id: big
    instantiation_level_id: big_level_1
    package: /srv/vnf-packages/web.zip

- name: Describe the VNF and tag it for the operations team
  telco.nfvo.vnf_change:
    cloud: nfvo-tenant
    name: web-1
    operation: modify_info
    vnf_instance_description: web front end (production)
    metadata:
      owner: team-web
      ticket: null   # removes the key
    extensions:
      monitoring: {scrape: true}
'''

RETURN = r'''
lcm_op_occ:
  description:
    - The C(MODIFY_INFO), C(CHANGE_EXT_CONN) or C(CHANGE_FLAVOUR) occurrence (SOL003 C(VnfLcmOpOcc)) when something changed
      (not in check mode).
    - CHANGE_FLAVOUR - C(operationParams) has C(newFlavourId) and C(instantiationLevelId); C(resourceChanges) the VNFCs
      C(ADDED) and C(REMOVED) (a recreated one both), virtual links and storages.
    - MODIFY_INFO - C(operationParams) and C(changedInfo) hold the values given.
    - CHANGE_EXT_CONN - C(operationParams.extVirtualLinks) the links given; each VNFC whose server got or lost a port is a
      C(MODIFIED) entry of C(resourceChanges.affectedVnfcs); C(changedExtConnectivity) lists each link's network and its
      ports (C(extLinkPorts)) after the change. C(operationState) is C(COMPLETED), C(ROLLED_BACK) or C(FAILED_TEMP).
  returned: when changed (not in check mode)
  type: dict
  sample:
    id: 5d0c...
    operation: CHANGE_EXT_CONN
    operationState: COMPLETED
    resourceChanges: {affectedVnfcs: [{id: VDU1-0, vduId: VDU1, changeType: MODIFIED}]}
    changedExtConnectivity: [{id: ext-2, resourceHandle: {resourceId: 9a1e...}, extLinkPorts: [{id: 41c2..., cpInstanceId: VDU1-0-CP1}]}]
vnf_instance:
  description:
    - The VNF instance after the change (SOL003 C(VnfInstance), as M(telco.nfvo.vnf) returns it) - C(extCpInfo) shows the
      ports, C(vnfInstanceDescription), C(metadata) and C(extensions) the information.
  returned: always
  type: dict
  sample: {id: 3c8f..., vnfInstanceName: web-1, vnfInstanceDescription: web front end (production), metadata: {owner: team-web}}
plan:
  description:
    - In check mode, what the change would do, in order (port creates, updates, attaches, detaches, deletes; the record's
      update; for CHANGE_FLAVOUR the creates and deletes of the converge, each C(after) what it waits for). Empty when
      nothing would change.
  returned: in check mode
  type: list
  elements: dict
upgrade:
  description: For O(operation=change_vnfpkg), the batch plan as the task found the VNF and what the task did of it.
  returned: with O(operation=change_vnfpkg)
  type: dict
  contains:
    batches:
      description:
        - The batches, each a list of the VNFCs it changes (C(vnfc), C(server), C(mode) C(rebuild) or C(recreate), C(from_image),
          C(to_image); C(why) for a recreate, e.g. C(flavor 1 vCPU/512 MB/3 GB -> 1 vCPU/1024 MB/3 GB)).
      type: list
      elements: list
      returned: always
    batches_run:
      description: The batches this task ran (none in check mode).
      type: int
      returned: always
    batches_left:
      description: The batches left after this task - 0 when the VNF is on the new package; a rolled back upgrade has them all left.
      type: int
      returned: always
    upgraded_before:
      description: "C({VDU: [VNFC]}), the VNFCs on the new image already when the task began."
      type: dict
      returned: always
    vnfd_id:
      description: The VNFD id of the package moved to.
      type: str
      returned: always
    vnfd_version:
      description: The VNFD version of the package moved to.
      type: str
      returned: always
  sample: {batches: [[{vnfc: VDU1-0, mode: rebuild}], [{vnfc: VDU1-1, mode: rebuild}]], batches_run: 1, batches_left: 1, vnfd_version: '2.0'}
diff:
  description: The instance before and after (flavour, VNFCs, virtual links, description, metadata, extensions).
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.change import OPERATIONS
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.runners import (
    info_options, new_vnfc_options, on_failure_option, run_options, run_vnf_change_module)
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.upgrade import upgrade_options


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            operation=dict(type='str', choices=list(OPERATIONS), required=True),
            vnf_instance_name=dict(type='str'),
            ext_virtual_links=dict(type='raw'),
            flavour_id=dict(type='str'),
            instantiation_level_id=dict(type='str'),
            **{k: v for k, v in new_vnfc_options().items() if k != 'ext_virtual_links'},
            **upgrade_options(), **info_options(), **on_failure_option(), **run_options()
        ),
        supports_check_mode=True,
        required_if=[('operation', 'change_ext_conn', ('ext_virtual_links',)), ('operation', 'change_flavour', ('flavour_id', 'package')),
                     ('operation', 'change_vnfpkg', ('package',))],
    )
    run_vnf_change_module(module)


if __name__ == '__main__':
    main()
