#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: nfvi_info
short_description: Show the NFVI of an OpenStack cloud as the NFVO sees it
version_added: 0.1.0
description:
  - Reads availability zones, hypervisors with their capacity (vCPUs, RAM, local disk, total and used, running
    VMs, state), flavors, the quotas and usage of the current project, and the API versions of the cloud's services.
  - Each section is one paginated list call; the sections are fetched concurrently.
  - A section the credentials may not read (hypervisors need an admin) is listed in RV(unavailable) with the reason,
    and the module still succeeds.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  gather:
    description: Which sections to read.
    type: list
    elements: str
    choices: [api_versions, availability_zones, hypervisors, flavors, quotas]
    default: [api_versions, availability_zones, hypervisors, flavors, quotas]
extends_documentation_fragment:
  - telco.nfvo.cloud
  - telco.nfvo.cloud.info_attributes
'''

EXAMPLES = r'''
- name: Read the NFVI as the tenant sees it
  telco.nfvo.nfvi_info:
    cloud: nfvo-tenant
  register: nfvi

- name: Fail early when the project has no room for 10 more vCPUs
  ansible.builtin.assert:
    that: nfvi.nfvi.quotas.compute.cores.free >= 10
    fail_msg: "only {{ nfvi.nfvi.quotas.compute.cores.free }} vCPUs left in the project"

- name: Hypervisor capacity (admin credentials)
  telco.nfvo.nfvi_info:
    cloud: nfvo-admin
    gather: [hypervisors, availability_zones]
  register: capacity

- name: Show free vCPUs per hypervisor
  ansible.builtin.debug:
    msg: "{{ capacity.nfvi.hypervisors | items2dict(key_name='name', value_name='vcpus_free') }}"
'''

RETURN = r'''
nfvi:
  description: The NFVI.
  returned: always
  type: dict
  contains:
    cloud:
      description: Name of the cloud in clouds.yaml (C(envvars) when taken from the environment).
      type: str
      sample: nfvo-tenant
    region:
      description: Region used.
      type: str
      sample: RegionOne
    project:
      description: The project the credentials are scoped to (C(id), C(name)).
      type: dict
      sample: {id: 6d3e..., name: nfvo-demo}
    api_versions:
      description: Per service type, the endpoint URL, API version and microversion range, or why it is not available.
      type: dict
      returned: when gathered
      sample: {compute: {available: true, url: "http://127.0.0.1:8774/v2.1", version: "2.1", min_microversion: "2.1",
               max_microversion: "2.100"}}
    availability_zones:
      description: Compute availability zones (C(name), C(available)).
      type: list
      elements: dict
      returned: when gathered
    hypervisors:
      description:
        - One entry per hypervisor with C(name), C(host), C(type), C(state), C(status), C(running_vms), and
          C(vcpus), C(memory_mb), C(local_gb) each with C(_used) and C(_free) variants.
      type: list
      elements: dict
      returned: when gathered and allowed (admin)
    hypervisor_summary:
      description: Totals over RV(nfvi.hypervisors), plus C(count) and C(up).
      type: dict
      returned: when hypervisors were read
    flavors:
      description: Flavors (C(id), C(name), C(vcpus), C(ram_mb), C(disk_gb), C(ephemeral_gb), C(swap_mb), C(is_public), C(extra_specs)).
      type: list
      elements: dict
      returned: when gathered
    quotas:
      description:
        - Quotas and usage of the current project per service (C(compute), C(network), C(block_storage)); each
          resource has C(limit) (-1 is unlimited), C(in_use), C(reserved) and C(free) (null when unlimited).
      type: dict
      returned: when gathered
      sample: {compute: {cores: {limit: 20, in_use: 2, reserved: 0, free: 18}}}
unavailable:
  description: Sections that could not be read, with the reason.
  returned: always
  type: dict
  sample: {hypervisors: "forbidden by the cloud's policy (admin only)"}
sdk_version:
  description: The openstacksdk version used.
  returned: always
  type: str
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule, sdk_version
from ansible_collections.telco.nfvo.plugins.module_utils.nfvi.facts import SECTIONS, gather


def main():
    module = NfvoModule(
        argument_spec=dict(gather=dict(type='list', elements='str', choices=list(SECTIONS), default=list(SECTIONS))),
        supports_check_mode=True,
    )
    module.run(lambda m: dict(zip(('nfvi', 'unavailable'), gather(m.conn, m.params['gather'])), changed=False, sdk_version=sdk_version()),
               what='read the NFVI')


if __name__ == '__main__':
    main()
