# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan the cloud resources of a VNF instance: (descriptor model, request, snapshot) -> ordered Plan.

Pure: no Ansible, no openstacksdk. The executor (``executor.py``) applies a plan; discovery
(``discovery.py``) builds the ``Snapshot`` of what exists. An empty plan means "nothing to do".

What a VNF instance is made of, each keyed so that existing resources are recognised from their tags:

==================  ====================================  ===============================================
key                 cloud resource                        made from
==================  ====================================  ===============================================
anchor              Neutron security group (no rules      the instance record: identity, levels, counts
                    used by no port) ``nfvo-vnf-<name>``  (see ``vnf_lcm``)
security_group/vnf  Neutron security group + rules        the ``security_group`` request option
network/<VL>        Neutron network                       VnfVirtualLink
subnet/<VL>         Neutron subnet                        its l3_protocol_data (or a CIDR from cidr_pool)
server_group/<r>    Nova server group                     AffinityRule / AntiAffinityRule, scope nfvi_node
flavor/<VDU>        Nova flavor (only when created)       virtual_compute, ``create_flavors: true``
port/<vnfc>/<CP>    Neutron port                          VduCp (internal VL, or ext_virtual_links)
volume/<vnfc>/<st>  Cinder volume                         VirtualBlockStorage
server/<vnfc>       Nova server                           Vdu.Compute instance
==================  ====================================  ===============================================

A VNFC (``<VDU>-<index>``, index 0..count-1) is one independent unit: its server, ports and volumes.
Converging to counts is how instantiate, resume-after-failure, scale and scale-to-level are all planned
(``plan_converge``): missing units' resources are created, units beyond the count are deleted (highest index
first), servers in ERROR are replaced. ``plan_terminate`` deletes every resource of the instance;
``plan_delete`` deletes a given list (rollback).

Action specs are request bodies; a value ``{'$ref': key}`` is the id of the resource another action of the
same plan creates (the executor resolves it).
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

ANCHOR = 'anchor'
VNF_SG = 'security_group/vnf'
CREATE, DELETE, UPDATE, STOP = 'create', 'delete', 'update', 'stop'
START, REBOOT, REBUILD = 'start', 'reboot', 'rebuild'  # server actions of OPERATE and HEAL
STARTED, STOPPED = 'STARTED', 'STOPPED'
# order in which actions are listed (and, by dependencies, applied)
_CREATE_ORDER = ('anchor', 'security_group', 'network', 'subnet', 'server_group', 'flavor', 'volume', 'port', 'server')
_DELETE_ORDER = ('server', 'port', 'volume', 'subnet', 'network', 'server_group', 'security_group', 'anchor')
DEFAULT_PREFIXLEN = 24


def ref(key):
    return {'$ref': key}


def is_ref(value):
    return isinstance(value, dict) and set(value) == {'$ref'}


@dataclass
class Action:
    """One resource action. ``owner`` holds the VDU/VNFC/VL/CP/storage it belongs to (for tags and messages)."""
    op: str
    kind: str
    key: str
    name: str
    spec: dict = field(default_factory=dict)
    deps: List[str] = field(default_factory=list)
    owner: Dict[str, str] = field(default_factory=dict)
    resource_id: Optional[str] = None
    detail: str = ''
    tags: List[str] = field(default_factory=list)
    metadata: Dict[str, str] = field(default_factory=dict)

    @property
    def id(self):
        """Unique within a plan (a server may be deleted and created again in one plan)."""
        return '%s:%s' % (self.op, self.key)

    def label(self):
        """'port CP2 of VDU1-0', 'server VDU1-0', 'network internalVL2' ... as used in messages."""
        o = self.owner
        if self.kind == 'port':
            return 'port %s of %s' % (o.get('cp'), o.get('vnfc'))
        if self.kind == 'volume':
            return 'volume %s of %s' % (o.get('storage'), o.get('vnfc'))
        if self.kind == 'server':
            return 'server %s' % o.get('vnfc', self.name)
        if self.kind in ('network', 'subnet'):
            return '%s %s' % (self.kind, o.get('vl', self.name))
        if self.kind == 'anchor':
            return 'VNF instance record %s' % self.name
        if self.kind == 'flavor':
            return 'flavor %s for %s' % (self.name, o.get('vdu'))
        return '%s %s' % (self.kind.replace('_', ' '), self.name)

    def summary(self):
        text = '%s %s' % (self.op, self.label())
        return '%s (%s)' % (text, self.detail) if self.detail else text

    def to_dict(self):
        """Plain data for the module's ``plan`` return value (user data is never shown)."""
        spec = dict(self.spec)
        if spec.get('user_data') is not None:
            spec['user_data'] = '<%d characters>' % len(spec['user_data'])
        out = {'action': self.op, 'kind': self.kind, 'key': self.key, 'name': self.name, 'summary': self.summary()}
        if self.resource_id:
            out['id'] = self.resource_id
        if self.deps:
            out['after'] = list(self.deps)
        if self.op in (CREATE, UPDATE) and spec:
            out['spec'] = spec
        return out


