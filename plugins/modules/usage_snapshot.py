#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: usage_snapshot
short_description: Observe the billable resources that exist now, for the chargeback ledger
version_added: 0.1.0
description:
  - Lists the servers (with their flavor's vCPUs, RAM and root disk, and whether they run), volumes (size and type) and
    floating IPs of the project (or of every project with O(all_projects)) and returns them as RV(usage_events), which the
    callback plugin C(telco.nfvo.usage) records in the usage ledger. Resources created, resized, stopped or deleted
    outside Ansible are thereby still charged correctly.
  - Each existing resource gets an C(observed) event with its sizes and NFV owners (from the C(nfvo_*) metadata and
    C(nfvo:*) tags telco.nfvo puts on what it creates). An C(observed) event opens an interval only when the ledger has
    none open, so snapshots never double-count.
  - Reads the ledger's open intervals (read only) to add C(closed) for every resource the ledger holds open that the cloud
    no longer lists (charged until this snapshot), C(resized) when the flavor or volume size differs from the open
    interval's, and C(stopped) / C(started) when the server's state differs (C(SHUTOFF), C(SUSPENDED), C(PAUSED),
    C(SHELVED) and C(SHELVED_OFFLOADED) count as stopped).
  - Only resources of this cloud's region are closed, and only those of the current project (of the cloud's projects with
    O(all_projects)), so several clouds may share one ledger.
  - One paginated list call per resource type (run concurrently), plus one flavor list only when the compute API does
    not embed flavor sizes in servers, plus one project list with O(all_projects).
  - Run it where the callback writes the ledger (on the controller - a play on C(localhost), or a task delegated to
    C(localhost)) and with the callback enabled; a ledger that cannot be read is a warning, and the snapshot
    then closes nothing.
  - The module never changes the cloud, so it always reports C(changed=false).
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  include_unmanaged:
    description:
      - Also observe resources that do not carry telco.nfvo's ownership marks.
      - Resources of the ledger that are missing from the cloud are closed whatever this option says.
    type: bool
    default: false
  all_projects:
    description:
      - Observe the resources of every project (needs admin credentials). The events carry each resource's project.
    type: bool
    default: false
  resource_types:
    description: The kinds of resources to observe (and to close when missing).
    type: list
    elements: str
    choices: [server, volume, floating_ip]
    default: [server, volume, floating_ip]
notes:
  - In check mode the module returns the same events; the callback records them marked as check-mode events, which no
    report charges and no later snapshot takes into account.
  - The ledger is only read, to find the intervals it holds open; a missing SQLite file (O(ledger_path)) is an empty ledger.
extends_documentation_fragment:
  - telco.nfvo.ledger
  - telco.nfvo.cloud
  - telco.nfvo.cloud.info_attributes
seealso:
  - module: telco.nfvo.chargeback_report
'''

EXAMPLES = r'''
# ansible.cfg: [defaults] callbacks_enabled = telco.nfvo.usage
- name: Reconcile the usage ledger with what exists in the project
  telco.nfvo.usage_snapshot:
    cloud: nfvo-tenant
  delegate_to: localhost

- name: Hourly AWX schedule - every project, every server, volume and floating IP, into the shared ledger
  telco.nfvo.usage_snapshot:
    cloud: nfvo-admin
    all_projects: true
    include_unmanaged: true
    ledger_dsn: "host=ledger.example.com dbname=nfvo user=nfvo"
  register: snapshot

- name: Show what the snapshot closed
  ansible.builtin.debug:
    msg: "{{ snapshot.usage_events | selectattr('action', 'equalto', 'closed') | map(attribute='resource_id') | list }}"
'''

RETURN = r'''
usage_events:
  description:
    - The usage events of this snapshot (the fields are described in the collection's C(docs/chargeback.md)); all carry the
      time the listing started.
  returned: always
  type: list
  elements: dict
  sample:
    - {id: 0b6f..., timestamp: "2026-03-01T10:00:00.000Z", cloud: nfvo-tenant, region: RegionOne, project_id: a594...,
       project_name: nfvo-demo, resource_type: server, resource_id: 4c1e..., action: observed, vcpus: 1, ram_mb: 512,
       disk_gb: 1, volume_gb: null, volume_type: null, flavor: m1.tiny, ns_instance_id: null, vnf_instance_id: cec2...,
       vnf_name: web-1, vdu: VDU1, vnfd_id: b1bb..., vnfd_version: "1.0", tags: ["nfvo:vdu=VDU1"]}
snapshot:
  description: What the snapshot saw.
  returned: always
  type: dict
  contains:
    timestamp:
      description: When the listing started (UTC).
      type: str
      sample: "2026-03-01T10:00:00.000Z"
    servers:
      description: Servers observed.
      type: int
    volumes:
      description: Volumes observed.
      type: int
    floating_ips:
      description: Floating IPs observed.
      type: int
    unmanaged:
      description: Existing resources left out because they do not carry our marks (see O(include_unmanaged)).
      type: int
    closed:
      description: Resources the ledger held open that no longer exist.
      type: int
    resized:
      description: Resources whose sizes differ from the ledger's open interval.
      type: int
    stopped:
      description: Servers seen stopped while the ledger had them running (or seen for the first time, stopped).
      type: int
    started:
      description: Servers seen running while the ledger had them stopped.
      type: int
    open_in_ledger:
      description: Intervals the ledger held open in this scope (null when the ledger could not be read).
      type: int
    ledger:
      description: The ledger read (password masked), null when it could not be read.
      type: str
    region:
      description: The region observed.
      type: str
    project_id:
      description: The project observed (null with O(all_projects)).
      type: str
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback import runners
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import ledger_options
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.observe import RESOURCE_TYPES


def main():
    module = NfvoModule(
        argument_spec=dict(
            include_unmanaged=dict(type='bool', default=False),
            all_projects=dict(type='bool', default=False),
            resource_types=dict(type='list', elements='str', choices=list(RESOURCE_TYPES), default=list(RESOURCE_TYPES)),
            **ledger_options()
        ),
        supports_check_mode=True,
    )
    module.run(runners.usage_snapshot)


if __name__ == '__main__':
    main()
