# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Glance side of onboarding: find the images a plan needs, upload, delete; the only file of vnfd/ that talks to a cloud.

``discover`` gives the planner (onboarding.py) its image views, ``apply_present`` streams each upload from the
package, verifies the declared checksum while streaming and removes the images it created when anything fails,
``apply_absent`` deletes, ``servers_using`` finds the servers booted from an image, ``list_onboarded`` groups our
images by VNFD id and version.

Every call goes through ``CloudApi`` (openstack/client.py): the lists (its paginator follows Glance's ``next``), the
create (POST /v2/images with our marks as extra properties), the upload (PUT /v2/images/<id>/file, an
``application/octet-stream`` body streamed from the package through ``_VerifyingStream``: never held in memory,
aborted when the checksum does not match, never retried) and the wait for ``active`` (GET polls). One POST and one
PUT per upload.
"""
from __future__ import annotations

import hashlib
import time

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import (
    ChecksumMismatch, CloudError, OnboardingError, PackageError, describe_error,
)
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi, is_uuid
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.onboarding import checksum_text, image_view, mapping_targets, onboarded_summary
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import hash_name, open_member

CHUNK = 1 << 20
IMAGE_FAILED = ('killed', 'deleted', 'deactivated')


def connect(module):
    """The HTTP client on the module's (authenticated) connection."""
    return CloudApi(module.conn)


def discover(api, sw_images, vnfd_id, mapping=None):
    """The Glance images that matter for a package, as views: ours for the VNFD (one list filtered by tag), those
    named like the software images the package does not carry, and those the mapping names."""
    found = {}

    def add(images):
        for image in images:
            view = image_view(image)
            found.setdefault(view['id'], view)

    add(_images(api, tag=T.tag('vnfd', vnfd_id)))
    targets = mapping_targets(sw_images, mapping)
    names = {sw['name'] for i, sw in enumerate(sw_images) if not sw['carried'] and i not in targets and sw['name']}
    for name in sorted(names):
        add(_images(api, name=name))
    for _key, value in sorted(set(targets.values())):
        add(_images(api, name=value))
        if is_uuid(value) and value not in found:
            image = _image_by_id(api, value)
            if image is not None:
                add([image])
    return list(found.values())


def _images(api, **filters):
    """Every image the project sees that matches the filters (all pages)."""
    return api.list('image', '/images', 'images', params=filters or None)


def _image_by_id(api, image_id):
    """The image with this id, or None; like openstacksdk's find_image, a 400 or 403 answer reads as not found."""
    try:
        return api.get('image', '/images/%s' % image_id, ok_missing=True)
    except CloudError as exc:
        if exc.status in (400, 403):
            return None
        raise


def list_onboarded(api):
    """Packages onboarded in the cloud: our images grouped by VNFD id and version (one paginated list)."""
    groups = {}
    for image in _images(api):
        view = image_view(image)
        props = view['properties']
        vnfd_id = props.get(T.IMAGE_PROPS['vnfd']) or next(
            (t[len(T.tag('vnfd', '')):] for t in view['tags'] if t.startswith(T.tag('vnfd', ''))), None)
        if not vnfd_id:
            continue
        key = (vnfd_id, props.get(T.IMAGE_PROPS['vnfd_version']))
        groups.setdefault(key, []).append(onboarded_summary(view))
    return [{'vnfd_id': k[0], 'vnfd_version': k[1], 'images': sorted(v, key=lambda s: (s['name'] or '', s['id']))}
            for k, v in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or ''))]


class _VerifyingStream:
    """Iterates over a package file in chunks, hashing it; raises ChecksumMismatch at the end when the
    digest is not the declared one, which aborts the upload before Glance accepts the data."""

    def __init__(self, fileobj, checksum, label):
        self.fileobj = fileobj
        self.algorithm = hash_name(checksum['algorithm']) if checksum else None
        self.expected = checksum['hash'].strip().lower() if checksum else None
        self.digest = hashlib.new(self.algorithm) if self.algorithm else None
        self.label = label

    def __iter__(self):
        while True:
            chunk = self.fileobj.read(CHUNK)
            if not chunk:
                break
            if self.digest is not None:
                self.digest.update(chunk)
            yield chunk
        if self.digest is not None and self.digest.hexdigest() != self.expected:
            raise ChecksumMismatch('%s: the file has %s %s, the VNFD declares %s' % (
                self.label, self.algorithm, self.digest.hexdigest(), self.expected))


