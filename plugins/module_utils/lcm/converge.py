# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge, terminate and delete planning: (descriptor flavour, request, snapshot) -> ordered ``Plan``.

Pure. Converging to counts is how instantiate, resume-after-failure, scale and scale-to-level (``scale.py``) and
heal by recreate (``heal.py``) are all planned (``plan_converge``): the desired resources of the request are
compared with what exists (``model.index_snapshot``): missing units' resources are created, units beyond the
count are deleted (highest index first), servers in ERROR are replaced. ``plan_terminate`` deletes every
resource of the instance; ``plan_delete`` deletes a given list (rollback). ``delete_action`` and
``link_deletes`` (the order among deletes) are shared with ``scale.plan_trim``.

An internal VL whose VnfExtCp ext_virtual_links connects (``request.exposed_links``) is on that external network:
no network or subnet is made for it, and the ports of its VduCps are created there (tagged as any port of the VNF, so
terminate and rollback delete them and never the network).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.change_flavour import flavour_change, least_disruption
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.environment import (
    allocate_cidrs, check_ext_addresses, check_image_fits, image_label, mapped_images, match_flavor, resolve_image)
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import (
    ANCHOR, CREATE, DELETE, STOP, UPDATE, VNF_SG, Action, Plan, Request, Snapshot, index_snapshot, is_ref, kind_of, ref,
    resource_key, snapshot_items, split_vnfc_id, vnfc_id)
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import check_request, exposed_links, target_counts, vdu_params


class _Desired:
    """Collects desired actions (op create/update) keyed, before comparison with what exists."""

    def __init__(self):
        self.items = {}
        self.keep = set()  # existing keys kept as they are (units whose server is fine)

    def add(self, action):
        self.items[action.key] = action
        return action


@dataclass
class _Converge:
    """One converge planning: what it starts from and what it has decided so far."""
    req: Request
    snap: Snapshot
    flavour: object  # vnfd.model flavour
    plan: Plan
    existing: dict  # index_snapshot(snap)[0]
    want: _Desired = field(default_factory=_Desired)
    group_of: dict = field(default_factory=dict)  # VDU -> key of its server group
    flavor_of: dict = field(default_factory=dict)  # VDU -> (flavor id or ref, label)
    exposed: dict = field(default_factory=dict)  # internal VL -> (external network, its VnfExtCps): see _exposed

    @property
    def sg_refs(self):
        """The security groups of the VNF's ports (None: no VNF security group)."""
        return [ref(VNF_SG)] if self.req.security_group_rules is not None else None


def anchor_tags(req, level_id, scale_levels, counts, vnf_state=None, images=None, warnings=None):
    """The instance record's tags. ``images``: {VDU or storage: Glance image id} (``mapped_images``), recorded so
    that a VDU whose every VNFC is gone can be made again without the map (when Neutron's tag limit allows)."""
    out = T.tags_for(vnf=req.instance_id, vnf_name=req.vnf_name, vnfd=req.vnfd_id, vnfd_version=req.vnfd_version,
                     flavour=req.flavour_id, ns=req.ns_id, role='anchor', level=level_id, state=vnf_state)
    out += [T.multi_tag('scale', a, n) for a, n in sorted(scale_levels.items())]
    out += [T.multi_tag('want', v, n) for v, n in sorted(counts.items())]
    image_tags = [T.multi_tag('image', node, image_id) for node, image_id in sorted((images or {}).items())]
    room = T.MAX_TAGS - (0 if vnf_state else 1)  # keep a place for the nfvo:state tag the first OPERATE adds
    if len(out) + len(image_tags) <= room:
        out += image_tags
    elif image_tags and warnings is not None:
        warnings.append('the images mapped for %s are not recorded on the instance (Neutron allows %d tags on its record): '
                        'operations that make a VDU with no VNFC left again need images: again' % (', '.join(sorted(images)), T.MAX_TAGS))
    return out


def _owners(req, **extra):
    return dict(vnf=req.instance_id, vnfd=req.vnfd_id, vnfd_version=req.vnfd_version, flavour=req.flavour_id, ns=req.ns_id, **extra)


