#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""telco.nfvo.vnf_health: requests per poll and detection latency with 10 and 200 VNFCs.

1. fake cloud (default sizes 10,200): ``vnf_health.CountingApi`` whose ``send`` answers from lists of one VNF with N
   VNFCs (one port each), so every request goes through the real paginator (``CloudApi.list``) and is counted where
   the real ones are. Printed per size: requests per poll (must not grow with N), the poll's CPU time, and the
   detection latency - a server flipped to ERROR at a random moment -> the event on the queue of the real ``main``
   (poll interval ``--interval``; the latency is at most one interval plus one poll).
2. ``--cloud NAME``: one real poll of that cloud's project (whatever VNFs it holds, e.g. a big shared project),
   with its request count and the number of VNFCs seen. The end-to-end heal latency on the real cloud is measured
   by tests/integration/test_eda.py (printed there).

usage: [NFVO_CLOUD_DIR=...] bench/bench_vnf_health.py [--sizes 10,200] [--interval 0.5] [--trials 5] [--cloud nfvo-tenant]
"""
import argparse
import asyncio
import json
import os
import random
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, '.build', 'pytest'))  # tests/conftest.py links the tree there

from ansible_collections.telco.nfvo.extensions.eda.plugins.event_source import vnf_health as H  # noqa: E402
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T  # noqa: E402

IID = '0b0e5c1e-5a1b-5c2d-9e3f-000000000001'


class Resp:
    def __init__(self, body):
        self.status_code, self.content, self._body, self.headers = 200, b'x', body, {}

    def json(self):
        return self._body


class FakeCloudApi(H.CountingApi):
    """Answers the three list calls of a poll for one VNF of ``n`` VNFCs."""

    def __init__(self, n):
        super().__init__(conn=None)
        self.anchor = {'id': 'sg', 'description': '', 'tags': [T.tag('vnf', IID), T.tag('vnf_name', 'bench'), T.tag('role', 'anchor'),
                                                            T.multi_tag('want', 'VDU1', n)]}
        self.servers = [{'id': 's%d' % i, 'status': 'ACTIVE', 'metadata': {T.META_KEYS['vnf']: IID, T.META_KEYS['vnfc']: 'VDU1-%d' % i}}
                        for i in range(n)]
        self.ports = [{'id': 'p%d' % i, 'status': 'ACTIVE', 'binding:vif_type': 'ovs',
                       'tags': [T.tag('vnf', IID), T.tag('vnfc', 'VDU1-%d' % i), T.tag('cp', 'CP1')]} for i in range(n)]

    def send(self, service, method, url, json_body=None, params=None, headers=None, microversion=None, data=None):
        self.requests += 1
        if url.startswith('/security-groups'):
            return Resp({'security_groups': [json.loads(json.dumps(self.anchor))]})
        if url.startswith('/servers/detail'):
            return Resp({'servers': [dict(s) for s in self.servers]})
        if url.startswith('/ports'):
            return Resp({'ports': [dict(p) for p in self.ports]})
        raise AssertionError('unexpected call %s %s' % (method, url))


async def detection(api, interval, trials):
    queue = asyncio.Queue()
    orig = H.connect
    H.connect = lambda cloud, clouds_yaml=None: api
    try:
        task = asyncio.ensure_future(H.main(queue, {'cloud': 'fake', 'interval': interval, 'hypervisors': 'false'}))
        await asyncio.sleep(interval * 2)
        out = []
        for dummy in range(trials):
            await asyncio.sleep(random.uniform(0, interval))
            victim = random.choice(api.servers)
            victim['status'] = 'ERROR'
            t0 = time.monotonic()
            event = await asyncio.wait_for(queue.get(), interval * 10 + 10)
            out.append(time.monotonic() - t0)
            assert event['state'] == 'ERROR', event
            victim['status'] = 'ACTIVE'
            assert (await asyncio.wait_for(queue.get(), interval * 10 + 10))['state'] == 'OK'
        task.cancel()
        return out
    finally:
        H.connect = orig


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    ap.add_argument('--sizes', default='10,200')
    ap.add_argument('--interval', type=float, default=0.5)
    ap.add_argument('--trials', type=int, default=5)
    ap.add_argument('--cloud')
    opts = ap.parse_args()
    print('| VNFCs | requests per poll | poll CPU time | detection latency (interval %.1f s): mean / max |' % opts.interval)
    print('|---|---|---|---|')
    for n in [int(x) for x in opts.sizes.split(',')]:
        api = FakeCloudApi(n)
        before = api.requests
        t0 = time.process_time()
        state = H.poll(api)
        cpu = time.process_time() - t0
        per_poll = api.requests - before
        assert sum(1 for k in state if k[0] == 'vnfc') == n
        lat = asyncio.run(detection(api, opts.interval, opts.trials))
        print('| %d | %d | %.1f ms | %.2f s / %.2f s |' % (n, per_poll, cpu * 1000, sum(lat) / len(lat), max(lat)))
    if opts.cloud:
        os.environ.setdefault('OS_CLIENT_CONFIG_FILE', os.path.join(os.environ.get('NFVO_CLOUD_DIR', os.path.join(ROOT, '.cloud')), 'clouds.yaml'))
        api = H.connect(opts.cloud)
        with_hyp = H.may_list_hypervisors(api)
        before = api.requests
        t0 = time.monotonic()
        state = H.poll(api, with_hypervisors=with_hyp)
        print('real cloud %s: %d VNFs, %d VNFCs, %d ports, %d hypervisors: %d requests, %.2f s' % (
            opts.cloud, len({k[1] for k in state if k[0] in ('vnfc', 'vnf')}), sum(1 for k in state if k[0] == 'vnfc'),
            sum(1 for k in state if k[0] == 'port'), sum(1 for k in state if k[0] == 'hypervisor'),
            api.requests - before, time.monotonic() - t0))


if __name__ == '__main__':
    main()
