# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure part of onboarding: which images to upload, reuse, map, delete, or refuse. No cloud, no Ansible."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import onboarding as po
from ansible_collections.telco.nfvo.plugins.module_utils.tags import IMAGE_PROPS, tag
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

DATA = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'data', 'vnf_packages')
IMAGE_FILE = 'Files/images/cirros-0.5.2-x86_64-disk.img'
SAMPLE_HASH = '6b813aa46bb90b4da216a4d19376593fa3f4fc7e617f03a92b7fe11e9a3981cbe8f0959dbebe36225e5f53dc4492341a4863cac4ed1ee0909f3fc78ef9c3e869'


def images_of(sample, tmp_path=None, carry=None):
    """Package.images() of a sample; with ``carry`` (bytes) the sample gets its image file, declared checksum updated."""
    src = os.path.join(DATA, sample)
    if carry is not None:
        dst = tmp_path / sample.replace('/', '_')
        shutil.copytree(src, dst)
        for path in (dst / 'Definitions').iterdir():
            path.write_text(path.read_text().replace(SAMPLE_HASH, hashlib.sha512(carry).hexdigest()))
        (dst / 'Files' / 'images').mkdir(parents=True)
        (dst / IMAGE_FILE).write_bytes(carry)
        src = str(dst)
    pkg = read_package(src)
    return pkg.vnfd.descriptor_id, pkg.vnfd.descriptor_version, pkg.images()


def glance(id, name, vnfd=None, version=None, sw_image=None, sha512=None, ours_checksum=None, status='active'):
    """An image view as image_view() makes it from an API dict."""
    image = {'id': id, 'name': name, 'status': status, 'visibility': 'private', 'tags': [], 'size': 1,
             'os_hash_algo': 'sha512' if sha512 else None, 'os_hash_value': sha512, 'disk_format': 'qcow2'}
    if vnfd:
        image['tags'] = [tag('vnfd', vnfd)]
        image.update({IMAGE_PROPS['vnfd']: vnfd, IMAGE_PROPS['vnfd_version']: version, IMAGE_PROPS['sw_image']: sw_image})
    if ours_checksum:
        image[IMAGE_PROPS['checksum']] = ours_checksum
    return po.image_view(image)


@pytest.fixture
def hello(tmp_path):
    return images_of('helloworld3', tmp_path, carry=b'image-bytes')


def actions(plan):
    return [(r['name'], r['action'], r['glance_id']) for r in plan.results()]


def test_image_view_takes_openstacksdk_names_and_keeps_only_our_properties():
    class Image:  # the attributes an openstacksdk Image resource has
        id, name, status, visibility, tags, size = 'i1', 'img', 'active', 'private', ['b', 'a'], 3
        hash_algo, hash_value, disk_format, min_disk, min_ram = 'sha512', 'ab', 'raw', 1, 0
        properties = {'nfvo_vnfd_id': 'v', 'os_distro': 'cirros', 'nfvo_managed_by': 'telco.nfvo'}
    view = po.image_view(Image())
    assert view['tags'] == ['a', 'b'] and view['hash_algo'] == 'sha512' and view['hash_value'] == 'ab'
    assert view['properties'] == {'nfvo_vnfd_id': 'v', 'nfvo_managed_by': 'telco.nfvo'}


def test_checksum_comparison():
    sha512 = hashlib.sha512(b'x').hexdigest()
    sha256 = hashlib.sha256(b'x').hexdigest()
    view = glance('i', 'n', sha512=sha512)
    assert po.checksum_matches(view, {'algorithm': 'sha-512', 'hash': sha512.upper()}) is True
    assert po.checksum_matches(view, {'algorithm': 'SHA-512', 'hash': 'ff'}) is False
    # Glance hashed with sha512, the VNFD declares sha-256: only our property can tell
    assert po.checksum_matches(view, {'algorithm': 'sha-256', 'hash': sha256}) is None
    view = glance('i', 'n', sha512=sha512, ours_checksum='sha256:' + sha256)
    assert po.checksum_matches(view, {'algorithm': 'sha-256', 'hash': sha256}) is True
    assert po.checksum_matches(view, {'algorithm': 'sha-256', 'hash': 'ff'}) is False
    assert po.checksum_matches(view, None) is None
    assert po.checksum_matches(view, {'algorithm': 'md5', 'hash': 'ff'}) is None


def test_first_run_uploads_shared_content_once(hello):
    vnfd_id, version, sw = hello
    plan = po.plan_present(sw, vnfd_id, version, glance=[])
    assert actions(plan) == [('Software of VDU1', 'uploaded', None), ('VirtualStorage', 'reused', None)]
    assert len(plan.uploads) == 1 and plan.changed
    upload = plan.uploads[0]
    assert upload.file == IMAGE_FILE and upload.name == 'Software of VDU1'
    assert upload.sw_images == ['Software of VDU1', 'VirtualStorage']
    assert (upload.min_disk, upload.min_ram) == (2, 256)  # the stricter of the two
    assert upload.disk_format == 'qcow2' and upload.container_format == 'bare'
    diff = plan.diff()
    assert diff['before'] == {'images': []}
    assert [(i['name'], i['id'], i['checksum']) for i in diff['after']['images']] == [
        ('Software of VDU1', None, 'sha512:' + hashlib.sha512(b'image-bytes').hexdigest())]


