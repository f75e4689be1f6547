# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ownership marks and names: the one place that says how telco.nfvo marks and names what it creates in the cloud.

The cloud is the source of truth (DESIGN.md principle 3): modules, `*_info` modules and the NFVI
inventory find and rebuild VNF instances from these marks alone.

- Neutron resources (networks, subnets, ports, security groups) and Nova servers carry *tags*
  `nfvo:<key>=<value>` (Nova server tags are at most 60 characters: values are ids and short names).
- Nova servers and Cinder volumes carry *metadata* `nfvo_<key>: <value>` (the full set, readable
  in one server list call and in the inventory's hostvars).
- Glance images onboarded from a package carry properties `nfvo_vnfd_id`, `nfvo_vnfd_version`,
  `nfvo_sw_image`, `nfvo_sw_image_checksum` (``<algorithm>:<hash>`` as the VNFD declares it, for when Glance
  hashes with another algorithm) and the tag `nfvo:vnfd=<vnfd_id>`.
- Names: the instance record (anchor) is the security group `nfvo-vnf-<VNF name>`, server groups are
  `nfvo-<instance id>-<placement rule>`, flavors we create `nfvo-<VNFD id>-<VDU>` (``anchor_name`` ...).
- The instance record's MODIFY_INFO part (``vnf_change``: description, metadata, extensions) is compact JSON in anchor
  tags ``nfvo:info=<NN>:<piece>`` (``info_tags`` / ``parse_info``), kept by every other write of the record.
- Network services: the NS record is the security group `nfvo-ns-<NS name>` tagged `nfvo:role=ns-anchor`,
  `nfvo:ns=<NS id>` (``ns_instance_id``: stable for a project and NS name), `nfvo:ns_name`, `nfvo:nsd`, `nfvo:flavour`,
  `nfvo:level` and one `nfvo:member=<node>:<kind>` per constituent it expects (kind `vnf<batch>`: a VNF node created in
  that batch of the deployment order, `vnf<batch>x<count>` when the node has more than one VNF instance, `vl`: an NS
  virtual link) and one `nfvo:scale=<NS scaling aspect>:<NS scale level>` per aspect scaled (one
  `nfvo:vnf_df=<node>:<flavour>[/<level>]` per VNF node on another VNF flavour than the NSD's: CHANGE_VNF_DF); each NS virtual link is the network (and subnet)
  `nfvo-ns-<NS name>-<VL>` tagged `nfvo:role=ns-vl`, `nfvo:ns=<NS id>`, `nfvo:vl=<VL>`; its VNFs are the VNF instances
  `<NS name>-<VNF node>` (instance k > 1 of a node: `<NS name>-<VNF node>-<k>`, ``ns_vnf_name``), tagged `nfvo:ns=<NS id>`.
"""

from __future__ import annotations

import uuid

PREFIX = 'nfvo:'
META_PREFIX = 'nfvo_'
# keys, in the order they are written
KEYS = ('vnf', 'vnf_name', 'vnfd', 'vnfd_version', 'flavour', 'ns', 'vdu', 'vl', 'cp', 'storage', 'aspect', 'vnfc',
        'role', 'level', 'state', 'ns_name', 'nsd')
# keys that appear several times on one resource, each value '<name>:<value>' (anchor only): the level of each
# aspect, the VNFC count of each VDU, the Glance image id a VDU or storage was mapped to with ``images:``
MULTI_KEYS = ('scale', 'want', 'image', 'member', 'info', 'vnf_df')  # member: the constituents an NS record expects; info: see info_tags;
# vnf_df: an NS record's VNF node whose VNF deployment flavour is not the NSD's ('<node>:<flavour>' or '<node>:<flavour>/<level>')
# Neutron accepts at most 50 tags on a resource
MAX_TAGS = 50
# metadata names of the same facts on servers and volumes
META_KEYS = {
    'vnf': 'nfvo_vnf_instance_id', 'vnf_name': 'nfvo_vnf_name', 'vnfd': 'nfvo_vnfd_id', 'vnfd_version': 'nfvo_vnfd_version',
    'flavour': 'nfvo_flavour_id', 'ns': 'nfvo_ns_instance_id', 'vdu': 'nfvo_vdu', 'vl': 'nfvo_vl', 'cp': 'nfvo_cp',
    'storage': 'nfvo_storage', 'aspect': 'nfvo_aspect', 'vnfc': 'nfvo_vnfc_id', 'role': 'nfvo_role',
    'level': 'nfvo_instantiation_level_id', 'state': 'nfvo_vnf_state', 'ns_name': 'nfvo_ns_name', 'nsd': 'nfvo_nsd_id',
}
IMAGE_PROPS = {'vnfd': 'nfvo_vnfd_id', 'vnfd_version': 'nfvo_vnfd_version', 'sw_image': 'nfvo_sw_image',
               'checksum': 'nfvo_sw_image_checksum'}
MANAGED_BY = ('nfvo_managed_by', 'telco.nfvo')
NOVA_TAG_MAX = 60
_NS = uuid.UUID('8f5e2a52-3c1d-4a57-9d53-2b4f7e1c9a60')


def vnf_instance_id(project_id, vnf_name):
    """The VNF instance id: stable for a (project, name), so any runner finds the same instance again."""
    return str(uuid.uuid5(_NS, '%s/%s' % (project_id, vnf_name)))


def anchor_name(vnf_name):
    """The name of a VNF instance's record (its anchor security group)."""
    return 'nfvo-vnf-%s' % vnf_name


def ns_instance_id(project_id, ns_name):
    """The NS instance id: stable for a (project, NS name), like ``vnf_instance_id`` (never equal to a VNF's)."""
    return str(uuid.uuid5(_NS, 'ns/%s/%s' % (project_id, ns_name)))


def ns_anchor_name(ns_name):
    """The name of an NS instance's record (its anchor security group)."""
    return 'nfvo-ns-%s' % ns_name


def ns_vl_name(ns_name, vl):
    """The network (and subnet) of NS virtual link ``vl``."""
    return 'nfvo-ns-%s-%s' % (ns_name, vl)


def ns_vnf_member(node, index=1):
    """The member name of instance ``index`` (1, 2 ...) of VNF node ``node`` of an NS: ``<node>``, then ``<node>-<index>``."""
    return node if index == 1 else '%s-%d' % (node, index)


def ns_vnf_name(ns_name, node, index=1):
    """The VNF instance name of instance ``index`` of VNF node ``node`` of an NS: ``<NS>-<node>``, ``<NS>-<node>-2`` ..."""
    return '%s-%s' % (ns_name, ns_vnf_member(node, index))


def server_group_prefix(instance_id):
    """What the names of a VNF instance's server groups start with."""
    return 'nfvo-%s-' % instance_id


def server_group_name(instance_id, rule):
    """The Nova server group of placement rule ``rule`` of a VNF instance."""
    return server_group_prefix(instance_id) + rule


def flavor_name(vnfd_id, vdu):
    """The Nova flavor created for a VDU (``create_flavors: true``)."""
    return 'nfvo-%s-%s' % (vnfd_id, vdu)


def tag(key, value):
    return '%s%s=%s' % (PREFIX, key, value)


def tags_for(**owners):
    """Tag list for the given owners (None values left out), e.g. tags_for(vnf=id, vdu='VDU1')."""
    return [tag(k, owners[k]) for k in KEYS if owners.get(k) is not None]


def metadata_for(**owners):
    meta = {META_KEYS[k]: str(owners[k]) for k in KEYS if owners.get(k) is not None}
    meta[MANAGED_BY[0]] = MANAGED_BY[1]
    return meta


def parse_tags(tags):
    """{key: value} of our tags among a resource's tags (others ignored)."""
    out = {}
    for t in tags or ():
        if t.startswith(PREFIX) and '=' in t:
            key, dummy, value = t[len(PREFIX):].partition('=')
            if key not in MULTI_KEYS:
                out[key] = value
    return out


def multi_tag(key, name, value):
    """A tag of a multi-valued key, e.g. multi_tag('scale', 'worker_instance', 2) -> 'nfvo:scale=worker_instance:2'."""
    if key not in MULTI_KEYS:
        raise ValueError('%s is not a multi-valued key' % key)
    return tag(key, '%s:%s' % (name, value))


def parse_multi_tags(tags, key, convert=int):
    """{name: value} of the multi-valued key ``key`` among a resource's tags, values through ``convert``."""
    out = {}
    lead = '%s%s=' % (PREFIX, key)
    for t in tags or ():
        if t.startswith(lead):
            name, dummy, value = t[len(lead):].rpartition(':')
            try:
                out[name] = convert(value)
            except ValueError:
                continue
    return out


def retag(tags, **changes):
    """``tags`` with single-valued keys replaced (value None removes) and, for 'scale'/'want' dicts, the multi tags."""
    out = list(tags or [])
    for key, value in changes.items():
        if key in MULTI_KEYS:
            out = [t for t in out if not t.startswith('%s%s=' % (PREFIX, key))]
            out += [multi_tag(key, n, v) for n, v in sorted((value or {}).items())]
        else:
            out = [t for t in out if not t.startswith('%s%s=' % (PREFIX, key))]
            if value is not None:
                out.append(tag(key, value))
    return out


INFO_CHUNK = 242  # characters of the info text per tag: 'nfvo:info=NN:' + 242 = Neutron's 255


def info_tags(text):
    """The anchor tags that hold ``text`` (MODIFY_INFO's description, metadata and extensions as compact JSON), in
    pieces ``nfvo:info=<NN>:<piece>`` (Neutron tags are unique strings of at most 255 characters); [] for no text."""
    pieces = [text[i:i + INFO_CHUNK] for i in range(0, len(text or ''), INFO_CHUNK)]
    return [tag('info', '%02d:%s' % (i, piece)) for i, piece in enumerate(pieces)]


def parse_info(tags):
    """The text ``info_tags`` wrote among a resource's tags ('' without)."""
    lead = '%sinfo=' % PREFIX
    pieces = sorted((t[len(lead):].partition(':') for t in tags or () if t.startswith(lead)), key=lambda p: p[0])
    return ''.join(p[2] for p in pieces)


def only_info(tags):
    """The info tags among ``tags``."""
    return [t for t in tags or () if t.startswith('%sinfo=' % PREFIX)]


def parse_metadata(metadata):
    """{key: value} of our metadata among a server's or volume's metadata."""
    reverse = {v: k for k, v in META_KEYS.items()}
    return {reverse[k]: v for k, v in (metadata or {}).items() if k in reverse}


def is_managed(metadata=None, tags=None):
    return bool((metadata or {}).get(MANAGED_BY[0]) == MANAGED_BY[1] or parse_tags(tags).get('vnf'))
