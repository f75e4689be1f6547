# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ETSI SOL003 shapes of a VNF instance rebuilt from the cloud, its LCM operation occurrences, and drift.

Pure: works on a ``model.Snapshot`` (what ``discovery`` found) and executor outcomes given as plain lists.

- ``vnf_instance(snap)``: a ``VnfInstance`` dict (id, vnfInstanceName, vnfdId, vnfdVersion, instantiationState,
  instantiatedVnfInfo{flavourId, vnfState, scaleStatus, vnfcResourceInfo, virtualLinkResourceInfo,
  virtualStorageResourceInfo, extCpInfo}, metadata).
- ``lcm_op_occ(Occurrence(...))``: a ``VnfLcmOpOcc`` dict with resourceChanges (ADDED / REMOVED) and ProblemDetails on error.
- ``drift(snap)``: what differs from what the instance record says (VNFCs missing, extra, broken, orphans).
- ``read_record`` / ``encode_record``: the anchor's description, a compact JSON holding the lock and the last
  LCM operation; ``read_info`` / ``encode_info``: what MODIFY_INFO recorded (description, metadata, extensions) in
  the anchor's ``nfvo:info`` tags.
"""
from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Optional, Sequence

from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import CREATE, DELETE, UPDATE, split_vnfc_id, vnfc_id
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

RECORD_MAX = 255  # Neutron description length
INFO_FIELDS = ('vnfInstanceDescription', 'metadata', 'extensions')  # what MODIFY_INFO changes (with vnfInstanceName)
# the keys of VnfInstance.metadata that are ours (a user's metadata may not use them)
OWN_METADATA = ('instantiationLevelId', 'vduInstances', 'nsInstanceId', 'serverGroups', 'lastOperation', 'lock', 'record', 'drift')


def now_iso(ts=None):
    ts = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc) if ts else datetime.datetime.now(datetime.timezone.utc)
    return ts.strftime('%Y-%m-%dT%H:%M:%SZ')


def read_record(anchor):
    """{'lock': {'op', 'exp'}?, 'op': {'id', 'type', 'state', 'at'}?} from the anchor's description."""
    try:
        record = json.loads((anchor or {}).get('description') or '{}')
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def encode_record(record):
    text = json.dumps(record, separators=(',', ':'), sort_keys=True)
    for extra in ('error', 'v', 'prev'):  # keep the lock; shorten the op record
        if len(text) <= RECORD_MAX:
            break
        record = dict(record, op=dict(record.get('op') or {}))
        record['op'].pop(extra, None)
        text = json.dumps(record, separators=(',', ':'), sort_keys=True)
    return text


def read_info(tags):
    """{'vnfInstanceDescription'?, 'metadata'?, 'extensions'?} that MODIFY_INFO recorded in the anchor's tags
    (``tags.info_tags``; {} without, or when unreadable)."""
    try:
        info = json.loads(T.parse_info(tags) or '{}')
    except ValueError:
        return {}
    return {k: v for k, v in info.items() if k in INFO_FIELDS} if isinstance(info, dict) else {}


def encode_info(info):
    """The text ``read_info`` reads back (None values and empty parts left out)."""
    info = {k: info[k] for k in INFO_FIELDS if info.get(k) not in (None, '', {})}
    return json.dumps(info, separators=(',', ':'), sort_keys=True) if info else ''


def record_of(snap):
    """Identity and levels from the anchor's tags (None without anchor)."""
    anchor = snap.anchor
    if anchor is None:
        return None
    tags = anchor.get('tags') or []
    owners = T.parse_tags(tags)
    return {
        'id': owners.get('vnf') or snap.instance_id,
        'name': owners.get('vnf_name') or snap.vnf_name,
        'vnfd_id': owners.get('vnfd'),
        'vnfd_version': owners.get('vnfd_version'),
        'flavour_id': owners.get('flavour'),
        'ns_id': owners.get('ns'),
        'instantiation_level_id': owners.get('level'),
        'scale_levels': T.parse_multi_tags(tags, 'scale'),
        'vdu_instances': T.parse_multi_tags(tags, 'want'),
        'images': T.parse_multi_tags(tags, 'image', str),
        'record': read_record(anchor),
        'info': read_info(tags),
        'anchor_id': anchor['id'],
        'created_at': anchor.get('created_at'),
    }


def _owners(res, kind):
    if kind in ('server', 'volume'):
        return T.parse_metadata(res.get('metadata')) or T.parse_tags(res.get('tags'))
    return T.parse_tags(res.get('tags'))


