#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""bench_peers' plain-openstacksdk column: about what this cloud itself needs for the changes each step makes.

The resources helloworld3's VNFD describes (internalVL2: network + subnet; VDU1: an image server with ports CP1 on the
external network and CP2 on internalVL2; VDU2 x n: a 3 GB volume from the image it boots from, port CP3) made and
deleted with plain openstacksdk (its service adapters, raw JSON bodies): independent calls at once (10 threads, as
telco.nfvo's default max_concurrency), ports in one bulk POST, each wait one list call every POLL seconds, each
resource started as soon as what it needs is there, flavor/image ids looked up before the clock starts - no tags, no
record, no lock, no look before acting, no checks. Not a strict lower bound (a busy 2-core cloud answers a different
order of calls differently: telco.nfvo's terminate of 15 VNFCs has come out faster), but the reference for what an
orchestrator adds. Heal recreates VDU2-0's server from its kept volume and port (what telco.nfvo's heal does);
terminate deletes servers and ports at once, each volume once its server is gone, the network once its ports are.

bench_peers.py runs it (class Floor) as a child process, its requests counted by tests/integration/httplog:
    peers_floor.py EXT_NETWORK VNFCS SCALE_STEPS  ->  JSON {step: {wall, cpu, started, ended}}
"""
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGE = 'cirros-0.6.3'
FLAVOR = 'cpu1-ram512-disk3'
POLL = 0.5  # telco.nfvo's first interval; polling Nova harder slows what it waits for (a 2-core cloud)


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Cloud:
    """The calls a step makes (raw bodies through openstacksdk's adapters) and the waits (one list call a poll)."""

    def __init__(self, conn, poller, ext_net, prefix):
        self.conn, self.poller, self.prefix = conn, poller, prefix  # poller: a session of its own for the waits
        self.net = conn.network
        self.ext_id = self.net.find_network(ext_net, ignore_missing=False).id
        self.flavor = conn.compute.find_flavor(FLAVOR, ignore_missing=False).id
        self.image = conn.image.find_image(IMAGE, ignore_missing=False).id
        self.pool = ThreadPoolExecutor(max_workers=10)  # telco.nfvo's default max_concurrency: more only contends
        self.vl = self.subnet = None
        self.vdu1 = {}  # ports CP1, CP2; server
        self.vdu2 = {}  # index -> {'port', 'volume', 'server'}

    def ok(self, resp, key):
        if resp.status_code >= 400:
            raise SystemExit('floor: %s %s -> %s %s' % (resp.request.method, resp.url, resp.status_code, resp.text[:300]))
        return resp.json()[key] if key else None

    def ports(self, specs):
        """One bulk POST /ports: [(network id, name)] -> [port id]."""
        body = {'ports': [{'network_id': n, 'name': name} for n, name in specs]}
        return [p['id'] for p in self.ok(self.net.post('/ports', json=body), 'ports')]

    def volume(self, name):
        body = {'volume': {'name': name, 'size': 3, 'imageRef': self.image}}
        return self.ok(self.conn.block_storage.post('/volumes', json=body), 'volume')['id']

    def server(self, name, ports, volume=None):
        body = {'name': name, 'flavorRef': self.flavor, 'networks': [{'port': p} for p in ports]}
        if volume:
            body['block_device_mapping_v2'] = [{'boot_index': 0, 'uuid': volume, 'source_type': 'volume',
                                                'destination_type': 'volume', 'delete_on_termination': False}]
        else:
            body['imageRef'] = self.image
        return self.ok(self.conn.compute.post('/servers', json={'server': body}), 'server')['id']

    def wait(self, kind, ids, until, then=None):
        """Poll one list call (servers of this run by name / the project's volumes) until every id is ``until``;
        ``then(id)`` as each one gets there (what depends on it starts at once)."""
        pending = set(ids)
        while pending:
            time.sleep(POLL)
            if kind == 'server':
                found = self.ok(self.poller.compute.get('/servers/detail', params={'name': '^%s-' % self.prefix}), 'servers')
            else:
                found = self.ok(self.poller.block_storage.get('/volumes/detail'), 'volumes')
            by_id = {r['id']: r for r in found}
            for rid in list(pending):
                r = by_id.get(rid)
                status = (r or {}).get('status', '').upper()
                if status in ('ERROR', 'ERROR_DELETING'):
                    raise SystemExit('floor: %s %s went to %s' % (kind, rid, status))
                if (until == 'gone' and r is None) or (r is not None and status == until and not r.get('OS-EXT-STS:task_state')):
                    pending.discard(rid)
                    if then:
                        then(rid)

    def add_workers(self, indexes):
        """Volumes and CP3 ports of VDU2 ``indexes`` at once, then their servers; wait until they are ACTIVE."""
        names = ['%s-VDU2-%d' % (self.prefix, i) for i in indexes]
        vols = [self.pool.submit(self.volume, n + '-VirtualStorage') for n in names]
        ports = self.ports([(self.vl, n + '-CP3') for n in names])
        vols = [f.result() for f in vols]
        boots = {}  # each server boots as soon as its volume is available
        self.wait('volume', vols, 'AVAILABLE', then=lambda v: boots.update({v: self.pool.submit(
            self.server, names[vols.index(v)], [ports[vols.index(v)]], v)}))
        servers = [boots[v].result() for v in vols]
        for i, p, v, s in zip(indexes, ports, vols, servers):
            self.vdu2[i] = {'port': p, 'volume': v, 'server': s}
        self.wait('server', servers, 'ACTIVE')

    def instantiate(self, workers):
        cp1 = self.pool.submit(lambda: self.ports([(self.ext_id, self.prefix + '-VDU1-0-CP1')])[0])
        self.vl = self.ok(self.net.post('/networks', json={'network': {'name': self.prefix + '-internalVL2'}}), 'network')['id']
        body = {'subnet': {'network_id': self.vl, 'ip_version': 4, 'cidr': '192.168.121.0/24'}}
        self.subnet = self.ok(self.net.post('/subnets', json=body), 'subnet')['id']
        vdu2 = self.pool.submit(self.add_workers, range(workers))
        cp2 = self.ports([(self.vl, self.prefix + '-VDU1-0-CP2')])[0]
        self.vdu1 = {'ports': [cp1.result(), cp2]}
        self.vdu1['server'] = self.server(self.prefix + '-VDU1-0', self.vdu1['ports'])
        self.wait('server', [self.vdu1['server']], 'ACTIVE')
        vdu2.result()

    def scale_out(self, steps):
        self.add_workers(range(len(self.vdu2), len(self.vdu2) + steps))

    def heal(self):
        w = self.vdu2[0]
        self.ok(self.conn.compute.delete('/servers/%s' % w['server']), None)
        self.wait('server', [w['server']], 'gone')
        w['server'] = self.server('%s-VDU2-0' % self.prefix, [w['port']], w['volume'])
        self.wait('server', [w['server']], 'ACTIVE')

    def terminate(self):
        servers = [self.vdu1['server']] + [w['server'] for w in self.vdu2.values()]
        ports = self.vdu1['ports'] + [w['port'] for w in self.vdu2.values()]
        calls = [self.pool.submit(lambda s=s: self.ok(self.conn.compute.delete('/servers/%s' % s), None)) for s in servers]
        calls += [self.pool.submit(lambda p=p: self.ok(self.net.delete('/ports/%s' % p), None)) for p in ports]

        def network():  # once its ports are gone
            for f in calls:
                f.result()
            self.ok(self.net.delete('/networks/%s' % self.vl), None)
        net = ThreadPoolExecutor(max_workers=1).submit(network)
        volume_of = {w['server']: w['volume'] for w in self.vdu2.values()}
        deletes = []  # each volume is deleted as soon as its server is gone (detached)
        self.wait('server', servers, 'gone', then=lambda sid: sid in volume_of and deletes.append(self.pool.submit(
            lambda: self.ok(self.conn.block_storage.delete('/volumes/%s' % volume_of[sid]), None))))
        for f in deletes + [net]:
            f.result()
        self.wait('volume', list(volume_of.values()), 'gone')


def main():
    import openstack  # pylint: disable=import-outside-toplevel  # the child process only
    ext_net, vnfcs, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    conn, poller = openstack.connect(cloud='nfvo-tenant'), openstack.connect(cloud='nfvo-tenant')
    cloud = Cloud(conn, poller, ext_net, 'bench-floor-%s' % uuid.uuid4().hex[:6])
    out = {}
    plan = [('instantiate', lambda: cloud.instantiate(vnfcs - 1)), ('scale_out', lambda: cloud.scale_out(steps)),
            ('heal', cloud.heal), ('terminate', cloud.terminate)]
    try:
        for step, fn in plan:
            t0, cpu, started = time.monotonic(), cpu_self(), time.time()
            fn()
            out[step] = {'wall': time.monotonic() - t0, 'cpu': cpu_self() - cpu, 'started': started, 'ended': time.time()}
    finally:
        if 'terminate' not in out and cloud.vl:
            try:
                cloud.terminate()
            except (SystemExit, Exception) as e:  # pylint: disable=broad-except  # report the step's error, not this one
                print('floor: cleanup failed: %s' % e, file=sys.stderr)
    print(json.dumps(out))


class Floor:
    """bench_peers' plain-openstacksdk column: this script as a child process (its requests counted by tests/integration/httplog)."""
    label = 'plain openstacksdk'

    def __init__(self, work, ext_net, env_for, python):
        self.work, self.ext_net, self.env_for, self.python = work, ext_net, env_for, python

    def run(self, pkg, vnfcs, scale_steps):
        del pkg  # the resources are what helloworld3's VNFD describes, written out here
        log = os.path.join(self.work, 'http-floor-%s.log' % uuid.uuid4().hex[:6])
        open(log, 'w').close()
        proc = subprocess.run([self.python, os.path.abspath(__file__), self.ext_net, str(vnfcs), str(scale_steps)],
                              env=self.env_for(log), capture_output=True, text=True)
        if proc.returncode != 0:
            return {step: {'error': (proc.stderr.strip().splitlines() or ['failed'])[-1][:300]} for step in
                    ('instantiate', 'scale_out', 'heal', 'terminate')}
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        with open(log) as f:
            started = [float(line.split()[-1]) for line in f if line.strip()]
        for r in out.values():
            since, until = r.pop('started'), r.pop('ended')
            r['requests'] = sum(1 for t in started if since - 0.001 <= t <= until)
        return out


if __name__ == '__main__':
    main()
