# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NS plan of an ``ns`` task: the NSD flavour and level, each VNF node's package, flavour, level and lcm
``Request`` (VNF instance ``<NS>-<node>``, NS id, the NSD's attachments mapped to VduCps) - one per VNF instance the
level (or an NS scaling) asks for (``resize``: instance k > 1 is ``<NS>-<node>-<k>``) - and the NS virtual links.

No cloud: everything a task could get wrong is refused here, before any write, in one line naming the node and the
reason (a VNF node the NSD lacks, a VNF without a package, a package holding another VNFD, an attachment to an
external CP the VNFD lacks, a nested NS).
"""
from __future__ import annotations

import dataclasses

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import build_request
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import NsPlan, VlPart, VnfPart
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_model import SAP, VIRTUAL_LINK
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package


def choose_flavour(nsd, flavour_id):
    """The NS flavour ``flavour_id`` (may be left out when the NSD has one)."""
    if flavour_id:
        if flavour_id not in nsd.flavours:
            raise LcmError("NSD %s has no NS flavour '%s' (it has: %s)" % (nsd.descriptor_id, flavour_id, ', '.join(sorted(nsd.flavours))))
        return nsd.flavours[flavour_id]
    if len(nsd.flavours) != 1:
        raise LcmError('NSD %s has NS flavours %s: choose one with ns_flavour_id' % (nsd.descriptor_id, ', '.join(sorted(nsd.flavours))))
    return next(iter(nsd.flavours.values()))


def plan_ns(project_id, name, nsd, params, read=read_package):
    """The ``NsPlan`` of NS ``name``. ``params``: ns_flavour_id, ns_instantiation_level_id, vnfs, cidr_pool, limits
    (module options; ``only_vnfs``: plan these VNF nodes only, for ADD_VNF; ``counts``: {VNF node: instances} instead
    of the level's, for NS scaling); ``read(path, limits)``: the package reader (a test may give another)."""
    flavour = choose_flavour(nsd, params.get('ns_flavour_id'))
    if flavour.nested:
        raise LcmError('NSD %s: nested NS %s is not supported yet' % (nsd.descriptor_id, ', '.join(sorted(flavour.nested))))
    level = params.get('ns_instantiation_level_id')
    if level is not None and level not in flavour.levels:
        raise LcmError("NSD %s flavour %s has no NS instantiation level '%s' (it has: %s)"
                       % (nsd.descriptor_id, flavour.flavour_id, level, ', '.join(sorted(flavour.levels)) or 'none'))
    given = params.get('vnfs') or {}
    unknown = sorted(set(given) - set(flavour.vnfs))
    if unknown:
        raise LcmError('vnfs.%s: NSD %s flavour %s has no VNF node of that name (its VNF nodes: %s)'
                       % (unknown[0], nsd.descriptor_id, flavour.flavour_id, ', '.join(sorted(flavour.vnfs))))
    cidr_pool = params.get('cidr_pool') or []
    cidr_pool = [cidr_pool] if isinstance(cidr_pool, str) else list(cidr_pool)
    ns_id = T.ns_instance_id(project_id, name)
    plan = NsPlan(ns_id=ns_id, name=name, nsd_id=nsd.descriptor_id, flavour_id=flavour.flavour_id, level_id=level or flavour.default_level,
                  cidr_pool=cidr_pool, level_asked=level, nsd_flavour=flavour)
    plan.vls = {vl: VlPart(vl, T.ns_vl_name(name, vl), link) for vl, link in flavour.virtual_links.items()}
    counts = params.get('counts')
    if counts is None:
        counts = flavour.instances_at(level) if flavour.levels else {}
    batch_of = {node: i for i, batch in enumerate(flavour.deployment_order()) for node in batch}
    only = params.get('only_vnfs')
    for node in sorted(flavour.vnfs):
        if only is not None and node not in only:
            continue
        count = counts.get(node, 1)
        if count == 0:
            plan.warnings.append('VNF node %s has no instance at NS level %s: not deployed' % (node, plan.level_id))
            continue
        part = _vnf_part(project_id, plan, flavour, flavour.vnfs[node], given.get(node) or {}, (read, params.get('limits')))
        part.batch = batch_of[node]
        plan.vnfs[node] = part
    resize(project_id, plan, {node: counts.get(node, 1) for node in plan.vnfs})
    return plan


def resize(project_id, plan, counts):
    """``plan`` with ``counts`` ({VNF node of the plan: number of instances}, at least 1) VNF instances of each node:
    instance k > 1 is VNF ``<NS>-<node>-<k>`` (``tags.ns_vnf_name``), planned as the first; surplus ones leave the plan."""
    flavour = plan.nsd_flavour
    firsts = {p.node: p for p in plan.vnfs.values() if p.index == 1}
    taken = {T.ns_vnf_member(n, k): n for n, count in counts.items() for k in range(2, count + 1)}
    clash = sorted(set(taken) & set(flavour.vnfs))
    if clash:
        raise LcmError('VNF node %s: its instance %d would be named like VNF node %s of the NSD (%s): rename the node'
                       % (taken[clash[0]], int(clash[0].rsplit('-', 1)[1]), clash[0], T.ns_vnf_name(plan.name, clash[0])))
    for key in [k for k, p in plan.vnfs.items() if p.index > counts.get(p.node, 0)]:
        del plan.vnfs[key]
    for node, count in sorted(counts.items()):
        first = firsts[node]
        for index in range(2, count + 1):
            if T.ns_vnf_member(node, index) in plan.vnfs:
                continue
            req, dummy = _build(project_id, T.ns_vnf_name(plan.name, node, index), first.pkg, first.flavour.flavour_id, first.opts, node)
            part = dataclasses.replace(first, req=req, index=index, cp_links=dict(first.cp_links), depends_on=list(first.depends_on))
            plan.vnfs[part.member] = part
    plan.batches = [[p.member for p in sorted(plan.vnfs.values(), key=lambda p: (p.node, p.index)) if p.node in batch]
                    for batch in flavour.deployment_order()]
    plan.batches = [b for b in plan.batches if b]
    return plan


def _build(project_id, vnf_name, pkg, flavour_id, opts, node):
    try:
        return build_request(project_id, vnf_name, pkg, flavour_id, dict(opts))
    except LcmError as exc:
        raise LcmError('VNF node %s: %s' % (node, exc))


VNF_KEYS = ('package', 'images', 'flavour_id', 'instantiation_level_id', 'ext_virtual_links', 'additional_params')


def _vnf_part(project_id, plan, flavour, node, given, reader):
    return _part(project_id, plan, flavour, node, given, read_node_package('VNF node %s' % node.name, node, given, reader))


def read_node_package(where, node, given, reader=(read_package, None)):
    """The VNF package of VNF node ``node`` of the NSD: ``given`` is the task's ``vnfs.<node>`` (its ``package``),
    ``reader`` (read function, limits); refused in one line (``where`` names the node) when it is missing, unreadable
    or holds another VNFD than the NSD names."""
    if not isinstance(given, dict) or sorted(set(given) - set(VNF_KEYS)):
        raise LcmError('vnfs.%s must be a dict of %s, not %r' % (node.name, ', '.join(VNF_KEYS), given))
    if not given.get('package'):
        raise LcmError('%s of the NSD has no package: give vnfs.%s.package' % (where, node.name))
    read, limits = reader
    try:
        pkg = read(given['package'], limits=limits)
    except PackageError as exc:
        raise LcmError('Cannot read VNF package %s of %s: %s' % (given['package'], where, exc))
    if node.vnfd_id and pkg.vnfd.descriptor_id != node.vnfd_id:
        raise LcmError('%s: package %s holds VNFD %s, the NSD names VNFD %s' % (where, given['package'], pkg.vnfd.descriptor_id, node.vnfd_id))
    return pkg


def check_vnf_flavour(where, pkg, flavour_id):
    """The VNF flavour ``flavour_id`` of ``pkg`` (refused in one line, ``where`` naming the NS and node, when the VNFD
    lacks it or cannot use it)."""
    if flavour_id in pkg.vnfd.unusable_flavours:
        raise LcmError('%s: %s' % (where, pkg.vnfd.unusable_flavours[flavour_id]))
    if flavour_id not in pkg.vnfd.flavours:
        raise LcmError("%s: VNFD %s has no flavour '%s' (it has: %s)" % (where, pkg.vnfd.descriptor_id, flavour_id, ', '.join(sorted(pkg.vnfd.flavours))))
    return pkg.vnfd.flavours[flavour_id]


def reflavour(project_id, plan, dfs):
    """``plan`` with each VNF node of ``dfs`` ({VNF node: (VNF flavour, level or None)}, the NS record's
    ``recorded_dfs``) whose task gives no ``flavour_id`` planned in that flavour (a CHANGE_VNF_DF stays), each of its
    VNF instances; the others as they are."""
    counts = plan.counts()
    for node, (flavour_id, level_id) in sorted(dfs.items()):
        first = plan.vnfs.get(node)
        if first is None or first.given.get('flavour_id') or (first.flavour.flavour_id, first.req.instantiation_level_id) == (flavour_id, level_id):
            continue
        given = dict(first.given, flavour_id=flavour_id, instantiation_level_id=first.given.get('instantiation_level_id') or level_id)
        part = _part(project_id, plan, plan.nsd_flavour, plan.nsd_flavour.vnfs[node], given, first.pkg, df=(flavour_id, level_id))
        part.batch = first.batch
        for key in [k for k, p in plan.vnfs.items() if p.node == node]:
            del plan.vnfs[key]
        plan.vnfs[node] = part
    return resize(project_id, plan, counts)


def _part(project_id, plan, flavour, node, given, pkg, df=None):
    """The ``VnfPart`` of VNF node ``node`` (of NSD flavour ``flavour``) from its package ``pkg``; ``df``: the
    record's (VNF flavour, level) it is planned in (default: the task's flavour_id, else the NSD's)."""
    where = 'VNF node %s' % node.name
    flavour_id = given.get('flavour_id') or node.flavour_id
    if not flavour_id and len(pkg.vnfd.flavours) == 1:
        flavour_id = next(iter(pkg.vnfd.flavours))
    check_vnf_flavour(where, pkg, flavour_id)
    other = bool(node.flavour_id) and flavour_id != node.flavour_id  # the NSD's level is of its own VNF flavour
    if df is None and other:
        df = (flavour_id, given.get('instantiation_level_id'))
    opts = {'instantiation_level_id': given.get('instantiation_level_id') or (None if other else node.instantiation_level),
            'ext_virtual_links': given.get('ext_virtual_links'), 'additional_params': given.get('additional_params'),
            'images': given.get('images'), 'cidr_pool': plan.cidr_pool, 'ns_instance_id': plan.ns_id}
    req, vnf_flavour = _build(project_id, T.ns_vnf_name(plan.name, node.name), pkg, flavour_id, opts, node.name)
    cp_links = {}
    for att in node.attachments:
        ext = vnf_flavour.ext_cps.get(att.requirement)
        if ext is None and vnf_flavour.problem('ext_cps', att.requirement):
            raise LcmError("%s: its requirement '%s' attaches to %s, but that external CP cannot be used: %s"
                           % (where, att.requirement, att.target, vnf_flavour.problem('ext_cps', att.requirement)))
        if ext is None:
            raise LcmError("%s: its requirement '%s' attaches to %s, but VNFD %s flavour %s has no external CP of that name (it has: %s)"
                           % (where, att.requirement, att.target, pkg.vnfd.descriptor_id, vnf_flavour.flavour_id,
                              ', '.join(sorted(vnf_flavour.ext_cps)) or 'none'))
        vl = att.target if att.kind == VIRTUAL_LINK else None
        if att.kind == SAP:
            sap = flavour.saps.get(att.target)
            vl = sap.internal_virtual_link if sap is not None and sap.internal_virtual_link in flavour.virtual_links else None
            if vl is None and ext.cp not in req.ext_links:
                raise LcmError('%s: CP %s attaches to SAP %s, which binds no NS virtual link: connect it with vnfs.%s.ext_virtual_links'
                               % (where, ext.cp, att.target, node.name))
        if vl is None:
            continue
        if ext.cp in req.ext_links:
            raise LcmError('%s: CP %s is attached to NS virtual link %s by the NSD: leave it out of vnfs.%s.ext_virtual_links'
                           % (where, ext.cp, vl, node.name))
        cp_links[ext.cp] = vl
    return VnfPart(node=node.name, pkg=pkg, flavour=vnf_flavour, req=req, cp_links=cp_links, depends_on=list(node.depends_on), opts=opts,
                   given=dict(given), df=df)
