# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The limits option of every module that reads a VNF package; its argument spec is limits_option() in
    # module_utils/vnfd/runners.py, the budgets themselves module_utils/vnfd/budgets.py (docs/packages.md).

    DOCUMENTATION = r'''
options:
  limits:
    description:
      - >-
        Budgets of reading the VNF package, to raise (or lower) for an unusual package. A package over a budget is
        refused before anything is done, in one line naming the file, the YAML path and the budget, for example
        C(Definitions/df.yaml: topology_template.node_templates.VDU1.properties: more than 100 levels of nesting (limit depth=100)).
      - A budget not given keeps its default.
    type: dict
    suboptions:
      nodes:
        description: >-
          YAML nodes in one descriptor file, counted after alias expansion (an alias counts what it repeats).
          Default V(500000).
        type: int
      depth:
        description: Levels of nesting of YAML collections in one descriptor file, after alias expansion. Default V(100).
        type: int
      member_bytes:
        description: >-
          Bytes of one descriptor, manifest or TOSCA.meta file, decompressed (read in chunks, stopped at the limit,
          whatever a zip header says). Default V(67108864) (64 MiB).
        type: int
      total_bytes:
        description:
          - Bytes decompressed from a zip (CSAR) package in all while reading it, the members hashed for the manifest
            check included (each member is hashed once, however often the manifest lists it).
          - Default V(1073741824) (1 GiB), or 20 times the CSAR's size on disk when that is more - a CSAR of large
            software images (which hardly compress) is read, a small CSAR that inflates a thousandfold is refused.
            Set it for a CSAR that inflates more. A directory package is not counted.
        type: int
      scale_levels:
        description: C(max_scale_level) of a scaling aspect, and every scale level. Default V(10000).
        type: int
      instances:
        description: Instances of one VDU that a C(vdu_profile), a delta or an instantiation level may ask for. Default V(10000).
        type: int
'''
