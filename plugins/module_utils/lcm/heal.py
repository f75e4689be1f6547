# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Heal planning: which VNFCs need healing, and how each strategy is planned.

Pure. ``unhealthy_vnfcs`` finds the VNFCs to heal from what exists. Strategy ``recreate`` is a converge
(``converge.plan_converge``, operation ``HEAL``) with ``Request.only`` (touch these VNFCs only) and
``Request.replace`` (recreate them even when their server is there); ``reboot`` and ``rebuild`` are server
actions (``operate.plan_server_actions``).
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import index_snapshot, vnfc_id


def unhealthy_vnfcs(snap, counts, cps_of=None, should_run=True):
    """{VNFC id: reason} of the VNFCs (of the recorded VDU counts) that need healing.

    Unhealthy: no server, server in ERROR, server SHUTOFF when the VNF should run, a port of the VNFC missing
    (``cps_of``: {VDU: [CP names]} when known) or DOWN while its server is ACTIVE."""
    existing, dummy = index_snapshot(snap)
    out = {}
    for vdu, count in sorted(counts.items()):
        for index in range(count):
            vnfc = vnfc_id(vdu, index)
            servers = existing.get('server/%s' % vnfc) or []
            status = servers[0].get('status') if servers else None
            if not servers:
                out[vnfc] = 'no server'
            elif any(s.get('status') == 'ERROR' for s in servers):
                out[vnfc] = 'server in ERROR'
            elif should_run and status == 'SHUTOFF':
                out[vnfc] = 'server SHUTOFF while the VNF should run'
            if vnfc in out:
                continue
            for cp in (cps_of or {}).get(vdu, []):
                ports = existing.get('port/%s/%s' % (vnfc, cp)) or []
                if not ports:
                    out[vnfc] = 'port %s missing' % cp
                    break
                if status == 'ACTIVE' and ports[0].get('status') == 'DOWN' and ports[0].get('binding:vif_type') not in ('unbound', 'binding_failed'):
                    out[vnfc] = 'port %s DOWN' % cp
                    break
    return out
