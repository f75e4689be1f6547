# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Environment choices: what a plan picks from the cloud it runs on (the environment part of a ``Snapshot``).

Pure. A flavor that fits a VDU (``match_flavor``), the Glance image of a VDU or storage (``resolve_image``: the
task's map, then the instance's own, then the package's onboarded one), the images to record on the instance
(``mapped_images``) and free CIDRs for virtual links without one (``allocate_cidrs``). What the user gives that
the cloud's answers show cannot work is refused here, before any write: an image too big or needing more RAM than the
VDU or storage it is for (``check_image_fits``), fixed IPs and subnets of ext_virtual_links that are not of the
network given (``check_ext_addresses``).
"""
from __future__ import annotations

import ipaddress

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import address_of

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


GIB = 1024 ** 3


def check_image_fits(image, how, node, vdu=None, disk_gb=None, disk_of=None):
    """PlanError when the Glance ``image`` chosen for ``node`` (a VDU or a block storage; ``how`` as ``resolve_image``
    says) cannot boot ``vdu`` (its min_ram above the VDU's memory, which the VDU's flavor has) or fill ``disk_of``
    (its min_disk or size above ``disk_gb``). Nova or Cinder would refuse the server or the volume (HTTP 400)."""
    label = "image '%s' (%s)" % (image_label(image), how)
    min_ram = int(image.get('min_ram') or 0)
    if vdu is not None and vdu.compute.memory_mb and min_ram > vdu.compute.memory_mb:
        raise PlanError('%s needs %d MB RAM (its min_ram) but %s has %d MB (virtual_memory): map an image that fits %s'
                        % (label, min_ram, vdu.name, vdu.compute.memory_mb, node))
    if not disk_gb:
        return  # no root disk: Nova sizes it from the image
    min_disk = int(image.get('min_disk') or 0)
    size = max(int(image.get('size') or 0), int(image.get('virtual_size') or 0))
    if min_disk > disk_gb or size > disk_gb * GIB:
        need = '%d GB (its min_disk)' % min_disk if min_disk > disk_gb else '%.1f GB (its size)' % (size / float(GIB))
        raise PlanError('%s needs %s but %s is %d GB: map an image that fits %s' % (label, need, disk_of, disk_gb, node))


def _subnet_label(subnet):
    return '%s %s' % (subnet.get('name') or subnet['id'], subnet.get('cidr') or '')


def check_ext_addresses(req, snap):
    """PlanError when a fixed IP or subnet_id of ext_virtual_links does not fit the network it is given with: a subnet
    of another network, an address outside every subnet of the network (or outside the subnet given), its network,
    broadcast or gateway address, or one address given twice. Needs ``snap.ext_subnets`` for the addresses."""
    taken = {}
    for cpd_id, link in sorted(req.ext_links.items()):
        net = snap.ext_networks.get(link.network)
        if net is None:
            continue  # the port planning names the missing network
        label = net.get('name') or net['id']
        subnets = snap.ext_subnets.get(net['id'])
        for index, config in enumerate(link.cp_configs):
            where = 'ext_virtual_links CP %s instance %d' % (cpd_id, index)
            for ip in config.get('fixed_ips') or []:
                subnet_id = ip.get('subnet_id')
                if subnet_id and subnet_id not in (net.get('subnets') or []):
                    raise PlanError("%s: subnet '%s' is not a subnet of network %s (its subnets: %s): give one of them"
                                    % (where, subnet_id, label, ', '.join(net.get('subnets') or []) or 'none'))
                if ip.get('ip_address') is None or subnets is None:
                    continue
                address = address_of(ip['ip_address'], where)
                _check_address(address, where, label, [s for s in subnets if not subnet_id or s['id'] == subnet_id], bool(subnet_id))
                seen = taken.get((net['id'], address))
                if seen is not None:
                    raise PlanError('%s: fixed IP %s is given %s: each port needs its own address'
                                    % (where, address, 'twice' if seen == where else 'for %s too' % seen))
                taken[(net['id'], address)] = where


def _check_address(address, where, network, subnets, given):
    """PlanError unless ``address`` is a usable host address of one of ``subnets`` (of ``network``)."""
    for subnet in subnets:
        try:
            cidr = ipaddress.ip_network(subnet.get('cidr'), strict=False)
        except (TypeError, ValueError):
            continue
        if cidr.version != address.version or address not in cidr:
            continue
        if address == cidr.network_address or (cidr.version == 4 and cidr.prefixlen < 31 and address == cidr.broadcast_address):
            raise PlanError('%s: fixed IP %s is the network or broadcast address of subnet %s: give a host address'
                            % (where, address, _subnet_label(subnet)))
        if subnet.get('gateway_ip') and address == ipaddress.ip_address(subnet['gateway_ip']):
            raise PlanError('%s: fixed IP %s is the gateway of subnet %s: give another address' % (where, address, _subnet_label(subnet)))
        return
    raise PlanError('%s: fixed IP %s is outside %s of network %s: give an address of %s'
                    % (where, address, 'the subnet given' if given else 'every subnet', network,
                       ', '.join(_subnet_label(s) for s in subnets) or 'a subnet (the network has none)'))
