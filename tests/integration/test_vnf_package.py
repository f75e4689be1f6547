# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""telco.nfvo.vnf_package and telco.nfvo.vnf_package_info against the local OpenStack.

Test packages are the Tacker samples of tests/data/vnf_packages with a tiny real qcow2 image added (the samples
name image files they do not carry), the VNFD's checksum updated, a SOL004 manifest and a fresh VNFD id per test
(so tests running side by side never see each other's images).
"""
import hashlib
import os
import re
import shutil
import struct
import uuid
import zipfile

import pytest

from vnf_resources import writes

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data', 'vnf_packages')
SAMPLE_ID = 'b1bb0ce7-ebca-4fa7-95ed-4840d70a1177'
SAMPLE_HASH = '6b813aa46bb90b4da216a4d19376593fa3f4fc7e617f03a92b7fe11e9a3981cbe8f0959dbebe36225e5f53dc4492341a4863cac4ed1ee0909f3fc78ef9c3e869'
IMAGE_FILE = 'Files/images/cirros-0.5.2-x86_64-disk.img'
MOD, INFO = 'telco.nfvo.vnf_package', 'telco.nfvo.vnf_package_info'


def qcow2(seed=0, virtual_size=1 << 20):
    """A minimal valid qcow2 (header, refcount table and block, empty L1 table): Glance inspects uploads."""
    c = 1 << 16
    header = struct.pack('>4sIQIIQIIQQIIQ', b'QFI\xfb', 2, 0, 0, 16, virtual_size, 0, 1, 3 * c, c, 1, 0, 0)
    buf = bytearray(4 * c)
    buf[:len(header)] = header
    buf[c:c + 8] = struct.pack('>Q', 2 * c)
    for i in range(4):
        buf[2 * c + 2 * i:2 * c + 2 * i + 2] = struct.pack('>H', 1)
    buf[-8:] = struct.pack('>Q', seed)  # distinct content per seed, in an unreferenced spot of the last cluster
    return bytes(buf)


def make_package(tmp_path, sample='getting_started', image=None, declared=None, algorithm='sha-512', zipped=False,
                 version=None, sw_name=None):
    """Copy a sample with a new VNFD id; add ``image`` (bytes) as its image file unless None; declare the checksum
    of ``declared`` (bytes; default: the image) in the VNFD. Returns (path, vnfd_id)."""
    vnfd_id = str(uuid.uuid4())
    root = tmp_path / ('%s-%s' % (sample, vnfd_id[:8]))
    shutil.copytree(os.path.join(DATA, sample), root)
    content = declared if declared is not None else image
    name = algorithm.replace('-', '')
    digest = hashlib.new(name, content).hexdigest() if content is not None else SAMPLE_HASH
    for path in (root / 'Definitions').iterdir():
        text = path.read_text()
        text = text.replace(SAMPLE_ID, vnfd_id).replace(SAMPLE_HASH, digest)
        text = text.replace('algorithm: sha-512', 'algorithm: %s' % algorithm)
        if version:
            text = text.replace("descriptor_version: '1.0'", "descriptor_version: '%s'" % version)
        if sw_name:
            text = text.replace('name: Software of VDU1', 'name: %s' % sw_name)
        path.write_text(text)
    if image is not None:
        (root / 'Files' / 'images').mkdir(parents=True)
        (root / IMAGE_FILE).write_bytes(image)
        (root / 'manifest.mf').write_text(
            'metadata:\n  vnf_product_name: Sample VNF\n  vnf_provider_id: Company\n  vnf_package_version: 1.0\n'
            '  vnf_release_date_time: 2026-01-01T00:00:00+00:00\n\n'
            'Source: %s\nAlgorithm: SHA-256\nHash: %s\n' % (IMAGE_FILE, hashlib.sha256(image).hexdigest()))
    if zipped:
        csar = tmp_path / ('%s.csar' % root.name)
        with zipfile.ZipFile(csar, 'w', zipfile.ZIP_DEFLATED) as zf:
            for dirpath, _dirs, files in os.walk(root):
                for f in files:
                    full = os.path.join(dirpath, f)
                    zf.write(full, os.path.relpath(full, root))
        return str(csar), vnfd_id
    return str(root), vnfd_id


def ours(sdk, vnfd_id):
    """Every image (any status) with our tag for this VNFD."""
    return list(sdk.image.images(tag='nfvo:vnfd=%s' % vnfd_id))


@pytest.fixture
def cleanup(sdk):
    vnfd_ids = []
    yield vnfd_ids
    for vnfd_id in vnfd_ids:
        for image in ours(sdk, vnfd_id):
            sdk.image.delete_image(image.id, ignore_missing=True)


def test_onboard_twice_uploads_once_then_changes_nothing(tmp_path, run_module, sdk, http_log, cleanup):
    src, vnfd_id = make_package(tmp_path, 'helloworld3', image=qcow2(1), zipped=True)
    cleanup.append(vnfd_id)
    res = run_module(MOD, {'src': src}, diff=True)
    assert not res.get('failed'), res
    assert res['changed'] is True
    assert res['package']['vnfd_id'] == vnfd_id and res['package']['vnfd_version'] == '1.0'
    by_name = {i['name']: i for i in res['images']}
    # VDU1's image and the VirtualStorage image have the same content: one upload, shared
    assert by_name['Software of VDU1']['action'] == 'uploaded'
    assert by_name['VirtualStorage']['action'] == 'reused'
    glance_id = by_name['Software of VDU1']['glance_id']
    assert glance_id and by_name['VirtualStorage']['glance_id'] == glance_id
    images = ours(sdk, vnfd_id)
    assert [i.id for i in images] == [glance_id]
    image = images[0]
    assert image.status == 'active' and image.visibility == 'private' and image.disk_format == 'qcow2'
    assert image.properties['nfvo_vnfd_id'] == vnfd_id and image.properties['nfvo_vnfd_version'] == '1.0'
    assert image.properties['nfvo_sw_image'] == 'Software of VDU1'
    assert image.min_disk == 2 and image.min_ram == 256  # the stricter of the two software images
    assert image.hash_value == hashlib.sha512(qcow2(1)).hexdigest()
    assert res['diff']['before'] == {'images': []}
    assert [(i['id'], i['name']) for i in res['diff']['after']['images']] == [(glance_id, 'Software of VDU1')]

    env, lines = http_log
    again = run_module(MOD, {'src': src}, diff=True, env=env)
    assert not again.get('failed'), again
    assert again['changed'] is False
    assert {i['action'] for i in again['images']} == {'unchanged'}
    assert {i['glance_id'] for i in again['images']} == {glance_id}
    assert again['diff']['before'] == again['diff']['after']
    assert lines(), 'the HTTP log is empty: is tests/integration/httplog on PYTHONPATH?'
    assert writes(lines()) == []
    assert len(ours(sdk, vnfd_id)) == 1


def test_sha256_declared_checksum_is_idempotent_too(tmp_path, run_module, sdk, cleanup):
    """Glance hashes with sha512; a sha-256 VNFD checksum is compared through our checksum property."""
    src, vnfd_id = make_package(tmp_path, image=qcow2(2), algorithm='sha-256')
    cleanup.append(vnfd_id)
    first = run_module(MOD, {'src': src})
    assert not first.get('failed') and first['changed'] and first['images'][0]['action'] == 'uploaded', first
    image = ours(sdk, vnfd_id)[0]
    assert image.properties['nfvo_sw_image_checksum'] == 'sha256:' + hashlib.sha256(qcow2(2)).hexdigest()
    second = run_module(MOD, {'src': src})
    assert second['changed'] is False and second['images'][0]['action'] == 'unchanged', second


def test_new_version_reuses_the_image_of_the_previous_one(tmp_path, run_module, sdk, cleanup):
    src, vnfd_id = make_package(tmp_path, image=qcow2(3))
    cleanup.append(vnfd_id)
    first = run_module(MOD, {'src': src})
    assert first['changed'], first
    newer = str(tmp_path / 'v2')
    shutil.copytree(src, newer)
    for path in os.listdir(os.path.join(newer, 'Definitions')):
        full = os.path.join(newer, 'Definitions', path)
        with open(full) as f:
            text = f.read()
        with open(full, 'w') as f:
            f.write(text.replace("descriptor_version: '1.0'", "descriptor_version: '2.0'"))
    res = run_module(MOD, {'src': newer})
    assert not res.get('failed'), res
    assert res['changed'] is False and res['package']['vnfd_version'] == '2.0'
    assert res['images'][0]['action'] == 'reused' and res['images'][0]['glance_id'] == first['images'][0]['glance_id']


def test_check_mode_returns_the_plan_and_writes_nothing(tmp_path, run_module, sdk, http_log, cleanup):
    src, vnfd_id = make_package(tmp_path, image=qcow2(4))
    cleanup.append(vnfd_id)
    env, lines = http_log
    res = run_module(MOD, {'src': src}, check=True, diff=True, env=env)
    assert not res.get('failed'), res
    assert res['changed'] is True
    assert [(i['name'], i['action'], i['glance_id']) for i in res['images']] == [('Software of VDU1', 'uploaded', None)]
    assert res['diff']['before'] == {'images': []}
    assert [(i['name'], i['id']) for i in res['diff']['after']['images']] == [('Software of VDU1', None)]
    assert lines() and writes(lines()) == []
    assert ours(sdk, vnfd_id) == []


def test_mapped_images(tmp_path, run_module, sdk, cleanup):
    src, vnfd_id = make_package(tmp_path)  # the sample as it is: names an image file it does not carry
    cleanup.append(vnfd_id)
    cirros = sdk.image.find_image('cirros-0.6.3', ignore_missing=False)
    # cirros is not the image the VNFD describes: its checksum differs, refused unless verify_checksum is off
    res = run_module(MOD, {'src': src, 'images': {'VDU1': 'cirros-0.6.3'}})
    assert res.get('failed'), res
    assert "software image 'Software of VDU1' (simple/VDU1) is mapped to Glance image 'cirros-0.6.3'" in res['msg']
    assert 'checksum differs' in res['msg'] and 'verify_checksum: false' in res['msg']
    res = run_module(MOD, {'src': src, 'images': {'VDU1': 'cirros-0.6.3'}, 'verify_checksum': False})
    assert not res.get('failed'), res
    assert res['changed'] is False
    assert [(i['action'], i['glance_id'], i['glance_name']) for i in res['images']] == [('mapped', cirros.id, 'cirros-0.6.3')]
    # by id and by software image name
    res = run_module(MOD, {'src': src, 'images': {'Software of VDU1': cirros.id}, 'verify_checksum': False})
    assert not res.get('failed') and res['images'][0]['glance_id'] == cirros.id, res
    # mapped images are not ours: absent leaves them
    res = run_module(MOD, {'src': src, 'state': 'absent', 'images': {'VDU1': cirros.id}})
    assert not res.get('failed') and res['changed'] is False, res
    assert sdk.image.get_image(cirros.id).status == 'active'
    # a key that names nothing, a value that names no image
    res = run_module(MOD, {'src': src, 'images': {'VDU9': 'cirros-0.6.3'}})
    assert res.get('failed') and "images: 'VDU9' is neither a VDU nor a software image" in res['msg'], res
    res = run_module(MOD, {'src': src, 'images': {'VDU1': 'no-such-image-%s' % vnfd_id[:6]}})
    assert res.get('failed') and "images: VDU1: no Glance image named or with id 'no-such-image-" in res['msg'], res


def test_missing_image_is_refused_naming_it(tmp_path, run_module, sdk, http_log, cleanup):
    src, vnfd_id = make_package(tmp_path)
    cleanup.append(vnfd_id)
    env, lines = http_log
    res = run_module(MOD, {'src': src}, env=env)
    assert res.get('failed'), res
    assert res['msg'] == ("software image 'Software of VDU1' (simple/VDU1): file %s is not in the package and no "
                          "Glance image is named 'Software of VDU1'; upload it or map it with images" % IMAGE_FILE)
    assert writes(lines()) == []


def test_image_not_carried_is_found_by_name_and_checksum(tmp_path, run_module, sdk, cleanup):
    data = qcow2(5)
    name = 'sw-%s' % uuid.uuid4().hex[:8]
    src, vnfd_id = make_package(tmp_path, declared=data, sw_name=name)
    cleanup.append(vnfd_id)
    operator = sdk.image.create_image(name=name, data=data, disk_format='qcow2', container_format='bare',
                                      allow_duplicates=True, wait=True)
    try:
        res = run_module(MOD, {'src': src})
        assert not res.get('failed'), res
        assert res['changed'] is False
        assert [(i['name'], i['action'], i['glance_id']) for i in res['images']] == [(name, 'reused', operator.id)]
        # the same name with other content is not the image the VNFD describes
        other, other_id = make_package(tmp_path, declared=qcow2(6), sw_name=name)
        cleanup.append(other_id)
        res = run_module(MOD, {'src': other})
        assert res.get('failed') and "Glance image '%s' has another checksum" % name in res['msg'], res
    finally:
        sdk.image.delete_image(operator.id, ignore_missing=True)


def test_checksum_mismatch_is_refused_and_nothing_is_left(tmp_path, run_module, sdk, cleanup):
    src, vnfd_id = make_package(tmp_path, 'helloworld3', image=qcow2(7), declared=qcow2(8), zipped=True)
    cleanup.append(vnfd_id)
    res = run_module(MOD, {'src': src})
    assert res.get('failed'), res
    assert res['msg'].startswith("image 'Software of VDU1' (%s): the file has sha512 %s, the VNFD declares %s" % (
        IMAGE_FILE, hashlib.sha512(qcow2(7)).hexdigest(), hashlib.sha512(qcow2(8)).hexdigest())), res['msg']
    assert res['msg'].endswith('; removed the partial image'), res['msg']
    assert ours(sdk, vnfd_id) == []
    # verify_checksum: false uploads it anyway
    res = run_module(MOD, {'src': src, 'verify_checksum': False})
    assert not res.get('failed') and res['changed'], res
    assert len(ours(sdk, vnfd_id)) == 1


def test_glance_refusing_the_data_leaves_nothing(tmp_path, run_module, sdk, cleanup):
    """Zeros are no qcow2: Glance's format inspection refuses them, and the queued image is removed."""
    zeros = b'\0' * 65536
    src, vnfd_id = make_package(tmp_path, image=zeros)
    cleanup.append(vnfd_id)
    res = run_module(MOD, {'src': src})
    assert res.get('failed'), res
    assert res['msg'].startswith("Failed to upload image 'Software of VDU1' (%s) of VNFD %s 1.0: " % (IMAGE_FILE, vnfd_id)), res
    assert '415' in res['msg'] and res['msg'].endswith('; removed the partial image'), res['msg']
    assert '\n' not in res['msg']
    assert ours(sdk, vnfd_id) == []


def test_absent_removes_the_images(tmp_path, run_module, sdk, http_log, cleanup):
    src, vnfd_id = make_package(tmp_path, 'helloworld3', image=qcow2(9))
    cleanup.append(vnfd_id)
    first = run_module(MOD, {'src': src})
    assert first['changed'], first
    glance_id = first['images'][0]['glance_id']
    check = run_module(MOD, {'src': src, 'state': 'absent'}, check=True, diff=True)
    assert check['changed'] is True and len(ours(sdk, vnfd_id)) == 1, check
    assert [i['id'] for i in check['diff']['before']['images']] == [glance_id] and check['diff']['after'] == {'images': []}
    res = run_module(MOD, {'src': src, 'state': 'absent'}, diff=True)
    assert not res.get('failed'), res
    assert res['changed'] is True
    assert {(i['action'], i['glance_id']) for i in res['images']} == {('deleted', glance_id)}
    assert ours(sdk, vnfd_id) == []
    env, lines = http_log
    again = run_module(MOD, {'src': src, 'state': 'absent'}, env=env)
    assert again['changed'] is False and {i['action'] for i in again['images']} == {'unchanged'}, again
    assert writes(lines()) == []


@pytest.fixture
def network(sdk):
    name = 'it-pkg-%s' % uuid.uuid4().hex[:6]
    net = sdk.network.create_network(name=name)
    sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr='10.251.0.0/24', name=name)
    yield net
    sdk.network.delete_network(net)


