# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The onboarding plan of a VNF package's software images: what to upload, reuse, map or delete (DESIGN.md principle 2).

The planner (``plan_present``, ``plan_absent``) is pure: it takes the package's software images
(``Package.images()``) and plain views of the Glance images that matter (``image_view``) and returns a
``Plan``: for every software image one action, and the uploads to make. check_mode returns the plan,
``--diff`` shows it, and a second run's plan has no upload and no delete.

Actions of a software image:

- ``uploaded``: the package carries the file and no image of this VNFD with its checksum exists: upload it
  (once per distinct content: a second software image with the same checksum reuses the upload);
- ``unchanged``: an image we onboarded for this VNFD id and version with the same checksum exists;
- ``reused``: an image we onboarded for another version of this VNFD with the same checksum, or (for a file the
  package does not carry) a Glance image with the software image's name and checksum;
- ``mapped``: the operator named the Glance image in ``images`` ({VDU or software image name: image name or id});
- ``deleted`` (state absent): the images we onboarded for this VNFD id and version.

The cloud side (finding the images, uploading, deleting) is glance.py; nothing here talks to a cloud.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import OnboardingError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import hash_name

UPLOADED, UNCHANGED, REUSED, MAPPED, DELETED = 'uploaded', 'unchanged', 'reused', 'mapped', 'deleted'


# ---------------------------------------------------------------------------------------------------------------
# plain views of Glance images

def image_view(image):
    """The fields of a Glance image (openstacksdk resource or dict) the planner looks at, as plain data."""
    get = image.get if isinstance(image, dict) else (lambda k, d=None: getattr(image, k, d))
    props = dict(get('properties') or {})
    if isinstance(image, dict):  # a plain API dict carries extra properties at the top level
        props.update({k: v for k, v in image.items() if k.startswith(T.META_PREFIX)})
    return {
        'id': get('id'),
        'name': get('name'),
        'status': get('status'),
        'visibility': get('visibility'),
        'tags': sorted(get('tags') or []),
        'hash_algo': get('hash_algo') or get('os_hash_algo'),
        'hash_value': get('hash_value') or get('os_hash_value'),
        'size': get('size'),
        'disk_format': get('disk_format'),
        'min_disk': get('min_disk'),
        'min_ram': get('min_ram'),
        'properties': {k: v for k, v in props.items() if k in T.IMAGE_PROPS.values() or k == T.MANAGED_BY[0]},
    }


def checksum_text(checksum):
    """``sha512:<hex>`` of a VNFD checksum dict, or None when it has no supported algorithm or hash."""
    if not checksum or not checksum.get('hash') or not checksum.get('algorithm'):
        return None
    name = hash_name(checksum['algorithm'])
    return '%s:%s' % (name, checksum['hash'].strip().lower()) if name else None


def checksum_matches(view, checksum):
    """True / False when the image has / has not the VNFD checksum, None when that cannot be told
    (Glance hashes with another algorithm and the image has no checksum property of ours)."""
    wanted = checksum_text(checksum)
    if wanted is None:
        return None
    algo, value = wanted.split(':', 1)
    ours = view['properties'].get(T.IMAGE_PROPS['checksum'])
    if ours and ours.partition(':')[0] == algo:
        return ours.lower() == wanted
    if view.get('hash_algo') and view.get('hash_value') and hash_name(view['hash_algo']) == algo:
        return view['hash_value'].lower() == value
    return None


def is_ours(view, vnfd_id, vnfd_version=None):
    """The image was onboarded by us for VNFD ``vnfd_id`` (and ``vnfd_version`` when given)."""
    props = view['properties']
    if T.tag('vnfd', vnfd_id) not in view['tags'] and props.get(T.IMAGE_PROPS['vnfd']) != vnfd_id:
        return False
    return vnfd_version is None or props.get(T.IMAGE_PROPS['vnfd_version']) == vnfd_version


def onboarded_summary(view):
    """One onboarded image as shown in diffs and by vnf_package_info."""
    props = view['properties']
    return {'id': view['id'], 'name': view['name'], 'sw_image': props.get(T.IMAGE_PROPS['sw_image']),
            'checksum': props.get(T.IMAGE_PROPS['checksum']) or (
                '%s:%s' % (view['hash_algo'], view['hash_value']) if view.get('hash_value') else None),
            'status': view['status'], 'visibility': view['visibility'], 'size': view['size']}


# ---------------------------------------------------------------------------------------------------------------
# the plan

@dataclass
class Upload:
    """One image to upload: the content of one or more software images."""
    key: tuple
    name: str
    file: str
    checksum: Optional[dict]
    disk_format: Optional[str]
    container_format: Optional[str]
    min_disk: int = 0
    min_ram: int = 0
    sw_images: List[str] = field(default_factory=list)
    glance_id: Optional[str] = None  # set when applied
    view: Optional[dict] = None  # image_view of the uploaded image, set when applied


