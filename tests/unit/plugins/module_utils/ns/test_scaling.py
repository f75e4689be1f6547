"""ns/scaling.py: the numbers of VNF instances an NS scaling asks for (by NS aspect, to an NS level, to NS scale
levels) from the record and the NSD, and every refusal in one line."""
import os

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import member_counts, recorded_scale
from ansible_collections.telco.nfvo.plugins.module_utils.ns.operations import Record
from ansible_collections.telco.nfvo.plugins.module_utils.ns.plan import plan_ns
from ansible_collections.telco.nfvo.plugins.module_utils.ns.scaling import ns_targets
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import nsd_model as M
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_reader import read_nsd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))))
NSD = os.path.join(ROOT, 'tests', 'data', 'nsd', 'scale_web', 'scale_web.yaml')
TINY = os.path.join(ROOT, 'tests', 'data', 'nsd', 'scale_web', 'tiny_vnf')


@pytest.fixture(scope='module')
def nsd():
    nsd, warnings = read_nsd(NSD)
    assert warnings == []
    return nsd


@pytest.fixture
def flavour(nsd):
    return nsd.flavours['default']


def anchor(nsd, **params):
    """The NS record ``ns`` writes for NS shop of the scale_web NSD."""
    plan = plan_ns('proj', 'shop', nsd, dict({'vnfs': {'db': {'package': TINY}, 'web': {'package': TINY}}, 'cidr_pool': '10.9.0.0/16'}, **params))
    return {'tags': plan.anchor_tags()}


def test_the_default_level_deploys_one_web_and_large_two(nsd):
    assert member_counts(anchor(nsd)) == {'db': 1, 'web': 1}
    assert member_counts(anchor(nsd, ns_instantiation_level_id='large')) == {'db': 1, 'web': 2}


def test_one_step_out_of_the_aspect_gives_web_a_second_instance_and_in_takes_it_back(nsd, flavour):
    target = ns_targets('shop', flavour, anchor(nsd), {'aspect_id': 'web_scale', 'type': 'scale_out', 'number_of_steps': 1})
    assert (target.counts, target.scale_levels, target.level) == ({'db': 1, 'web': 2}, {'web_scale': 1}, 'small')
    assert target.params == {'scaleType': 'SCALE_NS', 'scaleNsData': {'scaleNsByStepsData': [
        {'scalingDirection': 'SCALE_OUT', 'aspectId': 'web_scale', 'numberOfSteps': 1}]}}
    scaled = {'tags': Record({'db': 0, 'web': 1}, counts=target.counts, retag={'scale': target.scale_levels, 'level': 'small'}).tags(anchor(nsd)['tags'])}
    assert member_counts(scaled) == {'db': 1, 'web': 2} and recorded_scale(scaled) == {'web_scale': 1}
    back = ns_targets('shop', flavour, scaled, {'aspect_id': 'web_scale', 'type': 'scale_in', 'number_of_steps': 1})
    assert (back.counts, back.scale_levels) == ({'db': 1, 'web': 1}, {'web_scale': 0})


def test_to_a_level_and_to_scale_levels(nsd, flavour):
    scaled = {'tags': T.retag(anchor(nsd, ns_instantiation_level_id='large')['tags'], scale={'web_scale': 1})}
    target = ns_targets('shop', flavour, scaled, {'ns_instantiation_level_id': 'small'})
    assert (target.counts, target.scale_levels, target.level) == ({'db': 1, 'web': 1}, {}, 'small')
    assert target.params['scaleNsData'] == {'scaleNsToLevelData': {'nsInstantiationLevel': 'small'}}
    target = ns_targets('shop', flavour, anchor(nsd), {'ns_scale_info': {'web_scale': 1}})
    assert (target.counts, target.scale_levels) == ({'db': 1, 'web': 2}, {'web_scale': 1})
    assert target.params['scaleNsData'] == {'scaleNsToLevelData': {'nsScaleInfo': [{'nsScalingAspectId': 'web_scale', 'nsScaleLevelId': '1'}]}}
    # level 0 of an aspect whose mapping gives none: the count at the NS level
    mapping = next(m for m in flavour.mappings if m.name == 'web_by_web_scale')
    saved = dict(mapping.values)
    del mapping.values[0]
    try:
        assert ns_targets('shop', flavour, anchor(nsd, ns_instantiation_level_id='large'), {'ns_scale_info': {'web_scale': 0}}).counts['web'] == 2
    finally:
        mapping.values = saved


