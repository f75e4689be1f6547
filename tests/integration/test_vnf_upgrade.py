"""telco.nfvo.vnf_change operation change_vnfpkg and the role telco.nfvo.vnf_upgrade on the local OpenStack: v2_basic_min
with VDU1 x4 (+ VDU2 x1) moved to a version 2.0 of its package with another image, max_unavailable 1, the health gate an
HTTP server of the test on 127.0.0.1 that fails for VDU1-1 (the 2nd batch) -> rolled back, every VNFC on the old image,
same servers and fixed IPs; then a clean upgrade through the role (2 VNFCs a batch, the user's tasks between batches);
a second run changes nothing with zero writes; a version 3.0 whose VDU2 has another compute flavour: one mixed batch,
VDU1 rebuilt on the old image, VDU2-0 recreated on the new flavour with the same port and IP; telco.nfvo.vnf given
version 1.0 again moves it back (declarative: VDU2-0 recreated on its old flavour), then changes nothing; nothing
left behind."""
import http.server
import os
import shutil
import threading
import uuid

import pytest
import yaml

from test_vnf_package import qcow2
from vnf_resources import assert_nothing_left, instance_id_of, ok, owned, writes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
OLD_IMAGE = 'cirros-0.6.3'


def package(dest, version, vdu2_memory=None):
    """v2_basic_min with VDU1 up to 4 VNFCs (aspect VDU1_scale up to level 3), no affinity rule, as VNFD version ``version``;
    ``vdu2_memory``: VDU2's virtual memory in MB (another compute flavour)."""
    shutil.copytree(BASIC, dest)
    path = os.path.join(dest, 'Definitions', 'v2_sample2_df_simple.yaml')
    with open(path) as f:
        doc = yaml.safe_load(f)
    topo = doc['topology_template']
    topo['node_templates']['VDU1']['properties']['vdu_profile']['max_number_of_instances'] = 4
    if vdu2_memory:
        compute = topo['node_templates']['VDU2']['capabilities']['virtual_compute']['properties']
        compute['virtual_memory']['virtual_mem_size'] = '%d MB' % vdu2_memory
    policies = []
    for entry in topo['policies']:
        body = next(iter(entry.values()))
        if body['type'] == 'tosca.policies.nfv.AffinityRule':
            continue
        if body['type'] == 'tosca.policies.nfv.ScalingAspects':
            body['properties']['aspects']['VDU1_scale']['max_scale_level'] = 3
        policies.append(entry)
    topo['policies'] = policies
    topo.pop('groups', None)
    with open(path, 'w') as f:
        yaml.safe_dump(doc, f, sort_keys=False)
    top = os.path.join(dest, 'Definitions', 'v2_sample2_top.vnfd.yaml')
    with open(top) as f:
        text = f.read()
    with open(top, 'w') as f:
        f.write(text.replace("descriptor_version: '1.0'", "descriptor_version: '%s'" % version))
    return str(dest)


class Health(http.server.BaseHTTPRequestHandler):
    """GET /<vnfc>: 500 for the VNFCs in ``failing``, else 200; every path asked noted in ``asked``."""
    failing, asked = set(), []

    def do_GET(self):  # noqa: N802 (the http.server name)
        vnfc = self.path.strip('/')
        Health.asked.append(vnfc)
        self.send_response(500 if vnfc in Health.failing else 200)
        self.end_headers()

    def log_message(self, *args):
        return


@pytest.fixture
def health():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Health.failing, Health.asked = set(), []
    yield 'http://127.0.0.1:%d/{vnfc}' % server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def new_image(sdk):
    image = sdk.image.create_image(name='it-upg-%s' % uuid.uuid4().hex[:6], data=qcow2(7), disk_format='qcow2', container_format='bare')
    yield image
    sdk.image.delete_image(image)


@pytest.fixture
def big_flavor(admin_sdk):
    """A public flavor for VDU2 of version 3.0 (1 vCPU, 640 MB, 3 GB)."""
    flavor = admin_sdk.compute.create_flavor(name='it-upg-1-640-3-%s' % uuid.uuid4().hex[:6], vcpus=1, ram=640, disk=3, is_public=True)
    yield flavor
    admin_sdk.compute.delete_flavor(flavor)


