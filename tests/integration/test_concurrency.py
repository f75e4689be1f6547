# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Many runners at once (issue 18, part 3; bench/bench_concurrency.py is the large form): RUNS ``ansible-playbook`` runs
side by side, each instantiating, scaling out and terminating its own VNF, and two more runs at one VNF at the same time.
The usage callback of every run writes ONE shared PostgreSQL ledger.

- No run fails for another's sake: every own-VNF run ends with rc 0 and each of its steps changed.
- The same-VNF pair: one run makes the VNF; the other is refused by the lock ("is locked by another run") or, when it
  looked after the first had finished, finds nothing to do. Never both act; the VNF has its servers once.
- The ledger is exact afterwards: every event once (no id twice), each server created once and deleted once, as many
  as the plans made (3 per own VNF: VDU1 x1 + VDU2 x1, then one VDU1 more), and the same for the network.
"""
import json
import os
import threading
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger
from test_chargeback_e2e import ledger_events
from vnf_resources import assert_nothing_left, instance_id_of, owned

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}
RUNS = 4
# one run's life of its own VNF: instantiate (VDU1 x1, VDU2 x1), scale VDU1 out by one, terminate; each result saved
LIFE = """
- hosts: localhost
  gather_facts: false
  vars:
    vnf: {name: "{{ vnf_name }}", package: "{{ package }}", cloud: nfvo-tenant}
  tasks:
    - name: instantiate
      telco.nfvo.vnf: "{{ vnf | combine({'flavour_id': 'simple', 'images': images, 'instantiation_level_id': 'instantiation_level_1'}) }}"
      register: instantiated
    - name: scale out
      telco.nfvo.vnf_scale: "{{ vnf | combine({'aspect_id': 'VDU1_scale', 'type': 'scale_out', 'number_of_steps': 1}) }}"
      register: scaled
    - name: terminate
      telco.nfvo.vnf: "{{ vnf | combine({'state': 'absent'}) }}"
      register: terminated
    - name: save
      ansible.builtin.copy:
        content: "{{ [instantiated, scaled, terminated] | to_json }}"
        dest: "{{ out }}"
"""
# one of the pair: instantiate the shared VNF; a lock refusal is an outcome to look at, not a crash of the play
PAIR = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: instantiate the shared VNF
      telco.nfvo.vnf: {name: "{{ vnf_name }}", package: "{{ package }}", cloud: nfvo-tenant, flavour_id: simple, images: "{{ images }}"}
      register: made
      ignore_errors: true
    - name: save
      ansible.builtin.copy: {content: "{{ [made] | to_json }}", dest: "{{ out }}"}
"""
LOCKED = 'is locked by another run'


def run_all(run_playbook, tmp_path, jobs, env):
    """Run ``jobs`` ([(playbook text, vnf name)]) at once; [(proc, [results])] in their order."""
    out = [None] * len(jobs)

    def go(i, text, name):
        path = tmp_path / ('play-%d.yml' % i)
        path.write_text(text)
        saved = tmp_path / ('out-%d.json' % i)
        extra = {'vnf_name': name, 'package': BASIC, 'images': IMAGES, 'out': str(saved)}
        proc = run_playbook(str(path), extra, env=dict(env, TELCO_NFVO_USAGE_SPOOL=str(tmp_path / ('spool-%d.jsonl' % i))),
                            expect_rc=None)
        out[i] = (proc, json.loads(saved.read_text()) if saved.exists() else [])
    threads = [threading.Thread(target=go, args=(i, text, name)) for i, (text, name) in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def pair_outcome(results):
    """'acted', 'locked' or 'unchanged' for each of the pair's results; AssertionError on anything else."""
    seen = []
    for res in results:
        if res.get('failed'):
            assert LOCKED in res.get('msg', ''), res.get('msg')
            seen.append('locked')
        else:
            seen.append('acted' if res['changed'] else 'unchanged')
    assert sorted(seen) in (['acted', 'locked'], ['acted', 'unchanged']), seen
    return seen


def check_ledger(spec, instance_ids, servers_each, networks_each=1):
    """The shared ledger after the runs: no event id twice; for each VNF every server and network created once and
    deleted once, ``servers_each`` servers. Returns the number of events of those VNFs."""
    db = open_ledger(**spec)
    try:
        ids = [row[0] for row in db.conn.execute(db._sql('SELECT id FROM events')).fetchall()]  # pylint: disable=protected-access
    finally:
        db.close()
    assert len(ids) == len(set(ids)), 'an event recorded twice'
    total = 0
    for iid in instance_ids:
        events = ledger_events(spec, iid)
        total += len(events)
        for kind, want in (('server', servers_each), ('network', networks_each)):
            made = sorted(e['resource_id'] for e in events if e['resource_type'] == kind and e['action'] == 'created')
            gone = sorted(e['resource_id'] for e in events if e['resource_type'] == kind and e['action'] == 'deleted')
            assert len(made) == want and len(set(made)) == want and made == gone, (iid, kind, made, gone)
    return total


def test_runs_side_by_side_never_fail_for_each_other_and_the_shared_ledger_is_exact(
        run_playbook, run_module, sdk, vdu_flavor, pg_schema_dsn, tmp_path):
    env = {'ANSIBLE_CALLBACKS_ENABLED': 'telco.nfvo.usage', 'TELCO_NFVO_USAGE_DSN': pg_schema_dsn}
    tag = uuid.uuid4().hex[:6]
    own = ['it-conc-%s-%d' % (tag, i) for i in range(RUNS)]
    shared = 'it-conc-%s-pair' % tag
    jobs = [(LIFE, name) for name in own] + [(PAIR, shared), (PAIR, shared)]
    try:
        done = run_all(run_playbook, tmp_path, jobs, env)
        for name, (proc, results) in zip(own, done[:RUNS]):
            assert proc.returncode == 0, '%s: rc %s\n%s' % (name, proc.returncode, proc.stdout[-3000:])
            assert [r['changed'] for r in results] == [True, True, True], name
            assert results[1]['lcm_op_occ']['operationState'] == 'COMPLETED'
        outcome = pair_outcome([results[0] for proc, results in done[RUNS:]])
        iid = instance_id_of(sdk, shared)
        servers = owned(sdk, iid)['servers']
        assert sorted(s.metadata.get('nfvo_vnfc_id') for s in servers) == ['VDU1-0', 'VDU2-0'], outcome  # made once
        gone = run_module('telco.nfvo.vnf', {'name': shared, 'state': 'absent'}, env=dict(env, TELCO_NFVO_USAGE_SPOOL=str(tmp_path / 'spool-x.jsonl')))
        assert not gone.get('failed'), gone.get('msg')
    finally:
        for name in own + [shared]:
            run_module('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'})
    for name in own + [shared]:
        assert_nothing_left(sdk, instance_id_of(sdk, name))
    check_ledger({'dsn': pg_schema_dsn}, [instance_id_of(sdk, n) for n in own], servers_each=3)
    check_ledger({'dsn': pg_schema_dsn}, [instance_id_of(sdk, shared)], servers_each=2)
