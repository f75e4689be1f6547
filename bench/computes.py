#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Add fake compute hosts to the RUNNING local cloud, and remove them again - no running service is restarted.

A fake compute host is one more nova-compute process; nova-api, the scheduler, the conductor and placement pick a
new one up without a restart: the process registers its service, compute node and resource provider itself, and
``nova-manage cell_v2 discover_hosts`` maps it into cell1 (the cloud does not discover hosts periodically). So
``add 10`` brings the cloud to 10 hosts exactly as ``NFVO_COMPUTES=10 tests/cloud/start.sh`` would have: the same
``compute<i>.conf`` (written the way start.sh writes it), data and lock dirs, log, PID file ``run/nova-compute<i>.pid``
(so ``tests/cloud/stop.sh`` stops them too), and host ``compute<i>`` in aggregate ``az1`` (odd i) or ``az2`` (even i),
as ``bootstrap.py compute`` places every host. The command line is the one nova-compute1 runs, with its conf file
swapped.

``remove`` takes back ONLY the hosts ``add`` added (listed in ``run/bench-computes``), without disturbing anyone:
it disables them (no new server is scheduled there), waits until no server is left on them (other sessions' tests
share this cloud and may have put one there), takes them out of their aggregate, stops their nova-compute processes
(by the PIDs ``add`` recorded) and deletes their compute services (Nova drops the compute node, host mapping and
resource provider with it), so the cloud lists its 3 hosts again, all up.

usage: bench/computes.py add 10        # hosts compute4..compute10 (nothing to do when there are 10 already)
       bench/computes.py remove        # the hosts `add` added
       bench/computes.py status
Environment: NFVO_CLOUD_DIR (default <repo>/.cloud), OS_CLIENT_CONFIG_FILE (default $NFVO_CLOUD_DIR/clouds.yaml).
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLOUD_DIR = os.environ.get('NFVO_CLOUD_DIR') or os.path.join(ROOT, '.cloud')
D, L, R, E = (os.path.join(CLOUD_DIR, d) for d in ('data', 'logs', 'run', 'etc'))
ADDED = os.path.join(R, 'bench-computes')  # one line per host this helper added: "<host> <pid>"
CONF = ('[DEFAULT]\nhost = compute{i}\nstate_path = {d}/compute{i}\ninstances_path = {d}/compute{i}/instances\nlog_dir =\n'
        'log_file = {l}/nova-compute{i}.log\n[oslo_concurrency]\nlock_path = {d}/compute{i}/lock\n')


def admin():
    os.environ.setdefault('OS_CLIENT_CONFIG_FILE', os.path.join(CLOUD_DIR, 'clouds.yaml'))
    import openstack
    return openstack.connect(cloud='nfvo-admin')


def host_number(host):
    return int(re.sub(r'\D', '', host) or 1)


def compute_hosts(conn):
    """{host: service} of the nova-compute services."""
    return {s.host: s for s in conn.compute.services() if s.binary == 'nova-compute'}


def _alive(pid):
    """A live nova-compute of ours: a recorded pid that a cloud restart has made stale (another process now) is not."""
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            return b'nova-compute' in f.read()
    except OSError:
        return False


def _added():
    if not os.path.exists(ADDED):
        return {}
    with open(ADDED) as f:
        return {host: int(pid) for host, pid in (ln.split() for ln in f if ln.strip())}


def _write_added(added):
    with open(ADDED + '.tmp', 'w') as f:
        f.write(''.join('%s %d\n' % kv for kv in sorted(added.items(), key=lambda kv: host_number(kv[0]))))
    os.replace(ADDED + '.tmp', ADDED)


def _template():
    """The command line nova-compute1 runs (argv), and the path of its compute1.conf in it."""
    with open(os.path.join(R, 'nova-compute1.pid')) as f:
        pid = int(f.read().strip())
    with open('/proc/%d/cmdline' % pid, 'rb') as f:
        argv = [a.decode() for a in f.read().split(b'\0') if a]
    conf = next(a for a in argv if a.endswith('/compute1.conf'))
    return argv, conf


