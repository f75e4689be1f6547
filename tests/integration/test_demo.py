"""The README's main job: playbooks/demo.yml runs green against the local OpenStack and leaves nothing behind."""
import os
import time

from conftest import ROOT


def test_demo_playbook(run_playbook, run_module, sdk):
    try:
        proc = run_playbook(os.path.join(ROOT, 'playbooks', 'demo.yml'), extra_vars={'vnf_name': 'it-demo-vnf'})
    finally:
        run_module('telco.nfvo.vnf', {'name': 'it-demo-vnf', 'state': 'absent'})
    out = proc.stdout
    assert 'INSTANTIATE COMPLETED; second run changed=False' in out, out[-3000:]
    assert 'TERMINATE COMPLETED' in out and 'failed=0' in out
    # Nova may still list a server as DELETED for a moment after it is gone
    deadline = time.time() + 60
    while True:
        left = [(s.id, s.status) for s in sdk.compute.servers()
                if s.metadata.get('nfvo_vnf_name') == 'it-demo-vnf' and s.status != 'DELETED']
        if not left or time.time() > deadline:
            break
        time.sleep(2)
    assert not left
