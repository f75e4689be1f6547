# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The VNF descriptor model (ETSI SOL001) and the instance counts the planner derives from it.

Pure data: no YAML, no Ansible, no cloud. ``vnfd_reader.read_package()`` builds it from a package.
Sizes are whole units rounded up from bytes: ``*_mb`` = ceil(bytes / 2**20), ``*_gb`` = ceil(bytes / 2**30).

Instance counts of a deployment flavour follow SOL001:

- a VDU starts at its initial delta (``VduInitialDelta``; ``vdu_profile.min_number_of_instances`` when absent);
- scaling aspect A at level n adds, for each step 1..n, the VDU's delta named by ``A.step_deltas[step - 1]``
  (``VduScalingAspectDeltas``); a ``step_deltas`` list shorter than ``max_scale_level`` repeats its last entry,
  the usual way to write uniform deltas;
- an instantiation level gives the count of a VDU explicitly (``VduInstantiationLevels``); a VDU it does not
  list gets the count of the level's ``scale_info`` aspect levels;
- every count must lie within the VDU's ``vdu_profile`` min..max.

Read leniently (what Tacker accepts): a part of a flavour that breaks a SOL001 rule no other part needs - a level,
an aspect, an external CP - is kept out of use in ``Flavour.unusable`` ({'levels'|'aspects'|'ext_cps': {id:
problem}}) and only the operation that would use it is refused, with the reader's ``file: yaml.path: problem``
line; a flavour that cannot be read at all is in ``Vnfd.unusable_flavours`` instead of ``flavours``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional


@dataclass
class SwImage:
    """``sw_image_data`` of a VDU or storage, with the image artifact it names."""
    name: Optional[str]
    version: Optional[str]
    checksum: Optional[dict]  # {'algorithm': 'sha-512', 'hash': '...'}
    container_format: Optional[str]
    disk_format: Optional[str]
    min_disk_gb: Optional[int]
    min_ram_mb: Optional[int]
    size_gb: Optional[int]
    file: Optional[str] = None  # path inside the package (or a URL) of the sw_image artifact
    carried: bool = False  # True when ``file`` is present in the package
    operating_system: Optional[str] = None
    supported_virtualisation_environments: List[str] = field(default_factory=list)


@dataclass
class VirtualCompute:
    """The ``virtual_compute`` capability of a VDU."""
    vcpus: Optional[int]
    memory_mb: Optional[int]
    disk_gb: int = 0  # first virtual_local_storage entry (the root disk), 0 when none
    local_storage_gb: List[int] = field(default_factory=list)
    requested_additional_capabilities: dict = field(default_factory=dict)
    virtual_cpu: dict = field(default_factory=dict)  # cpu_architecture, clock, pinning ... as written


@dataclass
class VirtualStorage:
    """A ``Vdu.VirtualBlockStorage`` (kind 'block'), ``VirtualObjectStorage`` ('object') or ``VirtualFileStorage`` ('file')."""
    name: str
    kind: str
    size_gb: Optional[int]
    rdma_enabled: bool = False
    sw_image: Optional[SwImage] = None


@dataclass
class VduCp:
    """A ``VduCp``: a port of a VDU, on an internal virtual link or (virtual_link None) left to the caller."""
    name: str
    vdu: Optional[str]
    virtual_link: Optional[str]
    order: Optional[int] = None
    layer_protocols: List[str] = field(default_factory=list)
    vnic_type: Optional[str] = None
    bitrate_requirement: Optional[int] = None
    protocol: list = field(default_factory=list)


@dataclass
class Vdu:
    """A ``Vdu.Compute`` node."""
    name: str
    description: Optional[str]
    min_instances: int
    max_instances: int
    compute: VirtualCompute
    sw_image: Optional[SwImage] = None
    storage: List[str] = field(default_factory=list)
    cps: List[str] = field(default_factory=list)  # by order, then name
    display_name: Optional[str] = None  # properties.name
    boot_order: object = None
    boot_data: object = None
    monitoring_parameters: object = None
    configurable_properties: object = None
    nfvi_constraints: object = None


@dataclass
class VirtualLink:
    """A ``VnfVirtualLink``; ip_version..dhcp_enabled come from its first ``l3_protocol_data``."""
    name: str
    description: Optional[str] = None
    layer_protocols: List[str] = field(default_factory=list)
    ip_version: Optional[str] = None
    cidr: Optional[str] = None
    gateway_ip: Optional[str] = None
    dhcp_enabled: Optional[bool] = None
    protocol_data: list = field(default_factory=list)
    max_bitrate: Optional[dict] = None
    min_bitrate: Optional[dict] = None
    bitrate_initial_delta: Optional[dict] = None
    bitrate_levels: Dict[str, dict] = field(default_factory=dict)  # level id -> bitrate_requirements
    bitrate_deltas: Dict[str, dict] = field(default_factory=dict)  # aspect -> {delta id: bitrate_requirements}


