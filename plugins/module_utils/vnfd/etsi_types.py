# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the descriptor reader knows of the standard TOSCA / ETSI SOL001 types.

Packages often leave out ``etsi_nfv_sol001_common_types.yaml`` and ``etsi_nfv_sol001_vnfd_types.yaml``
(or import them by URL); when they do ship them, the reader does not parse them (they are large and
never change the meaning of a VNFD). Either way this table answers "what is this type derived from".
It covers the node, group and policy types of SOL001 v2.5.1 to v4.4.1 (the versions ``KNOWN_VERSIONS``: a
package written against any of them reads the same); data/capability types are not needed. ``sol001_version``
tells which version a package's type imports name: a forge.etsi.org URL says it (``.../raw/v3.3.1/...``), a
type file the package carries says it in its ``template_version`` or description.
"""
from __future__ import annotations

import posixpath
import re

# type name -> parent (None for a root)
STANDARD_TYPES = {
    'tosca.nodes.Root': None,
    'tosca.groups.Root': None,
    'tosca.policies.Root': None,
    'tosca.policies.Placement': 'tosca.policies.Root',
    'tosca.policies.Scaling': 'tosca.policies.Root',
    'tosca.policies.Update': 'tosca.policies.Root',
    'tosca.policies.Performance': 'tosca.policies.Root',
    # SOL001 common and VNFD node types
    'tosca.nodes.nfv.Cp': 'tosca.nodes.Root',
    'tosca.nodes.nfv.VNF': 'tosca.nodes.Root',
    'tosca.nodes.nfv.VnfExtCp': 'tosca.nodes.nfv.Cp',
    'tosca.nodes.nfv.VduCp': 'tosca.nodes.nfv.Cp',
    'tosca.nodes.nfv.VduSubCp': 'tosca.nodes.nfv.VduCp',
    'tosca.nodes.nfv.VipCp': 'tosca.nodes.nfv.Cp',
    'tosca.nodes.nfv.VirtualCp': 'tosca.nodes.nfv.Cp',
    'tosca.nodes.nfv.Vdu.Compute': 'tosca.nodes.Root',
    'tosca.nodes.nfv.Vdu.VirtualBlockStorage': 'tosca.nodes.Root',
    'tosca.nodes.nfv.Vdu.VirtualObjectStorage': 'tosca.nodes.Root',
    'tosca.nodes.nfv.Vdu.VirtualFileStorage': 'tosca.nodes.Root',
    'tosca.nodes.nfv.Vdu.OsContainer': 'tosca.nodes.Root',
    'tosca.nodes.nfv.Vdu.OsContainerDeployableUnit': 'tosca.nodes.Root',
    'tosca.nodes.nfv.Mciop': 'tosca.nodes.Root',
    'tosca.nodes.nfv.VnfVirtualLink': 'tosca.nodes.Root',
    # groups
    'tosca.groups.nfv.PlacementGroup': 'tosca.groups.Root',
    # policies
    'tosca.policies.nfv.InstantiationLevels': 'tosca.policies.Root',
    'tosca.policies.nfv.VduInstantiationLevels': 'tosca.policies.Root',
    'tosca.policies.nfv.VirtualLinkInstantiationLevels': 'tosca.policies.Root',
    'tosca.policies.nfv.ScalingAspects': 'tosca.policies.Root',
    'tosca.policies.nfv.VduScalingAspectDeltas': 'tosca.policies.Root',
    'tosca.policies.nfv.VirtualLinkBitrateScalingAspectDeltas': 'tosca.policies.Root',
    'tosca.policies.nfv.VduInitialDelta': 'tosca.policies.Root',
    'tosca.policies.nfv.VirtualLinkBitrateInitialDelta': 'tosca.policies.Root',
    'tosca.policies.nfv.AffinityRule': 'tosca.policies.Placement',
    'tosca.policies.nfv.AntiAffinityRule': 'tosca.policies.Placement',
    'tosca.policies.nfv.SecurityGroupRule': 'tosca.policies.Root',
    'tosca.policies.nfv.Abstract.SecurityGroupRule': 'tosca.policies.Root',
    'tosca.policies.nfv.VipCpScalingAspectDeltas': 'tosca.policies.Root',
    'tosca.policies.nfv.VipCpInitialDelta': 'tosca.policies.Root',
    'tosca.policies.nfv.VipCpInstantiationLevels': 'tosca.policies.Root',
    'tosca.policies.nfv.LcmCoordinationAction': 'tosca.policies.Root',
    'tosca.policies.nfv.LcmCoordinationsForLcmOperation': 'tosca.policies.Root',
    'tosca.policies.nfv.SupportedVnfInterface': 'tosca.policies.Root',
    'tosca.policies.nfv.VnfIndicator': 'tosca.policies.Root',
    'tosca.policies.nfv.LcmCoordinationsForVnf': 'tosca.policies.Root',
    'tosca.policies.nfv.VnfPackageChange': 'tosca.policies.Root',
}

# The types the model distinguishes; any other standard type is read but not modelled.
VNF = 'tosca.nodes.nfv.VNF'
VDU_COMPUTE = 'tosca.nodes.nfv.Vdu.Compute'
BLOCK_STORAGE = 'tosca.nodes.nfv.Vdu.VirtualBlockStorage'
OBJECT_STORAGE = 'tosca.nodes.nfv.Vdu.VirtualObjectStorage'
FILE_STORAGE = 'tosca.nodes.nfv.Vdu.VirtualFileStorage'
VDU_CP = 'tosca.nodes.nfv.VduCp'
VNF_EXT_CP = 'tosca.nodes.nfv.VnfExtCp'
VIRTUAL_LINK = 'tosca.nodes.nfv.VnfVirtualLink'
PLACEMENT_GROUP = 'tosca.groups.nfv.PlacementGroup'
P_INSTANTIATION_LEVELS = 'tosca.policies.nfv.InstantiationLevels'
P_VDU_LEVELS = 'tosca.policies.nfv.VduInstantiationLevels'
P_VL_LEVELS = 'tosca.policies.nfv.VirtualLinkInstantiationLevels'
P_SCALING_ASPECTS = 'tosca.policies.nfv.ScalingAspects'
P_VDU_DELTAS = 'tosca.policies.nfv.VduScalingAspectDeltas'
P_VL_DELTAS = 'tosca.policies.nfv.VirtualLinkBitrateScalingAspectDeltas'
P_VDU_INITIAL = 'tosca.policies.nfv.VduInitialDelta'
P_VL_INITIAL = 'tosca.policies.nfv.VirtualLinkBitrateInitialDelta'
P_AFFINITY = 'tosca.policies.nfv.AffinityRule'
P_ANTI_AFFINITY = 'tosca.policies.nfv.AntiAffinityRule'

MODELLED = frozenset((
    VNF, VDU_COMPUTE, BLOCK_STORAGE, OBJECT_STORAGE, FILE_STORAGE, VDU_CP, VNF_EXT_CP, VIRTUAL_LINK,
    PLACEMENT_GROUP, P_INSTANTIATION_LEVELS, P_VDU_LEVELS, P_VL_LEVELS, P_SCALING_ASPECTS, P_VDU_DELTAS,
    P_VL_DELTAS, P_VDU_INITIAL, P_VL_INITIAL, P_AFFINITY, P_ANTI_AFFINITY,
))

SW_IMAGE_ARTIFACT = 'tosca.artifacts.nfv.SwImage'


def is_standard_types_file(ref):
    """True for an import of an ETSI SOL001 standard types file (local name or forge.etsi.org URL)."""
    name = posixpath.basename(ref.replace('\\', '/')).lower()
    return name.startswith('etsi_nfv_sol001_') and name.endswith(('.yaml', '.yml'))


def modelled_base(type_name):
    """The nearest modelled ancestor of a standard type (itself included), or None."""
    while type_name is not None:
        if type_name in MODELLED:
            return type_name
        type_name = STANDARD_TYPES.get(type_name)
    return None


# The SOL001 versions published by ETSI that this table covers, oldest first.
KNOWN_VERSIONS = ('2.5.1', '2.6.1', '2.7.1', '2.8.1', '3.3.1', '3.5.1', '3.6.1', '4.2.1', '4.3.1', '4.4.1')
_VERSION_IN_REF = re.compile(r'/v?(\d+\.\d+\.\d+)/[^/]*$')
_VERSION_IN_TEXT = re.compile(r'(?:template_version:\s*["\']?|definitions version\s+)v?(\d+\.\d+\.\d+)')


def version_in_ref(ref):
    """The SOL001 version an import URL names ('https://forge.etsi.org/.../raw/v2.6.1/etsi_...yaml'), or None."""
    match = _VERSION_IN_REF.search(ref.replace('\\', '/'))
    return match.group(1) if match else None


def version_in_text(head):
    """The SOL001 version the head of an ETSI type file states (its template_version or description), or None."""
    match = _VERSION_IN_TEXT.search(head)
    return match.group(1) if match else None


def version_problem(version):
    """Why ``version`` is read with a warning (not one of KNOWN_VERSIONS), or None."""
    if version is None or version in KNOWN_VERSIONS:
        return None
    key = tuple(int(p) for p in version.split('.'))
    newest = tuple(int(p) for p in KNOWN_VERSIONS[-1].split('.'))
    side = 'newer than' if key > newest else 'not one of'
    return ('SOL001 version %s is %s the versions this reader knows (%s to %s): read with the types of %s'
            % (version, side, KNOWN_VERSIONS[0], KNOWN_VERSIONS[-1], KNOWN_VERSIONS[-1]))