@dataclass
class Plan:
    operation: str  # INSTANTIATE, TERMINATE, SCALE ...
    instance_id: str
    vnf_name: str
    actions: List[Action] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    target: dict = field(default_factory=dict)  # flavour, level, scale levels, VDU counts

    @property
    def empty(self):
        return not self.actions

    def get(self, action_id):
        return next((a for a in self.actions if a.id == action_id), None)

    def find(self, op, key):
        return next((a for a in self.actions if a.op == op and a.key == key), None)

    def summary(self):
        return [a.summary() for a in self.actions]

    def to_list(self):
        return [a.to_dict() for a in self.actions]

    def _sort(self):
        def rank(a):
            if a.op in (STOP, DELETE):
                return (0 if a.op == STOP else 1, _DELETE_ORDER.index(a.kind), a.key)
            return (2, _CREATE_ORDER.index(a.kind), a.key)
        self.actions.sort(key=rank)
        return self


@dataclass
class ExtLink:
    """One external connection of a VduCp: the network (id or name as given) and per-instance fixed IPs."""
    cpd_id: str
    network: str
    ext_vl_id: Optional[str] = None
    cp_configs: List[dict] = field(default_factory=list)  # [{'fixed_ips': [{'ip_address'?, 'subnet_id'?}]}] by instance index


@dataclass
class Request:
    """What the user asks for (module options, normalised)."""
    vnf_name: str
    instance_id: str
    vnfd_id: str
    vnfd_version: str
    flavour_id: str
    instantiation_level_id: Optional[str] = None
    scale_levels: Optional[Dict[str, int]] = None  # converge to these aspect levels instead of a level's (scale)
    ext_links: Dict[str, ExtLink] = field(default_factory=dict)
    additional_params: dict = field(default_factory=dict)
    images: Dict[str, str] = field(default_factory=dict)  # VDU / storage / sw image name -> Glance image name or id
    # VDU / storage -> Glance image id known from the instance (its servers and volumes, its record): used after the
    # task's own map and before the onboarded image; one that is gone from Glance is passed over
    known_images: Dict[str, str] = field(default_factory=dict)
    create_flavors: bool = False
    cidr_pool: List[str] = field(default_factory=list)
    security_group_rules: Optional[List[dict]] = None  # None: no VNF security group
    ns_id: Optional[str] = None
    replace: List[str] = field(default_factory=list)  # VNFCs to recreate even when their server is fine (heal)
    vnf_state: Optional[str] = None  # STARTED / STOPPED recorded on the anchor (None: keep what it says)
    only: Optional[List[str]] = None  # heal: touch these VNFCs only (others are kept as they are, even when broken)


@dataclass
class Snapshot:
    """What exists now (discovery.py). Resources are the cloud's own JSON dicts.

    The environment part (flavors, images, ext_networks, used_cidrs) is what the planner may pick from.
    """
    instance_id: str
    vnf_name: str
    anchors: List[dict] = field(default_factory=list)  # normally one
    networks: List[dict] = field(default_factory=list)
    subnets: List[dict] = field(default_factory=list)
    ports: List[dict] = field(default_factory=list)
    security_groups: List[dict] = field(default_factory=list)  # ours, anchors excluded
    servers: List[dict] = field(default_factory=list)
    volumes: List[dict] = field(default_factory=list)
    server_groups: List[dict] = field(default_factory=list)
    flavors: List[dict] = field(default_factory=list)
    onboarded_images: List[dict] = field(default_factory=list)
    user_images: Dict[str, Optional[dict]] = field(default_factory=dict)  # ref as given -> image or None
    ext_networks: Dict[str, Optional[dict]] = field(default_factory=dict)  # ref as given -> network or None
    used_cidrs: List[str] = field(default_factory=list)

    @property
    def anchor(self):
        """The instance record: the oldest anchor when a race left two."""
        if not self.anchors:
            return None
        return sorted(self.anchors, key=lambda a: (a.get('created_at') or '', a.get('id')))[0]

    def is_empty(self):
        return not (self.anchors or self.networks or self.subnets or self.ports or self.security_groups
                    or self.servers or self.volumes or self.server_groups)


# ---------------------------------------------------------------------------------------------------------------
# names and keys

def anchor_name(vnf_name):
    return 'nfvo-vnf-%s' % vnf_name


def server_group_name(instance_id, rule):
    return 'nfvo-%s-%s' % (instance_id, rule)


def server_group_prefix(instance_id):
    return 'nfvo-%s-' % instance_id


def flavor_name(vnfd_id, vdu):
    return 'nfvo-%s-%s' % (vnfd_id, vdu)


def vnfc_id(vdu, index):
    return '%s-%d' % (vdu, index)


def split_vnfc_id(value):
    """('VDU1', 0) from 'VDU1-0'; (value, None) when it has no index."""
    vdu, dummy, index = (value or '').rpartition('-')
    return (vdu, int(index)) if vdu and index.isdigit() else (value, None)


def resource_key(kind, res, instance_id=None):
    """The plan key of an existing resource from its tags/metadata/name, or None when it has none."""
    if kind in ('server', 'volume'):
        owners = T.parse_metadata(res.get('metadata'))
        if not owners.get('vnfc'):
            owners = T.parse_tags(res.get('tags'))
        if kind == 'server':
            return 'server/%s' % owners['vnfc'] if owners.get('vnfc') else None
        return 'volume/%s/%s' % (owners['vnfc'], owners['storage']) if owners.get('vnfc') and owners.get('storage') else None
    if kind == 'server_group':
        prefix = server_group_prefix(instance_id)
        name = res.get('name') or ''
        return 'server_group/%s' % name[len(prefix):] if name.startswith(prefix) else None
    owners = T.parse_tags(res.get('tags'))
    if kind == 'security_group':
        if owners.get('role') == 'anchor':
            return ANCHOR
        return VNF_SG if owners.get('role') == 'sg' else None
    if kind in ('network', 'subnet'):
        return '%s/%s' % (kind, owners['vl']) if owners.get('vl') else None
    if kind == 'port':
        return 'port/%s/%s' % (owners['vnfc'], owners['cp']) if owners.get('vnfc') and owners.get('cp') else None
    return None


