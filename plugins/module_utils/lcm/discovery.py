# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find what exists for VNF instances, in bulk, and return a pure ``model.Snapshot``.

One list call per resource type, filtered by our ownership tags (``tags.py``), run concurrently:
networks, subnets, ports and security groups (Neutron ``tags``/``tags-any``), servers (Nova ``tags``/``tags-any``,
microversion 2.73), volumes (Cinder ``metadata`` filter, checked again here), server groups (one list, by name
prefix ``nfvo-<instance id>-``). The anchor (the instance record) is the security group tagged ``nfvo:role=anchor``.
The HTTP calls go through ``openstack/client.py`` (``CloudApi``).

``snapshot_after`` is the Snapshot after an operation without listing everything again: the one before, less what
the executor deleted, plus what it created as the cloud answered (servers as the poll that saw them ACTIVE listed
them), the record as the lock's release answered; only the kinds whose state the answers cannot tell (volumes
attached by a server boot, server group members, servers not waited for) are listed again, one call each.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import is_uuid, run_concurrently
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import CREATE as M_CREATE, DELETE as M_DELETE, Snapshot

_CHUNK = 40  # instance ids per tags-any query
GONE_SERVER_STATES = ('DELETED', 'SOFT_DELETED')
SIMPLE_NAME = re.compile(r'^[A-Za-z0-9_.-]+$')  # names a server poll may filter by (nothing a regex reads otherwise)
ENV_WORKERS = 8  # concurrent list calls of discover_environment


# ---------------------------------------------------------------------------------------------------------------
# one list call per resource type

def name_filter(names):
    """Nova's ``name`` filter (a regular expression) that lists the servers of ``names``: one name exactly, several
    by their common prefix (a superset: Nova on MySQL escapes ``|``, so no alternation), e.g. ``^web-VDU1-`` for
    web-VDU1-3 and web-VDU1-4. In SIMPLE_NAME characters only ``.`` means more than itself: a superset too."""
    names = sorted(names)
    return '^%s$' % names[0] if len(names) == 1 else '^%s' % os.path.commonprefix(names)


def list_servers(api, instance_ids, names=None):
    """The live servers of the instances; ``names``: at least those of these names, by Nova's ``name`` filter (see
    ``name_filter``; names of SIMPLE_NAME characters only), the caller picking its own by id."""
    out = []
    for chunk in _chunks(instance_ids):
        params = {'tags-any': ','.join(T.tag('vnf', i) for i in chunk)} if len(chunk) > 1 else {'tags': T.tag('vnf', chunk[0])}
        if names:
            params['name'] = name_filter(names)
        out += api.list('compute', '/servers/detail', 'servers', params=params)
    return [s for s in out if s.get('status') not in GONE_SERVER_STATES]  # Nova may list deleted ones


def list_volumes(api, instance_ids):
    wanted = set(instance_ids)
    key = T.META_KEYS['vnf']
    params = {'metadata': json.dumps({key: instance_ids[0]})} if len(instance_ids) == 1 else None
    return [v for v in api.list('volume', '/volumes/detail', 'volumes', params=params)
            if (v.get('metadata') or {}).get(key) in wanted]


def list_neutron(api, what, instance_ids, extra=None):
    out = []
    for chunk in _chunks(instance_ids):
        params = {'tags-any': ','.join(T.tag('vnf', i) for i in chunk)} if len(chunk) > 1 else {'tags': T.tag('vnf', chunk[0])}
        params.update(extra or {})
        out += api.list('network', '/%s' % what, what.replace('-', '_'), params=params)
    return out


def list_server_groups(api, instance_ids):
    prefixes = tuple(T.server_group_prefix(i) for i in instance_ids)
    return [g for g in api.list('compute', '/os-server-groups', 'server_groups') if (g.get('name') or '').startswith(prefixes)]


def _chunks(ids):
    ids = list(ids)
    return [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)] or [[]]


def _by_instance(items, instance_id, how):
    if how == 'tags':
        return [r for r in items if T.parse_tags(r.get('tags')).get('vnf') == instance_id]
    if how == 'metadata':
        return [r for r in items if T.parse_metadata(r.get('metadata')).get('vnf') == instance_id]
    return [r for r in items if (r.get('name') or '').startswith(T.server_group_prefix(instance_id))]


