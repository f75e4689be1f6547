#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scale out by 10 VNFCs vs booting one server; API requests of healing one VNFC vs the size of the VNF.

The VNF: Tacker's v2_basic_min sample with VDU1 allowed up to 1 + max-level instances, its aspect VDU1_scale
raised to that max level, and no affinity rule (builds spread over the 3 fake compute hosts).

1. scale out: ``telco.nfvo.vnf_scale`` by ``--steps`` steps (one VNFC, i.e. one port + one server, per step) as an
   ``ansible-playbook`` child process, against booting ONE server (same network, image and flavor) two ways:
   - the way a user would without us: one ``openstack.cloud.server`` 2.5.0 task (wait: true) run by ``ansible-playbook``
     (own venv, as in bench_instantiate/bench_inventory) -- the like-for-like reference: both sides pay ansible's start;
   - the cheapest possible: openstacksdk in this process, port + server, polled every second until ACTIVE.
   Also: ``--steps`` plain servers booted concurrently with openstacksdk in this process (the cloud's own floor for
   building that many at once). Goal: within 2x of one boot. The figures depend on the number of fake compute hosts
   (each builds one server at a time while its claim holds a lock); the cloud's hypervisor count is printed.
2. heal: for each size in ``--sizes``, a VNF of that many VNFCs (VDU1 x size-1 + VDU2), the server of its last VNFC
   deleted behind our back, then ``telco.nfvo.vnf_heal`` (recreate) with every HTTP request counted
   (tests/integration/httplog). The count must not grow with the VNF's size.
Cleans up everything it made.

   ``--heals N``: N heals at each size (a server deleted before each), the median and the fastest printed, with the
   CPU seconds of the ansible-playbook process tree (the client's share of the wall time). Goal (issue 18): heal at
   10 and 200 VNFCs within 10 %% of each other.

usage: bench/bench_scale_heal.py [--steps 10] [--sizes 10,50] [--heals 1] [--no-osc] [--no-scale]
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, '.build', 'pytest'))
CLOUDS_YAML = os.environ.get('OS_CLIENT_CONFIG_FILE') or os.path.join(ROOT, '.cloud', 'clouds.yaml')
CLOUD = 'nfvo-tenant'
HTTPLOG = os.path.join(ROOT, 'tests', 'integration', 'httplog')
COLLECTIONS = os.path.join(ROOT, '.build', 'pytest')
BIN = os.path.dirname(sys.executable)
IMAGE = 'cirros-0.6.3'
IMAGES = {'VDU1': IMAGE, 'VDU2': IMAGE}


def crafted_package(dest, max_level):
    """v2_basic_min with VDU1 1..1+max_level, aspect VDU1_scale up to max_level, no affinity rule."""
    from bench_instantiate import basic_min_variant

    def aspect(name, body):
        if body['type'] == 'tosca.policies.nfv.ScalingAspects':
            body['properties']['aspects']['VDU1_scale']['max_scale_level'] = max_level
    return basic_min_variant(dest, max_level + 1, aspect)


def play_env(log=None):
    env = dict(os.environ, OS_CLIENT_CONFIG_FILE=CLOUDS_YAML, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, PYTHONPATH=HTTPLOG,
               ANSIBLE_NOCOLOR='1', ANSIBLE_DEPRECATION_WARNINGS='False', ANSIBLE_LOCALHOST_WARNING='False',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='False', ANSIBLE_PYTHON_INTERPRETER=os.path.join(BIN, 'python'))
    if log:
        env['NFVO_HTTP_LOG'] = log
    return env


