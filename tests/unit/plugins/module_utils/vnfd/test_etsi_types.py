# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 14, item 3: a package written against any SOL001 version 2.5.1 - 4.4.1 reads the same; a newer one warns."""
from __future__ import annotations

import os
import re
import shutil

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import etsi_types as T
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import package_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

from .test_reader import sample

TYPES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'data', 'sol001_types')
VERSIONS = ['2.5.1', '2.6.1', '3.3.1', '4.4.1']
URL = 'https://forge.etsi.org/rep/nfv/SOL001/raw/v%s/%s'


def shape(pkg):
    """What 'reads the same' means: the VDUs, CPs, VLs, ext CPs, flavours, levels and aspects of every flavour."""
    d = package_to_dict(pkg)
    return [(f['flavour_id'], [(v['name'], v['min_instances'], v['max_instances'], v['vcpus'], v['memory_mb'], [c['name'] for c in v['cps']])
                               for v in f['vdus']],
             [vl['name'] for vl in f['virtual_links']], [e['name'] for e in f['ext_cps']],
             [(lv['id'], lv['vdu_instances']) for lv in f['instantiation_levels']],
             [(a['id'], a['max_scale_level'], a['deltas']) for a in f['aspects']]) for f in d['flavours']]


def rewrite(src, dest, version, as_url):
    """A copy of package ``src`` written against SOL001 ``version``: its carried ETSI type files replaced by that
    version's (or removed and imported by URL), its tosca_definitions_version the one that version uses."""
    shutil.copytree(src, dest)
    tosca = 'tosca_simple_yaml_1_2' if version.startswith('2.') else 'tosca_simple_yaml_1_3'
    for dirpath, _dirs, files in os.walk(dest):
        for name in files:
            path = os.path.join(dirpath, name)
            if T.is_standard_types_file(name):
                os.remove(path)
                continue
            if not name.endswith(('.yaml', '.yml')):
                continue
            with open(path) as f:
                text = f.read()
            text = re.sub(r'tosca_definitions_version: \S+', 'tosca_definitions_version: ' + tosca, text, count=1)
            if as_url:
                text = re.sub(r'(\n\s*- )(etsi_nfv_sol001_\w+\.yaml)', lambda m: m.group(1) + URL % (version, m.group(2)), text)
            with open(path, 'w') as f:
                f.write(text)
    if not as_url:
        folder = os.path.join(dest, 'Definitions')
        for name in os.listdir(os.path.join(TYPES, version)):
            if name.endswith('.yaml'):
                shutil.copy(os.path.join(TYPES, version, name), folder)
    return str(dest)


@pytest.mark.parametrize('name', ['helloworld3', 'practical'])
@pytest.mark.parametrize('as_url', [False, True], ids=['carried', 'url'])
@pytest.mark.parametrize('version', VERSIONS)
def test_every_known_version_reads_the_same(tmp_path, name, version, as_url):
    expected = shape(read_package(sample(name)))
    pkg = read_package(rewrite(sample(name), tmp_path / name, version, as_url))
    assert shape(pkg) == expected
    # a carried 2.5.1 package ships no common types file: the vnfd types file names the version
    assert (pkg.sol001_version, pkg.format, pkg.warnings) == (version, 'sol001', [])


def test_newer_version_reads_with_a_warning(tmp_path):
    expected = shape(read_package(sample('helloworld3')))
    pkg = read_package(rewrite(sample('helloworld3'), tmp_path / 'p', '5.1.1', as_url=True))
    assert shape(pkg) == expected and pkg.sol001_version == '5.1.1'
    assert pkg.warnings == ['Definitions/helloworld3_top.vnfd.yaml: imports: SOL001 version 5.1.1 is newer than the versions '
                            'this reader knows (2.5.1 to 4.4.1): read with the types of 4.4.1']


def test_version_not_stated():
    # it imports the ETSI type files by bare name and does not carry them: nothing says the version
    pkg = read_package(sample('v2_basic_min'))
    assert (pkg.sol001_version, pkg.warnings) == (None, [])


def test_types_of_every_version_are_known():
    """Every node, group and policy type of the ETSI type files 2.5.1 - 4.4.1 is in the reader's table."""
    pattern = re.compile(r'^  (tosca\.(?:nodes|groups|policies)\.[\w.]+):', re.M)
    for version in VERSIONS:
        for name in os.listdir(os.path.join(TYPES, version)):
            with open(os.path.join(TYPES, version, name)) as f:
                missing = [t for t in pattern.findall(f.read()) if t not in T.STANDARD_TYPES]
            assert missing == [], (version, name)
