"""Jobs run as AWX runs them, on the local OpenStack: the REAL ansible-runner (tests/services/runner.sh) with a private
data dir laid out as AWX lays it - project/ (a Git checkout: the collection's examples/gitops and extensions/awx, a
desired-state file, a rate file, a tiny VNF package), inventory/hosts (AWX's inventory script), env/extravars (the
awx_* / tower_* job metadata and the job template's extra vars), env/envvars (JOB_ID, INVENTORY_ID, PROJECT_REVISION,
AWX_HOST, OS_CLIENT_CONFIG_FILE at a clouds.yaml as AWX's OpenStack credential type writes it, and the env that
extensions/awx/credential_types/usage_ledger.yml injects, rendered as AWX renders injectors), env/settings.

The workflow of extensions/awx/configure.yml runs job by job: deploy -> (inventory update of the NFVI source) -> verify
-> report, then a prune job terminates the VNF. Each job's artifacts (status, rc, job_events) are checked, no secret is
in them, and the PostgreSQL ledger's rows carry each job's AWX metadata. The awx.awx configuration (awx.awx from the
pinned ansible package, tests/services/awx_collection.sh) is syntax-checked and its options checked against awx.awx's
own documentation."""
import json
import os
import shutil
import subprocess
import time
import uuid

import psycopg
import pytest
import yaml

from awx_runner import AWX_HOST, INVENTORY_ID, awx_job_env, awx_job_vars, inject, job_env, openstack_credential, run_job, service
from conftest import BIN, COLLECTIONS, ROOT, ansible_env
from vnf_resources import assert_nothing_left, instance_id_of

AWX = os.path.join(ROOT, 'extensions', 'awx')
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
PLAYBOOKS = ('configure.yml', 'playbooks/deploy.yml', 'playbooks/verify.yml', 'playbooks/report.yml')
RATES = {'currency': 'EUR', 'rates': [{'name': 'standard', 'details': [
    {'field': 'vcpu', 'per_time': 'hourly', 'variable': 0.6}, {'field': 'memory', 'per_time': 'hourly', 'per_unit': 'gigabytes', 'variable': 0.3}]}]}


@pytest.fixture(scope='module')
def runner_bin():
    return service('runner.sh')


@pytest.fixture(scope='module')
def awx_collections():
    return service('awx_collection.sh')


class Awx:
    """One AWX "controller": a project checked out from Git and the jobs it launches through ansible-runner."""

    def __init__(self, runner_bin, work, ledger_env, ledger_password):
        self.runner_bin, self.work = runner_bin, work
        self.ledger_env, self.secrets = ledger_env, [ledger_password]
        self.project = os.path.join(work, 'repo')
        self.job_id = 1000 + int(uuid.uuid4().hex[:4], 16)
        os.makedirs(self.project)
        for src, dest in ((os.path.join(ROOT, 'examples', 'gitops'), 'examples/gitops'), (AWX, 'extensions/awx'),
                          (BASIC, 'packages/v2_basic_min')):
            shutil.copytree(src, os.path.join(self.project, dest))
        self.write('rates.yml', RATES)

    def write(self, path, data):
        with open(os.path.join(self.project, path), 'w') as f:
            yaml.safe_dump(data, f)

    def commit(self, message):
        git = ['git', '-C', self.project, '-c', 'user.name=ci', '-c', 'user.email=ci@example.com']
        if not os.path.isdir(os.path.join(self.project, '.git')):
            subprocess.run(git + ['init', '-q', '-b', 'main'], check=True)
        subprocess.run(git + ['add', '-A'], check=True)
        subprocess.run(git + ['commit', '-q', '-m', message], check=True)
        return subprocess.run(git + ['rev-parse', 'HEAD'], check=True, capture_output=True, text=True).stdout.strip()

    def launch(self, template, playbook, extra_vars, workflow=None):
        """A job of job template ``template``: AWX's private data dir, then ``ansible-runner run``; the job's record."""
        self.job_id += 1
        pdd = os.path.join(self.work, 'awx_%d_%s' % (self.job_id, uuid.uuid4().hex[:6]))
        revision = subprocess.run(['git', '-C', self.project, 'rev-parse', 'HEAD'], check=True, capture_output=True, text=True).stdout.strip()
        # AWX copies the project at the job's revision into the private data dir
        subprocess.run(['git', 'clone', '-q', self.project, os.path.join(pdd, 'project')], check=True)
        os.makedirs(os.path.join(pdd, 'env'))
        clouds_yaml, os_password = openstack_credential(pdd)
        self.secrets.append(os_password)
        extravars = dict(extra_vars, **awx_job_vars(self.job_id, template, revision, workflow, template_id=20 + PLAYBOOKS.index(playbook)))
        envvars = dict(awx_job_env(self.job_id, revision), OS_CLIENT_CONFIG_FILE=clouds_yaml, **self.ledger_env)
        return run_job(self.runner_bin, pdd, 'extensions/awx/' + playbook, self.job_id, extravars, envvars, self.secrets, job_env())


