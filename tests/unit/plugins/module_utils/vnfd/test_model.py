# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Instance counts the planner derives from a flavour: levels, aspects, step deltas and bounds."""
from __future__ import annotations

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import (
    Flavour, InstantiationLevel, ScalingAspect, Vdu, VirtualCompute,
)


def vdu(name, low, high):
    return Vdu(name=name, description=None, min_instances=low, max_instances=high, compute=VirtualCompute(vcpus=1, memory_mb=512))


@pytest.fixture
def flavour():
    """web: 2..10, initial 2, aspect 'web_scale' adds 1, 2, 4 at steps 1..3; db: 1..3, no delta policy (initial = min),
    aspect 'db_scale' uniform delta 1 up to level 2."""
    fl = Flavour(flavour_id='df', vdus={'web': vdu('web', 2, 10), 'db': vdu('db', 1, 3)})
    fl.aspects['web_scale'] = ScalingAspect(id='web_scale', name=None, description=None, max_scale_level=3,
                                            step_deltas=['d1', 'd2', 'd4'], vdu_deltas={'web': {'d1': 1, 'd2': 2, 'd4': 4}})
    fl.aspects['db_scale'] = ScalingAspect(id='db_scale', name=None, description=None, max_scale_level=2,
                                           step_deltas=['one'], vdu_deltas={'db': {'one': 1}})
    fl.initial_deltas['web'] = 2
    fl.levels['small'] = InstantiationLevel(id='small', scale_levels={'web_scale': 0})
    fl.levels['big'] = InstantiationLevel(id='big', scale_levels={'web_scale': 2, 'db_scale': 1}, vdu_instances={'db': 2})
    fl.levels['odd'] = InstantiationLevel(id='odd', vdu_instances={'web': 11})
    fl.declared_default_level = 'small'
    return fl


def test_scale_with_step_deltas(flavour):
    assert flavour.vdu_instances_for_scale({}) == {'web': 2, 'db': 1}
    assert flavour.vdu_instances_for_scale({'web_scale': 1}) == {'web': 3, 'db': 1}
    assert flavour.vdu_instances_for_scale({'web_scale': 2}) == {'web': 5, 'db': 1}
    assert flavour.vdu_instances_for_scale({'web_scale': 3, 'db_scale': 2}) == {'web': 9, 'db': 3}
    assert flavour.aspects['db_scale'].delta_ids() == ['one', 'one']


@pytest.mark.parametrize('levels,error', [
    ({'web_scale': 4}, "aspect 'web_scale' level 4 is out of range 0..3"),
    ({'web_scale': -1}, "aspect 'web_scale' level -1 is out of range 0..3"),
    ({'web_scale': '1'}, "aspect 'web_scale' level must be an integer, not '1'"),
    ({'web_scale': True}, "aspect 'web_scale' level must be an integer, not True"),
    ({'cache_scale': 1}, "aspect 'cache_scale' is not defined in flavour 'df' (aspects: web_scale, db_scale)"),
])
def test_scale_levels_refused(flavour, levels, error):
    assert flavour.check_scale_levels(levels) == error
    with pytest.raises(ValueError) as err:
        flavour.vdu_instances_for_scale(levels)
    assert str(err.value) == error


def test_scale_beyond_vdu_profile(flavour):
    flavour.vdus['web'].max_instances = 8
    assert flavour.check_scale_levels({'web_scale': 3}) == 'web would have 9 instances, vdu_profile allows 2..8'
    assert flavour.check_scale_levels({'web_scale': 2}) is None


def test_levels(flavour):
    assert flavour.default_level == 'small'
    assert flavour.vdu_instances_for_level() == {'web': 2, 'db': 1}
    # explicit VduInstantiationLevels count for db, web from the level's scale_info
    assert flavour.vdu_instances_for_level('big') == {'web': 5, 'db': 2}
    assert flavour.scale_levels_for_level('big') == {'web_scale': 2, 'db_scale': 1}
    assert flavour.scale_levels_for_level('small') == {'web_scale': 0, 'db_scale': 0}
    assert flavour.check_level('odd') == 'web would have 11 instances, vdu_profile allows 2..10'
    assert flavour.check_level('huge') == "instantiation level 'huge' is not defined in flavour 'df' (levels: small, big, odd)"
    with pytest.raises(ValueError, match="instantiation level 'huge' is not defined"):
        flavour.vdu_instances_for_level('huge')


def test_default_level_rules(flavour):
    flavour.declared_default_level = None
    assert flavour.default_level is None  # several levels, none declared: scale level 0 everywhere
    assert flavour.vdu_instances_for_level() == {'web': 2, 'db': 1}
    del flavour.levels['big'], flavour.levels['odd']
    assert flavour.default_level == 'small'  # the only level


def test_check_instances(flavour):
    assert flavour.check_instances({'web': 2, 'db': 3}) is None
    assert flavour.check_instances({'db': 0}) == 'db would have 0 instances, vdu_profile allows 1..3'
    assert flavour.check_instances({'cache': 1}) == "VDU 'cache' is not in flavour 'df'"
