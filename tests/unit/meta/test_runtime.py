# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meta/runtime.yml: group/telco.nfvo.nfvo extends openstack.cloud's action group `openstack`. With a collection named
openstack.cloud on the collections path (a stand-in made here: its meta/runtime.yml declares the group `openstack`
with one module that echoes its options), a module_defaults default of group/telco.nfvo.nfvo reaches that module;
without it the group still resolves and plays that use it run. ansible-playbook on localhost, no cloud."""
import json
import os
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
COLLECTIONS = os.path.join(ROOT, '.build', 'pytest')  # tests/conftest.py links the work tree there

ECHO = '''#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
DOCUMENTATION = "{module: echo_cloud, short_description: stand-in, description: [stand-in], author: [test], options: {}}"
def main():
    module = AnsibleModule(argument_spec=dict(cloud=dict(type='raw'), region_name=dict(type='str')))
    module.exit_json(changed=False, cloud=module.params['cloud'], region_name=module.params['region_name'])
main()
'''


def _stand_in_openstack_cloud(base):
    coll = base / 'ansible_collections' / 'openstack' / 'cloud'
    (coll / 'meta').mkdir(parents=True)
    (coll / 'plugins' / 'modules').mkdir(parents=True)
    (coll / 'galaxy.yml').write_text('namespace: openstack\nname: cloud\nversion: 2.4.1\nauthors: [test]\nreadme: README.md\n')
    (coll / 'meta' / 'runtime.yml').write_text('requires_ansible: ">=2.16"\naction_groups:\n  openstack:\n    - echo_cloud\n')
    (coll / 'plugins' / 'modules' / 'echo_cloud.py').write_text(ECHO)
    return str(base)


def _play(tmp_path, paths, tasks):
    out = tmp_path / 'out.json'
    play = [{'hosts': 'localhost', 'gather_facts': False,
             'module_defaults': {'group/telco.nfvo.nfvo': {'cloud': 'east', 'region_name': 'RegionTwo'}},
             'tasks': tasks + [{'name': 'Save', 'ansible.builtin.copy': {
                 'content': '{{ echoed | default({}) | to_json }}', 'dest': str(out), 'mode': '0600'}}]}]
    (tmp_path / 'play.yml').write_text(yaml.safe_dump(play))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.pathsep.join(paths), ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
           str(tmp_path / 'play.yml')]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(out.read_text()), proc


def test_a_default_of_our_group_applies_to_a_module_of_openstack_clouds_group(tmp_path):
    stand_in = _stand_in_openstack_cloud(tmp_path / 'other')
    echoed, _proc = _play(tmp_path, [stand_in, COLLECTIONS],
                          [{'name': 'A module of openstack.cloud', 'openstack.cloud.echo_cloud': {}, 'register': 'echoed'}])
    assert (echoed['cloud'], echoed['region_name']) == ('east', 'RegionTwo')


def test_without_openstack_cloud_the_group_still_resolves(tmp_path):
    echoed, proc = _play(tmp_path, [COLLECTIONS], [{'name': 'Nothing', 'ansible.builtin.debug': {'msg': 'ok'}}])
    assert echoed == {} and 'could not resolve' not in proc.stdout + proc.stderr


def test_runtime_declares_the_extension():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as f:
        group = yaml.safe_load(f)['action_groups']['nfvo']
    assert group[0] == {'metadata': {'extend_group': ['openstack.cloud.openstack']}}
