"""Fixtures for the integration tests: the local OpenStack (tests/cloud/start.sh) must be up.

- `cloud`: names and paths (clouds.yaml, tenant and admin cloud names)
- `sdk` / `admin_sdk`: openstacksdk connections, for checking what the modules did
- `run_module(module, args, check=False, diff=False, cloud=...)`: runs one task of ours through
  ansible-playbook and returns its registered result (a dict); `run_playbook(path_or_text, extra_vars)`.
- `http_log`: a file that counts HTTP requests of the processes started with it (see httplog/sitecustomize.py)
- `metadata_quota`: the tenant's metadata_items quota held at 20 for the test (shared by the xdist workers)
"""
import fcntl
import json
import os
import subprocess
import sys
import textwrap
import uuid

import pytest

from faults.proxy import FaultProxy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, '.build', 'pytest')  # tests/conftest.py links the tree there
CLOUD_DIR = os.environ.get('NFVO_CLOUD_DIR', os.path.join(ROOT, '.cloud'))
CLOUDS_YAML = os.path.join(CLOUD_DIR, 'clouds.yaml')
TENANT, ADMIN = 'nfvo-tenant', 'nfvo-admin'
BIN = os.path.dirname(sys.executable)


def pytest_configure(config):
    config.addinivalue_line('markers', 'serial: disturbs the shared local cloud (restarts a service): run alone, after the '
                            'parallel pass (pytest tests/integration -m serial)')


def pytest_collection_modifyitems(config, items):
    if not os.path.exists(os.path.join(CLOUD_DIR, 'ready')):
        raise pytest.UsageError('the local OpenStack is not running: start it with tests/cloud/start.sh')


@pytest.fixture(scope='session')
def cloud():
    return {'clouds_yaml': CLOUDS_YAML, 'tenant': TENANT, 'admin': ADMIN, 'dir': CLOUD_DIR}


def ansible_env(extra=None):
    env = dict(os.environ)
    env.update({
        'OS_CLIENT_CONFIG_FILE': CLOUDS_YAML,
        'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS,
        'ANSIBLE_HOST_KEY_CHECKING': 'False',
        'ANSIBLE_RETRY_FILES_ENABLED': 'False',
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'ANSIBLE_DEPRECATION_WARNINGS': 'False',
        'ANSIBLE_LOCALHOST_WARNING': 'False',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'False',
        'PATH': BIN + os.pathsep + env.get('PATH', ''),
    })
    env.update(extra or {})
    return env


@pytest.fixture(scope='module')
def proxy(cloud, tmp_path_factory):
    """tests/faults/proxy.py in front of the cloud's APIs for one test module; ``proxy.clouds`` is a clouds.yaml whose
    catalogue leads that module's client through it (test_faults.py, test_ns_scale_resume.py)."""
    fault_proxy = FaultProxy().start()
    fault_proxy.clouds = fault_proxy.clouds_yaml(cloud['clouds_yaml'], str(tmp_path_factory.mktemp('faults') / 'clouds.yaml'))
    yield fault_proxy
    fault_proxy.stop()


@pytest.fixture(scope='session')
def sdk():
    import openstack
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    return openstack.connect(cloud=TENANT)


@pytest.fixture(scope='session')
def admin_sdk():
    import openstack
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    return openstack.connect(cloud=ADMIN)


@pytest.fixture(scope='module')
def vdu_flavor(request, admin_sdk):
    """A public flavor that fits the samples' VDUs exactly (1 vCPU, 512 MB, 3 GB), one per test module: the sizes
    charged are known, and terminate must leave it (it is the user's, not ours)."""
    prefix = request.module.__name__.rsplit('.', 1)[-1].replace('test_', '').replace('_', '-')
    flavor = admin_sdk.compute.create_flavor(name='it-%s-1-512-3-%s' % (prefix, uuid.uuid4().hex[:6]), vcpus=1, ram=512, disk=3,
                                             is_public=True)
    yield flavor
    admin_sdk.compute.delete_flavor(flavor)


def _run(cmd, env, timeout):
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    return proc


