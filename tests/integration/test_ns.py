"""telco.nfvo.ns and telco.nfvo.ns_info against the local OpenStack: an NS of two helloworld3 VNFs over one NS VL."""
import json
import os
import uuid

import pytest
import yaml

from vnf_resources import ns_left, ok, owned, writes
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NSD = os.path.join(ROOT, 'tests', 'data', 'nsd', 'two_vnfs_one_vl', 'two_vnfs_one_vl.yaml')
SPEC = os.path.join(ROOT, 'tests', 'data', 'nsd', 'two_vnfs_one_vl', 'spec.yaml')  # the same NS in the compact form
HELLO = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'helloworld3')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VirtualStorage': 'cirros-0.6.3'}
NODES = ('db', 'web')  # the VNF nodes of NSD


@pytest.fixture
def broken_image(sdk):
    """A Glance image with no data (status queued): Nova refuses a server booted from it, at once and every time."""
    name = 'it-ns-queued-%s' % uuid.uuid4().hex[:6]
    image = sdk.image.post('/images', json={'name': name, 'disk_format': 'qcow2', 'container_format': 'bare'}).json()
    yield image['id']
    sdk.image.delete('/images/%s' % image['id'])


@pytest.fixture
def ns_name(sdk, run_module):
    name = 'it-ns-%s' % uuid.uuid4().hex[:6]
    yield name
    ok(run_module('telco.nfvo.ns', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}))


def vnfcs(sdk, name, node):
    iid = T.vnf_instance_id(sdk.current_project_id, T.ns_vnf_name(name, node))
    return {s.metadata['nfvo_vnfc_id']: s for s in owned(sdk, iid)['servers']}


def ns_deploy(run_playbook, tmp_path, check=False, **role_vars):
    """Run the telco.nfvo.ns_deploy role once; its ns_deploy_result."""
    out = tmp_path / ('ns-deploy-%s.json' % uuid.uuid4().hex[:6])
    play = [{'hosts': 'localhost', 'gather_facts': False,
             'roles': [{'role': 'telco.nfvo.ns_deploy', 'vars': dict(role_vars, ns_deploy_cloud='nfvo-tenant')}],
             'post_tasks': [{'ansible.builtin.copy': {'content': '{{ ns_deploy_result | to_json }}', 'dest': str(out)},
                             'check_mode': False, 'diff': False}]}]
    path = tmp_path / 'ns-deploy.yml'
    path.write_text(json.dumps(play))
    run_playbook(str(path), check=check)
    return json.loads(out.read_text())