def test_awx_configuration_as_code_syntax_and_options(awx_collections):
    """extensions/awx: each playbook passes ansible-playbook --syntax-check with awx.awx installed (an unknown module
    fails it), and every option given to an awx.awx module is one awx.awx 24.6.1 documents."""
    env = ansible_env({'ANSIBLE_COLLECTIONS_PATH': os.pathsep.join([awx_collections, COLLECTIONS])})
    for playbook in PLAYBOOKS:
        proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '--syntax-check', '-i', 'localhost,', os.path.join(AWX, playbook)],
                              env=env, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, '%s: %s' % (playbook, proc.stderr[-3000:])
    with open(os.path.join(AWX, 'configure.yml')) as f:
        tasks = yaml.safe_load(f)[0]['tasks']
    used = {}
    for task in tasks:
        module = next(k for k in task if k.startswith('awx.awx.'))
        used.setdefault(module, set()).update(task[module])
    proc = subprocess.run([os.path.join(BIN, 'ansible-doc'), '-j'] + sorted(used), env=env, capture_output=True, text=True, check=True)
    docs = json.loads(proc.stdout)
    assert sorted(docs) == sorted(used), sorted(docs)
    for module, keys in used.items():
        options = docs[module]['doc']['options']
        known = set(options) | {alias for o in options.values() for alias in o.get('aliases') or []}
        assert keys <= known, '%s: %s not in awx.awx options' % (module, sorted(keys - known))
    with open(os.path.join(awx_collections, 'ansible_collections', 'awx', 'awx', 'MANIFEST.json')) as f:
        assert json.load(f)['collection_info']['version'] == '24.6.1'  # the pin the playbooks are written for


