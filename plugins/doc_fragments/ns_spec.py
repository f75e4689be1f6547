# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Documentation of the compact NS spec option (O(spec)): its whole schema, read by module_utils/vnfd/ns_spec.py."""

from __future__ import annotations


class ModuleDocFragment:
    # telco.nfvo.ns_spec: the argument spec that matches is spec=dict(type='raw'); read it with
    # vnfd.ns_spec.read_ns_spec(params['spec']) -> (Nsd, warnings), the same model read_nsd() gives for an NSD.
    DOCUMENTATION = r'''
options:
  spec:
    description:
      - The network service in a compact form, for people who do not write TOSCA; the alternative to an SOL001 NSD.
        A dict (from a vars file, or inline YAML in the task) or the path of a YAML file holding it.
      - It gives the same descriptor model as the equivalent TOSCA NSD with one deployment flavour; what the NSD has
        and the spec does not say takes the NSD reader's defaults. Each NS virtual link gets the
        C(virtual_link_protocol_data) its l2/l3 keys give; the counts of the VNFs become the level mappings
        C(<vnf>_by_<aspect>) (VnfToLevelMapping) and C(<vnf>_at_levels) (VnfToInstantiationLevelMapping).
      - VNF, virtual link and SAP names are one namespace (as the node names of an NSD) and are names of letters,
        digits, C(_), C(.), C(-) (at most 63 characters, starting with a letter or a digit).
      - >-
        Refused with one line that gives C(spec) (or the file's name), the YAML path and the problem, such as
        C(spec: vnfs.web.depends_on: names no VNF of the spec) - an unknown key (the line gives the allowed
        ones), a value of the wrong type, a link, dependency, level or aspect that names nothing of the spec, a
        dependency loop, a count outside the VNF's min..max, an address or CIDR that is not one.
      - Warned - a VNF without O(spec.vnfs.flavour), a virtual link nothing links to, several instantiation levels
        and no O(spec.default_level).
      - Bounds - at most 1000 entries in any map or list (VNFs, virtual links, SAPs, links, dependencies, levels,
        aspects), counts up to 1000, strings up to 4096 characters, and a file nested at most 32 levels deep.
    type: raw
    suboptions:
      name:
        description: Name of the NSD. Needed when O(spec.descriptor_id) is not given.
        type: str
      descriptor_id:
        description:
          - Id of the NSD. Default - a UUID5 of O(spec.name) (stable - the same name gives the same id).
        type: str
      invariant_id:
        description: Invariant id of the NSD (the same across its versions). Default - the descriptor id.
        type: str
      version:
        description: Version of the NSD.
        type: str
      designer:
        description: Designer of the NSD.
        type: str
      description:
        description: What the NS is.
        type: str
      flavour_id:
        description: Id of the NS deployment flavour the spec describes.
        type: str
        default: default
      virtual_links:
        description:
          - The NS virtual links - a map of name to its definition, whose keys are the suboptions below (all optional;
            C({}) is a VL whose CIDR the M(telco.nfvo.ns) module allocates from its C(cidr_pool)).
        type: dict
        suboptions:
          description:
            description: What the virtual link is for.
            type: str
          cidr:
            description: Its subnet, such as C(10.10.0.0/24) (no host bits set). Not given, one is allocated.
            type: str
          ip_version:
            description:
              - V(4) or V(6) (also V(ipv4), V(ipv6)). Default - the version of O(spec.virtual_links.cidr), else 4 when
                an l3 key is given. The layer protocol of the VL is C(ipv4) or C(ipv6) accordingly.
            type: raw
          gateway_ip:
            description: The gateway address (inside the CIDR when one is given).
            type: str
          dhcp:
            description: Whether DHCP is enabled on the subnet. Not given, the module's default.
            type: bool
          mtu:
            description: The MTU of the network (68..65535).
            type: int
          max_bitrate:
            description: Maximum bit rate - a number (the root bit rate) or a dict with C(root) and C(leaf).
            type: raw
          min_bitrate:
            description: Minimum bit rate - a number (the root bit rate) or a dict with C(root) and C(leaf).
            type: raw
      saps:
        description:
          - The service access points - a map of name to its definition, whose keys are the suboptions below.
        type: dict
        suboptions:
          virtual_link:
            description: The NS virtual link it exposes (its internal virtual link). Its layer protocol is the VL's.
            type: str
          description:
            description: What the SAP is for.
            type: str
      instantiation_levels:
        description:
          - The NS instantiation levels - a map of level id to its description (or V(null)). The VNFs give their
            number of instances at each in O(spec.vnfs.instances_at_levels).
        type: dict
      default_level:
        description:
          - The NS instantiation level used when none is asked for; one of O(spec.instantiation_levels).
            Default - the only level when there is one.
        type: str
      scaling_aspects:
        description:
          - The NS scaling aspects - a map of aspect id to its definition, whose keys are the suboptions below. The
            VNFs give their number of instances at each scale level in O(spec.vnfs.instances_by_aspect).
        type: dict
        suboptions:
          name:
            description: Name of the aspect.
            type: str
          description:
            description: What the aspect scales.
            type: str
          levels:
            description: Its NS scale levels 1..n - a map of level number to its description (or V(null)).
            type: dict
      vnfs:
        description:
          - The VNFs of the NS - a map of name to its definition, whose keys are the suboptions below. The name is
            the one the per-VNF parameters of the module use.
        type: dict
        suboptions:
          vnfd_id:
            description: The VNFD id of the VNF package the VNF is made from.
            type: str
            required: true
          flavour:
            description: The VNF deployment flavour. Not given, it must be given when the NS is instantiated.
            type: str
          level:
            description: The VNF instantiation level of the VNFD. Not given, the VNFD's default level.
            type: str
          min_instances:
            description: Fewest instances of the VNF (the vnf_profile's min_number_of_instances).
            type: int
            default: 1
          max_instances:
            description: Most instances of the VNF. Not given, no bound.
            type: int
          links:
            description:
              - Where its external connection points go - a map of the VNF's virtual link requirement (the requirement
                name of its VNFD's C(substitution_mappings), such as C(virtual_link_external)) to a name of
                O(spec.virtual_links) or O(spec.saps).
            type: dict
          depends_on:
            description:
              - Names of the VNFs of the spec that must be deployed before this one (terminated after it). No loops.
            type: list
            elements: str
          instances_at_levels:
            description:
              - Its number of instances at NS instantiation levels - a map of a level of O(spec.instantiation_levels)
                to a count within O(spec.vnfs.min_instances)..O(spec.vnfs.max_instances). A level not given starts it at
                O(spec.vnfs.min_instances).
            type: dict
          instances_by_aspect:
            description:
              - Its number of instances by NS scale level - a map of an aspect of O(spec.scaling_aspects) to a map of
                scale level (0 to the aspect's highest) to a count within its min..max.
            type: dict
          descriptor_version:
            description: The VNFD version of the VNF package (informative, as on the VNF node of an NSD).
            type: str
          provider:
            description: The VNF provider of the VNF package (informative, as on the VNF node of an NSD).
            type: str
          product_name:
            description: The VNF product name of the VNF package (informative, as on the VNF node of an NSD).
            type: str
          software_version:
            description: The VNF software version of the VNF package (informative, as on the VNF node of an NSD).
            type: str
'''
