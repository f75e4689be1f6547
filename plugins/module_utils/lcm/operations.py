# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The entry points of the operations on an instantiated VNF: SCALE, HEAL, OPERATE (and ``vnf_state`` of ``vnf``).

Each reads the instance (``load``), plans (``scale.py``, ``heal.py``, ``operate.py``) and runs the one skeleton of ``operation.py``:

- SCALE (``vnf_scale``) and SCALE_TO_LEVEL (``vnf`` with ``scale_levels`` / ``instantiation_level_id``) compute
  the aspect levels (``scale.scale_levels_after``), then converge the VDU counts like an instantiation
  (``lifecycle.instantiate``): missing VNFCs are created, those beyond the counts deleted, newest first.
- HEAL (``vnf_heal``): ``heal.unhealthy_vnfcs`` finds the VNFCs to heal; ``recreate`` converges with those VNFCs
  replaced (their ports and volumes are reused: same fixed IPs), ``reboot`` / ``rebuild`` act on the servers.
- OPERATE (``vnf_operate``): start / stop every server, recording the intended state on the anchor
  (``nfvo:state=STARTED|STOPPED``) so that heal knows a SHUTOFF server is broken only when the VNF should run.

Continuing a FAILED_TEMP occurrence (``vnf_lcm_op_occ``) is ``occurrences.py``.

The VNF package is not stored in the cloud: operations that create servers (scale out, heal by recreate, retry)
read it from ``package``. Images, external networks (an internal VL a VnfExtCp put on one too) and the VNF security
group of the new VNFCs are taken from the existing ones when the task does not give them.
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.heal import unhealthy_vnfcs
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operate import plan_server_actions
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.scale import scale_levels_after
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, PackageError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import build_request, instantiate
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Operation, discover_one, unchanged
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import exposed_from_ports
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package


# ---------------------------------------------------------------------------------------------------------------
# reading what exists

def load(ctx, name):
    """(snapshot, record) of an instantiated VNF; LcmError when it is not."""
    snap = discover_one(ctx.api, T.vnf_instance_id(ctx.project_id, name), name)
    rec = V.record_of(snap)
    if rec is None or not rec.get('vnfd_id'):
        raise LcmError('VNF %s is not instantiated (no instance record %s in the project)' % (name, T.anchor_name(name)))
    return snap, rec


def read_vnf_package(path, rec, name, limits=None):
    """The VNF package at ``path`` (read within ``limits``), checked to hold the VNFD the instance was made from."""
    if not path:
        raise LcmError('VNF %s: this operation creates servers and needs the VNF package (package: <path of VNFD %s>)' % (name, rec['vnfd_id']))
    try:
        pkg = read_package(path, limits=limits)
    except PackageError as exc:
        raise LcmError('Cannot read VNF package %s: %s' % (path, exc))
    if pkg.vnfd.descriptor_id != rec['vnfd_id'] or pkg.vnfd.descriptor_version != rec['vnfd_version']:
        raise LcmError('VNF %s is instantiated from VNFD %s version %s; package %s holds %s version %s'
                       % (name, rec['vnfd_id'], rec['vnfd_version'], path, pkg.vnfd.descriptor_id, pkg.vnfd.descriptor_version))
    return pkg