@dataclass
class Item:
    """The action for one software image of the package."""
    sw_image: dict  # an entry of Package.images()
    action: Optional[str] = None
    glance: Optional[dict] = None  # image_view of the image used, None while an upload is only planned
    upload: Optional[Upload] = None

    def result(self):
        sw = self.sw_image
        glance_id = self.glance['id'] if self.glance else (self.upload.glance_id if self.upload else None)
        glance_name = self.glance['name'] if self.glance else (self.upload.name if self.upload else None)
        return {'name': sw['name'], 'version': sw['version'], 'used_by': list(sw['used_by']), 'file': sw['file'],
                'carried': sw['carried'], 'checksum': sw['checksum'], 'action': self.action,
                'glance_id': glance_id, 'glance_name': glance_name}


@dataclass
class Plan:
    vnfd_id: str
    vnfd_version: str
    state: str
    items: List[Item] = field(default_factory=list)
    uploads: List[Upload] = field(default_factory=list)
    deletes: List[dict] = field(default_factory=list)  # image views
    onboarded: List[dict] = field(default_factory=list)  # image views of ours for this VNFD id + version, before

    @property
    def changed(self):
        return bool(self.uploads or self.deletes)

    def results(self):
        return [item.result() for item in self.items]

    def diff(self):
        before = sorted((onboarded_summary(v) for v in self.onboarded), key=lambda s: (s['name'] or '', s['id']))
        gone = {v['id'] for v in self.deletes}
        after = [s for s in before if s['id'] not in gone]
        after += [onboarded_summary(u.view) if u.view else {
            'id': None, 'name': u.name, 'sw_image': u.sw_images[0], 'checksum': checksum_text(u.checksum),
            'status': None, 'visibility': None, 'size': None} for u in self.uploads]
        return {'before': {'images': before}, 'after': {'images': after},
                'before_header': 'VNFD %s %s' % (self.vnfd_id, self.vnfd_version),
                'after_header': 'VNFD %s %s' % (self.vnfd_id, self.vnfd_version)}


def _label(sw):
    return "software image '%s' (%s)" % (sw['name'], ', '.join(sw['used_by']))


def _nodes(sw):
    return [u.split('/', 1)[-1] for u in sw['used_by']]


def mapping_targets(sw_images, mapping):
    """{index of software image: (key, Glance image name or id)} from ``mapping``; OnboardingError for a key that
    names neither a VDU nor a software image, or two keys mapping one software image to different images."""
    mapping = dict(mapping or {})
    known = set()
    for sw in sw_images:
        known.add(sw['name'])
        known.update(_nodes(sw))
    unknown = sorted(str(k) for k in mapping if k not in known)
    if unknown:
        raise OnboardingError('images: %s %s neither a VDU nor a software image of the package (known: %s)' % (
            ', '.join("'%s'" % k for k in unknown), 'is' if len(unknown) == 1 else 'are',
            ', '.join(sorted(str(k) for k in known if k is not None))))
    targets = {}
    for index, sw in enumerate(sw_images):
        keys = [k for k in [sw['name']] + _nodes(sw) if k in mapping]
        values = {str(mapping[k]) for k in keys}
        if len(values) > 1:
            raise OnboardingError('images: %s is mapped to different Glance images (%s)' % (
                _label(sw), ', '.join('%s: %s' % (k, mapping[k]) for k in keys)))
        if keys:
            targets[index] = (keys[0], str(mapping[keys[0]]))
    return targets


def _resolve(key, value, glance):
    """The image view a mapping value names (id first, then name)."""
    by_id = [v for v in glance if v['id'] == value]
    if by_id:
        return by_id[0]
    named = [v for v in glance if v['name'] == value]
    if not named:
        raise OnboardingError("images: %s: no Glance image named or with id '%s'" % (key, value))
    if len(named) > 1:
        raise OnboardingError("images: %s: %d Glance images are named '%s': map it by id (%s)" % (
            key, len(named), value, ', '.join(sorted(v['id'] for v in named))))
    return named[0]


def _active(views):
    return [v for v in views if v['status'] == 'active']


