# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The network service descriptor model (ETSI SOL001 NSD) and what the NS lifecycle derives from it.

Pure data: no YAML, no Ansible, no cloud. ``nsd_reader.read_nsd()`` builds it from an NSD file, directory or CSAR.

An ``Nsd`` has deployment flavours (``NsFlavour``); a flavour holds the VNF nodes (``NsVnf``: the VNF package by
descriptor id and flavour, ``vnf_profile`` min/max instances), the nested NS nodes (``NestedNs``), the NS virtual
links (``NsVirtualLink``, with the l3 data of their first ``l3_protocol_data``), the SAPs (``Sap``), which VNF
requirement (external CP) attaches to which NS VL or SAP (``Attachment``), the dependencies between constituents,
the NS instantiation levels, the NS scaling aspects and the level mappings (``LevelMapping``: VnfToLevelMapping,
NsToLevelMapping, VirtualLinkToLevelMapping by aspect level, and their *ToInstantiationLevelMapping forms by
instantiation level). Policies the model does not interpret (affinity, monitoring, auto-scale, NFP rules) are
kept by name, type and targets (``OtherPolicy``).

``NsFlavour.deployment_order()`` gives the constituents in dependency order as batches (each batch may be created
concurrently; terminate runs the batches in reverse), ``NsFlavour.instances_at(level)`` the number of instances of
each constituent at an NS instantiation level.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import VirtualLink

VNF, NESTED_NS, VIRTUAL_LINK, SAP = 'vnf', 'ns', 'virtual_link', 'sap'  # kinds of NSD nodes
ASPECT_LEVEL, INSTANTIATION_LEVEL = 'aspect_level', 'instantiation_level'  # what a LevelMapping is keyed by


@dataclass
class Attachment:
    """A virtual link requirement of a VNF or nested NS: its requirement (external CP) -> an NS VL or a SAP."""
    requirement: str
    target: str
    kind: str  # VIRTUAL_LINK or SAP


@dataclass
class Constituent:
    """What a VNF node and a nested NS node of the NSD share: flavour, instance bounds, links and dependencies."""
    name: str
    flavour_id: Optional[str] = None
    min_instances: int = 1  # vnf_profile / ns_profile min_number_of_instances (1 without a profile)
    max_instances: Optional[int] = None  # max_number_of_instances (None: no bound given)
    instantiation_level: Optional[str] = None  # vnf_profile.instantiation_level / ns_profile.ns_instantiation_level
    attachments: List[Attachment] = field(default_factory=list)
    depends_on: List[str] = field(default_factory=list)


@dataclass
class NsVnf(Constituent):
    """A VNF node of the NSD (``tosca.nodes.nfv.VNF``): the VNF package by its VNFD id, and its flavour."""
    vnfd_id: str = ''
    descriptor_version: Optional[str] = None
    provider: Optional[str] = None
    product_name: Optional[str] = None
    software_version: Optional[str] = None


@dataclass
class NestedNs(Constituent):
    """A nested NS node (a ``tosca.nodes.nfv.NS`` node template that is not the NSD itself)."""
    nsd_id: str = ''
    invariant_id: Optional[str] = None


@dataclass
class NsVirtualLink(VirtualLink):
    """A ``tosca.nodes.nfv.NsVirtualLink``: the VNFD's virtual link fields (layer_protocols from connectivity_type;
    ip_version, cidr, gateway_ip, dhcp_enabled from the first ``l3_protocol_data``; the bit rates of vl_profile) and
    what only an NS VL has. ``bitrate_levels`` holds the bit rates by NS instantiation level
    (VirtualLinkToInstantiationLevelMapping), the bit rates by NS scale level are in the flavour's ``mappings``;
    the VNFD's ``bitrate_initial_delta`` and ``bitrate_deltas`` stay empty."""
    flow_pattern: Optional[str] = None
    qos: Optional[dict] = None
    ip_allocation_pools: List[dict] = field(default_factory=list)  # [{start_ip_address, end_ip_address}]
    mtu: Optional[int] = None  # first l2_protocol_data
    network_type: Optional[str] = None
    segmentation_id: Optional[str] = None


@dataclass
class Sap:
    """A ``tosca.nodes.nfv.Sap``: a service access point and the links it binds."""
    name: str
    layer_protocols: List[str] = field(default_factory=list)
    internal_virtual_link: Optional[str] = None  # the NS VL (or constituent) it is bound to inside the NS
    external_virtual_link: Optional[str] = None  # outside the NS, as written
    protocol: list = field(default_factory=list)
    description: Optional[str] = None
    role: Optional[str] = None
    trunk_mode: Optional[bool] = None


@dataclass
class NsScalingAspect:
    """An aspect of ``NsScalingAspects``: its NS scale levels (1..max_scale_level)."""
    id: str
    name: Optional[str] = None
    description: Optional[str] = None
    levels: Dict[int, Optional[str]] = field(default_factory=dict)  # level -> description

    @property
    def max_scale_level(self):
        return max(self.levels) if self.levels else 0