def test_absent_refused_while_a_server_uses_the_image(tmp_path, run_module, sdk, network, cleanup):
    src, vnfd_id = make_package(tmp_path, image=qcow2(10))
    cleanup.append(vnfd_id)
    first = run_module(MOD, {'src': src})
    assert first['changed'], first
    glance_id = first['images'][0]['glance_id']
    flavor = sdk.compute.find_flavor('m1.tiny', ignore_missing=False)
    server = sdk.compute.create_server(name='it-pkg-%s' % vnfd_id[:6], image_id=glance_id, flavor_id=flavor.id,
                                       networks=[{'uuid': network.id}])
    try:
        server = sdk.compute.wait_for_server(server, status='ACTIVE', wait=180)
        res = run_module(MOD, {'src': src, 'state': 'absent'})
        assert res.get('failed'), res
        assert res['msg'] == ("image 'Software of VDU1' (%s) of VNFD %s 1.0 is used by server %s: delete the VNF "
                              "instances first or set force: true" % (glance_id, vnfd_id, server.name))
        assert [i.id for i in ours(sdk, vnfd_id)] == [glance_id]
        res = run_module(MOD, {'src': src, 'state': 'absent', 'force': True})
        assert not res.get('failed') and res['changed'], res
        assert ours(sdk, vnfd_id) == []
    finally:
        sdk.compute.delete_server(server)
        sdk.compute.wait_for_delete(server, wait=180)


