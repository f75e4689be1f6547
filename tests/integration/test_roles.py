"""The vnf_deploy role as a GitOps pipeline runs it (examples/gitops: gate, converge, drift) on the local cloud."""
import os
import uuid

from vnf_resources import assert_nothing_left, instance_id_of, writes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GITOPS = os.path.join(ROOT, 'examples', 'gitops')
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}


def test_gitops_gate_converge_drift_change_and_prune(run_playbook, sdk, vdu_flavor, http_log, tmp_path):
    env, lines = http_log
    name = 'it-gitops-%s' % uuid.uuid4().hex[:6]
    plan, drift = tmp_path / 'plan.md', tmp_path / 'drift.md'
    git = {'vnf_deploy_cloud': 'nfvo-tenant', 'vnf_deploy_onboard': False, 'vnf_deploy_prune': [],
           'vnf_deploy_vnfs': [{'name': name, 'package': BASIC, 'flavour_id': 'simple', 'images': IMAGES}],
           'gitops_plan_file': str(plan), 'gitops_drift_file': str(drift)}

    def run(playbook, desired, **kw):
        return run_playbook(os.path.join(GITOPS, playbook), extra_vars=desired, **kw)
    try:
        # a new VNF in Git: the gate shows its plan and makes no write
        run('gate.yml', git, env=env)
        text = plan.read_text()
        assert '### %s (converge)' % name in text and '| create | server/VDU1-0 |' in text and '| create | server/VDU2-0 |' in text, text
        assert writes(lines()) == [], writes(lines())
        assert_nothing_left(sdk, instance_id_of(sdk, name))
        # merged: converge; a second converge makes no write; the gate and the drift report are empty
        run('converge.yml', git)
        before = len(lines())
        run('converge.yml', git, env=env)
        assert writes(lines()[before:]) == [], writes(lines()[before:])
        run('gate.yml', git)
        assert 'No change: the cloud is what Git says.' in plan.read_text(), plan.read_text()
        run('drift.yml', git)
        assert name not in drift.read_text(), drift.read_text()
        # the level changes in Git: the gate shows exactly that change
        git['vnf_deploy_vnfs'][0]['instantiation_level_id'] = 'instantiation_level_2'
        run('gate.yml', git)
        text = plan.read_text()
        rows = [ln for ln in text.splitlines() if ln.startswith('| create | server/')]
        assert rows and all('server/VDU1-' in ln for ln in rows) and 'VDU1-0 ' not in text and 'delete' not in text, text
        run('drift.yml', git)
        assert '- %s: differs from Git' % name in drift.read_text(), drift.read_text()
        # removed from Git with an explicit prune: the gate says so, converge terminates it
        git.update(vnf_deploy_vnfs=[], vnf_deploy_prune=[name])
        run('gate.yml', git)
        assert '### %s (terminate)' % name in plan.read_text(), plan.read_text()
        run('converge.yml', git)
    finally:
        run('converge.yml', dict(git, vnf_deploy_vnfs=[], vnf_deploy_prune=[name]), expect_rc=None)
    assert_nothing_left(sdk, instance_id_of(sdk, name))