@pytest.fixture
def run_playbook(tmp_path):
    def run(playbook, extra_vars=None, env=None, check=False, diff=False, timeout=1800, expect_rc=0):
        path = playbook
        if '\n' in playbook:
            path = str(tmp_path / ('play-%s.yml' % uuid.uuid4().hex[:8]))
            with open(path, 'w') as f:
                f.write(textwrap.dedent(playbook))
        cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path]
        if extra_vars:
            cmd += ['-e', json.dumps(extra_vars)]
        if check:
            cmd.append('--check')
        if diff:
            cmd.append('--diff')
        proc = _run(cmd, ansible_env(env), timeout)
        if expect_rc is not None and proc.returncode != expect_rc:
            raise AssertionError('ansible-playbook rc=%s\n%s\n%s' % (proc.returncode, proc.stdout[-6000:], proc.stderr[-3000:]))
        return proc
    return run


@pytest.fixture
def run_module(tmp_path, run_playbook):
    """Run one module as a task of a playbook on localhost; return the registered result."""
    def run(module, args, check=False, diff=False, env=None, cloud=TENANT):
        out = tmp_path / ('result-%s.json' % uuid.uuid4().hex[:8])
        args = dict(args)
        if cloud is not None:
            args.setdefault('cloud', cloud)
        play = [{
            'hosts': 'localhost', 'gather_facts': False,
            'tasks': [
                {'name': 'run', module: args, 'register': 'result', 'ignore_errors': True},
                {'name': 'save', 'ansible.builtin.copy': {'content': '{{ result | to_json }}', 'dest': str(out)},
                 'check_mode': False, 'diff': False},
            ],
        }]
        path = tmp_path / ('play-%s.yml' % uuid.uuid4().hex[:8])
        path.write_text(json.dumps(play))
        run_playbook(str(path), check=check, diff=diff, env=env)
        return json.loads(out.read_text())
    return run


@pytest.fixture
def http_log(tmp_path):
    """Environment that logs every HTTP request to a file; returns (env, read_lines)."""
    log = tmp_path / 'http.log'
    path = [os.path.join(ROOT, 'tests', 'integration', 'httplog'), os.environ.get('PYTHONPATH')]
    env = {'NFVO_HTTP_LOG': str(log), 'PYTHONPATH': os.pathsep.join(p for p in path if p)}

    def lines():
        return log.read_text().splitlines() if log.exists() else []
    return env, lines


METADATA_QUOTA = 20
QUOTA_STATE = os.path.join(CLOUD_DIR, 'it-metadata-quota.json')


def _hold_metadata_quota(admin_sdk, project, delta):
    """Count the tests (on every xdist worker) that need the quota: the first sets it, the last restores it. A count
    left by a killed run (another run id) is reset first, restoring what that run had saved."""
    run = os.environ.get('PYTEST_XDIST_TESTRUNUID') or 'pid-%d' % os.getpid()
    with open(QUOTA_STATE + '.lock', 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = json.loads(open(QUOTA_STATE).read()) if os.path.exists(QUOTA_STATE) else {}
        if state.get('run') != run:
            if state.get('holders'):
                admin_sdk.compute.update_quota_set(project, metadata_items=state['saved'])
            state = {'run': run, 'holders': 0}
        if delta > 0 and not state['holders']:
            state['saved'] = admin_sdk.compute.get_quota_set(project).metadata_items
            admin_sdk.compute.update_quota_set(project, metadata_items=METADATA_QUOTA)
        state['holders'] += delta
        if not state['holders']:
            admin_sdk.compute.update_quota_set(project, metadata_items=state.pop('saved'))
        with open(QUOTA_STATE, 'w') as out:
            out.write(json.dumps(state))


@pytest.fixture
def metadata_quota(admin_sdk, sdk):
    """The tenant's metadata_items quota, 20 while the test runs. Nova checks it synchronously per server, so a VDU given
    more metadata than that is refused exactly, whatever else runs in the shared project (an instances quota would
    race with other tests' servers). Tests on other workers share the project, so the quota is held by a count
    under a file lock: one test restoring it must not lift it under another that still relies on it."""
    project = sdk.current_project_id
    _hold_metadata_quota(admin_sdk, project, +1)
    yield METADATA_QUOTA
    _hold_metadata_quota(admin_sdk, project, -1)