def test_info_without_a_cloud_only_reads(tmp_path, run_module, http_log):
    src, vnfd_id = make_package(tmp_path, 'helloworld3', image=qcow2(11), zipped=True)
    env, lines = http_log
    res = run_module(INFO, {'src': src}, cloud=None, env=env)
    assert not res.get('failed'), res
    assert res['changed'] is False and 'onboarded' not in res
    pkg = res['package']
    assert pkg['vnfd_id'] == vnfd_id and pkg['vnfd_version'] == '1.0'
    assert set(pkg) >= {'vnfd_id', 'vnfd_version', 'provider', 'product_name', 'software_version', 'flavours', 'manifest'}
    flavour = pkg['flavours'][0]
    assert flavour['flavour_id'] == 'simple'
    vdus = {v['name']: v for v in flavour['vdus']}
    assert set(vdus) == {'VDU1', 'VDU2'}
    assert set(vdus['VDU1']) >= {'name', 'min_instances', 'max_instances', 'vcpus', 'memory_mb', 'disk_gb', 'sw_image', 'storage', 'cps'}
    assert pkg['manifest']['present'] and pkg['manifest']['ok']
    assert [e['file'] for e in pkg['manifest']['checked']] == [IMAGE_FILE]
    assert {(i['name'], i['carried']) for i in pkg['images']} == {('Software of VDU1', True), ('VirtualStorage', True)}
    assert lines() == []  # no HTTP request at all
    # check mode reads the same
    res = run_module(INFO, {'src': src}, cloud=None, check=True)
    assert not res.get('failed') and res['package']['vnfd_id'] == vnfd_id