def plan_present(sw_images, vnfd_id, vnfd_version, glance, mapping=None, verify_checksum=True):
    """The plan to onboard ``sw_images`` (``Package.images()``) given the Glance images ``glance`` (image_view list:
    ours for this VNFD, those with the names of images the package does not carry, and the mapped ones).

    Raises OnboardingError naming every software image that can be neither uploaded, found nor mapped."""
    plan = Plan(vnfd_id, vnfd_version, 'present')
    plan.onboarded = [v for v in glance if is_ours(v, vnfd_id, vnfd_version)]
    targets = mapping_targets(sw_images, mapping)
    ours = _active(v for v in glance if is_ours(v, vnfd_id))
    uploads = {}
    problems = []
    for index, sw in enumerate(sw_images):
        item = Item(sw)
        plan.items.append(item)
        checksum = sw.get('checksum')
        if index in targets:
            key, value = targets[index]
            item.action, item.glance = MAPPED, _resolve(key, value, glance)
            if verify_checksum and checksum_matches(item.glance, checksum) is False:
                problems.append("%s is mapped to Glance image '%s' (%s) whose checksum differs from the VNFD's %s "
                                "(set verify_checksum: false to accept it)" % (
                                    _label(sw), item.glance['name'], item.glance['id'], checksum['algorithm']))
            continue
        if checksum_text(checksum):
            mine = [v for v in ours if checksum_matches(v, checksum)]
        else:  # no usable checksum: only our own marks identify the image
            mine = [v for v in ours if v['properties'].get(T.IMAGE_PROPS['sw_image']) == sw['name']]
        same_version = [v for v in mine if is_ours(v, vnfd_id, vnfd_version)]
        if same_version or mine:
            item.action = UNCHANGED if same_version else REUSED
            item.glance = sorted(same_version or mine, key=lambda v: v['id'])[0]
            continue
        if sw['carried']:
            key = ('content',) + tuple(checksum_text(checksum).split(':')) if checksum_text(checksum) else ('file', sw['file'])
            upload = uploads.get(key)
            if upload is None:
                upload = uploads[key] = Upload(key=key, name=sw['name'] or sw['file'].rsplit('/', 1)[-1], file=sw['file'],
                                               checksum=checksum, disk_format=sw['disk_format'],
                                               container_format=sw['container_format'])
                plan.uploads.append(upload)
                item.action = UPLOADED
            else:
                item.action = REUSED
            upload.sw_images.append(sw['name'])
            upload.min_disk = max(upload.min_disk, sw.get('min_disk_gb') or 0)
            upload.min_ram = max(upload.min_ram, sw.get('min_ram_mb') or 0)
            item.upload = upload
            continue
        named = _active(v for v in glance if v['name'] == sw['name'])
        found = [v for v in named if checksum_matches(v, checksum)] if checksum_text(checksum) else named
        if not found and named and not verify_checksum:
            found = [v for v in named if checksum_matches(v, checksum) is not False]
        if found:
            item.action, item.glance = REUSED, sorted(found, key=lambda v: v['id'])[0]
            continue
        where = "file %s is not in the package" % sw['file'] if sw['file'] else 'the package carries no image file'
        if named:
            why = ("Glance image '%s' has %s" % (sw['name'], 'another checksum' if any(
                checksum_matches(v, checksum) is False for v in named) else
                'no %s checksum to compare' % checksum['algorithm']))
        else:
            why = "no Glance image is named '%s'" % sw['name']
        problems.append('%s: %s and %s; upload it or map it with images' % (_label(sw), where, why))
    if problems:
        raise OnboardingError('; '.join(problems))
    return plan


def plan_absent(sw_images, vnfd_id, vnfd_version, glance):
    """The plan to remove the images we onboarded for this VNFD id and version (found by our tag/properties)."""
    plan = Plan(vnfd_id, vnfd_version, 'absent')
    plan.onboarded = sorted((v for v in glance if is_ours(v, vnfd_id, vnfd_version)), key=lambda v: v['id'])
    plan.deletes = list(plan.onboarded)
    for sw in sw_images:
        item = Item(sw)
        if checksum_text(sw.get('checksum')):
            matches = [v for v in plan.deletes if checksum_matches(v, sw['checksum'])]
        else:
            matches = [v for v in plan.deletes if v['properties'].get(T.IMAGE_PROPS['sw_image']) == sw['name']]
        item.action, item.glance = (DELETED, matches[0]) if matches else (UNCHANGED, None)
        plan.items.append(item)
    return plan


def check_in_use(plan, users, force=False):
    """OnboardingError when an image to delete is used by servers ({image id: [server names]}) and not ``force``."""
    busy = [(v, sorted(users.get(v['id']) or [])) for v in plan.deletes if users.get(v['id'])]
    if busy and not force:
        raise OnboardingError('; '.join("image '%s' (%s) of VNFD %s %s is used by server%s %s" % (
            v['name'], v['id'], plan.vnfd_id, plan.vnfd_version, 's' if len(names) > 1 else '', ', '.join(names))
            for v, names in busy) + ': delete the VNF instances first or set force: true')
