# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The NSD model: deployment order of the constituents, instances at an NS instantiation level, nsd_to_dict."""
from __future__ import annotations

import json

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import nsd_model as M


def flavour(**depends):
    f = M.NsFlavour(flavour_id='df', source='nsd.yaml')
    for name, needs in depends.items():
        if name.startswith('ns_'):
            f.nested[name] = M.NestedNs(name=name, nsd_id='nsd-' + name, flavour_id='df', depends_on=list(needs))
        else:
            f.vnfs[name] = M.NsVnf(name=name, vnfd_id='vnfd-' + name, flavour_id='simple', depends_on=list(needs))
    return f


def test_deployment_order_batches_independent_constituents():
    f = flavour(web=['db', 'cache'], db=[], cache=[], lb=['web'], ns_core=[], mon=['ns_core'])
    assert f.deployment_order() == [['cache', 'db', 'ns_core'], ['mon', 'web'], ['lb']]
    assert flavour().deployment_order() == []


def test_a_dependency_loop_is_named():
    with pytest.raises(ValueError, match=r'^dependency loop: b -> c -> b$'):
        flavour(a=['b'], b=['c'], c=['b']).deployment_order()


def test_instances_at_a_level():
    f = flavour(web=[], db=[])
    f.vnfs['db'].min_instances = 2
    f.levels = {'small': M.NsLevel('small'), 'large': M.NsLevel('large')}
    f.default_level = 'small'
    f.mappings = [M.LevelMapping(name='m', kind=M.VNF, key=M.INSTANTIATION_LEVEL, targets=['web'], values={'small': 1, 'large': 3}),
                  M.LevelMapping(name='a', kind=M.VNF, key=M.ASPECT_LEVEL, targets=['db'], aspect='x', values={0: 5})]
    assert f.instances_at() == {'web': 1, 'db': 2}
    assert f.instances_at('large') == {'web': 3, 'db': 2}


def test_nsd_to_dict_is_plain_data():
    f = flavour(web=['db'], db=[])
    f.aspects['x'] = M.NsScalingAspect(id='x', levels={1: None, 2: 'two'})
    nsd = M.Nsd(descriptor_id='nsd-1', designer='us', version='1', name='n', invariant_id='i', flavours={'df': f})
    data = M.nsd_to_dict(nsd)
    assert data['flavours']['df']['deployment_order'] == [['db'], ['web']]
    assert data['flavours']['df']['aspects']['x']['max_scale_level'] == 2
    assert data['flavours']['df']['vnfs']['web']['depends_on'] == ['db']
    json.dumps(data)
