#!/usr/bin/env python3
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Chargeback report over a 1,000,000-event ledger, on SQLite and (when --dsn or NFVO_TEST_PG_DSN) PostgreSQL.

Generates a month of events (created / resized / stopped / started / observed / deleted / closed over servers,
volumes and floating IPs of 2,000 VNFs in 50 projects), loads them through Ledger.record in batches of 20,000
(one executemany per batch), then times build_report for a few interval/group_by pairs and prints the figures.
usage: bench/bench_ledger_report.py [--events N] [--dsn DSN] [--sqlite PATH] [--reuse]
"""
import argparse
import datetime
import os
import random
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests'))
import conftest  # noqa: E402,F401  (makes ansible_collections.telco.nfvo importable)
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.report import build_report  # noqa: E402
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import open_ledger  # noqa: E402
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import make_event  # noqa: E402

START = datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc)
MONTH = 31 * 86400
FLAVORS = [(1, 2048, 20), (2, 4096, 40), (4, 8192, 80), (8, 16384, 160)]
RATES = """
currency: EUR
assignment: first_match
rates:
  - name: premium VNFs
    assign_to: {vnfd: [vnfd-0, vnfd-1]}
    details:
      - {field: vcpu, per_time: monthly, variable: 12}
      - {field: memory, per_time: hourly, per_unit: gigabytes, tiers: [{start: 0, finish: 8, variable: 0.004}, {start: 8, finish: null, variable: 0.003}]}
      - {field: vnf_instance, per_time: daily, fixed: 2}
  - name: standard
    details:
      - {field: vcpu, per_time: hourly, variable: 0.01}
      - {field: memory, per_time: hourly, per_unit: gigabytes, variable: 0.005}
      - {field: disk, per_time: monthly, variable: 0.05}
      - {field: metering, per_time: hourly, fixed: 0.002}
      - {field: storage, per_time: monthly, variable: 0.1}
      - {field: floating_ip, per_time: daily, fixed: 0.1}
"""


def generate(total, seed=7):
    """Yield events of random resource lives until `total` events have been produced."""
    rng = random.Random(seed)
    produced, number = 0, 0
    while produced < total:
        number += 1
        vnf = rng.randrange(2000)
        owners = dict(project_name='project-%d' % (vnf % 50), project_id='p%d' % (vnf % 50), vnf_instance_id='vnf-%d' % vnf,
                      vnf_name='vnf-%d' % vnf, ns_instance_id='ns-%d' % (vnf // 4), vnfd_id='vnfd-%d' % (vnf % 7), vnfd_version='1.0',
                      vdu='VDU%d' % rng.randrange(3), cloud='bench', region='RegionOne')
        kind = rng.choice(('server', 'server', 'server', 'volume', 'floating_ip'))
        rid = '%s-%d' % (kind, number)
        t = rng.uniform(-MONTH / 4, MONTH)
        opener = 'observed' if rng.random() < 0.1 else 'created'
        vcpus, ram, disk = rng.choice(FLAVORS)
        sizes = dict(vcpus=vcpus, ram_mb=ram, disk_gb=disk, flavor='f%d' % vcpus) if kind == 'server' else \
            dict(volume_gb=rng.choice((10, 50, 100)), volume_type=rng.choice(('ssd', 'hdd'))) if kind == 'volume' else {}
        life = [opener]
        if kind == 'server':
            life += rng.choice(([], ['resized'], ['stopped', 'started'], ['resized', 'stopped', 'started', 'observed']))
        life += [rng.choice(('deleted', 'deleted', 'closed'))] if rng.random() < 0.7 else []
        for step, action in enumerate(life):
            if action == 'resized':
                sizes.update(zip(('vcpus', 'ram_mb', 'disk_gb'), rng.choice(FLAVORS)))
            yield make_event(kind, rid, action, START + datetime.timedelta(seconds=t), key='%s/%d' % (rid, step), **dict(owners, **sizes))
            t += rng.uniform(600, MONTH / 3)
            produced += 1


def load(ledger, total):
    began, batch = time.time(), []
    for event in generate(total):
        batch.append(event)
        if len(batch) == 20000:
            ledger.record(batch, {'run_id': 'bench'})
            batch = []
    ledger.record(batch, {'run_id': 'bench'})
    return time.time() - began


def bench(name, spec, make, total, rates, reuse):
    ledger = open_ledger(**spec)
    if not (reuse and ledger.count() >= total):
        make()
        ledger.close()
        ledger = open_ledger(**spec)
        print('%-10s load %d events: %.1f s' % (name, total, load(ledger, total)))
    count = ledger.count()
    ledger.close()
    if 'dsn' in spec:  # fresh planner statistics, as autovacuum would have after a bulk load
        import psycopg
        with psycopg.connect(spec['dsn'], autocommit=True) as conn:
            conn.execute('ANALYZE events')
    for interval, group_by in (('monthly', 'project'), ('daily', 'vnf'), ('weekly', 'vdu'), ('daily', 'job')):
        began = time.time()
        summary = build_report(spec, rates, month='2026-03', interval=interval, group_by=group_by, fmt='html',
                               dest=os.path.join(tempfile.gettempdir(), 'bench-report.html'))
        print('%-10s report over %d events, %-7s by %-8s: %5.2f s  (%d rows, total %s)'
              % (name, count, interval, group_by, time.time() - began, len(summary['rows']), summary['totals']))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--events', type=int, default=1000000)
    parser.add_argument('--dsn', default=os.environ.get('NFVO_TEST_PG_DSN'))
    parser.add_argument('--sqlite', default=os.path.join(ROOT, '.build', 'bench-ledger.db'))
    parser.add_argument('--reuse', action='store_true', help='keep an existing ledger that already holds enough events')
    args = parser.parse_args()
    rates = os.path.join(tempfile.gettempdir(), 'bench-rates.yml')
    with open(rates, 'w') as handle:
        handle.write(RATES)

    def fresh_sqlite():
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(args.sqlite + suffix):
                os.unlink(args.sqlite + suffix)

    def fresh_pg():
        import psycopg
        with psycopg.connect(args.dsn, autocommit=True) as conn:
            conn.execute('TRUNCATE events, runs')

    os.makedirs(os.path.dirname(args.sqlite), exist_ok=True)
    bench('sqlite', {'path': args.sqlite}, fresh_sqlite, args.events, rates, args.reuse)
    if args.dsn:
        bench('postgresql', {'dsn': args.dsn}, fresh_pg, args.events, rates, args.reuse)
    else:
        print('postgresql skipped: give --dsn or NFVO_TEST_PG_DSN (tests/services/postgres.sh start prints one)')


if __name__ == '__main__':
    main()
