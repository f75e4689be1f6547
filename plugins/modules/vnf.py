#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vnf
short_description: Instantiate or terminate a VNF instance on OpenStack from an ETSI VNF package
version_added: 0.1.0
description:
  - Declarative ETSI SOL003 lifecycle of a VNF instance. O(state=present) converges the instance to INSTANTIATED at
    the requested deployment flavour and instantiation level; O(state=absent) terminates it.
  - The module reads what exists from the cloud (one list call per resource type, filtered by the instance's
    ownership tags), plans the resources (networks and subnets of internal virtual links, security group,
    server groups for affinity rules, flavors, ports, volumes, servers) and applies the plan concurrently.
    An empty plan means nothing to do; the module then makes no write call.
  - The instance is identified by O(name) within the project; any runner finds it again from the cloud.
    Its record is a Neutron security group named C(nfvo-vnf-<name>) tagged with the instance id, VNFD, flavour,
    instantiation level, aspect scale levels and VDU counts. No port uses it.
  - Every created resource carries the ownership tags or metadata of the collection (C(nfvo:vnf=<instance id>), VNFD id
    and version, flavour, VDU, VNFC, virtual link, connection point, storage).
  - Two runs acting on the same instance at the same time are refused - the second fails saying the instance is
    locked. The lock is recorded on the instance record and goes stale O(timeout) + 300 seconds after it was taken.
  - A failed instantiation deletes what the run created (O(on_failure=rollback)) or keeps it (O(on_failure=keep),
    the operation is then FAILED_TEMP); running the same task again resumes from what exists.
  - Flavors the module creates (O(create_flavors)) are shared catalogue entries named C(nfvo-<vnfd id>-<VDU>);
    they are reused, and neither rolled back nor deleted on termination.
  - On an instantiated VNF, a changed O(ext_virtual_links) moves the external CPs (CHANGE_EXT_CONN, as
    M(telco.nfvo.vnf_change) does) and a changed O(vnf_instance_description), O(metadata) or O(extensions) is
    recorded (MODIFY_INFO), each its own LCM operation occurrence after the converge; the same values change nothing.
    A different O(flavour_id) moves the VNF to that flavour (CHANGE_FLAVOUR, as M(telco.nfvo.vnf_change) does).
  - On an instantiated VNF, a package of another version of its VNFD is a rolling upgrade first (CHANGE_VNFPKG, as
    M(telco.nfvo.vnf_change) O(telco.nfvo.vnf_change#module:operation=change_vnfpkg) does - one VNFC of each VDU at a time,
    rebuilt in place on the new image; the gate - the servers ACTIVE), then the converge; for batches, a health gate or
    another VNFD id use M(telco.nfvo.vnf_change) or the role C(telco.nfvo.vnf_upgrade).
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the VNF instance, unique in the project (C(vnfInstanceName)).
    type: str
    required: true
  state:
    description:
      - V(present) instantiates the VNF (or resumes an instantiation, or does nothing when it is instantiated).
      - V(absent) terminates it, deleting every resource carrying its tags and its server groups, and nothing else
        (external networks, images and flavors are never deleted).
    type: str
    choices: [present, absent]
    default: present
  package:
    description:
      - Path of the VNF package (SOL004 CSAR zip or a directory) holding the VNFD. Required with O(state=present).
    type: path
  vnfd_id:
    description:
      - Expected VNFD id. The module checks that O(package) holds this VNFD (the package file is what it plans from;
        onboarded images of that VNFD are found in Glance by their properties).
    type: str
  vnfd_version:
    description: Expected VNFD version, checked like O(vnfd_id).
    type: str
  flavour_id:
    description:
      - Deployment flavour. May be left out when the VNFD has one flavour.
      - On an instantiated VNF, another flavour of the same VNFD converges it there (CHANGE_FLAVOUR), at
        O(instantiation_level_id) or the new flavour's default level - what the new flavour adds (VDUs, virtual links,
        server groups, ports) is created first, what it drops deleted after, the instance record's flavour written last,
        on success only. A VNFC of a VDU both flavours have keeps its server when the VDU is the same in both (compute,
        image, CPs, storage, server group), else it is recreated with its ports and volumes (same fixed IPs). A failure
        rolls back what it created (O(on_failure)). A flavour the VNFD does not have is refused naming those it has.
    type: str
  instantiation_level_id:
    description:
      - Instantiation level. Defaults to the flavour's default level (or scale level 0 of every aspect) when the VNF
        is instantiated; an instantiated VNF asked for no level keeps its current levels (a scaled VNF is not scaled back).
      - On an instantiated VNF, a different level converges it there (SCALE_TO_LEVEL) - VNFCs are added or removed,
        the newest first, with their ports and volumes.
    type: str
  scale_levels:
    description:
      - "Scale level of each scaling aspect, C({<aspect id>: <level>}) (SCALE_TO_LEVEL on an instantiated VNF; aspects not
        given are at the level of O(instantiation_level_id), or 0)."
      - Levels are checked against the aspects' C(max_scale_level) and the VDUs' C(vdu_profile) bounds; out of range, the
        module fails naming the aspect and its range, and changes nothing.
    type: dict
  vnf_state:
    description:
      - Operational state to converge to once the VNF is instantiated (OPERATE). V(stopped) stops every server
        (gracefully, then forcefully after O(graceful_stop_timeout)); V(started) starts them. Not given, the state is left as it is.
      - The intended state is recorded on the instance record; M(telco.nfvo.vnf_heal) treats a stopped server as
        unhealthy only when the VNF should be started.
    type: str
    choices: [started, stopped]
  graceful_stop_timeout:
    description: Seconds a graceful stop (O(vnf_state=stopped)) waits for the servers to stop before stopping them forcefully.
    type: int
    default: 60
  ext_virtual_links:
    description:
      - Connect external connection points (VduCps without an internal virtual link, or to override one) to existing
        networks. Two shapes are accepted.
      - "The ETSI shape (SOL003 C(ExtVirtualLinkData), snake_case or camelCase): a list of
        C({id, resource_id: <network name or id>, ext_cps: [{cpd_id: <VduCp>, cp_config: [<config>, ...]}]}).
        The n-th C(cp_config) entry applies to the n-th instance of the VDU. A config is C({fixed_ips: [{ip_address,
        subnet_id}]}) or the ETSI C({cp_protocol_data: [{layer_protocol: IP_OVER_ETHERNET, ip_over_ethernet:
        {ip_addresses: [{type: IPV4, fixed_addresses: [...], subnet_id}]}}]}). C(cp_config) may also be a dict (SOL003 v3)."
      - "The short shape: a dict C({<VduCp>: <network name or id>}) or C({<VduCp>: {network: <name or id>, fixed_ips: [...]}})."
      - "A C(cpd_id) may also be a VnfExtCp (an external CP exposed through an internal virtual link, SOL001
        C(internal_virtual_link)): the internal VL it exposes is then on the network given, as an externally managed VL
        (SOL003 C(extManagedVirtualLinks)). No network or subnet is made for that VL, every VduCp on it gets its port on
        that network, and terminate deletes those ports, never the network. Several VnfExtCps of one VL must name the
        same network. A VnfExtCp has no port of its own, so it takes no C(cp_config): give fixed IPs on the VduCps."
    type: raw
  additional_params:
    description:
      - "Server options, for every VDU or per VDU under C(vdu_params) (C({vdu_params: {VDU1: {...}}}) overrides the top level)."
      - C(user_data) (string, cloud-init; never shown in output), C(config_drive) (bool), C(key_name),
        C(availability_zone), C(server_metadata) (dict added to the servers' metadata).
    type: dict
    default: {}
  images:
    description:
      - Map of VDU name, storage name or software image name to a Glance image name or id. Takes precedence over the
        images onboarded from the package (found by their C(nfvo_vnfd_id) and C(nfvo_sw_image) properties).
      - A key that names no VDU, block storage or software image of the flavour is refused, and so is a VDU that boots
        from a volume (its block storage carries the C(sw_image_data); map the storage instead). An image whose
        C(min_ram), C(min_disk) or size does not fit the VDU or the volume is refused before anything is created.
      - The Glance image id each VDU and storage is mapped to is recorded on the instance (tags C(nfvo:image=<node>:<id>)
        of its record), so scaling and healing find it without the map, even for a VDU with no VNFC left.
    type: dict
    default: {}
  create_flavors:
    description:
      - When no existing flavor has exactly a VDU's vCPUs, RAM and root disk, create one named C(nfvo-<vnfd id>-<VDU>)
        (needs the right to create flavors). Otherwise the module fails naming the VDU and what it needs.
    type: bool
    default: false
  cidr_pool:
    description:
      - CIDRs to allocate /24 subnets from for internal virtual links whose VNFD gives no CIDR, avoiding every subnet the
        project can see.
    type: list
    elements: str
  security_group:
    description:
      - Create a security group for the VNF's ports with these rules (Neutron rule fields C(direction), C(ethertype),
        C(protocol), C(port_range_min), C(port_range_max), C(remote_ip_prefix)). Without it, ports get the project's
        default security group.
    type: dict
    suboptions:
      rules:
        description: Security group rules.
        type: list
        elements: dict
        default: []
  ns_instance_id:
    description: Id of the NS instance the VNF belongs to (recorded in its tags).
    type: str
  termination_type:
    description: V(graceful) stops the servers first (waiting up to O(graceful_termination_timeout)), V(forceful) deletes at once.
    type: str
    choices: [graceful, forceful]
    default: graceful
  graceful_termination_timeout:
    description: Seconds to wait for the servers to stop in a graceful termination.
    type: int
    default: 60
  on_failure:
    description:
      - V(rollback) deletes everything the failed operation created and reports C(ROLLED_BACK).
      - V(keep) leaves it (C(FAILED_TEMP)); running the task again resumes.
    type: str
    choices: [rollback, keep]
    default: rollback