def run_task(module, args, workdir, log=None):
    """Run one task alone in ansible-playbook (its result read from the minimal stdout callback, so that no second task
    adds to the time); returns (wall seconds, result)."""
    play = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': [{module: dict(args, cloud=CLOUD)}]}]
    path = os.path.join(workdir, 'play-%s.yml' % uuid.uuid4().hex[:6])
    with open(path, 'w') as f:
        json.dump(play, f)
    start = time.monotonic()
    cpu = _children_cpu()
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path],
                          env=dict(play_env(log), ANSIBLE_STDOUT_CALLBACK='ansible.builtin.minimal'), capture_output=True, text=True, check=False)
    wall = time.monotonic() - start
    run_task.cpu = _children_cpu() - cpu
    try:
        res = json.JSONDecoder().raw_decode(proc.stdout[proc.stdout.index('=> {') + 3:])[0]
    except ValueError:
        raise SystemExit('playbook failed:\n%s\n%s' % (proc.stdout[-3000:], proc.stderr[-2000:]))
    if res.get('failed') or proc.returncode != 0:
        raise SystemExit('%s failed: %s' % (module, res.get('msg')))
    return wall, res


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def requests_of(log):
    with open(log) as f:
        lines = [ln.split() for ln in f.read().splitlines()]
    lines = [ln for ln in lines if '/auth/tokens' not in ln[1]]
    kinds = Counter()
    for method, url in ((ln[0], ln[1]) for ln in lines):
        path = url.split('?')[0].rstrip('/').split('/')
        kinds['%s %s' % (method, '/'.join(p if not any(c.isdigit() for c in p) or p.startswith('v') else '{id}' for p in path[3:]))] += 1
    writes = sum(1 for ln in lines if ln[0] in ('POST', 'PUT', 'DELETE', 'PATCH'))
    return len(lines), writes, kinds


def single_boot(sdk, flavor, network_id):
    """Wall time of booting one server (port on the VNF's network) and waiting for ACTIVE."""
    image = sdk.image.find_image(IMAGE)
    start = time.monotonic()
    port = sdk.network.create_port(network_id=network_id, name='bench-single-%s' % uuid.uuid4().hex[:4])
    server = sdk.compute.create_server(name='bench-single', image_id=image.id, flavor_id=flavor.id, networks=[{'port': port.id}])
    sdk.compute.wait_for_server(server, status='ACTIVE', interval=1, wait=300)
    wall = time.monotonic() - start
    sdk.compute.delete_server(server)
    sdk.compute.wait_for_delete(server, wait=300)
    sdk.network.delete_port(port)
    return wall