def index_snapshot(snap):
    """{key: [resources]} of what exists (a list: a failed race may leave duplicates), plus the unkeyed ones."""
    found, unkeyed = {}, []
    for kind, items in (('network', snap.networks), ('subnet', snap.subnets), ('port', snap.ports),
                        ('security_group', snap.security_groups), ('server', snap.servers), ('volume', snap.volumes),
                        ('server_group', snap.server_groups)):
        for res in items:
            key = resource_key(kind, res, snap.instance_id)
            if key is None:
                unkeyed.append((kind, res))
            else:
                found.setdefault(key, []).append(res)
    return found, unkeyed


def kind_of(key):
    return 'anchor' if key == ANCHOR else key.split('/', 1)[0]


# ---------------------------------------------------------------------------------------------------------------
# request normalisation

def _get(d, *names):
    for n in names:
        if n in d:
            return d[n]
    return None


def _fixed_ips_of(cp_config, where):
    """[{'ip_address'?, 'subnet_id'?}] from our short form {fixed_ips: [...]} or ETSI cp_protocol_data."""
    if not isinstance(cp_config, dict):
        raise PlanError('%s: each cp_config must be a dict, not %r' % (where, cp_config))
    if _get(cp_config, 'link_port_id', 'linkPortId', 'port_id'):
        raise PlanError('%s: pre-created ports (link_port_id) are not supported; give fixed_ips instead' % where)
    ips = _get(cp_config, 'fixed_ips')
    if ips is not None:
        out = []
        for ip in ips if isinstance(ips, list) else [ips]:
            ip = {'ip_address': ip} if isinstance(ip, str) else dict(ip)
            unknown = set(ip) - {'ip_address', 'subnet_id'}
            if unknown:
                raise PlanError('%s: fixed_ips entries take ip_address and subnet_id, not %s' % (where, ', '.join(sorted(unknown))))
            out.append(ip)
        return out
    out = []
    for proto in _get(cp_config, 'cp_protocol_data', 'cpProtocolData') or []:
        ipoe = _get(proto, 'ip_over_ethernet', 'ipOverEthernet') or {}
        for addr in _get(ipoe, 'ip_addresses', 'ipAddresses') or []:
            subnet = _get(addr, 'subnet_id', 'subnetId')
            fixed = _get(addr, 'fixed_addresses', 'fixedAddresses') or []
            if fixed:
                out.extend(dict({'ip_address': ip}, **({'subnet_id': subnet} if subnet else {})) for ip in fixed)
            elif subnet:
                out.append({'subnet_id': subnet})
    return out


def normalize_ext_virtual_links(value):
    """{cpd_id: ExtLink} from the ETSI list shape or the short {cpd_id: network} map (see the vnf module docs)."""
    if not value:
        return {}
    links = {}
    if isinstance(value, dict):
        for cpd_id, target in value.items():
            if isinstance(target, str):
                links[cpd_id] = ExtLink(cpd_id=cpd_id, network=target)
            elif isinstance(target, dict) and _get(target, 'network', 'resource_id', 'resourceId'):
                where = 'ext_virtual_links.%s' % cpd_id
                configs = _get(target, 'cp_config', 'cpConfig')
                if configs is None and 'fixed_ips' in target:
                    configs = [{'fixed_ips': target['fixed_ips']}]
                links[cpd_id] = ExtLink(cpd_id=cpd_id, network=_get(target, 'network', 'resource_id', 'resourceId'),
                                        cp_configs=[{'fixed_ips': _fixed_ips_of(c, where)} for c in _config_list(configs)])
            else:
                raise PlanError('ext_virtual_links.%s must be a network name or id, or a dict with network and fixed_ips' % cpd_id)
        return links
    if not isinstance(value, list):
        raise PlanError('ext_virtual_links must be a list (ETSI ExtVirtualLinkData) or a dict {cpd_id: network}')
    for i, ext_vl in enumerate(value):
        where = 'ext_virtual_links[%d]' % i
        if not isinstance(ext_vl, dict):
            raise PlanError('%s must be a dict with resource_id and ext_cps' % where)
        network = _get(ext_vl, 'resource_id', 'resourceId', 'network')
        if not network:
            raise PlanError('%s has no resource_id (the network name or id)' % where)
        for j, ext_cp in enumerate(_get(ext_vl, 'ext_cps', 'extCps') or []):
            cpd_id = _get(ext_cp, 'cpd_id', 'cpdId')
            if not cpd_id:
                raise PlanError('%s.ext_cps[%d] has no cpd_id' % (where, j))
            if cpd_id in links:
                raise PlanError('%s: CP %s is connected twice' % (where, cpd_id))
            configs = _config_list(_get(ext_cp, 'cp_config', 'cpConfig'))
            links[cpd_id] = ExtLink(cpd_id=cpd_id, network=network, ext_vl_id=_get(ext_vl, 'id'),
                                    cp_configs=[{'fixed_ips': _fixed_ips_of(c, '%s.ext_cps[%d]' % (where, j))} for c in configs])
    return links