def plan_converge(vnfd, flavour, req, snap, operation='INSTANTIATE'):
    """The plan that makes the instance match the request: create what is missing, delete what is beyond it. Another
    flavour of ``vnfd`` than the record's is a flavour change (``change_flavour.py``: VNFCs recreated where their VDU
    differs, creates before deletes, the record last)."""
    moving = flavour_change(vnfd, flavour, snap, req)
    if moving:
        req.replace = sorted(set(req.replace) | set(moving))
    counts, scale_levels = target_counts(flavour, req)
    level_id = req.instantiation_level_id or flavour.default_level
    plan = Plan(operation=operation, instance_id=req.instance_id, vnf_name=req.vnf_name,
                target={'flavour_id': flavour.flavour_id, 'instantiation_level_id': level_id,
                        'scale_levels': scale_levels, 'vdu_instances': counts})
    existing, _unkeyed = index_snapshot(snap)
    _check_request(flavour, req, snap.anchor)
    check_ext_addresses(req, snap)
    ctx = _Converge(req=req, snap=snap, flavour=flavour, plan=plan, existing=existing, exposed=_exposed(flavour, req, snap))
    _want_record(ctx, level_id, scale_levels, counts)
    _want_security_group(ctx)
    _want_links(ctx)
    _want_groups(ctx)
    _want_units(ctx, counts)
    _first_in_affinity_group(ctx.want, ctx.group_of)
    plan = _compare(plan, ctx.want, existing, snap)
    if moving is not None:
        least_disruption(plan, moving)
    if req.only is not None:  # heal: never delete what is not healed (extra units are scale's business)
        plan.actions = [a for a in plan.actions if a.op != DELETE or a.kind not in ('server', 'port', 'volume')
                        or a.owner.get('vnfc') in req.only]
    return plan.ordered()


def _check_request(flavour, req, anchor):
    """PlanError when the instance is of another VNFD or version, or the request does not fit the flavour
    (``request.check_request``)."""
    if anchor is not None:
        owners = T.parse_tags(anchor.get('tags'))
        if owners.get('vnfd') and owners['vnfd'] != req.vnfd_id:
            raise PlanError('VNF %s is instantiated from VNFD %s, not %s: terminate it first (or change the VNF package with a future operation)'
                            % (req.vnf_name, owners['vnfd'], req.vnfd_id))
        if owners.get('vnfd_version') and owners['vnfd_version'] != req.vnfd_version:
            raise PlanError('VNF %s is instantiated from version %s of VNFD %s, not %s: terminate it first (changing the package is a future operation)'
                            % (req.vnf_name, owners['vnfd_version'], req.vnfd_id, req.vnfd_version))
    check_request(flavour, req)


def _ext_network(snap, link, what):
    """The cloud's network of ext_virtual_links entry ``link`` (for ``what``: 'CP CP1'); PlanError when it is missing."""
    net = snap.ext_networks.get(link.network)
    if net is None:
        raise PlanError("network '%s' of ext_virtual_links (%s) is not in the cloud (or not visible to the project)" % (link.network, what))
    return net


def _exposed(flavour, req, snap):
    """{internal VL: (network, [VnfExtCp])} of the VLs that ext_virtual_links puts on an external network through their
    VnfExtCps (``request.exposed_links``): the VNF makes no network or subnet for them, their VduCps' ports go on it."""
    out = {}
    for vl, entries in exposed_links(flavour, req.ext_links).items():
        nets = [(cpd_id, _ext_network(snap, link, 'VnfExtCp %s' % cpd_id)) for cpd_id, link in entries]
        other = next(((c, n) for c, n in nets[1:] if n['id'] != nets[0][1]['id']), None)
        if other is not None:
            raise PlanError('ext_virtual_links puts internal VL %s on two networks: %s through VnfExtCp %s, %s through VnfExtCp %s; '
                            'an internal VL is one network, give its VnfExtCps the same one'
                            % (vl, nets[0][1].get('name') or nets[0][1]['id'], nets[0][0], other[1].get('name') or other[1]['id'], other[0]))
        out[vl] = (nets[0][1], [c for c, dummy in nets])
    return out


