# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NS virtual links: a Neutron network and subnet per ``NsVirtualLink``, and the NS record, found by their marks.

``discover`` finds the NS record and the VL networks and subnets (3 list calls, a 4th for the CIDRs in use when one
must be allocated); ``plan_links`` is the lcm ``Plan`` creating what is missing (the VL's CIDR from its l3 data, or
allocated from ``cidr_pool`` with ``lcm/environment.allocate_cidrs``, the code the ``vnf`` module uses, never
overlapping a subnet the project sees); ``plan_unlink`` deletes them. Both run through ``lcm/executor.Executor``.
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import delete_action
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.environment import allocate_cidrs
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import NsSnapshot
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import run_concurrently


def _tags(ns_id, vl=None):
    return T.tags_for(ns=ns_id, vl=vl, role='ns-vl')


def discover(api, ns_id, name, need_cidrs=False):
    """The ``NsSnapshot`` of NS ``ns_id``."""
    jobs = {
        'anchors': lambda: api.list('network', '/security-groups', 'security_groups',
                                    params={'tags': ','.join(T.tags_for(ns=ns_id, role='ns-anchor'))}),
        'networks': lambda: api.list('network', '/networks', 'networks', params={'tags': ','.join(_tags(ns_id))}),
        'subnets': lambda: api.list('network', '/subnets', 'subnets', params={'tags': ','.join(_tags(ns_id))}),
    }
    if need_cidrs:
        jobs['cidrs'] = lambda: [s.get('cidr') for s in api.list('network', '/subnets', 'subnets', params={'fields': 'cidr'})]
    found = run_concurrently(jobs)
    return NsSnapshot(ns_id=ns_id, name=name, anchors=found['anchors'], networks=found['networks'], subnets=found['subnets'],
                      used_cidrs=[c for c in found.get('cidrs') or [] if c])


def needs_cidrs(plan):
    """Whether a VL of ``plan`` has no CIDR in the NSD (one is allocated from cidr_pool)."""
    return any(not part.vl.cidr for part in plan.vls.values())


def plan_links(plan, snap):
    """The lcm Plan creating the networks and subnets of ``plan``'s virtual links that ``snap`` lacks."""
    out = M.Plan(operation='INSTANTIATE', instance_id=plan.ns_id, vnf_name=plan.name)
    need = [vl for vl, part in sorted(plan.vls.items()) if snap.subnet(vl) is None and not part.vl.cidr]
    if need and not plan.cidr_pool:
        raise LcmError('NS virtual link %s has no CIDR in the NSD: give cidr_pool to allocate one' % need[0])
    try:
        allocated = dict(zip(need, allocate_cidrs(plan.cidr_pool, len(need), snap.used_cidrs) if need else []))
    except PlanError as exc:
        raise LcmError(str(exc))
    for vl, part in sorted(plan.vls.items()):
        net = snap.network(vl)
        if net is None:
            out.actions.append(M.Action(M.CREATE, 'network', 'network/%s' % vl, part.net_name, owner={'vl': vl}, tags=_tags(plan.ns_id, vl),
                                        spec={'name': part.net_name, 'admin_state_up': True}, detail='NS virtual link'))
        if snap.subnet(vl) is not None:
            continue
        cidr = part.vl.cidr or allocated[vl]
        spec = {'name': part.net_name, 'network_id': net['id'] if net else M.ref('network/%s' % vl), 'cidr': cidr,
                'ip_version': 6 if (part.vl.ip_version or '').lower() in ('ipv6', '6') or ':' in cidr else 4}
        if part.vl.gateway_ip:
            spec['gateway_ip'] = part.vl.gateway_ip
        if part.vl.dhcp_enabled is not None:
            spec['enable_dhcp'] = bool(part.vl.dhcp_enabled)
        out.actions.append(M.Action(M.CREATE, 'subnet', 'subnet/%s' % vl, part.net_name, spec=spec, deps=[] if net else ['network/%s' % vl],
                                    owner={'vl': vl}, tags=_tags(plan.ns_id, vl), detail=cidr + (' from cidr_pool' if vl in allocated else '')))
    return out


def stand_in(part):
    """The network a VNF plan refers to in check mode, before the VL network exists."""
    return {'id': '(%s, to be created)' % part.net_name, 'name': part.net_name}


def plan_unlink(snap, name):
    """The lcm Plan deleting every VL network of the NS (their subnets go with them)."""
    out = M.Plan(operation='TERMINATE', instance_id=snap.ns_id, vnf_name=name)
    for net in snap.networks:
        out.actions.append(delete_action('network', 'network/%s' % T.parse_tags(net.get('tags')).get('vl', net['id']), net))
    return out
