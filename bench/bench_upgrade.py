#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rolling upgrade (CHANGE_VNFPKG) of a VNF of ``--vnfcs`` VNFCs with each ``--max-unavailable``: wall time, API
requests, and the fewest VNFCs ACTIVE at any moment.

The VNF: Tacker's v2_basic_min with VDU1 x (vnfcs - 1) and VDU2 x1, no affinity rule (``bench_scale_heal.crafted_package``).
Version 2.0 of it is the same package with another VNFD version; its image is a small qcow2 uploaded for the bench. For
each ``max_unavailable`` the VNF moves to the other version (1.0 -> 2.0, then back, ...) with one ``telco.nfvo.vnf_change``
task (``batch: all``), every HTTP request counted (tests/integration/httplog), while a thread lists the VNF's servers
every ``--sample`` seconds and keeps the fewest ACTIVE ones (Nova's status; a rebuild is REBUILD). Cleans up everything
it made.

usage: bench/bench_upgrade.py [--vnfcs 10] [--max-unavailable 1,5] [--sample 0.5]
"""
import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'integration'))

from bench_scale_heal import CLOUD, CLOUDS_YAML, IMAGES, crafted_package, requests_of, run_task  # noqa: E402
from test_vnf_package import qcow2  # noqa: E402


def second_version(src, dest, version='2.0'):
    """A copy of the package at ``src`` as VNFD version ``version``."""
    shutil.copytree(src, dest)
    top = os.path.join(dest, 'Definitions', 'v2_sample2_top.vnfd.yaml')
    with open(top) as f:
        text = f.read()
    with open(top, 'w') as f:
        f.write(text.replace("descriptor_version: '1.0'", "descriptor_version: '%s'" % version))
    return dest


class ActiveSampler(threading.Thread):
    """Lists the instance's servers every ``interval`` seconds; ``fewest``: the fewest ACTIVE (no task) seen."""

    def __init__(self, sdk, tag, interval):
        super().__init__(daemon=True)
        self.sdk, self.tag, self.interval = sdk, tag, interval
        self.fewest, self.samples = None, 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            servers = list(self.sdk.compute.servers(tags=self.tag))
            active = sum(1 for s in servers if s.status == 'ACTIVE' and not s.task_state)
            self.fewest = active if self.fewest is None else min(self.fewest, active)
            self.samples += 1
            self.done.wait(self.interval)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vnfcs', type=int, default=10)
    ap.add_argument('--max-unavailable', default='1,5')
    ap.add_argument('--sample', type=float, default=0.5)
    args = ap.parse_args()
    limits = [int(n) for n in args.max_unavailable.split(',')]
    os.environ['OS_CLIENT_CONFIG_FILE'] = CLOUDS_YAML
    import openstack
    from ansible_collections.telco.nfvo.plugins.module_utils.tags import vnf_instance_id
    sdk = openstack.connect(cloud=CLOUD)
    admin = openstack.connect(cloud='nfvo-admin')
    workdir = tempfile.mkdtemp(prefix='bench-upgrade-')
    flavor = admin.compute.create_flavor(name='bench-upg-1-512-3-%s' % uuid.uuid4().hex[:4], vcpus=1, ram=512, disk=3, is_public=True)
    image = sdk.image.create_image(name='bench-upg-%s' % uuid.uuid4().hex[:6], data=qcow2(11), disk_format='qcow2', container_format='bare')
    v1 = crafted_package(os.path.join(workdir, 'v1'), args.vnfcs - 2)
    v2 = second_version(v1, os.path.join(workdir, 'v2'))
    name = 'bench-upg-%s' % uuid.uuid4().hex[:6]
    tag = 'nfvo:vnf=%s' % vnf_instance_id(sdk.current_project_id, name)
    rows = []
    try:
        run_task('telco.nfvo.vnf', {'name': name, 'package': v1, 'flavour_id': 'simple', 'images': IMAGES,
                                    'scale_levels': {'VDU1_scale': args.vnfcs - 2}, 'max_concurrency': 20}, workdir)
        targets = [(v2, {'VDU1': image.id, 'VDU2': image.id}), (v1, IMAGES)]
        for i, limit in enumerate(limits):
            package, images = targets[i % 2]
            log = os.path.join(workdir, 'upgrade-%d.log' % limit)
            sampler = ActiveSampler(sdk, tag, args.sample)
            sampler.start()
            task = {'name': name, 'operation': 'change_vnfpkg', 'package': package, 'images': images, 'max_unavailable': limit,
                    'max_concurrency': 20}
            wall, res = run_task('telco.nfvo.vnf_change', task, workdir, log)
            sampler.done.set()
            sampler.join()
            total, writes, dummy = requests_of(log)
            upgrade = res['upgrade']
            rows.append((limit, sum(len(b) for b in upgrade['batches']), len(upgrade['batches']), wall, total, writes,
                         sampler.fewest, sampler.samples, res['vnf_instance']['vnfdVersion']))
    finally:
        try:
            run_task('telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'}, workdir)
        finally:
            sdk.image.delete_image(image)
            admin.compute.delete_flavor(flavor)
            shutil.rmtree(workdir, ignore_errors=True)
    print('rolling upgrade (CHANGE_VNFPKG by Nova rebuild) of %d VNFCs (VDU1 x%d + VDU2 x1), one vnf_change task each:'
          % (args.vnfcs, args.vnfcs - 1))
    print('%-16s %6s %8s %9s %9s %7s %12s %8s %8s' % ('max_unavailable', 'VNFCs', 'batches', 'wall s', 'requests', 'writes',
                                                      'min ACTIVE', 'samples', 'version'))
    for limit, vnfcs, batches, wall, total, writes, fewest, samples, version in rows:
        print('%-16d %6d %8d %9.1f %9d %7d %12s %8d %8s' % (limit, vnfcs, batches, wall, total, writes, fewest, samples, version))


if __name__ == '__main__':
    main()