def _config_list(configs):
    if configs is None:
        return []
    if isinstance(configs, dict):  # SOL003 v3: a map {cpConfig id: VnfExtCpConfig}, in the order given
        return list(configs.values())
    if isinstance(configs, list):
        return configs
    raise PlanError('cp_config must be a list or a dict, not %r' % (configs,))


# ---------------------------------------------------------------------------------------------------------------
# environment choices

def match_flavor(flavors, vcpus, ram_mb, disk_gb):
    """An existing flavor with exactly these vCPUs/RAM/root disk (no ephemeral/swap); the plainest one wins."""
    fits = [f for f in flavors
            if f.get('vcpus') == vcpus and f.get('ram') == ram_mb and f.get('disk') == disk_gb
            and not f.get('OS-FLV-EXT-DATA:ephemeral') and not f.get('swap') and not f.get('OS-FLV-DISABLED:disabled')]
    fits.sort(key=lambda f: (bool(f.get('extra_specs')), not f.get('os-flavor-access:is_public', True), f.get('name') or ''))
    return fits[0] if fits else None


def _image_label(img):
    return img.get('name') or img.get('id')


def resolve_image(node, sw_image, req, snap):
    """(image dict, how) for a VDU or storage node: user map (by node or sw image name) > known to the instance >
    onboarded > PlanError."""
    keys = [node] + ([sw_image.name] if sw_image is not None and sw_image.name else [])
    for key in keys:
        if key in req.images:
            image = snap.user_images.get(req.images[key])
            if image is None:
                raise PlanError("image '%s' given for %s in images is not in Glance (or not visible to the project)" % (req.images[key], key))
            return image, 'images[%s]' % key
    known = snap.user_images.get(req.known_images.get(node))
    if known is not None:
        return known, 'known'
    if sw_image is None:
        return None, None
    for image in snap.onboarded_images:
        if image.get(T.IMAGE_PROPS['vnfd']) != req.vnfd_id:
            continue
        version = image.get(T.IMAGE_PROPS['vnfd_version'])
        if version and version != req.vnfd_version:
            continue
        if image.get(T.IMAGE_PROPS['sw_image']) in (sw_image.name, node) and image.get('status', 'active') == 'active':
            return image, 'onboarded'
    raise PlanError("no image for %s (sw image '%s'): onboard the package (telco.nfvo.vnf_package) or map it with images: {%s: <Glance image>}"
                    % (node, sw_image.name, node))


def allocate_cidrs(pool, count, used, prefixlen=DEFAULT_PREFIXLEN):
    """``count`` free networks of the given prefix length from ``pool`` (list of CIDRs), not overlapping ``used``."""
    used_nets = []
    for cidr in used:
        try:
            used_nets.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError:
            continue
    out = []
    for block in pool:
        try:
            net = ipaddress.ip_network(block, strict=False)
        except ValueError:
            raise PlanError("cidr_pool entry '%s' is not a CIDR" % block)
        size = max(prefixlen, net.prefixlen) if net.version == 4 else max(64, net.prefixlen)
        for candidate in net.subnets(new_prefix=size):
            if len(out) == count:
                return out
            if any(candidate.overlaps(u) for u in used_nets if u.version == candidate.version):
                continue
            out.append(str(candidate))
            used_nets.append(candidate)
    if len(out) < count:
        raise PlanError('cidr_pool %s has no room for %d more /%d subnet(s) next to the existing subnets' % (', '.join(pool), count, prefixlen))
    return out


# ---------------------------------------------------------------------------------------------------------------
# desired state

class _Desired:
    """Collects desired actions (op create/update) keyed, before comparison with what exists."""

    def __init__(self):
        self.items = {}
        self.keep = set()  # existing keys kept as they are (units whose server is fine)

    def add(self, action):
        self.items[action.key] = action
        return action


def target_counts(flavour, req):
    """({VDU: count}, {aspect: level}) the request converges to."""
    try:
        if req.scale_levels is not None:
            levels = dict(flavour.scale_levels_for_level(req.instantiation_level_id)) if req.instantiation_level_id else {a: 0 for a in flavour.aspects}
            levels.update(req.scale_levels)
            return flavour.vdu_instances_for_scale(levels), levels
        return flavour.vdu_instances_for_level(req.instantiation_level_id), flavour.scale_levels_for_level(req.instantiation_level_id)
    except ValueError as exc:
        raise PlanError(str(exc))


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


def mapped_images(req, flavour, snap):
    """{VDU or storage: Glance image id} to record: what the instance's record holds, updated with the images the task
    maps or the instance's servers use (onboarded images of the VNFD excluded: they are found again by their
    properties). A map that does not resolve is left to the VNFC planning to report."""
    nodes = [(name, vdu.sw_image) for name, vdu in flavour.vdus.items()]
    nodes += [(name, st.sw_image) for name, st in flavour.storage.items() if st.kind == 'block']
    out = T.parse_multi_tags((snap.anchor or {}).get('tags'), 'image', str)
    for node, sw_image in nodes:
        try:
            image, how = resolve_image(node, sw_image, req, snap)
        except PlanError:
            continue
        if image is not None and how != 'onboarded' and image.get(T.IMAGE_PROPS['vnfd']) != req.vnfd_id:
            out[node] = image['id']
    return out


