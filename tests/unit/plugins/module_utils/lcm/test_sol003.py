# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SOL003 shapes rebuilt from a snapshot: the VnfInstance, drift, the operation record and VnfLcmOpOcc."""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import Snapshot
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V

from .plans import apply, request, snapshot


def test_record_drift_and_instance_shape(basic):
    fl = basic.vnfd.flavour('simple')
    req = request(basic)
    done = apply(plan_converge(basic.vnfd, fl, req, snapshot()), snapshot())
    done.anchors[0]['created_at'] = '2026-01-01T00:00:00Z'
    inst = V.vnf_instance(done)
    assert inst['instantiationState'] == 'INSTANTIATED' and inst['vnfdId'] == basic.vnfd.descriptor_id
    info = inst['instantiatedVnfInfo']
    assert [v['id'] for v in info['vnfcResourceInfo']] == ['VDU1-0', 'VDU2-0']
    assert info['scaleStatus'] == [{'aspectId': 'VDU1_scale', 'scaleLevel': 0}]
    assert V.drift(done) == []
    done.servers = [s for s in done.servers if 'VDU1-0' not in s['name']]
    items = V.drift(done)
    assert items[0]['type'] == 'missing' and items[0]['resource'] == 'server VDU1-0'
    assert V.vnf_instance(Snapshot(instance_id='x', vnf_name='y'))['instantiationState'] == 'NOT_INSTANTIATED'


def test_operation_record_fits_and_heal_changes_are_modified():
    record = {'lock': {'op': 'x' * 36, 'exp': 1767225600},
              'op': {'id': 'y' * 36, 'type': 'SCALE_TO_LEVEL', 'state': 'FAILED_TEMP', 'at': 1767225600, 'v': ['VDU1-%d' % i for i in range(30)],
                     'prev': {'l': 'instantiation_level_1', 's': {'VDU1_scale': 0}, 'w': {'VDU1': 1, 'VDU2': 1}}}}
    text = V.encode_record(record)
    assert len(text) <= V.RECORD_MAX and '"lock"' in text
    occ = V.lcm_op_occ(V.Occurrence('op', 'HEAL', 'COMPLETED', 'iid', 0, 1, created=[('server', 'server/VDU1-0', {'id': 'new'})],
                                    deleted=[('server', 'server/VDU1-0#old', 'old')], modified=[('VDU1-0', 'new')]))
    assert [(v['id'], v['changeType']) for v in occ['resourceChanges']['affectedVnfcs']] == [('VDU1-0', 'MODIFIED')]