def _handle(res_id, kind):
    return {'resourceId': res_id, 'vimLevelResourceType': kind}


def vnf_instance(snap, drift_items=None):
    """The SOL003 VnfInstance of a snapshot (NOT_INSTANTIATED when there is neither record nor resource)."""
    rec = record_of(snap)
    out = {'id': snap.instance_id, 'vnfInstanceName': (rec or {}).get('name') or snap.vnf_name}
    if rec is None and snap.is_empty():
        out['instantiationState'] = 'NOT_INSTANTIATED'
        return out
    rec = rec or {}
    out.update({'vnfdId': rec.get('vnfd_id'), 'vnfdVersion': rec.get('vnfd_version'), 'instantiationState': 'INSTANTIATED'})
    nets = {n['id']: n for n in snap.networks}
    ports_by_vnfc = {}
    for p in snap.ports:
        ports_by_vnfc.setdefault(_owners(p, 'port').get('vnfc'), []).append(p)
    vols_by_vnfc = {}
    for v in snap.volumes:
        vols_by_vnfc.setdefault(_owners(v, 'volume').get('vnfc'), []).append(v)

    vnfcs, ext_cps = [], []
    link_ports = {}  # network id -> [vnfLinkPort]
    for s in sorted(snap.servers, key=lambda x: _vnfc_sort(_owners(x, 'server').get('vnfc'))):
        o = _owners(s, 'server')
        vnfc = o.get('vnfc') or s['id']
        cps = []
        for p in sorted(ports_by_vnfc.get(o.get('vnfc'), []), key=lambda x: _owners(x, 'port').get('cp') or ''):
            cp = _owners(p, 'port').get('cp')
            cp_id = '%s-%s' % (vnfc, cp)
            cps.append({'id': cp_id, 'cpdId': cp, 'vnfLinkPortId': p['id'],
                        'cpProtocolInfo': [_ip_info(p)]})
            link_ports.setdefault(p.get('network_id'), []).append(
                {'id': p['id'], 'resourceHandle': _handle(p['id'], 'OS::Neutron::Port'), 'cpInstanceId': cp_id})
            if p.get('network_id') not in nets:
                ext_cps.append({'id': 'ext-%s' % cp_id, 'cpdId': cp, 'associatedVnfcCpId': cp_id, 'extLinkPortId': p['id'],
                                'cpProtocolInfo': [_ip_info(p)], 'networkId': p.get('network_id')})
        vols = vols_by_vnfc.get(o.get('vnfc'), [])
        vnfcs.append({
            'id': vnfc, 'vduId': o.get('vdu'),
            'computeResource': _handle(s['id'], 'OS::Nova::Server'),
            'storageResourceIds': ['%s-%s' % (vnfc, _owners(v, 'volume').get('storage')) for v in vols],
            'vnfcCpInfo': cps,
            'metadata': {'name': s.get('name'), 'status': s.get('status'), 'host': s.get('OS-EXT-SRV-ATTR:host'),
                         'availability_zone': s.get('OS-EXT-AZ:availability_zone'), 'flavor': (s.get('flavor') or {}).get('original_name'),
                         'addresses': _addresses(s)},
        })
    vls = []
    for n in sorted(snap.networks, key=lambda x: _owners(x, 'network').get('vl') or ''):
        vl = _owners(n, 'network').get('vl')
        vls.append({'id': vl or n['id'], 'vnfVirtualLinkDescId': vl, 'networkResource': _handle(n['id'], 'OS::Neutron::Net'),
                    'vnfLinkPorts': link_ports.get(n['id'], []),
                    'metadata': {'name': n.get('name'),
                                 'subnets': [{'id': sn['id'], 'cidr': sn.get('cidr')} for sn in snap.subnets if sn.get('network_id') == n['id']]}})
    storages = []
    for v in snap.volumes:
        o = _owners(v, 'volume')
        storages.append({'id': '%s-%s' % (o.get('vnfc'), o.get('storage')), 'virtualStorageDescId': o.get('storage'),
                         'storageResource': _handle(v['id'], 'OS::Cinder::Volume'),
                         'metadata': {'name': v.get('name'), 'status': v.get('status'), 'size_gb': v.get('size')}})
    statuses = {s.get('status') for s in snap.servers}
    info = {
        'flavourId': rec.get('flavour_id'),
        'vnfState': 'STOPPED' if statuses and statuses <= {'SHUTOFF', 'STOPPED'} else 'STARTED',
        'scaleStatus': [{'aspectId': a, 'scaleLevel': n} for a, n in sorted((rec.get('scale_levels') or {}).items())],
        'vnfcResourceInfo': vnfcs,
        'virtualLinkResourceInfo': vls,
        'virtualStorageResourceInfo': storages,
        'extCpInfo': ext_cps,
    }
    out['instantiatedVnfInfo'] = info
    record = rec.get('record') or {}
    info = rec.get('info') or {}
    if info.get('vnfInstanceDescription'):
        out['vnfInstanceDescription'] = info['vnfInstanceDescription']
    if info.get('extensions'):
        out['extensions'] = dict(info['extensions'])
    out['metadata'] = dict(info.get('metadata') or {})  # the user's (MODIFY_INFO), then ours
    out['metadata'].update({
        'instantiationLevelId': rec.get('instantiation_level_id'),
        'vduInstances': rec.get('vdu_instances') or {},
        'nsInstanceId': rec.get('ns_id'),
        'serverGroups': [{'id': g['id'], 'name': g.get('name'), 'policy': g.get('policy') or (g.get('policies') or [None])[0],
                          'members': g.get('members') or []} for g in snap.server_groups],
        'lastOperation': record.get('op'),
        'lock': record.get('lock'),
        'record': rec.get('anchor_id'),
    })
    if rec.get('ns_id'):
        out['nsInstanceId'] = rec['ns_id']
    if drift_items is not None:
        out['metadata']['drift'] = drift_items
    return out