def _want_record(ctx, level_id, scale_levels, counts):
    """The instance record (the anchor): created, or its tags updated to the request's levels and counts."""
    req, anchor = ctx.req, ctx.snap.anchor
    vnf_state = req.vnf_state or (T.parse_tags(anchor.get('tags')).get('state') if anchor is not None else None)
    record_tags = anchor_tags(req, level_id, scale_levels, counts, vnf_state, mapped_images(req, ctx.flavour, ctx.snap),
                              ctx.plan.warnings)
    info = T.only_info(anchor.get('tags')) if anchor is not None else []  # MODIFY_INFO's part of the record: kept
    if info and len(record_tags) + len(info) > T.MAX_TAGS:
        record_tags = [t for t in record_tags if not t.startswith(T.tag('image', ''))]
    record_tags += info
    if anchor is None:
        ctx.want.add(Action(CREATE, 'anchor', ANCHOR, T.anchor_name(req.vnf_name), tags=record_tags,
                            spec={'name': T.anchor_name(req.vnf_name), 'description': ''}, detail='the instance record'))
    elif sorted(anchor.get('tags') or []) != sorted(record_tags):
        ctx.want.add(Action(UPDATE, 'anchor', ANCHOR, anchor.get('name'), resource_id=anchor['id'], tags=record_tags,
                            detail='record level %s, %s' % (level_id, ', '.join('%s=%s' % kv for kv in sorted(counts.items())))))


def _want_security_group(ctx):
    """The VNF security group, when the request gives rules."""
    req = ctx.req
    if req.security_group_rules is not None:
        ctx.want.add(Action(CREATE, 'security_group', VNF_SG, '%s-sg' % req.vnf_name, deps=[ANCHOR],
                            tags=T.tags_for(**_owners(req, role='sg')),
                            spec={'name': '%s-sg' % req.vnf_name, 'description': 'telco.nfvo VNF %s' % req.vnf_name,
                                  'rules': [dict(r) for r in req.security_group_rules]},
                            detail='%d rule(s)' % len(req.security_group_rules)))


def _want_links(ctx):
    """Internal virtual links: a network and a subnet each (its CIDR from the VNFD, or allocated from cidr_pool)."""
    req, flavour, existing, want = ctx.req, ctx.flavour, ctx.existing, ctx.want
    links = {name: vl for name, vl in flavour.virtual_links.items() if name not in ctx.exposed}  # the others are external
    need_cidr = [vl for name, vl in links.items() if not vl.cidr and 'subnet/%s' % name not in existing]
    pool_cidrs = []
    if need_cidr:
        if not req.cidr_pool:
            raise PlanError('virtual link %s has no CIDR in the VNFD: give cidr_pool to allocate one' % need_cidr[0].name)
        pool_cidrs = allocate_cidrs(req.cidr_pool, len(need_cidr), ctx.snap.used_cidrs)
    allocated = dict(zip([vl.name for vl in need_cidr], pool_cidrs))
    for name, vl in links.items():
        owners = _owners(req, vl=name)
        net_name = '%s-%s' % (req.vnf_name, name)
        want.add(Action(CREATE, 'network', 'network/%s' % name, net_name, deps=[ANCHOR], owner={'vl': name},
                        tags=T.tags_for(**owners), spec={'name': net_name, 'admin_state_up': True}))
        cidr = vl.cidr or allocated.get(name)
        if cidr is None:  # subnet exists: keep it
            cidr = existing['subnet/%s' % name][0].get('cidr')
        ip_version = 6 if (vl.ip_version or '').lower() in ('ipv6', '6') or ':' in cidr else 4
        spec = {'name': net_name, 'network_id': ref('network/%s' % name), 'cidr': cidr, 'ip_version': ip_version}
        if vl.gateway_ip:
            spec['gateway_ip'] = vl.gateway_ip
        if vl.dhcp_enabled is not None:
            spec['enable_dhcp'] = bool(vl.dhcp_enabled)
        want.add(Action(CREATE, 'subnet', 'subnet/%s' % name, net_name, spec=spec, deps=['network/%s' % name],
                        owner={'vl': name}, tags=T.tags_for(**owners), detail=cidr + (' from cidr_pool' if name in allocated else '')))


