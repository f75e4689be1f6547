# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A test-only fault-injecting HTTP proxy in front of the local cloud's API services (issue 13 item 2).

One listener per API service (Keystone, Nova, Neutron, Glance, Cinder, Placement), all on 127.0.0.1. Every answer
whose body is JSON has the services' own origins (``http://127.0.0.1:8774``...) replaced by the proxy's, so the
catalogue of a Keystone token, the version documents and the next links all lead a client back through the proxy:
a client whose clouds.yaml points at the proxy (``FaultProxy.clouds_yaml``) makes every call through it; all other
clients keep talking to the real endpoints. Other bodies (image data) are streamed in both directions, chunk by chunk.

Faults are off until a rule is added (``FaultProxy.add``, or a rules file re-read when it changes): a rule matches a
service, a method and a path pattern (a regular expression searched in the path and query) and fires on the N-th
matching request (``nth``, ``times`` firings from there) or at a ``rate`` (seeded); with ``after`` (a dict of service,
method and path like the rule's own), matches are counted only once a request matching ``after`` has been forwarded
(e.g. the polls of a wait: GETs counted after the first server create, not the discovery's GETs before it). Actions:
  status:500, status:503 (and any status)  answer that status at once, the request never reaches the service
  delay:<seconds>                        wait, then forward (the service does it after the client has given up)
  reset                                  drop the connection (TCP reset) before forwarding: nothing was done
  reset_after                            forward, then drop the connection: done, but the client never hears it
Each firing is noted in ``FaultProxy.fired`` (service, method, path, action, index of the rule, index of the request in
``FaultProxy.requests``), so a test can tell what it injected, and
every create and delete the services accepted in ``FaultProxy.done`` (service, method, path, resource id): what the
cloud actually did, whether or not the client heard the answer.

Control call (a playbook can switch faults between its tasks): on any listener, ``POST /__faults__`` with a JSON list
of rules replaces the rules, ``DELETE /__faults__`` turns them off, ``GET /__faults__`` returns what fired and what
was done. Run by hand: ``python tests/faults/proxy.py --rules rules.json --clouds-yaml out.yaml`` (the rules file: a JSON list
of rule objects, re-read when it changes).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAMS = {'identity': 5000, 'compute': 8774, 'network': 9696, 'image': 9292, 'volume': 8776, 'placement': 8778}
HOP_HEADERS = ('connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade')
CHUNK = 64 * 1024
CONTROL = '/__faults__'


class Rule:
    """One fault: where it applies, when it fires, what it does (see the module docstring)."""

    def __init__(self, action, service='*', method='*', path='', nth=None, times=1, rate=None, seed=0, after=None):
        if not re.match(r'^(status:\d{3}|delay:[0-9.]+|reset|reset_after)$', action):
            raise ValueError('unknown fault action %r' % action)
        if (nth is None) == (rate is None):
            raise ValueError('a rule fires on the nth request or at a rate: give one of them')
        self.action, self.service, self.method, self.path = action, service, method.upper(), re.compile(path)
        self.nth, self.times, self.rate = nth, times, rate
        self.random = random.Random(seed)
        self.matched = self.fired = 0
        self.after = Rule('reset', nth=1, **after) if after else None  # only its matching is used
        self.armed = after is None

    def applies(self, service, method, path):
        return (self.service in ('*', service) and self.method in ('*', method) and bool(self.path.search(path)))

    def arm(self, service, method, path):
        """Note a request that is forwarded: the one ``after`` waits for arms the rule for the requests after it."""
        if not self.armed and self.after.applies(service, method, path):
            self.armed = True

    def fires(self):
        """Called for a matching request (under the proxy's lock): True when this one gets the fault."""
        self.matched += 1
        if self.rate is not None:
            hit = self.random.random() < self.rate
        else:
            hit = self.nth <= self.matched < self.nth + self.times
        self.fired += hit
        return hit


class FaultProxy:
    """The proxy: ``start()``, ``add(...)`` rules, ``clear()``, ``stop()``; ``url(service)`` of a listener."""

    def __init__(self, upstreams=None, host='127.0.0.1', rules_file=None):
        self.upstreams = dict(upstreams or UPSTREAMS)
        self.host, self.rules_file = host, rules_file
        self.rules, self.fired, self.requests, self.done = [], [], [], []
        self.lock = threading.Lock()
        self.servers, self.ports = {}, {}
        self._rules_mtime = None

    # ---- control ----
    def add(self, action, **match):
        rule = Rule(action, **match)
        with self.lock:
            self.rules.append(rule)
        return rule

    def clear(self):
        with self.lock:
            self.rules = []
            self.fired = []
            self.requests = []
            self.done = []

    def note(self, service, method, path, status, body):
        """Note a create (POST answered 2xx with an item, or a bulk list of them, that has an id) or a delete (DELETE
        answered 2xx)."""
        if method not in ('POST', 'DELETE') or not 200 <= status < 300:
            return
        if method == 'POST':
            try:
                doc = json.loads(body or b'{}')
            except ValueError:
                return
            values = list(doc.values()) if isinstance(doc, dict) and len(doc) == 1 else []
            items = values[0] if values and isinstance(values[0], list) else values  # a bulk create: a list
            ids = [item['id'] for item in items if isinstance(item, dict) and item.get('id')]
        else:
            ids = [path.split('?')[0].rstrip('/').rsplit('/', 1)[-1]]
        with self.lock:
            self.done.extend((service, method, path.split('?')[0], rid) for rid in ids)

    def created(self, service, collection):
        """Ids of what the cloud created in ``collection`` (e.g. 'compute', '/servers') since the last clear()."""
        return [rid for s, m, p, rid in self.done if s == service and m == 'POST' and p.endswith(collection)]

    def deleted(self, service, collection):
        """Ids of what the cloud deleted in ``collection`` since the last clear()."""
        return [rid for s, m, p, rid in self.done if s == service and m == 'DELETE' and p.rsplit('/', 1)[0].endswith(collection)]

    def absorbed(self, window=10):
        """Firings whose request was sent again (the same service, method and path among the next ``window`` requests)
        and that time not faulted: what a client retry absorbed."""
        faulted = {f[5] for f in self.fired}
        return [f for f in self.fired
                if any(self.requests[j] == self.requests[f[5]] and j not in faulted for j in range(f[5] + 1, min(len(self.requests), f[5] + 1 + window)))]

    def _reload(self):
        if not self.rules_file:
            return
        try:
            mtime = os.path.getmtime(self.rules_file)
        except OSError:
            return
        if mtime != self._rules_mtime:
            with open(self.rules_file) as f:
                specs = json.load(f)
            self.rules = [Rule(**spec) for spec in specs]
            self._rules_mtime = mtime

    def fault_for(self, service, method, path):
        """The action of the first rule that fires on this request, or None; every request is noted."""
        with self.lock:
            self._reload()
            self.requests.append((service, method, path))
            for index, rule in enumerate(self.rules):
                if rule.armed and rule.applies(service, method, path) and rule.fires():
                    self.fired.append((service, method, path, rule.action, index, len(self.requests) - 1))
                    return rule.action
            for rule in self.rules:
                rule.arm(service, method, path)
        return None

    # ---- listeners ----
    def start(self):
        for service, port in self.upstreams.items():
            server = ThreadingHTTPServer((self.host, 0), _handler(self, service, port))
            server.daemon_threads = True
            self.servers[service] = server
            self.ports[service] = server.server_address[1]
            threading.Thread(target=server.serve_forever, name='fault-proxy-%s' % service, daemon=True).start()
        return self

    def stop(self):
        for server in self.servers.values():
            server.shutdown()
            server.server_close()

    def url(self, service):
        return 'http://%s:%d' % (self.host, self.ports[service])

    def rewrite(self, data):
        """A JSON body with every service origin replaced by the proxy's (the catalogue, version documents, links)."""
        for service, port in self.upstreams.items():
            for origin in ('http://%s:%d' % (self.host, port), 'http://localhost:%d' % port):
                data = data.replace(origin.encode(), self.url(service).encode())
        return data

    def clouds_yaml(self, source, dest):
        """Write ``dest``: the clouds.yaml ``source`` with every auth_url through the proxy."""
        with open(source) as f:
            text = f.read()
        text = re.sub(r'http://(127\.0\.0\.1|localhost):%d' % self.upstreams['identity'], self.url('identity'), text)
        with open(dest, 'w') as f:
            f.write(text)
        return dest


def _handler(proxy, service, port):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):  # quiet: the test asserts on proxy.fired / proxy.requests
            pass

        def _any(self):
            if self.path.startswith(CONTROL):
                return self._control()
            action = proxy.fault_for(service, self.command, self.path)
            if action == 'reset':
                self._drain_body()
                return self._reset()
            if action and action.startswith('status:'):
                self._drain_body()
                return self._answer_status(int(action.split(':')[1]))
            if action and action.startswith('delay:'):
                time.sleep(float(action.split(':')[1]))
            self._forward(reset_after=action == 'reset_after')

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _any

        def _body_chunks(self):
            """The request body as chunks (Content-Length or chunked), read as it comes."""
            if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
                while True:
                    size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                    if size == 0:
                        while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                            pass
                        return
                    yield self.rfile.read(size)
                    self.rfile.readline()
            left = int(self.headers.get('Content-Length') or 0)
            while left > 0:
                chunk = self.rfile.read(min(CHUNK, left))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk

        def _control(self):
            body = b''.join(self._body_chunks())
            if self.command == 'POST':
                rules = [Rule(**spec) for spec in json.loads(body or b'[]')]
                with proxy.lock:
                    proxy.rules = rules
            elif self.command == 'DELETE':
                with proxy.lock:
                    proxy.rules = []
            with proxy.lock:
                state = {'rules': len(proxy.rules), 'fired': proxy.fired, 'done': proxy.done}
            data = json.dumps(state).encode()
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _drain_body(self):
            for dummy in self._body_chunks():
                pass

        def _reset(self):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            self.close_connection = True
            self.connection.close()

        def _answer_status(self, status):
            body = json.dumps({'message': 'injected fault: HTTP %d from the fault proxy' % status}).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            if self.command != 'HEAD':
                self.wfile.write(body)

        def _forward(self, reset_after=False):
            upstream = http.client.HTTPConnection(proxy.host, port, timeout=900)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS and k.lower() != 'host'}
            headers['Host'] = '%s:%d' % (proxy.host, port)
            chunked = 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower()
            body = self._body_chunks() if chunked else b''.join(self._body_chunks())
            try:
                upstream.request(self.command, self.path, body=body, headers=headers, encode_chunked=chunked)
                resp = upstream.getresponse()
                body = resp.read() if _is_json(resp) or reset_after else None
                proxy.note(service, self.command, self.path, resp.status, body)
                if reset_after:
                    return self._reset()
                self._relay(resp, body)
            except (BrokenPipeError, ConnectionResetError):  # the client left (a delay past its timeout)
                self.close_connection = True
            finally:
                upstream.close()

        def _relay(self, resp, body):
            self.send_response(resp.status, resp.reason)
            empty = self.command == 'HEAD' or resp.status in (204, 304) or resp.status < 200
            for key, value in resp.getheaders():
                if key.lower() in HOP_HEADERS or key.lower() == 'content-length':
                    continue
                if key.lower() == 'location':
                    value = proxy.rewrite(value.encode()).decode()
                self.send_header(key, value)
            if empty:
                self.send_header('Content-Length', resp.getheader('Content-Length') or '0')
                self.end_headers()
                return
            if body is not None:
                body = proxy.rewrite(body)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            length = resp.getheader('Content-Length')
            if length is not None:
                self.send_header('Content-Length', length)
            else:
                self.send_header('Transfer-Encoding', 'chunked')
            self.end_headers()
            while True:
                chunk = resp.read(CHUNK)
                if not chunk:
                    break
                self.wfile.write(chunk if length is not None else b'%x\r\n%s\r\n' % (len(chunk), chunk))
            if length is None:
                self.wfile.write(b'0\r\n\r\n')

    return Handler


def _is_json(resp):
    return 'json' in (resp.getheader('Content-Type') or '') or resp.getheader('Content-Length') == '0'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--rules', help='JSON list of rules, re-read when it changes')
    parser.add_argument('--clouds-yaml', help='write a clouds.yaml through the proxy here')
    parser.add_argument('--source', default=os.path.join(os.environ.get('NFVO_CLOUD_DIR', '.cloud'), 'clouds.yaml'))
    args = parser.parse_args()
    proxy = FaultProxy(rules_file=args.rules).start()
    if args.clouds_yaml:
        proxy.clouds_yaml(args.source, args.clouds_yaml)
    print(json.dumps({s: proxy.url(s) for s in proxy.ports}), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        proxy.stop()


if __name__ == '__main__':
    main()