def _vnfc_sort(vnfc):
    vdu, index = split_vnfc_id(vnfc or '')
    return (vdu or '', index if index is not None else -1)


def _ip_info(port):
    return {'layerProtocol': 'IP_OVER_ETHERNET',
            'ipOverEthernet': {'macAddress': port.get('mac_address'),
                               'ipAddresses': [{'type': 'IPV6' if ':' in (ip.get('ip_address') or '') else 'IPV4',
                                                'addresses': [ip.get('ip_address')], 'subnetId': ip.get('subnet_id')}
                                               for ip in port.get('fixed_ips') or []]}}


def _addresses(server):
    return sorted(a.get('addr') for addrs in (server.get('addresses') or {}).values() for a in addrs if a.get('addr'))


# ---------------------------------------------------------------------------------------------------------------
# LCM operation occurrences

VIM_TYPES = {'server': 'OS::Nova::Server', 'network': 'OS::Neutron::Net', 'volume': 'OS::Cinder::Volume'}


def resource_changes(created, deleted):
    """{affectedVnfcs, affectedVirtualLinks, affectedVirtualStorages} from executor outcomes (net of rollbacks).

    ``created``: [(kind, key, resource dict)], ``deleted``: [(kind, key, resource id)]."""
    created_ids = {res['id'] for _k, _key, res in created}
    deleted_ids = {rid for _k, _key, rid in deleted}
    out = {'affectedVnfcs': [], 'affectedVirtualLinks': [], 'affectedVirtualStorages': []}
    entries = [(k, key.split('#')[0], res['id'], 'ADDED') for k, key, res in created if res['id'] not in deleted_ids]
    entries += [(k, key.split('#')[0], rid, 'REMOVED') for k, key, rid in deleted if rid not in created_ids]
    for kind, key, rid, change in entries:
        parts = key.split('/')
        if kind == 'server':
            out['affectedVnfcs'].append({'id': parts[1], 'vduId': split_vnfc_id(parts[1])[0], 'changeType': change,
                                         'computeResource': _handle(rid, VIM_TYPES['server'])})
        elif kind == 'network':
            out['affectedVirtualLinks'].append({'id': parts[1], 'vnfVirtualLinkDescId': parts[1], 'changeType': change,
                                                'networkResource': _handle(rid, VIM_TYPES['network'])})
        elif kind == 'volume':
            out['affectedVirtualStorages'].append({'id': '%s-%s' % (parts[1], parts[2]), 'virtualStorageDescId': parts[2],
                                                   'changeType': change, 'storageResource': _handle(rid, VIM_TYPES['volume'])})
    return out


@dataclass
class Occurrence:
    """One LCM operation occurrence: what ``lcm_op_occ`` shapes as a VnfLcmOpOcc. ``created`` / ``deleted``: executor
    outcomes; ``modified``: [(VNFC id, server id)] changed in place or recreated (heal); ``error``: the one line of
    the failure, ``status`` its HTTP status."""
    op_id: str
    operation: str
    state: str
    instance_id: str
    start: float
    end: Optional[float] = None
    created: Sequence = ()
    deleted: Sequence = ()
    error: Optional[str] = None
    status: Optional[int] = None
    params: Optional[dict] = None
    modified: Sequence = ()


