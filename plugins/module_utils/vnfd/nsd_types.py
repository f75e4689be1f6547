# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the NSD reader knows of the standard ETSI SOL001 NSD (and PNFD) types, SOL001 v2.5.1 to v4.4.1.

As for VNFDs (``etsi_types.py``), the standard type files an NSD imports are not parsed: this table answers "what
is this type derived from" over the VNFD table, and ``NsdTypes`` resolves the types of an NSD with it.
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import etsi_types as T
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import Types

NS = 'tosca.nodes.nfv.NS'
NS_VIRTUAL_LINK = 'tosca.nodes.nfv.NsVirtualLink'
SAP = 'tosca.nodes.nfv.Sap'
P_NS_ASPECTS = 'tosca.policies.nfv.NsScalingAspects'
P_NS_LEVELS = 'tosca.policies.nfv.NsInstantiationLevels'
P_VNF_TO_LEVEL = 'tosca.policies.nfv.VnfToLevelMapping'
P_NS_TO_LEVEL = 'tosca.policies.nfv.NsToLevelMapping'
P_VL_TO_LEVEL = 'tosca.policies.nfv.VirtualLinkToLevelMapping'
P_VNF_TO_INST = 'tosca.policies.nfv.VnfToInstantiationLevelMapping'
P_NS_TO_INST = 'tosca.policies.nfv.NsToInstantiationLevelMapping'
P_VL_TO_INST = 'tosca.policies.nfv.VirtualLinkToInstantiationLevelMapping'

_ROOT_NODE, _ROOT_POLICY = 'tosca.nodes.Root', 'tosca.policies.Root'
NSD_TYPES = dict(T.STANDARD_TYPES)
NSD_TYPES.update({
    NS: _ROOT_NODE, NS_VIRTUAL_LINK: _ROOT_NODE, SAP: 'tosca.nodes.nfv.Cp',
    'tosca.nodes.nfv.PNF': _ROOT_NODE, 'tosca.nodes.nfv.PnfExtCp': 'tosca.nodes.nfv.Cp',
    'tosca.nodes.nfv.NfpPositionElement': _ROOT_NODE, 'tosca.nodes.nfv.NfpPosition': _ROOT_NODE,
    'tosca.nodes.nfv.NFP': _ROOT_NODE, 'tosca.nodes.nfv.Forwarding': _ROOT_NODE,
    'tosca.groups.nfv.NsPlacementGroup': 'tosca.groups.Root', 'tosca.groups.nfv.VNFFG': 'tosca.groups.Root',
    'tosca.policies.nfv.NsAffinityRule': 'tosca.policies.Placement',
    'tosca.policies.nfv.NsAntiAffinityRule': 'tosca.policies.Placement',
    'tosca.policies.nfv.NsSecurityGroupRule': 'tosca.policies.nfv.Abstract.SecurityGroupRule',
    'tosca.policies.nfv.PnfSecurityGroupRule': 'tosca.policies.nfv.Abstract.SecurityGroupRule',
})
NSD_TYPES.update((name, _ROOT_POLICY) for name in (
    P_NS_ASPECTS, P_NS_LEVELS, P_VNF_TO_LEVEL, P_NS_TO_LEVEL, P_VL_TO_LEVEL, P_VNF_TO_INST, P_NS_TO_INST, P_VL_TO_INST,
    'tosca.policies.nfv.NsAutoScale', 'tosca.policies.nfv.NsMonitoring', 'tosca.policies.nfv.VnfMonitoring',
    'tosca.policies.nfv.NfpRule', 'tosca.policies.nfv.DataFlowInfo', 'tosca.policies.nfv.Abstract.SecurityGroupRule',
))

NSD_MODELLED = frozenset((
    T.VNF, NS, NS_VIRTUAL_LINK, SAP, P_NS_ASPECTS, P_NS_LEVELS, P_VNF_TO_LEVEL, P_NS_TO_LEVEL, P_VL_TO_LEVEL,
    P_VNF_TO_INST, P_NS_TO_INST, P_VL_TO_INST,
))


def nsd_modelled_base(type_name):
    """The nearest type of an NSD the reader models (itself included), or None."""
    while type_name is not None and type_name not in NSD_MODELLED:
        type_name = NSD_TYPES.get(type_name)
    return type_name


class NsdTypes(Types):
    """The types of an NSD: its own (and imported) definitions over the standard VNFD and NSD types."""
    standard = NSD_TYPES
    modelled = staticmethod(nsd_modelled_base)
