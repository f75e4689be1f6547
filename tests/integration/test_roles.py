"""The roles of the collection, run once each as a playbook would (roles/vnf_deploy)."""
import json
import os
import uuid

from vnf_resources import assert_nothing_left, instance_id_of, writes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}

PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - role: telco.nfvo.vnf_deploy
  post_tasks:
    - name: save what the role did
      ansible.builtin.copy:
        content: "{{ vnf_deploy_instances | to_json }}"
        dest: "%s"
      check_mode: false
      diff: false
"""


def test_vnf_deploy_converges_gates_and_prunes(run_playbook, sdk, vdu_flavor, http_log, tmp_path):
    env, lines = http_log
    name = 'it-role-%s' % uuid.uuid4().hex[:6]
    out = tmp_path / 'instances.json'
    play = PLAY % out
    desired = {'vnf_deploy_cloud': 'nfvo-tenant', 'vnf_deploy_onboard': False,
               'vnf_deploy_vnfs': [{'name': name, 'package': BASIC, 'flavour_id': 'simple', 'images': IMAGES}]}
    try:
        # the gate: check mode with diff shows the plan, makes nothing
        proc = run_playbook(play, extra_vars=desired, check=True, diff=True, env=env)
        assert json.loads(out.read_text())[0]['changed'] is True
        assert 'VDU1-0' in proc.stdout and writes(lines()) == [], writes(lines())
        assert_nothing_left(sdk, instance_id_of(sdk, name))
        before = len(lines())
        # converge, then a rerun changes nothing
        run_playbook(play, extra_vars=desired)
        got = json.loads(out.read_text())[0]
        assert got['changed'] is True and got['state'] == 'INSTANTIATED' and sorted(got['vnfcs']) == ['VDU1-0', 'VDU2-0']
        run_playbook(play, extra_vars=desired, env=env)
        assert json.loads(out.read_text())[0]['changed'] is False and writes(lines()[before:]) == [], writes(lines()[before:])
        # removed from Git with an explicit prune: terminated
        run_playbook(play, extra_vars=dict(desired, vnf_deploy_vnfs=[], vnf_deploy_prune=[name]))
        got = json.loads(out.read_text())
        assert [(g['name'], g['changed'], g['state']) for g in got] == [(name, True, 'NOT_INSTANTIATED')]
    finally:
        run_playbook(play, extra_vars=dict(desired, vnf_deploy_vnfs=[], vnf_deploy_prune=[name]), expect_rc=None)
    assert_nothing_left(sdk, instance_id_of(sdk, name))