def _owners(req, **extra):
    return dict(vnf=req.instance_id, vnfd=req.vnfd_id, vnfd_version=req.vnfd_version, flavour=req.flavour_id, ns=req.ns_id, **extra)


def _vdu_params(req, vdu):
    """additional_params for one VDU: the top-level keys, overridden by vdu_params[VDU]."""
    params = {k: v for k, v in (req.additional_params or {}).items() if k != 'vdu_params'}
    params.update(((req.additional_params or {}).get('vdu_params') or {}).get(vdu) or {})
    return params


def plan_converge(vnfd, flavour, req, snap, operation='INSTANTIATE'):
    """The plan that makes the instance match the request: create what is missing, delete what is beyond it."""
    counts, scale_levels = target_counts(flavour, req)
    level_id = req.instantiation_level_id or flavour.default_level
    plan = Plan(operation=operation, instance_id=req.instance_id, vnf_name=req.vnf_name,
                target={'flavour_id': flavour.flavour_id, 'instantiation_level_id': level_id,
                        'scale_levels': scale_levels, 'vdu_instances': counts})
    existing, _unkeyed = index_snapshot(snap)
    anchor = snap.anchor
    if anchor is not None:
        owners = T.parse_tags(anchor.get('tags'))
        if owners.get('vnfd') and owners['vnfd'] != req.vnfd_id:
            raise PlanError('VNF %s is instantiated from VNFD %s, not %s: terminate it first (or change the VNF package with a future operation)'
                            % (req.vnf_name, owners['vnfd'], req.vnfd_id))
        if owners.get('vnfd_version') and owners['vnfd_version'] != req.vnfd_version:
            raise PlanError('VNF %s is instantiated from version %s of VNFD %s, not %s: terminate it first (changing the package is a future operation)'
                            % (req.vnf_name, owners['vnfd_version'], req.vnfd_id, req.vnfd_version))
        if owners.get('flavour') and owners['flavour'] != req.flavour_id:
            raise PlanError('VNF %s is instantiated with flavour %s, not %s: terminate it first' % (req.vnf_name, owners['flavour'], req.flavour_id))
    for cpd_id in req.ext_links:
        if cpd_id not in flavour.cps:
            raise PlanError("ext_virtual_links names CP '%s', which is not a VduCp of flavour %s (VduCps: %s)"
                            % (cpd_id, flavour.flavour_id, ', '.join(sorted(flavour.cps))))

    want = _Desired()
    # the record
    vnf_state = req.vnf_state or (T.parse_tags(anchor.get('tags')).get('state') if anchor is not None else None)
    record_tags = anchor_tags(req, level_id, scale_levels, counts, vnf_state, mapped_images(req, flavour, snap), plan.warnings)
    if anchor is None:
        want.add(Action(CREATE, 'anchor', ANCHOR, anchor_name(req.vnf_name), tags=record_tags,
                        spec={'name': anchor_name(req.vnf_name), 'description': ''}, detail='the instance record'))
    elif sorted(anchor.get('tags') or []) != sorted(record_tags):
        want.add(Action(UPDATE, 'anchor', ANCHOR, anchor.get('name'), resource_id=anchor['id'], tags=record_tags,
                        detail='record level %s, %s' % (level_id, ', '.join('%s=%s' % kv for kv in sorted(counts.items())))))

    # the VNF security group
    if req.security_group_rules is not None:
        want.add(Action(CREATE, 'security_group', VNF_SG, '%s-sg' % req.vnf_name, deps=[ANCHOR],
                        tags=T.tags_for(**_owners(req, role='sg')),
                        spec={'name': '%s-sg' % req.vnf_name, 'description': 'telco.nfvo VNF %s' % req.vnf_name,
                              'rules': [dict(r) for r in req.security_group_rules]},
                        detail='%d rule(s)' % len(req.security_group_rules)))

    # internal virtual links
    need_cidr = [vl for name, vl in flavour.virtual_links.items() if not vl.cidr and 'subnet/%s' % name not in existing]
    pool_cidrs = []
    if need_cidr:
        if not req.cidr_pool:
            raise PlanError('virtual link %s has no CIDR in the VNFD: give cidr_pool to allocate one' % need_cidr[0].name)
        pool_cidrs = allocate_cidrs(req.cidr_pool, len(need_cidr), snap.used_cidrs)
    allocated = dict(zip([vl.name for vl in need_cidr], pool_cidrs))
    for name, vl in flavour.virtual_links.items():
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

    # placement rules -> server groups
    group_of = {}
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
        want.add(Action(CREATE, 'server_group', key, server_group_name(req.instance_id, rule.name), deps=[ANCHOR],
                        spec={'name': server_group_name(req.instance_id, rule.name), 'policy': policy},
                        detail='%s of %s' % (policy, ', '.join(members))))
        for m in members:
            if m in group_of:
                plan.warnings.append('%s is in placement rules %s and %s: a server has one server group, %s applies'
                                     % (m, group_of[m].split('/', 1)[1], rule.name, group_of[m].split('/', 1)[1]))
            else:
                group_of[m] = key

    # VNFC units: a unit whose server exists (and is not in ERROR) is kept as it is (repairing it is heal)
    sg_refs = [ref(VNF_SG)] if req.security_group_rules is not None else None
    flavor_of = {}
    for vdu_name, vdu in flavour.vdus.items():
        params = _vdu_params(req, vdu_name)
        for index in range(counts.get(vdu_name, 0)):
            vnfc = vnfc_id(vdu_name, index)
            server_key = 'server/%s' % vnfc
            have = existing.get(server_key) or []
            healthy = have and not any(s.get('status') == 'ERROR' for s in have) and vnfc not in req.replace
            if healthy or (req.only is not None and vnfc not in req.only):
                want.keep.update(k for k in existing if k == server_key or k.startswith(('port/%s/' % vnfc, 'volume/%s/' % vnfc)))
                continue
            want.add(_plan_unit(req, snap, flavour, vdu, index, params, existing, sg_refs, group_of, flavor_of, want, plan,
                                replace=bool(have)))

    _first_in_affinity_group(want, group_of)
    plan = _compare(plan, want, existing, snap)
    if req.only is not None:  # heal: never delete what is not healed (extra units are scale's business)
        plan.actions = [a for a in plan.actions if a.op != DELETE or a.kind not in ('server', 'port', 'volume')
                        or a.owner.get('vnfc') in req.only]
    return plan._sort()


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