extends_documentation_fragment:
  - telco.nfvo.package_limits
  - telco.nfvo.lcm
  - telco.nfvo.lcm.info
  - telco.nfvo.notify
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - Check mode returns the plan (RV(plan)) and makes no write call. With C(--diff) the module shows the instance
    before and after.
  - Server groups are found by their name C(nfvo-<instance id>-<rule>) (Nova server groups have no tags).
  - A VnfExtCp in O(ext_virtual_links) puts its internal VL on the network given; routers and floating IPs (the
    way some Tacker BaseHOTs expose an internal VL) are not made. Affinity rules with a scope other than C(nfvi_node) are not enforced (a warning says so).
seealso:
  - module: telco.nfvo.vnf_info
  - module: telco.nfvo.vnf_scale
  - module: telco.nfvo.vnf_heal
  - module: telco.nfvo.vnf_operate
  - module: telco.nfvo.vnf_lcm_op_occ
'''

EXAMPLES = r'''
- name: Instantiate a VNF at its default level
  telco.nfvo.vnf:
    cloud: nfvo-tenant
    name: web-1
    package: /srv/vnf-packages/helloworld3.zip
    flavour_id: simple
    images:
      VDU1: cirros-0.6.3
      VirtualStorage: cirros-0.6.3
    ext_virtual_links:
      CP1: provider-net
  register: web

