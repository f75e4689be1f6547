#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How fast VNF packages are read: every valid sample, as a directory and as a zip, N times each.

    python3 bench/bench_package_read.py [N]

Prints packages/second (the goal is 300/s or better, issue 14), per package form and in all, by the wall clock and
by the CPU time of this process (what the figure would be on a quiet machine when others load this one), and
whether PyYAML's libyaml parser was used; asserts nothing.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, 'tests', 'data', 'vnf_packages')
VALID = ['helloworld3', 'getting_started', 'practical', 'v2_basic_min']


def importable_collection():
    """Make the working tree importable as ansible_collections.telco.nfvo (as tests/conftest.py does)."""
    base = os.path.join(ROOT, '.build', 'bench')
    link = os.path.join(base, 'ansible_collections', 'telco', 'nfvo')
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)
    sys.path.insert(0, base)


def make_zip(src, dest):
    with zipfile.ZipFile(dest, 'w', zipfile.ZIP_DEFLATED) as zf:
        for dirpath, dirnames, filenames in os.walk(src):
            for name in filenames:
                full = os.path.join(dirpath, name)
                zf.write(full, os.path.relpath(full, src))
    return dest


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    importable_collection()
    from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import package_to_dict
    from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import reader as vnfd_reader
    from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import yaml_events

    sys.stdout.write('python %s, PyYAML %s, libyaml loader: %s\n' % (
        sys.version.split()[0], yaml_events.yaml.__version__, yaml_events.Loader.__name__ == 'CSafeLoader'))
    with tempfile.TemporaryDirectory() as tmp:
        forms = [('dir', name, os.path.join(SAMPLES, name)) for name in VALID]
        forms += [('zip', name, make_zip(os.path.join(SAMPLES, name), os.path.join(tmp, name + '.csar'))) for name in VALID]
        total_n, total_read, total_dict, total_cpu = 0, 0.0, 0.0, 0.0
        for form, name, path in forms:
            package_to_dict(vnfd_reader.read_package(path))  # warm up
            start, cpu = time.perf_counter(), time.process_time()
            for _ in range(rounds):
                vnfd_reader.read_package(path)
            read = time.perf_counter() - start
            cpu = time.process_time() - cpu
            start = time.perf_counter()
            for _ in range(rounds):
                package_to_dict(vnfd_reader.read_package(path))
            both = time.perf_counter() - start
            total_n += rounds
            total_read += read
            total_dict += both
            total_cpu += cpu
            sys.stdout.write('%-4s %-16s %6.0f packages/s read (%.2f ms; cpu %.2f ms), %6.0f/s read + package_to_dict\n'
                             % (form, name, rounds / read, 1000 * read / rounds, 1000 * cpu / rounds, rounds / both))
        sys.stdout.write('all  %5d reads each way  %6.0f packages/s read (cpu: %.0f/s), %6.0f/s read + package_to_dict\n'
                         % (total_n, total_n / total_read, total_n / total_cpu, total_n / total_dict))


if __name__ == '__main__':
    main()