def lcm_op_occ(occ):
    """The VnfLcmOpOcc of an ``Occurrence``: each VNFC of ``occ.modified`` is one MODIFIED entry instead of
    ADDED + REMOVED."""
    out = {
        'id': occ.op_id,
        'operation': occ.operation,
        'operationState': occ.state,
        'vnfInstanceId': occ.instance_id,
        'startTime': now_iso(occ.start),
        'stateEnteredTime': now_iso(occ.end or occ.start),
        'isAutomaticInvocation': False,
        'isCancelPending': False,
        'operationParams': occ.params or {},
        'resourceChanges': resource_changes(list(occ.created), list(occ.deleted)),
    }
    if occ.modified:
        changes = out['resourceChanges']
        names = {vnfc for vnfc, dummy in occ.modified}
        changes['affectedVnfcs'] = [v for v in changes['affectedVnfcs'] if v['id'] not in names]
        changes['affectedVnfcs'] += [{'id': vnfc, 'vduId': split_vnfc_id(vnfc)[0], 'changeType': 'MODIFIED',
                                      'computeResource': _handle(rid, VIM_TYPES['server'])} for vnfc, rid in occ.modified]
    if occ.error:
        out['error'] = {'status': occ.status or 500,
                        'title': '%s of VNF instance %s failed' % (occ.operation.capitalize(), occ.instance_id),
                        'detail': occ.error}
    return out


# ---------------------------------------------------------------------------------------------------------------
# drift

def drift(snap, plan=None):
    """What differs from the instance record: [{'type': missing|extra|error|orphan|unrecorded, 'resource', 'detail'}].

    Without a plan it compares the VNFCs with the VDU counts the record holds (``nfvo:want``) and finds units that
    lost their server; with a plan (``converge.plan_converge`` against the package) every action of that plan is
    drift too (network, port or volume missing...)."""
    items = []
    rec = record_of(snap)
    if rec is None:
        if not snap.is_empty():
            items.append({'type': 'unrecorded', 'resource': 'VNF instance %s' % snap.instance_id,
                          'detail': 'resources exist without the instance record (a failed run kept them, or the record was deleted)'})
        return items
    want = rec.get('vdu_instances') or {}
    servers = {}
    for s in snap.servers:
        servers.setdefault(_owners(s, 'server').get('vnfc'), []).append(s)
    units = set()
    for p in snap.ports:
        units.add(_owners(p, 'port').get('vnfc'))
    for v in snap.volumes:
        units.add(_owners(v, 'volume').get('vnfc'))
    for vdu, count in sorted(want.items()):
        for i in range(count):
            vnfc = vnfc_id(vdu, i)
            have = servers.get(vnfc) or []
            if not have:
                items.append({'type': 'missing', 'resource': 'server %s' % vnfc,
                              'detail': 'VDU %s should have %d instance(s); %s has no server' % (vdu, count, vnfc)})
            for s in have:
                if s.get('status') not in ('ACTIVE', 'BUILD', 'SHUTOFF'):
                    items.append({'type': 'error', 'resource': 'server %s' % vnfc, 'detail': 'status %s' % s.get('status')})
            if len(have) > 1:
                items.append({'type': 'extra', 'resource': 'server %s' % vnfc, 'detail': '%d servers for one VNFC' % len(have)})
    for vnfc, have in sorted(servers.items(), key=lambda kv: _vnfc_sort(kv[0])):
        vdu, index = split_vnfc_id(vnfc or '')
        if index is None or index >= want.get(vdu, 0):
            items.append({'type': 'extra', 'resource': 'server %s' % vnfc,
                          'detail': 'beyond the %d instance(s) of VDU %s in the record' % (want.get(vdu, 0), vdu)})
    for vnfc in sorted(u for u in units if u and u not in servers):
        vdu, index = split_vnfc_id(vnfc)
        if index is None or index >= want.get(vdu, 0):
            items.append({'type': 'orphan', 'resource': 'VNFC %s' % vnfc, 'detail': 'ports/volumes left without a server'})
    if plan is not None:
        seen = {i['resource'] for i in items}
        for a in plan.actions:
            if a.kind == 'anchor' or a.label() in seen:
                continue
            items.append({'type': 'missing' if a.op == 'create' else 'extra' if a.op == 'delete' else 'changed',
                          'resource': a.label(), 'detail': a.summary()})
    return items