def request_from_record(ctx, name, pkg, rec, snap, p):
    """The converge request of an instantiated VNF at its recorded levels. What the task (``p``: ``images``,
    ``ext_virtual_links``, ``additional_params``) does not give is taken from the VNF's resources: the image of each
    VDU / storage, the external network of each external CP, the VNF security group (kept when it exists)."""
    given = {'instantiation_level_id': rec.get('instantiation_level_id'), 'ext_virtual_links': p.get('ext_virtual_links'),
             'additional_params': p.get('additional_params'), 'images': p.get('images'), 'ns_instance_id': rec.get('ns_id')}
    req, flavour = build_request(ctx.project_id, name, pkg, rec['flavour_id'], given)
    req.scale_levels = dict(rec.get('scale_levels') or {})
    if not req.scale_levels:
        req.scale_levels = None
    existing, dummy = M.index_snapshot(snap)
    if existing.get(M.VNF_SG):
        req.security_group_rules = []  # exists: kept as it is
    # the images the instance is known to use, for VDUs / storages the task does not map (heal, scale, retry)
    for server in snap.servers:
        vdu = T.parse_metadata(server.get('metadata')).get('vdu')
        image = server.get('image')
        if vdu and isinstance(image, dict) and image.get('id'):
            req.known_images.setdefault(vdu, image['id'])
    for vol in snap.volumes:
        storage = T.parse_metadata(vol.get('metadata')).get('storage')
        image_id = (vol.get('volume_image_metadata') or {}).get('image_id')
        if storage and image_id:
            req.known_images.setdefault(storage, image_id)
    for node, image_id in (rec.get('images') or {}).items():  # recorded at instantiation: VDUs with no VNFC left
        req.known_images.setdefault(node, image_id)
    for cp_name, cp in flavour.cps.items():
        if cp.virtual_link or cp_name in req.ext_links:
            continue
        port = next((p for p in snap.ports if T.parse_tags(p.get('tags')).get('cp') == cp_name), None)
        if port is not None:
            req.ext_links[cp_name] = M.ExtLink(cpd_id=cp_name, network=port['network_id'])
    exposed_from_ports(flavour, req, snap.ports, existing)
    return req, flavour


def _vnfc_ids(snap, counts):
    """Every VNFC of the VNF: the recorded counts' ones and any other that has a server."""
    out = [M.vnfc_id(vdu, i) for vdu, n in sorted(counts.items()) for i in range(n)]
    for server in snap.servers:
        vnfc = T.parse_metadata(server.get('metadata')).get('vnfc')
        if vnfc and vnfc not in out:
            out.append(vnfc)
    return out


def recreated(result):
    """Heal by recreate: a VNFC whose server was replaced is MODIFIED, not ADDED + REMOVED."""
    occ = result.lcm_op_occ
    if not occ:
        return result
    vnfcs = occ['resourceChanges']['affectedVnfcs']
    added = {v['id']: v for v in vnfcs if v['changeType'] == 'ADDED'}
    for v in list(vnfcs):
        if v['id'] in added:
            vnfcs.remove(v)
    for vnfc, entry in sorted(added.items()):
        vnfcs.append(dict(entry, changeType='MODIFIED'))
    return result


# ---------------------------------------------------------------------------------------------------------------
# operations

def scale(ctx, name, p):
    """SCALE one aspect out or in by a number of steps (scale-in removes the newest VNFCs first)."""
    snap, rec = load(ctx, name)
    pkg = read_vnf_package(p.get('package'), rec, name, p.get('limits'))
    try:
        flavour = pkg.vnfd.flavour(rec['flavour_id'])
        levels = scale_levels_after(flavour, rec.get('scale_levels') or {}, p['aspect_id'], p['type'], p['number_of_steps'])
    except ValueError as exc:
        raise LcmError('Cannot scale VNF %s: %s' % (name, exc))
    req, flavour = request_from_record(ctx, name, pkg, rec, snap, p)
    req.scale_levels = levels
    params = {'type': p['type'].upper(), 'aspectId': p['aspect_id'], 'numberOfSteps': p['number_of_steps']}
    return instantiate(ctx, pkg, flavour, req, operation='SCALE', params=params, snap=snap)