def test_second_run_is_an_empty_plan(hello):
    vnfd_id, version, sw = hello
    mine = glance('g1', 'Software of VDU1', vnfd_id, version, 'Software of VDU1', sha512=hashlib.sha512(b'image-bytes').hexdigest())
    plan = po.plan_present(sw, vnfd_id, version, glance=[mine])
    assert not plan.changed and plan.uploads == []
    assert actions(plan) == [('Software of VDU1', 'unchanged', 'g1'), ('VirtualStorage', 'unchanged', 'g1')]
    assert plan.diff()['before'] == plan.diff()['after']


def test_other_version_is_reused_other_vnfd_is_not(hello):
    vnfd_id, version, sw = hello
    digest = hashlib.sha512(b'image-bytes').hexdigest()
    older = glance('g0', 'Software of VDU1', vnfd_id, '0.9', 'Software of VDU1', sha512=digest)
    plan = po.plan_present(sw, vnfd_id, version, glance=[older])
    assert actions(plan) == [('Software of VDU1', 'reused', 'g0'), ('VirtualStorage', 'reused', 'g0')]
    assert not plan.changed and plan.diff()['before'] == {'images': []}
    # same content, onboarded for another VNFD, or not ours, or not active: upload our own
    for view in (glance('g2', 'x', 'other-vnfd', version, 'x', sha512=digest), glance('g3', 'Software of VDU1', sha512=digest),
                 glance('g4', 'Software of VDU1', vnfd_id, version, 'Software of VDU1', sha512=digest, status='queued')):
        assert po.plan_present(sw, vnfd_id, version, glance=[view]).uploads, view


def test_image_not_carried_is_found_by_name_and_checksum():
    vnfd_id, version, sw = images_of('getting_started')
    assert not sw[0]['carried']
    found = glance('op', 'Software of VDU1', sha512=SAMPLE_HASH)
    plan = po.plan_present(sw, vnfd_id, version, glance=[glance('x', 'other', sha512=SAMPLE_HASH), found])
    assert actions(plan) == [('Software of VDU1', 'reused', 'op')] and not plan.changed


def test_image_not_carried_and_missing_is_refused_naming_it():
    vnfd_id, version, sw = images_of('getting_started')
    with pytest.raises(po.OnboardingError) as err:
        po.plan_present(sw, vnfd_id, version, glance=[])
    assert str(err.value) == ("software image 'Software of VDU1' (simple/VDU1): file %s is not in the package and no "
                              "Glance image is named 'Software of VDU1'; upload it or map it with images" % IMAGE_FILE)
    with pytest.raises(po.OnboardingError, match="Glance image 'Software of VDU1' has another checksum"):
        po.plan_present(sw, vnfd_id, version, glance=[glance('op', 'Software of VDU1', sha512='ff')])
    # a name match that cannot be compared is refused with verify_checksum, accepted without
    uncomparable = glance('op', 'Software of VDU1')
    with pytest.raises(po.OnboardingError, match="has no sha-512 checksum to compare"):
        po.plan_present(sw, vnfd_id, version, glance=[uncomparable])
    plan = po.plan_present(sw, vnfd_id, version, glance=[uncomparable], verify_checksum=False)
    assert actions(plan) == [('Software of VDU1', 'reused', 'op')]


def test_every_missing_image_is_named():
    vnfd_id, version, sw = images_of('helloworld3')
    with pytest.raises(po.OnboardingError) as err:
        po.plan_present(sw, vnfd_id, version, glance=[])
    assert "'Software of VDU1' (simple/VDU1)" in str(err.value) and "'VirtualStorage' (simple/VirtualStorage)" in str(err.value)
    assert '\n' not in str(err.value)


def test_practical_image_without_file_and_two_flavours():
    vnfd_id, version, sw = images_of('practical')
    assert len(sw) == 1 and sw[0]['file'] is None
    with pytest.raises(po.OnboardingError, match=r"'sample_image' \(ha/VDU_0, ha/VDU_1, scalable/VDU_0, scalable/VDU_1, "
                                                 r"scalable/VDU_2\): the package carries no image file"):
        po.plan_present(sw, vnfd_id, version, glance=[])
    # mapping one VDU maps the software image for all its users
    plan = po.plan_present(sw, vnfd_id, version, glance=[glance('img', 'vendor-image')], mapping={'VDU_2': 'vendor-image'},
                           verify_checksum=False)
    assert actions(plan) == [('sample_image', 'mapped', 'img')]


