# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one-pass YAML loader (yaml_events.py): the same data as yaml.safe_load on every sample file and on tricky
scalars, aliases counted after expansion in linear work, depth, duplicate keys, what it leaves to PyYAML (tags,
merge keys, several documents), and the same data and refusals with PyYAML's pure-Python parser (no libyaml)."""
from __future__ import annotations

import math
import os

import pytest
import yaml

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import yaml_events
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import Budgets
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import package_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

DATA = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'data')
LOADERS = [pytest.param(yaml.SafeLoader, id='pure-python')]
if getattr(yaml, 'CSafeLoader', None) is not None:
    LOADERS.append(pytest.param(yaml.CSafeLoader, id='libyaml'))


def sample_files():
    found = []
    for dirpath, _dirs, files in os.walk(DATA):
        found.extend(os.path.join(dirpath, f) for f in sorted(files) if f.endswith(('.yaml', '.yml', '.json')))
    return sorted(found)


def load(text, loader, **limits):
    return yaml_events.load(text, 'f.yaml', Budgets.from_limits(limits or None), loader)


def same(a, b):
    """Equal, NaN equal to NaN, and of the same types all the way down (1 is not True, 1.0 is not 1)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def refused(text, loader, **limits):
    with pytest.raises(PackageError) as info:
        load(text, loader, **limits)
    return str(info.value)


@pytest.mark.parametrize('loader', LOADERS)
def test_every_sample_file_loads_as_safe_load_does(loader):
    files = sample_files()
    assert len(files) > 20
    for path in files:
        with open(path, encoding='utf-8-sig') as f:
            text = f.read()
        if loader is yaml.SafeLoader and len(text) > 20000:  # the pure-Python parser is slow: the small files
            continue
        try:
            expected = yaml.load(text, Loader=loader)  # nosec B506: a safe loader
        except yaml.YAMLError:
            continue
        assert same(load(text, loader, nodes=10 ** 7, depth=10 ** 4), expected), path


TRICKY = ['1', '0', '01', '09', '0x1F', '0o17', '0b101', '1_000', '+1', '-1', '-0', '1.5', '1.', '.5', '.inf', '-.Inf',
          '+.INF', '.nan', '.NaN', '1e3', '1.0e+3', '6.8523015e+5', '190:20:30', '-1:30', '1:30.5', '2001-12-14t21:59:43.10-05:00',
          '2002-12-14', '2001-12-14 21:59:43.10', '2001-1-1', 'yes', 'Yes', 'YES', 'yEs', 'No', 'no', 'off', 'ON', 'On', 'oN',
          'y', 'n', 'Y', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'tRue', 'True', 'FALSE', 'nul', 'onion', 'Yesterday',
          'offset', 'nothing', 'o', 't', 'f', '', '१२', '²', '12abc', '1 2', '0.1.2', '- x', '<<x', '=x', 'a=b', '123456789012345678901234567890',
          '"1"', "'true'", "'~'", '"null"', '!!str 1', '!!int "3"', '!!float 1', '!!bool yes', '!!null ""', '! 12', '! yes',
          '|\n  block\n  text\n', '>-\n  folded\n  text\n', '"esc\\n\\x41\\u00e9"', "'it''s'", '[1, [2, {a: b}], {}]',
          '{? complex, x: 1}', '!!binary aGVsbG8=', '!!timestamp 2002-12-14', '!!set {a, b}', '!!omap [a: 1, b: 2]']


@pytest.mark.parametrize('loader', LOADERS)
@pytest.mark.parametrize('scalar', TRICKY)
def test_tricky_scalars_resolve_as_safe_load_does(loader, scalar):
    for text in ('k: %s\n' % scalar, '- %s\n' % scalar, '%s\n' % scalar):
        if scalar.startswith(('|', '>')) and not text.startswith('k'):
            continue
        try:
            expected = yaml.load(text, Loader=loader)  # nosec B506: a safe loader
        except yaml.YAMLError as exc:
            with pytest.raises(type(exc)) as info:
                load(text, loader)
            assert str(info.value) == str(exc)
            continue
        assert same(load(text, loader), expected), text


@pytest.mark.parametrize('loader', LOADERS)
def test_tags_and_constructs_left_to_pyyaml_give_its_data_or_its_error(loader):
    for text in ('a: !!python/object:os.system x\n', 'a: !!python/name:os.system\n', 'a: !custom 1\n', 'a: =\n',
                 'a: *nowhere\n', 'a: &x 1\nb: &x 2\n', 'a: 1\n---\nb: 2\n', '? [1]\n: 2\n', 'a: &l [1]\n*l : 2\n',
                 'b: &b {x: 1, y: 2}\nm: {<<: *b, x: 3}\n', 'b: &b {x: 1}\nm:\n  <<: [*b, {z: 1}]\n', 's: !!set {a, b}\n'):
        try:
            expected = yaml.load(text, Loader=loader)  # nosec B506: a safe loader
        except yaml.YAMLError as exc:
            with pytest.raises(type(exc)) as info:
                load(text, loader)
            assert str(info.value) == str(exc), text
            continue
        assert load(text, loader) == expected, text


@pytest.mark.parametrize('loader', LOADERS)
def test_an_alias_is_the_object_of_its_anchor_as_pyyaml_gives_it(loader):
    data = load('a: &x [1, {b: c}]\nb: *x\nc: &s text\nd: *s\n', loader)
    assert data == yaml.safe_load('a: &x [1, {b: c}]\nb: *x\nc: &s text\nd: *s\n')
    assert data['b'] is data['a'] and data['d'] == 'text'


@pytest.mark.parametrize('loader', LOADERS)
def test_nodes_are_counted_after_alias_expansion_exactly(loader):
    # mapping 1 + key a 1 + list 1 + 3 items + key b 1 + *x standing for the list's 4 nodes = 11
    text = 'a: &x [1, 2, 3]\nb: *x\n'
    assert load(text, loader, nodes=11)['b'] == [1, 2, 3]
    assert refused(text, loader, nodes=10) == 'f.yaml: more than 10 YAML nodes after alias expansion (limit nodes=10)'
    assert refused('a: [1, 2, 3]\n', loader, nodes=5) == 'f.yaml: a: more than 5 YAML nodes (limit nodes=5)'
    assert load('a: [1, 2, 3]\n', loader, nodes=6) == {'a': [1, 2, 3]}


@pytest.mark.parametrize('loader', LOADERS)
def test_a_billion_laughs_is_refused_without_expanding_it(loader):
    lines = ['l0: &l0 [lol, lol]'] + ['l%d: &l%d [*l%d, *l%d]' % (i, i, i - 1, i - 1) for i in range(1, 60)]
    text = '\n'.join(lines) + '\n'  # 2**60 nodes once expanded
    assert refused(text, loader) == 'f.yaml: l16: more than 500000 YAML nodes after alias expansion (limit nodes=500000)'
    data = load(text, loader, nodes=2 ** 62)  # within a (huge) budget it reads, every alias the same object
    assert data['l59'][0] is data['l58'] and data['l59'][1] is data['l58']


@pytest.mark.parametrize('loader', LOADERS)
def test_depth_as_written_and_after_alias_expansion(loader):
    assert refused('a: %s%s\n' % ('[' * 100000, ']' * 100000), loader) == (
        'f.yaml: a[0][0][0][0][0][0][0][0][0]...: more than 100 levels of nesting (limit depth=100)')
    assert load('a: %sx%s\n' % ('[' * 99, ']' * 99), loader)  # the mapping and 99 lists: 100 levels
    assert refused('a: %sx%s\n' % ('[' * 100, ']' * 100), loader).endswith('more than 100 levels of nesting (limit depth=100)')
    deep = 'a: &d %sx%s\nb: [*d]\n' % ('[' * 99, ']' * 99)  # 1 + 99 as written; b: 1 + 1 + 99 once expanded
    assert refused(deep, loader) == 'f.yaml: b[0]: more than 100 levels of nesting (after alias expansion) (limit depth=100)'
    assert load(deep, loader, depth=100 + 1)['b'][0] is not None
    assert refused('a: &d [1]\nb: {c: *d}\n', loader, depth=2) == (
        'f.yaml: b.c: more than 2 levels of nesting (after alias expansion) (limit depth=2)')


@pytest.mark.parametrize('loader', LOADERS)
def test_recursive_alias_and_duplicate_keys(loader):
    assert refused('a: 1\nb: &r\n  - *r\n', loader) == 'f.yaml: line 2: an alias refers to a collection that holds it (endless expansion)'
    assert refused('x:\n  a: 1\n  b: 2\n  a: 3\n', loader) == 'f.yaml: line 4: duplicate key a in x (first at line 2)'
    assert refused('a: 1\n"b": 2\n"a": 3\n"b": 4\n', loader) == 'f.yaml: line 4: duplicate key b (first at line 2)'
    assert refused('l: [{k: 1, k: 2}]\n', loader) == 'f.yaml: line 1: duplicate key k in l[0] (first at line 1)'
    assert load("a: 1\n'a': 2\n1: x\n'1': y\n", loader) == {'a': 2, 1: 'x', '1': 'y'}  # plain and quoted: two keys


def test_a_package_reads_the_same_without_libyaml(monkeypatch):
    path = os.path.join(DATA, 'vnf_packages', 'practical')
    with_libyaml = package_to_dict(read_package(path))
    monkeypatch.setattr(yaml_events, 'Loader', yaml.SafeLoader)
    assert package_to_dict(read_package(path)) == with_libyaml
    with pytest.raises(PackageError) as info:
        read_package(path, limits={'nodes': 50})
    assert str(info.value).startswith('Definitions/') and str(info.value).endswith('more than 50 YAML nodes (limit nodes=50)')
