# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NS lifecycle's model: what a run wants (``NsPlan``: its VNFs and NS virtual links) and what the cloud has
(``NsSnapshot``: the NS record and the VL networks and subnets), and the marks of the NS record.

Pure data: no cloud, no Ansible. ``plan.py`` builds an ``NsPlan`` from the NSD and the module options, ``links.py``
discovers an ``NsSnapshot``; the VNFs themselves are lcm's (``lcm/model.Request``, ``lcm/model.Snapshot``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

VNF_KIND, VL_KIND = 'vnf', 'vl'  # kinds of NS record members


@dataclass
class VnfPart:
    """One VNF instance of the NS: instance ``index`` of VNF node ``node``, its package and flavour (vnfd model), the
    lcm ``Request`` of its VNF instance, which VduCp the NSD attaches to which NS VL, the VNF nodes it depends on and
    its batch in the deployment order; ``opts``: what ``lcm/lifecycle.build_request`` was given (for more instances)."""
    node: str
    pkg: object
    flavour: object
    req: object
    cp_links: Dict[str, str] = field(default_factory=dict)  # VduCp -> NS VL
    depends_on: List[str] = field(default_factory=list)
    batch: int = 0
    index: int = 1
    opts: dict = field(default_factory=dict)
    given: dict = field(default_factory=dict)  # the task's vnfs.<node> (``plan.reflavour`` plans it again in another flavour)
    df: Optional[tuple] = None  # (VNF flavour, level or None) when not the NSD's: the record's ``nfvo:vnf_df`` of the node

    @property
    def member(self):
        """Its key in ``NsPlan.vnfs``: ``<node>``, or ``<node>-<index>`` (``tags.ns_vnf_member``)."""
        return T.ns_vnf_member(self.node, self.index)


@dataclass
class VlPart:
    """One NS virtual link: the network and subnet ``nfvo-ns-<NS>-<VL>``; ``vl`` is the NSD's ``NsVirtualLink``."""
    name: str
    net_name: str
    vl: object


@dataclass
class NsPlan:
    """What an NS run wants."""
    ns_id: str
    name: str
    nsd_id: str
    flavour_id: str
    level_id: Optional[str] = None
    vnfs: Dict[str, VnfPart] = field(default_factory=dict)  # by member name (``VnfPart.member``)
    vls: Dict[str, VlPart] = field(default_factory=dict)
    batches: List[List[str]] = field(default_factory=list)  # VNF members in deployment order
    cidr_pool: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    level_asked: Optional[str] = None  # the ns_instantiation_level_id of the task (None: the default or the recorded one)
    scale_levels: Dict[str, int] = field(default_factory=dict)  # NS scaling aspect -> NS scale level (nsScaleStatus)
    nsd_flavour: object = None  # the NSD's NsFlavour

    def counts(self):
        """{VNF node: number of instances} of the plan."""
        out = {}
        for part in self.vnfs.values():
            out[part.node] = max(out.get(part.node, 0), part.index)
        return out

    def anchor_tags(self):
        """The tags of the NS record."""
        tags = T.tags_for(ns=self.ns_id, flavour=self.flavour_id, role='ns-anchor', level=self.level_id, ns_name=self.name, nsd=self.nsd_id)
        batch_of = {part.node: part.batch for part in self.vnfs.values()}
        tags += vnf_member_tags(batch_of, self.counts())
        tags += [T.multi_tag('member', vl, VL_KIND) for vl in sorted(self.vls)]
        tags += [T.multi_tag('scale', a, n) for a, n in sorted(self.scale_levels.items())]
        tags += vnf_df_tags({part.node: part.df for part in self.vnfs.values() if part.index == 1 and part.df})
        return tags


def vnf_member_tags(batch_of, counts):
    """The record's ``nfvo:member`` tags of VNF nodes ``batch_of`` ({node: batch}) with ``counts`` ({node: instances})."""
    return [T.multi_tag('member', node, '%s%d%s' % (VNF_KIND, batch, 'x%d' % counts[node] if counts.get(node, 1) > 1 else ''))
            for node, batch in sorted(batch_of.items())]


def _vnf_kinds(anchor):
    """{VNF node: (batch, number of instances)} of an NS record."""
    out = {}
    for name, kind in sorted(T.parse_multi_tags((anchor or {}).get('tags'), 'member', str).items()):
        batch, dummy, count = kind[len(VNF_KIND):].partition('x')
        if kind.startswith(VNF_KIND) and batch.isdigit() and (count.isdigit() or not count):
            out[name] = (int(batch), int(count or 1))
    return out


def members(anchor):
    """({VNF node: batch}, [NS VL]) an NS record expects."""
    vls = [name for name, kind in sorted(T.parse_multi_tags((anchor or {}).get('tags'), 'member', str).items()) if kind == VL_KIND]
    return {node: batch for node, (batch, dummy) in _vnf_kinds(anchor).items()}, vls


def member_counts(anchor):
    """{VNF node: number of VNF instances} an NS record expects."""
    return {node: count for node, (dummy, count) in _vnf_kinds(anchor).items()}


def member_names(anchor):
    """{VNF member (``<node>``, ``<node>-<k>``): VNF node} of every VNF instance an NS record expects."""
    return {T.ns_vnf_member(node, k): node for node, count in member_counts(anchor).items() for k in range(1, count + 1)}


def vnf_df_tags(dfs):
    """The record's ``nfvo:vnf_df`` tags of ``dfs`` ({VNF node: (VNF flavour, level or None)}; None values left out)."""
    return [T.multi_tag('vnf_df', node, flavour if not level else '%s/%s' % (flavour, level)) for node, (flavour, level) in sorted(
        (n, df) for n, df in dfs.items() if df)]


def recorded_dfs(anchor):
    """{VNF node: (VNF flavour, level or None)} of the VNF nodes an NS record holds on another VNF flavour than the
    NSD's (CHANGE_VNF_DF, or ``vnfs.<node>.flavour_id`` of ``ns``)."""
    out = {}
    for node, value in T.parse_multi_tags((anchor or {}).get('tags'), 'vnf_df', str).items():
        flavour, dummy, level = value.partition('/')
        if flavour:
            out[node] = (flavour, level or None)
    return out


def recorded_scale(anchor):
    """{NS scaling aspect: NS scale level} an NS record holds (its nsScaleStatus)."""
    return T.parse_multi_tags((anchor or {}).get('tags'), 'scale')


def reverse_batches(batch_of):
    """[[VNF node]] in reverse deployment order, from {VNF node: batch}."""
    out = {}
    for node, batch in batch_of.items():
        out.setdefault(batch, []).append(node)
    return [sorted(out[b]) for b in sorted(out, reverse=True)]


@dataclass
class NsSnapshot:
    """What the cloud has of an NS: its record(s) and the networks and subnets of its virtual links."""
    ns_id: str
    name: str
    anchors: List[dict] = field(default_factory=list)
    networks: List[dict] = field(default_factory=list)
    subnets: List[dict] = field(default_factory=list)
    used_cidrs: List[str] = field(default_factory=list)

    @property
    def anchor(self):
        return self.anchors[0] if self.anchors else None

    def network(self, vl):
        return next((n for n in self.networks if T.parse_tags(n.get('tags')).get('vl') == vl), None)

    def subnet(self, vl):
        return next((s for s in self.subnets if T.parse_tags(s.get('tags')).get('vl') == vl), None)

    def is_empty(self):
        return not (self.anchors or self.networks or self.subnets)
