"""The README's main job: playbooks/demo.yml, run as scripts/demo.sh runs it (the telco.nfvo.usage callback on, a
SQLite ledger in the demo's directory) but as an AWX job - through ansible-runner (tests/services/runner.sh) on a private
data dir laid out as AWX lays it (awx_runner.py; the project is this repository), the job's artifacts checked and its
AWX metadata in the ledger - tells the whole story against the local OpenStack - onboard, NS deployed, its
NFVI inventory groups, a VNF scaled out, a VNFC deleted behind our back and healed, the chargeback report of the
demo's own usage (rendered by headless Chromium), the NS terminated - and leaves nothing behind."""
import json
import os
import re
import sqlite3
import subprocess
import time
import uuid

import pytest
import yaml

from awx_runner import awx_job_env, awx_job_vars, run_job, service
from conftest import CLOUDS_YAML, ROOT, ansible_env
from headless import CHROMIUM, NO_CHROMIUM, png_pixels_look_like_a_page, screenshot
from vnf_resources import owned
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T


def test_demo_playbook(run_module, sdk, tmp_path):
    runner_bin = service('runner.sh')
    name = 'it-demo-%s' % uuid.uuid4().hex[:6]
    demo_dir = tmp_path / 'demo'
    ledger = demo_dir / 'usage.db'
    demo_dir.mkdir()  # as scripts/demo.sh makes it: the callback opens the ledger when the run starts
    env = {'NFVO_DEMO_DIR': str(demo_dir), 'TELCO_NFVO_USAGE_LEDGER': str(ledger),
           'TELCO_NFVO_USAGE_SPOOL': str(demo_dir / 'usage.spool.jsonl'), 'ANSIBLE_CALLBACKS_ENABLED': 'telco.nfvo.usage'}
    # the AWX job: this repository as its project, the demo's environment as the job's (both clouds of clouds.yaml)
    pdd = tmp_path / 'awx'
    pdd.mkdir()
    os.symlink(ROOT, str(pdd / 'project'))
    job_id = 5000 + int(uuid.uuid4().hex[:3], 16)
    revision = subprocess.run(['git', '-C', ROOT, 'rev-parse', 'HEAD'], capture_output=True, text=True, check=False).stdout.strip() or 'unknown'
    with open(CLOUDS_YAML) as f:
        secrets = [c['auth']['password'] for c in yaml.safe_load(f)['clouds'].values()]
    started = time.time()
    try:
        job = run_job(runner_bin, str(pdd), 'playbooks/demo.yml', job_id, dict(awx_job_vars(job_id, 'telco.nfvo demo', revision), ns_name=name),
                      dict(awx_job_env(job_id, revision), **env), secrets, ansible_env())
    finally:
        run_module('telco.nfvo.ns', {'name': name, 'state': 'absent', 'termination_type': 'forceful'})
    wall = time.time() - started
    print('\ndemo wall time: %.0f s through ansible-runner (load average %s)' % (wall, ' '.join('%.2f' % x for x in os.getloadavg())))
    job.check()  # status successful, rc 0, job events from playbook_on_start to playbook_on_stats, no failure, no secret
    out = job.stdout
    assert 'failed=0' in out, out[-3000:]
    # the ledger's run is the AWX job's
    with sqlite3.connect(str(ledger)) as conn:
        runs = conn.execute('SELECT awx_job_id, awx_job_template, awx_user, project_revision FROM runs').fetchall()
    assert runs == [(str(job_id), 'telco.nfvo demo', 'admin', revision)], runs
    ns_id = T.ns_instance_id(sdk.current_project_id, name)
    # onboarded, deployed
    assert 'package helloworld3: Software of VDU1, VirtualStorage' in out, out[-6000:]
    assert '"NS %s (%s) INSTANTIATED"' % (name, ns_id) in out and '"VNFs: %s-db, %s-web"' % (name, name) in out, out[-6000:]
    # the NFVI inventory groups of the NS: the NS group holds the four VNFCs, each VNF group its two
    flat = name.replace('-', '_')
    assert '"@nfvo_ns_%s:"' % ns_id.replace('-', '_') in out and '"@nfvo_vnf_%s_db:"' % flat in out and '"@nfvo_vnf_%s_web:"' % flat in out
    for node in ('db', 'web'):
        for vdu in ('VDU1-0', 'VDU2-0'):
            assert out.count('"  |--%s-%s-%s"' % (name, node, vdu)) == 2, out[-6000:]
    # scaled out, a VNFC deleted behind our back, healed
    assert 'SCALE COMPLETED: VNF %s-web now has VNFCs VDU1-0, VDU2-0, VDU2-1' % name in out, out[-6000:]
    assert 'server %s-web-VDU1-0 deleted behind our back' % name in out
    assert 'HEAL COMPLETED: VNFCs VDU1-0, VDU2-0, VDU2-1' in out
    # the chargeback report of the demo's own usage: its path printed, both VNFs charged, a page a person can read
    report = re.search(r'Chargeback report: (\S+\.html)', out).group(1)
    assert report == os.path.realpath(str(demo_dir / 'chargeback.html')) and ledger.exists()
    totals = json.loads(re.search(r'cost per VNF: (\{.*\})"', out).group(1).replace('\\"', '"'))
    assert sorted(totals) == ['%s-db' % name, '%s-web' % name] and all(t['EUR'] > 0 for t in totals.values()), totals
    page = open(report).read()
    assert '<script' not in page and '<svg' in page and '%s-web' % name in page
    # terminated, nothing left (the playbook's own check with plain openstacksdk, and ours)
    assert 'TERMINATE COMPLETED; left of the NS: {\\"servers\\": [], \\"ports\\": [], \\"networks\\": [], \\"security_groups\\": []}' in out
    deadline = time.time() + 60
    while True:
        left = {k: v for node in ('db', 'web')
                for k, v in owned(sdk, T.vnf_instance_id(sdk.current_project_id, T.ns_vnf_name(name, node))).items() if v}
        left.update({k: v for k, v in (('networks', list(sdk.network.networks(tags=T.tag('ns', ns_id)))),
                                       ('anchors', list(sdk.network.security_groups(name=T.ns_anchor_name(name))))) if v})
        if not left or time.time() > deadline:
            break
        time.sleep(2)
    assert not left, left
    if not CHROMIUM:
        pytest.skip(NO_CHROMIUM)
    png = str(tmp_path / 'report.png')
    screenshot(report, png, tmp_path / 'profile')
    width, height, distinct = png_pixels_look_like_a_page(png)
    assert (width, height) == (1200, 900) and distinct > 50
