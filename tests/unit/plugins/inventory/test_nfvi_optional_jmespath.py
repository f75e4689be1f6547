# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""jmespath is no requirement of its own: only the telco.nfvo.nfvi inventory's `filter` option uses it (openstacksdk
depends on it, so it is there wherever the clouds are read). With jmespath made unimportable, ansible-inventory fails on
an inventory that sets `filter` with a message that names the library and the fix, before any cloud is asked."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
COLLECTIONS = os.path.join(ROOT, '.build', 'pytest')  # tests/conftest.py links the work tree there


def _inventory(tmp_path, config):
    blocker = tmp_path / 'no_jmespath'
    blocker.mkdir()
    (blocker / 'jmespath.py').write_text("raise ImportError('jmespath is not installed (test)')\n")
    (tmp_path / 'clouds.yaml').write_text('clouds:\n  nowhere:\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n'
                                          '      username: u\n      password: p\n      project_name: p\n'
                                          '      user_domain_name: Default\n      project_domain_name: Default\n')
    path = tmp_path / 'x.nfvi.yml'
    path.write_text('plugin: telco.nfvo.nfvi\nclouds: [nowhere]\n' + config)
    env = dict(os.environ, PYTHONPATH=str(blocker), ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR='1',
               ANSIBLE_INVENTORY_UNPARSED_FAILED='true', ANSIBLE_INVENTORY_ENABLED='auto',
               OS_CLIENT_CONFIG_FILE=str(tmp_path / 'clouds.yaml'), ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'))
    cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-inventory'), '-i', str(path), '--list']
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_filter_without_jmespath_fails_naming_the_library_and_the_fix(tmp_path):
    res = _inventory(tmp_path, "filter: \"server.status == 'ACTIVE'\"\n")
    out = ' '.join((res.stdout + res.stderr).split())
    assert res.returncode != 0
    assert 'the filter option needs the jmespath Python library, which is not installed (pip install jmespath)' in out
