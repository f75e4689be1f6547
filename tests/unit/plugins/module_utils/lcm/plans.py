# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the planning tests share: Tacker's sample packages, requests and snapshots, and ``apply`` (what the executor
would leave after a plan)."""
from __future__ import annotations

import copy
import os

from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import CREATE, DELETE, Request, Snapshot, UPDATE, is_ref
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

PKGS = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'data', 'vnf_packages')
FLAVORS = [{'id': 'tiny', 'name': 'm1.tiny', 'vcpus': 1, 'ram': 512, 'disk': 1},
           {'id': 'f-1-512-3', 'name': 'vnf.small', 'vcpus': 1, 'ram': 512, 'disk': 3},
           {'id': 'f-1-512-3-x', 'name': 'a.special', 'vcpus': 1, 'ram': 512, 'disk': 3, 'extra_specs': {'hw:cpu_policy': 'dedicated'}}]
CIRROS = {'id': 'img-cirros', 'name': 'cirros'}


def package(name):
    return read_package(os.path.join(PKGS, name))


def request(pkg, flavour='simple', **kw):
    vnfd = pkg.vnfd
    # helloworld3's VDU2 has no image of its own: it boots from its VirtualStorage volume
    kw.setdefault('images', {'VDU1': 'cirros', 'VirtualStorage': 'cirros'} if 'VirtualStorage' in vnfd.flavour(flavour).storage
                  else {'VDU1': 'cirros', 'VDU2': 'cirros'})
    return Request(vnf_name='web-1', instance_id='iid-1', vnfd_id=vnfd.descriptor_id, vnfd_version=vnfd.descriptor_version,
                   flavour_id=flavour, **kw)


def snapshot(**kw):
    kw.setdefault('flavors', FLAVORS)
    kw.setdefault('user_images', {'cirros': CIRROS})
    kw.setdefault('ext_networks', {'ext': {'id': 'net-ext', 'name': 'ext'}})
    return Snapshot(instance_id='iid-1', vnf_name='web-1', **kw)


def apply(plan, snap):
    """What the executor would leave: each created resource with the action's tags/metadata, ids = keys."""
    snap = copy.deepcopy(snap)
    ids = {}
    lists = {'network': snap.networks, 'subnet': snap.subnets, 'port': snap.ports, 'security_group': snap.security_groups,
             'server': snap.servers, 'volume': snap.volumes, 'server_group': snap.server_groups, 'anchor': snap.anchors}
    for a in plan.actions:
        if a.op == DELETE:
            for items in lists.values():
                items[:] = [r for r in items if r['id'] != a.resource_id]
        elif a.op == UPDATE:
            snap.anchor['tags'] = list(a.tags)
        elif a.op == CREATE and a.kind in lists:
            rid = 'id-%s' % a.key
            ids[a.key] = rid
            spec = resolve(a.spec, ids)
            res = dict(spec, id=rid, name=a.name, tags=list(a.tags), metadata=dict(a.metadata), status='ACTIVE')
            if a.kind == 'port':
                res['network_id'] = spec['network_id']
            lists[a.kind].append(res)
    return snap


def resolve(value, ids):
    if is_ref(value):
        return ids[value['$ref']]
    if isinstance(value, dict):
        return {k: resolve(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, ids) for v in value]
    return value


def instantiated(basic, **kw):
    """The snapshot of v2_basic_min instantiated at its default level (VDU1-0, VDU2-0), as the executor leaves it."""
    req = request(basic, **kw)
    snap = snapshot()
    return apply(plan_converge(basic.vnfd, basic.vnfd.flavour('simple'), req, snap), snap)
