# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The options of the NS operations that run VNF operations (ns_scale, ns_heal); their argument spec is in the
    # modules (vnfs) and lcm/runners.on_failure_option(); module_utils/ns/operations.py runs them.

    DOCUMENTATION = r'''
options:
  vnfs:
    description:
      - Per VNF node (keyed by its node name in the NSD), the options of the VNF operation that need them - C(package)
        (path of the VNF package holding the VNFD the VNF was made from; needed to create servers), C(images),
        C(ext_virtual_links), C(additional_params), as for M(telco.nfvo.ns).
    type: dict
    default: {}
  on_failure:
    description: What a VNF operation that fails does with what it created (V(rollback) or V(keep)), as for M(telco.nfvo.vnf_scale).
    type: str
    choices: [rollback, keep]
    default: rollback
'''
