#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vnf_info
short_description: List VNF instances rebuilt from the cloud, with their drift
version_added: 0.1.0
description:
  - Finds the VNF instances of the project from their records (Neutron security groups tagged C(nfvo:role=anchor))
    and rebuilds each as an ETSI SOL003 C(VnfInstance) from the resources carrying its tags, the same shape
    M(telco.nfvo.vnf) returns. No local database is involved.
  - One list call per resource type whatever the number of instances.
  - Reports drift in C(metadata.drift) of each instance, compared with the VDU counts the record holds - servers
    missing, extra, in error, or ports and volumes left without a server. With O(package), every resource the
    package asks for at the recorded levels (networks, ports, volumes...) is checked too.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Only the VNF instance of this name.
    type: str
  vnfd_id:
    description: Only instances of this VNFD.
    type: str
  ns_instance_id:
    description: Only instances of this NS instance.
    type: str
  package:
    description: VNF package (path) to check the instances of its VNFD against, for a complete drift report.
    type: path
extends_documentation_fragment:
  - telco.nfvo.package_limits
  - telco.nfvo.cloud
  - telco.nfvo.cloud.info_attributes
seealso:
  - module: telco.nfvo.vnf
'''

EXAMPLES = r'''
- name: All VNF instances of the project
  telco.nfvo.vnf_info:
    cloud: nfvo-tenant
  register: vnfs

- name: One instance, checked against its package
  telco.nfvo.vnf_info:
    cloud: nfvo-tenant
    name: web-1
    package: /srv/vnf-packages/helloworld3.zip
  register: web

- name: Fail when something changed behind our back
  ansible.builtin.assert:
    that: web.vnf_instances[0].metadata.drift | length == 0
    fail_msg: "{{ web.vnf_instances[0].metadata.drift }}"
'''

RETURN = r'''
vnf_instances:
  description:
    - The VNF instances found, each a SOL003 C(VnfInstance) (see M(telco.nfvo.vnf)'s RV(telco.nfvo.vnf#module:vnf_instance)).
    - C(metadata.drift) lists differences, each with C(type) (C(missing), C(extra), C(error), C(orphan),
      C(unrecorded), C(changed)), C(resource) and C(detail).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 3c8f...
      vnfInstanceName: web-1
      instantiationState: INSTANTIATED
      metadata:
        drift:
          - {type: missing, resource: server VDU1-0, detail: "VDU VDU1 should have 1 instance(s); VDU1-0 has no server"}
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.runners import run_vnf_info_module
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.runners import limits_option


def main():
    module = NfvoModule(
        argument_spec=dict(
            name=dict(type='str'),
            vnfd_id=dict(type='str'),
            ns_instance_id=dict(type='str'),
            package=dict(type='path'),
            **limits_option(),
        ),
        supports_check_mode=True,
    )
    run_vnf_info_module(module)


if __name__ == '__main__':
    main()
