"""The collection builds with ansible-galaxy, installs, documents itself, and its modules run from the installed copy."""
import glob
import json
import os
import subprocess

from conftest import BIN, ROOT, ansible_env


def _run(cmd, env=None, cwd=None):
    proc = subprocess.run(cmd, env=env or ansible_env(), cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, '%s\n%s\n%s' % (' '.join(cmd), proc.stdout[-3000:], proc.stderr[-3000:])
    return proc.stdout


def test_build_install_and_run_from_installed_copy(tmp_path):
    _run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(tmp_path), ROOT], cwd=ROOT)
    tarball, = glob.glob(str(tmp_path / 'telco-nfvo-*.tar.gz'))
    assert os.path.getsize(tarball) < 20 * 2 ** 20, 'the tarball carries more than the collection'
    dest = tmp_path / 'installed'
    _run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--force', tarball, '-p', str(dest)])
    env = ansible_env({'ANSIBLE_COLLECTIONS_PATH': str(dest)})
    raw = _run([os.path.join(BIN, 'ansible-doc'), '--json', 'telco.nfvo.nfvi_info'], env=env)
    doc = json.loads(raw)
    assert 'telco.nfvo.nfvi_info' in doc, raw[:2000]
    assert doc['telco.nfvo.nfvi_info']['doc']['short_description']
    assert str(dest) in doc['telco.nfvo.nfvi_info']['doc']['filename']
    out = _run([os.path.join(BIN, 'ansible'), 'localhost', '-m', 'telco.nfvo.nfvi_info', '-a', 'cloud=nfvo-tenant gather=flavors',
                '-e', 'ansible_python_interpreter=' + os.path.join(BIN, 'python')], env=env)
    assert '"m1.tiny"' in out and 'SUCCESS' in out
    listing = _run([os.path.join(BIN, 'ansible-doc'), '--list', 'telco.nfvo', '-t', 'module'], env=env)
    assert 'telco.nfvo.nfvi_info' in listing


def test_action_group_lists_every_module():
    import yaml
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as f:
        group = {m for m in yaml.safe_load(f)['action_groups']['nfvo'] if isinstance(m, str)}  # not the metadata entry
    modules = {os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py'))}
    # chargeback_report has no cloud options: it reads the ledger only, so a group-wide `cloud:` default would break it
    assert group == modules - {'chargeback_report'}
