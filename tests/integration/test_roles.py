"""The vnf_deploy role as a GitOps pipeline runs it (examples/gitops: gate, converge, drift, as they are) on the local
cloud, the desired state in a scratch Git repository: every step commits desired/vnfs.yml, the pipeline checks the
commit out and runs the playbook with -e @<checkout>/desired/vnfs.yml."""
import json
import os
import subprocess
import uuid

import yaml

from conftest import BIN, ansible_env
from vnf_resources import assert_nothing_left, instance_id_of, owned, writes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GITOPS = os.path.join(ROOT, 'examples', 'gitops')
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}


class Repo:
    """A scratch Git repository holding desired/vnfs.yml, and the pipeline that runs examples/gitops on its commits."""

    def __init__(self, path, env):
        self.path, self.env, self.checkouts = str(path), env, 0
        os.makedirs(os.path.join(self.path, 'desired'))
        self.git('init', '-q', '-b', 'main')

    def git(self, *args):
        return subprocess.run(['git', '-C', self.path, '-c', 'user.name=ci', '-c', 'user.email=ci@example.com'] + list(args),
                              check=True, capture_output=True, text=True).stdout.strip()

    def commit(self, desired, message):
        with open(os.path.join(self.path, 'desired', 'vnfs.yml'), 'w') as f:
            yaml.safe_dump(desired, f)
        self.git('add', '-A')
        self.git('commit', '-q', '--allow-empty', '-m', message)
        return self.git('rev-parse', 'HEAD')

    def run(self, playbook, revision, outputs, expect_rc=0):
        """The pipeline's job at ``revision``: a fresh checkout, then ansible-playbook examples/gitops/<playbook>."""
        self.checkouts += 1
        checkout = '%s-checkout-%d' % (self.path, self.checkouts)
        subprocess.run(['git', 'clone', '-q', self.path, checkout], check=True)
        subprocess.run(['git', '-C', checkout, 'checkout', '-q', revision], check=True)
        cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', os.path.join(GITOPS, playbook),
               '-e', '@%s' % os.path.join(checkout, 'desired', 'vnfs.yml'), '-e', json.dumps(outputs)]
        proc = subprocess.run(cmd, env=ansible_env(self.env), capture_output=True, text=True, timeout=1800, check=False)
        if expect_rc is not None and proc.returncode != expect_rc:
            raise AssertionError('%s at %s: rc=%s\n%s\n%s' % (playbook, revision, proc.returncode, proc.stdout[-6000:], proc.stderr[-3000:]))
        return proc


def test_gitops_gate_converge_drift_change_and_prune(sdk, vdu_flavor, http_log, tmp_path):
    env, lines = http_log
    name = 'it-gitops-%s' % uuid.uuid4().hex[:6]
    plan, drift = tmp_path / 'plan.md', tmp_path / 'drift.md'
    outputs = {'gitops_plan_file': str(plan), 'gitops_drift_file': str(drift)}
    repo = Repo(tmp_path / 'desired-state', env)
    vnf = {'name': name, 'package': BASIC, 'flavour_id': 'simple', 'images': IMAGES}
    desired = {'vnf_deploy_cloud': 'nfvo-tenant', 'vnf_deploy_onboard': False, 'vnf_deploy_prune': [], 'vnf_deploy_vnfs': [vnf]}

    def run(playbook, revision, **kw):
        """The playbook's run and the write requests it sent."""
        before = len(lines())
        repo.run(playbook, revision, outputs, **kw)
        return writes(lines()[before:])
    try:
        # a new VNF committed: the gate shows its plan and makes no write
        rev = repo.commit(desired, 'add %s' % name)
        assert run('gate.yml', rev) == []
        text = plan.read_text()
        assert '### %s (converge)' % name in text and '| create | server/VDU1-0 |' in text and '| create | server/VDU2-0 |' in text, text
        assert_nothing_left(sdk, instance_id_of(sdk, name))
        # merged: converge; a second converge makes no write; the gate and the drift report are empty
        assert run('converge.yml', rev)
        assert run('converge.yml', rev) == []
        assert run('gate.yml', rev) == []
        assert 'No change: the cloud is what Git says.' in plan.read_text(), plan.read_text()
        assert run('drift.yml', rev) == []
        assert name not in drift.read_text(), drift.read_text()
        # the level changes in Git: the gate shows exactly that change (two more VDU1 VNFCs), writing nothing
        vnf['instantiation_level_id'] = 'instantiation_level_2'
        rev = repo.commit(desired, '%s: instantiation_level_2' % name)
        assert run('gate.yml', rev) == []
        text = plan.read_text()
        servers = sorted(ln.split('|')[2].strip() for ln in text.splitlines() if ln.startswith('| create | server/'))
        assert servers == ['server/VDU1-1', 'server/VDU1-2'] and 'VDU1-0 ' not in text and 'delete' not in text, text
        assert run('drift.yml', rev) == []
        assert '- %s: differs from Git' % name in drift.read_text(), drift.read_text()
        # merged: converge to the level; no drift left
        assert run('converge.yml', rev)
        assert sorted(s.name for s in owned(sdk, instance_id_of(sdk, name))['servers']) == [
            '%s-%s' % (name, vnfc) for vnfc in ('VDU1-0', 'VDU1-1', 'VDU1-2', 'VDU2-0')]
        assert run('drift.yml', rev) == []
        assert name not in drift.read_text(), drift.read_text()
        # removed from Git with an explicit prune list: the gate says so (no write), converge terminates it
        desired.update(vnf_deploy_vnfs=[], vnf_deploy_prune=[name])
        rev = repo.commit(desired, 'remove %s' % name)
        assert run('gate.yml', rev) == []
        assert '### %s (terminate)' % name in plan.read_text(), plan.read_text()
        assert run('converge.yml', rev)
    finally:
        desired.update(vnf_deploy_vnfs=[], vnf_deploy_prune=[name])
        repo.run('converge.yml', repo.commit(desired, 'cleanup %s' % name), outputs, expect_rc=None)
    assert_nothing_left(sdk, instance_id_of(sdk, name))
