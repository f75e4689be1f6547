# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan model: what a VNF instance is made of, the actions of a plan, the request, and what exists now.

Pure: no Ansible, no openstacksdk. Planning turns (descriptor model, ``Request``, ``Snapshot``) into an ordered
``Plan`` (``converge.py``, ``scale.py``, ``heal.py``, ``operate.py``); the executor (``executor.py``) applies it;
discovery (``discovery.py``) builds the ``Snapshot``. An empty plan means "nothing to do".

What a VNF instance is made of, each keyed so that existing resources are recognised from their tags
(``resource_key``; the names and tags themselves are written in ``tags.py``):

==================  ====================================  ===============================================
key                 cloud resource                        made from
==================  ====================================  ===============================================
anchor              Neutron security group (no rules      the instance record: identity, levels, counts
                    used by no port) ``nfvo-vnf-<name>``  (see ``flow.py``)
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

Action specs are request bodies; a value ``{'$ref': key}`` is the id of the resource another action of the
same plan creates (the executor resolves it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

ANCHOR = 'anchor'
VNF_SG = 'security_group/vnf'
CREATE, DELETE, UPDATE, STOP = 'create', 'delete', 'update', 'stop'
START, REBOOT, REBUILD = 'start', 'reboot', 'rebuild'  # server actions of OPERATE and HEAL
STARTED, STOPPED = 'STARTED', 'STOPPED'
# order in which actions are listed (and, by dependencies, applied)
_CREATE_ORDER = ('anchor', 'security_group', 'network', 'subnet', 'server_group', 'flavor', 'volume', 'port', 'server')
_DELETE_ORDER = ('server', 'port', 'volume', 'subnet', 'network', 'server_group', 'security_group', 'anchor')


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

    def ordered(self):
        """The plan with its actions in listing order (stops, deletes, then creates, each by kind and key)."""
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
    # network ref -> a stand-in network dict for a network the caller creates before running the plan (the NS virtual
    # links in an NS check mode): the plan refers to it while the cloud does not have it yet
    planned_networks: Dict[str, dict] = field(default_factory=dict)


@dataclass
class Snapshot:
    """What exists now (discovery.py). Resources are the cloud's own JSON dicts.

    The environment part (flavors, images, ext_networks, ext_subnets, used_cidrs) is what the planner may pick from.
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
    ext_subnets: Dict[str, List[dict]] = field(default_factory=dict)  # network id -> its subnets (when fixed IPs are given)
    used_cidrs: List[str] = field(default_factory=list)
    # the anchor was listed before the other kinds (discovery.discover_one): a lock then taken on the revision it had
    # proves that no run acted on the instance since this look (lock.Lock.unchanged)
    anchor_first: bool = False

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
# keys of existing resources

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
        prefix = T.server_group_prefix(instance_id)
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


def snapshot_items(snap):
    """(kind, resources) of each kind of resource an instance owns (anchors excluded)."""
    return (('network', snap.networks), ('subnet', snap.subnets), ('port', snap.ports), ('security_group', snap.security_groups),
            ('server', snap.servers), ('volume', snap.volumes), ('server_group', snap.server_groups))


def index_snapshot(snap):
    """{key: [resources]} of what exists (a list: a failed race may leave duplicates), plus the unkeyed ones."""
    found, unkeyed = {}, []
    for kind, items in snapshot_items(snap):
        for res in items:
            key = resource_key(kind, res, snap.instance_id)
            if key is None:
                unkeyed.append((kind, res))
            else:
                found.setdefault(key, []).append(res)
    return found, unkeyed


def kind_of(key):
    return 'anchor' if key == ANCHOR else key.split('/', 1)[0]


def record_update(snap, tags_after, detail):
    """The action that writes ``tags_after`` on the instance record, or None when it has them already (or there is
    no record, or ``tags_after`` is None)."""
    if tags_after is None or snap.anchor is None or sorted(snap.anchor.get('tags') or []) == sorted(tags_after):
        return None
    return Action(UPDATE, 'anchor', ANCHOR, snap.anchor.get('name'), resource_id=snap.anchor['id'],
                  tags=list(tags_after), detail=detail)