def heal(ctx, name, p):
    """HEAL the given VNFCs (default: every unhealthy one) by reboot, rebuild or recreate."""
    snap, rec = load(ctx, name)
    counts = rec.get('vdu_instances') or {}
    strategy = p.get('strategy') or 'recreate'
    pkg = read_vnf_package(p.get('package'), rec, name, p.get('limits')) if p.get('package') or strategy == 'recreate' else None
    cps_of = None
    if pkg is not None:
        try:
            flavour = pkg.vnfd.flavour(rec['flavour_id'])
        except ValueError as exc:
            raise LcmError('Cannot heal VNF %s: %s' % (name, exc))
        cps_of = {vdu: list(v.cps) for vdu, v in flavour.vdus.items()}
    should_run = T.parse_tags(snap.anchor.get('tags')).get('state') != M.STOPPED
    unhealthy = unhealthy_vnfcs(snap, counts, cps_of, should_run)
    known = _vnfc_ids(snap, counts)
    targets = list(p.get('vnfc_instance_ids') or [])
    for vnfc in targets:
        if vnfc not in known:
            raise LcmError("Cannot heal VNF %s: '%s' is not one of its VNFCs (%s)" % (name, vnfc, ', '.join(known) or 'none'))
    if not targets:
        targets = [v for v in known if v in unhealthy]
    params = {'vnfcInstanceId': targets, 'cause': p.get('cause'), 'additionalParams': {'strategy': strategy},
              'unhealthy': {v: unhealthy[v] for v in targets if v in unhealthy}}
    if not targets:
        return unchanged(ctx, snap)
    if strategy == 'recreate':
        req, flavour = request_from_record(ctx, name, pkg, rec, snap, p)
        req.only = list(targets)
        existing, dummy = M.index_snapshot(snap)
        req.replace = [v for v in targets if existing.get('server/%s' % v)]
        return recreated(instantiate(ctx, pkg, flavour, req, operation='HEAL', params=params, snap=snap))
    op = M.REBOOT if strategy == 'reboot' else M.REBUILD
    try:
        plan = plan_server_actions(snap, targets, op, 'HEAL', detail=p.get('cause') or '')
    except PlanError as exc:
        raise LcmError('Cannot heal VNF %s: %s' % (name, exc))
    return Operation(ctx, snap, plan, params, extra={'v': targets, 'hs': strategy}, modified=True).run()


def operate(ctx, name, p):
    """OPERATE: start or stop every VNFC server (graceful stop: wait up to graceful_stop_timeout, then force)."""
    snap, dummy = load(ctx, name)
    target = M.STARTED if p['change_state_to'] == 'started' else M.STOPPED
    op = M.START if target == M.STARTED else M.STOP
    stop_type = p.get('stop_type') or 'graceful'
    tags_after = T.retag(snap.anchor.get('tags'), state=target)
    existing, dummy = M.index_snapshot(snap)
    vnfcs = sorted((k.split('/', 1)[1] for k in existing if M.kind_of(k) == 'server' and '#' not in k), key=M.split_vnfc_id)
    plan = plan_server_actions(snap, vnfcs, op, 'OPERATE', detail=stop_type if op == M.STOP else '', anchor_tags_after=tags_after)
    for a in plan.actions:
        if a.op == M.STOP:
            a.spec = {'then_force': True} if stop_type == 'graceful' else {'forceful': True}
    params = {'changeStateTo': target, 'stopType': stop_type.upper() if op == M.STOP else None,
              'gracefulStopTimeout': p.get('graceful_stop_timeout') if op == M.STOP else None}
    operation = Operation(ctx, snap, plan, params, extra={'to': target, 'st': stop_type})
    operation.graceful_timeout = p.get('graceful_stop_timeout') or 60
    result = operation.run()
    if result.diff is not None and result.changed:
        result.diff['after'] = dict(result.diff['after'], vnfState=target)
        result.diff['before'] = dict(result.diff['before'], vnfState=(V.vnf_instance(snap).get('instantiatedVnfInfo') or {}).get('vnfState'))
    return result


def converge_vnf_state(ctx, first, p):
    """``vnf`` with ``vnf_state``: OPERATE after the instance is converged (nothing when it is in that state).
    Returns one result: changed when either changed, the last occurrence, the diff from before the first to after."""
    if first.error or (ctx.opts.check_mode and first.vnf_instance.get('instantiationState') != 'INSTANTIATED'):
        return first
    second = operate(ctx, p['name'], {'change_state_to': p['vnf_state'], 'stop_type': 'graceful',
                                      'graceful_stop_timeout': p.get('graceful_stop_timeout')})
    return combined(first, second)


def combined(first, second):
    """The one result of two operations run one after the other on a VNF (``vnf``: a converge, then OPERATE or a
    change): changed when either changed, the last occurrence, the diff from before the first to after the second,
    both plans (check mode)."""
    if not second.changed:
        return first
    if first.diff is not None and second.diff is not None:
        second.diff['before'] = first.diff['before']
    if first.plan and second.plan is not None:
        second.plan = first.plan + second.plan
    second.warnings = first.warnings + second.warnings
    return second
