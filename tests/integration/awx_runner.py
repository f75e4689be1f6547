"""Jobs run as AWX runs them: ansible-runner (tests/services/runner.sh) on a private data dir laid out as AWX lays it.

- `service(script)`: the last line a tests/services/ script prints (a venv's bin dir, a collections path)
- `job_env(extra)`: the environment AWX starts ansible-runner in, without the test's cloud credential
- `inject(credential_type, inputs)`: a custom credential type's env and extra vars, rendered as AWX renders injectors
- `openstack_credential(pdd)`: the clouds.yaml AWX's OpenStack credential type writes (one cloud, devstack)
- `awx_job_vars(...)` / `awx_job_env(...)`: the extra vars and environment AWX gives every job
- `run_job(...)`: inventory/hosts, env/{extravars,envvars,settings}, then `ansible-runner run`; a `Job` (its artifacts)
"""
import glob
import json
import os
import stat
import subprocess
import sys
import uuid

import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import CLOUDS_YAML, ROOT, TENANT, ansible_env

AWX_HOST = 'https://awx.example.com'
INVENTORY_ID = 7


def service(script):
    proc = subprocess.run(['bash', os.path.join(ROOT, 'tests', 'services', script)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()[-1]


def job_env(extra=None):
    """The environment of the process AWX starts ansible-runner in (the EE's: collections, ansible-core on PATH),
    without the test's own cloud credential: only what the job's credentials inject."""
    env = ansible_env()
    env.pop('OS_CLIENT_CONFIG_FILE')
    env.update(extra or {})
    return env


def inject(credential_type, inputs):
    """A custom credential's env and extra vars, rendered as AWX renders injectors (sandboxed Jinja, inputs by id)."""
    sandbox = ImmutableSandboxedEnvironment()
    names = {field['id']: inputs.get(field['id'], '') for field in credential_type['inputs']['fields']}
    injectors = credential_type['injectors']
    return tuple({key: sandbox.from_string(str(template)).render(**names) for key, template in injectors.get(section, {}).items()}
                 for section in ('env', 'extra_vars'))


def openstack_credential(private_data_dir):
    """AWX's OpenStack credential type: a clouds.yaml with one cloud, devstack, in the job's env/ (mode 0600)."""
    with open(CLOUDS_YAML) as f:
        tenant = yaml.safe_load(f)['clouds'][TENANT]
    auth = tenant['auth']
    data = {'clouds': {'devstack': {'auth': {'auth_url': auth['auth_url'], 'username': auth['username'], 'password': auth['password'],
                                             'project_name': auth['project_name'], 'project_domain_name': auth['project_domain_name'],
                                             'domain_name': auth['user_domain_name']},
                                    'verify': False, 'region_name': tenant['region_name']}}}
    path = os.path.join(private_data_dir, 'env', 'tmp%s' % uuid.uuid4().hex[:8])
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), 'w') as f:
        yaml.safe_dump(data, f)
    return path, auth['password']


def awx_job_vars(job_id, template, revision, workflow=None, template_id=20):
    """The extra vars AWX adds to a job (each as awx_* and tower_*)."""
    meta = {'job_id': job_id, 'job_launch_type': 'workflow' if workflow else 'manual', 'job_template_id': template_id,
            'job_template_name': template, 'project_revision': revision, 'project_scm_branch': 'main', 'user_id': 1,
            'user_name': 'admin', 'user_email': 'admin@example.com', 'user_first_name': '', 'user_last_name': '',
            'inventory_id': INVENTORY_ID, 'inventory_name': 'telco.nfvo NFVI', 'execution_node': 'awx-ee-1'}
    if workflow:
        meta.update(workflow_job_id=workflow, workflow_job_name='telco.nfvo deploy, verify, report')
    extravars = {}
    for key, value in meta.items():
        extravars['awx_' + key] = extravars['tower_' + key] = value
    return extravars