def _lists(api, ids, kinds=None):
    """{snapshot attribute: list call} of the given ``kinds`` (snapshot attributes; all 7 when None)."""
    jobs = {
        'security_groups': lambda: list_neutron(api, 'security-groups', ids),
        'networks': lambda: list_neutron(api, 'networks', ids),
        'subnets': lambda: list_neutron(api, 'subnets', ids),
        'ports': lambda: list_neutron(api, 'ports', ids),
        'servers': lambda: list_servers(api, ids),
        'volumes': lambda: list_volumes(api, ids),
        'server_groups': lambda: list_server_groups(api, ids),
    }
    return {k: fn for k, fn in jobs.items() if kinds is None or k in kinds}


def discover(api, instances, max_workers=8, anchor_first=False):
    """{instance id: Snapshot} for [(instance id, VNF name)]: 7 list calls whatever the number of instances.
    ``anchor_first``: the security groups (the anchors) are listed before the other 6 kinds, not beside them, so that
    what the other lists show is no older than the anchor seen (``Snapshot.anchor_first``)."""
    instances = list(instances)
    ids = [i for i, dummy in instances]
    if not ids:
        return {}
    jobs = _lists(api, ids)
    found = {}
    if anchor_first:
        found['security_groups'] = jobs.pop('security_groups')()
    found.update(run_concurrently(jobs, max_workers))
    out = {}
    for instance_id, name in instances:
        snap = _fill(Snapshot(instance_id=instance_id, vnf_name=name, anchor_first=anchor_first), found)
        if snap.anchor is not None and not name:
            snap.vnf_name = T.parse_tags(snap.anchor.get('tags')).get('vnf_name')
        out[instance_id] = snap
    return out


def _fill(snap, found):
    """``snap`` with the kinds listed in ``found`` ({snapshot attribute: items of any instance}) set to its own."""
    instance_id = snap.instance_id
    if 'security_groups' in found:
        sgs = _by_instance(found['security_groups'], instance_id, 'tags')
        snap.anchors = [g for g in sgs if T.parse_tags(g.get('tags')).get('role') == 'anchor']
        snap.security_groups = [g for g in sgs if g not in snap.anchors]
    for attr in ('networks', 'subnets', 'ports'):
        if attr in found:
            setattr(snap, attr, _by_instance(found[attr], instance_id, 'tags'))
    if 'servers' in found:
        snap.servers = _by_instance(found['servers'], instance_id, 'metadata') or _by_instance(found['servers'], instance_id, 'tags')
    if 'volumes' in found:
        snap.volumes = _by_instance(found['volumes'], instance_id, 'metadata')
    if 'server_groups' in found:
        snap.server_groups = _by_instance(found['server_groups'], instance_id, 'name')
    return snap


_ATTR = {'network': 'networks', 'subnet': 'subnets', 'port': 'ports', 'security_group': 'security_groups', 'server': 'servers',
         'volume': 'volumes', 'server_group': 'server_groups'}


def snapshot_after(api, before, plan, outcome, anchor):
    """The Snapshot of ``before``'s instance after ``plan`` ran (``outcome``: executor.Outcome) and the lock was
    released with ``anchor`` as the cloud answered (None: the record is gone). Lists again only the kinds the answers
    cannot tell (see the module doc)."""
    after = dataclasses.replace(before, **{attr: list(getattr(before, attr)) for attr in _ATTR.values()})
    gone = {rid for dummy, dummy2, rid in outcome.deleted}
    for attr in _ATTR.values():
        setattr(after, attr, [r for r in getattr(after, attr) if r.get('id') not in gone])
    stale = set()
    for kind, dummy, res in outcome.created:
        if kind in _ATTR:
            getattr(after, _ATTR[kind]).append(outcome.final.get(res['id'], res))
            if kind == 'server' and res['id'] not in outcome.final:
                stale.add('servers')  # not waited for: its host, addresses... are not known yet
    acted = {a.resource_id for a in plan.actions if a.kind == 'server' and a.op not in (M_CREATE, M_DELETE)}
    if acted - set(outcome.final):
        stale.add('servers')  # a server action not seen done (a graceful stop that timed out)
    after.servers = [outcome.final.get(s['id'], s) for s in after.servers]
    servers_changed = any(kind == 'server' for kind, dummy, dummy2 in outcome.created + outcome.deleted)
    if after.volumes and (servers_changed or any(kind == 'volume' for kind, dummy, dummy2 in outcome.created)):
        stale.add('volumes')  # attached (in-use) by the server boot, or detached
    if after.server_groups and servers_changed:
        stale.add('server_groups')  # their members
    others = [a for a in after.anchors if anchor is None or a['id'] != anchor['id']]
    after.anchors = others + ([anchor] if anchor is not None else [])
    if stale:
        _fill(after, run_concurrently(_lists(api, [before.instance_id], stale)))
    return after