- name: Show its VNFCs
  ansible.builtin.debug:
    msg: "{{ web.vnf_instance.instantiatedVnfInfo.vnfcResourceInfo | map(attribute='id') }}"

- name: Instantiate with ETSI external links, a fixed IP and user data
  telco.nfvo.vnf:
    cloud: nfvo-tenant
    name: web-2
    package: /srv/vnf-packages/helloworld3.zip
    flavour_id: simple
    instantiation_level_id: instantiation_level_2
    ext_virtual_links:
      - id: ext-1
        resource_id: provider-net
        ext_cps:
          - cpd_id: CP1
            cp_config:
              - fixed_ips:
                  - ip_address: 192.0.2.10
    additional_params:
      user_data: |
        #cloud-config
        hostname: web
    on_failure: keep

- name: Instantiate practical's ha flavour, its internal VL VDU_intnet0 put on a provider network through its VnfExtCp
  telco.nfvo.vnf:
    cloud: nfvo-tenant
    name: ha-1
    package: /srv/vnf-packages/practical.zip
    flavour_id: ha
    images:
      VDU_0: cirros-0.6.3
      VDU_1: cirros-0.6.3
    ext_virtual_links:
      VDU0_extCP0: provider-net

- name: Preview what would be created
  telco.nfvo.vnf:
    cloud: nfvo-tenant
    name: web-3
    package: /srv/vnf-packages/helloworld3.zip
  check_mode: true
  register: preview