def _want_groups(ctx):
    """Placement rules (scope nfvi_node) -> Nova server groups; ``ctx.group_of`` says each member VDU's group."""
    req, flavour, plan, group_of = ctx.req, ctx.flavour, ctx.plan, ctx.group_of
    for rule in flavour.affinity_rules:
        if rule.scope not in (None, 'nfvi_node'):
            plan.warnings.append('%s rule %s has scope %s: not enforced (only nfvi_node maps to a Nova server group)'
                                 % (rule.kind, rule.name, rule.scope))
            continue
        members = [m for m in rule.members if m in flavour.vdus]
        if not members:
            continue
        policy = 'anti-affinity' if rule.kind == 'anti-affinity' else 'affinity'
        key = 'server_group/%s' % rule.name
        ctx.want.add(Action(CREATE, 'server_group', key, T.server_group_name(req.instance_id, rule.name), deps=[ANCHOR],
                            spec={'name': T.server_group_name(req.instance_id, rule.name), 'policy': policy},
                            detail='%s of %s' % (policy, ', '.join(members))))
        for m in members:
            if m in group_of:
                plan.warnings.append('%s is in placement rules %s and %s: a server has one server group, %s applies'
                                     % (m, group_of[m].split('/', 1)[1], rule.name, group_of[m].split('/', 1)[1]))
            else:
                group_of[m] = key


def _want_units(ctx, counts):
    """VNFC units: a unit whose server exists (and is not in ERROR) is kept as it is (repairing it is heal)."""
    req, existing, want = ctx.req, ctx.existing, ctx.want
    for vdu_name, vdu in ctx.flavour.vdus.items():
        params = vdu_params(req, vdu_name)
        for index in range(counts.get(vdu_name, 0)):
            vnfc = vnfc_id(vdu_name, index)
            server_key = 'server/%s' % vnfc
            have = existing.get(server_key) or []
            healthy = have and not any(s.get('status') == 'ERROR' for s in have) and vnfc not in req.replace
            if healthy or (req.only is not None and vnfc not in req.only):
                want.keep.update(k for k in existing if k == server_key or k.startswith(('port/%s/' % vnfc, 'volume/%s/' % vnfc)))
                continue
            want.add(_plan_unit(ctx, vdu, index, params, replace=bool(have)))


def _first_in_affinity_group(want, group_of):
    """An affinity group with no placed member: servers built at the same time may be scheduled to different hosts and
    fail Nova's late affinity check. Its first new server goes first; the others wait for it."""
    for key in sorted(set(group_of.values())):
        group = want.items.get(key)
        if group is None or group.spec.get('policy') != 'affinity':
            continue
        members = {vdu for vdu, g in group_of.items() if g == key}
        if any(k.startswith('server/') and split_vnfc_id(k.split('/', 1)[1])[0] in members for k in want.keep):
            continue  # a member runs: the scheduler places the new ones with it
        new = sorted((a for a in want.items.values() if a.kind == 'server' and a.op == CREATE and a.owner.get('vdu') in members),
                     key=lambda a: a.key)
        for a in new[1:]:
            a.deps.append(new[0].key)


