# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ETSI SOL005 shapes of the NS lifecycle: ``NsInstance`` (its VNFs as SOL003 ``VnfInstance``s), ``NsLcmOpOcc``, the
drift of an NS against its record, and the before/after summary of ``--diff``. Pure."""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import member_counts, member_names, members, recorded_dfs, recorded_scale


def ns_instance(snap, vnf_instances, nodes=None, drift_items=None):
    """The NsInstance of an ``NsSnapshot`` and its VNFs' VnfInstances; ``nodes``: {VNF instance id: VNF node}."""
    anchor = snap.anchor
    marks = T.parse_tags((anchor or {}).get('tags'))
    instantiated = [v for v in vnf_instances if v.get('instantiationState') == 'INSTANTIATED']
    out = {'id': snap.ns_id, 'nsInstanceName': marks.get('ns_name') or snap.name, 'nsInstanceDescription': None,
           'nsdId': marks.get('nsd'), 'flavourId': marks.get('flavour'),
           'nsState': 'INSTANTIATED' if anchor is not None or instantiated or snap.networks else 'NOT_INSTANTIATED',
           'vnfInstance': list(vnf_instances), 'virtualLinkInfo': [], 'sapInfo': [],
           'nsScaleStatus': [{'nsScalingAspectId': a, 'nsScaleLevelId': str(n)} for a, n in sorted(recorded_scale(anchor).items())]}
    subnets = {}
    for s in snap.subnets:
        subnets.setdefault(s.get('network_id'), []).append(s)
    for net in sorted(snap.networks, key=lambda n: T.parse_tags(n.get('tags')).get('vl') or ''):
        vl = T.parse_tags(net.get('tags')).get('vl')
        out['virtualLinkInfo'].append({
            'id': net['id'], 'nsVirtualLinkDescId': vl, 'nsVirtualLinkProfileId': vl,
            'resourceHandle': [{'resourceId': net['id'], 'vimLevelResourceType': 'OS::Neutron::Net'}]
            + [{'resourceId': s['id'], 'vimLevelResourceType': 'OS::Neutron::Subnet'} for s in subnets.get(net['id'], [])],
            'cidr': [s.get('cidr') for s in subnets.get(net['id'], [])]})
    rec = V.read_record(anchor) if anchor is not None else {}
    batch_of, vls = members(anchor)
    flavours = {n: f if not lv else '%s/%s' % (f, lv) for n, (f, lv) in recorded_dfs(anchor).items()}  # CHANGE_VNF_DF
    out['metadata'] = {'nsInstantiationLevelId': marks.get('level'), 'vnfNodes': dict(nodes or {}),
                       'members': {'vnfs': batch_of, 'vls': vls, 'flavours': flavours},
                       'vnfInstances': member_counts(anchor),
                       'lastOperation': rec.get('op'), 'lock': rec.get('lock')}
    if drift_items is not None:
        out['metadata']['drift'] = drift_items
    return out


def ns_drift(snap, vnf_instances):
    """What differs from the NS record: VNFs and VLs it expects that are missing, VNFs with missing VNFCs."""
    items = []
    dummy, vls = members(snap.anchor)
    if snap.anchor is None:
        if not snap.is_empty():
            items.append({'type': 'unrecorded', 'resource': 'NS instance %s' % snap.ns_id, 'detail': 'VL networks exist without the NS record'})
        return items
    by_name = {v.get('vnfInstanceName'): v for v in vnf_instances}
    for key, node in sorted(member_names(snap.anchor).items()):
        vnf = by_name.get(T.ns_vnf_name(snap.name, key))
        if vnf is None or vnf.get('instantiationState') != 'INSTANTIATED':
            items.append({'type': 'missing', 'resource': 'VNF %s' % key, 'detail': 'VNF instance %s is not in the cloud' % T.ns_vnf_name(snap.name, key)})
            continue
        for d in (vnf.get('metadata') or {}).get('drift') or []:
            items.append(dict(d, vnf=node, resource='VNF %s: %s' % (key, d.get('resource'))))
    for vl in vls:
        if snap.network(vl) is None:
            items.append({'type': 'missing', 'resource': 'NS virtual link %s' % vl,
                          'detail': 'network %s is not in the cloud' % T.ns_vl_name(snap.name, vl)})
        elif snap.subnet(vl) is None:
            items.append({'type': 'missing', 'resource': 'subnet of NS virtual link %s' % vl,
                          'detail': 'network %s has no subnet' % T.ns_vl_name(snap.name, vl)})
    return items


def ns_lcm_op_occ(occ):
    """The NsLcmOpOcc of an occurrence dict: op_id, operation, state, ns_id, start, end, params, vnfs ([(node, VNF
    instance id, changeType, changeResult, its VnfLcmOpOcc id or None)]), vls ([(VL, network id, changeType)]), error."""
    out = {'id': occ['op_id'], 'lcmOperationType': occ['operation'], 'operationState': occ['state'], 'nsInstanceId': occ['ns_id'],
           'startTime': V.now_iso(occ['start']), 'stateEnteredTime': V.now_iso(occ.get('end') or occ['start']),
           'statusEnteredTime': V.now_iso(occ.get('end') or occ['start']), 'isAutomaticInvocation': False, 'isCancelPending': False,
           'operationParams': occ.get('params') or {},
           'resourceChanges': {
               'affectedVnfs': [{'vnfProfileId': node, 'vnfInstanceId': iid, 'vnfdId': vnfd_id, 'changeType': change,
                                 'changeResult': result, 'vnfLcmOpOccId': vnf_op}
                                for node, iid, vnfd_id, change, result, vnf_op in occ.get('vnfs') or []],
               'affectedVls': [{'nsVirtualLinkDescId': vl, 'nsVirtualLinkInstanceId': net_id, 'changeType': change, 'changeResult': 'COMPLETED'}
                               for vl, net_id, change in occ.get('vls') or []]}}
    if occ.get('error'):
        out['error'] = {'status': occ.get('status') or 500,
                        'title': '%s of NS instance %s %s' % (occ['operation'].capitalize(), occ['ns_id'],
                                                              'partially completed' if occ['state'] == 'PARTIALLY_COMPLETED' else 'failed'),
                        'detail': occ['error']}
    return out


def ns_summary(snap, vnf_summaries):
    """The --diff summary of an NS: its state, VLs and each VNF's lcm summary."""
    return {'nsState': 'INSTANTIATED' if snap.anchor is not None else 'NOT_INSTANTIATED',
            'virtualLinks': sorted(T.parse_tags(n.get('tags')).get('vl') or n['id'] for n in snap.networks),
            'vnfs': dict(vnf_summaries)}
