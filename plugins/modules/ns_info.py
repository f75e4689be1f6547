#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: ns_info
short_description: Read network service instances from the cloud
version_added: 0.1.0
description:
  - Rebuilds the NS instances made by M(telco.nfvo.ns) from the cloud alone - the NS record, its VNFs (by their NS
    mark, as M(telco.nfvo.vnf_info) lists them) and its virtual links - with their drift.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  name:
    description: Name of the NS instance. Not given, every NS instance of the project.
    type: str
extends_documentation_fragment:
  - telco.nfvo.cloud
  - telco.nfvo.cloud.info_attributes
seealso:
  - module: telco.nfvo.ns
'''

EXAMPLES = r'''
- name: Read an NS instance and its drift
  telco.nfvo.ns_info:
    cloud: nfvo-tenant
    name: shop
  register: shop

- name: Fail on drift
  ansible.builtin.assert:
    that: shop.ns_instances[0].metadata.drift == []
'''

RETURN = r'''
ns_instances:
  description:
    - The NS instances as ETSI SOL005 C(NsInstance), shaped as M(telco.nfvo.ns) returns them.
    - C(metadata.drift) lists what differs from the NS record (C(type) C(missing), C(error), C(unrecorded); C(resource);
      C(detail)) - a VNF instance or virtual link the record expects that is missing (C(VNF <node>), C(VNF <node>-<k>) for
      instance k of a node), a VNF with missing VNFCs (C(vnf) names its node).
    - C(nsScaleStatus) the NS scale level of each NS scaling aspect scaled, C(metadata.vnfInstances) the number of VNF
      instances of each VNF node.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 2d1e...
      nsInstanceName: shop
      nsState: INSTANTIATED
      metadata:
        drift: [{type: missing, resource: "VNF web: server VDU1-0", vnf: web}]
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.ns.runners import run_ns_info_module


def main():
    module = NfvoModule(argument_spec=dict(name=dict(type='str')), supports_check_mode=True)
    run_ns_info_module(module)


if __name__ == '__main__':
    main()