def _plan_unit(ctx, vdu, index, params, replace):
    """The ports, volumes and server of one VNFC; existing ports/volumes of the unit are reused (resume)."""
    req = ctx.req
    vdu_name = vdu.name
    vnfc = vnfc_id(vdu_name, index)
    server = Action(CREATE, 'server', 'server/%s' % vnfc, '%s-%s' % (req.vnf_name, vnfc), owner={'vdu': vdu_name, 'vnfc': vnfc},
                    deps=[ANCHOR])
    ports = []
    for cp_name in vdu.cps:
        server.deps.append('port/%s/%s' % (vnfc, cp_name))
        ports.append(_unit_port(ctx, vdu, index, cp_name))

    vdu_image = None
    if vdu.sw_image is not None or vdu_name in req.images or vdu_name in req.known_images:
        vdu_image, how = resolve_image(vdu_name, vdu.sw_image, req, ctx.snap)
        if vdu_image is not None:
            check_image_fits(vdu_image, how, vdu_name, vdu, vdu.compute.disk_gb, 'the root disk of %s (virtual_local_storage)' % vdu_name)
    bdm, volume_keys = _unit_volumes(ctx, vdu, vnfc, vdu_image)
    server.deps += volume_keys
    if vdu_image is None and not any(b['boot_index'] == 0 for b in bdm):
        raise PlanError('%s has no image and no storage with an image to boot from: map one with images: {%s: <Glance image>}'
                        % (vdu_name, vdu_name))

    if vdu_name not in ctx.flavor_of:
        ctx.flavor_of[vdu_name] = _flavor_for(ctx, vdu)
    flavor_ref, flavor_label = ctx.flavor_of[vdu_name]
    if is_ref(flavor_ref):
        server.deps.append(flavor_ref['$ref'])
    spec = {'name': server.name, 'flavorRef': flavor_ref, 'networks': [{'port': p} for p in ports] or 'none'}
    if vdu_image is not None:
        spec['imageRef'] = vdu_image['id']
    if bdm:
        bdm.sort(key=lambda b: 0 if b['boot_index'] == 0 else 1)
        spec['block_device_mapping_v2'] = bdm
    for opt in ('key_name', 'availability_zone', 'user_data', 'config_drive'):
        if params.get(opt) not in (None, ''):
            spec[opt] = params[opt]
    group = ctx.group_of.get(vdu_name)
    if group:
        spec['scheduler_hints'] = {'group': ref(group)}
        server.deps.append(group)
    server.spec = spec
    server.tags = T.tags_for(vnf=req.instance_id, vnfd=req.vnfd_id, flavour=req.flavour_id, vdu=vdu_name, vnfc=vnfc)
    server.metadata = T.metadata_for(**_owners(req, vnf_name=req.vnf_name, vdu=vdu_name, vnfc=vnfc))
    server.metadata.update({str(k): str(v) for k, v in (params.get('server_metadata') or {}).items()})
    server.detail = 'flavor %s, %s%s' % (
        flavor_label, 'image %s' % image_label(vdu_image) if vdu_image is not None else 'boot from volume',
        ', group %s' % group.split('/', 1)[1] if group else '')
    if replace:  # the old one is in ERROR: delete it first
        server.deps.append('server/%s#old' % vnfc)
    return server


def _unit_port(ctx, vdu, index, cp_name):
    """The port of CP ``cp_name`` of VNFC ``index`` of ``vdu``: the id of the unit's existing one (resume), or the ref
    of the one this plan creates (on its internal VL, or the network ext_virtual_links gives)."""
    req, vdu_name = ctx.req, vdu.name
    vnfc = vnfc_id(vdu_name, index)
    cp = ctx.flavour.cps[cp_name]
    key = 'port/%s/%s' % (vnfc, cp_name)
    if ctx.existing.get(key):  # resume: reuse the unit's port
        ctx.want.keep.add(key)
        return ctx.existing[key][0]['id']
    spec = {'name': '%s-%s-%s' % (req.vnf_name, vnfc, cp_name), 'admin_state_up': True}
    deps = [ANCHOR]
    link = req.ext_links.get(cp_name)
    if link is not None:
        net = _ext_network(ctx.snap, link, 'CP %s' % cp_name)
        spec['network_id'] = net['id']
        if index < len(link.cp_configs) and link.cp_configs[index].get('fixed_ips'):
            spec['fixed_ips'] = [dict(ip) for ip in link.cp_configs[index]['fixed_ips']]
        where = 'external network %s' % (net.get('name') or net['id'])
    elif cp.virtual_link in ctx.exposed:  # the VL is on an external network through its VnfExtCps
        net, ext_cps = ctx.exposed[cp.virtual_link]
        spec['network_id'] = net['id']
        where = 'external network %s: internal VL %s through VnfExtCp%s %s' % (
            net.get('name') or net['id'], cp.virtual_link, 's' if len(ext_cps) > 1 else '', ', '.join(ext_cps))
    elif cp.virtual_link:
        spec['network_id'] = ref('network/%s' % cp.virtual_link)
        deps += ['network/%s' % cp.virtual_link, 'subnet/%s' % cp.virtual_link]
        where = cp.virtual_link
    else:
        raise PlanError('CP %s of %s is external: connect it with ext_virtual_links (e.g. {%s: <network>})'
                        % (cp_name, vdu_name, cp_name))
    if cp.vnic_type and cp.vnic_type != 'normal':
        spec['binding:vnic_type'] = cp.vnic_type
    if ctx.sg_refs:
        spec['security_groups'] = list(ctx.sg_refs)
        deps.append(VNF_SG)
    detail = 'on %s' % where
    if spec.get('fixed_ips'):
        detail += ', fixed IPs %s' % ', '.join(ip.get('ip_address') or ip.get('subnet_id') for ip in spec['fixed_ips'])
    ctx.want.add(Action(CREATE, 'port', key, spec['name'], spec=spec, deps=deps, owner={'vdu': vdu_name, 'vnfc': vnfc, 'cp': cp_name},
                        tags=T.tags_for(**_owners(req, vdu=vdu_name, cp=cp_name, vnfc=vnfc)), detail=detail))
    return ref(key)