def test_mapping():
    vnfd_id, version, sw = images_of('helloworld3')
    views = [glance('c1', 'cirros'), glance('d1', 'dup'), glance('d2', 'dup')]
    plan = po.plan_present(sw, vnfd_id, version, glance=views, mapping={'VDU1': 'cirros', 'VirtualStorage': 'c1'})
    assert actions(plan) == [('Software of VDU1', 'mapped', 'c1'), ('VirtualStorage', 'mapped', 'c1')]
    assert not plan.changed
    with pytest.raises(po.OnboardingError, match=r"^images: 'VDU7' is neither a VDU nor a software image of the package "
                                                 r"\(known: Software of VDU1, VDU1, VirtualStorage\)$"):
        po.plan_present(sw, vnfd_id, version, glance=views, mapping={'VDU7': 'cirros'})
    with pytest.raises(po.OnboardingError, match="^images: VDU1: no Glance image named or with id 'nope'"):
        po.plan_present(sw, vnfd_id, version, glance=views, mapping={'VDU1': 'nope', 'VirtualStorage': 'c1'})
    with pytest.raises(po.OnboardingError, match=r"^images: VDU1: 2 Glance images are named 'dup': map it by id \(d1, d2\)$"):
        po.plan_present(sw, vnfd_id, version, glance=views, mapping={'VDU1': 'dup', 'VirtualStorage': 'c1'})
    with pytest.raises(po.OnboardingError, match="is mapped to different Glance images"):
        po.plan_present(sw, vnfd_id, version, glance=views, mapping={'VDU1': 'cirros', 'Software of VDU1': 'd1'})


def test_mapped_image_with_another_checksum(hello):
    vnfd_id, version, sw = hello
    views = [glance('c1', 'cirros', sha512='ff')]
    with pytest.raises(po.OnboardingError, match=r"^software image 'Software of VDU1' \(simple/VDU1\) is mapped to Glance "
                                                 r"image 'cirros' \(c1\) whose checksum differs from the VNFD's sha-512"):
        po.plan_present(sw, vnfd_id, version, glance=views, mapping={'VDU1': 'cirros'})
    plan = po.plan_present(sw, vnfd_id, version, glance=views, mapping={'VDU1': 'cirros'}, verify_checksum=False)
    assert actions(plan) == [('Software of VDU1', 'mapped', 'c1'), ('VirtualStorage', 'uploaded', None)]


def test_absent_plan_and_servers_in_use(hello):
    vnfd_id, version, sw = hello
    digest = hashlib.sha512(b'image-bytes').hexdigest()
    mine = glance('g1', 'Software of VDU1', vnfd_id, version, 'Software of VDU1', sha512=digest)
    older = glance('g0', 'Software of VDU1', vnfd_id, '0.9', 'Software of VDU1', sha512=digest)
    other = glance('c1', 'cirros', sha512=digest)
    plan = po.plan_absent(sw, vnfd_id, version, [mine, older, other])
    assert [v['id'] for v in plan.deletes] == ['g1'] and plan.changed
    assert actions(plan) == [('Software of VDU1', 'deleted', 'g1'), ('VirtualStorage', 'deleted', 'g1')]
    assert plan.diff()['after'] == {'images': []} and [i['id'] for i in plan.diff()['before']['images']] == ['g1']
    po.check_in_use(plan, {})
    po.check_in_use(plan, {'c1': ['x']})
    with pytest.raises(po.OnboardingError) as err:
        po.check_in_use(plan, {'g1': ['vm-b', 'vm-a']})
    assert str(err.value) == ("image 'Software of VDU1' (g1) of VNFD %s %s is used by servers vm-a, vm-b: delete the VNF "
                              "instances first or set force: true" % (vnfd_id, version))
    po.check_in_use(plan, {'g1': ['vm-a']}, force=True)
    empty = po.plan_absent(sw, vnfd_id, version, [older, other])
    assert not empty.changed and {r['action'] for r in empty.results()} == {'unchanged'}


def test_planning_imports_neither_ansible_nor_openstacksdk():
    # every pure file of vnfd/ (all but glance.py and runners.py); our own openstack/ and base/module.py count as cloud too
    code = ('import sys; from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import onboarding as package_onboarding; '
            'from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import etsi_types, flavours, manifest, model, policies, '
            'reader, sources, tosca; '
            'print(sorted(m for m in sys.modules if m.split(".")[0] in ("ansible", "openstack", "keystoneauth1") or m.startswith('
            '("ansible_collections.telco.nfvo.plugins.module_utils.openstack", "ansible_collections.telco.nfvo.plugins.module_utils.base.module", '
            '"ansible_collections.telco.nfvo.plugins.module_utils.vnfd.glance", "ansible_collections.telco.nfvo.plugins.module_utils.vnfd.runners"))))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert out.stdout.strip() == '[]'