def test_info_with_a_cloud_lists_onboarded_packages(tmp_path, run_module, cleanup):
    src, vnfd_id = make_package(tmp_path, image=qcow2(12))
    cleanup.append(vnfd_id)
    res = run_module(INFO, {'src': src})
    assert not res.get('failed'), res
    assert vnfd_id not in {p['vnfd_id'] for p in res['onboarded']}
    first = run_module(MOD, {'src': src})
    assert first['changed'], first
    res = run_module(INFO, {'src': src})
    mine = [p for p in res['onboarded'] if p['vnfd_id'] == vnfd_id]
    assert len(mine) == 1 and mine[0]['vnfd_version'] == '1.0', res['onboarded']
    assert [(i['id'], i['sw_image'], i['status']) for i in mine[0]['images']] == [
        (first['images'][0]['glance_id'], 'Software of VDU1', 'active')]
    # only the list, no package
    res = run_module(INFO, {})
    assert not res.get('failed') and 'package' not in res and any(p['vnfd_id'] == vnfd_id for p in res['onboarded'])


@pytest.mark.parametrize('sample, message', [
    ('invalid/invalid_instantiation_level',
     "Definitions/tosca_with_vdus.yaml: topology_template.policies[2] VDU1_instantiation_levels: level "
     "'instantiation_level_3' is not defined in the InstantiationLevels of flavour 'simple'"),
    ('invalid/without_flavour_info',
     'Definitions/tosca_with_vdus.yaml: topology_template.substitution_mappings: properties.flavour_id is missing'),
])
@pytest.mark.parametrize('cloud', [None, 'nfvo-tenant'])
def test_invalid_packages_are_refused(run_module, sample, message, cloud):
    res = run_module(INFO, {'src': os.path.join(DATA, sample)}, cloud=cloud)
    assert res.get('failed'), res
    assert res['msg'].startswith(message), res['msg']
    assert 'Traceback' not in str(res)
    res = run_module(MOD, {'src': os.path.join(DATA, sample)})
    assert res.get('failed') and res['msg'].startswith(message), res


def test_manifest_mismatch_is_refused(tmp_path, run_module):
    src, _vnfd_id = make_package(tmp_path, image=qcow2(13))
    with open(os.path.join(src, IMAGE_FILE), 'ab') as f:
        f.write(b'tampered')
    info = run_module(INFO, {'src': src}, cloud=None)  # reading reports the manifest's problems (issue 14)
    assert not info.get('failed') and info['package']['manifest']['ok'] is False, info
    pattern = r'manifest\.mf: %s: line \d+: SHA-256 hash mismatch' % re.escape(IMAGE_FILE)
    assert re.match(pattern, info['package']['manifest']['problems'][0]), info['package']['manifest']
    res = run_module(MOD, {'src': src})  # onboarding stays strict, before any write
    assert res.get('failed') and re.match(pattern, res['msg']), res