- name: Converge the VNF to scale level 2 of its aspect (SCALE_TO_LEVEL), and keep it stopped
  telco.nfvo.vnf:
    cloud: nfvo-tenant
    name: web-1
    package: /srv/vnf-packages/helloworld3.zip
    scale_levels:
      worker_instance: 2
    vnf_state: stopped
    graceful_stop_timeout: 120

- name: Move the instantiated VNF to its big deployment flavour (CHANGE_FLAVOUR), at that flavour's default level
  telco.nfvo.vnf:
    cloud: nfvo-tenant
    name: web-1
    package: /srv/vnf-packages/web.zip
    flavour_id: big
    images:
      cirros-0.5.2-x86_64-disk: cirros-0.6.3

- name: Move CP1 of the instantiated VNF to another network (CHANGE_EXT_CONN) and describe it (MODIFY_INFO)
  telco.nfvo.vnf:
    cloud: nfvo-tenant
    name: web-1
    package: /srv/vnf-packages/helloworld3.zip
    ext_virtual_links:
      CP1: {network: provider-net-2, fixed_ips: [192.0.2.20]}
    vnf_instance_description: web front end, moved to provider-net-2
    metadata:
      owner: team-web

- name: Terminate
  telco.nfvo.vnf:
    cloud: nfvo-tenant
    name: web-1
    state: absent
    termination_type: forceful
'''

RETURN = r'''
vnf_instance:
  description:
    - The VNF instance as ETSI SOL003 C(VnfInstance), rebuilt from the cloud after the operation.
    - C(metadata) adds what SOL003 has no field for here, C(instantiationLevelId), C(vduInstances), C(serverGroups),
      C(lastOperation) and C(lock), to the user's own keys (O(metadata)); C(vnfInstanceDescription) and C(extensions)
      are there when set.
  returned: always
  type: dict
  contains:
    id:
      description: VNF instance id (stable for a project and name).
      type: str
    vnfInstanceName:
      description: Name.
      type: str
    vnfdId:
      description: VNFD id.
      type: str
    vnfdVersion:
      description: VNFD version.
      type: str
    instantiationState:
      description: C(INSTANTIATED) or C(NOT_INSTANTIATED).
      type: str
    instantiatedVnfInfo:
      description: C(flavourId), C(vnfState), C(scaleStatus), C(vnfcResourceInfo), C(virtualLinkResourceInfo),
        C(virtualStorageResourceInfo), C(extCpInfo).
      type: dict
      returned: when instantiated
  sample:
    id: 3c8f...
    vnfInstanceName: web-1
    vnfdId: b1bb0ce7-ebca-4fa7-95ed-4840d70a1177
    vnfdVersion: "1.0"
    instantiationState: INSTANTIATED
    instantiatedVnfInfo:
      flavourId: simple
      vnfState: STARTED
      scaleStatus: [{aspectId: worker_instance, scaleLevel: 0}]
      vnfcResourceInfo:
        - id: VDU1-0
          vduId: VDU1
          computeResource: {resourceId: 5e2a..., vimLevelResourceType: "OS::Nova::Server"}
lcm_op_occ:
  description:
    - The LCM operation occurrence (SOL003 C(VnfLcmOpOcc)) when the module changed something.
    - C(operation) is C(INSTANTIATE), C(SCALE_TO_LEVEL) (other levels on an instantiated VNF), C(CHANGE_FLAVOUR) (another
      O(flavour_id) on an instantiated VNF), C(OPERATE) (O(vnf_state)) or C(TERMINATE).
    - C(operationState) is C(COMPLETED), C(FAILED_TEMP) or C(ROLLED_BACK); C(resourceChanges) lists C(affectedVnfcs),
      C(affectedVirtualLinks), C(affectedVirtualStorages) with C(changeType) C(ADDED) or C(REMOVED); C(error) is a
      ProblemDetails (C(status), C(title), C(detail)) on failure.
  returned: when changed (not in check mode)
  type: dict
  sample:
    id: 0b6d...
    operation: INSTANTIATE
    operationState: COMPLETED
    startTime: "2026-01-01T10:00:00Z"
    stateEnteredTime: "2026-01-01T10:00:21Z"
    resourceChanges:
      affectedVnfcs: [{id: VDU1-0, vduId: VDU1, changeType: ADDED}]
