#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The full operation x fault x moment table of issue 13 (by hand; CI runs one test per fault type:
tests/integration/test_faults.py).

Each cell: a fresh v2_basic_min VNF (instantiated first unless the operation is instantiate), the operation run by
``ansible-playbook`` through its own fault proxy (tests/faults/proxy.py; the faults switched on just before the
operation's task and off after it by the proxy's control call), then:
- moment: where the fault fires (MOMENTS: proxy rules by service, method, path and the N-th match, counted after the
  request that arms them), always after the operation's first write;
- outcome: ``completed (fault absorbed)``, ``rolled back`` (the result's occurrence ROLLED_BACK), ``FAILED_TEMP, retry
  completed`` (the user's next step: vnf_lcm_op_occ retry; a terminate: ``rerun completed``), ``failed before first write`` (no occurrence, the record
  unchanged) or ``BAD: ...`` (the message not one line naming the VNF, or the record on the cloud not what the result
  says: a lock left, another state); ``(fault never fired)`` when a rule of the cell did not fire;
- leaks: resources of the instance left behind that should not be (after a rollback: beyond what existed before the
  operation; after a final clean terminate: anything at all);
- ``ledger != cloud``: the usage ledger's server and network events differ from the creates and deletes the services
  accepted (the proxy's account, whether or not the client heard the answer).
Prints the Markdown table "fault | operation | moment | outcome | leaks" and a summary line.

usage: bench/bench_faults.py [--minutes 120] [--jobs 2] [--ops instantiate,scale_out,heal,terminate] [--faults 500,delay,reset,reset_after]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, '.build', 'pytest'))
sys.path.insert(0, os.path.join(ROOT, 'tests'))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'integration'))
CLOUD_DIR = os.environ.get('NFVO_CLOUD_DIR', os.path.join(ROOT, '.cloud'))
CLOUDS_YAML = os.path.join(CLOUD_DIR, 'clouds.yaml')
COLLECTIONS = os.path.join(ROOT, '.build', 'pytest')
BIN = os.path.dirname(sys.executable)
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}
CLIENT_TIMEOUT = 20  # api_timeout of the faulted operation (a server create takes seconds on a loaded machine); a delay fault waits DELAY
DELAY = 30
FAULTS = {'500': 'status:500', 'delay': 'delay:%d' % DELAY, 'reset': 'reset', 'reset_after': 'reset_after', '503': 'status:503'}
SERVERS, SERVER, POLL = r'/servers$', r'/servers/[0-9a-f-]+$', r'/servers/detail'
CREATED = {'service': 'compute', 'method': 'POST', 'path': SERVERS}  # armed once the operation's first server create is forwarded
# a failed wait: every status poll after the first server create answered 500 (the executor gives up after 3 in a row)
CAUSE = {'action': 'status:500', 'service': 'compute', 'method': 'GET', 'path': POLL, 'nth': 1, 'times': 3, 'after': CREATED}
# operation -> {moment: (rules with the fault as 'action', each {service, method, path, nth[, after]})}: where the fault
# fires. Every one fires after the operation's first write (the lock and the occurrence exist): 'creates' on a server
# create (instantiate: the second, one server exists), 'deletes' on a server delete, 'wait' on a status poll after the
# first server create was accepted, 'rollback' on a server delete of the rollback that a failed wait (CAUSE) started.
MOMENTS = {
    'instantiate': {'creates': [{'service': 'compute', 'method': 'POST', 'path': SERVERS, 'nth': 2}],
                    'wait': [{'service': 'compute', 'method': 'GET', 'path': POLL, 'nth': 1, 'after': CREATED}],
                    'rollback': [CAUSE, {'service': 'compute', 'method': 'DELETE', 'path': SERVER, 'nth': 1}]},
    'scale_out': {'creates': [{'service': 'compute', 'method': 'POST', 'path': SERVERS, 'nth': 1}],
                  'wait': [{'service': 'compute', 'method': 'GET', 'path': POLL, 'nth': 1, 'after': CREATED}],
                  'rollback': [CAUSE, {'service': 'compute', 'method': 'DELETE', 'path': SERVER, 'nth': 1}]},
    'heal': {'deletes': [{'service': 'compute', 'method': 'DELETE', 'path': SERVER, 'nth': 1}],
             'creates': [{'service': 'compute', 'method': 'POST', 'path': SERVERS, 'nth': 1}],
             'wait': [{'service': 'compute', 'method': 'GET', 'path': POLL, 'nth': 1, 'after': CREATED}],
             'rollback': [CAUSE, {'service': 'compute', 'method': 'DELETE', 'path': SERVER, 'nth': 1, 'after': CREATED}]},
    'terminate': {'deletes': [{'service': 'compute', 'method': 'DELETE', 'path': SERVER, 'nth': 1}],
                  'wait': [{'service': 'compute', 'method': 'GET', 'path': POLL, 'nth': 1,
                            'after': {'service': 'compute', 'method': 'DELETE', 'path': SERVER}}],
                  'network delete': [{'service': 'network', 'method': 'DELETE', 'path': r'/networks/', 'nth': 1}]},
}