@dataclass
class NsLevel:
    """An NS instantiation level of ``NsInstantiationLevels``."""
    id: str
    description: Optional[str] = None


@dataclass
class LevelMapping:
    """A Vnf/Ns/VirtualLink-ToLevelMapping (``key`` ASPECT_LEVEL, values by NS scale level of ``aspect``) or a
    *ToInstantiationLevelMapping (``key`` INSTANTIATION_LEVEL, values by NS instantiation level id).

    ``values``: number of instances (VNF, nested NS) or bit rate requirements {root, leaf} (virtual link)."""
    name: str  # the policy
    kind: str  # VNF, NESTED_NS or VIRTUAL_LINK: what the targets are
    key: str
    targets: List[str]
    aspect: Optional[str] = None
    values: dict = field(default_factory=dict)


@dataclass
class OtherPolicy:
    """A policy read but not interpreted (affinity, security group, monitoring, auto-scale, NFP rule ...)."""
    name: str
    type: str
    targets: List[str] = field(default_factory=list)
    properties: dict = field(default_factory=dict)


@dataclass
class NsFlavour:
    """An NS deployment flavour: its constituents, NS VLs, SAPs, levels, aspects, level mappings, other policies."""
    flavour_id: str
    source: str  # the definitions file of its topology_template
    vnfs: Dict[str, NsVnf] = field(default_factory=dict)
    nested: Dict[str, NestedNs] = field(default_factory=dict)
    virtual_links: Dict[str, NsVirtualLink] = field(default_factory=dict)
    saps: Dict[str, Sap] = field(default_factory=dict)
    mappings: List[LevelMapping] = field(default_factory=list)
    levels: Dict[str, NsLevel] = field(default_factory=dict)
    default_level: Optional[str] = None
    aspects: Dict[str, NsScalingAspect] = field(default_factory=dict)
    policies: List[OtherPolicy] = field(default_factory=list)
    other_nodes: Dict[str, str] = field(default_factory=dict)  # NFP/VNFFG and other unmodelled nodes: name -> type

    def constituents(self):
        """{name: NsVnf or NestedNs} of the VNFs and nested NSs."""
        found = dict(self.vnfs)
        found.update(self.nested)
        return found

    def deployment_order(self):
        """Batches of constituent names: each depends only on those of earlier batches (names sorted in a batch).

        A dependency loop raises ValueError naming it (the reader refuses such an NSD first)."""
        pending = {name: set(c.depends_on) for name, c in self.constituents().items()}
        batches = []
        while pending:
            waiting = set(pending)  # once a batch: 1,000 constituents in a chain stay well under a second
            ready = sorted(name for name, needs in pending.items() if not needs & waiting)
            if not ready:
                raise ValueError('dependency loop: %s' % ' -> '.join(_loop(pending)))
            batches.append(ready)
            for name in ready:
                del pending[name]
        return batches

    def instances_at(self, level_id=None):
        """{constituent: number of instances} at NS instantiation level ``level_id`` (default: the default level).

        A constituent no *ToInstantiationLevelMapping gives a count for at that level starts at its min_instances."""
        level_id = level_id if level_id is not None else self.default_level
        counts = {name: c.min_instances for name, c in self.constituents().items()}
        for mapping in self.mappings:
            if mapping.key == INSTANTIATION_LEVEL and mapping.kind in (VNF, NESTED_NS) and level_id in mapping.values:
                for target in mapping.targets:
                    if target in counts:
                        counts[target] = mapping.values[level_id]
        return counts


def _loop(pending):
    """One dependency loop of ``pending`` ({name: names it needs}), its first name repeated at the end."""
    path, name = [], sorted(pending)[0]
    while name not in path:
        path.append(name)
        name = sorted(n for n in pending[name] if n in pending)[0]
    return path[path.index(name):] + [name]


@dataclass
class Nsd:
    descriptor_id: str
    designer: Optional[str]
    version: Optional[str]
    name: Optional[str]
    invariant_id: Optional[str]
    flavours: Dict[str, NsFlavour] = field(default_factory=dict)
    description: Optional[str] = None
    entry_definitions: Optional[str] = None
    ns_profile: Optional[dict] = None  # as written on the NSD's own NS node
    properties: dict = field(default_factory=dict)  # every property of the NS node (type defaults included)


def nsd_to_dict(nsd):
    """The NSD as plain data (JSON-serialisable: integer map keys stay integers, as in the YAML)."""
    data = asdict(nsd)
    for flavour_id, flavour in nsd.flavours.items():
        data['flavours'][flavour_id]['deployment_order'] = flavour.deployment_order()
        for aspect_id, aspect in flavour.aspects.items():
            data['flavours'][flavour_id]['aspects'][aspect_id]['max_scale_level'] = aspect.max_scale_level
    return data
