#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Soak under transient faults (issue 13, by hand): instantiate -> scale out -> heal -> terminate cycles of a
v2_basic_min VNF for ``--minutes``, every API request through the fault proxy (tests/faults/proxy.py) answered 503
at ``--rate`` (default 2 %, seeded), the usage callback on.

A cycle fails when one of its steps fails (its reason is printed: the one-line message); after every cycle the VNF is
terminated with the faults off and whatever of it is left in the cloud is a leak (must be 0). At the end: cycles, failed
cycles with their reasons, 503s injected and absorbed, leaks, and whether the ledger's events are what the cloud did.

usage: bench/soak_faults.py [--minutes 30] [--rate 0.02] [--seed 1]
"""
import argparse
import os
import sys
import tempfile
import time
import uuid
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_faults import CLOUDS_YAML, Run, ledger_mismatch, resources, vnf_task  # noqa: E402  (bench/ is not a package)

STEPS = ('instantiate', 'scale_out', 'heal', 'terminate')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--minutes', type=float, default=30)
    parser.add_argument('--rate', type=float, default=0.02)
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    import openstack
    from vnf_resources import instance_id_of
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    sdk = openstack.connect(cloud='nfvo-tenant')
    run = Run(tempfile.mkdtemp(prefix='soak-faults-'))
    end = time.monotonic() + args.minutes * 60
    cycles, failed, leaks, names, steps_failed = 0, [], 0, [], Counter()
    start = time.monotonic()
    try:
        while time.monotonic() < end:
            name = 'soak-faults-%s' % uuid.uuid4().hex[:6]
            names.append(name)
            # each step its own seed: the faults fall on other requests in every step and cycle
            results = run.play([vnf_task(op, name) + ([{'action': 'status:503', 'rate': args.rate, 'seed': args.seed * 100000 + cycles * 10 + i}],)
                                for i, op in enumerate(STEPS)])
            cycles += 1
            reasons = ['%s: %s' % (op, r.get('msg')) for op, r in zip(STEPS, results) if r.get('failed')]
            steps_failed.update(op for op, r in zip(STEPS, results) if r.get('failed'))
            run.play([vnf_task('terminate', name) + (None,)])
            left = resources(sdk, instance_id_of(sdk, name))
            leaks += len(left)
            if reasons or left:
                failed.append((name, reasons + (['left: %s' % sorted(left)] if left else [])))
            print('cycle %d %s: %s' % (cycles, name, 'ok' if not reasons else '; '.join(reasons)), flush=True)
    finally:
        run.stop()
    fired = len(run.proxy.fired)
    requests = len(run.proxy.requests)
    wrong = ledger_mismatch(run, [instance_id_of(sdk, n) for n in names])
    print('\n## soak: %.1f min, %d cycles, %d failed, %d leaks' % ((time.monotonic() - start) / 60, cycles, len(failed), leaks))
    absorbed = run.proxy.absorbed()
    print('- requests through the proxy: %d; 503s injected: %d (%.1f %%), absorbed by a retry: %d; not retried: %s'
          % (requests, fired, 100.0 * fired / max(requests, 1), len(absorbed),
             dict(Counter(f[1] for f in run.proxy.fired if f not in absorbed)) or 'none'))
    print('- failed steps: %s' % (dict(steps_failed) or 'none'))
    print('- ledger vs cloud: %s' % (wrong or 'equal (every create and delete the cloud did, once)'))
    for name, reasons in failed:
        print('- %s: %s' % (name, ' | '.join(reasons)))


if __name__ == '__main__':
    main()