def osc_single_boot(flavor, network_id, workdir):
    """Wall time of one openstack.cloud.server task (wait: true) in ansible-playbook; the server is deleted afterwards."""
    from bench_inventory import OSC_VENV
    name = 'bench-osc-single-%s' % uuid.uuid4().hex[:4]
    play = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': [
        {'openstack.cloud.server': {'cloud': CLOUD, 'name': name, 'image': IMAGE, 'flavor': flavor.name,
                                    'nics': [{'net-id': network_id}], 'auto_ip': False, 'wait': True}}]}]
    path = os.path.join(workdir, 'osc-%s.yml' % name)
    with open(path, 'w') as f:
        json.dump(play, f)
    bindir = os.path.join(OSC_VENV, 'bin')
    env = dict(play_env(), ANSIBLE_COLLECTIONS_PATH=os.path.join(OSC_VENV, 'collections'), ANSIBLE_PYTHON_INTERPRETER=os.path.join(bindir, 'python'),
               ANSIBLE_STDOUT_CALLBACK='ansible.builtin.minimal')
    start = time.monotonic()
    proc = subprocess.run([os.path.join(bindir, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path], env=env,
                          capture_output=True, text=True, check=False)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit('openstack.cloud.server failed:\n%s' % proc.stdout[-3000:])
    return wall, name


def parallel_boots(sdk, flavor, network_id, count):
    """Wall time of booting ``count`` servers at once with openstacksdk (ports and servers created concurrently)."""
    from concurrent.futures import ThreadPoolExecutor
    image = sdk.image.find_image(IMAGE)
    tag = uuid.uuid4().hex[:4]

    def boot(i):
        port = sdk.network.create_port(network_id=network_id, name='bench-par-%s-%d' % (tag, i))
        return port, sdk.compute.create_server(name='bench-par-%s-%d' % (tag, i), image_id=image.id, flavor_id=flavor.id,
                                               networks=[{'port': port.id}])
    start = time.monotonic()
    with ThreadPoolExecutor(count) as pool:
        made = list(pool.map(boot, range(count)))
    ids = {server.id for dummy, server in made}
    while True:
        states = [s.status for s in sdk.compute.servers(name='^bench-par-%s-' % tag) if s.id in ids]
        if len(states) == count and all(st == 'ACTIVE' for st in states):
            break
        if 'ERROR' in states:
            raise SystemExit('a plain parallel boot went to ERROR')
        time.sleep(0.5)
    wall = time.monotonic() - start
    for port, server in made:
        sdk.compute.delete_server(server)
    for port, server in made:
        sdk.compute.wait_for_delete(server, wait=300)
        sdk.network.delete_port(port, ignore_missing=True)
    return wall


def delete_by_name(sdk, name):
    for server in list(sdk.compute.servers(name='^%s$' % name)):
        sdk.compute.delete_server(server)
        sdk.compute.wait_for_delete(server, wait=300)


def scale_part(sdk, args, base, flavor, names, workdir):
    """Part 1: scale out by ``--steps`` VNFCs, one server boot two ways, the cloud's floor; the table row."""
    from ansible_collections.telco.nfvo.plugins.module_utils.tags import vnf_instance_id
    pkg = base['package']
    single_osc = None
    name = 'bench-scale-%s' % uuid.uuid4().hex[:6]
    names.append(name)
    run_task('telco.nfvo.vnf', dict(base, name=name), workdir)
    net = next(sdk.network.networks(tags='nfvo:vnf=%s' % vnf_instance_id(sdk.current_project_id, name)))
    if not args.no_osc:
        from bench_inventory import osc_venv
        osc_venv()
        for dummy in range(2):
            wall_osc, osc_name = osc_single_boot(flavor, net.id, workdir)
            delete_by_name(sdk, osc_name)
            single_osc = min(single_osc or wall_osc, wall_osc)
    single = min(single_boot(sdk, flavor, net.id) for dummy in range(2))
    floor = parallel_boots(sdk, flavor, net.id, args.steps)
    log = os.path.join(workdir, 'scale.log')
    wall, res = run_task('telco.nfvo.vnf_scale', {'name': name, 'package': pkg, 'aspect_id': 'VDU1_scale',
                                                  'number_of_steps': args.steps, 'max_concurrency': args.steps}, workdir, log)
    added = [v for v in res['lcm_op_occ']['resourceChanges']['affectedVnfcs'] if v['changeType'] == 'ADDED']
    total, writes, dummy = requests_of(log)
    run_task('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}, workdir)
    names.remove(name)
    return (args.steps, len(added), wall, single_osc, single, floor, total, writes)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--sizes', default='10,50')
    ap.add_argument('--no-osc', action='store_true', help='skip the openstack.cloud.server single boot')
    ap.add_argument('--no-scale', action='store_true', help='skip part 1 (scale out vs one boot)')
    ap.add_argument('--heals', type=int, default=1, help='heals at each size (median and fastest printed)')
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(',')]
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    import openstack
    from ansible_collections.telco.nfvo.plugins.module_utils.tags import vnf_instance_id
    sdk = openstack.connect(cloud=CLOUD)
    admin = openstack.connect(cloud='nfvo-admin')
    workdir = tempfile.mkdtemp(prefix='bench-scale-heal-')
    flavor = admin.compute.create_flavor(name='bench-lcm2-1-512-3-%s' % uuid.uuid4().hex[:4], vcpus=1, ram=512, disk=3, is_public=True)
    max_level = max(sizes + [args.steps + 1]) - 1
    pkg = crafted_package(os.path.join(workdir, 'pkg'), max_level)
    names = []
    scale_rows, heal_rows = [], []
    hypervisors = len(list(admin.compute.hypervisors()))
    try:
        # 1. scale out by N VNFCs vs one boot
        base = {'package': pkg, 'flavour_id': 'simple', 'images': IMAGES}
        if not args.no_scale:
            scale_rows.append(scale_part(sdk, args, base, flavor, names, workdir))
        # 2. heal one VNFC in VNFs of each size
        for size in sizes:
            name = 'bench-heal-%d-%s' % (size, uuid.uuid4().hex[:6])
            names.append(name)
            iid = vnf_instance_id(sdk.current_project_id, name)
            run_task('telco.nfvo.vnf', dict(base, name=name, scale_levels={'VDU1_scale': size - 2}, max_concurrency=20), workdir)
            walls, cpus = [], []
            for n in range(args.heals):
                servers = [s for s in sdk.compute.servers(tags='nfvo:vnf=%s' % iid)]
                victim = next(s for s in servers if s.metadata.get('nfvo_vnfc_id') == 'VDU1-%d' % (size - 2))
                sdk.compute.delete_server(victim)
                sdk.compute.wait_for_delete(victim, wait=300)
                log = os.path.join(workdir, 'heal-%d-%d.log' % (size, n))
                wall, res = run_task('telco.nfvo.vnf_heal', {'name': name, 'package': pkg}, workdir, log)
                walls.append(wall)
                cpus.append(run_task.cpu)
                print('heal %d/%d at %d VNFCs: %.1f s, %.1f CPU s' % (n + 1, args.heals, size, wall, run_task.cpu), file=sys.stderr, flush=True)
            total, writes, kinds = requests_of(log)
            healed = [v['id'] for v in res['lcm_op_occ']['resourceChanges']['affectedVnfcs']]
            heal_rows.append((size, len(servers), healed, walls, cpus, total, writes, kinds))
            run_task('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}, workdir)
            names.remove(name)
    finally:
        for name in names:
            try:
                run_task('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}, workdir)
            except SystemExit as exc:
                print('cleanup of %s failed: %s' % (name, exc))
        admin.compute.delete_flavor(flavor)
        shutil.rmtree(workdir, ignore_errors=True)

    if scale_rows:
        print('scale out (telco.nfvo.vnf_scale in ansible-playbook) vs one server boot: openstack.cloud.server in ansible-playbook'
              ' (A) and openstacksdk in process (B); %d compute hosts' % hypervisors)
        print('%-6s %-6s %8s %10s %8s %10s %8s %16s %9s %7s' % ('steps', 'added', 'wall s', 'A boot s', 'wall/A', 'B boot s', 'wall/B',
                                                                'sdk parallel s', 'requests', 'writes'))
        for steps, added, wall, single_osc, single, floor, total, writes in scale_rows:
            print('%-6d %-6d %8.1f %10s %8s %10.1f %7.2fx %9.1f (%.2fx) %9d %7d' % (
                steps, added, wall, '%.1f' % single_osc if single_osc else '-', '%.2fx' % (wall / single_osc) if single_osc else '-',
                single, wall / single, floor, floor / single, total, writes))
        print()
    print('heal of one VNFC whose server was deleted (telco.nfvo.vnf_heal, strategy recreate); token requests excluded; '
          'wall and CPU (of the ansible-playbook process tree): median (fastest) of %d' % args.heals)
    print('%-8s %-10s %-12s %14s %14s %10s %8s' % ('VNFCs', 'servers', 'healed', 'wall s', 'CPU s', 'requests', 'writes'))
    for size, servers, healed, walls, cpus, total, writes, dummy in heal_rows:
        print('%-8d %-10d %-12s %7.1f (%4.1f) %7.1f (%4.1f) %10d %8d' % (
            size, servers, ','.join(healed), statistics.median(walls), min(walls), statistics.median(cpus), min(cpus), total, writes))
    if len(heal_rows) > 1:
        small, large = heal_rows[0], heal_rows[-1]
        print('heal at %d vs %d VNFCs: %.2fx the wall time (median; goal: within 10 %%), %.2fx the CPU' % (
            large[0], small[0], statistics.median(large[3]) / statistics.median(small[3]), statistics.median(large[4]) / statistics.median(small[4])))
    for size, servers, healed, walls, cpus, total, writes, kinds in heal_rows:
        print('requests by kind, %d VNFCs: %s' % (size, ', '.join('%s x%d' % kv for kv in sorted(kinds.items()))))


if __name__ == '__main__':
    main()
