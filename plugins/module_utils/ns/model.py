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
    """One VNF node of the NS: its package and flavour (vnfd model), the lcm ``Request`` of its VNF instance, which
    VduCp the NSD attaches to which NS VL, and its batch in the deployment order."""
    node: str
    pkg: object
    flavour: object
    req: object
    cp_links: Dict[str, str] = field(default_factory=dict)  # VduCp -> NS VL
    depends_on: List[str] = field(default_factory=list)
    batch: int = 0


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
    vnfs: Dict[str, VnfPart] = field(default_factory=dict)
    vls: Dict[str, VlPart] = field(default_factory=dict)
    batches: List[List[str]] = field(default_factory=list)  # VNF nodes in deployment order
    cidr_pool: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    def anchor_tags(self):
        """The tags of the NS record."""
        tags = T.tags_for(ns=self.ns_id, flavour=self.flavour_id, role='ns-anchor', level=self.level_id, ns_name=self.name, nsd=self.nsd_id)
        tags += [T.multi_tag('member', node, '%s%d' % (VNF_KIND, part.batch)) for node, part in sorted(self.vnfs.items())]
        tags += [T.multi_tag('member', vl, VL_KIND) for vl in sorted(self.vls)]
        return tags


def members(anchor):
    """({VNF node: batch}, [NS VL]) an NS record expects."""
    vnfs, vls = {}, []
    for name, kind in sorted(T.parse_multi_tags((anchor or {}).get('tags'), 'member', str).items()):
        if kind == VL_KIND:
            vls.append(name)
        elif kind.startswith(VNF_KIND) and kind[len(VNF_KIND):].isdigit():
            vnfs[name] = int(kind[len(VNF_KIND):])
    return vnfs, vls


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