@dataclass
class ExtCp:
    """An external connection point: a ``substitution_mappings.requirements`` entry and the node it maps to."""
    name: str  # the requirement name of the VNF node type
    cp: str  # the VduCp or VnfExtCp node
    kind: str  # 'VduCp' or 'VnfExtCp'
    vdu: Optional[str] = None
    virtual_link: Optional[str] = None  # internal VL (VnfExtCp internal_virtual_link or VduCp virtual_link)
    layer_protocols: List[str] = field(default_factory=list)


@dataclass
class ScalingAspect:
    """An aspect of ``ScalingAspects`` with the VDU deltas of its ``VduScalingAspectDeltas``."""
    id: str
    name: Optional[str]
    description: Optional[str]
    max_scale_level: int
    step_deltas: List[str] = field(default_factory=list)
    vdu_deltas: Dict[str, Dict[str, int]] = field(default_factory=dict)  # VDU -> {delta id: instances}

    def delta_ids(self):
        """The delta id of every step 1..max_scale_level (a short ``step_deltas`` repeats its last entry)."""
        if not self.step_deltas:
            return []
        return [self.step_deltas[min(i, len(self.step_deltas) - 1)] for i in range(self.max_scale_level)]

    def steps_of(self, level):
        """{delta id: how many of the steps 1..level use it}, in work linear in ``step_deltas`` whatever the level."""
        level = min(level, self.max_scale_level)
        if not self.step_deltas or level <= 0:
            return {}
        times = Counter(self.step_deltas[:level])
        if level > len(self.step_deltas):
            times[self.step_deltas[-1]] += level - len(self.step_deltas)
        return times

    def added_instances(self, vdu, level, steps=None):
        """Instances of ``vdu`` this aspect adds at scale level ``level`` (over level 0); ``steps``: ``steps_of(level)``."""
        deltas = self.vdu_deltas.get(vdu)
        if not deltas:
            return 0
        steps = self.steps_of(level) if steps is None else steps
        return sum(deltas[d] * n for d, n in steps.items())


@dataclass
class InstantiationLevel:
    """A level of ``InstantiationLevels``; ``vdu_instances`` holds only the explicit ``VduInstantiationLevels`` counts."""
    id: str
    description: Optional[str] = None
    scale_levels: Dict[str, int] = field(default_factory=dict)
    vdu_instances: Dict[str, int] = field(default_factory=dict)


@dataclass
class AffinityRule:
    """An ``AffinityRule``/``AntiAffinityRule``; ``members`` are node names (placement groups expanded)."""
    name: str
    kind: str  # 'affinity' or 'anti-affinity'
    scope: Optional[str]
    members: List[str] = field(default_factory=list)
    targets: List[str] = field(default_factory=list)  # as written (nodes or groups)


@dataclass
class Artifact:
    """An artifact of the VNF node (e.g. an LCM script)."""
    name: str
    type: Optional[str]
    file: Optional[str]  # path inside the package (or URL; as written when external)
    carried: bool = False
    external: bool = False  # an absolute path or one leaving the package (a file of the VNFM host): never opened