# ---------------------------------------------------------------------------------------------------------------
# diff

def summary(snap):
    """A compact, stable view of an instance for --diff before/after."""
    inst = vnf_instance(snap)
    info = inst.get('instantiatedVnfInfo') or {}
    meta = inst.get('metadata') or {}
    out = {
        'instantiationState': inst['instantiationState'],
        'flavourId': info.get('flavourId'),
        'instantiationLevelId': meta.get('instantiationLevelId'),
        'scaleStatus': {s['aspectId']: s['scaleLevel'] for s in info.get('scaleStatus') or []},
        'vnfcs': sorted((v['id'] for v in info.get('vnfcResourceInfo') or []), key=_vnfc_sort),
        'virtualLinks': sorted(v['id'] for v in info.get('virtualLinkResourceInfo') or []),
        'storages': sorted(v['id'] for v in info.get('virtualStorageResourceInfo') or []),
        'serverGroups': sorted(g['name'] for g in meta.get('serverGroups') or []),
    }
    ext = {}
    for c in info.get('extCpInfo') or []:
        ips = c['cpProtocolInfo'][0]['ipOverEthernet']['ipAddresses']
        ext[c['associatedVnfcCpId']] = {'network': c.get('networkId'), 'fixedIps': sorted(a for ip in ips for a in ip['addresses'] if a)}
    if ext:  # where the external CPs are (CHANGE_EXT_CONN)
        out['extCps'] = ext
    out.update(info_summary(inst))
    return out


def info_summary(inst):
    """The MODIFY_INFO part of a VnfInstance for --diff ({} when it has none, so other diffs stay as they were)."""
    user = {k: v for k, v in (inst.get('metadata') or {}).items() if k not in OWN_METADATA}
    out = {'metadata': user} if user else {}
    for key in ('vnfInstanceDescription', 'extensions'):
        if inst.get(key):
            out[key] = inst[key]
    return out


def _port_after(after, action, cp_id):
    """The external CP ``cp_id`` in ``after`` once its port is created or updated (a port on an internal VL: nothing)."""
    network = action.spec.get('network_id')
    if action.op == CREATE and not isinstance(network, str):
        return
    entry = dict((after.get('extCps') or {}).get(cp_id) or {})
    if action.op == CREATE:
        entry['network'] = network
    if action.op == CREATE or 'fixed_ips' in action.spec:
        entry['fixedIps'] = sorted(ip['ip_address'] for ip in action.spec.get('fixed_ips') or [] if ip.get('ip_address'))
    after.setdefault('extCps', {})[cp_id] = entry


def summary_after(before, plan):
    """``summary`` as it will be once ``plan`` is applied."""
    after = json.loads(json.dumps(before))
    lists = {'server': 'vnfcs', 'network': 'virtualLinks', 'volume': 'storages'}
    for a in plan.actions:
        if a.kind == 'anchor' and a.op == UPDATE and 'info' in a.spec:  # MODIFY_INFO: the record's new info
            for k in INFO_FIELDS:
                after.pop(k, None)
            after.update(info_summary(a.spec['info']))
        key = a.key.split('#')[0]
        parts = key.split('/')
        if a.kind == 'port' and a.op in (CREATE, UPDATE) and len(parts) == 3:
            _port_after(after, a, '%s-%s' % (parts[1], parts[2]))
        name = {'server': lambda: parts[1], 'network': lambda: parts[1], 'volume': lambda: '%s-%s' % (parts[1], parts[2] if len(parts) > 2 else ''),
                'server_group': lambda: a.name}.get(a.kind)
        target = lists.get(a.kind) or ('serverGroups' if a.kind == 'server_group' else None)
        if target is None or name is None:
            continue
        if a.op == CREATE and name() not in after[target]:
            after[target].append(name())
        elif a.op == DELETE and '#' not in a.key and name() in after[target]:
            after[target].remove(name())
    for k in lists.values():
        after[k].sort(key=_vnfc_sort if k == 'vnfcs' else str)
    after['serverGroups'].sort()
    if plan.operation == 'TERMINATE':
        return {'instantiationState': 'NOT_INSTANTIATED'}
    after['instantiationState'] = 'INSTANTIATED'
    if plan.target:
        after['flavourId'] = plan.target.get('flavour_id')
        after['instantiationLevelId'] = plan.target.get('instantiation_level_id')
        after['scaleStatus'] = dict(plan.target.get('scale_levels') or {})
    return after