def test_a_rerun_to_the_recorded_level_gives_the_same_record(nsd, flavour):
    before = anchor(nsd)
    target = ns_targets('shop', flavour, before, {'ns_instantiation_level_id': 'small'})
    after = Record({'db': 0, 'web': 1}, counts=target.counts, retag={'scale': target.scale_levels, 'level': target.level}).tags(before['tags'])
    assert sorted(after) == sorted(before['tags'])


def test_a_failed_node_keeps_its_membership_and_count_and_the_levels_wait(nsd):
    tags = anchor(nsd)['tags']
    record = Record({'db': 0, 'web': 1}, counts={'db': 1, 'web': 2}, retag={'scale': {'web_scale': 1}})
    kept = {'tags': record.tags(tags, done={'db'}, whole=False)}
    assert member_counts(kept) == {'db': 1, 'web': 1} and recorded_scale(kept) == {}
    gone = {'tags': Record({'db': 0}).tags(tags)}
    assert member_counts(gone) == {'db': 1}


@pytest.mark.parametrize('params, message', [
    ({'aspect_id': 'nope'}, "Cannot scale NS shop: NSD flavour default has no NS scaling aspect 'nope' (its aspects: web_scale)"),
    ({'aspect_id': 'web_scale', 'number_of_steps': 2},
     'Cannot scale NS shop: scale_out by 2 steps from NS scale level 0 leaves the range 0..1 of NS scaling aspect web_scale'),
    ({'aspect_id': 'web_scale', 'type': 'scale_in'},
     'Cannot scale NS shop: scale_in by 1 step from NS scale level 0 leaves the range 0..1 of NS scaling aspect web_scale'),
    ({'aspect_id': 'web_scale', 'number_of_steps': 0}, 'Cannot scale NS shop: number_of_steps must be 1 or more, not 0'),
    ({'ns_instantiation_level_id': 'huge'}, "Cannot scale NS shop: NSD flavour default has no NS instantiation level 'huge' (it has: large, small)"),
    ({'ns_scale_info': {'web_scale': 2}}, 'Cannot scale NS shop: NS scale level 2 leaves the range 0..1 of NS scaling aspect web_scale'),
    ({'ns_scale_info': {'web_scale': 'one'}}, "Cannot scale NS shop: ns_scale_info.web_scale must be an NS scale level (an integer), not 'one'"),
])
def test_refusals_are_one_line(nsd, flavour, params, message):
    with pytest.raises(LcmError) as exc:
        ns_targets('shop', flavour, anchor(nsd), params)
    assert str(exc.value) == message


def test_counts_beyond_the_vnf_profile_a_lost_dependency_a_nested_ns_and_no_mapping_are_refused(nsd, flavour):
    mapping = next(m for m in flavour.mappings if m.name == 'web_by_web_scale')
    saved = dict(mapping.values)
    try:
        mapping.values[1] = 3
        with pytest.raises(LcmError) as exc:
            ns_targets('shop', flavour, anchor(nsd), {'aspect_id': 'web_scale'})
        assert str(exc.value) == 'Cannot scale NS shop: VNF node web would have 3 instances, outside its vnf_profile 1..2'
        mapping.targets = ['db']
        mapping.values = {0: 0, 1: 1}
        flavour.vnfs['db'].min_instances = 0
        with pytest.raises(LcmError) as exc:
            ns_targets('shop', flavour, anchor(nsd), {'ns_scale_info': {'web_scale': 0}})
        assert str(exc.value) == 'Cannot scale NS shop: VNF node web depends on VNF node db, which would have no instance'
        mapping.kind = M.NESTED_NS
        with pytest.raises(LcmError) as exc:
            ns_targets('shop', flavour, anchor(nsd), {'aspect_id': 'web_scale'})
        assert 'scales nested NS db (NsToLevelMapping web_by_web_scale): nested NSs are not supported yet' in str(exc.value)
        mapping.aspect = 'other'
        with pytest.raises(LcmError) as exc:
            ns_targets('shop', flavour, anchor(nsd), {'aspect_id': 'web_scale'})
        assert str(exc.value) == 'Cannot scale NS shop: NS scaling aspect web_scale scales no VNF (no VnfToLevelMapping names it)'
    finally:
        mapping.values, mapping.targets, mapping.kind, mapping.aspect = saved, ['web'], M.VNF, 'web_scale'
        flavour.vnfs['db'].min_instances = 1
