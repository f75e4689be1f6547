# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Environment choices: what a plan picks from the cloud it runs on (the environment part of a ``Snapshot``).

Pure. A flavor that fits a VDU (``match_flavor``), the Glance image of a VDU or storage (``resolve_image``: the
task's map, then the instance's own, then the package's onboarded one), the images to record on the instance
(``mapped_images``) and free CIDRs for virtual links without one (``allocate_cidrs``).
"""
from __future__ import annotations

import ipaddress

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

DEFAULT_PREFIXLEN = 24


def match_flavor(flavors, vcpus, ram_mb, disk_gb):
    """An existing flavor with exactly these vCPUs/RAM/root disk (no ephemeral/swap); the plainest one wins."""
    fits = [f for f in flavors
            if f.get('vcpus') == vcpus and f.get('ram') == ram_mb and f.get('disk') == disk_gb
            and not f.get('OS-FLV-EXT-DATA:ephemeral') and not f.get('swap') and not f.get('OS-FLV-DISABLED:disabled')]
    fits.sort(key=lambda f: (bool(f.get('extra_specs')), not f.get('os-flavor-access:is_public', True), f.get('name') or ''))
    return fits[0] if fits else None


def image_label(img):
    return img.get('name') or img.get('id')


def resolve_image(node, sw_image, req, snap):
    """(image dict, how) for a VDU or storage node: user map (by node or sw image name) > known to the instance >
    onboarded > PlanError."""
    keys = [node] + ([sw_image.name] if sw_image is not None and sw_image.name else [])
    for key in keys:
        if key in req.images:
            image = snap.user_images.get(req.images[key])
            if image is None:
                raise PlanError("image '%s' given for %s in images is not in Glance (or not visible to the project)" % (req.images[key], key))
            return image, 'images[%s]' % key
    known = snap.user_images.get(req.known_images.get(node))
    if known is not None:
        return known, 'known'
    if sw_image is None:
        return None, None
    for image in snap.onboarded_images:
        if image.get(T.IMAGE_PROPS['vnfd']) != req.vnfd_id:
            continue
        version = image.get(T.IMAGE_PROPS['vnfd_version'])
        if version and version != req.vnfd_version:
            continue
        if image.get(T.IMAGE_PROPS['sw_image']) in (sw_image.name, node) and image.get('status', 'active') == 'active':
            return image, 'onboarded'
    raise PlanError("no image for %s (sw image '%s'): onboard the package (telco.nfvo.vnf_package) or map it with images: {%s: <Glance image>}"
                    % (node, sw_image.name, node))


def allocate_cidrs(pool, count, used, prefixlen=DEFAULT_PREFIXLEN):
    """``count`` free networks of the given prefix length from ``pool`` (list of CIDRs), not overlapping ``used``."""
    used_nets = []
    for cidr in used:
        try:
            used_nets.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError:
            continue
    out = []
    for block in pool:
        try:
            net = ipaddress.ip_network(block, strict=False)
        except ValueError:
            raise PlanError("cidr_pool entry '%s' is not a CIDR" % block)
        size = max(prefixlen, net.prefixlen) if net.version == 4 else max(64, net.prefixlen)
        for candidate in net.subnets(new_prefix=size):
            if len(out) == count:
                return out
            if any(candidate.overlaps(u) for u in used_nets if u.version == candidate.version):
                continue
            out.append(str(candidate))
            used_nets.append(candidate)
    if len(out) < count:
        raise PlanError('cidr_pool %s has no room for %d more /%d subnet(s) next to the existing subnets' % (', '.join(pool), count, prefixlen))
    return out


def mapped_images(req, flavour, snap):
    """{VDU or storage: Glance image id} to record: what the instance's record holds, updated with the images the task
    maps or the instance's servers use (onboarded images of the VNFD excluded: they are found again by their
    properties). A map that does not resolve is left to the VNFC planning to report."""
    nodes = [(name, vdu.sw_image) for name, vdu in flavour.vdus.items()]
    nodes += [(name, st.sw_image) for name, st in flavour.storage.items() if st.kind == 'block']
    out = T.parse_multi_tags((snap.anchor or {}).get('tags'), 'image', str)
    for node, sw_image in nodes:
        try:
            image, how = resolve_image(node, sw_image, req, snap)
        except PlanError:
            continue
        if image is not None and how != 'onboarded' and image.get(T.IMAGE_PROPS['vnfd']) != req.vnfd_id:
            out[node] = image['id']
    return out
