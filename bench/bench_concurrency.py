#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Many runners at once (issue 18, part 3): N concurrent ``ansible-playbook`` runs on one cloud, each instantiating,
scaling out and terminating its own VNF (tests/integration/test_concurrency.py's LIFE playbook: v2_basic_min, VDU1 x1 +
VDU2 x1, one VDU1 more, terminate), plus two runs that instantiate the same VNF at once - against ONE such run alone,
measured first in the same invocation.

Every run's usage callback writes one shared PostgreSQL ledger (tests/services/postgres.sh is started for the run
when no --dsn is given, and stopped after). Prints: the wall time of one run alone and of the N+2 at once (and the
ratio; goal of issue 18: <= 2x on 10 hosts), the requests of all runs (tests/integration/httplog: every request on the
wire), the CPU seconds of the runs' own processes and their share of the machine's cores x the wall time (the cloud's
services use the rest: on 2 cores the runs are CPU-bound, and the share says how much of it is ours), whether any
run failed, what the same-VNF pair did (one acted; the other refused by the lock or found nothing to do), and whether
the ledger is exact (every event once, each server and network created once and deleted once). Cleans up every VNF it made, also after a failure.

usage: bench/bench_concurrency.py [--runs 10] [--computes 10] [--dsn DSN] [--json FILE]
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'integration'))
COLLECTIONS = os.path.join(ROOT, '.build', 'pytest')
BIN = os.path.dirname(sys.executable)
CLOUD = 'nfvo-tenant'


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy():
    """CPU seconds the whole machine (every core, every process: the runs and the cloud) has been busy since boot."""
    with open('/proc/stat') as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf('SC_CLK_TCK')