def _unit_volumes(ctx, vdu, vnfc, vdu_image):
    """(block device mapping, volume keys) of VNFC ``vnfc``: its block storage volumes, existing ones reused (resume);
    without a VDU image the first volume with an image is the boot volume."""
    req = ctx.req
    bdm, keys = [], []
    for st_name in vdu.storage:
        st = ctx.flavour.storage.get(st_name)
        if st is None or st.kind != 'block':
            ctx.plan.warnings.append('%s storage %s is not block storage: not created' % (vdu.name, st_name))
            continue
        key = 'volume/%s/%s' % (vnfc, st_name)
        has_image = st.sw_image is not None or st_name in req.images or st_name in req.known_images
        is_boot = vdu_image is None and has_image and not any(b['boot_index'] == 0 for b in bdm)
        keys.append(key)
        if ctx.existing.get(key):  # resume: reuse the unit's volume
            ctx.want.keep.add(key)
            vol_id = ctx.existing[key][0]['id']
        else:
            spec = {'name': '%s-%s-%s' % (req.vnf_name, vnfc, st_name), 'size': st.size_gb or 1}
            detail = '%d GB' % spec['size']
            if has_image:
                image, how = resolve_image(st_name, st.sw_image, req, ctx.snap)
                check_image_fits(image, how, st_name, vdu if is_boot else None, spec['size'], 'volume %s of %s (size_of_storage)' % (st_name, vdu.name))
                spec['imageRef'] = image['id']
                detail += ', from image %s' % image_label(image)
            ctx.want.add(Action(CREATE, 'volume', key, spec['name'], spec=spec, deps=[ANCHOR],
                                owner={'vdu': vdu.name, 'vnfc': vnfc, 'storage': st_name},
                                metadata=T.metadata_for(**_owners(req, vnf_name=req.vnf_name, vdu=vdu.name, storage=st_name, vnfc=vnfc)),
                                detail=detail))
            vol_id = ref(key)
        bdm.append({'uuid': vol_id, 'source_type': 'volume', 'destination_type': 'volume',
                    'boot_index': 0 if is_boot else -1, 'delete_on_termination': False})
    return bdm, keys


def _flavor_for(ctx, vdu):
    """(flavor id, label) of an existing flavor that fits the VDU, or (ref, name) of one this plan creates."""
    vdu_name, req = vdu.name, ctx.req
    c = vdu.compute
    if c.vcpus is None or c.memory_mb is None:
        raise PlanError('%s has no virtual_compute vCPUs/memory in the VNFD' % vdu_name)
    found = match_flavor(ctx.snap.flavors, c.vcpus, c.memory_mb, c.disk_gb or 0)
    if found is not None:
        return found['id'], found.get('name') or found['id']
    name = T.flavor_name(req.vnfd_id, vdu_name)
    named = [f for f in ctx.snap.flavors if f.get('name') == name]
    if named:
        f = named[0]
        raise PlanError('flavor %s exists but is %s vCPU/%s MB/%s GB, %s needs %d vCPU/%d MB/%d GB' % (
            name, f.get('vcpus'), f.get('ram'), f.get('disk'), vdu_name, c.vcpus, c.memory_mb, c.disk_gb or 0))
    if not req.create_flavors:
        raise PlanError('no flavor with exactly %d vCPU/%d MB RAM/%d GB disk for %s: '
                        'create one, or set create_flavors: true (needs the right to create flavors)'
                        % (c.vcpus, c.memory_mb, c.disk_gb or 0, vdu_name))
    key = 'flavor/%s' % vdu_name
    ctx.want.add(Action(CREATE, 'flavor', key, name, owner={'vdu': vdu_name},
                        spec={'name': name, 'vcpus': c.vcpus, 'ram': c.memory_mb, 'disk': c.disk_gb or 0},
                        detail='%d vCPU/%d MB/%d GB' % (c.vcpus, c.memory_mb, c.disk_gb or 0)))
    return ref(key), name