def add(total, timeout=300):
    """Bring the cloud to ``total`` compute hosts (compute<n+1>..compute<total>); returns the hosts added."""
    conn = admin()
    have = compute_hosts(conn)
    argv, conf1 = _template()
    bindir = os.path.dirname(argv[1] if os.path.basename(argv[0]).startswith('python') else argv[0])
    added = _added()
    new = []
    for i in range(1, total + 1):
        host = 'compute%d' % i
        if host in have:
            continue
        for sub in ('instances', 'lock'):
            os.makedirs(os.path.join(D, host, sub), exist_ok=True)
        conf = os.path.join(E, 'nova', '%s.conf' % host)
        with open(conf, 'w') as f:
            f.write(CONF.format(i=i, d=D, l=L))
        cmd = [conf if a == conf1 else a for a in argv]
        with open(os.path.join(L, 'nova-%s.out' % host), 'ab') as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        with open(os.path.join(R, 'nova-%s.pid' % host), 'w') as f:
            f.write('%d\n' % proc.pid)
        added[host] = proc.pid
        _write_added(added)
        new.append(host)
    if not new:
        return []
    nova_conf = os.path.join(E, 'nova', 'nova.conf')
    deadline = time.time() + timeout
    while True:  # each host registers its service and compute node; then it can be mapped into cell1
        subprocess.run([os.path.join(bindir, 'nova-manage'), '--config-file', nova_conf, 'cell_v2', 'discover_hosts'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        up = {s.host for s in conn.compute.services() if s.binary == 'nova-compute' and s.state == 'up'}
        hyps = {h.name for h in conn.compute.hypervisors()}
        if set(new) <= up and set(new) <= hyps:
            break
        dead = [h for h in new if not _alive(added[h])]
        if dead or time.time() > deadline:
            raise SystemExit('compute host(s) %s did not come up (see %s/nova-%s.log)' % (', '.join(dead or sorted(set(new) - up)), L, (dead or new)[0]))
        time.sleep(2)
    aggs = {a.name: a for a in conn.compute.aggregates()}
    for host in new:
        az = 'az%d' % ((host_number(host) - 1) % 2 + 1)
        agg = aggs.get(az) or conn.compute.create_aggregate(name=az, availability_zone=az)
        aggs[az] = agg
        conn.compute.add_host_to_aggregate(agg, host)
    return new


def remove(timeout=600):
    """Take back the hosts ``add`` added (see the module docstring); returns them."""
    added = _added()
    if not added:
        return []
    conn = admin()
    services = compute_hosts(conn)
    for host in added:
        if host in services and services[host].status != 'disabled':
            conn.compute.disable_service(services[host], disabled_reason='bench/computes.py remove')
    deadline = time.time() + timeout
    while True:  # servers of other sessions that landed there are deleted by their tests, while the host still runs
        left = [s.name for s in conn.compute.servers(all_projects=True) if getattr(s, 'compute_host', None) in added]
        if not left:
            break
        if time.time() > deadline:
            raise SystemExit('servers %s are still on %s: left the hosts running (disabled); run remove again later'
                             % (', '.join(left[:5]), ', '.join(sorted(added))))
        time.sleep(3)
    for agg in conn.compute.aggregates():
        for host in set(agg.hosts or []) & set(added):
            conn.compute.remove_host_from_aggregate(agg, host)
    for host, pid in sorted(added.items()):
        if _alive(pid):
            try:
                os.killpg(pid, signal.SIGTERM)
            except OSError:
                os.kill(pid, signal.SIGTERM)
            for dummy in range(100):
                if not _alive(pid):
                    break
                time.sleep(0.1)
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)
        for path in (os.path.join(R, 'nova-%s.pid' % host), os.path.join(E, 'nova', '%s.conf' % host)):
            if os.path.exists(path):
                os.remove(path)
    for host in added:
        if host in services:
            conn.compute.delete_service(services[host])
    os.remove(ADDED)
    return sorted(added, key=host_number)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    sub.add_parser('add', help='bring the cloud to N compute hosts').add_argument('total', type=int)
    sub.add_parser('remove', help='remove the hosts add added')
    sub.add_parser('status', help='list the compute hosts')
    args = ap.parse_args()
    if args.cmd == 'add':
        print('added: %s' % (', '.join(add(args.total)) or 'none'))
    elif args.cmd == 'remove':
        print('removed: %s' % (', '.join(remove()) or 'none'))
    conn = admin()
    hosts = compute_hosts(conn)
    print('%d compute hosts: %s (added by this helper: %s)' % (len(hosts), ', '.join(
        '%s %s/%s' % (h, s.status, s.state) for h, s in sorted(hosts.items(), key=lambda kv: host_number(kv[0]))),
        ', '.join(sorted(_added(), key=host_number)) or 'none'))


if __name__ == '__main__':
    sys.exit(main())