def test_ns_plan_partial_resume_idempotent_drift_terminate(run_module, run_playbook, sdk, vdu_flavor, http_log, ns_name, broken_image, tmp_path):
    env, lines = http_log
    args = {'name': ns_name, 'nsd': NSD, 'vnfs': {'db': {'package': HELLO, 'images': IMAGES}, 'web': {'package': HELLO, 'images': IMAGES}}}

    # input errors: one line, before any write
    res = run_module('telco.nfvo.ns', dict(args, vnfs=dict(args['vnfs'], cache={'package': HELLO})), check=True)
    assert res.get('failed') and res['msg'].startswith('vnfs.cache: NSD 5b0c5d3e') and 'db, web' in res['msg'], res['msg']
    res = run_module('telco.nfvo.ns', dict(args, vnfs={'db': args['vnfs']['db']}), check=True)
    assert res.get('failed') and 'VNF node web of the NSD has no package' in res['msg'], res['msg']

    # check mode: the whole plan, not a single write
    res = ok(run_module('telco.nfvo.ns', args, check=True, diff=True, env=env))
    assert res['changed'] is True and writes(lines()) == [], writes(lines())
    plan = res['plan']
    assert plan[0]['kind'] == 'ns_anchor' and [a['kind'] for a in plan if a['vnf'] is None][1:] == ['network', 'subnet']
    servers = sorted(a['vnf'] + ' ' + a['key'] for a in plan if a['kind'] == 'server')
    assert servers == ['db server/VDU1-0', 'db server/VDU2-0', 'web server/VDU1-0', 'web server/VDU2-0'], servers
    cp1 = [a for a in plan if a['kind'] == 'port' and a['key'].endswith('/CP1')]
    assert len(cp1) == 2 and all(ns_name + '-ns_vl' in a['spec']['network_id'] for a in cp1), cp1
    assert res['diff']['before']['nsState'] == 'NOT_INSTANTIATED' and res['diff']['after']['virtualLinks'] == ['ns_vl']
    assert ns_left(sdk, ns_name, NODES) == {}
    # the compact spec of the same NS (as a dict, the way a vars file gives it) plans the same
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    res = ok(run_module('telco.nfvo.ns', dict({k: v for k, v in args.items() if k != 'nsd'}, spec=spec), check=True))
    assert [(a['vnf'], a['kind'], a['key']) for a in res['plan']] == [(a['vnf'], a['kind'], a['key']) for a in plan]

    # web fails mid-deploy (its VDU1 image cannot boot), keep: db stays, PARTIALLY_COMPLETED
    failing = dict(args, on_failure='keep', vnfs=dict(args['vnfs'], web={'package': HELLO, 'images': dict(IMAGES, VDU1=broken_image)}))
    res = run_module('telco.nfvo.ns', failing)
    assert res.get('failed') and res['ns_lcm_op_occ']['operationState'] == 'PARTIALLY_COMPLETED', res
    assert 'VNF web: ' in res['msg'] and '\n' not in res['msg'], res['msg']
    affected = {v['vnfProfileId']: v['changeResult'] for v in res['ns_lcm_op_occ']['resourceChanges']['affectedVnfs']}
    assert affected == {'db': 'COMPLETED', 'web': 'FAILED'}, affected
    db = vnfcs(sdk, ns_name, 'db')
    assert sorted(db) == ['VDU1-0', 'VDU2-0'] and all(s.status == 'ACTIVE' for s in db.values())
    net = next(iter(sdk.network.networks(name=T.ns_vl_name(ns_name, 'ns_vl'))))
    cp1 = [p for p in sdk.network.ports(network_id=net.id) if 'nfvo:cp=CP1' in p.tags]
    assert len(cp1) >= 1
    anchor = next(iter(sdk.network.security_groups(name=T.ns_anchor_name(ns_name))))
    assert json.loads(anchor.description)['op']['state'] == 'PARTIALLY_COMPLETED' and 'nfvo:role=ns-anchor' in anchor.tags

    # rerun without the failure: resumes, db untouched
    res = ok(run_module('telco.nfvo.ns', args))
    occ = res['ns_lcm_op_occ']
    assert occ['operationState'] == 'COMPLETED' and [v['vnfProfileId'] for v in occ['resourceChanges']['affectedVnfs']] == ['web'], occ
    assert {k: s.id for k, s in vnfcs(sdk, ns_name, 'db').items()} == {k: s.id for k, s in db.items()}
    web = vnfcs(sdk, ns_name, 'web')
    assert sorted(web) == ['VDU1-0', 'VDU2-0'] and all(s.status == 'ACTIVE' for s in web.values())
    inst = res['ns_instance']
    assert inst['nsState'] == 'INSTANTIATED' and inst['nsdId'] == '5b0c5d3e-8a8e-4c36-9d1a-2f0f3c1f0a01' and inst['flavourId'] == 'default'
    assert sorted(v['vnfInstanceName'] for v in inst['vnfInstance']) == [ns_name + '-db', ns_name + '-web']
    assert [v['nsVirtualLinkDescId'] for v in inst['virtualLinkInfo']] == ['ns_vl'] and inst['virtualLinkInfo'][0]['cidr'] == ['10.10.0.0/24']
    assert all(s.metadata['nfvo_ns_instance_id'] == inst['id'] for s in list(web.values()) + list(db.values()))
    assert any(e['resource_type'] == 'server' and e['ns_instance_id'] == inst['id'] for e in res['usage_events'])

    # the same task again: unchanged, no write at all
    before = len(lines())
    res = ok(run_module('telco.nfvo.ns', args, env=env))
    assert res['changed'] is False and 'ns_lcm_op_occ' not in res
    assert writes(lines()[before:]) == [], writes(lines()[before:])

    # ns_info: no drift; then a server deleted behind our back
    [got] = ok(run_module('telco.nfvo.ns_info', {'name': ns_name}))['ns_instances']
    assert got['id'] == inst['id'] and got['metadata']['drift'] == [], got['metadata']['drift']
    sdk.compute.delete_server(web['VDU1-0'])
    sdk.compute.wait_for_delete(web['VDU1-0'], wait=120)
    [got] = ok(run_module('telco.nfvo.ns_info', {'name': ns_name}))['ns_instances']
    assert [(d['vnf'], d['resource']) for d in got['metadata']['drift']] == [('web', 'VNF web: server VDU1-0')], got['metadata']['drift']

    # the ns_deploy role, from the compact spec: check mode plans web's missing VNFC back, and nothing else
    res = ns_deploy(run_playbook, tmp_path, check=True, ns_deploy_name=ns_name, ns_deploy_spec=spec, ns_deploy_onboard=False,
                    ns_deploy_vnfs=args['vnfs'])
    assert res['changed'] is True and sorted(a['vnf'] + ' ' + a['key'] for a in res['plan'] if a['kind'] == 'server') == ['web server/VDU1-0']

    # terminate (through the role): nothing left
    res = ns_deploy(run_playbook, tmp_path, ns_deploy_name=ns_name, ns_deploy_state='absent')
    assert res['ns_lcm_op_occ']['operationState'] == 'COMPLETED' and res['ns_lcm_op_occ']['lcmOperationType'] == 'TERMINATE'
    assert ns_left(sdk, ns_name, NODES) == {}
    assert ok(run_module('telco.nfvo.ns', {'name': ns_name, 'state': 'absent'}))['changed'] is False
