# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event source telco.nfvo.vnf_health: watch the VNFs of a cloud project and emit one event per health change.

Each poll makes the same bulk, tag-filtered list calls as the VNF discovery (``lcm/discovery.py``): the anchors
(one Neutron call), the servers (one Nova call) and the ports (one Neutron call) of every VNF at once, plus one
hypervisor list with admin credentials: the number of requests does not grow with the number of VNFCs. The first
poll is the baseline (no event); later polls emit an event per VNFC, port or hypervisor whose condition changed.
The pure part (``health_state``, ``diff_health``) is unit tested; ``main`` is the ansible-rulebook entry point.
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys
import time

try:
    from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
except ImportError:  # run by ansible-rulebook (runpy) from a collections path: make that path importable
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), *(['..'] * 7))))
    from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import discovery
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import STOPPED, Snapshot, index_snapshot, vnfc_id
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.sol003 import record_of
from ansible_collections.telco.nfvo.plugins.module_utils.nfvi.facts import hypervisors, is_forbidden
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi

DOCUMENTATION = r'''
---
short_description: Watch the health of the VNFs of a cloud project.
description:
  - An ansible-rulebook event source. Every O(interval) seconds it lists the VNF anchors, servers and ports of the
    project with the bulk, tag-filtered calls of the VNF discovery (3 requests whatever the number of VNFCs; one
    more for the hypervisors with admin credentials).
  - The first poll is a baseline and emits nothing. Afterwards one event per change - a VNFC went C(ERROR),
    C(SHUTOFF) (while its VNF is C(STARTED)) or missing, a port of an C(ACTIVE) server went C(DOWN), a hypervisor
    went down - and one C(CLEARED) event when it is healthy again. An unchanged state emits nothing.
  - VNFs with an LCM operation in progress (their lock held) are not judged until it ends, so our own heal or scale
    does not raise events.
  - Hypervisors are watched only when the credentials may list them; otherwise one warning is logged at start.
options:
  cloud:
    description: The cloud of C(clouds.yaml) to watch.
    type: str
    required: true
  clouds_yaml:
    description: Path of C(clouds.yaml). Default, openstacksdk's search (C(OS_CLIENT_CONFIG_FILE), the usual paths).
    type: str
  interval:
    description: Seconds between polls.
    type: float
    default: 10
  vnf_names:
    description:
      - Watch only these VNFs (names given to M(telco.nfvo.vnf)), a list or a comma-separated string. Default (or
        empty), every VNF of the project.
    type: list
    elements: str
  hypervisors:
    description: Watch hypervisors - V(auto) when the credentials allow it, V(false) never.
    type: str
    choices: [auto, 'false']
    default: auto
  log_polls:
    description: Log every poll (its request count and time) at INFO level; otherwise at DEBUG.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Heal failed VNFCs
  hosts: localhost
  sources:
    - telco.nfvo.vnf_health:
        cloud: nfvo-tenant
        interval: 5
  rules:
    - name: A VNFC failed
      condition: event.kind == "vnfc" and event.perceivedSeverity == "CRITICAL"
      action:
        run_playbook:
          name: telco.nfvo.eda_heal
'''

RETURN = r'''
kind:
  description: C(vnfc), C(port) or C(hypervisor).
  type: str
vnf_instance_id:
  description: The VNF instance id (absent for a hypervisor).
  type: str
vnf_instance_name:
  description: The VNF name.
  type: str
vdu_id:
  description: The VDU of the VNFC.
  type: str
vnfc_instance_id:
  description: The VNFC (C(<VDU>-<index>)).
  type: str
state:
  description: C(ERROR), C(SHUTOFF), C(MISSING), C(DOWN) or C(OK) (cleared).
  type: str
previous_state:
  description: The state at the poll before.
  type: str
vnf_state:
  description: The VNF's C(vnfState) (C(STARTED) or C(STOPPED)).
  type: str
perceivedSeverity:
  description: ETSI SOL002 perceived severity - C(CRITICAL), C(MAJOR) or C(CLEARED).
  type: str
'''

LOG = logging.getLogger('telco.nfvo.vnf_health')
OK = 'OK'
SEVERITY = {'ERROR': 'CRITICAL', 'MISSING': 'CRITICAL', 'SHUTOFF': 'MAJOR', 'DOWN': 'MAJOR', OK: 'CLEARED'}
UNBOUND = ('unbound', 'binding_failed')
HOST_KEY = 'OS-EXT-SRV-ATTR:hypervisor_hostname'


