"""A SOL006 (OSM) VNFD on the local OpenStack: tests/data/sol006/v2_basic_min_vnf (the twin of v2_basic_min: VDU1 1..3
with aspect VDU1_scale, VDU2 x1, internalVL3, an affinity group), shipped as OSM ships it (a .tar.gz with one top
directory): read, instantiated, scaled out and in, terminated - nothing left."""
import os
import tarfile
import uuid

import pytest

from vnf_resources import anchor_of, assert_nothing_left, instance_id_of, ok, owned

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TWIN = os.path.join(ROOT, 'tests', 'data', 'sol006', 'v2_basic_min_vnf')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}


@pytest.fixture(scope='module')
def package(tmp_path_factory):
    src = str(tmp_path_factory.mktemp('sol006') / 'v2_basic_min_vnf.tar.gz')
    with tarfile.open(src, 'w:gz') as tf:
        tf.add(TWIN, arcname='v2_basic_min_vnf')
    return src


@pytest.fixture
def vnf_name(sdk, run_module):
    name = 'it-sol006-%s' % uuid.uuid4().hex[:6]
    yield name
    res = run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'})
    assert not res.get('failed'), res.get('msg')
    assert_nothing_left(sdk, instance_id_of(sdk, name))


def vnfcs(sdk, instance_id):
    return sorted(s.metadata['nfvo_vnfc_id'] for s in owned(sdk, instance_id)['servers'])


def test_sol006_vnf_instantiate_scale_terminate(run_module, sdk, vdu_flavor, package, vnf_name):
    info = ok(run_module('telco.nfvo.vnf_package_info', {'src': package}, cloud=None))['package']
    assert info['format'] == 'sol006' and info['sol006_revision'] == '2022-03-08'
    assert [f['flavour_id'] for f in info['flavours']] == ['simple']
    iid = instance_id_of(sdk, vnf_name)

    res = ok(run_module('telco.nfvo.vnf', {'name': vnf_name, 'package': package, 'flavour_id': 'simple', 'images': IMAGES}))
    assert res['changed'] is True and res['lcm_op_occ']['operationState'] == 'COMPLETED'
    inst = res['vnf_instance']
    assert inst['vnfdId'] == 'b1bb0ce7-ebca-4fa7-95ed-4840d7000000' and inst['instantiatedVnfInfo']['flavourId'] == 'simple'
    assert inst['instantiatedVnfInfo']['scaleStatus'] == [{'aspectId': 'VDU1_scale', 'scaleLevel': 0}]
    assert vnfcs(sdk, iid) == ['VDU1-0', 'VDU2-0']
    found = owned(sdk, iid)
    assert [n.name for n in found['networks']] == ['%s-internalVL3' % vnf_name]
    assert [s.cidr for s in found['subnets']] == ['192.168.5.0/24']
    assert len(found['server_groups']) == 1 and found['server_groups'][0].policy == 'affinity'

    scale = {'name': vnf_name, 'package': package, 'aspect_id': 'VDU1_scale', 'type': 'scale_out', 'number_of_steps': 1}
    res = ok(run_module('telco.nfvo.vnf_scale', scale))
    assert [(v['id'], v['changeType']) for v in res['lcm_op_occ']['resourceChanges']['affectedVnfcs']] == [('VDU1-1', 'ADDED')]
    assert vnfcs(sdk, iid) == ['VDU1-0', 'VDU1-1', 'VDU2-0']
    assert {'nfvo:scale=VDU1_scale:1', 'nfvo:want=VDU1:2'} <= set(anchor_of(sdk, iid).tags)

    res = ok(run_module('telco.nfvo.vnf_scale', dict(scale, type='scale_in')))
    assert [(v['id'], v['changeType']) for v in res['lcm_op_occ']['resourceChanges']['affectedVnfcs']] == [('VDU1-1', 'REMOVED')]
    assert vnfcs(sdk, iid) == ['VDU1-0', 'VDU2-0']

    res = ok(run_module('telco.nfvo.vnf', {'name': vnf_name, 'state': 'absent'}))
    assert res['changed'] is True and res['lcm_op_occ']['operation'] == 'TERMINATE'
    assert_nothing_left(sdk, iid)
