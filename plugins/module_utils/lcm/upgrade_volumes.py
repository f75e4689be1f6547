# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The volumes of a CHANGE_VNFPKG (``upgrade.py``): whether a VNFC's volumes are those of the new package's VDU, which a
recreate keeps (same size and image) or replaces, the deletes of the replaced ones, and what a kept failure left."""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import delete_action


def volume_image(vol):
    """The Glance image id a volume was made from (None: an empty one)."""
    return (vol.get('volume_image_metadata') or {}).get('image_id')


def volume_fits(vol, st, image_id):
    """Whether existing volume ``vol`` is what block storage ``st`` of the new package asks for (``image_id``: its image,
    None when it has none or it is not known): the same size and image, so a recreated VNFC keeps it."""
    return (not st.size_gb or int(vol.get('size') or 0) == int(st.size_gb)) and (image_id is None or volume_image(vol) == image_id)


def volumes_of(vnfc, volumes):
    """{storage: [volume]} of the VNFC's volumes (more than one of a storage: a replaced one not deleted yet)."""
    out = {}
    for vol in volumes:
        owners = T.parse_metadata(vol.get('metadata'))
        if owners.get('vnfc') == vnfc and owners.get('storage'):
            out.setdefault(owners['storage'], []).append(vol)
    return out


def volumes_differ(vnfc, volumes, vdu, flavour, images=None):
    """Why the VNFC's volumes are not those the VDU of the new package has ('' when they are: they are kept).
    ``images``: {storage: Glance image id} of the new package (a volume of another image is replaced)."""
    have = volumes_of(vnfc, volumes)
    want = {name: flavour.storage[name] for name in vdu.storage if name in flavour.storage and flavour.storage[name].kind == 'block'}
    if set(have) != set(want):
        return 'volumes %s -> %s' % (', '.join(sorted(have)) or 'none', ', '.join(sorted(want)) or 'none')
    resized = sorted(n for n in want if want[n].size_gb and not any(int(v.get('size') or 0) == int(want[n].size_gb) for v in have[n]))
    if resized:
        return 'volume %s resized' % ', '.join(resized)
    imaged = sorted(n for n in want if (images or {}).get(n) and not any(volume_fits(v, want[n], images[n]) for v in have[n]))
    return 'volume %s of another image' % ', '.join(imaged) if imaged else ''


def attached(vol, server):
    return any(att.get('server_id') == (server or {}).get('id') for att in vol.get('attachments') or [])


def server_of(snap, vnfc):
    return next((s for s in snap.servers if T.parse_metadata(s.get('metadata')).get('vnfc') == vnfc), None)


def kept_volumes(snap, vnfcs, flavour, images):
    """(volumes a recreate keeps, volumes it replaces) of ``vnfcs``: per storage of the new package's VDU, the VNFC's
    volume of the same size and image (``volume_fits``; the one its server has first) is kept and attached to the new
    server; every other volume of the VNFC is replaced (deleted once the upgrade succeeded: a rollback re-attaches it)."""
    keep, replaced = [], []
    for vnfc in vnfcs:
        vdu = flavour.vdus.get(M.split_vnfc_id(vnfc)[0])
        server = server_of(snap, vnfc)
        for storage, vols in sorted(volumes_of(vnfc, snap.volumes).items()):
            st = flavour.storage.get(storage)
            usable = vdu is not None and storage in vdu.storage and st is not None and st.kind == 'block'
            fit = sorted((v for v in vols if usable and volume_fits(v, st, images.get(storage))), key=lambda v: not attached(v, server))
            keep += fit[:1]
            replaced += [v for v in vols if v not in fit[:1]]
    return keep, replaced


def leftover_volumes(snap, done):
    """Volumes a kept failure left (FAILED_TEMP) beside those the VNFCs of ``done`` (on the new package) use: a storage
    with one volume on the VNFC's server and others not attached to it."""
    out = []
    for vnfc in sorted(v for vnfcs in done.values() for v in vnfcs):
        server = server_of(snap, vnfc)
        for dummy, vols in sorted(volumes_of(vnfc, snap.volumes).items()):
            if len(vols) > 1 and any(attached(v, server) for v in vols):
                out += [v for v in vols if not attached(v, server)]
    return out


def replaced_deletes(snap, volumes):
    """The deletes of ``volumes`` (replaced ones), after the upgrade's last step: keys ``volume/<VNFC>/<storage>#replaced<n>``."""
    out = []
    for n, vol in enumerate(volumes):
        key = M.resource_key('volume', vol, snap.instance_id)
        out.append(delete_action('volume', key, vol, suffix='#replaced%d' % n))
        out[-1].detail = 'replaced by the new package'
    return out