def apply_present(api, src, plan, visibility='private', verify_checksum=True, timeout=600):
    """Upload the plan's images. On any failure delete every image created here and raise OnboardingError."""
    created = []
    current = None
    try:
        for upload in plan.uploads:
            current = upload
            label = "image '%s' (%s)" % (upload.name, upload.file)
            props = {T.IMAGE_PROPS['vnfd']: plan.vnfd_id, T.IMAGE_PROPS['vnfd_version']: plan.vnfd_version,
                     T.IMAGE_PROPS['sw_image']: upload.sw_images[0], T.MANAGED_BY[0]: T.MANAGED_BY[1]}
            if checksum_text(upload.checksum):
                props[T.IMAGE_PROPS['checksum']] = checksum_text(upload.checksum)
            attrs = dict(name=upload.name, visibility=visibility, tags=[T.tag('vnfd', plan.vnfd_id)],
                         min_disk=upload.min_disk, min_ram=upload.min_ram, **props)
            if upload.disk_format:
                attrs['disk_format'] = upload.disk_format
            if upload.container_format:
                attrs['container_format'] = upload.container_format
            image = api.post('image', '/images', {k: v for k, v in attrs.items() if v is not None})
            created.append(image['id'])
            upload.glance_id = image['id']
            with open_member(src, upload.file) as f:
                checksum = upload.checksum if verify_checksum and checksum_text(upload.checksum) else None
                api.upload('image', '/images/%s/file' % image['id'], _VerifyingStream(f, checksum, label))
            _wait_active(api, image['id'], timeout)
        current = None
    except Exception as exc:
        cleanup = _delete_quietly(api, created)
        for upload in plan.uploads:
            upload.glance_id = upload.view = None
        if isinstance(exc, ChecksumMismatch):
            reason = str(exc)
        elif isinstance(exc, PackageError):
            reason = 'cannot read the package: %s' % exc
        else:
            what = "image '%s' (%s)" % (current.name, current.file) if current else 'images'
            reason = 'Failed to upload %s of VNFD %s %s: %s' % (what, plan.vnfd_id, plan.vnfd_version, describe_error(exc))
        raise OnboardingError(reason + cleanup) from None
    for upload in plan.uploads:
        upload.view = image_view(api.get('image', '/images/%s' % upload.glance_id))
    for item in plan.items:
        if item.upload is not None:
            item.glance = item.upload.view
    return plan


def _wait_active(api, image_id, timeout):
    """Poll the image each second until Glance has it ``active``; CloudError when it fails or the wait runs out."""
    deadline = time.monotonic() + timeout
    while True:
        status = api.get('image', '/images/%s' % image_id).get('status')
        if status == 'active':
            return
        if status in IMAGE_FAILED:
            raise CloudError('image %s went to status %s' % (image_id, status))
        if time.monotonic() > deadline:
            raise CloudError('image %s is still %s after %d s' % (image_id, status, timeout))
        time.sleep(1)


def _delete_quietly(api, image_ids):
    """Delete images created by a failed run; the text to append to the error message."""
    left = []
    for image_id in image_ids:
        try:
            api.delete('image', '/images/%s' % image_id)
        except Exception as exc:  # report, never mask the first error
            left.append('%s (%s)' % (image_id, describe_error(exc)))
    if left:
        return '; could not remove the partial image%s %s' % ('s' if len(left) > 1 else '', ', '.join(left))
    return '; removed the partial image' + ('s' if len(image_ids) > 1 else '') if image_ids else ''


def servers_using(api, image_ids):
    """{image id: [server names]} of the project's servers booted from these images (one list call per image)."""
    users = {}
    for image_id in image_ids:
        names = [s.get('name') or s['id'] for s in api.list('compute', '/servers/detail', 'servers', params={'image': image_id})]
        if names:
            users[image_id] = names
    return users


def apply_absent(api, plan):
    for view in plan.deletes:
        try:
            api.delete('image', '/images/%s' % view['id'])
        except Exception as exc:
            raise OnboardingError("Failed to delete image '%s' (%s) of VNFD %s %s: %s" % (
                view['name'], view['id'], plan.vnfd_id, plan.vnfd_version, describe_error(exc))) from None
    return plan