def rules_of(op, fault, moment):
    """The proxy rules of one cell: the moment's, the last one (the aimed one) with the fault."""
    rules = [dict(r) for r in MOMENTS[op][moment]]
    rules[-1]['action'] = FAULTS[fault]
    return rules


def vnf_task(op, name):
    """The module and its arguments of one operation on VNF ``name``."""
    base = {'name': name, 'cloud': 'nfvo-tenant'}
    if op == 'instantiate':
        return 'telco.nfvo.vnf', dict(base, package=BASIC, flavour_id='simple', images=IMAGES)
    if op == 'scale_out':
        return 'telco.nfvo.vnf_scale', dict(base, package=BASIC, aspect_id='VDU1_scale', type='scale_out', number_of_steps=1)
    if op == 'scale_in':
        return 'telco.nfvo.vnf_scale', dict(base, package=BASIC, aspect_id='VDU1_scale', type='scale_in', number_of_steps=1)
    if op == 'heal':
        return 'telco.nfvo.vnf_heal', dict(base, package=BASIC, vnfc_instance_ids=['VDU1-0'])
    return 'telco.nfvo.vnf', dict(base, state='absent', termination_type='forceful')


class Run:
    """Playbooks through one fault proxy, with the usage callback on and a ledger of their own."""

    def __init__(self, workdir):
        from faults.proxy import FaultProxy
        self.workdir = workdir
        self.proxy = FaultProxy().start()
        self.clouds = self.proxy.clouds_yaml(CLOUDS_YAML, os.path.join(workdir, 'clouds.yaml'))
        self.ledger = os.path.join(workdir, 'ledger.db')
        self.control = self.proxy.url('identity') + '/__faults__'

    def env(self):
        return dict(os.environ, OS_CLIENT_CONFIG_FILE=self.clouds, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR='1',
                    ANSIBLE_DEPRECATION_WARNINGS='False', ANSIBLE_LOCALHOST_WARNING='False', ANSIBLE_INVENTORY_UNPARSED_WARNING='False',
                    ANSIBLE_PYTHON_INTERPRETER=os.path.join(BIN, 'python'), ANSIBLE_CALLBACKS_ENABLED='telco.nfvo.usage',
                    TELCO_NFVO_USAGE_LEDGER=self.ledger, TELCO_NFVO_USAGE_DSN='', TELCO_NFVO_USAGE_SPOOL=os.path.join(self.workdir, 'spool.jsonl'))

    def play(self, steps):
        """Run ``steps`` [(module, args, rules or None)] in one ansible-playbook; the rules are on during their step only.
        Returns the registered results."""
        out = os.path.join(self.workdir, 'results-%s.json' % uuid.uuid4().hex[:6])
        tasks = []
        for i, (module, args, rules) in enumerate(steps):
            if rules:
                tasks.append({'ansible.builtin.uri': {'url': self.control, 'method': 'POST', 'body_format': 'json', 'body': rules}})
            tasks.append({'name': 'step %d' % i, module: args, 'register': 'r%d' % i, 'ignore_errors': True})
            if rules:
                tasks.append({'ansible.builtin.uri': {'url': self.control, 'method': 'DELETE'}})
        names = ', '.join('r%d' % i for i in range(len(steps)))
        tasks.append({'ansible.builtin.copy': {'content': '{{ [%s] | to_json }}' % names, 'dest': out}})
        path = os.path.join(self.workdir, 'play-%s.yml' % uuid.uuid4().hex[:6])
        with open(path, 'w') as f:
            json.dump([{'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}], f)
        proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path], env=self.env(),
                              capture_output=True, text=True, check=False, timeout=3600)
        if not os.path.exists(out):
            raise RuntimeError('ansible-playbook rc=%s: %s' % (proc.returncode, proc.stdout[-2000:]))
        with open(out) as f:
            return json.load(f)

    def stop(self):
        self.proxy.stop()


def ledger_mismatch(run, iids):
    """What the ledger says of the instances ``iids`` that the cloud did not do (or misses), by the proxy's account of
    every create and delete of the run; '' when they agree."""
    from test_chargeback_e2e import ledger_events
    if not os.path.exists(run.ledger):
        return 'no ledger'
    events = [e for iid in iids for e in ledger_events({'path': run.ledger}, iid)]
    wrong = []
    for kind, service, collection in (('server', 'compute', '/servers'), ('network', 'network', '/networks')):
        for action, done in (('created', run.proxy.created(service, collection)), ('deleted', run.proxy.deleted(service, collection))):
            ledger = sorted(e['resource_id'] for e in events if e['resource_type'] == kind and e['action'] == action)
            # one deletion whatever the requests: a DELETE resent after its connection dropped is accepted again by Nova
            # (a server being deleted answers 204), so the proxy counts its id twice; the ledger must have it once
            done = sorted(set(done))
            if ledger != done:
                wrong.append('%s %s: ledger %d, cloud %d' % (kind, action, len(ledger), len(done)))
    return '; '.join(wrong)


def resources(sdk, iid):
    from vnf_resources import owned
    return {(kind, r.id) for kind, items in owned(sdk, iid).items() for r in items}


def record_of(sdk, iid):
    """The instance record on the cloud (its anchor's description: lock and last operation), None when there is none."""
    from vnf_resources import owned
    groups = [g for g in owned(sdk, iid)['security_groups'] if 'nfvo:role=anchor' in g.tags]
    return json.loads(groups[0].description or '{}') if groups else None


def outcome_of(res, name, record_before, record):
    """What the faulted operation's result and the record on the cloud say: (outcome, occurrence id or None); an
    outcome starting with BAD when they do not tell the truth."""
    if not res.get('failed'):
        return 'completed', None
    msg = res.get('msg') or ''
    if '\n' in msg or name not in msg:
        return 'BAD message: %s' % msg[:200], None
    occ = res.get('lcm_op_occ') or {}
    state = occ.get('operationState')
    if not occ:  # failed before the first write: nothing of the record may have changed
        if record != record_before:
            return 'BAD: failed without an occurrence, the record changed: %s -> %s (%s)' % (record_before, record, msg[:200]), None
        return 'failed before first write (%s)' % msg[:120], None
    if record is not None and ('lock' in record or (record.get('op') or {}).get('id') != occ['id']
                               or record['op'].get('state') != state):
        return 'BAD: the record says %s, the result %s' % (record, state), None
    if record is None and state != 'ROLLED_BACK':
        return 'BAD: no record, the result says %s' % state, None
    return {'ROLLED_BACK': 'rolled back', 'FAILED_TEMP': 'FAILED_TEMP'}.get(state, 'failed (%s)' % state), occ['id']


def cell(sdk, op, fault, moment):
    """One cell of the table: (outcome, leaks, ledger mismatch)."""
    from vnf_resources import instance_id_of
    workdir = tempfile.mkdtemp(prefix='bench-faults-')
    run = Run(workdir)
    name = 'bench-faults-%s' % uuid.uuid4().hex[:6]
    iid = instance_id_of(sdk, name)
    try:
        if op != 'instantiate':
            setup = run.play([vnf_task('instantiate', name) + (None,)])[0]
            if setup.get('failed'):
                return 'setup failed: %s' % setup.get('msg'), 0, ''
        before, record_before = resources(sdk, iid), record_of(sdk, iid)
        module, args = vnf_task(op, name)
        res = run.play([(module, dict(args, api_timeout=CLIENT_TIMEOUT), rules_of(op, fault, moment))])[0]
        aimed = sum(1 for f in run.proxy.fired if f[4] == len(MOMENTS[op][moment]) - 1)  # the last rule is the cell's fault
        outcome, occ_id = outcome_of(res, name, record_before, record_of(sdk, iid))
        leaks = 0
        if outcome == 'rolled back':
            leaks = len(resources(sdk, iid) - before)
        elif outcome == 'FAILED_TEMP':  # the user's next step: retry the occurrence (a terminate: run it again)
            retry = ('telco.nfvo.vnf_lcm_op_occ', {'id': occ_id, 'action': 'retry', 'package': BASIC, 'cloud': 'nfvo-tenant'}, None)
            again = run.play([vnf_task(op, name) + (None,) if op == 'terminate' else retry])[0]
            outcome += ', %s %s' % ('rerun' if op == 'terminate' else 'retry', 'completed' if not again.get('failed') else 'FAILED: %s' % again.get('msg'))
        elif outcome == 'completed' and aimed:
            outcome = 'completed (fault absorbed)'
        if op != 'terminate' or res.get('failed'):
            final = run.play([vnf_task('terminate', name) + (None,)])[0]
            if final.get('failed'):
                outcome += '; terminate FAILED: %s' % final.get('msg')
        leaks += len(resources(sdk, iid))
        if not aimed:
            outcome += ' (fault never fired)'
        return outcome, leaks, ledger_mismatch(run, [iid])
    finally:
        run.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--jobs', type=int, default=2)
    parser.add_argument('--minutes', type=float, default=120, help='cells not started by then are reported as not run')
    parser.add_argument('--ops', default=','.join(MOMENTS))
    parser.add_argument('--faults', default='500,delay,reset,reset_after', help='of %s' % ','.join(FAULTS))
    args = parser.parse_args()
    import openstack
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    sdk = openstack.connect(cloud='nfvo-tenant')
    cells = [(op, fault, moment) for op in args.ops.split(',') for moment in MOMENTS[op] for fault in args.faults.split(',')]
    order = sorted(cells, key=lambda c: (args.faults.split(',').index(c[1]), c))  # every operation early, a fault at a time
    start = time.monotonic()
    until = start + args.minutes * 60

    def timed(c):
        if time.monotonic() >= until:
            return 'not run (--minutes)', '-', ''
        done = cell(sdk, *c)
        print('%.0f s: %s %s %s: %s' % ((time.monotonic() - start,) + c + (done,)), file=sys.stderr, flush=True)  # progress
        return done
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {c: pool.submit(timed, c) for c in order}
        results = {}
        for c, f in futures.items():
            try:
                results[c] = f.result()
            except Exception as exc:  # a cell that could not run is a row of the table too
                results[c] = ('ERROR: %s' % exc, '?', '')
    print('| fault | operation | moment | outcome | leaks |')
    print('|---|---|---|---|---|')
    for (op, fault, moment) in cells:
        outcome, leaks, wrong = results[(op, fault, moment)]
        print('| %s | %s | %s | %s%s | %s |' % (fault, op, moment, outcome, ('; ledger != cloud: ' + wrong) if wrong else '', leaks))
    kinds = Counter(_kind(r[0]) for r in results.values())
    leaked = sum(r[1] for r in results.values() if isinstance(r[1], int))
    print('\n%d cells in %.0f s (--jobs %d): %s; leaks %d; ledger != cloud in %d' % (
        len(cells), time.monotonic() - start, args.jobs, ', '.join('%s %d' % kv for kv in sorted(kinds.items())), leaked,
        sum(1 for r in results.values() if r[2])))


def _kind(outcome):
    """The outcome's kind for the summary line (before its details)."""
    for kind in ('BAD', 'ERROR', 'not run', 'setup failed', 'completed', 'rolled back', 'FAILED_TEMP, retry completed',
                 'FAILED_TEMP, rerun completed', 'FAILED_TEMP',
                 'failed before first write'):
        if outcome.startswith(kind):
            return kind + (' (fault never fired)' if 'never fired' in outcome else '')
    return 'other'


if __name__ == '__main__':
    main()