def state(sdk, iid):
    """{VNFC: (server id, image id, fixed IPs)} of the instance."""
    ips = {}
    for p in owned(sdk, iid)['ports']:
        vnfc = dict(t.split('=', 1) for t in p.tags if '=' in t).get('nfvo:vnfc')
        ips.setdefault(vnfc, []).extend(ip['ip_address'] for ip in p.fixed_ips)
    return {s.metadata['nfvo_vnfc_id']: (s.id, s.image['id'], sorted(ips.get(s.metadata['nfvo_vnfc_id']) or []))
            for s in owned(sdk, iid)['servers']}


def test_rolling_upgrade_rolled_back_by_the_health_gate_then_done_by_the_role(tmp_path, sdk, run_module, run_playbook, http_log,
                                                                              vdu_flavor, big_flavor, health, new_image):
    env, lines = http_log
    name = 'it-upg-%s' % uuid.uuid4().hex[:6]
    v1, v2 = package(tmp_path / 'v1', '1.0'), package(tmp_path / 'v2', '2.0')
    iid = instance_id_of(sdk, name)
    images = {'VDU1': new_image.id, 'VDU2': new_image.id}
    change = {'name': name, 'operation': 'change_vnfpkg', 'package': v2, 'images': images, 'max_unavailable': 1}
    try:
        ok(run_module('telco.nfvo.vnf', {'name': name, 'package': v1, 'images': {'VDU1': OLD_IMAGE, 'VDU2': OLD_IMAGE},
                                         'scale_levels': {'VDU1_scale': 3}}))
        before = state(sdk, iid)
        assert sorted(before) == ['VDU1-0', 'VDU1-1', 'VDU1-2', 'VDU1-3', 'VDU2-0'], before
        old_image = before['VDU1-0'][1]

        # check mode: the batch plan, no write
        mark = len(lines())
        plan = ok(run_module('telco.nfvo.vnf_change', change, check=True, env=env))
        assert writes(lines()[mark:]) == [] and plan['changed']
        assert [[s['vnfc'] for s in b] for b in plan['upgrade']['batches']] == [['VDU1-0', 'VDU2-0'], ['VDU1-1'], ['VDU1-2'], ['VDU1-3']]
        assert {s['mode'] for b in plan['upgrade']['batches'] for s in b} == {'rebuild'}

        # the health gate fails for VDU1-1 (batch 2): every changed VNFC rebuilt back, same servers and IPs
        Health.failing = {'VDU1-1'}
        failed = run_module('telco.nfvo.vnf_change', dict(change, health_check={'http_url': health, 'timeout': 3}), env=env)
        assert failed.get('failed') and failed['lcm_op_occ']['operationState'] == 'ROLLED_BACK', failed
        assert failed['msg'].startswith('Failed the health check of server VDU1-1 (VNF %s) after its rebuild: HTTP 500 from ' % name), failed['msg']
        assert {'VDU1-0', 'VDU2-0', 'VDU1-1'} <= set(Health.asked) and 'VDU1-2' not in Health.asked
        assert state(sdk, iid) == before
        assert failed['vnf_instance']['vnfdVersion'] == '1.0' and failed['upgrade']['batches_left'] == 4

        # a clean upgrade through the role, 2 VNFCs of VDU1 a batch, the user's tasks between batches
        Health.failing = set()
        hook, trace = tmp_path / 'between.yml', tmp_path / 'between.log'
        hook.write_text(yaml.safe_dump([{'name': 'note the batch', 'ansible.builtin.lineinfile': {
            'path': str(trace), 'create': True, 'line': "{{ vnf_upgrade_result.upgrade.batches_left }}"}}]))
        play = [{'hosts': 'localhost', 'gather_facts': False, 'roles': [{'role': 'telco.nfvo.vnf_upgrade', 'vars': {
            'vnf_upgrade_cloud': 'nfvo-tenant', 'vnf_upgrade_name': name, 'vnf_upgrade_package': v2, 'vnf_upgrade_images': images,
            'vnf_upgrade_max_unavailable': {'VDU1': 2}, 'vnf_upgrade_health_check': {'http_url': health, 'timeout': 10},
            'vnf_upgrade_between_batches_tasks': str(hook)}}]}]
        path = tmp_path / 'upgrade.yml'
        path.write_text(yaml.safe_dump(play))
        run_playbook(str(path), env=env)
        assert trace.read_text().split() == ['1']  # between batch 1 and 2 only
        after = state(sdk, iid)
        assert {v: (sid, ips) for v, (sid, dummy, ips) in after.items()} == {v: (sid, ips) for v, (sid, dummy, ips) in before.items()}
        assert {img for dummy, img, dummy2 in after.values()} == {new_image.id} != {old_image}

        # the same package again: unchanged, zero writes; the record names version 2.0
        mark = len(lines())
        again = ok(run_module('telco.nfvo.vnf_change', change, env=env))
        assert not again['changed'] and writes(lines()[mark:]) == [] and again['upgrade']['batches_left'] == 0
        assert again['vnf_instance']['vnfdVersion'] == '2.0'

        # version 3.0, VDU2 of another compute flavour: one batch mixing the rebuild of VDU1 (x4, on the old image) and the
        # recreate of VDU2-0 (a new server of the new flavour on the same port: the same IP)
        v3 = package(tmp_path / 'v3', '3.0', vdu2_memory=640)
        mixed = ok(run_module('telco.nfvo.vnf_change', dict(change, package=v3, images={'VDU1': OLD_IMAGE, 'VDU2': new_image.id},
                                                            max_unavailable={'VDU1': 4})))
        assert [[(s['vnfc'], s['mode']) for s in b] for b in mixed['upgrade']['batches']] == [
            [('VDU1-0', 'rebuild'), ('VDU1-1', 'rebuild'), ('VDU1-2', 'rebuild'), ('VDU1-3', 'rebuild'), ('VDU2-0', 'recreate')]]
        assert mixed['vnf_instance']['vnfdVersion'] == '3.0'
        assert sorted((v['id'], v['changeType']) for v in mixed['lcm_op_occ']['resourceChanges']['affectedVnfcs']) == [
            ('VDU1-0', 'MODIFIED'), ('VDU1-1', 'MODIFIED'), ('VDU1-2', 'MODIFIED'), ('VDU1-3', 'MODIFIED'), ('VDU2-0', 'MODIFIED')]
        now = state(sdk, iid)
        assert {v: (sid, img, ips) for v, (sid, img, ips) in now.items() if v != 'VDU2-0'} == {
            v: (sid, old_image, ips) for v, (sid, dummy, ips) in before.items() if v != 'VDU2-0'}
        assert now['VDU2-0'][0] != before['VDU2-0'][0] and now['VDU2-0'][1:] == (new_image.id, before['VDU2-0'][2])
        assert sdk.compute.get_server(now['VDU2-0'][0]).flavor.ram == big_flavor.ram == 640

        # declared through telco.nfvo.vnf: version 1.0 again is a rolling upgrade back (VDU2-0 recreated on its old
        # flavour and image, the same IP), then nothing to do
        back = {'name': name, 'package': v1, 'images': {'VDU1': OLD_IMAGE, 'VDU2': OLD_IMAGE}, 'scale_levels': {'VDU1_scale': 3}}
        moved = ok(run_module('telco.nfvo.vnf', back))
        assert moved['changed'] and moved['lcm_op_occ']['operation'] == 'CHANGE_VNFPKG' and moved['vnf_instance']['vnfdVersion'] == '1.0'
        final = state(sdk, iid)
        assert {v: (img, ips) for v, (dummy, img, ips) in final.items()} == {v: (img, ips) for v, (dummy, img, ips) in before.items()}
        assert {v: sid for v, (sid, dummy, dummy2) in final.items() if v != 'VDU2-0'} == {
            v: sid for v, (sid, dummy, dummy2) in before.items() if v != 'VDU2-0'}
        assert sdk.compute.get_server(final['VDU2-0'][0]).flavor.ram == vdu_flavor.ram == 512
        mark = len(lines())
        assert not ok(run_module('telco.nfvo.vnf', back, env=env))['changed'] and writes(lines()[mark:]) == []
    finally:
        ok(run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}))
    assert_nothing_left(sdk, iid)