usage_events:
  description:
    - One usage event per billable change the operation made (server, volume, network or floating IP C(created) or
      C(deleted); server C(stopped), C(started) or C(resized)), for the callback plugin C(telco.nfvo.usage) to record in
      the chargeback ledger. A rolled-back operation returns its creates and the deletes of its rollback; a failed one with
      O(on_failure=keep) the creates that remain.
    - Each event has a deterministic C(id) (from the C(lcm_op_occ) id, the resource id and the action, so a replay never
      double-counts), a UTC C(timestamp), C(cloud), C(region), C(project_id), C(project_name), C(resource_type),
      C(resource_id), C(action), the sizes (C(vcpus), C(ram_mb), C(disk_gb) and C(flavor) of a server; C(volume_gb) and
      C(volume_type) of a volume), the NFV owners (C(ns_instance_id), C(vnf_instance_id), C(vnf_name), C(vdu), C(vnfd_id),
      C(vnfd_version)) and C(tags).
    - Empty in check mode and when nothing changed.
  returned: always
  type: list
  elements: dict
  sample:
    - {id: 3f0c..., timestamp: "2026-01-01T10:00:12.345Z", cloud: nfvo-tenant, region: RegionOne, project_id: 9a1d...,
       project_name: demo, resource_type: server, resource_id: 5e2a..., action: created, vcpus: 1, ram_mb: 512, disk_gb: 3,
       volume_gb: null, volume_type: null, flavor: m1.vnf, ns_instance_id: null, vnf_instance_id: 6c1b..., vnf_name: web-1,
       vdu: VDU1, vnfd_id: b1bb0ce7-ebca-4fa7-95ed-4840d7000000, vnfd_version: "1.0", tags: ["nfvo:vdu=VDU1"]}
plan:
  description:
    - In check mode, the actions the module would take, in order (C(action), C(kind), C(key), C(name), C(summary),
      C(after) = keys it waits for, C(spec) = request body). User data is never shown. Empty when nothing would change.
  returned: in check mode
  type: list
  elements: dict
  sample:
    - {action: create, kind: network, key: network/internalVL2, name: web-1-internalVL2, summary: create network internalVL2}
diff:
  description: Before/after summary of the instance (VNFCs, virtual links, storages, server groups, levels).
  returned: in diff mode
  type: dict
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.runners import info_options, on_failure_option, run_options, run_vnf_module
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.runners import limits_option


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            package=dict(type='path'),
            **limits_option(),
            vnfd_id=dict(type='str'),
            vnfd_version=dict(type='str'),
            flavour_id=dict(type='str'),
            instantiation_level_id=dict(type='str'),
            scale_levels=dict(type='dict'),
            vnf_state=dict(type='str', choices=['started', 'stopped']),
            graceful_stop_timeout=dict(type='int', default=60),
            ext_virtual_links=dict(type='raw'),
            additional_params=dict(type='dict', default={}),
            images=dict(type='dict', default={}),
            create_flavors=dict(type='bool', default=False),
            cidr_pool=dict(type='list', elements='str'),
            security_group=dict(type='dict', options=dict(rules=dict(type='list', elements='dict', default=[]))),
            ns_instance_id=dict(type='str'),
            termination_type=dict(type='str', choices=['graceful', 'forceful'], default='graceful'),
            graceful_termination_timeout=dict(type='int', default=60),
            **info_options(), **on_failure_option(), **run_options()
        ),
        supports_check_mode=True,
        required_if=[('state', 'present', ('package',))],
    )
    run_vnf_module(module)


if __name__ == '__main__':
    main()