class Runs:
    """Runs playbooks of test_concurrency at once; each run's requests logged to its own file."""

    def __init__(self, workdir, dsn):
        self.workdir, self.dsn, self.busy = workdir, dsn, 0.0

    def one(self, i, text, name, out):
        from bench_ns import play_env
        from test_concurrency import BASIC, IMAGES
        path = os.path.join(self.workdir, 'play-%d.yml' % i)
        with open(path, 'w') as f:
            f.write(text)
        saved = os.path.join(self.workdir, 'out-%d.json' % i)
        env = dict(play_env(os.path.join(self.workdir, 'http-%d.log' % i)), ANSIBLE_CALLBACKS_ENABLED='telco.nfvo.usage',
                   TELCO_NFVO_USAGE_DSN=self.dsn, TELCO_NFVO_USAGE_SPOOL=os.path.join(self.workdir, 'spool-%d.jsonl' % i))
        extra = {'vnf_name': name, 'package': BASIC, 'images': IMAGES, 'out': saved}
        proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path, '-e', json.dumps(extra)],
                              env=env, capture_output=True, text=True, check=False)
        results = []
        if os.path.exists(saved):
            with open(saved) as f:
                results = json.load(f)
        out[i] = (proc, results)

    def at_once(self, jobs, first=0):
        """[(proc, results)] of ``jobs`` ([(playbook, vnf name)]) run at the same time; (that, wall seconds, CPU seconds).
        ``self.busy``: the machine's busy CPU seconds meanwhile."""
        out = {}
        cpu, start, busy = children_cpu(), time.monotonic(), machine_busy()
        threads = [threading.Thread(target=self.one, args=(first + k, text, name, out)) for k, (text, name) in enumerate(jobs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.busy = machine_busy() - busy
        return [out[first + k] for k in range(len(jobs))], time.monotonic() - start, children_cpu() - cpu

    def requests(self, first, count):
        lines = 0
        for i in range(first, first + count):
            path = os.path.join(self.workdir, 'http-%d.log' % i)
            if os.path.exists(path):
                with open(path) as f:
                    lines += sum(1 for dummy in f)
        return lines


def own_failures(names, done):
    """The own-VNF runs that failed, each with its reason in one line."""
    bad = []
    for name, (proc, results) in zip(names, done):
        if proc.returncode != 0 or [r.get('changed') for r in results] != [True, True, True]:
            lines = [ln for ln in proc.stdout.splitlines() if 'fatal:' in ln or '"msg"' in ln]
            bad.append('%s: rc %s %s' % (name, proc.returncode, (lines or ['(no task failed: a step was unchanged)'])[-1][:300]))
    return bad


def clean(names, env):
    """Terminate every VNF the bench made (forcefully), ignoring those already gone."""
    from bench_ns import play_env
    tasks = [{'telco.nfvo.vnf': {'name': n, 'state': 'absent', 'termination_type': 'forceful', 'cloud': CLOUD}, 'ignore_errors': True}
             for n in names]
    fd, path = tempfile.mkstemp(suffix='.json')
    with os.fdopen(fd, 'w') as f:
        json.dump([{'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}], f)
    subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path], env=dict(play_env(os.devnull), **env),
                   capture_output=True, check=False)
    os.unlink(path)


def start_postgres():
    out = subprocess.run(['bash', os.path.join(ROOT, 'tests', 'services', 'postgres.sh'), 'start'], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def fresh_schema(dsn):
    import psycopg
    from psycopg.conninfo import make_conninfo
    schema = 'bench_%s' % uuid.uuid4().hex[:12]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute('CREATE SCHEMA %s' % schema)
    return make_conninfo(dsn, options='-c search_path=%s' % schema), schema


def drop_schema(dsn, schema):
    import psycopg
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute('DROP SCHEMA %s CASCADE' % schema)


def main():
    from bench_peers import project_python  # pylint: disable=import-outside-toplevel
    project_python()  # into the project's venv (scripts/venv.sh), as bench_peers.py does
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--runs', type=int, default=10, help='concurrent runs of their own VNF (besides the same-VNF pair)')
    ap.add_argument('--computes', type=int, default=10, help='fake compute hosts for the run (bench/computes.py adds them to the running cloud)')
    ap.add_argument('--dsn', help='PostgreSQL server for the shared ledger (default: tests/services/postgres.sh start, stopped after)')
    ap.add_argument('--json', help='also write the figures as JSON to this file')
    args = ap.parse_args()
    sys.path.insert(0, COLLECTIONS)
    if not os.path.islink(os.path.join(COLLECTIONS, 'ansible_collections', 'telco', 'nfvo')):
        os.makedirs(os.path.join(COLLECTIONS, 'ansible_collections', 'telco'), exist_ok=True)
        os.symlink(ROOT, os.path.join(COLLECTIONS, 'ansible_collections', 'telco', 'nfvo'))
    import openstack
    import computes
    from bench_ns import CLOUDS_YAML
    from test_concurrency import LIFE, PAIR, check_ledger, pair_outcome
    from ansible_collections.telco.nfvo.plugins.module_utils.tags import vnf_instance_id
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    project = openstack.connect(cloud=CLOUD).current_project_id
    started_pg = args.dsn is None
    server_dsn = args.dsn or start_postgres()
    dsn, schema = fresh_schema(server_dsn)
    added = computes.add(args.computes) if args.computes else []
    workdir = tempfile.mkdtemp(prefix='bench-conc-')
    tag = uuid.uuid4().hex[:6]
    alone = 'bench-conc-%s-alone' % tag
    own = ['bench-conc-%s-%d' % (tag, i) for i in range(args.runs)]
    shared = 'bench-conc-%s-pair' % tag
    runs = Runs(workdir, dsn)
    figures = {}
    try:
        done, wall1, cpu1 = runs.at_once([(LIFE, alone)])
        bad = own_failures([alone], done)
        if bad:
            raise SystemExit('the run alone failed: %s' % bad[0])
        figures['alone'] = {'wall_s': round(wall1, 1), 'requests': runs.requests(0, 1), 'cpu_s': round(cpu1, 1), 'machine_cpu_s': round(runs.busy, 1)}
        print('alone: %.1f s' % wall1, file=sys.stderr, flush=True)
        jobs = [(LIFE, n) for n in own] + [(PAIR, shared), (PAIR, shared)]
        done, wall, cpu = runs.at_once(jobs, first=1)
        print('%d at once: %.1f s' % (len(jobs), wall), file=sys.stderr, flush=True)
        bad = own_failures(own, done[:args.runs])
        pair = pair_outcome([results[0] for proc, results in done[args.runs:]])
        clean([shared], {'TELCO_NFVO_USAGE_DSN': dsn, 'ANSIBLE_CALLBACKS_ENABLED': 'telco.nfvo.usage',
                         'TELCO_NFVO_USAGE_SPOOL': os.path.join(workdir, 'spool-clean.jsonl')})
        events = check_ledger({'dsn': dsn}, [vnf_instance_id(project, n) for n in [alone] + own], servers_each=3)
        events += check_ledger({'dsn': dsn}, [vnf_instance_id(project, shared)], servers_each=2)
        figures['at_once'] = {'runs': len(jobs), 'wall_s': round(wall, 1), 'requests': runs.requests(1, len(jobs)), 'cpu_s': round(cpu, 1),
                              'machine_cpu_s': round(runs.busy, 1),
                              'failed': bad, 'pair': pair, 'ledger_events': events, 'ledger_exact': True}
    finally:
        clean([alone] + own + [shared], {})
        shutil.rmtree(workdir, ignore_errors=True)
        if added:
            print('compute hosts removed again: %s' % ', '.join(computes.remove()), file=sys.stderr)
        drop_schema(server_dsn, schema)
        if started_pg:
            subprocess.run(['bash', os.path.join(ROOT, 'tests', 'services', 'postgres.sh'), 'stop'], capture_output=True, check=False)
    a, b = figures['alone'], figures['at_once']
    cores = os.cpu_count() or 1
    print('%d compute hosts; %d cores' % (args.computes, cores))
    print("| case | wall s | requests | CPU s of the runs | the runs' share of the cores | the machine busy (runs + cloud) |")
    print('|---|---|---|---|---|---|')
    for label, f in (('one run alone', a), ('%d runs at once (%d own VNFs + the same-VNF pair)' % (b['runs'], args.runs), b)):
        print('| %s | %.1f | %d | %.1f | %.0f %% | %.0f CPU s, %.0f %% |' % (
            label, f['wall_s'], f['requests'], f['cpu_s'], 100 * f['cpu_s'] / (cores * f['wall_s']), f['machine_cpu_s'],
            100 * f['machine_cpu_s'] / (cores * f['wall_s'])))
    floor = b['machine_cpu_s'] / cores
    print('the CPU floor of the runs at once (the machine busy / %d cores): %.1f s = %.2fx one run alone; at once / floor: %.2fx' % (
        cores, floor, floor / a['wall_s'], b['wall_s'] / floor))
    print('at once / alone: %.2fx (goal <= 2x); runs failed for another\'s sake: %d%s' % (
        b['wall_s'] / a['wall_s'], len(b['failed']), ''.join('\n  ' + f for f in b['failed'])))
    print('same-VNF pair: %s; ledger exact: %d events, each once, every server and network created once and deleted once' % (
        ' + '.join(b['pair']), b['ledger_events']))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(figures, f, indent=1)
    return 1 if b['failed'] else 0


if __name__ == '__main__':
    sys.exit(main())
