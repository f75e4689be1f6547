#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Instantiate a VNF of N VNFCs with telco.nfvo.vnf vs the same servers with openstack.cloud.server in a loop.

The VNF: Tacker's v2_basic_min sample with VDU1 allowed N-1 instances and a level that asks for them (VDU1 x N-1 +
VDU2 = N VNFCs, one port each on the internal VL), without its affinity rule (one host would build them one by one).
The comparison: a playbook that creates the same N servers (same image, flavor, network) with
openstack.cloud.server 2.5.0 in a loop (wait: true, its default), in its own venv (openstacksdk 4.14.0).
Both run as `ansible-playbook` child processes; HTTP requests are counted with tests/integration/httplog.
Prints wall time, requests and requests per VNFC; cleans up everything it made.

usage: bench/bench_instantiate.py [-n 20] [--only ours|osc]
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

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, '.build', 'pytest'))
CLOUDS_YAML = os.environ.get('OS_CLIENT_CONFIG_FILE') or os.path.join(ROOT, '.cloud', 'clouds.yaml')
CLOUD = 'nfvo-tenant'
CACHE = os.environ.get('NFVO_CACHE') or os.path.expanduser('~/.cache/telco-nfvo')
OSC_VENV = os.path.join(CACHE, 'bench-osc')
HTTPLOG = os.path.join(ROOT, 'tests', 'integration', 'httplog')
BIN = os.path.dirname(sys.executable)
IMAGE = 'cirros-0.6.3'


def basic_min_variant(dest, vdu1_max, edit_policy):
    """Tacker's v2_basic_min copied to ``dest`` with VDU1 allowed up to ``vdu1_max`` instances, no affinity rule (builds
    spread over the fake hosts), and ``edit_policy(name, body)`` applied to every other policy."""
    src = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
    shutil.copytree(src, dest)
    path = os.path.join(dest, 'Definitions', 'v2_sample2_df_simple.yaml')
    with open(path) as f:
        doc = yaml.safe_load(f)
    topo = doc['topology_template']
    topo['node_templates']['VDU1']['properties']['vdu_profile']['max_number_of_instances'] = vdu1_max
    policies = []
    for entry in topo['policies']:
        name, body = next(iter(entry.items()))
        if body['type'] == 'tosca.policies.nfv.AffinityRule':
            continue
        edit_policy(name, body)
        policies.append(entry)
    topo['policies'] = policies
    topo.pop('groups', None)
    with open(path, 'w') as f:
        yaml.safe_dump(doc, f, sort_keys=False)
    return dest


def crafted_package(dest, n):
    """v2_basic_min with VDU1 x (n-1) at instantiation_level_2 and no affinity rule."""
    def level_2(name, body):
        if name == 'VDU1_instantiation_levels':
            body['properties']['levels']['instantiation_level_2']['number_of_instances'] = n - 1
    return basic_min_variant(dest, n - 1, level_2)


def env_for(log, collections):
    env = dict(os.environ, OS_CLIENT_CONFIG_FILE=CLOUDS_YAML, ANSIBLE_COLLECTIONS_PATH=collections, NFVO_HTTP_LOG=log,
               PYTHONPATH=HTTPLOG, ANSIBLE_NOCOLOR='1', ANSIBLE_DEPRECATION_WARNINGS='False', ANSIBLE_LOCALHOST_WARNING='False',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='False')
    return env