@dataclass
class Flavour:
    """A deployment flavour: one topology_template with its policies, and the counts derived from them."""
    flavour_id: str
    description: Optional[str] = None
    source: Optional[str] = None  # the package file holding this topology
    vdus: Dict[str, Vdu] = field(default_factory=dict)
    storage: Dict[str, VirtualStorage] = field(default_factory=dict)
    cps: Dict[str, VduCp] = field(default_factory=dict)
    virtual_links: Dict[str, VirtualLink] = field(default_factory=dict)
    ext_cps: Dict[str, ExtCp] = field(default_factory=dict)
    aspects: Dict[str, ScalingAspect] = field(default_factory=dict)
    levels: Dict[str, InstantiationLevel] = field(default_factory=dict)
    declared_default_level: Optional[str] = None
    initial_deltas: Dict[str, int] = field(default_factory=dict)  # VduInitialDelta, by VDU
    affinity_rules: List[AffinityRule] = field(default_factory=list)
    lcm_operations: Dict[str, Optional[str]] = field(default_factory=dict)  # Vnflcm operation -> implementation
    artifacts: Dict[str, Artifact] = field(default_factory=dict)
    vnf_properties: dict = field(default_factory=dict)  # the flavour's VNF node properties as written
    other_policies: List[dict] = field(default_factory=list)  # {name, type, targets, properties}
    unusable: Dict[str, Dict[str, str]] = field(default_factory=lambda: {'levels': {}, 'aspects': {}, 'ext_cps': {}})

    def mark(self, kind, part, problem):
        """Keep ``part`` (a level, aspect or ext CP id; ``kind``: 'levels', 'aspects', 'ext_cps') out of use."""
        self.unusable[kind].setdefault(part, problem)

    def problem(self, kind, part):
        """The reader's line of why ``part`` is unusable, or None."""
        return self.unusable[kind].get(part)

    @property
    def default_level(self):
        """The declared default level, else the only level, else None (instantiate at scale level 0)."""
        if self.declared_default_level:
            return self.declared_default_level
        return next(iter(self.levels)) if len(self.levels) == 1 else None

    def initial_instances(self, vdu):
        """Instances of ``vdu`` at scale level 0 of every aspect."""
        return self.initial_deltas.get(vdu, self.vdus[vdu].min_instances)

    def _counts(self, aspect_levels):
        """{VDU: instances} at ``aspect_levels``: linear work, each aspect adds to the VDUs it has deltas for."""
        counts = {name: self.initial_instances(name) for name in self.vdus}
        for aspect in self.aspects.values():
            level = aspect_levels.get(aspect.id, 0)
            if not level or aspect.id in self.unusable['aspects']:
                continue
            steps = aspect.steps_of(level)
            for vdu in aspect.vdu_deltas:
                if vdu in counts:
                    counts[vdu] += aspect.added_instances(vdu, level, steps)
        return counts

    def check_instances(self, counts):
        """An error string when a VDU count lies outside its vdu_profile, else None."""
        for name, count in counts.items():
            vdu = self.vdus.get(name)
            if vdu is None:
                return "VDU '%s' is not in flavour '%s'" % (name, self.flavour_id)
            if not vdu.min_instances <= count <= vdu.max_instances:
                return '%s would have %d instances, vdu_profile allows %d..%d' % (name, count, vdu.min_instances, vdu.max_instances)
        return None

    def check_scale_levels(self, aspect_levels):
        """An error string when ``aspect_levels`` ({aspect id: level}) names an unknown aspect, is out of range
        or would break a vdu_profile, else None."""
        for aspect_id, level in aspect_levels.items():
            aspect = self.aspects.get(aspect_id)
            if aspect is None:
                return "aspect '%s' is not defined in flavour '%s' (aspects: %s)" % (aspect_id, self.flavour_id, ', '.join(self.aspects) or 'none')
            if isinstance(level, bool) or not isinstance(level, int):
                return "aspect '%s' level must be an integer, not %r" % (aspect_id, level)
            if not 0 <= level <= aspect.max_scale_level:
                return "aspect '%s' level %d is out of range 0..%d" % (aspect_id, level, aspect.max_scale_level)
            if level and self.problem('aspects', aspect_id):
                return "aspect '%s' cannot be used: %s" % (aspect_id, self.problem('aspects', aspect_id))
        return self.check_instances(self._counts(aspect_levels))

    def vdu_instances_for_scale(self, aspect_levels):
        """{VDU: instances} at the given aspect scale levels (missing aspects are at level 0); ValueError when invalid."""
        error = self.check_scale_levels(aspect_levels)
        if error:
            raise ValueError(error)
        return self._counts(aspect_levels)

    def check_level(self, level_id):
        """An error string when ``level_id`` is not a level of this flavour or breaks a vdu_profile, else None.
        None means the default level."""
        level_id = level_id or self.default_level
        if level_id is not None and level_id not in self.levels:
            return "instantiation level '%s' is not defined in flavour '%s' (levels: %s)" % (
                level_id, self.flavour_id, ', '.join(self.levels) or 'none')
        if level_id is not None and self.problem('levels', level_id):
            return "instantiation level '%s' cannot be used: %s" % (level_id, self.problem('levels', level_id))
        for aspect_id, level in self.scale_levels_for_level(level_id).items():
            if level and self.problem('aspects', aspect_id):
                return "instantiation level '%s' scales aspect '%s', which cannot be used: %s" % (
                    level_id, aspect_id, self.problem('aspects', aspect_id))
        return self.check_level_counts(level_id)

    def check_level_counts(self, level_id):
        """An error string when a VDU count at level ``level_id`` (a defined level or None) breaks a vdu_profile."""
        return self.check_instances(self._level_counts(level_id))

    def scale_levels_for_level(self, level_id=None):
        """{aspect: scale level} of every aspect at an instantiation level (None: the default level)."""
        level_id = level_id or self.default_level
        given = self.levels[level_id].scale_levels if level_id else {}
        return {aspect: given.get(aspect, 0) for aspect in self.aspects}

    def _level_counts(self, level_id):
        counts = self._counts(self.scale_levels_for_level(level_id))
        if level_id:
            counts.update(self.levels[level_id].vdu_instances)
        return counts

    def vdu_instances_for_level(self, level_id=None):
        """{VDU: instances} at an instantiation level (None: the default level); ValueError when invalid."""
        error = self.check_level(level_id)
        if error:
            raise ValueError(error)
        return self._level_counts(level_id or self.default_level)


