# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Heal planning: which VNFCs are unhealthy, and recreate touching only those."""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.heal import unhealthy_vnfcs

from .plans import instantiated, request


def test_heal_recreate_reuses_ports_and_touches_only_the_named_vnfcs(basic):
    fl = basic.vnfd.flavour('simple')
    snap = instantiated(basic)
    port = next(p for p in snap.ports if T.tag('vnfc', 'VDU1-0') in p['tags'])
    snap.servers = [s for s in snap.servers if s['metadata']['nfvo_vnfc_id'] != 'VDU1-0']  # deleted behind our back
    plan = plan_converge(basic.vnfd, fl, request(basic, only=['VDU1-0']), snap, operation='HEAL')
    assert plan.summary() == ['create server VDU1-0 (flavor vnf.small, image cirros, group policy_affinity_group)']
    assert plan.actions[0].spec['networks'] == [{'port': port['id']}]  # same port: same fixed IP
    # a healthy VNFC named for recreate: its server is replaced after the old one is gone
    vdu2 = next(s for s in snap.servers if s['metadata']['nfvo_vnfc_id'] == 'VDU2-0')
    plan = plan_converge(basic.vnfd, fl, request(basic, only=['VDU2-0'], replace=['VDU2-0']), snap, operation='HEAL')
    assert [a.id for a in plan.actions] == ['delete:server/VDU2-0#old', 'create:server/VDU2-0']
    assert plan.actions[0].resource_id == vdu2['id'] and 'server/VDU2-0#old' in plan.actions[1].deps


def test_unhealthy_vnfcs(basic):
    snap = instantiated(basic)
    counts = {'VDU1': 2, 'VDU2': 1}
    cps = {'VDU1': ['VDU1_CP1'], 'VDU2': ['VDU2_CP1']}
    assert unhealthy_vnfcs(snap, counts, cps) == {'VDU1-1': 'no server'}
    snap.servers[0]['status'] = 'ERROR'
    snap.servers[1]['status'] = 'SHUTOFF'
    names = [s['metadata']['nfvo_vnfc_id'] for s in snap.servers]
    got = unhealthy_vnfcs(snap, counts, cps)
    assert got[names[0]] == 'server in ERROR' and got[names[1]] == 'server SHUTOFF while the VNF should run'
    assert names[1] not in unhealthy_vnfcs(snap, counts, cps, should_run=False)
    snap.servers[0]['status'] = snap.servers[1]['status'] = 'ACTIVE'
    snap.ports[0]['status'] = 'DOWN'
    down = T.parse_tags(snap.ports[0]['tags'])
    assert unhealthy_vnfcs(snap, {'VDU1': 1, 'VDU2': 1}, cps) == {down['vnfc']: 'port %s DOWN' % down['cp']}
    snap.ports = snap.ports[1:]
    assert unhealthy_vnfcs(snap, {'VDU1': 1, 'VDU2': 1}, cps) == {down['vnfc']: 'port %s missing' % down['cp']}