def find_anchors(api, vnf_name=None, vnfd_id=None, ns_id=None, instance_id=None):
    """Anchors (instance records) matching the filters: one Neutron list call."""
    wanted = [T.tag('role', 'anchor')]
    if instance_id:
        wanted.append(T.tag('vnf', instance_id))
    if vnfd_id:
        wanted.append(T.tag('vnfd', vnfd_id))
    if ns_id:
        wanted.append(T.tag('ns', ns_id))
    params = {'tags': ','.join(wanted)}
    if vnf_name:
        params['name'] = T.anchor_name(vnf_name)
    return api.list('network', '/security-groups', 'security_groups', params=params)


def anchors_by_name(api, name, anchor_name=None):
    """Every security group named like the anchor of VNF ``name`` (or named ``anchor_name``: an NS record), tagged or
    not yet: the creation race check."""
    return api.list('network', '/security-groups', 'security_groups', params={'name': anchor_name or T.anchor_name(name)})


# ---------------------------------------------------------------------------------------------------------------
# the environment the planner picks from

def discover_environment(api, snap, vnfd_id, images=None, networks=None, need_cidrs=False, network_subnets=False):
    """Fill ``snap`` with flavors, onboarded images of ``vnfd_id``, the images and networks the user named
    (``images``: refs, ``networks``: refs; each a name or an id) and, when asked, the CIDRs of the subnets in use and
    (``network_subnets``: fixed IPs are given) the subnets of those networks, in one more list call."""
    jobs = {
        'flavors': lambda: api.list('compute', '/flavors/detail', 'flavors', params={'is_public': 'None'}),
        'onboarded': lambda: api.list('image', '/images', 'images', params={T.IMAGE_PROPS['vnfd']: vnfd_id}),
    }
    for r in sorted(set(images or ())):
        jobs['image:%s' % r] = (lambda r=r: _find_image(api, r))
    for r in sorted(set(networks or ())):
        jobs['network:%s' % r] = (lambda r=r: _find_network(api, r))
    if need_cidrs:
        jobs['cidrs'] = lambda: [s.get('cidr') for s in api.list('network', '/subnets', 'subnets', params={'fields': 'cidr'})]
    found = run_concurrently(jobs, ENV_WORKERS)
    snap.flavors = found['flavors']
    snap.onboarded_images = found['onboarded']
    snap.user_images = {k.split(':', 1)[1]: v for k, v in found.items() if k.startswith('image:')}
    snap.ext_networks = {k.split(':', 1)[1]: v for k, v in found.items() if k.startswith('network:')}
    snap.used_cidrs = [c for c in found.get('cidrs') or [] if c]
    net_ids = sorted({n['id'] for n in snap.ext_networks.values() if n})
    if network_subnets and net_ids:
        subnets = api.list('network', '/subnets', 'subnets',
                           params={'network_id': net_ids, 'fields': ['id', 'name', 'network_id', 'cidr', 'gateway_ip']})
        snap.ext_subnets = {i: [s for s in subnets if s.get('network_id') == i] for i in net_ids}
    return snap


def _find_image(api, ref):
    if is_uuid(ref):
        image = api.get('image', '/images/%s' % ref, ok_missing=True)
        if image:
            return image
    found = [i for i in api.list('image', '/images', 'images', params={'name': ref}) if i.get('status') == 'active']
    found.sort(key=lambda i: i.get('created_at') or '', reverse=True)
    return found[0] if found else None


def _find_network(api, ref):
    if is_uuid(ref):
        found = api.list('network', '/networks', 'networks', params={'id': ref})
        if found:
            return found[0]
    found = api.list('network', '/networks', 'networks', params={'name': ref})
    if len(found) > 1:
        raise CloudError("network name '%s' is ambiguous (%d networks): give its id" % (ref, len(found)))
    return found[0] if found else None
