# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health gate of a rolling upgrade (CHANGE_VNFPKG, ``upgrade.py``) after each batch: once the servers are ACTIVE,
optionally a TCP port answering on each fixed IP of the VNFC and / or an HTTP URL (placeholders ``{ip}``, ``{vnfc}``,
``{name}``) answering below 400, each tried again until the check's ``timeout``."""
from __future__ import annotations

import http.client
import socket
import time
import urllib.error

from ansible.module_utils.urls import open_url

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError

HEALTH_TIMEOUT = 60  # seconds a health check may take per server
HEALTH_POLL = 1.0  # seconds between two tries of a health check


def addresses_of(snap, vnfc):
    """The fixed IPs of the VNFC's ports (kept by a rebuild)."""
    return [ip['ip_address'] for p in snap.ports if T.parse_tags(p.get('tags')).get('vnfc') == vnfc
            for ip in p.get('fixed_ips') or [] if ip.get('ip_address')]


def _tcp_answers(ip, port, timeout):
    try:
        with socket.create_connection((ip, int(port)), timeout=timeout):
            return ''
    except OSError as exc:
        return 'TCP port %s of %s does not answer (%s)' % (port, ip, exc.strerror or exc)


def _http_answers(url, timeout):
    try:
        with open_url(url, timeout=timeout, validate_certs=False) as resp:  # the user's own health URL, often a VNFC's self-signed one
            return '' if resp.status < 400 else 'HTTP %s from %s' % (resp.status, url)
    except urllib.error.HTTPError as exc:
        return 'HTTP %s from %s' % (exc.code, url)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        return '%s does not answer (%s)' % (url, getattr(exc, 'reason', exc) or type(exc).__name__)


def health_problem(check, vnfc, server, addresses, clock=time.monotonic, sleep=time.sleep):
    """Why the VNFC fails the health check ``check`` ({tcp_port, http_url, timeout}) once its server is ACTIVE ('' when
    it passes): each probe is tried again until ``timeout`` seconds have passed."""
    if not check or not (check.get('tcp_port') or check.get('http_url')):
        return ''
    timeout = float(check.get('timeout') or HEALTH_TIMEOUT)
    deadline = clock() + timeout
    while True:
        problem = ''
        for ip in addresses if check.get('tcp_port') else ():
            problem = problem or _tcp_answers(ip, check['tcp_port'], min(5.0, timeout))
        if not problem and check.get('http_url'):
            url = check['http_url'].format(ip=(addresses or [''])[0], vnfc=vnfc, name=server.get('name') or vnfc)
            problem = _http_answers(url, min(5.0, timeout))
        if not problem or clock() >= deadline:
            return problem and '%s (for %ds)' % (problem, timeout)
        sleep(HEALTH_POLL)


def check_health_option(check):
    """PlanError when the health_check option cannot be used (before any write)."""
    if not check:
        return
    unknown = sorted(set(check) - {'tcp_port', 'http_url', 'timeout'})
    if unknown:
        raise PlanError('health_check has %s: it takes tcp_port, http_url and timeout' % ', '.join(unknown))
    if check.get('tcp_port') is not None and not 0 < int(check['tcp_port']) < 65536:
        raise PlanError('health_check tcp_port %s is not a TCP port (1-65535)' % check['tcp_port'])
    url = check.get('http_url')
    if url is not None:
        if not str(url).startswith(('http://', 'https://')):
            raise PlanError("health_check http_url '%s' is not an http:// or https:// URL" % url)
        try:
            str(url).format(ip='', vnfc='', name='')
        except (KeyError, IndexError, ValueError) as exc:
            raise PlanError("health_check http_url '%s' has a placeholder other than {ip}, {vnfc}, {name}: %s" % (url, exc))