def _compare(plan, want, existing, snap):
    """Desired vs existing: keep what exists, create what is missing, delete what is extra (or broken)."""
    for key, action in want.items.items():
        if action.op == UPDATE:
            plan.actions.append(action)
            continue
        have = existing.get(key) or []
        if action.kind == 'anchor':
            plan.actions.append(action)
            continue
        if action.kind == 'server' and have:  # in ERROR: delete, then create again
            for res in have:
                plan.actions.append(delete_action('server', key, res, suffix='#old'))
            plan.actions.append(action)
            continue
        if have and action.kind != 'flavor':
            continue
        plan.actions.append(action)
    # extra resources: keyed ones the request does not want
    for key, items in existing.items():
        if key == ANCHOR or (key in want.keep and len(items) == 1):
            continue
        kind = kind_of(key)
        wanted = key in want.items
        for i, res in enumerate(items):
            if (wanted or key in want.keep) and i == 0:
                continue
            if kind == 'server' and wanted:
                continue  # handled above (ERROR replacement)
            plan.actions.append(delete_action(kind, key, res, suffix='#dup%d' % i if wanted else ''))
    link_deletes(plan, snap)
    _bind_existing(plan, existing)
    # drop dependencies on things that exist already (only plan actions are waited for)
    keys = {a.key for a in plan.actions if a.op in (CREATE, UPDATE)} | {a.key for a in plan.actions if a.op == DELETE}
    if ANCHOR not in keys:
        keys.discard(ANCHOR)
    for a in plan.actions:
        a.deps = [d for d in dict.fromkeys(a.deps) if d in keys]
    return plan


def _bind_existing(plan, existing):
    """Replace references to resources this plan does not create by the ids of the existing ones."""
    created = {a.key for a in plan.actions if a.op == CREATE}

    def bind(value):
        if is_ref(value):
            key = value['$ref']
            if key in created:
                return value
            if key == ANCHOR or not existing.get(key):
                raise PlanError('internal error: %s is neither planned nor found' % key)
            return existing[key][0]['id']
        if isinstance(value, dict):
            return {k: bind(v) for k, v in value.items()}
        if isinstance(value, list):
            return [bind(v) for v in value]
        return value
    for a in plan.actions:
        if a.op == CREATE:
            a.spec = bind(a.spec)


def delete_action(kind, key, res, suffix=''):
    """The action that deletes the existing resource ``res`` (plan key ``key`` + ``suffix``)."""
    name = res.get('name') or res.get('id')
    owner = {}
    if kind in ('server', 'port', 'volume'):
        parts = key.split('/')
        owner['vnfc'] = parts[1]
        owner['vdu'] = split_vnfc_id(parts[1])[0]
        if kind == 'port':
            owner['cp'] = parts[2]
        if kind == 'volume':
            owner['storage'] = parts[2]
    elif kind in ('network', 'subnet'):
        owner['vl'] = key.split('/', 1)[1]
    return Action(DELETE, kind, key + suffix, name, resource_id=res['id'], owner=owner)


def link_deletes(plan, snap, ports_after_servers=True):
    """Dependencies among deletes: servers before their ports (unless ``ports_after_servers`` is false) and volumes,
    ports before subnets and networks, everything before the anchor."""
    deletes = [a for a in plan.actions if a.op == DELETE]
    server_by_id = {a.resource_id: a.key for a in deletes if a.kind == 'server'}
    ports = {p['id']: p for p in snap.ports}
    volumes = {v['id']: v for v in snap.volumes}
    subnets = {s['id']: s for s in snap.subnets}
    net_deleted = {a.resource_id for a in deletes if a.kind == 'network'}
    stops = {a.key: a for a in plan.actions if a.op == STOP}
    for a in deletes:
        if a.kind == 'server' and a.key in stops:
            a.deps.append(a.key)  # stop first (the STOP action has the same key)
        if a.kind == 'port':
            if ports_after_servers:
                dev = (ports.get(a.resource_id) or {}).get('device_id')
                a.deps += [k for sid, k in server_by_id.items() if sid == dev or k == 'server/%s' % a.owner.get('vnfc')]
        elif a.kind == 'volume':
            attached = {att.get('server_id') for att in (volumes.get(a.resource_id) or {}).get('attachments') or []}
            a.deps += [k for sid, k in server_by_id.items() if sid in attached or k == 'server/%s' % a.owner.get('vnfc')]
        elif a.kind == 'subnet':
            net = (subnets.get(a.resource_id) or {}).get('network_id')
            a.deps += [p.key for p in deletes if p.kind == 'port' and (ports.get(p.resource_id) or {}).get('network_id') == net]
        elif a.kind == 'network':
            a.deps += [p.key for p in deletes if p.kind in ('port', 'subnet')
                       and ((ports.get(p.resource_id) or {}).get('network_id') == a.resource_id
                            or (subnets.get(p.resource_id) or {}).get('network_id') == a.resource_id)]
        elif a.kind == 'security_group':
            a.deps += [p.key for p in deletes if p.kind == 'port']
        elif a.kind == 'server_group':
            a.deps += [p.key for p in deletes if p.kind == 'server']
        elif a.kind == 'anchor':
            a.deps += [p.key for p in deletes if p is not a]
    # subnets go with their network: no separate delete
    plan.actions = [a for a in plan.actions
                    if not (a.op == DELETE and a.kind == 'subnet' and (subnets.get(a.resource_id) or {}).get('network_id') in net_deleted)]
    kept = {a.key for a in plan.actions}
    for a in plan.actions:
        a.deps = [d for d in a.deps if d in kept]