# ---------------------------------------------------------------------------------------------------------------
# pure: what the cloud lists -> one state per watched thing -> events

def health_state(snaps, hypervisor_list=None):
    """{key: state} of every VNFC, port and hypervisor; a state is a dict with ``condition`` (OK or the failure) and
    what an event names. ``snaps``: {instance id: Snapshot with anchors, servers and ports}. A VNF whose lock is held
    is left out (``'locked'`` in its state), and its previous states are kept by ``diff_health``."""
    out = {}
    now = time.time()
    for iid, snap in sorted(snaps.items()):
        rec = record_of(snap)
        if rec is None:
            continue
        lock = (rec.get('record') or {}).get('lock') or {}
        vnf = {'vnf_instance_id': iid, 'vnf_instance_name': rec['name'],
               'vnf_state': STOPPED if T.parse_tags(snap.anchor.get('tags')).get('state') == STOPPED else 'STARTED'}
        if lock.get('exp', 0) > now:
            out[('vnf', iid)] = dict(vnf, locked=True)
            continue
        existing, dummy = index_snapshot(snap)
        ports_of = {}  # VNFC -> [(CP, port)]
        for key, ports in sorted(existing.items()):
            if key.startswith('port/'):
                ports_of.setdefault(key.split('/')[1], []).append((key.split('/')[2], ports[0]))
        for vdu, count in sorted((rec.get('vdu_instances') or {}).items()):
            for index in range(count):
                vnfc = vnfc_id(vdu, index)
                servers = existing.get('server/%s' % vnfc) or []
                status = servers[0].get('status') if servers else None
                if not servers:
                    cond = 'MISSING'
                elif any(s.get('status') == 'ERROR' for s in servers):
                    cond = 'ERROR'
                elif status == 'SHUTOFF' and vnf['vnf_state'] != STOPPED:
                    cond = 'SHUTOFF'
                else:
                    cond = OK
                out[('vnfc', iid, vnfc)] = dict(vnf, vdu_id=vdu, vnfc_instance_id=vnfc, condition=cond,
                                                server_id=servers[0].get('id') if servers else None,
                                                server_status=status, host=servers[0].get(HOST_KEY) if servers else None)
                for cp, port in ports_of.get(vnfc, ()):
                    down = status == 'ACTIVE' and port.get('status') == 'DOWN' and port.get('binding:vif_type') not in UNBOUND
                    out[('port', iid, port['id'])] = dict(vnf, vdu_id=vdu, vnfc_instance_id=vnfc, cp_id=cp, port_id=port['id'],
                                                          condition='DOWN' if down else OK)
    for hyp in hypervisor_list or ():
        down = hyp.get('state') == 'down'
        out[('hypervisor', hyp.get('name'))] = {'hypervisor': hyp.get('name'), 'condition': 'DOWN' if down else OK}
    return out