def test_workflow_jobs_through_ansible_runner(runner_bin, pg_schema_dsn, sdk, vdu_flavor, tmp_path):
    """deploy -> NFVI inventory update -> verify -> report, as one AWX workflow's jobs, then a prune job; each job
    through ansible-runner with AWX's private data dir; the ledger credential injected as AWX injects it."""
    with open(os.path.join(AWX, 'credential_types', 'usage_ledger.yml')) as f:
        credential_type = yaml.safe_load(f)
    ledger_password = 'pw-%s' % uuid.uuid4().hex
    ledger_env, ledger_vars = inject(credential_type, {'dsn': pg_schema_dsn, 'password': ledger_password})
    assert ledger_env == {'TELCO_NFVO_USAGE_DSN': pg_schema_dsn, 'PGPASSWORD': ledger_password,
                          'ANSIBLE_CALLBACKS_ENABLED': 'telco.nfvo.usage'} and ledger_vars == {}, ledger_env
    awx = Awx(runner_bin, str(tmp_path), ledger_env, ledger_password)
    name = 'it-awx-%s' % uuid.uuid4().hex[:6]
    vnf = {'name': name, 'package': '{{ nfvo_project_dir }}/packages/v2_basic_min', 'flavour_id': 'simple',
           'images': {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}}
    awx.write('desired.yml', {'vnf_deploy_cloud': 'devstack', 'vnf_deploy_onboard': False, 'vnf_deploy_vnfs': [vnf], 'vnf_deploy_prune': []})
    awx.commit('desired: %s' % name)
    workflow = int(uuid.uuid4().hex[:4], 16)
    reports = tmp_path / 'reports'
    template_vars = {'nfvo_desired_file': 'desired.yml', 'nfvo_rates_file': 'rates.yml', 'chargeback_report_dir': str(reports),
                     'chargeback_report_group_by': ['job'], 'chargeback_report_formats': ['json'],
                     'chargeback_report_month': time.strftime('%Y-%m', time.gmtime()), 'chargeback_report_interval': 'monthly'}
    try:
        deploy = awx.launch('telco.nfvo deploy', 'playbooks/deploy.yml', template_vars, workflow).check()
        converged = deploy.ok('telco.nfvo.vnf')
        assert converged and converged[0]['res']['changed'] and converged[0]['res']['results'][0]['vnf_instance']['vnfInstanceName'] == name, converged

        # the inventory update of "telco.nfvo NFVI from the project": ansible-inventory on the source path, with the
        # OpenStack credential injected (the same clouds.yaml, one cloud named devstack) and, as AWX sets it, an
        # unparsed source failing the update
        clouds_yaml = openstack_credential(os.path.dirname(os.path.dirname(deploy.dir)))[0]
        proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', os.path.join(awx.project, 'extensions/awx/inventory/nfvi.nfvi.yml'), '--list'],
                              env=job_env({'OS_CLIENT_CONFIG_FILE': clouds_yaml, 'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'True'}),
                              capture_output=True, text=True, check=False, timeout=600)
        assert proc.returncode == 0 and '[WARNING]' not in proc.stderr, proc.stderr[-3000:]
        hosts = json.loads(proc.stdout)['_meta']['hostvars']
        assert sorted(h for h in hosts if h.startswith(name)) == ['%s-VDU1-0' % name, '%s-VDU2-0' % name], sorted(hosts)

        verify = awx.launch('telco.nfvo verify', 'playbooks/verify.yml', template_vars, workflow).check()
        verified = verify.ok('ansible.builtin.assert')
        assert [r['res']['results'][0]['msg'] for r in verified] == ['VNF %s: INSTANTIATED, no drift' % name], verified

        report = awx.launch('telco.nfvo report', 'playbooks/report.yml', template_vars, workflow).check()
        written = report.ok('telco.nfvo.chargeback_report')
        assert written and written[0]['res']['results'][0]['dest'].startswith(str(reports)), written
        with open(written[0]['res']['results'][0]['dest']) as f:
            groups = [row['group'] for row in json.load(f)['rows']]
        assert 'AWX job %d' % deploy.id in groups, groups
    finally:
        # removed from Git with an explicit prune list: the same deploy job template terminates it
        awx.write('desired.yml', {'vnf_deploy_cloud': 'devstack', 'vnf_deploy_vnfs': [], 'vnf_deploy_prune': [name]})
        awx.commit('prune: %s' % name)
        prune = awx.launch('telco.nfvo deploy', 'playbooks/deploy.yml', template_vars)
    prune.check()
    assert_nothing_left(sdk, instance_id_of(sdk, name))

    # the ledger: a run per job that changed something, with that job's AWX metadata; its events under it
    with psycopg.connect(pg_schema_dsn) as conn:
        runs = conn.execute('SELECT run_id, awx_job_id, awx_job_template, awx_user, awx_workflow_job_id, project_revision, awx_host,'
                            ' awx_inventory_id, playbook FROM runs').fetchall()
        events = conn.execute('SELECT r.awx_job_id, e.action, e.resource_type, e.vnf_name, e.play, e.task FROM events e'
                              ' JOIN runs r ON r.run_id = e.run_id').fetchall()
    runs.sort(key=lambda run: int(run[1]))
    assert [r[1:8] for r in runs] == [
        (str(deploy.id), 'telco.nfvo deploy', 'admin', str(workflow), deploy.revision, AWX_HOST, str(INVENTORY_ID)),
        (str(prune.id), 'telco.nfvo deploy', 'admin', None, prune.revision, AWX_HOST, str(INVENTORY_ID))], runs
    assert all(r[8].endswith('extensions/awx/playbooks/deploy.yml') for r in runs), runs
    servers = sorted((e[0], e[1]) for e in events if e[2] == 'server' and e[3] == name)
    assert servers == [(str(deploy.id), 'created')] * 2 + [(str(prune.id), 'deleted')] * 2, events
    tasks = {'telco.nfvo.vnf_deploy : %s' % task for task in ('Converge the VNFs', 'Terminate the pruned VNFs')}
    assert {e[5] for e in events} == tasks, events
