#!/usr/bin/env python3
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Overhead of the telco.nfvo.usage callback: a 500-task playbook (each task returns one usage event) run with the
callback off and on, alternately, --repeat times each; prints the median wall times and the overhead in percent.
usage: bench/bench_callback_overhead.py [--tasks 500] [--repeat 3] [--dsn DSN]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBRARY = os.path.join(ROOT, 'tests', 'data', 'callback_usage', 'library')
TASK = """    - name: Task {n}
      emit_usage_events:
        events:
          - {{id: "{{{{ nonce }}}}-{n}", timestamp: "2026-03-01T00:00:00Z", resource_type: server, resource_id: "srv-{n}", action: created,
             vcpus: 2, ram_mb: 4096, disk_gb: 20, project_name: bench, vnf_instance_id: vnf-1, vdu: VDU1}}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--tasks', type=int, default=500)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--dsn', help='measure a PostgreSQL ledger instead of SQLite')
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix='nfvo-cb-bench-')
    playbook = os.path.join(work, 'playbook.yml')
    with open(playbook, 'w') as handle:
        handle.write('- hosts: localhost\n  gather_facts: false\n  tasks:\n' + ''.join(TASK.format(n=n) for n in range(args.tasks)))
    base = dict((k, v) for k, v in os.environ.items() if k != 'ANSIBLE_CALLBACKS_ENABLED')
    base.update(ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, '.build', 'pytest'), ANSIBLE_LIBRARY=LIBRARY,
                ANSIBLE_PYTHON_INTERPRETER=sys.executable, TELCO_NFVO_USAGE_LEDGER=os.path.join(work, 'ledger.db'),
                TELCO_NFVO_USAGE_SPOOL=os.path.join(work, 'spool.jsonl'))
    sys.path.insert(0, os.path.join(ROOT, 'tests'))
    import conftest  # noqa: F401  (creates .build/pytest/ansible_collections/telco/nfvo)
    if args.dsn:
        base['TELCO_NFVO_USAGE_DSN'] = args.dsn
    times = {'off': [], 'on': []}
    for _round in range(args.repeat):
        for mode in ('off', 'on'):
            env = dict(base, ANSIBLE_CALLBACKS_ENABLED='telco.nfvo.usage') if mode == 'on' else base
            began = time.time()
            subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
                            '-e', 'nonce=%s' % uuid.uuid4().hex, playbook], env=env, check=True, stdout=subprocess.DEVNULL)
            times[mode].append(time.time() - began)
            print('%-3s %.2f s' % (mode, times[mode][-1]), flush=True)
    off, on = statistics.median(times['off']), statistics.median(times['on'])
    print('%d tasks, median of %d: callback off %.2f s, on %.2f s, overhead %+.2f %% (%s ledger)'
          % (args.tasks, args.repeat, off, on, 100.0 * (on - off) / off, 'PostgreSQL' if args.dsn else 'SQLite'))
    # The wall-clock difference is within this machine's run-to-run noise; the callback's own work, measured in-process
    # (the same Recorder.record call per task, one event each), bounds it without that noise.
    from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger_writer import Recorder
    from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import make_event
    recorder = Recorder(path=os.path.join(work, 'inprocess.db'), dsn=args.dsn, spool=os.path.join(work, 'spool.jsonl'))
    context = {'run_id': uuid.uuid4().hex, 'playbook': playbook, 'play': 'p', 'host': 'localhost', 'check_mode': False}
    events = [make_event('server', 'srv-%d' % n, 'created', vcpus=2, ram_mb=4096, disk_gb=20, project_name='bench') for n in range(args.tasks)]
    began = time.time()
    for number, event in enumerate(events):
        assert recorder.record([event], dict(context, task='Task %d' % number)) == []
    spent = time.time() - began
    recorder.close()
    print('callback work in-process: %.2f ms per task, %.2f s for %d tasks = %.2f %% of the run with the callback off'
          % (1000 * spent / args.tasks, spent, args.tasks, 100.0 * spent / off))


if __name__ == '__main__':
    main()