def run_play(bindir, play, env):
    path = os.path.join(tempfile.mkdtemp(prefix='bench-vnf-'), 'play.yml')
    with open(path, 'w') as f:
        json.dump(play, f)
    env = dict(env, ANSIBLE_PYTHON_INTERPRETER=os.path.join(bindir, 'python'))
    start = time.monotonic()
    proc = subprocess.run([os.path.join(bindir, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path], env=env,
                          capture_output=True, text=True)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit('playbook failed:\n%s\n%s' % (proc.stdout[-4000:], proc.stderr[-2000:]))
    return wall


def count(log):
    with open(log) as f:
        lines = f.read().splitlines()
    return len(lines), sum(1 for ln in lines if ln.split()[0] in ('POST', 'PUT', 'DELETE', 'PATCH'))


def bench_ours(n, pkg, flavor, workdir):
    name = 'bench-vnf-%s' % uuid.uuid4().hex[:6]
    log = os.path.join(workdir, 'ours.log')
    task = {'telco.nfvo.vnf': {'cloud': CLOUD, 'name': name, 'package': pkg, 'flavour_id': 'simple',
                               'instantiation_level_id': 'instantiation_level_2', 'images': {'VDU1': IMAGE, 'VDU2': IMAGE},
                               'max_concurrency': n, 'termination_type': 'forceful'}}
    play = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': [task]}]
    env = env_for(log, os.path.join(ROOT, '.build', 'pytest'))
    try:
        wall = run_play(BIN, play, env)
        reqs, writes = count(log)
    finally:
        task['telco.nfvo.vnf']['state'] = 'absent'
        run_play(BIN, play, env_for(os.path.join(workdir, 'ours-cleanup.log'), os.path.join(ROOT, '.build', 'pytest')))
    return wall, reqs, writes


def bench_osc(n, sdk, flavor, workdir):
    prefix = 'bench-osc-%s' % uuid.uuid4().hex[:6]
    net = sdk.network.create_network(name=prefix)
    sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr='192.168.5.0/24', name=prefix)
    log = os.path.join(workdir, 'osc.log')
    task = {'name': 'server', 'openstack.cloud.server': {'cloud': CLOUD, 'name': '%s-{{ item }}' % prefix, 'image': IMAGE,
                                                         'flavor': flavor.name, 'network': prefix, 'auto_ip': False},
            'loop': '{{ range(%d) | list }}' % n}
    play = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': [task]}]
    try:
        wall = run_play(os.path.join(OSC_VENV, 'bin'), play, env_for(log, os.path.join(OSC_VENV, 'collections')))
        reqs, writes = count(log)
    finally:
        servers = [s for s in sdk.compute.servers(name='^%s-' % prefix)]
        for s in servers:
            sdk.compute.delete_server(s)
        for s in servers:
            sdk.compute.wait_for_delete(s, wait=300)
        for p in sdk.network.ports(network_id=net.id):
            sdk.network.delete_port(p)
        sdk.network.delete_network(net)
    return wall, reqs, writes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('-n', type=int, default=20)
    ap.add_argument('--only', choices=['ours', 'osc'])
    args = ap.parse_args()
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    import openstack
    sdk = openstack.connect(cloud=CLOUD)
    admin = openstack.connect(cloud='nfvo-admin')
    if not os.path.isdir(os.path.join(OSC_VENV, 'collections', 'ansible_collections', 'openstack', 'cloud')) and args.only != 'ours':
        raise SystemExit('openstack.cloud 2.5.0 venv missing: run bench/bench_inventory.py once (it builds %s)' % OSC_VENV)
    workdir = tempfile.mkdtemp(prefix='bench-instantiate-')
    flavor = admin.compute.create_flavor(name='bench-vnf-1-512-3-%s' % uuid.uuid4().hex[:4], vcpus=1, ram=512, disk=3, is_public=True)
    rows = []
    try:
        pkg = crafted_package(os.path.join(workdir, 'pkg'), args.n)
        if args.only in (None, 'ours'):
            rows.append(('telco.nfvo.vnf',) + bench_ours(args.n, pkg, flavor, workdir))
        if args.only in (None, 'osc'):
            rows.append(('openstack.cloud.server loop',) + bench_osc(args.n, sdk, flavor, workdir))
    finally:
        admin.compute.delete_flavor(flavor)
        shutil.rmtree(workdir, ignore_errors=True)
    print('%d VNFCs (one server + one port each), 3 fake compute hosts' % args.n)
    print('%-30s %10s %10s %8s %14s' % ('case', 'wall s', 'requests', 'writes', 'requests/VNFC'))
    for case, wall, reqs, writes in rows:
        print('%-30s %10.1f %10d %8d %14.1f' % (case, wall, reqs, writes, reqs / float(args.n)))
    if len(rows) == 2:
        print('speed-up: %.1fx' % (rows[1][1] / rows[0][1]))


if __name__ == '__main__':
    main()