@dataclass
class Vnfd:
    """The VNF: its identity and its deployment flavours."""
    descriptor_id: str
    descriptor_version: str
    provider: Optional[str]
    product_name: Optional[str]
    software_version: Optional[str]
    vnfm_info: List[str] = field(default_factory=list)
    description: Optional[str] = None
    flavours: Dict[str, Flavour] = field(default_factory=dict)
    properties: dict = field(default_factory=dict)  # VNF node properties (type defaults applied)
    unusable_flavours: Dict[str, str] = field(default_factory=dict)  # flavour id -> why it cannot be read

    def flavour(self, flavour_id):
        """The flavour ``flavour_id``; ValueError naming the flavours there are (or why it cannot be used)."""
        if flavour_id in self.unusable_flavours:
            raise ValueError("flavour '%s' of VNFD %s cannot be used: %s" % (flavour_id, self.descriptor_id, self.unusable_flavours[flavour_id]))
        try:
            return self.flavours[flavour_id]
        except KeyError:
            raise ValueError("flavour '%s' is not defined in VNFD %s (flavours: %s)" % (
                flavour_id, self.descriptor_id, ', '.join(self.flavours))) from None


@dataclass
class ManifestEntry:
    """One ``Source``/``Algorithm``/``Hash`` (/``Signature``/``Certificate``) block of a SOL004 manifest, checked."""
    file: str
    algorithm: Optional[str]
    ok: Optional[bool]  # None: not checked (remote source, no hash, an image with verify_image_hashes false)
    error: Optional[str] = None
    note: Optional[str] = None  # why an entry was not checked
    line: Optional[int] = None  # of its Source in the manifest
    signature: Optional[str] = None  # the entry's SOL004 Signature (a file of the package), when the manifest gives one
    certificate: Optional[str] = None  # its Certificate, when given


ENTRY_FIELDS = ('file', 'algorithm', 'ok', 'error', 'note')  # of a ManifestEntry in vnf_package_info's manifest.checked


@dataclass
class Manifest:
    present: bool = False
    file: Optional[str] = None
    metadata: Dict[str, str] = field(default_factory=dict)
    checked: List[ManifestEntry] = field(default_factory=list)

    @property
    def ok(self):
        return all(e.ok is not False for e in self.checked)

    def problems(self):
        """'<manifest>: <file>: <error>' of every entry that does not check out."""
        return ['%s: %s: %s' % (self.file, e.file, e.error) for e in self.checked if e.ok is False]


@dataclass
class Package:
    """A read VNF package: where it came from, its TOSCA.meta, manifest, files and VNFD."""
    src: str
    entry_definitions: str
    vnfd: Vnfd
    meta: Dict[str, str] = field(default_factory=dict)  # TOSCA.meta (first block) or the entry YAML's metadata
    manifest: Manifest = field(default_factory=Manifest)
    files: List[str] = field(default_factory=list)  # every file in the package, package-relative
    warnings: List[str] = field(default_factory=list)  # what was read leniently, 'file: yaml.path: problem' each
    format: str = 'sol001'  # the descriptor language ('sol006' for OSM descriptors, when read)
    sol001_version: Optional[str] = None  # of the ETSI type files it imports, None when it does not say
    sol006_revision: Optional[str] = None  # of the SOL006 YANG modules (a 'sol006' package), e.g. '2022-03-08'
    signature: Optional[dict] = None  # signature.py: present, option, signer, verified, reason

    def images(self):
        """Distinct software images of all flavours, each with ``used_by`` ('flavour/node')."""
        found = {}
        for flavour in self.vnfd.flavours.values():
            nodes = [(n, v.sw_image) for n, v in flavour.vdus.items()] + [(n, s.sw_image) for n, s in flavour.storage.items()]
            for node, image in nodes:
                if image is None:
                    continue
                key = (image.name, (image.checksum or {}).get('hash'), image.file)
                entry = found.setdefault(key, dict(asdict(image), used_by=[]))
                entry['used_by'].append('%s/%s' % (flavour.flavour_id, node))
        return list(found.values())


