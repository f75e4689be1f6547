# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lcm/change_flavour.py: the CHANGE_FLAVOUR plan (a converge to another flavour: creates first, deletes after, the
record last; VNFCs recreated only where their VDU differs) and the operation run whole on the stand-in cloud (cloud.py)
from tests/data/vnf_packages/two_flavours (small: VDU1; big: VDU1 x2 + VDU2 in an affinity group): there and back,
imperative and declarative, check mode, second runs with zero writes, a failure rolled back or kept and continued with
vnf_lcm_op_occ, every refusal one line before any write."""
from __future__ import annotations

import copy
import dataclasses
import os

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.change import run_change
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.change_flavour import least_disruption, stale_images, vdu_differences
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import discover_environment
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import build_request, instantiate
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.occurrences import continue_occurrence
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context, Options, discover_one

from .cloud import Cloud, FailingVdu2
from .plans import FLAVORS, PKGS, package

PKG = os.path.join(PKGS, 'two_flavours')
WRITES = ('POST', 'PUT', 'DELETE')
IMAGES = {'cirros-0.5.2-x86_64-disk': 'cirros'}  # the software image both flavours' VDUs name


@pytest.fixture(scope='module')
def two():
    return package('two_flavours')


def cloud(cls=Cloud):
    return cls(flavors=FLAVORS + [{'id': 'f-1-640-3', 'name': 'vnf.medium', 'vcpus': 1, 'ram': 640, 'disk': 3}],
               images=[{'id': 'img-cirros', 'name': 'cirros', 'status': 'active'}], refuse_tags={'networks', 'subnets'})


def context(api, **opts):
    return Context(api=api, opts=Options(**opts), project_id='p1', diff=True)


def declare(ctx, pkg, flavour_id, **given):
    """``vnf`` with ``flavour_id`` (the declarative path: build_request + the converge)."""
    req, flavour = build_request(ctx.project_id, 'web-1', pkg, flavour_id, dict(given, images=IMAGES))
    return instantiate(ctx, pkg, flavour, req)


def change(ctx, flavour_id, **p):
    """``vnf_change operation: change_flavour`` (the stand-in's servers say no image: the task maps them)."""
    return run_change(ctx, dict(p, name='web-1', operation='change_flavour', flavour_id=flavour_id, package=PKG, images=IMAGES))


def writes(api, since=0):
    return [(method, path) for method, path, dummy in api.calls[since:] if method in WRITES]


def vnfcs(api):
    return {T.parse_metadata(s['metadata']).get('vnfc'): s['id'] for s in api.items['servers']}


def record(api):
    anchor = next(a for a in api.items['security-groups'] if T.parse_tags(a['tags']).get('role') == 'anchor')
    return T.parse_tags(anchor['tags'])


def small_vnf(two, api):
    result = declare(context(api), two, 'small')
    assert result.lcm_op_occ['operationState'] == 'COMPLETED', result.error
    return discover_one(api, T.vnf_instance_id('p1', 'web-1'), 'web-1')


# ---------------------------------------------------------------------------------------------------------------
# the plan

def test_the_plan_creates_what_big_adds_keeps_vdu1_0_and_writes_the_record_last(two):
    api = cloud()
    snap = small_vnf(two, api)
    req, flavour = build_request('p1', 'web-1', two, 'big', {'images': IMAGES})
    discover_environment(api, snap, req.vnfd_id, images=set(IMAGES.values()))
    plan = plan_converge(two.vnfd, flavour, req, snap)
    made = sorted(a.key for a in plan.actions if a.op == M.CREATE)
    assert made == ['port/VDU1-1/VDU1_CP1', 'port/VDU2-0/VDU2_CP1', 'server/VDU1-1', 'server/VDU2-0', 'server_group/VDU2_affinity']
    assert not [a for a in plan.actions if a.op == M.DELETE]  # VDU1-0 is the same VDU in both flavours: kept
    [rec] = [a for a in plan.actions if a.kind == 'anchor']
    assert rec.op == M.UPDATE and set(rec.deps) == set(made) and T.parse_tags(rec.tags)['flavour'] == 'big'
    assert all(M.ANCHOR not in a.deps for a in plan.actions)
    assert plan.target == {'flavour_id': 'big', 'instantiation_level_id': 'big_level', 'scale_levels': {},
                           'vdu_instances': {'VDU1': 2, 'VDU2': 1}}


def test_least_disruption_puts_deletes_after_every_create_but_the_old_server_a_recreate_waits_for():
    def act(op, kind, key, deps=()):
        return M.Action(op, kind, key, key, deps=list(deps))
    plan = M.Plan(operation='CHANGE_FLAVOUR', instance_id='i', vnf_name='v', actions=[
        act(M.DELETE, 'server', 'server/VDU3-0'), act(M.DELETE, 'port', 'port/VDU3-0/CP', ['server/VDU3-0']),
        act(M.DELETE, 'server', 'server/VDU1-0#old'), act(M.CREATE, 'server', 'server/VDU1-0', [M.ANCHOR, 'server/VDU1-0#old']),
        act(M.CREATE, 'port', 'port/VDU2-0/CP', [M.ANCHOR]), act(M.CREATE, 'server', 'server/VDU2-0', [M.ANCHOR, 'port/VDU2-0/CP']),
        act(M.UPDATE, 'anchor', M.ANCHOR)])
    least_disruption(plan, {'VDU1-0': 'VDU1 differs'})
    deps = {a.key: a.deps for a in plan.actions}
    assert deps['server/VDU1-0#old'] == []  # the new VDU1-0 takes its ports: it goes first
    assert set(deps['server/VDU3-0']) == {'server/VDU1-0', 'port/VDU2-0/CP', 'server/VDU2-0'}
    assert set(deps['port/VDU3-0/CP']) == {'server/VDU3-0', 'server/VDU1-0', 'port/VDU2-0/CP', 'server/VDU2-0'}
    assert deps['server/VDU2-0'] == ['port/VDU2-0/CP'] and set(deps[M.ANCHOR]) == set(deps) - {M.ANCHOR}


def test_a_vdu_that_differs_is_recreated_with_its_ports_and_a_cp_moved_to_another_vl_is_refused(two):
    vnfd = copy.deepcopy(two.vnfd)
    big, small = vnfd.flavours['big'], vnfd.flavours['small']
    big.vdus['VDU1'].compute = dataclasses.replace(big.vdus['VDU1'].compute, memory_mb=640)
    assert vdu_differences(small, big, 'VDU1') == ['compute 1 vCPU/512 MB/3 GB -> 1 vCPU/640 MB/3 GB']
    api = cloud()
    snap = small_vnf(two, api)
    port = next(p for p in api.items['ports'] if T.parse_tags(p['tags']).get('vnfc') == 'VDU1-0')
    req, flavour = build_request('p1', 'web-1', two, 'big', {'images': IMAGES})
    discover_environment(api, snap, req.vnfd_id, images=set(IMAGES.values()))
    plan = plan_converge(vnfd, big, req, snap)
    old = plan.find(M.DELETE, 'server/VDU1-0#old')
    new = plan.find(M.CREATE, 'server/VDU1-0')
    assert old is not None and 'server/VDU1-0#old' in new.deps and new.spec['networks'] == [{'port': port['id']}]
    assert 'recreated: VDU1 differs in flavour big (compute 1 vCPU/512 MB/3 GB -> 1 vCPU/640 MB/3 GB)' in new.detail
    assert old.deps == []  # not after the creates: the new server waits for it
    big.cps['VDU1_CP1'] = dataclasses.replace(big.cps['VDU1_CP1'], virtual_link='otherVL')
    with pytest.raises(PlanError) as err:
        vdu_differences(small, big, 'VDU1')
    assert 'CP VDU1_CP1 of VDU1 is on virtual link internalVL1 in one and otherVL in the other' in str(err.value)
    assert stale_images(two.vnfd, 'small', two.vnfd.flavours['big']) == ['VDU2']  # VDU1: the same image


# ---------------------------------------------------------------------------------------------------------------
# the operation

def test_change_flavour_there_and_back_imperative_then_declarative_second_runs_write_nothing(two):
    api = cloud()
    small_vnf(two, api)
    first = vnfcs(api)['VDU1-0']
    mark = len(api.calls)
    preview = change(context(api, check_mode=True), 'big')
    assert writes(api, mark) == [] and preview.changed and preview.diff['after']['flavourId'] == 'big'
    assert [a['key'] for a in preview.plan if a['action'] == 'create'] == [
        'server_group/VDU2_affinity', 'port/VDU1-1/VDU1_CP1', 'port/VDU2-0/VDU2_CP1', 'server/VDU1-1', 'server/VDU2-0'], preview.plan

    result = change(context(api), 'big')
    occ = result.lcm_op_occ
    assert (occ['operation'], occ['operationState']) == ('CHANGE_FLAVOUR', 'COMPLETED'), result.error
    assert occ['operationParams'] == {'newFlavourId': 'big', 'instantiationLevelId': 'big_level'}
    assert sorted(v['id'] for v in occ['resourceChanges']['affectedVnfcs'] if v['changeType'] == 'ADDED') == ['VDU1-1', 'VDU2-0']
    assert vnfcs(api)['VDU1-0'] == first and sorted(vnfcs(api)) == ['VDU1-0', 'VDU1-1', 'VDU2-0']
    assert (record(api)['flavour'], record(api)['level']) == ('big', 'big_level')
    assert result.vnf_instance['instantiatedVnfInfo']['flavourId'] == 'big' and result.diff['before']['flavourId'] == 'small'
    group = api.items['os-server-groups'][0]
    assert group['policy'] == 'affinity' and group['members'] == [vnfcs(api)['VDU2-0']]
    mark = len(api.calls)
    assert not change(context(api), 'big').changed and writes(api, mark) == []
    assert not declare(context(api), two, 'big').changed and writes(api, mark) == []

    back = declare(context(api), two, 'small')  # vnf with the other flavour_id: the same converge
    assert (back.lcm_op_occ['operation'], back.lcm_op_occ['operationState']) == ('CHANGE_FLAVOUR', 'COMPLETED'), back.error
    assert sorted(vnfcs(api)) == ['VDU1-0'] and vnfcs(api)['VDU1-0'] == first and api.items['os-server-groups'] == []
    assert (record(api)['flavour'], record(api)['level']) == ('small', 'small_level')
    mark = len(api.calls)
    assert not declare(context(api), two, 'small').changed and not change(context(api), 'small').changed and writes(api, mark) == []

    biggest = change(context(api), 'big', instantiation_level_id='biggest_level')
    assert biggest.lcm_op_occ['operationState'] == 'COMPLETED' and sorted(vnfcs(api)) == ['VDU1-0', 'VDU1-1', 'VDU1-2', 'VDU2-0']
    assert record(api)['level'] == 'biggest_level'


def test_refusals_are_one_line_before_any_write(two):
    api = cloud()
    small_vnf(two, api)
    mark = len(api.calls)
    cases = [
        ({'flavour_id': 'huge'}, "flavour 'huge' is not defined in VNFD 5f2d1c9e-7a3b-4e08-9c61-2f0a77c4f1a7 (flavours: small, big)"),
        ({'flavour_id': 'big', 'instantiation_level_id': 'nope'},
         "instantiation level 'nope' is not defined in flavour 'big' (levels: big_level, biggest_level, too_big_level)"),
        ({'flavour_id': 'big', 'instantiation_level_id': 'too_big_level'}, 'VDU1 would have 4 instances, vdu_profile allows 1..3'),
        ({'flavour_id': 'big', 'package': os.path.join(PKGS, 'v2_basic_min')}, 'VNF web-1 is instantiated from VNFD 5f2d1c9e'),
    ]
    for given, words in cases:
        with pytest.raises((LcmError, PlanError)) as err:
            run_change(context(api), dict({'name': 'web-1', 'operation': 'change_flavour', 'package': PKG}, **given))
        assert words in str(err.value) and '\n' not in str(err.value), str(err.value)
    assert writes(api, mark) == []


def test_a_new_external_cp_with_no_network_is_refused_naming_it(two):
    vnfd = copy.deepcopy(two.vnfd)
    big = vnfd.flavours['big']
    big.cps['VDU2_CP1'] = dataclasses.replace(big.cps['VDU2_CP1'], virtual_link=None)  # external in big, not in small
    api = cloud()
    snap = small_vnf(two, api)
    req, flavour = build_request('p1', 'web-1', two, 'big', {'images': IMAGES})
    discover_environment(api, snap, req.vnfd_id, images=set(IMAGES.values()))
    with pytest.raises(PlanError) as err:
        plan_converge(vnfd, big, req, snap)
    assert str(err.value) == 'CP VDU2_CP1 of VDU2 is external: connect it with ext_virtual_links (e.g. {VDU2_CP1: <network>})'


def test_a_failure_half_way_is_rolled_back_or_kept_then_retried_or_rolled_back_with_vnf_lcm_op_occ(two):
    api = cloud(FailingVdu2)
    small_vnf(two, api)
    before = {c: sorted(r['id'] for r in api.items[c]) for c in ('servers', 'ports', 'os-server-groups')}
    failed = change(context(api), 'big')
    assert failed.lcm_op_occ['operationState'] == 'ROLLED_BACK' and 'Quota exceeded for instances' in failed.error
    assert {c: sorted(r['id'] for r in api.items[c]) for c in before} == before and record(api)['flavour'] == 'small'

    kept = change(context(api, on_failure='keep'), 'big')
    assert kept.lcm_op_occ['operationState'] == 'FAILED_TEMP' and record(api)['flavour'] == 'small'
    assert 'VDU1-1' in vnfcs(api)  # kept as it is
    back = continue_occurrence(context(api), {'id': kept.lcm_op_occ['id'], 'action': 'rollback', 'package': PKG, 'images': IMAGES})
    assert (back.lcm_op_occ['id'], back.lcm_op_occ['operationState']) == (kept.lcm_op_occ['id'], 'ROLLED_BACK'), back.error
    assert sorted(vnfcs(api)) == ['VDU1-0'] and record(api)['flavour'] == 'small'

    kept = change(context(api, on_failure='keep'), 'big')
    api.__class__ = Cloud  # the cloud takes VDU2 now
    done = continue_occurrence(context(api), {'id': kept.lcm_op_occ['id'], 'action': 'retry', 'package': PKG, 'images': IMAGES})
    assert (done.lcm_op_occ['id'], done.lcm_op_occ['operationState']) == (kept.lcm_op_occ['id'], 'COMPLETED'), done.error
    assert sorted(vnfcs(api)) == ['VDU1-0', 'VDU1-1', 'VDU2-0'] and (record(api)['flavour'], record(api)['level']) == ('big', 'big_level')
    assert V.record_of(discover_one(api, T.vnf_instance_id('p1', 'web-1'), 'web-1'))['flavour_id'] == 'big'
