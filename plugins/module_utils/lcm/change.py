# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change operations of an instantiated VNF (``vnf_change``, and ``vnf``'s declarative changes): MODIFY_INFO,
CHANGE_EXT_CONN, the entry of CHANGE_FLAVOUR (a converge, planned in ``change_flavour.py``) and the dispatch to
CHANGE_VNFPKG (the rolling upgrade: ``upgrade.py``).

- MODIFY_INFO (``plan_modify_info``): vnfInstanceDescription, metadata and extensions (JSON Merge Patch: a key set to
  null is removed) are written in the instance record's ``nfvo:info`` tags (``tags.info_tags``), one tag update of
  the anchor; the same values are an empty plan. vnfInstanceName is the VNF's identity here (its instance id, record
  and resources are named after it): asking for another one is refused.
- CHANGE_EXT_CONN (``plan_change_ext_conn``): ``ext_virtual_links`` moves external CPs. Per VNFC port: the same
  network -> one port update of its fixed IPs (only when they differ); another network -> a new port on it (our tags,
  the old port's security groups), attached to the server, then the old one detached and deleted. The VNFC's other
  ports are kept, servers are never rebuilt. A run that finds a half-done replacement (a kept failure) goes on from
  there. On failure what it did is undone in reverse order (``on_failure: rollback``: new ports detached and
  deleted, fixed IPs set back, old ports attached again), or kept as FAILED_TEMP (retry with ``vnf_lcm_op_occ``
  giving ``ext_virtual_links`` again, or mark it failed).

- CHANGE_FLAVOUR (``change_flavour``): a converge (``lifecycle.Converge``) to another flavour of the VNFD and a level
  of it, the request built from the record as scale and heal build theirs (``change_flavour.target_record``); ``vnf``
  with another ``flavour_id`` is the same converge. A rollback of a FAILED_TEMP one converges back to the flavour the
  record still names.

All run through the skeleton of ``operation.py`` (lock, execute, record, rediscover); every input error is raised
before the lock is taken.
"""
from __future__ import annotations

import time

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import ActionFailed, PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.change_flavour import OPERATION as CHANGE_FLAVOUR, stale_images, target_record
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import delete_action
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import discover_environment
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.environment import check_ext_addresses
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Executor, Settings
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import Converge, fixed_ips_given
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Operation
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operations import combined, load, read_vnf_package, request_from_record
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import normalize_ext_virtual_links
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.upgrade import change_vnfpkg

ATTACH, DETACH = 'attach', 'detach'  # a port attached to / detached from its VNFC's server (CHANGE_EXT_CONN)
OPERATIONS = ('modify_info', 'change_ext_conn', 'change_flavour', 'change_vnfpkg')  # every operation of vnf_change
INFO_OPTIONS = (('vnf_instance_description', 'vnfInstanceDescription'), ('metadata', 'metadata'), ('extensions', 'extensions'))


# ---------------------------------------------------------------------------------------------------------------
# MODIFY_INFO

def info_request(p):
    """The SOL003 VnfInfoModificationRequest of a task's options ({} when it gives none of them)."""
    out = {key: p[option] for option, key in INFO_OPTIONS if p.get(option) is not None}
    if p.get('vnf_instance_name') is not None:
        out['vnfInstanceName'] = p['vnf_instance_name']
    return out


def _merge_patch(current, patch, what):
    """``current`` with ``patch`` applied (RFC 7396 at the top level: a key set to None is removed)."""
    if not isinstance(patch, dict):
        raise PlanError('%s must be a dict (a key set to null removes it), not %r' % (what, patch))
    out = dict(current or {})
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[str(key)] = value
    return out


def plan_modify_info(snap, changes):
    """The MODIFY_INFO plan of ``changes`` (``info_request``) on the instance of ``snap``: one update of the record's
    tags, or an empty plan when it holds these values already. PlanError (one line) when a value cannot be taken."""
    name = snap.vnf_name
    plan = M.Plan(operation='MODIFY_INFO', instance_id=snap.instance_id, vnf_name=name)
    if changes.get('vnfInstanceName') not in (None, name):
        raise PlanError("VNF %s: vnfInstanceName cannot change to '%s': the name is the VNF's identity (its instance id, record and "
                        "resources are named after it); describe it with vnf_instance_description instead" % (name, changes['vnfInstanceName']))
    current = (V.record_of(snap) or {}).get('info') or {}
    new = dict(current)
    if 'vnfInstanceDescription' in changes:
        new['vnfInstanceDescription'] = str(changes['vnfInstanceDescription'])
    for key in ('metadata', 'extensions'):
        if key in changes:
            new[key] = _merge_patch(current.get(key), changes[key], key)
    reserved = sorted(set(new.get('metadata') or {}) & set(V.OWN_METADATA))
    if reserved:
        raise PlanError('VNF %s: metadata key(s) %s are the collection\'s own in vnf_instance.metadata: use other names'
                        % (name, ', '.join(reserved)))
    text = V.encode_info(new)
    if text == V.encode_info(current):
        return plan
    anchor_tags = snap.anchor.get('tags') or []
    tags_after = [t for t in anchor_tags if t not in T.only_info(anchor_tags)] + T.info_tags(text)
    room = T.MAX_TAGS - (0 if T.parse_tags(anchor_tags).get('state') else 1)  # the place of the nfvo:state tag OPERATE adds
    if len(tags_after) > room:
        raise PlanError('VNF %s: the description, metadata and extensions take %d characters (%d tags of the instance record); '
                        'the record has room for %d more tags (Neutron allows %d): shorten them'
                        % (name, len(text), len(T.info_tags(text)), room - (len(tags_after) - len(T.info_tags(text))), T.MAX_TAGS))
    action = M.record_update(snap, tags_after, 'record %s' % ', '.join(k for k in V.INFO_FIELDS if new.get(k) != current.get(k)))
    action.spec = {'info': {k: v for k, v in new.items() if v not in (None, '', {})}}
    plan.actions.append(action)
    return plan


def modify_info(ctx, name, p):
    """MODIFY_INFO of VNF ``name`` (``p``: the task's options, ``info_request``)."""
    snap, dummy = load(ctx, name)
    changes = info_request(p)
    plan = plan_modify_info(snap, changes)
    result = Operation(ctx, snap, plan, params=changes).run()
    if result.lcm_op_occ is not None:
        result.lcm_op_occ['changedInfo'] = {k: v for k, v in changes.items() if k != 'vnfInstanceName'}
    return result


# ---------------------------------------------------------------------------------------------------------------
# CHANGE_EXT_CONN: planning

def external_ports(snap):
    """({CP: {VNFC: [ports]}} of the external CPs (ports on no network of the VNF), {CP: VL} of the internal ones)."""
    own = {n['id']: T.parse_tags(n.get('tags')).get('vl') for n in snap.networks}
    external, internal = {}, {}
    for port in snap.ports:
        o = T.parse_tags(port.get('tags'))
        if not (o.get('cp') and o.get('vnfc')):
            continue
        if port.get('network_id') in own:
            internal[o['cp']] = own[port['network_id']]
        else:
            external.setdefault(o['cp'], {}).setdefault(o['vnfc'], []).append(port)
    return external, internal


def same_ips(current, wanted):
    """Whether a port's fixed IPs (``current``) are those asked for (``wanted``: entries with ip_address and/or
    subnet_id; a subnet alone matches any address of it)."""
    left = [dict(ip) for ip in current or []]
    if len(left) != len(wanted):
        return False
    for want in wanted:
        match = next((ip for ip in left if all(want.get(k) is None or ip.get(k) == want[k] for k in ('ip_address', 'subnet_id'))), None)
        if match is None:
            return False
        left.remove(match)
    return True


def _ips_label(fixed_ips):
    return ', '.join(ip.get('ip_address') or 'one of subnet %s' % ip.get('subnet_id') for ip in fixed_ips)


def plan_change_ext_conn(snap, links):
    """The CHANGE_EXT_CONN plan moving the external CPs of ``links`` ({CP: model.ExtLink}) as ``snap`` (with the
    networks of ``links`` in ``ext_networks``) finds them; empty when each port is where it should be."""
    plan = M.Plan(operation='CHANGE_EXT_CONN', instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    external, internal = external_ports(snap)
    servers = {T.parse_metadata(s.get('metadata')).get('vnfc'): s for s in snap.servers}
    for cpd_id, link in sorted(links.items()):
        if cpd_id not in external:
            if cpd_id in internal:
                raise PlanError("VNF %s: CP %s is on its internal virtual link %s: only external CPs (%s) can be connected elsewhere"
                                % (snap.vnf_name, cpd_id, internal[cpd_id], ', '.join(sorted(external)) or 'none'))
            raise PlanError("VNF %s has no external CP '%s' (its external CPs: %s)" % (snap.vnf_name, cpd_id, ', '.join(sorted(external)) or 'none'))
        net = snap.ext_networks.get(link.network)
        if net is None:
            raise PlanError("network '%s' of ext_virtual_links (CP %s) is not in the cloud (or not visible to the project)" % (link.network, cpd_id))
        vnfcs = sorted(external[cpd_id], key=M.split_vnfc_id)
        if len(link.cp_configs) > len(vnfcs):
            raise PlanError('ext_virtual_links CP %s has %d cp_config entries, but VNF %s has %d VNFC(s) with that CP: give at most %d, '
                            'the n-th for the n-th VNFC' % (cpd_id, len(link.cp_configs), snap.vnf_name, len(vnfcs), len(vnfcs)))
        for vnfc in vnfcs:
            index = M.split_vnfc_id(vnfc)[1] or 0
            wanted = link.cp_configs[index].get('fixed_ips') if index < len(link.cp_configs) else None
            _plan_port(plan, servers.get(vnfc), 'port/%s/%s' % (vnfc, cpd_id), external[cpd_id][vnfc], net, wanted or None)
    return plan  # listed in the order each port's steps run (create, attach, detach, delete)


def _plan_port(plan, server, key, ports, net, wanted):
    """The actions that put CP port ``key`` of a VNFC (its ``ports``: one, or two after a kept failure) on network
    ``net`` with the ``wanted`` fixed IPs (None: the addresses it has, or the ones DHCP gives on a new network)."""
    vnfc, cp = key.split('/')[1:]
    owner = {'vdu': M.split_vnfc_id(vnfc)[0], 'vnfc': vnfc, 'cp': cp}
    net_label = net.get('name') or net['id']
    on_net = [p for p in ports if p.get('network_id') == net['id']]
    elsewhere = [p for p in ports if p.get('network_id') != net['id']]
    if on_net:  # keep it: its addresses set as wanted, attached (a kept failure may have left it unattached)
        keep, attached_key = on_net[0], key
        elsewhere += on_net[1:]
        if wanted and not same_ips(keep.get('fixed_ips'), wanted):
            plan.actions.append(M.Action(M.UPDATE, 'port', key, keep.get('name'), resource_id=keep['id'], owner=dict(owner),
                                         spec={'fixed_ips': [dict(ip) for ip in wanted]},
                                         detail='fixed IPs %s -> %s' % (_ips_label(keep.get('fixed_ips') or []), _ips_label(wanted))))
        port_ref = keep['id']
    else:  # a new port on the network, in place of the old one
        old = elsewhere[0]
        attached_key = key + '#new'
        spec = {'name': old.get('name'), 'network_id': net['id'], 'admin_state_up': True}
        if old.get('security_groups'):
            spec['security_groups'] = list(old['security_groups'])
        if old.get('binding:vnic_type') not in (None, 'normal'):
            spec['binding:vnic_type'] = old['binding:vnic_type']
        if wanted:
            spec['fixed_ips'] = [dict(ip) for ip in wanted]
        plan.actions.append(M.Action(M.CREATE, 'port', attached_key, old.get('name'), spec=spec, owner=dict(owner),
                                     tags=[t for t in old.get('tags') or [] if t.startswith(T.PREFIX)],
                                     detail='on external network %s%s, in place of the one on network %s'
                                            % (net_label, ', fixed IPs %s' % _ips_label(wanted) if wanted else '', old.get('network_id'))))
        port_ref = M.ref(attached_key)
        keep = None
    if server is not None and (keep is None or keep.get('device_id') != server['id']):
        plan.actions.append(M.Action(ATTACH, 'port', attached_key, server.get('name'), resource_id=server['id'], owner=dict(owner),
                                     spec={'port_id': port_ref}, deps=[attached_key], detail='to server %s' % server.get('name')))
    for i, old in enumerate(elsewhere):
        old_key = '%s#old%d' % (key, i)
        if old.get('device_id'):
            plan.actions.append(M.Action(DETACH, 'port', old_key, old.get('name'), resource_id=old['id'], owner=dict(owner),
                                         spec={'server_id': old['device_id']}, deps=[attached_key],
                                         detail='from server %s (network %s)' % ((server or {}).get('name') or old['device_id'], old.get('network_id'))))
        gone = delete_action('port', key, old, suffix='#old%d' % i)
        gone.deps = [old_key, attached_key]
        plan.actions.append(gone)


# ---------------------------------------------------------------------------------------------------------------
# CHANGE_EXT_CONN: applying

class PortExecutor(Executor):
    """The executor of CHANGE_EXT_CONN: port updates, interface attach / detach (Nova os-interface) besides the
    creates and deletes, each done step noted in ``undo`` as the action that reverses it. ``before``: {port id: port}
    as discovered (the fixed IPs an update reverses to)."""

    def __init__(self, api, plan, settings, before=None):
        super().__init__(api, plan, settings)
        self.before = dict(before or {})
        self.undo = []

    def _created(self, action, res):
        super()._created(action, res)
        self.undo.append(M.Action(M.DELETE, action.kind, action.key, res.get('name'), resource_id=res['id'], owner=dict(action.owner)))

    def _update_port(self, action):
        spec = self._resolve(action.spec)
        self.api.put('network', '/ports/%s' % action.resource_id, {'port': spec})
        self.outcome.updated.append(('port', action.key, action.resource_id))
        old = [{k: ip[k] for k in ('ip_address', 'subnet_id') if ip.get(k)} for ip in (self.before.get(action.resource_id) or {}).get('fixed_ips') or []]
        self.undo.append(M.Action(M.UPDATE, 'port', action.key, action.name, resource_id=action.resource_id, owner=dict(action.owner),
                                  spec={'fixed_ips': old}))
        return {}

    def _attach_neutron(self, action):
        port_id = self._resolve(action.spec['port_id'])
        self.api.post('compute', '/servers/%s/os-interface' % action.resource_id, {'interfaceAttachment': {'port_id': port_id}})
        self.outcome.updated.append(('server', 'server/%s' % action.owner['vnfc'], action.resource_id))
        self.undo.append(M.Action(DETACH, 'port', action.key, action.name, resource_id=port_id, owner=dict(action.owner),
                                  spec={'server_id': action.resource_id}))
        return {}

    def _detach_neutron(self, action):
        server_id = action.spec['server_id']
        self.api.delete('compute', '/servers/%s/os-interface/%s' % (server_id, action.resource_id))
        self._until_unbound(action)
        self.undo.append(M.Action(ATTACH, 'port', action.key, action.name, resource_id=server_id, owner=dict(action.owner),
                                  spec={'port_id': action.resource_id}))
        return {}

    def _until_unbound(self, action):
        """Nova detaches in the background: wait (one port read a poll) until the port has no device."""
        interval = self.poll_min
        while True:
            port = (self.api.get('network', '/ports/%s' % action.resource_id, ok_missing=True) or {}).get('port')
            if port is None or not port.get('device_id'):
                return
            if time.monotonic() > self.deadline:
                raise ActionFailed(action, 'timed out after %ss waiting for Nova to detach it (device %s)' % (self.timeout, port['device_id']))
            time.sleep(interval)
            interval = min(self.poll_max, interval * 1.25)


class ChangeExtConn(Operation):
    """CHANGE_EXT_CONN of one instance: the plan of ``plan_change_ext_conn``; on failure the steps done are undone
    (``on_failure: rollback``) or kept (FAILED_TEMP)."""

    def __init__(self, ctx, snap, plan, links):
        super().__init__(ctx, snap, plan, {'extVirtualLinks': [{'id': link.ext_vl_id or cpd_id, 'resourceId': link.network,
                                                                'extCps': [{'cpdId': cpd_id, 'cpConfig': list(link.cp_configs)}]}
                                                               for cpd_id, link in sorted(links.items())]}, modified=True)
        self.links = links
        self.executor = self.rollback = self.after = None
        self.unrestored = []

    def _settings(self):
        return Settings(max_concurrency=self.opts.max_concurrency, timeout=self.opts.timeout, wait=True)

    def execute(self, lock):
        self.executor = PortExecutor(self.api, self.plan, self._settings(), before={p['id']: p for p in self.snap.ports})
        return self.executor.run()

    def settle(self, outcome, lock):
        if outcome.ok:
            return 'COMPLETED'
        if self.opts.on_failure != 'rollback':
            return 'FAILED_TEMP'
        self.tell('FAILED_TEMP', error=outcome.error)
        self.tell('ROLLING_BACK')
        steps = list(reversed(self.executor.undo))
        undo = M.Plan(operation='ROLLBACK', instance_id=self.plan.instance_id, vnf_name=self.plan.vnf_name)
        for i, step in enumerate(steps):  # one after the other, newest first
            step.key, step.deps = 'undo/%d' % i, ['undo/%d' % (i - 1)] if i else []
            undo.actions.append(step)
        self.rollback = PortExecutor(self.api, undo, self._settings()).run()
        self.unrestored = sorted({'port %s of %s' % (a.owner.get('cp'), a.owner.get('vnfc')) for a in self.plan.actions
                                  if a.op == M.DELETE and any(d[1] == a.key for d in outcome.deleted)})
        return 'ROLLED_BACK' if self.rollback.ok and not self.unrestored else 'FAILED_TEMP'

    def error(self, outcome):
        if self.rollback is not None and not self.rollback.ok:
            return '%s; undoing the change failed too: %s' % (outcome.error, self.rollback.error)
        if self.unrestored:
            return '%s; undone but for %s, deleted before the failure: run the change again' % (outcome.error, ', '.join(self.unrestored))
        return outcome.error

    def changes(self, outcome):
        created, deleted = super().changes(outcome)
        return created, deleted + (list(self.rollback.deleted) if self.rollback is not None else [])

    def rediscover(self, outcome):
        self.after = super().rediscover(outcome)
        self.after.ext_networks = self.snap.ext_networks
        return self.after

    def run(self):
        """The skeleton; a COMPLETED occurrence also says where the CPs are now (changedExtConnectivity)."""
        result = super().run()
        if result.lcm_op_occ is not None and result.lcm_op_occ['operationState'] == 'COMPLETED':
            result.lcm_op_occ['changedExtConnectivity'] = ext_conn_of(self.after, self.links)
        return result


def ext_conn_of(snap, links):
    """SOL003 changedExtConnectivity: each link's network and the ports of its CPs as ``snap`` has them."""
    external, dummy = external_ports(snap)
    out = []
    for cpd_id, link in sorted(links.items()):
        ports = [p for vnfc in sorted(external.get(cpd_id) or {}, key=M.split_vnfc_id) for p in external[cpd_id][vnfc]]
        net = snap.ext_networks.get(link.network) or {}
        out.append({'id': link.ext_vl_id or cpd_id, 'resourceHandle': {'resourceId': net.get('id'), 'vimLevelResourceType': 'OS::Neutron::Net'},
                    'extLinkPorts': [{'id': p['id'], 'cpInstanceId': '%s-%s' % (T.parse_tags(p.get('tags')).get('vnfc'), cpd_id),
                                      'resourceHandle': {'resourceId': p['id'], 'vimLevelResourceType': 'OS::Neutron::Port'}}
                                     for p in ports]})
    return out


def look_ext_conn(ctx, snap, rec, value, declarative=False):
    """(links, plan) of CHANGE_EXT_CONN to ``value`` (ext_virtual_links as the task gives it) on ``snap``: reads the
    networks (and their subnets when fixed IPs are given) and checks every address before any write. ``declarative``
    (``vnf``, after its converge checked the CPs against the flavour): only the CPs that are external ports of the
    instance; a VnfExtCp's exposed internal VL was put on its network by the converge itself."""
    links = normalize_ext_virtual_links(value)
    if declarative:
        external = external_ports(snap)[0]
        links = {cp: link for cp, link in links.items() if cp in external}
        if not links:
            return links, M.Plan(operation='CHANGE_EXT_CONN', instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    if not links:
        raise PlanError('VNF %s: change_ext_conn needs ext_virtual_links (the external CPs and where they go)' % snap.vnf_name)
    req = M.Request(vnf_name=snap.vnf_name, instance_id=snap.instance_id, vnfd_id=rec['vnfd_id'], vnfd_version=rec['vnfd_version'],
                    flavour_id=rec['flavour_id'], ext_links=links)
    discover_environment(ctx.api, snap, rec['vnfd_id'], networks=sorted({link.network for link in links.values()}),
                         network_subnets=fixed_ips_given(req))
    check_ext_addresses(req, snap)
    return links, plan_change_ext_conn(snap, links)


def change_ext_conn(ctx, name, p):
    """CHANGE_EXT_CONN of VNF ``name`` to ``p['ext_virtual_links']``."""
    snap, rec = load(ctx, name)
    links, plan = look_ext_conn(ctx, snap, rec, p.get('ext_virtual_links'))
    return ChangeExtConn(ctx, snap, plan, links).run()


# ---------------------------------------------------------------------------------------------------------------
# CHANGE_FLAVOUR

def change_flavour(ctx, name, p, rollback=False):
    """CHANGE_FLAVOUR of VNF ``name`` to ``p['flavour_id']`` at ``p['instantiation_level_id']`` (None: the new
    flavour's default level; the recorded levels when the flavour is the recorded one). Images, external networks and
    the security group are the VNF's own unless ``p`` gives them (``images``, ``ext_virtual_links``). ``rollback``:
    ``vnf_lcm_op_occ`` rolling a FAILED_TEMP one back (to the recorded flavour; ROLLED_BACK)."""
    snap, rec = load(ctx, name)
    pkg = read_vnf_package(p.get('package'), rec, name, p.get('limits'))
    same = p['flavour_id'] == rec['flavour_id'] and not p.get('instantiation_level_id')
    req, flavour = request_from_record(ctx, name, pkg, rec if same else target_record(rec, p['flavour_id'], p.get('instantiation_level_id')),
                                       snap, p)
    for node in stale_images(pkg.vnfd, rec['flavour_id'], flavour):  # its image is another in the new flavour
        req.known_images.pop(node, None)
    params = {'newFlavourId': flavour.flavour_id, 'instantiationLevelId': req.instantiation_level_id or flavour.default_level}
    operation = Converge(ctx, pkg, flavour, req, operation=CHANGE_FLAVOUR if rollback else None, snap=snap,
                         params=dict(params, action='ROLLBACK') if rollback else params)
    if rollback:
        operation.final_state = 'ROLLED_BACK'
    return operation.run()


# ---------------------------------------------------------------------------------------------------------------
# the module and vnf's declarative changes

def run_change(ctx, p):
    """``vnf_change``: the operation ``p['operation']``."""
    if p['operation'] == 'modify_info':
        if not info_request(p):
            raise PlanError('VNF %s: modify_info needs vnf_instance_description, metadata or extensions' % p['name'])
        return modify_info(ctx, p['name'], p)
    if p['operation'] == 'change_vnfpkg':
        return change_vnfpkg(ctx, p['name'], p)
    if p['operation'] == 'change_flavour':
        return change_flavour(ctx, p['name'], p)
    return change_ext_conn(ctx, p['name'], p)


def converge_changes(ctx, first, p):
    """``vnf`` on an instantiated VNF: after the converge (``first``), CHANGE_EXT_CONN when ``ext_virtual_links`` puts an
    external CP elsewhere, then MODIFY_INFO when the description, metadata or extensions given differ. One result
    (``operations.combined``)."""
    if first.error or (ctx.opts.check_mode and first.vnf_instance.get('instantiationState') != 'INSTANTIATED'):
        return first
    result = first
    if p.get('ext_virtual_links'):
        snap, rec = load(ctx, p['name'])
        links, plan = look_ext_conn(ctx, snap, rec, p['ext_virtual_links'], declarative=True)
        if not plan.empty:
            result = combined(result, ChangeExtConn(ctx, snap, plan, links).run())
    if info_request(p) and not result.error:
        result = combined(result, modify_info(ctx, p['name'], p))
    return result
