#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The full operation x fault x moment table of issue 13 (by hand; CI runs one test per fault type:
tests/integration/test_faults.py).

Each cell: a fresh v2_basic_min VNF (instantiated first unless the operation is instantiate), the operation run by
``ansible-playbook`` through its own fault proxy (tests/faults/proxy.py; the faults switched on just before the
operation's task and off after it by the proxy's control call), then:
- outcome: ``survived`` (completed, the fault absorbed), ``rolled back`` / ``failed_temp`` / ``failed`` (the operation
  failed; its one-line message is checked: one line, naming the VNF) or ``BAD: ...`` (what was wrong);
- leaks: resources of the instance left behind that should not be (after a rollback: beyond what existed before the
  operation; after a final clean terminate: anything at all).
Prints the Markdown table "fault | operation | moment | outcome | leaks".

usage: bench/bench_faults.py [--minutes 120] [--jobs 3] [--ops instantiate,scale_out,heal,terminate] [--faults 503,500,delay,reset,reset_after]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
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
FAULTS = {'503': 'status:503', '500': 'status:500', 'delay': 'delay:%d' % DELAY, 'reset': 'reset', 'reset_after': 'reset_after'}
# operation -> {moment: (service, method, path pattern, nth)}
MOMENTS = {
    'instantiate': {'creates': ('compute', 'POST', r'/servers$', 2), 'wait': ('compute', 'GET', r'/servers/detail', 1)},
    'scale_out': {'creates': ('compute', 'POST', r'/servers$', 1), 'wait': ('compute', 'GET', r'/servers/detail', 2)},
    'heal': {'deletes': ('compute', 'DELETE', r'/servers/', 1), 'creates': ('compute', 'POST', r'/servers$', 1)},
    'terminate': {'deletes': ('compute', 'DELETE', r'/servers/', 1), 'network delete': ('network', 'DELETE', r'/networks/', 1)},
}


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
            if ledger != sorted(done):
                wrong.append('%s %s: ledger %d, cloud %d' % (kind, action, len(ledger), len(done)))
    return '; '.join(wrong)


def resources(sdk, iid):
    from vnf_resources import owned
    return {(kind, r.id) for kind, items in owned(sdk, iid).items() for r in items}


def outcome_of(res, name):
    if not res.get('failed'):
        return 'survived'
    msg = res.get('msg') or ''
    if '\n' in msg or name not in msg:
        return 'BAD message: %s' % msg[:200]
    state = (res.get('lcm_op_occ') or {}).get('operationState')
    return {'ROLLED_BACK': 'rolled back', 'FAILED_TEMP': 'failed_temp'}.get(state, 'failed (%s)' % state)


def cell(sdk, op, fault, moment):
    """One cell of the table: (outcome, leaks, note)."""
    from vnf_resources import instance_id_of
    workdir = tempfile.mkdtemp(prefix='bench-faults-')
    run = Run(workdir)
    name = 'bench-faults-%s' % uuid.uuid4().hex[:6]
    iid = instance_id_of(sdk, name)
    service, method, path, nth = MOMENTS[op][moment]
    rules = [{'action': FAULTS[fault], 'service': service, 'method': method, 'path': path, 'nth': nth}]
    try:
        if op != 'instantiate':
            setup = run.play([vnf_task('instantiate', name) + (None,)])[0]
            if setup.get('failed'):
                return 'setup failed: %s' % setup.get('msg'), 0, ''
        before = resources(sdk, iid)
        module, args = vnf_task(op, name)
        args = dict(args, api_timeout=CLIENT_TIMEOUT)
        res = run.play([(module, args, rules)])[0]
        outcome = outcome_of(res, name)
        after = resources(sdk, iid)
        leaks = 0
        if outcome == 'rolled back':
            leaks = len(after - before)
        elif outcome == 'failed_temp':  # the user's next step: run it again
            again = run.play([vnf_task(op, name) + (None,)])[0]
            outcome += ', rerun %s' % ('completed' if not again.get('failed') else 'FAILED: %s' % again.get('msg'))
        fired = len(run.proxy.fired)
        final = run.play([vnf_task('terminate', name) + (None,)])[0]
        if final.get('failed'):
            outcome += '; terminate FAILED: %s' % final.get('msg')
        leaks += len(resources(sdk, iid))
        wrong = ledger_mismatch(run, [iid])
        return outcome + ('' if fired else ' (fault never fired)'), leaks, wrong
    finally:
        run.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--jobs', type=int, default=3)
    parser.add_argument('--minutes', type=float, default=120, help='cells not started by then are reported as not run')
    parser.add_argument('--ops', default=','.join(MOMENTS))
    parser.add_argument('--faults', default=','.join(FAULTS))
    args = parser.parse_args()
    import openstack
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    sdk = openstack.connect(cloud='nfvo-tenant')
    cells = [(op, fault, moment) for op in args.ops.split(',') for moment in MOMENTS[op] for fault in args.faults.split(',')]
    order = sorted(cells, key=lambda c: (args.faults.split(',').index(c[1]), c))  # every operation early, a fault at a time
    start = time.monotonic()
    until = start + args.minutes * 60

    def timed(c):
        return cell(sdk, *c) if time.monotonic() < until else ('not run (--minutes)', '-', '')
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
        print('| %s | %s | %s | %s%s | %s |' % (fault, op, moment, outcome, ('; ledger: ' + wrong) if wrong else '', leaks))
    print('\n%d cells in %.0f s' % (len(cells), time.monotonic() - start))


if __name__ == '__main__':
    main()