def awx_job_env(job_id, revision):
    """The environment variables AWX sets for a job (credentials add theirs)."""
    return {'JOB_ID': str(job_id), 'INVENTORY_ID': str(INVENTORY_ID), 'PROJECT_REVISION': revision, 'AWX_HOST': AWX_HOST,
            'ANSIBLE_RETRY_FILES_ENABLED': 'False', 'MAX_EVENT_RES': '700000'}


def run_job(runner_bin, pdd, playbook, job_id, extravars, envvars, secrets, env):
    """``ansible-runner run`` on the private data dir ``pdd`` (its project/ already there), as AWX lays the rest: an
    executable inventory/hosts, env/extravars, env/envvars, env/settings."""
    ident = 'job-%d' % job_id
    for sub in ('inventory', 'env'):
        os.makedirs(os.path.join(pdd, sub), exist_ok=True)
    hosts = os.path.join(pdd, 'inventory', 'hosts')
    inventory = {'all': {'hosts': ['localhost']}, '_meta': {'hostvars': {'localhost': {
        'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable, 'remote_tower_enabled': 'true', 'remote_tower_id': 1}}}}
    with open(hosts, 'w') as f:
        f.write('#! %s\n# -*- coding: utf-8 -*-\nimport json\nprint(json.dumps(%s))\n' % (sys.executable, json.dumps(inventory)))
    os.chmod(hosts, stat.S_IRWXU)
    for name, data in (('extravars', extravars), ('envvars', envvars),
                       ('settings', {'idle_timeout': 0, 'job_timeout': 0, 'pexpect_timeout': 5, 'suppress_ansible_output': True})):
        with open(os.path.join(pdd, 'env', name), 'w') as f:
            json.dump(data, f)
    proc = subprocess.run([os.path.join(runner_bin, 'ansible-runner'), 'run', pdd, '-p', playbook, '--ident', ident],
                          env=env, capture_output=True, text=True, timeout=1800, check=False)
    return Job(pdd, ident, job_id, envvars.get('PROJECT_REVISION'), proc, secrets)


class Job:
    """The artifacts of one ansible-runner run: artifacts/<ident>/{status,rc,stdout,job_events/}."""

    def __init__(self, pdd, ident, job_id, revision, proc, secrets):
        self.dir, self.id, self.revision, self.proc = os.path.join(pdd, 'artifacts', ident), job_id, revision, proc
        self.status = self.read('status')
        self.rc = self.read('rc')
        self.stdout = self.read('stdout')
        self.events = []
        for path in glob.glob(os.path.join(self.dir, 'job_events', '*.json')):
            with open(path) as f:
                self.events.append(json.load(f))
        self.events.sort(key=lambda e: e['counter'])
        self.secrets = secrets

    def read(self, name):
        path = os.path.join(self.dir, name)
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return f.read().strip()

    def check(self):
        """A successful job: status, rc, a job event stream from playbook_on_start to playbook_on_stats, no failure, no secret."""
        assert (self.status, self.rc) == ('successful', '0'), '%s %s\n%s\n%s' % (self.status, self.rc, (self.stdout or '')[-6000:], self.proc.stderr[-2000:])
        names = [e['event'] for e in self.events]
        assert names[0] == 'playbook_on_start' and names[-1] == 'playbook_on_stats', names
        assert 'runner_on_failed' not in names and 'runner_on_unreachable' not in names, names
        stats = self.events[-1]['event_data']
        assert not stats.get('failures') and not stats.get('dark') and 'localhost' in stats['ok'], stats
        text = self.stdout + ''.join(json.dumps(e) for e in self.events)
        for secret in self.secrets:
            assert secret not in text, 'a credential secret is in the job output of job %s' % self.id
        assert not [ln for ln in self.stdout.splitlines() if '[WARNING]' in ln and 'telco.nfvo.usage' in ln], self.stdout
        return self

    def ok(self, action):
        """The event_data of the runner_on_ok events of tasks with this action."""
        return [e['event_data'] for e in self.events if e['event'] == 'runner_on_ok' and e['event_data'].get('task_action') == action]