def diff_health(before, after):
    """(events, the state to keep) between two ``health_state`` results. A thing new since ``before`` is judged
    against OK (a new VNFC already broken gives an event, a healthy one none); one gone is forgotten (scaled in or
    terminated); the things of a locked VNF keep their ``before`` state and give no event."""
    locked = {key[1] for key, st in after.items() if key[0] == 'vnf' and st.get('locked')}
    keep = {key: st for key, st in before.items() if len(key) == 3 and key[1] in locked}
    events = []
    for key, st in sorted(after.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        if key[0] == 'vnf':
            continue
        keep[key] = st
        prev = (before.get(key) or {}).get('condition', OK)
        if st['condition'] == prev:
            continue
        event = {k: v for k, v in st.items() if k != 'condition' and v is not None}
        event.update(kind=key[0], state=st['condition'], previous_state=prev, perceivedSeverity=SEVERITY[st['condition']],
                     cleared=st['condition'] == OK)
        if key[0] == 'hypervisor':
            event['vnfcs'] = sorted('%s/%s' % (v['vnf_instance_name'], v['vnfc_instance_id']) for k, v in after.items()
                                    if k[0] == 'vnfc' and v.get('host') == key[1])
        events.append(event)
    return events, keep


# ---------------------------------------------------------------------------------------------------------------
# the cloud side

class CountingApi(CloudApi):
    """``CloudApi`` that counts its requests (the figure the benchmark and the debug log give per poll)."""

    requests = 0

    def send(self, *args, **kwargs):  # pylint: disable=arguments-differ
        self.requests += 1
        return super().send(*args, **kwargs)


def connect(cloud, clouds_yaml=None):
    """A ``CountingApi`` on the named cloud (openstacksdk does the authentication, as NfvoModule.connect)."""
    import openstack  # pylint: disable=import-outside-toplevel  # only the source needs the SDK, not the pure part
    from openstack import config as sdk_config  # pylint: disable=import-outside-toplevel  # as above
    if clouds_yaml:
        region = sdk_config.OpenStackConfig(config_files=[clouds_yaml]).get_one(cloud=cloud)
        conn = openstack.connection.Connection(config=region, app_name='telco.nfvo')
    else:
        conn = openstack.connect(cloud=cloud, app_name='telco.nfvo')
    return CountingApi(conn)


def poll(api, vnf_names=None, with_hypervisors=False):
    """One look at the cloud -> ``health_state``: the anchors, then the servers and ports of all those VNFs at once."""
    anchors = discovery.find_anchors(api)
    if isinstance(vnf_names, str):
        vnf_names = [n.strip() for n in vnf_names.split(',') if n.strip()]
    if vnf_names:
        wanted = set(vnf_names)
        anchors = [a for a in anchors if T.parse_tags(a.get('tags')).get('vnf_name') in wanted]
    snaps = {}
    for anchor in anchors:
        iid = T.parse_tags(anchor.get('tags')).get('vnf')
        snaps.setdefault(iid, Snapshot(instance_id=iid, vnf_name=T.parse_tags(anchor.get('tags')).get('vnf_name'))).anchors.append(anchor)
    if snaps:
        ids = sorted(snaps)
        for server in discovery.list_servers(api, ids):
            iid = T.parse_metadata(server.get('metadata')).get('vnf') or T.parse_tags(server.get('tags')).get('vnf')
            if iid in snaps:
                snaps[iid].servers.append(server)
        for port in discovery.list_neutron(api, 'ports', ids):
            iid = T.parse_tags(port.get('tags')).get('vnf')
            if iid in snaps:
                snaps[iid].ports.append(port)
    return health_state(snaps, hypervisors(api) if with_hypervisors else None)


def may_list_hypervisors(api, setting='auto'):
    """True when hypervisors are watched; with V(auto), one warning when the credentials may not list them."""
    if str(setting).lower() == 'false':
        return False
    try:
        hypervisors(api)
    except Exception as exc:  # pylint: disable=broad-except  # any refusal: watch the VNFs without the hypervisors
        if not is_forbidden(exc):
            raise
        LOG.warning('vnf_health: hypervisors are not watched: the credentials of this cloud may not list them (HTTP 403)')
        return False
    return True


async def main(queue, args):
    """The ansible-rulebook entry point: poll forever, put one event per change on ``queue``."""
    interval = float(args.get('interval', 10))
    api = await asyncio.to_thread(connect, args['cloud'], args.get('clouds_yaml'))
    with_hyp = await asyncio.to_thread(may_list_hypervisors, api, args.get('hypervisors', 'auto'))
    poll_level = logging.INFO if str(args.get('log_polls', False)).lower() in ('true', 'yes', '1') else logging.DEBUG
    state = None
    while True:
        start, count = time.monotonic(), api.requests
        try:
            now = await asyncio.to_thread(poll, api, args.get('vnf_names'), with_hyp)
        except Exception as exc:  # pylint: disable=broad-except  # a cloud hiccup: log it, try again next poll
            LOG.warning('vnf_health: poll failed, retrying in %ss: %s', interval, exc)
        else:
            if state is None:
                state = {key: st for key, st in now.items() if key[0] != 'vnf'}
                LOG.info('vnf_health: baseline of %d VNFCs, ports and hypervisors (%d requests)', len(state), api.requests - count)
            else:
                events, state = diff_health(state, now)
                for event in events:
                    await queue.put(event)
            LOG.log(poll_level, 'vnf_health: poll: %d requests, %.2fs', api.requests - count, time.monotonic() - start)
        await asyncio.sleep(interval)
