# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Apply a ``model.Plan`` through the HTTP client (``openstack/client.py``, ``CloudApi``).

- Actions whose dependencies are done run concurrently in a bounded thread pool (``max_concurrency``).
- Asynchronous resources (servers building or being deleted, volumes being created, detached or deleted) are
  waited for by polling ONE list call per resource type filtered by the instance's tags (servers) or metadata
  (volumes), never one GET per resource. The server poll is shared (``ServerPoll``): the executors running at the
  same time on one API (the VNFs of an NS) are served by one ``GET /servers/detail`` for all their instances, an
  executor reusing a poll that began after its last wait began and within its poll interval. An executor running
  alone polls only the servers it waits for (Nova's ``name`` filter, up to NAMED_POLL_MAX of them): a heal of one
  VNFC lists one server, not the VNF's hundreds. Polls begin POLL_MIN apart and back off to POLL_MAX; polls of the
  servers waited for alone (a few rows) to NAMED_POLL_CAP, so a wait ends at most about a second after the cloud did.
- Ports that are ready together are created with ONE bulk ``POST /ports`` (Neutron makes all or none), not one
  request each (concurrent single creates contend for the subnet's IP allocation and are slower than one bulk).
- Every resource is marked with the action's tags (Neutron: in the create request where the cloud accepts it,
  else with one ``PUT .../tags`` right after, what the cloud does learnt once per kind for the whole run:
  ``openstack.client.CreateTags``; Nova servers: tags and metadata in the create request; volumes: metadata).
- ``created`` lists what this run created, in order, the moment the cloud accepted it: a failed operation is
  rolled back from it (``converge.plan_delete``), or kept; ``final`` holds each server's body as the poll that
  saw it done (ACTIVE, SHUTOFF) listed it, so the record after the run is built without listing again.
- The first failure stops new actions; running ones finish. A failure travels as an ``ActionFailed`` (the action,
  the reason with the cloud's words, the HTTP status); ``Outcome.failure`` keeps the first one and ``Outcome.error``
  its one line, naming the resource and the VNF and quoting the cloud:
  "Failed to create port CP2 of VDU1-0 (VNF web-1): Quota exceeded for resources: ['port']. (HTTP 409)".
"""
from __future__ import annotations

import base64
import threading
import time
import weakref
from collections import Counter
from dataclasses import dataclass
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait as wait_futures

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import ActionFailed, CloudError, describe_error
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import SIMPLE_NAME, list_servers, list_volumes
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import CREATE, STOP, is_ref
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CreateTags

POLL_MIN, POLL_MAX = 0.5, 2.0
NAMED_POLL_CAP = 1.0  # the longest interval between polls that list only the servers waited for (cheap: a few rows)
NAMED_POLL_MAX = 20  # servers waited for that a poll filters by name; more: the instance's whole list (as cheap by then)
POLL_ERRORS = 3  # status polls in a row that may fail (a 500, a dropped answer) before the wait fails
BULK_PORTS = 100
_NEUTRON = {'network': ('networks', 'network'), 'subnet': ('subnets', 'subnet'), 'port': ('ports', 'port'),
            'security_group': ('security-groups', 'security_group'), 'anchor': ('security-groups', 'security_group')}


def _groups(ready):
    """Ready actions as groups run by one job each: all port creates together (one bulk request, at most BULK_PORTS
    a request), every other action alone."""
    ports = [a for a in ready if a.op == CREATE and a.kind == 'port']
    groups = [ports[i:i + BULK_PORTS] for i in range(0, len(ports), BULK_PORTS)]
    return groups + [[a] for a in ready if not (a.op == CREATE and a.kind == 'port')]


class _Wait:
    """An action accepted by the cloud, done when a poll sees ``until`` (or the deadline passes when ``soft``);
    ``since``: when the cloud accepted it (a poll begun before cannot tell)."""

    def __init__(self, action, what, resource_id, until, deadline=None, soft=False):
        self.action, self.what, self.resource_id, self.until = action, what, resource_id, until
        self.deadline, self.soft = deadline, soft
        self.last_status = None
        self.since = time.monotonic()


class ServerPoll:
    """The server poll of every executor running on one API at the same time (``server_poll(api)``): one
    ``GET /servers/detail`` filtered by the tags of all the instances joined (``tags-any``) answers them all."""

    def __init__(self, api):
        self.api = api
        self.members = Counter()  # instance id -> executors of it running
        self.lock = threading.Lock()  # one poll at a time; the others wait for it and take its answer
        self.last = None  # (monotonic start, instance ids, {server id: server}, names or None: all) of the last poll

    def join(self, instance_id):
        with self.lock:
            self.members[instance_id] += 1

    def leave(self, instance_id):
        with self.lock:
            self.members[instance_id] -= 1
            if self.members[instance_id] <= 0:
                del self.members[instance_id]

    def servers(self, instance_id, since, max_age, names=None):
        """{server id: server} of a poll that began after ``since`` and at most ``max_age`` seconds ago and covers
        ``instance_id`` (and ``names``, the servers waited for, when given): the last one, or a new one - for every
        instance joined, or, when ``instance_id`` is the only one, for ``names`` alone (few of simple names)."""
        with self.lock:
            now = time.monotonic()
            last = self.last
            if last is not None and last[0] >= since and now - last[0] <= max_age and instance_id in last[1] \
                    and (last[3] is None or (names is not None and set(names) <= last[3])):
                return last[2]
            ids = sorted(set(self.members) | {instance_id})
            only = None
            if len(ids) == 1 and names and len(names) <= NAMED_POLL_MAX and all(SIMPLE_NAME.match(n or '') for n in names):
                only = set(names)
            self.last = (now, set(ids), {s['id']: s for s in list_servers(self.api, ids, names=only)}, only)
            return self.last[2]


_POLLS = weakref.WeakKeyDictionary()
_POLLS_LOCK = threading.Lock()


def server_poll(api):
    """The ``ServerPoll`` shared by the executors on ``api``."""
    with _POLLS_LOCK:
        if api not in _POLLS:
            _POLLS[api] = ServerPoll(api)
        return _POLLS[api]


class Outcome:
    """What one run did: the resources it created, deleted and updated, and its first failure."""

    def __init__(self):
        self.created = []  # [(kind, key, resource dict)]
        self.deleted = []  # [(kind, key, resource id)]
        self.updated = []  # [(kind, key, resource id)]
        self.final = {}  # server id -> the server as the poll that saw its action done listed it
        self.failure = None  # the ActionFailed that stopped the run
        self.error = None  # its one line: 'Failed to <op> <resource> (VNF <name>): <reason>'
        self.forced = []  # labels of servers that did not stop within the graceful stop timeout
        self.unanswered = []  # create actions whose answer never came (a timeout, a dropped connection)

    @property
    def ok(self):
        return self.error is None

    @property
    def status(self):
        """HTTP status of the failure, when the cloud gave one."""
        return self.failure.status if self.failure is not None else None

    @property
    def failed_action(self):
        return self.failure.action if self.failure is not None else None


@dataclass
class Settings:
    """How a plan is run (from the operation's options)."""
    max_concurrency: int = 10
    timeout: int = 1800
    wait: bool = True  # wait for servers to become ACTIVE
    graceful_timeout: int = 60  # seconds a graceful stop may take before the server is stopped forcefully
    settle_on_failure: bool = False  # after a failure, still wait for what is in flight (keep)
    poll_min: float = POLL_MIN
    poll_max: float = POLL_MAX


class Executor:
    """Runs one plan with ``settings``; ``done_keys``: action ids already done (e.g. the anchor created by the lock),
    ``ids``: {key: id} of resources the plan refers to (``{'$ref'}`` values)."""

    def __init__(self, api, plan, settings=None, done_keys=(), ids=None):
        settings = settings or Settings()
        self.api = api
        self.plan = plan
        self.max_concurrency = max(1, int(settings.max_concurrency or 1))
        self.deadline = time.monotonic() + (settings.timeout or 1800)
        self.timeout = settings.timeout
        self.wait = settings.wait
        self.graceful_timeout = settings.graceful_timeout
        self.ids = dict(ids or {})  # key -> id (for {'$ref'} values)
        self.done = set(done_keys)  # action ids already done (e.g. the anchor created by the lock)
        self.outcome = Outcome()
        self.poll_min, self.poll_max = settings.poll_min, settings.poll_max
        self._tags = getattr(api, 'create_tags', None) or CreateTags()  # learnt once per run (a plain stand-in: per executor)
        self._poll_errors = 0  # status polls failed in a row
        self.settle_on_failure = settings.settle_on_failure  # after a failure, still wait for what is in flight (keep)

    # -- scheduling ------------------------------------------------------------------------------------------
    def run(self):
        poll = server_poll(self.api)
        poll.join(self.plan.instance_id)
        try:
            return self._run()
        finally:
            poll.leave(self.plan.instance_id)

    def _run(self):
        actions = [a for a in self.plan.actions if a.id not in self.done]
        by_key = {}
        for a in self.plan.actions:
            by_key.setdefault(a.key, []).append(a.id)
        pending = list(actions)
        running, waiting = {}, []
        failed = False
        last_poll, interval = 0.0, self.poll_min
        with ThreadPoolExecutor(max_workers=self.max_concurrency) as pool:
            while True:
                if not failed:
                    ready = [a for a in pending if all(aid == a.id or aid in self.done for d in a.deps for aid in by_key.get(d, ()))]
                    for group in _groups(ready):
                        for a in group:
                            pending.remove(a)
                        running[pool.submit(self._apply_group, group)] = group
                if not running and (not waiting or (failed and not self.settle_on_failure)):
                    if pending and not failed:
                        self._fail(ActionFailed(pending[0], 'its dependencies %s never completed' % ', '.join(pending[0].deps)))
                    break
                if running:
                    finished, dummy = wait_futures(list(running), timeout=interval if waiting else None, return_when=FIRST_COMPLETED)
                else:
                    time.sleep(max(0.0, min(interval, last_poll + interval - time.monotonic())))
                    finished = ()
                for fut in finished:
                    group = running.pop(fut)
                    try:
                        results = fut.result()
                    except ActionFailed as exc:
                        failed = True
                        self._fail(exc if exc.action is not None else ActionFailed(group[0], exc.reason, exc.status))
                        continue
                    except Exception as exc:  # network errors and the like: one line, the resource named
                        failed = True
                        self.outcome.unanswered.extend(a for a in group if a.op == CREATE)
                        self._fail(ActionFailed(group[0], describe_error(exc)))
                        continue
                    for a, result in zip(group, results):
                        if isinstance(result, _Wait):
                            waiting.append(result)
                        else:
                            self.done.add(a.id)
                if failed and not self.settle_on_failure:
                    waiting = []  # a failed operation does not wait for the rest (rollback deletes it)
                    continue
                if waiting and time.monotonic() - last_poll >= interval:
                    last_poll = time.monotonic()
                    progressed, resubmit, error = self._poll(waiting, interval)
                    if error is not None:
                        self._fail(error)
                        if failed and self.settle_on_failure:
                            waiting.remove(next(w for w in waiting if w.action is error.action))
                            continue
                        failed = True
                        if not self.settle_on_failure:
                            waiting = []
                        continue
                    if failed:
                        resubmit = []
                    for w in progressed:
                        waiting.remove(w)
                        self.done.add(w.action.id)
                    for w in resubmit:
                        waiting.remove(w)
                        running[pool.submit(self._apply_group, [w.action])] = [w.action]
                    cap = min(self.poll_max, NAMED_POLL_CAP) if self._named_poll(waiting) else self.poll_max
                    interval = self.poll_min if progressed else min(cap, interval * 1.25)
                if time.monotonic() > self.deadline and (waiting or running):
                    w = waiting[0] if waiting else None
                    if w is not None:
                        self._fail(ActionFailed(w.action, 'timed out after %ss waiting for it to become %s (status %s)'
                                                % (self.timeout, w.until, w.last_status or 'unknown')))
                    else:
                        self._fail(ActionFailed(next(iter(running.values()))[0], 'timed out after %ss' % self.timeout))
                    failed = True
                    waiting = []
        return self.outcome

    def _fail(self, failure):
        """Keep the first failure (an ActionFailed naming its action) and its one line; later ones are dropped."""
        if self.outcome.failure is None:
            action = failure.action
            verb = action.op  # create, delete, update, stop, start, reboot, rebuild, attach, detach
            self.outcome.failure = failure
            self.outcome.error = 'Failed to %s %s (VNF %s): %s' % (verb, action.label(), self.plan.vnf_name, failure.reason)

    # -- polling ---------------------------------------------------------------------------------------------
    def _named_poll(self, waiting):
        """Whether the waits left are answered by a poll of the servers waited for alone (few rows: polled at most
        NAMED_POLL_CAP apart) rather than by whole-instance lists (polled up to ``poll_max`` apart)."""
        last = server_poll(self.api).last
        return bool(waiting) and all(w.what.startswith('server') for w in waiting) and last is not None and last[3] is not None

    def _poll(self, waiting, interval=0.0):
        """One list call per resource type still waited for (the server one shared: ``ServerPoll``, a poll at most
        ``interval`` old). Returns (done waits, waits to re-submit, ActionFailed or None)."""
        progressed, resubmit = [], []
        servers = volumes = None
        server_waits = [w for w in waiting if w.what.startswith('server')]
        try:
            if server_waits:
                servers = server_poll(self.api).servers(self.plan.instance_id, max(w.since for w in server_waits), interval,
                                                        names={w.action.name for w in server_waits})
            if any(w.what.startswith('volume') for w in waiting):
                volumes = {v['id']: v for v in list_volumes(self.api, [self.plan.instance_id])}
        except Exception as exc:  # a failed list call says nothing of the resources: poll again, up to POLL_ERRORS in a row
            self._poll_errors += 1
            if self._poll_errors < POLL_ERRORS:
                return progressed, resubmit, None
            return progressed, resubmit, ActionFailed(waiting[0].action, 'cannot follow its status: %d list calls in a row failed, '
                                                      'the last: %s' % (POLL_ERRORS, describe_error(exc)), getattr(exc, 'status', None))
        self._poll_errors = 0
        now = time.monotonic()
        for w in waiting:
            found = (servers if w.what.startswith('server') else volumes).get(w.resource_id)
            status = (found or {}).get('status')
            w.last_status = status or w.last_status
            if w.until == 'gone':
                if found is None or status in ('DELETED', 'deleted'):
                    progressed.append(w)
                elif status in ('ERROR', 'error_deleting'):
                    return progressed, resubmit, ActionFailed(w.action, 'the cloud set it to %s' % status)
            elif w.what == 'volume_detach':
                if status in ('available', 'error') or found is None:
                    resubmit.append(w)
            elif found is not None and status == w.until and not found.get('OS-EXT-STS:task_state'):
                progressed.append(w)
                if w.what.startswith('server'):
                    self.outcome.final[w.resource_id] = found
            elif status in ('ERROR', 'error'):
                fault = (found.get('fault') or {}).get('message') if w.what.startswith('server') else self._volume_message(w.resource_id)
                return progressed, resubmit, ActionFailed(w.action, '%s (status %s)' % (fault or 'the cloud set it to %s' % status, status))
            if w not in progressed and w not in resubmit and w.soft and w.deadline and now > w.deadline:
                if w.action.op == STOP and w.action.spec.get('then_force'):
                    w.action.spec['force'] = True  # graceful stop timed out: stop it forcefully
                    self.outcome.forced.append(w.action.label())
                    resubmit.append(w)
                else:
                    progressed.append(w)  # graceful stop timed out: go on with the delete
        return progressed, resubmit, None

    def _volume_message(self, volume_id):
        """Cinder's user message about a volume in error (its own words), or None."""
        try:
            body = self.api.request('volume', 'GET', '/messages', params={'resource_uuid': volume_id}, microversion='3.3')
        except Exception:  # best effort: the status alone is still reported
            return None
        msgs = sorted(body.get('messages') or [], key=lambda m: m.get('created_at') or '')
        return msgs[-1].get('user_message') if msgs else None

    # -- actions ---------------------------------------------------------------------------------------------
    def _resolve(self, value):
        if is_ref(value):
            key = value['$ref']
            if key not in self.ids:
                raise ActionFailed(None, 'internal error: %s was not created' % key)
            return self.ids[key]
        if isinstance(value, dict):
            return {k: self._resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolve(v) for v in value]
        return value

    def _apply_group(self, group):
        """Results of a group from ``_groups``: one action, or ports created with one bulk request."""
        if len(group) == 1:
            return [self._apply(group[0])]
        try:
            return self._neutron_create('port', group, [self._resolve(a.spec) for a in group])
        except CloudError as exc:
            raise ActionFailed(group[0], '%s (one request for %d ports: none was created)' % (exc, len(group)), exc.status)

    def _apply(self, action):
        try:
            handler = getattr(self, '_%s_%s' % (action.op, 'neutron' if action.kind in _NEUTRON and action.op != 'update' else action.kind))
            return handler(action)
        except CloudError as exc:
            raise ActionFailed(action, str(exc), exc.status)
        except ActionFailed as exc:
            if exc.action is None:
                exc.action = action
            raise

    def _created(self, action, res):
        self.ids[action.key] = res['id']
        self.outcome.created.append((action.kind, action.key, res))

    # create
    def _create_neutron(self, action):
        spec = self._resolve(action.spec)
        rules = spec.pop('rules', None) if action.kind == 'security_group' else None
        res = self._neutron_create(action.kind, [action], [spec])[0]
        if rules:
            self.api.post('network', '/security-group-rules',
                          {'security_group_rules': [dict(r, security_group_id=res['id']) for r in rules]})
        return res

    def _neutron_create(self, kind, actions, specs):
        """Neutron resources of one kind: one in a plain request, several in ONE bulk request (Neutron creates all of
        them or none). Marked with their tags in the request where the cloud takes tags on create, else with one
        ``PUT .../tags`` each right after (concurrently). What the cloud does is learnt from the first answer of each
        kind in the run (``CreateTags``), so a cloud refusing tags on create refuses only the creates of a kind sent
        before that answer."""
        path, single = _NEUTRON[kind]
        bodies = [dict(spec) for spec in specs]

        def post():
            if len(bodies) == 1:
                return [self.api.post('network', '/%s' % path, {single: bodies[0]})[single]]
            return self.api.post('network', '/%s' % path, {single + 's': bodies})[single + 's']
        tagged = self._tags.accepted(path) is not False and any(a.tags for a in actions)
        for action, body in zip(actions, bodies):
            if action.tags and tagged:
                body['tags'] = list(action.tags)
        try:
            made = post()
        except CloudError as exc:
            if tagged and exc.status == 400 and 'tags' in exc.message:
                self._tags.learn(path, False)  # this cloud wants them set after the create
                for body in bodies:
                    body.pop('tags', None)
                made = post()
            else:
                raise
        by_name = {r.get('name'): r for r in made}
        made = [by_name.get(b.get('name'), r) for b, r in zip(bodies, made)]  # the answer keeps the order; names are unique
        untagged = [(action, res) for action, res in zip(actions, made) if action.tags and sorted(res.get('tags') or []) != sorted(action.tags)]
        if tagged:
            self._tags.learn(path, not untagged)
        for action, res in zip(actions, made):
            self._created(action, res)
        if untagged:
            def put_tags(pair):
                pair[1]['tags'] = self.api.put('network', '/%s/%s/tags' % (path, pair[1]['id']), {'tags': list(pair[0].tags)}).get('tags', pair[0].tags)
            with ThreadPoolExecutor(max_workers=min(len(untagged), self.max_concurrency)) as pool:
                list(pool.map(put_tags, untagged))
        return made

    def _create_server_group(self, action):
        res = self.api.post('compute', '/os-server-groups', {'server_group': self._resolve(action.spec)})['server_group']
        self._created(action, res)
        return res

    def _create_flavor(self, action):
        res = self.api.post('compute', '/flavors', {'flavor': self._resolve(action.spec)})['flavor']
        self.ids[action.key] = res['id']  # shared catalogue entry: not rolled back, not terminated
        return res

    def _create_volume(self, action):
        spec = self._resolve(action.spec)
        spec['metadata'] = dict(action.metadata)
        res = self.api.post('volume', '/volumes', {'volume': spec})['volume']
        self._created(action, res)
        return _Wait(action, 'volume_create', res['id'], 'available')

    def _create_server(self, action):
        spec = self._resolve(action.spec)
        hints = spec.pop('scheduler_hints', None)
        if spec.get('user_data') is not None:
            spec['user_data'] = base64.b64encode(str(spec['user_data']).encode('utf-8')).decode('ascii')
        spec['tags'] = list(action.tags)
        spec['metadata'] = dict(action.metadata)
        body = {'server': spec}
        if hints:
            body['os:scheduler_hints'] = hints
        res = self.api.post('compute', '/servers', body)['server']
        res = dict(res, name=spec['name'], metadata=spec['metadata'], tags=spec['tags'], status='BUILD')
        res.pop('adminPass', None)
        self._created(action, res)
        if not self.wait:
            return res
        return _Wait(action, 'server_create', res['id'], 'ACTIVE')

    # update
    def _update_anchor(self, action):
        self.api.put('network', '/security-groups/%s/tags' % action.resource_id, {'tags': list(action.tags)})
        self.outcome.updated.append((action.kind, action.key, action.resource_id))
        return {}

    # stop, start, reboot, rebuild
    def _stop_server(self, action):
        force = action.spec.get('force') or action.spec.get('forceful')
        try:
            self.api.post('compute', '/servers/%s/action' % action.resource_id, {'os-stop': None})
        except CloudError as exc:
            if exc.status == 404 or (exc.status == 409 and not force):  # gone, or not running
                return {}
            if exc.status != 409:  # 409 when forcing: still stopping; wait for it
                raise
        if force:
            return _Wait(action, 'server_stop', action.resource_id, 'SHUTOFF')
        return _Wait(action, 'server_stop', action.resource_id, 'SHUTOFF', deadline=time.monotonic() + self.graceful_timeout, soft=True)

    def _start_server(self, action):
        try:
            self.api.post('compute', '/servers/%s/action' % action.resource_id, {'os-start': None})
        except CloudError as exc:
            if exc.status != 409 or 'vm_state active' not in exc.message:  # running already
                raise
        return _Wait(action, 'server_start', action.resource_id, 'ACTIVE')

    def _reboot_server(self, action):
        self.api.post('compute', '/servers/%s/action' % action.resource_id, {'reboot': {'type': 'HARD'}})
        self.outcome.updated.append((action.kind, action.key, action.resource_id))
        return _Wait(action, 'server_reboot', action.resource_id, 'ACTIVE')

    def _rebuild_server(self, action):
        self.api.post('compute', '/servers/%s/action' % action.resource_id, {'rebuild': dict(action.spec)})
        self.outcome.updated.append((action.kind, action.key, action.resource_id))
        return _Wait(action, 'server_rebuild', action.resource_id, 'ACTIVE')

    # delete
    def _deleted(self, action):
        self.outcome.deleted.append((action.kind, action.key, action.resource_id))

    def _delete_neutron(self, action):
        path = _NEUTRON[action.kind][0]
        self.api.delete('network', '/%s/%s' % (path, action.resource_id))
        self._deleted(action)
        return {}

    def _delete_server_group(self, action):
        self.api.delete('compute', '/os-server-groups/%s' % action.resource_id)
        self._deleted(action)
        return {}

    def _delete_server(self, action):
        if not self.api.delete('compute', '/servers/%s' % action.resource_id):
            self._deleted(action)
            return {}
        self._deleted(action)
        return _Wait(action, 'server_delete', action.resource_id, 'gone')

    def _delete_volume(self, action):
        try:
            gone = not self.api.delete('volume', '/volumes/%s' % action.resource_id)
        except CloudError as exc:
            if exc.status == 400 and ('status' in exc.message or 'attach' in exc.message):
                return _Wait(action, 'volume_detach', action.resource_id, 'available')  # still detaching: retry
            raise
        self._deleted(action)
        return {} if gone else _Wait(action, 'volume_delete', action.resource_id, 'gone')
