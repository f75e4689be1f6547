# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scripted service faults on the local cloud (issue 13 item 2): stop one of its processes, start it again.

These DO disturb the shared cloud: the tests that use them are marked ``@pytest.mark.serial`` and run after the
parallel pass. A process is found by the PID file tests/cloud/start.sh wrote for it (``$NFVO_CLOUD_DIR/run/<name>.pid``;
each process leads its own process group) and stopped the way tests/cloud/stop.sh stops it; it is started again by
tests/cloud/start.sh itself, which is idempotent (it starts only the processes that are not alive, with the very
command lines of a first start), so nothing here knows how a service is launched.
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLOUD_DIR = os.environ.get('NFVO_CLOUD_DIR', os.path.join(ROOT, '.cloud'))


def pid_of(name):
    """The PID start.sh recorded for ``name`` (rabbitmq, neutron, nova-compute1, ...), or None when it is not alive."""
    try:
        with open(os.path.join(CLOUD_DIR, 'run', '%s.pid' % name)) as f:
            pid = int(f.read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def stop(name, sig=signal.SIGTERM, grace=10.0):
    """Stop the process group of ``name``: ``sig`` (SIGKILL: the process dies), SIGKILL after ``grace`` seconds."""
    pid = pid_of(name)
    if pid is None:
        raise RuntimeError('%s is not running in %s' % (name, CLOUD_DIR))
    os.killpg(pid, sig)
    deadline = time.time() + grace
    while time.time() < deadline and pid_of(name):
        time.sleep(0.1)
    if pid_of(name):
        os.killpg(pid, signal.SIGKILL)
        while pid_of(name):
            time.sleep(0.1)
    return pid


def start(timeout=600):
    """tests/cloud/start.sh: starts what is not running and returns when the APIs answer (CalledProcessError if not)."""
    env = dict(os.environ, NFVO_CLOUD_DIR=CLOUD_DIR)
    subprocess.run(['bash', os.path.join(ROOT, 'tests', 'cloud', 'start.sh')], env=env, check=True, timeout=timeout,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return True


def restart(name, sig=signal.SIGTERM, down=0.0):
    """Stop ``name``, leave it down ``down`` seconds, start it again; returns (old pid, new pid)."""
    old = stop(name, sig)
    time.sleep(down)
    start()
    return old, pid_of(name)


def restart_later(name, after, sig=signal.SIGTERM, down=0.0):
    """``restart`` in a thread, ``after`` seconds from now (mid-operation); join the thread, then read ``.result``."""
    thread = threading.Thread(target=_later, args=(name, after, sig, down), daemon=True)
    thread.result = None
    thread.start()
    return thread


def _later(name, after, sig, down):
    time.sleep(after)
    threading.current_thread().result = restart(name, sig, down)