def _plan_unit(req, snap, flavour, vdu, index, params, existing, sg_refs, group_of, flavor_of, want, plan, replace):
    """The ports, volumes and server of one VNFC; existing ports/volumes of the unit are reused (resume)."""
    vdu_name = vdu.name
    vnfc = vnfc_id(vdu_name, index)
    server = Action(CREATE, 'server', 'server/%s' % vnfc, '%s-%s' % (req.vnf_name, vnfc), owner={'vdu': vdu_name, 'vnfc': vnfc},
                    deps=[ANCHOR])
    ports = []
    for cp_name in vdu.cps:
        cp = flavour.cps[cp_name]
        key = 'port/%s/%s' % (vnfc, cp_name)
        server.deps.append(key)
        if existing.get(key):  # resume: reuse the unit's port
            want.keep.add(key)
            ports.append(existing[key][0]['id'])
            continue
        spec = {'name': '%s-%s-%s' % (req.vnf_name, vnfc, cp_name), 'admin_state_up': True}
        deps = [ANCHOR]
        link = req.ext_links.get(cp_name)
        if link is not None:
            net = snap.ext_networks.get(link.network)
            if net is None:
                raise PlanError("network '%s' of ext_virtual_links (CP %s) is not in the cloud (or not visible to the project)"
                                % (link.network, cp_name))
            spec['network_id'] = net['id']
            if index < len(link.cp_configs) and link.cp_configs[index].get('fixed_ips'):
                spec['fixed_ips'] = [dict(ip) for ip in link.cp_configs[index]['fixed_ips']]
            where = 'external network %s' % (net.get('name') or net['id'])
        elif cp.virtual_link:
            spec['network_id'] = ref('network/%s' % cp.virtual_link)
            deps += ['network/%s' % cp.virtual_link, 'subnet/%s' % cp.virtual_link]
            where = cp.virtual_link
        else:
            raise PlanError('CP %s of %s is external: connect it with ext_virtual_links (e.g. {%s: <network>})'
                            % (cp_name, vdu_name, cp_name))
        if cp.vnic_type and cp.vnic_type != 'normal':
            spec['binding:vnic_type'] = cp.vnic_type
        if sg_refs:
            spec['security_groups'] = list(sg_refs)
            deps.append(VNF_SG)
        detail = 'on %s' % where
        if spec.get('fixed_ips'):
            detail += ', fixed IPs %s' % ', '.join(ip.get('ip_address') or ip.get('subnet_id') for ip in spec['fixed_ips'])
        want.add(Action(CREATE, 'port', key, spec['name'], spec=spec, deps=deps, owner={'vdu': vdu_name, 'vnfc': vnfc, 'cp': cp_name},
                        tags=T.tags_for(**_owners(req, vdu=vdu_name, cp=cp_name, vnfc=vnfc)), detail=detail))
        ports.append(ref(key))

    vdu_image = None
    if vdu.sw_image is not None or vdu_name in req.images or vdu_name in req.known_images:
        vdu_image, _how = resolve_image(vdu_name, vdu.sw_image, req, snap)
    bdm = []
    for st_name in vdu.storage:
        st = flavour.storage.get(st_name)
        if st is None or st.kind != 'block':
            plan.warnings.append('%s storage %s is not block storage: not created' % (vdu_name, st_name))
            continue
        key = 'volume/%s/%s' % (vnfc, st_name)
        has_image = st.sw_image is not None or st_name in req.images or st_name in req.known_images
        is_boot = vdu_image is None and has_image and not any(b['boot_index'] == 0 for b in bdm)
        server.deps.append(key)
        if existing.get(key):  # resume: reuse the unit's volume
            want.keep.add(key)
            vol_id = existing[key][0]['id']
        else:
            spec = {'name': '%s-%s-%s' % (req.vnf_name, vnfc, st_name), 'size': st.size_gb or 1}
            detail = '%d GB' % spec['size']
            if has_image:
                image, _how = resolve_image(st_name, st.sw_image, req, snap)
                spec['imageRef'] = image['id']
                detail += ', from image %s' % _image_label(image)
            want.add(Action(CREATE, 'volume', key, spec['name'], spec=spec, deps=[ANCHOR],
                            owner={'vdu': vdu_name, 'vnfc': vnfc, 'storage': st_name},
                            metadata=T.metadata_for(**_owners(req, vnf_name=req.vnf_name, vdu=vdu_name, storage=st_name, vnfc=vnfc)),
                            detail=detail))
            vol_id = ref(key)
        bdm.append({'uuid': vol_id, 'source_type': 'volume', 'destination_type': 'volume',
                    'boot_index': 0 if is_boot else -1, 'delete_on_termination': False})
    if vdu_image is None and not any(b['boot_index'] == 0 for b in bdm):
        raise PlanError('%s has no image and no storage with an image to boot from: map one with images: {%s: <Glance image>}'
                        % (vdu_name, vdu_name))

    if vdu_name not in flavor_of:
        flavor_of[vdu_name] = _flavor_for(vdu_name, vdu, req, snap, want)
    flavor_ref, flavor_label = flavor_of[vdu_name]
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
    group = group_of.get(vdu_name)
    if group:
        spec['scheduler_hints'] = {'group': ref(group)}
        server.deps.append(group)
    server.spec = spec
    server.tags = T.tags_for(vnf=req.instance_id, vnfd=req.vnfd_id, flavour=req.flavour_id, vdu=vdu_name, vnfc=vnfc)
    server.metadata = T.metadata_for(**_owners(req, vnf_name=req.vnf_name, vdu=vdu_name, vnfc=vnfc))
    server.metadata.update({str(k): str(v) for k, v in (params.get('server_metadata') or {}).items()})
    server.detail = 'flavor %s, %s%s' % (
        flavor_label, 'image %s' % _image_label(vdu_image) if vdu_image is not None else 'boot from volume',
        ', group %s' % group.split('/', 1)[1] if group else '')
    if replace:  # the old one is in ERROR: delete it first
        server.deps.append('server/%s#old' % vnfc)
    return server


