# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 14, item 1: packages Tacker accepts, read with a warning; the broken part unusable, only its operation refused.

Each construct is a small package made here from the helloworld3 sample (one edit each): read with the named
warning, refused (in one line, before any write: the planner) by the operation that would use the broken part,
and every other operation of the package still planned.
"""
from __future__ import annotations

import hashlib

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, PackageError, PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.base.notes import collect
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import build_request
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import target_counts
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.scale import scale_levels_after
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import package_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

from .test_reader import DF, hw3, make_zip  # noqa: F401 pylint: disable=unused-import

TOP = 'Definitions/helloworld3_top.vnfd.yaml'
LEVEL_2 = 'instantiation_level_2'


def instantiate(pkg, level=None, flavour='simple'):
    """The instance counts the planner gives an instantiation (PlanError / LcmError when refused)."""
    req, fl = build_request('p1', 'vnf1', pkg, flavour, {'instantiation_level_id': level})
    return target_counts(fl, req)[0]


def scale_out(pkg, aspect='worker_instance'):
    fl = pkg.vnfd.flavour('simple')
    return scale_levels_after(fl, {a: 0 for a in fl.aspects}, aspect, 'scale_out', 1)


def read_both(hw3, tmp_path, **kwargs):
    """The package read as a directory and as a zip: both the same warnings."""
    with collect() as noted:
        pkg = read_package(str(hw3), **kwargs)
    assert noted == pkg.warnings
    assert read_package(make_zip(hw3, tmp_path / 'p.zip'), **kwargs).warnings == pkg.warnings
    return pkg


def test_clean_sample_has_no_warning(hw3, tmp_path):
    pkg = read_both(hw3, tmp_path)
    assert pkg.warnings == [] and instantiate(pkg, LEVEL_2) == {'VDU1': 1, 'VDU2': 3}


def test_level_over_vdu_profile_unusable(hw3, tmp_path):
    hw3.edit(DF, '              number_of_instances: 3', '              number_of_instances: 5')
    pkg = read_both(hw3, tmp_path)
    line = ("Definitions/helloworld3_df_simple.yaml: topology_template.policies[5] VDU2_instantiation_levels: level "
            "'instantiation_level_2': VDU2 would have 5 instances, vdu_profile allows 1..3")
    assert pkg.warnings == [line + ' (level instantiation_level_2 of flavour simple unusable)']
    with pytest.raises(PlanError) as err:
        instantiate(pkg, LEVEL_2)
    assert str(err.value) == "instantiation level 'instantiation_level_2' cannot be used: " + line
    assert instantiate(pkg) == {'VDU1': 1, 'VDU2': 1} and scale_out(pkg) == {'worker_instance': 1}
    levels = package_to_dict(pkg)['flavours'][0]['instantiation_levels']
    assert [(lv['id'], lv['usable'], lv['vdu_instances']) for lv in levels] == [
        ('instantiation_level_1', True, {'VDU1': 1, 'VDU2': 1}), (LEVEL_2, False, None)]


def test_scale_level_over_max_unusable(hw3, tmp_path):
    hw3.edit(DF, '                  scale_level: 2', '                  scale_level: 3')
    pkg = read_both(hw3, tmp_path)
    assert "scale_info.worker_instance: scale_level 3 is above max_scale_level 2 of aspect 'worker_instance'" in pkg.warnings[0]
    with pytest.raises(PlanError, match="instantiation level 'instantiation_level_2' cannot be used: .*scale_level 3 is above"):
        instantiate(pkg, LEVEL_2)
    assert instantiate(pkg) == {'VDU1': 1, 'VDU2': 1}


def test_step_deltas_naming_an_undefined_delta_make_the_aspect_unusable(hw3, tmp_path):
    hw3.edit(DF, '              step_deltas:\n                - delta_1', '              step_deltas:\n                - delta_1\n                - delta_9')
    pkg = read_both(hw3, tmp_path)
    line = ("Definitions/helloworld3_df_simple.yaml: topology_template.policies[2] VDU2_scaling_aspect_deltas: delta 'delta_9' "
            "of aspect 'worker_instance' (step_deltas) is not defined in properties.deltas")
    assert pkg.warnings == [line + ' (aspect worker_instance of flavour simple unusable)']
    with pytest.raises(PlanError) as err:
        scale_out(pkg)
    assert str(err.value) == "aspect 'worker_instance' cannot be used: " + line
    with pytest.raises(PlanError, match="instantiation level 'instantiation_level_2' scales aspect 'worker_instance', which cannot be used"):
        instantiate(pkg, LEVEL_2)
    assert instantiate(pkg) == {'VDU1': 1, 'VDU2': 1}  # level 1 keeps the aspect at 0
    aspect = package_to_dict(pkg)['flavours'][0]['aspects'][0]
    assert (aspect['usable'], aspect['problem']) == (False, line)


def test_requirement_naming_a_missing_cp_makes_the_ext_cp_unusable(hw3, tmp_path):
    hw3.edit(DF, 'virtual_link_external: [ CP1, virtual_link ]', 'virtual_link_external: [ CP9, virtual_link ]')
    pkg = read_both(hw3, tmp_path)
    line = ("Definitions/helloworld3_df_simple.yaml: topology_template.substitution_mappings.requirements.virtual_link_external: "
            "'CP9' is not a VduCp or VnfExtCp of flavour 'simple'")
    assert pkg.warnings == [line + ' (ext cp virtual_link_external of flavour simple unusable)']
    fl = pkg.vnfd.flavour('simple')
    assert 'virtual_link_external' not in fl.ext_cps and fl.problem('ext_cps', 'virtual_link_external') == line
    assert instantiate(pkg, LEVEL_2) == {'VDU1': 1, 'VDU2': 3}


def test_two_vdu_level_policies_first_wins(hw3, tmp_path):
    hw3.edit(DF, '    - internalVL2_instantiation_levels:', '''    - VDU2_instantiation_levels_again:
        type: tosca.policies.nfv.VduInstantiationLevels
        properties:
          levels:
            instantiation_level_2:
              number_of_instances: 2
        targets: [ VDU2 ]

    - internalVL2_instantiation_levels:''')
    pkg = read_both(hw3, tmp_path)
    assert pkg.warnings == [
        "Definitions/helloworld3_df_simple.yaml: topology_template.policies[6] VDU2_instantiation_levels_again: level "
        "'instantiation_level_2': VDU2 has 3 instances from VduInstantiationLevels policy VDU2_instantiation_levels, which wins "
        "(the first policy naming a VDU wins, as in Tacker): 2 ignored"]
    assert instantiate(pkg, LEVEL_2) == {'VDU1': 1, 'VDU2': 3}


def test_flavour_file_not_imported_is_found(hw3, tmp_path):
    hw3.edit(TOP, '  - helloworld3_df_simple.yaml\n', '')
    pkg = read_both(hw3, tmp_path)
    assert pkg.warnings == ['%s: a deployment flavour file that %s does not import: read, as Tacker reads every Definitions/*.yaml' % (DF, TOP)]
    assert list(pkg.vnfd.flavours) == ['simple'] and instantiate(pkg, LEVEL_2) == {'VDU1': 1, 'VDU2': 3}


def test_unimported_file_that_does_not_load_is_left_out(hw3, tmp_path):
    (hw3 / 'Definitions/notes.yaml').write_text('a: [1\n')
    pkg = read_both(hw3, tmp_path)
    assert len(pkg.warnings) == 1 and pkg.warnings[0].startswith('Definitions/notes.yaml: malformed YAML at line 2')
    assert pkg.warnings[0].endswith('(a file beside %s that nothing imports: left out)' % TOP)


def test_unimported_file_importing_outside_is_still_refused(hw3):
    (hw3 / 'Definitions/extra.yaml').write_text('tosca_definitions_version: tosca_simple_yaml_1_2\nimports:\n  - ../../x.yaml\n')
    with pytest.raises(PackageError, match=r"Definitions/extra.yaml: imports\[0\]: '../../x.yaml' leaves the package root"):
        read_package(str(hw3))


@pytest.mark.parametrize('ref', ['/opt/tacker/mgmt_driver.py', '../../drivers/mgmt_driver.py'])
def test_artifact_outside_the_package_is_external(hw3, tmp_path, ref):
    hw3.edit(TOP, '  node_templates:\n    VNF:\n      type: company.provider.VNF\n',
             '  node_templates:\n    VNF:\n      type: company.provider.VNF\n      artifacts:\n        mgmt:\n'
             '          type: tosca.artifacts.Implementation.Python\n          file: %s\n' % ref)
    hw3.edit(DF, '  node_templates:\n    VNF:\n      type: company.provider.VNF\n',
             '  node_templates:\n    VNF:\n      type: company.provider.VNF\n      artifacts:\n        mgmt:\n'
             '          type: tosca.artifacts.Implementation.Python\n          file: %s\n' % ref)
    pkg = read_both(hw3, tmp_path)
    assert pkg.warnings == ["%s: topology_template.node_templates.VNF.artifacts.mgmt.file: '%s' is outside the package: "
                            "read as an external artifact, never opened" % (DF, ref)]
    art = pkg.vnfd.flavour('simple').artifacts['mgmt']
    assert (art.file, art.carried, art.external) == (ref, False, True)


def _manifest(hw3, entries):
    lines = ['metadata:', '  vnf_provider_id: Company', '']
    for path, algorithm, digest in entries:
        lines += ['Source: %s' % path] + (['Algorithm: %s' % algorithm] if algorithm else []) + (['Hash: %s' % digest] if digest else []) + ['']
    (hw3 / 'hw3.mf').write_text('\n'.join(lines))


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_manifest_source_without_hash_is_a_warning(hw3, tmp_path):
    _manifest(hw3, [(DF, None, None), (TOP, 'SHA-256', _sha256(hw3 / TOP))])
    pkg = read_both(hw3, tmp_path)
    assert pkg.warnings == ['hw3.mf: %s: line 4: Source without Algorithm and Hash: nothing to check' % DF]
    assert pkg.manifest.ok and [e.ok for e in pkg.manifest.checked] == [None, True]


def test_manifest_source_with_half_a_hash_is_refused(hw3):
    _manifest(hw3, [(DF, 'SHA-256', None)])
    with pytest.raises(PackageError, match='hw3.mf: %s: line 4: Source with Algorithm but no Hash' % DF):
        read_package(str(hw3))


def _with_image(hw3):
    image = hw3 / 'Files/images/cirros-0.5.2-x86_64-disk.img'
    image.parent.mkdir(parents=True)
    image.write_bytes(b'not really an image')
    return 'Files/images/cirros-0.5.2-x86_64-disk.img'


def test_verify_image_hashes_false_skips_only_image_files(hw3, tmp_path):
    image = _with_image(hw3)
    _manifest(hw3, [(image, 'SHA-256', '0' * 64), (TOP, 'SHA-256', _sha256(hw3 / TOP))])
    with pytest.raises(PackageError, match='hw3.mf: Files/images/cirros-0.5.2-x86_64-disk.img: line 4: SHA-256 hash mismatch'):
        read_package(str(hw3))
    pkg = read_both(hw3, tmp_path, verify_image_hashes=False)
    assert [(e.file, e.ok, e.note) for e in pkg.manifest.checked] == [
        (image, None, 'line 4: an image file, not checked (verify_image_hashes: false)'), (TOP, True, None)]
    _manifest(hw3, [(image, 'SHA-256', '0' * 64), (TOP, 'SHA-256', '1' * 64)])
    with pytest.raises(PackageError, match='helloworld3_top.vnfd.yaml: line 8: SHA-256 hash mismatch'):
        read_package(str(hw3), verify_image_hashes=False)


def test_info_reports_manifest_problems(hw3):
    _manifest(hw3, [(DF, 'SHA-256', '0' * 64)])
    manifest = package_to_dict(read_package(str(hw3), strict_manifest=False))['manifest']
    assert manifest['ok'] is False and manifest['problems'][0].startswith('hw3.mf: %s: line 4: SHA-256 hash mismatch' % DF)


def _second_flavour(hw3, old, new):
    text = (hw3 / DF).read_text().replace('flavour_id: simple', 'flavour_id: complex', 1)
    assert old in text
    (hw3 / 'Definitions/helloworld3_df_complex.yaml').write_text(text.replace(old, new, 1))
    hw3.edit(TOP, '  - helloworld3_df_simple.yaml\n', '  - helloworld3_df_simple.yaml\n  - helloworld3_df_complex.yaml\n')


def test_broken_flavour_unusable_while_another_reads(hw3, tmp_path):
    _second_flavour(hw3, 'virtual_binding: VDU2', 'virtual_binding: VDU7')
    pkg = read_both(hw3, tmp_path)
    line = ("Definitions/helloworld3_df_complex.yaml: topology_template.node_templates.CP3.requirements[0].virtual_binding: "
            "'VDU7' is not a VDU of flavour 'complex'")
    assert pkg.warnings == [line + ' (flavour complex unusable)']
    assert list(pkg.vnfd.flavours) == ['simple'] and pkg.vnfd.unusable_flavours == {'complex': line}
    with pytest.raises(LcmError) as err:
        instantiate(pkg, flavour='complex')
    assert str(err.value) == "flavour 'complex' of VNFD b1bb0ce7-ebca-4fa7-95ed-4840d70a1177 cannot be used: " + line
    assert instantiate(pkg, LEVEL_2) == {'VDU1': 1, 'VDU2': 3}


def test_budget_in_a_second_flavour_still_refuses(hw3):
    _second_flavour(hw3, 'max_number_of_instances: 3', 'max_number_of_instances: 999999')
    with pytest.raises(PackageError, match=r'more than 10000 instances of a VDU \(limit instances=10000\)'):
        read_package(str(hw3))


def test_only_flavour_broken_is_refused(hw3):
    hw3.edit(DF, 'virtual_binding: VDU2', 'virtual_binding: VDU7')
    with pytest.raises(PackageError, match="virtual_binding: 'VDU7' is not a VDU of flavour 'simple'$"):
        read_package(str(hw3))
