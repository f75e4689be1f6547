#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""telco.nfvo.nfvi inventory vs openstack.cloud.openstack 2.5.0 on the local cloud, at N servers.

Creates N servers in the tenant project (openstacksdk, min_count batches, with our ownership marks), then runs each
case --repeat times as a child process and reports the median wall time, client CPU (user+sys of the child and
its children) and peak RSS, both from /usr/bin/time, and the number of HTTP requests (tests/integration/httplog). Cases:
  ansible-empty  ansible-inventory -i localhost, --list: the start-up cost of any inventory plugin
  raw          the list calls alone (token, servers, ports, networks, floating IPs, security groups, volumes, images),
               concurrently, as plain GETs with json decoding: the floor for a client
  raw-servers  GET /servers/detail alone
  ours-cold    ansible-inventory with telco.nfvo.nfvi, no cache
  ours-warm    the same with a jsonfile cache filled by the run before
  ours-since   the same with refresh_changes_since: Nova asked only for what changed, the other lists read again
  osc          openstack.cloud.openstack 2.5.0 (own venv: openstacksdk 4.14.0, ansible-core 2.19), expand_hostvars false
  osc-expand   the same with expand_hostvars true
Deletes the servers afterwards (unless --keep). usage: bench/bench_inventory.py [-n 100] [--repeat 3] [--keep] [--reuse]
"""
import argparse
import fcntl
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLOUDS_YAML = os.environ.get('OS_CLIENT_CONFIG_FILE') or os.path.join(ROOT, '.cloud', 'clouds.yaml')
CLOUD = 'nfvo-tenant'
CACHE = os.environ.get('NFVO_CACHE') or os.path.expanduser('~/.cache/telco-nfvo')
OSC_VENV = os.path.join(CACHE, 'bench-osc')
HTTPLOG = os.path.join(ROOT, 'tests', 'integration', 'httplog')
PREFIX = 'bench-inv-'
BATCH = 25


def osc_venv():
    """The openstack.cloud 2.5.0 venv (openstacksdk < 4.15), made once; others may build it too, hence the lock."""
    os.makedirs(CACHE, exist_ok=True)
    with open(OSC_VENV + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = os.path.join(OSC_VENV, '.complete')
        if not os.path.exists(marker):
            print('[bench] creating %s' % OSC_VENV, flush=True)
            subprocess.run([sys.executable, '-m', 'venv', '--clear', OSC_VENV], check=True)
            pip = os.path.join(OSC_VENV, 'bin', 'pip')
            subprocess.run([pip, 'install', '-q', 'ansible-core>=2.19,<2.20', 'openstacksdk==4.14.0'], check=True)
            dest = os.path.join(OSC_VENV, 'collections')
            galaxy = subprocess.run([os.path.join(OSC_VENV, 'bin', 'ansible-galaxy'), 'collection', 'install', 'openstack.cloud:==2.5.0',
                                     '-p', dest], check=False, capture_output=True, text=True, timeout=600)
            if galaxy.returncode != 0 or not os.path.isdir(os.path.join(dest, 'ansible_collections', 'openstack', 'cloud')):
                print('[bench] galaxy failed (%s); extracting openstack.cloud from the ansible 12 wheel' % galaxy.stderr.strip()[-200:], flush=True)
                tmp = tempfile.mkdtemp(prefix='bench-osc-')
                subprocess.run([pip, 'download', '-q', '--no-deps', '-d', tmp, 'ansible==12.*'], check=True)
                wheel, = glob.glob(os.path.join(tmp, 'ansible-*.whl'))
                with zipfile.ZipFile(wheel) as zf:
                    zf.extractall(dest, [n for n in zf.namelist() if n.startswith('ansible_collections/openstack/cloud/')])
            with open(marker, 'w') as handle:
                handle.write('ok\n')
    return OSC_VENV


def connect():
    import openstack
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    return openstack.connect(cloud=CLOUD)


def create_servers(conn, count):
    """count servers with our marks on one network, in min_count batches; returns (ids, seconds)."""
    sys.path.insert(0, os.path.join(ROOT, 'tests'))
    import conftest  # noqa: F401  (makes ansible_collections.telco.nfvo importable)
    from ansible_collections.telco.nfvo.plugins.module_utils import tags
    net = conn.network.find_network(PREFIX + 'net') or conn.network.create_network(name=PREFIX + 'net')
    if not list(conn.network.subnets(network_id=net.id)):
        conn.network.create_subnet(network_id=net.id, ip_version=4, cidr='10.199.0.0/20', name=PREFIX + 'net')
    image = conn.image.find_image('cirros-0.6.3', ignore_missing=False)
    flavor = conn.compute.find_flavor('m1.tiny', ignore_missing=False)
    vnf_id = tags.vnf_instance_id(conn.current_project_id, PREFIX + 'vnf')
    meta = tags.metadata_for(vnf=vnf_id, vnf_name=PREFIX + 'vnf', vnfd='bench', vnfd_version='1', flavour='default', vdu='VDU1')
    started = time.monotonic()
    for first in range(0, count, BATCH):
        size = min(BATCH, count - first)
        conn.compute.post('/servers', json={'server': {
            'name': '%s%03d' % (PREFIX, first), 'imageRef': image.id, 'flavorRef': flavor.id, 'networks': [{'uuid': net.id}],
            'metadata': meta, 'tags': tags.tags_for(vnf=vnf_id), 'min_count': size, 'max_count': size}}, microversion='2.52').raise_for_status()
    while True:
        mine = [s for s in conn.compute.servers() if s.name.startswith(PREFIX)]
        states = [s.status for s in mine]
        if states.count('ERROR'):
            raise SystemExit('%d bench servers went to ERROR' % states.count('ERROR'))
        print('[bench] %d/%d ACTIVE after %.0f s' % (states.count('ACTIVE'), count, time.monotonic() - started), flush=True)
        if len(mine) >= count and states.count('ACTIVE') == len(mine):
            return [s.id for s in mine], time.monotonic() - started
        time.sleep(10)


def delete_servers(conn):
    started = time.monotonic()
    mine = [s for s in conn.compute.servers() if s.name.startswith(PREFIX)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda s: conn.compute.delete_server(s, ignore_missing=True), mine))
    for server in mine:
        conn.compute.wait_for_delete(server, wait=1800)
    net = conn.network.find_network(PREFIX + 'net')
    if net:
        conn.network.delete_network(net)
    return len(mine), time.monotonic() - started


def raw_lists(servers_only=False):
    """Child process: the list calls alone, as a client that decodes JSON and does nothing else would."""
    conn = connect()
    conn.authorize()
    own = conn.current_project_id
    calls = [(conn.compute, '/servers/detail', 'servers', '2.47')]
    if not servers_only:
        calls += [(conn.network, '/ports?project_id=%s' % own, 'ports', None), (conn.network, '/networks?fields=id&fields=name', 'networks', None),
                  (conn.network, '/floatingips?project_id=%s' % own, 'floatingips', None),
                  (conn.network, '/security-groups?fields=id&fields=name&project_id=%s' % own, 'security_groups', None),
                  (conn.block_storage, '/volumes/detail', 'volumes', None), (conn.image, '/images?limit=1000', 'images', None)]

    def get(call):
        proxy, url, key, micro = call
        items = []
        while url:
            body = (proxy.get(url, microversion=micro) if micro else proxy.get(url)).json()
            items += body.get(key, [])
            url = next((link['href'] for link in body.get(key + '_links', []) if link.get('rel') == 'next'), None)
        return len(items)

    with ThreadPoolExecutor(len(calls)) as pool:
        counts = list(pool.map(get, calls))
    print(json.dumps(counts))


def measure(cmd, env, log=None):
    """(wall s, cpu s, peak RSS MiB, HTTP requests, stdout, stderr) of one child run; requests are counted only with a log
    (the logging hook imports requests at start-up, so timed runs go without it)."""
    if log and os.path.exists(log):
        os.unlink(log)
    if log:
        env = dict(env, NFVO_HTTP_LOG=log, PYTHONPATH=HTTPLOG)
    # /usr/bin/time forks the case from a small process: Linux carries the peak RSS of the forking process over exec,
    # so a child forked from this (large) process would report at least this process's size
    with tempfile.NamedTemporaryFile('r', suffix='.time') as stats:
        proc = subprocess.run(['/usr/bin/time', '-o', stats.name, '-f', '%e %U %S %M'] + cmd, env=env, capture_output=True, check=False)
        wall, user, system, rss_kb = stats.read().split()[-4:]
    out, err = proc.stdout, proc.stderr
    if proc.returncode != 0:
        raise SystemExit('%s failed:\n%s' % (' '.join(cmd), err.decode()[-3000:]))
    requests = None if log is None else 0
    if log and os.path.exists(log):  # a run from the cache makes no request at all
        with open(log) as handle:
            requests = sum(1 for dummy in handle)
    return float(wall), float(user) + float(system), int(rss_kb) / 1024.0, requests, out, err.decode()


def cases(work, osc):
    ours_bin = os.path.join(os.path.dirname(sys.executable), 'ansible-inventory')
    base = dict(os.environ, OS_CLIENT_CONFIG_FILE=CLOUDS_YAML, ANSIBLE_INVENTORY_UNPARSED_WARNING='False')
    ours_env = dict(base, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, '.build', 'pytest'))
    ours = os.path.join(work, 'ours.nfvi.yml')
    with open(ours, 'w') as handle:
        json.dump({'plugin': 'telco.nfvo.nfvi', 'clouds': [CLOUD], 'include_unmanaged': True}, handle)
    warm = os.path.join(work, 'warm.nfvi.yml')
    with open(warm, 'w') as handle:
        json.dump({'plugin': 'telco.nfvo.nfvi', 'clouds': [CLOUD], 'include_unmanaged': True, 'cache': True,
                   'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': os.path.join(work, 'cache'), 'cache_timeout': 3600}, handle)
    since = os.path.join(work, 'since.nfvi.yml')
    with open(since, 'w') as handle:
        json.dump({'plugin': 'telco.nfvo.nfvi', 'clouds': [CLOUD], 'include_unmanaged': True, 'cache': True, 'refresh_changes_since': True,
                   'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': os.path.join(work, 'cache-since'), 'cache_timeout': 0}, handle)
    out = [
        ('ansible-empty', [ours_bin, '-i', 'localhost,', '--list'], ours_env, None),
        ('raw', [sys.executable, os.path.abspath(__file__), '--raw'], base, None),
        ('raw-servers', [sys.executable, os.path.abspath(__file__), '--raw-servers'], base, None),
        ('ours-cold', [ours_bin, '-i', ours, '--list'], ours_env, None),
        ('ours-warm', [ours_bin, '-i', warm, '--list'], ours_env, [ours_bin, '-i', warm, '--list']),
        ('ours-since', [ours_bin, '-i', since, '--list'], ours_env, [ours_bin, '-i', since, '--list']),
    ]
    if osc:
        osc_env = dict(base, ANSIBLE_COLLECTIONS_PATH=os.path.join(osc, 'collections'))
        for name, expand in (('osc', False), ('osc-expand', True)):
            path = os.path.join(work, '%s.openstack.yml' % name)
            with open(path, 'w') as handle:
                json.dump({'plugin': 'openstack.cloud.openstack', 'only_clouds': [CLOUD], 'expand_hostvars': expand, 'fail_on_errors': True}, handle)
            out.append((name, [os.path.join(osc, 'bin', 'ansible-inventory'), '-i', path, '--list'], osc_env, None))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-n', type=int, default=100, help='servers to create (0: measure what exists)')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--keep', action='store_true', help='do not delete the servers')
    parser.add_argument('--reuse', action='store_true', help='count bench servers that already exist towards -n')
    parser.add_argument('--no-osc', action='store_true', help='skip openstack.cloud')
    parser.add_argument('--raw', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--raw-servers', action='store_true', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw or args.raw_servers:
        raw_lists(servers_only=args.raw_servers)
        return
    osc = None if args.no_osc else osc_venv()
    sys.path.insert(0, os.path.join(ROOT, 'tests'))
    import conftest  # noqa: F401  (.build/pytest/ansible_collections/telco/nfvo)
    conn = connect()
    existing = [s for s in conn.compute.servers() if s.name.startswith(PREFIX)] if args.reuse else []
    if args.n > len(existing):
        dummy, took = create_servers(conn, args.n - len(existing))
        print('[bench] created %d servers in %.0f s (%.1f per minute)' % (args.n - len(existing), took, 60.0 * (args.n - len(existing)) / took),
              flush=True)
    total = len(list(conn.compute.servers()))
    work = tempfile.mkdtemp(prefix='nfvo-inv-bench-')
    rows = []
    try:
        todo = cases(work, osc)
        counted, in_run = {}, None
        for name, cmd, env, prime in todo:  # one run with the request log each (and the cache primed)
            if prime:
                measure(prime, env)
            verbose = name == 'ours-cold'  # -vvv: how long the list calls took inside the same run
            counted[name] = measure(cmd + ['-vvv'] if verbose else cmd, dict(env, ANSIBLE_VERBOSE_TO_STDERR='1') if verbose else env,
                                    os.path.join(work, '%s.log' % name))
            if verbose:
                took = re.search(r'cloud region\(s\) read in ([0-9.]+) s', counted[name][5])
                in_run = (float(took.group(1)), counted[name][0]) if took else None
        runs = {name: [] for name, dummy, dummy2, dummy3 in todo}
        for dummy in range(args.repeat):  # timed runs, the cases taking turns so that others' load falls on all alike
            for name, cmd, env, prime in todo:
                runs[name].append(measure(cmd, env))
                print('[bench] %-12s %.2f s' % (name, runs[name][-1][0]), flush=True)
        for name, cmd, env, prime in todo:
            hosts = len(json.loads(counted[name][4])['_meta']['hostvars']) if cmd[-1] == '--list' and name != 'ansible-empty' else ''
            got = runs[name]
            row = (name, statistics.median(r[0] for r in got), statistics.median(r[1] for r in got), max(r[2] for r in got),
                   counted[name][3], hosts)
            rows.append(row)
    finally:
        if not args.keep and args.n:
            count, took = delete_servers(conn)
            print('[bench] deleted %d servers in %.0f s' % (count, took), flush=True)
    raw = next(r for r in rows if r[0] == 'raw')
    print('\n%d servers in project (tenant %s), median of %d runs; CPU = user+sys of the process tree; ratio = wall / raw wall' % (total, CLOUD, args.repeat))
    print('| case | wall s | client CPU s | peak RSS MiB | HTTP requests | hosts | wall / raw |')
    print('|---|---|---|---|---|---|---|')
    for row in rows:
        print('| %s | %.2f | %.2f | %.0f | %d | %s | %.2f |' % (row + (row[1] / raw[1],)))
    if in_run:
        print('\nours-cold -vvv, one run: list calls (auth included) %.2f s of %.2f s wall (%.2fx)' % (in_run + (in_run[1] / in_run[0],)))


if __name__ == '__main__':
    main()