def _vdu_to_dict(flavour, vdu):
    return {
        'name': vdu.name,
        'description': vdu.description,
        'min_instances': vdu.min_instances,
        'max_instances': vdu.max_instances,
        'initial_instances': flavour.initial_instances(vdu.name),
        'vcpus': vdu.compute.vcpus,
        'memory_mb': vdu.compute.memory_mb,
        'disk_gb': vdu.compute.disk_gb,
        'local_storage_gb': list(vdu.compute.local_storage_gb),
        'requested_additional_capabilities': vdu.compute.requested_additional_capabilities,
        'sw_image': asdict(vdu.sw_image) if vdu.sw_image else None,
        'storage': list(vdu.storage),
        'cps': [asdict(flavour.cps[cp]) for cp in vdu.cps],
        'boot_order': vdu.boot_order,
        'monitoring_parameters': vdu.monitoring_parameters,
        'configurable_properties': vdu.configurable_properties,
    }


def _level_to_dict(flavour, lvl, default):
    problem = flavour.check_level(lvl.id)
    return {'id': lvl.id, 'description': lvl.description, 'default': lvl.id == default, 'usable': problem is None,
            'problem': problem, 'vdu_instances': None if problem else flavour.vdu_instances_for_level(lvl.id),
            'scale_levels': flavour.scale_levels_for_level(lvl.id)}


def flavour_to_dict(flavour):
    """One flavour as plain data (see ``package_to_dict``)."""
    default = flavour.default_level
    return {
        'flavour_id': flavour.flavour_id,
        'description': flavour.description,
        'vdus': [_vdu_to_dict(flavour, vdu) for vdu in flavour.vdus.values()],
        'storage': [asdict(s) for s in flavour.storage.values()],
        'virtual_links': [asdict(vl) for vl in flavour.virtual_links.values()],
        'ext_cps': [asdict(cp) for cp in flavour.ext_cps.values()],
        'aspects': [{'id': a.id, 'name': a.name, 'description': a.description, 'max_scale_level': a.max_scale_level,
                     'step_deltas': a.delta_ids(), 'deltas': {vdu: dict(d) for vdu, d in a.vdu_deltas.items()},
                     'usable': not flavour.problem('aspects', a.id), 'problem': flavour.problem('aspects', a.id)}
                    for a in flavour.aspects.values()],
        'instantiation_levels': [_level_to_dict(flavour, lvl, default) for lvl in flavour.levels.values()],
        'unusable': {kind: dict(parts) for kind, parts in flavour.unusable.items()},
        'default_level': default,
        'affinity_rules': [asdict(r) for r in flavour.affinity_rules],
        'lcm_operations': dict(flavour.lcm_operations),
        'artifacts': [asdict(a) for a in flavour.artifacts.values()],
    }


def package_to_dict(pkg):
    """The ``package`` return value of ``telco.nfvo.vnf_package_info``: plain, JSON-ready data.

    Aspects' ``deltas`` are ``{VDU: {delta id: instances}}`` and their ``step_deltas`` list the delta id of
    every step 1..max_scale_level. A level's ``vdu_instances`` has every VDU of the flavour and its
    ``scale_levels`` every aspect (0 when the level does not name it).
    """
    vnfd = pkg.vnfd
    return {
        'vnfd_id': vnfd.descriptor_id,
        'vnfd_version': vnfd.descriptor_version,
        'provider': vnfd.provider,
        'product_name': vnfd.product_name,
        'software_version': vnfd.software_version,
        'vnfm_info': list(vnfd.vnfm_info),
        'description': vnfd.description,
        'flavours': [flavour_to_dict(f) for f in vnfd.flavours.values()],
        'images': pkg.images(),
        'unusable_flavours': dict(vnfd.unusable_flavours),
        'manifest': {'present': pkg.manifest.present, 'file': pkg.manifest.file, 'ok': pkg.manifest.ok,
                     'problems': pkg.manifest.problems(), 'checked': [{k: getattr(e, k) for k in ENTRY_FIELDS} for e in pkg.manifest.checked]},
        'entry_definitions': pkg.entry_definitions,
        'meta': dict(pkg.meta),
        'format': pkg.format,
        'sol001_version': pkg.sol001_version,
        'sol006_revision': pkg.sol006_revision,
        'signature': pkg.signature,
        'warnings': list(pkg.warnings),
    }
