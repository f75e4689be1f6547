# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Options of the VNF lifecycle modules; the argument specs that match are in module_utils/lcm/runners.py
    # (run_options, new_vnfc_options, on_failure_option); wait and timeout mean the same in all of them (lcm/operation.Options).

    # telco.nfvo.lcm: every lifecycle module
    DOCUMENTATION = r'''
options:
  wait:
    description:
      - Wait for the servers the operation creates (instantiate, scale out, heal by recreate, a retry, the VNFs of an NS)
        to be ACTIVE.
      - V(false) - the operation ends C(COMPLETED), its lock released, once the cloud has accepted every create; the
        servers are returned as they are then (C(BUILD)). A server that fails to boot later is not seen by this task
        (the next run, M(telco.nfvo.vnf_info) or a heal finds it). Servers stopped, started, rebooted, rebuilt or deleted
        are always waited for.
    type: bool
    default: true
  timeout:
    description: Seconds the whole operation may take (what it waits for included).
    type: int
    default: 1800
  max_concurrency:
    description: Resources created, deleted or acted on at the same time.
    type: int
    default: 10
'''

    # telco.nfvo.lcm.new_vnfcs: the operations that may create VNFCs on an instantiated VNF (scale, heal, retry)
    NEW_VNFCS = r'''
options:
  package:
    description:
      - Path of the VNF package (SOL004 CSAR zip or directory) the VNF was instantiated from (same VNFD id and version).
        The package is not stored in the cloud; operations that create servers read the VDUs from it.
    type: path
  images:
    description:
      - Map of VDU, storage or software image name to a Glance image name or id, as for M(telco.nfvo.vnf).
        Not given, new VNFCs use the image of the VDU's existing servers, else the image mapped at instantiation (recorded on
        the instance), else the onboarded image.
    type: dict
    default: {}
  ext_virtual_links:
    description:
      - External connections of the new VNFCs, as for M(telco.nfvo.vnf). Not given, an external CP goes to the network
        of the same CP of the existing VNFCs (with an address the network's DHCP assigns).
    type: raw
  additional_params:
    description: Server options of the new VNFCs (C(user_data), C(key_name), C(availability_zone), C(server_metadata), C(vdu_params)), as for M(telco.nfvo.vnf).
    type: dict
    default: {}
'''

    # telco.nfvo.lcm.on_failure: scale and heal
    ON_FAILURE = r'''
options:
  on_failure:
    description:
      - V(rollback) deletes what the failed operation created and reports C(ROLLED_BACK).
      - V(keep) leaves it; the occurrence stays C(FAILED_TEMP) on the instance record, to be retried, rolled back or failed
        with M(telco.nfvo.vnf_lcm_op_occ) from any machine.
    type: str
    choices: [rollback, keep]
    default: rollback
'''

    # telco.nfvo.lcm.info: MODIFY_INFO's options (vnf, vnf_change; argument spec: runners.info_options)
    INFO = r'''
options:
  vnf_instance_description:
    description:
      - The VNF instance's description (SOL003 C(vnfInstanceDescription)); an empty string removes it.
      - Stored on the instance record in the cloud (its C(nfvo:info) tags), returned as C(vnf_instance.vnfInstanceDescription).
    type: str
  metadata:
    description:
      - Keys to set in the VNF instance's C(metadata) (SOL003), merged into what it holds (JSON Merge Patch - a key set to
        V(null) is removed, keys not given are kept). Returned in C(vnf_instance.metadata) beside the collection's own keys,
        which a user key may not use (C(instantiationLevelId), C(vduInstances), C(nsInstanceId), C(serverGroups),
        C(lastOperation), C(lock), C(record), C(drift)).
      - Description, metadata and extensions together fit in the instance record's free tags (Neutron allows 50 tags of 255
        characters; about 8 KB on a VNF with few VDUs) - more is refused before any write.
    type: dict
  extensions:
    description: Keys to set in the VNF instance's C(extensions) (SOL003), merged as O(metadata) is.
    type: dict
'''