def _flavor_for(vdu_name, vdu, req, snap, want):
    c = vdu.compute
    if c.vcpus is None or c.memory_mb is None:
        raise PlanError('%s has no virtual_compute vCPUs/memory in the VNFD' % vdu_name)
    found = match_flavor(snap.flavors, c.vcpus, c.memory_mb, c.disk_gb or 0)
    if found is not None:
        return found['id'], found.get('name') or found['id']
    name = flavor_name(req.vnfd_id, vdu_name)
    named = [f for f in snap.flavors if f.get('name') == name]
    if named:
        f = named[0]
        raise PlanError('flavor %s exists but is %s vCPU/%s MB/%s GB, %s needs %d vCPU/%d MB/%d GB' % (
            name, f.get('vcpus'), f.get('ram'), f.get('disk'), vdu_name, c.vcpus, c.memory_mb, c.disk_gb or 0))
    if not req.create_flavors:
        raise PlanError('no flavor with exactly %d vCPU/%d MB RAM/%d GB disk for %s: '
                        'create one, or set create_flavors: true (needs the right to create flavors)'
                        % (c.vcpus, c.memory_mb, c.disk_gb or 0, vdu_name))
    key = 'flavor/%s' % vdu_name
    want.add(Action(CREATE, 'flavor', key, name, owner={'vdu': vdu_name},
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
                plan.actions.append(_delete_action('server', key, res, snap, suffix='#old'))
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
            plan.actions.append(_delete_action(kind, key, res, snap, suffix='#dup%d' % i if wanted else ''))
    _link_deletes(plan, snap)
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


def _delete_action(kind, key, res, snap, suffix=''):
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


def _link_deletes(plan, snap):
    """Dependencies among deletes: servers before their ports/volumes, ports before subnets and networks,
    everything before the anchor."""
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
    """Delete every resource of the instance (ours by tags/name, never anything else); the anchor last."""
    plan = Plan(operation=operation, instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    existing, unkeyed = index_snapshot(snap)
    for key, items in existing.items():
        for i, res in enumerate(items):
            plan.actions.append(_delete_action(kind_of(key), key, res, snap, suffix='#dup%d' % i if i else ''))
    for kind, res in unkeyed:
        plan.actions.append(_delete_action(kind, '%s/unkeyed/%s' % (kind, res['id']), res, snap))
    if graceful:
        for a in list(plan.actions):
            if a.kind == 'server' and a.op == DELETE and (_server(snap, a.resource_id) or {}).get('status') == 'ACTIVE':
                plan.actions.append(Action(STOP, 'server', a.key, a.name, resource_id=a.resource_id, owner=dict(a.owner),
                                           detail='graceful'))
    for anchor in sorted(snap.anchors, key=lambda x: x['id']):
        plan.actions.append(Action(DELETE, 'anchor', ANCHOR if anchor is snap.anchor else 'anchor#%s' % anchor['id'],
                                   anchor.get('name'), resource_id=anchor['id']))
    _link_deletes(plan, snap)
    return plan._sort()


def _server(snap, server_id):
    return next((s for s in snap.servers if s['id'] == server_id), None)


def plan_delete(snap, created, operation='ROLLBACK'):
    """Delete the resources an operation created (``created``: [(kind, key, resource dict)]) — rollback."""
    sub = Snapshot(instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    lists = {'network': sub.networks, 'subnet': sub.subnets, 'port': sub.ports, 'security_group': sub.security_groups,
             'server': sub.servers, 'volume': sub.volumes, 'server_group': sub.server_groups, 'anchor': sub.anchors}
    plan = Plan(operation=operation, instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    for kind, key, res in created:
        if kind in lists:
            lists[kind].append(res)
            plan.actions.append(_delete_action(kind, key, res, sub))
    _link_deletes(plan, sub)
    return plan._sort()


# ---------------------------------------------------------------------------------------------------------------
# scale, heal, operate (the imperative operations of ``lcm_operations``)

def scale_levels_after(flavour, current, aspect_id, scale_type, steps):
    """{aspect: level} after scaling ``aspect_id`` out or in by ``steps`` from ``current``; PlanError when out of range."""
    if aspect_id not in flavour.aspects:
        raise PlanError("aspect '%s' is not defined in flavour '%s' (aspects: %s)"
                        % (aspect_id, flavour.flavour_id, ', '.join(sorted(flavour.aspects)) or 'none'))
    if scale_type not in ('scale_out', 'scale_in'):
        raise PlanError("scale type must be scale_out or scale_in, not '%s'" % scale_type)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise PlanError('number_of_steps must be a positive integer, not %r' % (steps,))
    levels = {a: int((current or {}).get(a, 0)) for a in flavour.aspects}
    now = levels[aspect_id]
    levels[aspect_id] = now + steps if scale_type == 'scale_out' else now - steps
    if not 0 <= levels[aspect_id] <= flavour.aspects[aspect_id].max_scale_level:
        raise PlanError("%s of aspect '%s' by %d step(s) from level %d leaves its range 0..%d"
                        % (scale_type.replace('_', ' '), aspect_id, steps, now, flavour.aspects[aspect_id].max_scale_level))
    error = flavour.check_scale_levels(levels)
    if error:
        raise PlanError(error)
    return levels


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


def plan_server_actions(snap, vnfcs, op, operation, detail='', anchor_tags_after=None):
    """One ``op`` (start, stop, reboot, rebuild) per VNFC server of ``vnfcs`` that needs it; PlanError for a VNFC
    without a server. Start skips ACTIVE servers, stop skips SHUTOFF ones (OPERATE is idempotent)."""
    plan = Plan(operation=operation, instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    existing, dummy = index_snapshot(snap)
    for vnfc in vnfcs:
        servers = existing.get('server/%s' % vnfc) or []
        if not servers:
            raise PlanError('VNFC %s of VNF %s has no server: heal it with strategy recreate' % (vnfc, snap.vnf_name))
        server = servers[0]
        status = server.get('status')
        if (op == START and status == 'ACTIVE') or (op == STOP and status == 'SHUTOFF'):
            continue
        spec = {}
        if op == REBUILD:
            image = (server.get('image') or {}).get('id') if isinstance(server.get('image'), dict) else None
            if not image:
                raise PlanError('VNFC %s of VNF %s boots from a volume: rebuild needs an image; heal it with strategy recreate'
                                % (vnfc, snap.vnf_name))
            spec = {'imageRef': image}
        owner = {'vnfc': vnfc, 'vdu': split_vnfc_id(vnfc)[0]}
        plan.actions.append(Action(op, 'server', 'server/%s' % vnfc, server.get('name') or vnfc, spec=spec, owner=owner,
                                   resource_id=server['id'], detail=detail or 'status %s' % status))
    if anchor_tags_after is not None and snap.anchor is not None and sorted(snap.anchor.get('tags') or []) != sorted(anchor_tags_after):
        plan.actions.append(Action(UPDATE, 'anchor', ANCHOR, snap.anchor.get('name'), resource_id=snap.anchor['id'],
                                   tags=list(anchor_tags_after), detail='record the VNF state'))
    return plan._sort()


def retag(tags, **changes):
    """``tags`` with single-valued keys replaced (value None removes) and, for 'scale'/'want' dicts, the multi tags."""
    out = list(tags or [])
    for key, value in changes.items():
        if key in T.MULTI_KEYS:
            out = [t for t in out if not t.startswith('%s%s=' % (T.PREFIX, key))]
            out += [T.multi_tag(key, n, v) for n, v in sorted((value or {}).items())]
        else:
            out = [t for t in out if not t.startswith('%s%s=' % (T.PREFIX, key))]
            if value is not None:
                out.append(T.tag(key, value))
    return out


def plan_trim(snap, counts, operation='ROLLBACK', anchor_tags_after=None):
    """Delete the VNFC units beyond ``counts`` ({VDU: n}: servers, ports, volumes of indexes >= n) and record
    ``anchor_tags_after`` — a scale-out rolled back without the package."""
    plan = Plan(operation=operation, instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    existing, dummy = index_snapshot(snap)
    for key, items in sorted(existing.items()):
        kind = kind_of(key)
        if kind not in ('server', 'port', 'volume'):
            continue
        vdu, index = split_vnfc_id(key.split('/')[1])
        if index is None or vdu not in counts or index < counts[vdu]:
            continue
        for i, res in enumerate(items):
            plan.actions.append(_delete_action(kind, key, res, snap, suffix='#dup%d' % i if i else ''))
    if anchor_tags_after is not None and snap.anchor is not None and sorted(snap.anchor.get('tags') or []) != sorted(anchor_tags_after):
        plan.actions.append(Action(UPDATE, 'anchor', ANCHOR, snap.anchor.get('name'), resource_id=snap.anchor['id'],
                                   tags=list(anchor_tags_after), detail='record the previous levels'))
    _link_deletes(plan, snap)
    return plan._sort()