def plan_terminate(snap, graceful=False, operation='TERMINATE'):
    """Delete every resource of the instance (ours by tags/name, never anything else); the anchor last. Forceful: the
    ports are deleted while their servers are (Nova has none left to unbind: the server deletes end sooner); graceful:
    after them (the servers stop with their network)."""
    plan = Plan(operation=operation, instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    existing, unkeyed = index_snapshot(snap)
    for key, items in existing.items():
        for i, res in enumerate(items):
            plan.actions.append(delete_action(kind_of(key), key, res, suffix='#dup%d' % i if i else ''))
    for kind, res in unkeyed:
        plan.actions.append(delete_action(kind, '%s/unkeyed/%s' % (kind, res['id']), res))
    if graceful:
        for a in list(plan.actions):
            if a.kind == 'server' and a.op == DELETE and (_server(snap, a.resource_id) or {}).get('status') == 'ACTIVE':
                plan.actions.append(Action(STOP, 'server', a.key, a.name, resource_id=a.resource_id, owner=dict(a.owner),
                                           detail='graceful'))
    for anchor in sorted(snap.anchors, key=lambda x: x['id']):
        plan.actions.append(Action(DELETE, 'anchor', ANCHOR if anchor is snap.anchor else 'anchor#%s' % anchor['id'],
                                   anchor.get('name'), resource_id=anchor['id']))
    link_deletes(plan, snap, ports_after_servers=graceful)  # forceful: Nova then has no ports left to unbind
    return plan.ordered()


def _server(snap, server_id):
    return next((s for s in snap.servers if s['id'] == server_id), None)


def plan_delete(snap, created, operation='ROLLBACK'):
    """Delete the resources an operation created (``created``: [(kind, key, resource dict)]) — rollback."""
    sub = Snapshot(instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    lists = dict(snapshot_items(sub), anchor=sub.anchors)
    plan = Plan(operation=operation, instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    times = {}
    for kind, key, res in created:
        if kind in lists:
            lists[kind].append(res)
            times[key] = times.get(key, -1) + 1  # a key twice: a create made again (see unanswered_creates)
            plan.actions.append(delete_action(kind, key, res, suffix='#dup%d' % times[key] if times[key] else ''))
    link_deletes(plan, sub)
    return plan.ordered()


def unanswered_creates(before, after, created):
    """What ``after`` (the instance discovered once an operation failed) holds that neither ``before`` (its look before
    acting) nor ``created`` (what the cloud answered it made) does: creates the cloud did though their answer was lost
    (a dropped connection, an answer after the client's timeout). [(kind, key, resource)], to be rolled back with the
    rest (``plan_delete``)."""
    known = {res.get('id') for dummy, dummy2, res in created}
    known.update(res.get('id') for dummy, items in snapshot_items(before) for res in items)
    return [(kind, resource_key(kind, res, after.instance_id) or '%s/unkeyed/%s' % (kind, res['id']), res)
            for kind, items in snapshot_items(after) for res in items if res.get('id') not in known]
