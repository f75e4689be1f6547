#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Instantiate an NS of V VNFs x C VNFCs over 2 NS virtual links with ONE telco.nfvo.ns task, against
(a) the same V VNFs as V sequential telco.nfvo.vnf tasks on the same 2 networks (created before, not timed), and
(b) the cloud's floor: a plain openstacksdk script that boots the same V x C servers (same image, flavor, one port on
    each of the 2 networks) concurrently and waits until all are ACTIVE (networks created before, not timed).

The VNF (built in a temp dir from Tacker's v2_basic_min, as bench_instantiate does): VDU1 x C-1 + VDU2 x 1 = C VNFCs at
instantiation_level_2, no affinity rule, no internal virtual link; every VDU has two external CPs, CP1 and CP2, the
requirements ``vdu<k>_a`` / ``vdu<k>_b`` of its substitution mappings. The NS (a compact ``spec`` written in the temp
dir): VNFs vnf1..vnfV of that package, independent (deployed concurrently), each CP1 on NS VL ``vl_a`` and CP2 on
``vl_b`` (CIDRs from ``cidr_pool``). So each case makes V x C servers and 2 x V x C ports.

(ours) and (a) run as ``ansible-playbook`` child processes (one playbook each: one ns task / V vnf tasks in a row);
(b) is a child ``python`` process (the time it prints is from its first request to the last server ACTIVE, without
its interpreter start). Every HTTP request is counted with tests/integration/httplog (token requests included: every
request on the wire). Prints wall time, requests, writes, requests per VNFC, the ratios against the goals of issue 12
(>= 2.5x faster than (a), <= 1.2x (b), <= 6 requests per VNFC) and where the time of (ours) goes (start of the
process to its first request, the request span, the tail after the last request; server creates; the last poll).
Cleans up everything it made (also after a failure).

Compute hosts: the local cloud runs 3 fake ones (a fake host builds one server at a time); ``--computes 10`` adds
compute4..10 to the RUNNING cloud for the run (bench/computes.py: no service restarted) and takes them back after.

usage: bench/bench_ns.py [--vnfs 4] [--vnfcs 5] [--repeat 1] [--computes N] [--only ours,a,b] [--max-concurrency 10] [-v]
                         [--logs DIR]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
CLOUD_DIR = os.environ.get('NFVO_CLOUD_DIR') or os.path.join(ROOT, '.cloud')
CLOUDS_YAML = os.environ.get('OS_CLIENT_CONFIG_FILE') or os.path.join(CLOUD_DIR, 'clouds.yaml')
CLOUD = 'nfvo-tenant'
HTTPLOG = os.path.join(ROOT, 'tests', 'integration', 'httplog')
COLLECTIONS = os.path.join(ROOT, '.build', 'pytest')
BIN = os.path.dirname(sys.executable)
IMAGE = 'cirros-0.6.3'
VDUS = ('VDU1', 'VDU2')
VLS = ('vl_a', 'vl_b')
VNFD_ID = 'b1bb0ce7-ebca-4fa7-95ed-4840d7000000'  # v2_basic_min's
WRITES = ('POST', 'PUT', 'DELETE', 'PATCH')

# (b): the same servers booted by plain openstacksdk, concurrently; prints its own timing as JSON
FLOOR_SCRIPT = r'''
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
import openstack
cfg = json.loads(sys.argv[1])
sdk = openstack.connect(cloud=cfg['cloud'])
image = sdk.image.find_image(cfg['image'])
flavor = sdk.compute.find_flavor(cfg['flavor'])
def boot(name):
    ports = [sdk.network.create_port(network_id=net, name='%s-%d' % (name, i)) for i, net in enumerate(cfg['networks'])]
    return sdk.compute.create_server(name=name, image_id=image.id, flavor_id=flavor.id, networks=[{'port': p.id} for p in ports])
start = time.monotonic()
with ThreadPoolExecutor(len(cfg['names'])) as pool:
    ids = {s.id for s in pool.map(boot, cfg['names'])}
while True:
    states = [s.status for s in sdk.compute.servers(name='^%s-' % cfg['prefix']) if s.id in ids]
    if 'ERROR' in states:
        sys.exit('a plain concurrent boot went to ERROR')
    if len(states) == len(ids) and all(st == 'ACTIVE' for st in states):
        break
    time.sleep(0.5)
print(json.dumps({'seconds': time.monotonic() - start}))
'''


def vnf_package(dest, vnfcs):
    """v2_basic_min with VDU1 x vnfcs-1 + VDU2 at instantiation_level_2, no affinity rule, no internal VL, and two
    external CPs per VDU (requirements vdu1_a, vdu1_b, vdu2_a, vdu2_b)."""
    from bench_instantiate import basic_min_variant

    def level_2(name, body):
        if name == 'VDU1_instantiation_levels':
            body['properties']['levels']['instantiation_level_2']['number_of_instances'] = vnfcs - 1
    basic_min_variant(dest, vnfcs - 1, level_2)
    path = os.path.join(dest, 'Definitions', 'v2_sample2_df_simple.yaml')
    with open(path) as f:
        doc = yaml.safe_load(f)
    topo = doc['topology_template']
    nodes = topo['node_templates']
    del nodes['internalVL3']
    reqs = {}
    for vdu in VDUS:
        for i, vl in enumerate(VLS):
            cp = '%s_CP%d' % (vdu, i + 1)
            nodes[cp] = {'type': 'tosca.nodes.nfv.VduCp', 'properties': {'layer_protocols': ['ipv4'], 'order': i},
                         'requirements': [{'virtual_binding': vdu}]}
            reqs['%s_%s' % (vdu.lower(), vl[-1])] = [cp, 'virtual_link']
    topo['substitution_mappings']['requirements'] = reqs
    topo['policies'] = [p for p in topo['policies'] if 'internalVL3_instantiation_levels' not in p]
    with open(path, 'w') as f:
        yaml.safe_dump(doc, f, sort_keys=False)
    return dest


def ns_spec(vnfs):
    links = {'%s_%s' % (vdu.lower(), vl[-1]): vl for vdu in VDUS for vl in VLS}
    return {'name': 'bench NS', 'description': '%d independent VNFs over 2 NS virtual links' % vnfs,
            'virtual_links': {vl: {} for vl in VLS},
            'vnfs': {'vnf%d' % (k + 1): {'vnfd_id': VNFD_ID, 'flavour': 'simple', 'level': 'instantiation_level_2', 'links': links}
                     for k in range(vnfs)}}


def play_env(log):
    return dict(os.environ, OS_CLIENT_CONFIG_FILE=CLOUDS_YAML, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, PYTHONPATH=HTTPLOG,
                NFVO_HTTP_LOG=log, ANSIBLE_NOCOLOR='1', ANSIBLE_DEPRECATION_WARNINGS='False', ANSIBLE_LOCALHOST_WARNING='False',
                ANSIBLE_INVENTORY_UNPARSED_WARNING='False', ANSIBLE_PYTHON_INTERPRETER=os.path.join(BIN, 'python'))


def run_play(tasks, workdir, log):
    """Run the tasks in one ansible-playbook; returns (wall seconds, epoch at start)."""
    path = os.path.join(workdir, 'play-%s.yml' % uuid.uuid4().hex[:6])
    with open(path, 'w') as f:
        json.dump([{'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}], f)
    t0 = time.time()
    start = time.monotonic()
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path], env=play_env(log),
                          capture_output=True, text=True, check=False)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit('playbook failed:\n%s\n%s' % (proc.stdout[-4000:], proc.stderr[-2000:]))
    return wall, t0


def read_log(log):
    """[(method, url, status, seconds, started epoch)] of the requests logged."""
    if not os.path.exists(log):
        return []
    with open(log) as f:
        rows = [ln.split() for ln in f.read().splitlines() if ln.strip()]
    return [(r[0], r[1], r[2], float(r[3]), float(r[4])) for r in rows]


def kind(method, url):
    path = url.split('?')[0].rstrip('/').split('/')
    return '%s %s' % (method, '/'.join(p if not any(c.isdigit() for c in p) or p.startswith('v') else '{id}' for p in path[3:]))


def where_time_goes(rows, t0, wall):
    """One line: what of the wall time is before the first request, in the request span, after the last one;
    when the first and last server create were sent and when the last server poll ended."""
    if not rows:
        return 'no requests logged'
    first = min(r[4] for r in rows) - t0
    last = max(r[4] + r[3] for r in rows) - t0
    creates = sorted(r[4] - t0 for r in rows if r[0] == 'POST' and r[1].split('?')[0].endswith('/servers'))
    polls = sorted(r[4] + r[3] - t0 for r in rows if r[0] == 'GET' and '/servers/detail' in r[1])
    busy = sum(r[3] for r in rows)
    return ('process start -> first request %.1f s, request span %.1f s, last request -> exit %.1f s; server creates sent '
            '%.1f..%.1f s; last server poll ended %.1f s; %.1f s of request time in all (%.1f in flight on average)'
            % (first, last - first, wall - last, creates[0] if creates else 0, creates[-1] if creates else 0,
               polls[-1] if polls else 0, busy, busy / max(last - first, 0.001)))


class Bench:
    def __init__(self, args, workdir, sdk):
        self.args, self.workdir, self.sdk = args, workdir, sdk
        self.pkg = vnf_package(os.path.join(workdir, 'pkg'), args.vnfcs)
        self.spec = os.path.join(workdir, 'ns_spec.yml')
        with open(self.spec, 'w') as f:
            yaml.safe_dump(ns_spec(args.vnfs), f, sort_keys=False)
        self.images = {vdu: IMAGE for vdu in VDUS}
        self.flavor = None  # the flavor telco.nfvo chose for the VDUs (b uses it)
        self.cleanups = []

    def log(self, case):
        return os.path.join(self.workdir, '%s-%s.log' % (case, uuid.uuid4().hex[:6]))

    def ours(self):
        name = 'bench-ns-%s' % uuid.uuid4().hex[:6]
        args = {'cloud': CLOUD, 'name': name, 'spec': self.spec, 'cidr_pool': ['10.96.0.0/12'],
                'vnfs': {'vnf%d' % (k + 1): {'package': self.pkg, 'images': self.images} for k in range(self.args.vnfs)},
                'max_concurrency': self.args.max_concurrency, 'termination_type': 'forceful'}
        cleanup = [{'telco.nfvo.ns': dict(args, state='absent')}]
        self.cleanups.append(('ns %s' % name, lambda: run_play(cleanup, self.workdir, self.log('cleanup'))))
        log = self.log('ours')
        wall, t0 = run_play([{'telco.nfvo.ns': args}], self.workdir, log)
        rows = read_log(log)
        from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
        servers = [s for k in range(self.args.vnfs) for s in self.sdk.compute.servers(
            tags='nfvo:vnf=%s' % T.vnf_instance_id(self.sdk.current_project_id, T.ns_vnf_name(name, 'vnf%d' % (k + 1))))]
        if len(servers) != self.args.vnfs * self.args.vnfcs:
            print('warning: the NS has %d servers, not %d' % (len(servers), self.args.vnfs * self.args.vnfcs))
        flv = servers[0].flavor
        self.flavor = self.flavor or getattr(flv, 'original_name', None) or getattr(flv, 'name', None) or flv.id
        self._clean_last()
        return wall, rows, t0

    def networks(self, prefix):
        """The 2 networks of (a) and (b), made before the timed part; deleted at cleanup (their ports first)."""
        nets = []
        for i, vl in enumerate(VLS):
            net = self.sdk.network.create_network(name='%s-%s' % (prefix, vl))
            self.sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr='10.95.%d.0/24' % i, name=net.name)
            nets.append(net)

        def delete():
            for net in nets:
                for port in self.sdk.network.ports(network_id=net.id):
                    self.sdk.network.delete_port(port)
                self.sdk.network.delete_network(net)
        self.cleanups.append(('networks %s' % prefix, delete))
        return nets

    def vnf_tasks(self):
        prefix = 'bench-nsa-%s' % uuid.uuid4().hex[:6]
        nets = self.networks(prefix)
        ext = {'%s_CP%d' % (vdu, i + 1): nets[i].id for vdu in VDUS for i in range(len(VLS))}
        tasks = [{'telco.nfvo.vnf': {'cloud': CLOUD, 'name': '%s-vnf%d' % (prefix, k + 1), 'package': self.pkg, 'flavour_id': 'simple',
                                     'instantiation_level_id': 'instantiation_level_2', 'images': self.images, 'ext_virtual_links': ext,
                                     'max_concurrency': self.args.max_concurrency, 'termination_type': 'forceful'}}
                 for k in range(self.args.vnfs)]
        cleanup = [{'telco.nfvo.vnf': dict(t['telco.nfvo.vnf'], state='absent')} for t in tasks]
        self.cleanups.append(('vnfs %s' % prefix, lambda: run_play(cleanup, self.workdir, self.log('cleanup'))))
        log = self.log('a')
        wall, t0 = run_play(tasks, self.workdir, log)
        self._clean_last(2)
        return wall, read_log(log), t0

    def floor(self):
        prefix = 'bench-nsb-%s' % uuid.uuid4().hex[:6]
        nets = self.networks(prefix)
        n = self.args.vnfs * self.args.vnfcs
        cfg = {'cloud': CLOUD, 'image': IMAGE, 'flavor': self.flavor or 'cpu1-ram512-disk3', 'prefix': prefix,
               'names': ['%s-%d' % (prefix, i) for i in range(n)], 'networks': [net.id for net in nets]}

        def delete():
            servers = list(self.sdk.compute.servers(name='^%s-' % prefix))
            for s in servers:
                self.sdk.compute.delete_server(s)
            for s in servers:
                self.sdk.compute.wait_for_delete(s, wait=300)
        self.cleanups.append(('servers %s' % prefix, delete))
        log = self.log('b')
        t0 = time.time()
        start = time.monotonic()
        proc = subprocess.run([sys.executable, '-c', FLOOR_SCRIPT, json.dumps(cfg)], env=play_env(log), capture_output=True,
                              text=True, check=False)
        wall = time.monotonic() - start
        if proc.returncode != 0:
            raise SystemExit('the openstacksdk script failed:\n%s' % proc.stderr[-3000:])
        seconds = json.loads(proc.stdout.strip().splitlines()[-1])['seconds']
        self._clean_last(2)
        return seconds, read_log(log), t0, wall

    def _clean_last(self, count=1):
        """Run the last ``count`` cleanups (newest first), now."""
        for dummy in range(count):
            what, fn = self.cleanups.pop()
            fn()

    def clean_all(self):
        while self.cleanups:
            what, fn = self.cleanups.pop()
            try:
                fn()
            except (Exception, SystemExit) as exc:  # go on with the rest; say what is left
                print('cleanup of %s failed: %s' % (what, exc))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--vnfs', type=int, default=4)
    ap.add_argument('--vnfcs', type=int, default=5, help='VNFCs per VNF (at least 2: VDU1 x vnfcs-1 + VDU2)')
    ap.add_argument('--repeat', type=int, default=1, help='runs of each case; the figures are the best (min) of them')
    ap.add_argument('--computes', type=int, help='add fake compute hosts to the running cloud up to this number for the '
                    'run, and take them back after (bench/computes.py)')
    ap.add_argument('--only', default='ours,a,b', help='cases to run, of ours,a,b')
    ap.add_argument('--max-concurrency', type=int, default=10, help='max_concurrency of the ns and vnf tasks')
    ap.add_argument('-v', '--verbose', action='store_true', help='also the requests of each case by kind')
    ap.add_argument('--logs', help='copy the request logs (httplog lines: method url status seconds started) to this directory')
    args = ap.parse_args()
    if args.vnfcs < 2:
        ap.error('--vnfcs must be at least 2')
    cases = [c for c in args.only.split(',') if c]
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    sys.path.insert(0, COLLECTIONS)
    if not os.path.islink(os.path.join(COLLECTIONS, 'ansible_collections', 'telco', 'nfvo')):
        os.makedirs(os.path.join(COLLECTIONS, 'ansible_collections', 'telco'), exist_ok=True)
        os.symlink(ROOT, os.path.join(COLLECTIONS, 'ansible_collections', 'telco', 'nfvo'))
    import openstack
    import computes
    sdk = openstack.connect(cloud=CLOUD)
    admin = openstack.connect(cloud='nfvo-admin')
    added = computes.add(args.computes) if args.computes else []
    workdir = tempfile.mkdtemp(prefix='bench-ns-')
    bench = None
    results = {c: [] for c in cases}
    try:
        hosts = sorted(h.name for h in admin.compute.hypervisors() if h.state == 'up' and h.status == 'enabled')
        bench = Bench(args, workdir, sdk)
        for dummy in range(args.repeat):
            for case, fn in (('ours', bench.ours), ('a', bench.vnf_tasks), ('b', bench.floor)):
                if case in cases:
                    results[case].append(fn())
                    print('%s: %.1f s, %d requests' % (case, results[case][-1][0], len(results[case][-1][1])), file=sys.stderr, flush=True)
    finally:
        if bench is not None:
            bench.clean_all()
        if args.logs:
            os.makedirs(args.logs, exist_ok=True)
            for log in (f for f in os.listdir(workdir) if f.endswith('.log')):
                shutil.copy(os.path.join(workdir, log), args.logs)
        shutil.rmtree(workdir, ignore_errors=True)
        if added:
            print('compute hosts removed again: %s' % ', '.join(computes.remove()))
    report(args, cases, results, hosts, added)


def report(args, cases, results, hosts, added):
    n = args.vnfs * args.vnfcs
    print('NS of %d VNFs x %d VNFCs (%d servers, %d ports) over 2 NS VLs; %d compute hosts up%s; best of %d' % (
        args.vnfs, args.vnfcs, n, 2 * n, len(hosts), ' (%s added for the run)' % ', '.join(added) if added else '', args.repeat))
    labels = {'ours': '(ours) one telco.nfvo.ns task', 'a': '(a) %d telco.nfvo.vnf tasks' % args.vnfs,
              'b': '(b) openstacksdk, concurrent'}
    print('%-34s %8s %10s %8s %14s   %s' % ('case', 'wall s', 'requests', 'writes', 'requests/VNFC', 'runs (wall s)'))
    best = {}
    for case in cases:
        runs = results[case]
        wall, rows = min(runs, key=lambda r: r[0])[:2]
        best[case] = (wall, rows)
        writes = sum(1 for r in rows if r[0] in WRITES)
        shown = ', '.join('%.1f' % r[0] for r in runs)
        print('%-34s %8.1f %10d %8d %14.1f   %s' % (labels[case], wall, len(rows), writes, len(rows) / float(n), shown))
    if 'b' in cases:
        print('(b) is from its first request to the last server ACTIVE; its process took %s s with the interpreter start'
              % ', '.join('%.1f' % r[3] for r in results['b']))
    if 'ours' in best and 'a' in best:
        print('(a) / ours = %.2fx faster (goal >= 2.5x)' % (best['a'][0] / best['ours'][0]))
    if 'ours' in best and 'b' in best:
        print('ours / (b) = %.2fx the floor (goal <= 1.2x)' % (best['ours'][0] / best['b'][0]))
    if 'ours' in best:
        print('ours: %.1f requests per VNFC (goal <= 6)' % (len(best['ours'][1]) / float(n)))
    for case in cases:
        run = min(results[case], key=lambda r: r[0])
        wall = run[3] if case == 'b' else run[0]
        print('time of %s: %s' % (case, where_time_goes(run[1], run[2], wall)))
    if args.verbose:
        for case in cases:
            kinds = Counter(kind(r[0], r[1]) for r in best[case][1])
            print('requests of %s: %s' % (case, ', '.join('%s x%d' % kv for kv in sorted(kinds.items()))))
            print('split of %s: %s' % (case, split(best[case][1])))


def split(rows):
    """The requests by what they are for: the server polls (``GET /servers/detail`` from the first server create
    on), the other reads, the writes (those the cloud refused, 4xx, apart), the token and version requests."""
    creates = [r[4] for r in rows if r[0] == 'POST' and r[1].split('?')[0].endswith('/servers')]
    first = min(creates) if creates else float('inf')
    out = Counter()
    for method, url, status, dummy, started in rows:
        path = url.split('?')[0]
        if path.endswith('/auth/tokens') or path.rstrip('/').count('/') <= 3 and method == 'GET' and not path.endswith('/detail'):
            out['token and versions'] += 1
        elif method in WRITES:
            out['writes refused' if status.startswith('4') else 'writes'] += 1
        elif path.endswith('/servers/detail') and started >= first:
            out['server polls'] += 1
        else:
            out['other reads (discovery, environment, lock checks)'] += 1
    return ', '.join('%s %d' % kv for kv in sorted(out.items()))


if __name__ == '__main__':
    main()
