# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Instantiate (converge) and terminate a VNF instance, and list instances: ``vnf`` and ``vnf_info``.

``instantiate`` is the converge operation: discover -> plan (``planner.plan_converge``) -> the skeleton of
``operation.py`` with the anchor created by the lock, a second look once the lock is held (unless no run acted
since the first: ``unchanged_since_look``), and a rollback of
what it created on failure (``on_failure: rollback``). Scale, heal by recreate and retries (``operations.py``,
``occurrences.py``) are converges too, with their own operation name and parameters. ``terminate`` deletes every
resource of the instance, the anchor last.
"""
from __future__ import annotations

import time

from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError, describe_error
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge, plan_delete, plan_terminate, unanswered_creates
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import exposed_from_ports, normalize_ext_virtual_links
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import discover, discover_environment, find_anchors, snapshot_after
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Executor, Settings
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lock import op_record
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Operation, discover_one, unchanged


def build_request(project_id, name, pkg, flavour_id, given):
    """(Request, flavour) of VNF ``name`` from package ``pkg``. ``given``: the task's options as ``vnf`` names
    them, each optional: instantiation_level_id, ext_virtual_links, additional_params, images, create_flavors,
    cidr_pool, security_group, ns_instance_id."""
    vnfd = pkg.vnfd
    try:
        flavour = vnfd.flavour(flavour_id)
        links = normalize_ext_virtual_links(given.get('ext_virtual_links'))
    except ValueError as exc:
        raise LcmError(str(exc))
    cidr_pool = given.get('cidr_pool')
    if isinstance(cidr_pool, str):
        cidr_pool = [cidr_pool]
    rules = None
    if given.get('security_group') is not None:
        rules = list((given['security_group'] or {}).get('rules') or [])
    req = M.Request(vnf_name=name, instance_id=T.vnf_instance_id(project_id, name), vnfd_id=vnfd.descriptor_id,
                    vnfd_version=vnfd.descriptor_version, flavour_id=flavour.flavour_id,
                    instantiation_level_id=given.get('instantiation_level_id'), ext_links=links,
                    additional_params=dict(given.get('additional_params') or {}), images=dict(given.get('images') or {}),
                    create_flavors=bool(given.get('create_flavors')), cidr_pool=list(cidr_pool or []), security_group_rules=rules,
                    ns_id=given.get('ns_instance_id'))
    return req, flavour


# ---------------------------------------------------------------------------------------------------------------
# instantiate (converge)

def needs_pool_cidrs(req, flavour):
    """Whether the VNF allocates CIDRs from cidr_pool (a VL of the flavour has none): the CIDRs in use are read."""
    return bool(req.cidr_pool) and any(not vl.cidr for vl in flavour.virtual_links.values())


def fixed_ips_given(req):
    """Whether an ext link gives fixed IPs: the subnets of its network are read."""
    return any(ip.get('ip_address') for link in req.ext_links.values() for c in link.cp_configs for ip in c.get('fixed_ips') or [])


def _keep_recorded_levels(req, snap):
    """An instantiated VNF asked for no level stays at its recorded levels (a scaled VNF is not scaled back); one moved
    to another flavour goes to that flavour's default level."""
    rec = V.record_of(snap)
    if rec is not None and req.instantiation_level_id is None and req.scale_levels is None and rec.get('scale_levels') \
            and rec.get('flavour_id') == req.flavour_id:
        req.instantiation_level_id = rec.get('instantiation_level_id')
        req.scale_levels = dict(rec['scale_levels'])


def _operation_of(snap, plan):
    """INSTANTIATE (or resuming one) when the record is new or at the target; CHANGE_FLAVOUR when the flavour changes;
    SCALE_TO_LEVEL when the levels move."""
    rec = V.record_of(snap)
    if rec is None or not rec.get('vdu_instances'):
        return 'INSTANTIATE'
    if rec.get('flavour_id') != plan.target.get('flavour_id'):
        return 'CHANGE_FLAVOUR'
    if rec['vdu_instances'] != plan.target.get('vdu_instances') or (rec.get('scale_levels') or {}) != plan.target.get('scale_levels'):
        return 'SCALE_TO_LEVEL'
    return 'INSTANTIATE'


def unchanged_since_look(lock, snap):
    """Whether the look that made ``snap`` still holds once ``lock`` is taken: the anchor was listed before the other
    kinds, was not locked, and the lock went on at the revision seen (``Lock.unchanged``), so no run held the lock
    between that look and now. Then the look under the lock (all 7 lists again, the environment, the plan: what grows
    with the VNF's size) is not needed."""
    return lock.unchanged and snap.anchor_first


class Converge(Operation):
    """Make the instance match ``req``: create what is missing, delete what is beyond it; on failure roll back what
    it created (``on_failure: rollback``) or keep it, FAILED_TEMP (``keep``)."""

    def __init__(self, ctx, pkg, flavour, req, operation=None, params=None, snap=None):
        super().__init__(ctx, snap=snap, params=params)
        self.pkg, self.flavour, self.req, self.operation = pkg, flavour, req, operation
        self.anchor = self.old_anchor_tags = self.rollback = None
        self.unrestored = []  # labels of what it deleted before failing: a rollback cannot bring them back
        self.unlooked = None  # why the look for creates whose answer was lost failed (the error line says it)
        self.given_snap = snap
        self.environment = False  # True: the given snapshot has the environment already (an NS run's preview read it)

    def look(self):
        """Discover (unless the caller just did) and plan the converge."""
        req, snap = self.req, self.given_snap or discover_one(self.api, self.req.instance_id, self.req.vnf_name)
        environment, self.given_snap, self.environment = self.environment and self.given_snap is not None, None, False
        # a second look (under the lock) discovers again, the environment too
        _keep_recorded_levels(req, snap)
        if not environment:
            networks = sorted({link.network for link in req.ext_links.values()})
            discover_environment(self.api, snap, req.vnfd_id, images=set(req.images.values()) | set(req.known_images.values()),
                                 networks=networks, need_cidrs=needs_pool_cidrs(req, self.flavour), network_subnets=fixed_ips_given(req))
        for ref_, stand_in in req.planned_networks.items():  # not created yet (NS check mode)
            if snap.ext_networks.get(ref_) is None:
                snap.ext_networks[ref_] = stand_in
        try:
            plan = plan_converge(self.pkg.vnfd, self.flavour, req, snap)
        except PlanError as exc:
            raise LcmError(str(exc))
        plan.operation = self.operation or _operation_of(snap, plan)
        if plan.operation == 'CHANGE_FLAVOUR':  # what a retry of a FAILED_TEMP one (vnf_lcm_op_occ) moves to
            self.extra = {'f': plan.target['flavour_id'], 'il': plan.target.get('instantiation_level_id')}
        return snap, plan

    def take_lock(self, lock):
        """Create the anchor holding the lock, or lock it and look again: another run may have acted between our
        first look and the lock."""
        self.anchor = lock.acquire(self.snap.anchor, self.plan.find(M.CREATE, M.ANCHOR))
        if lock.created or unchanged_since_look(lock, self.snap):
            return None
        try:
            self.snap, self.plan = self.look()
        except Exception:
            lock.release(V.read_record(self.snap.anchor).get('op'))
            raise
        self.before = V.summary(self.snap)
        if self.plan.empty:  # it did all we wanted: nothing left to do
            lock.release(V.read_record(self.snap.anchor).get('op'))
            return unchanged(self.ctx, self.snap, self.plan.warnings)
        return None

    def execute(self, lock):
        self.old_anchor_tags = list((self.snap.anchor or {}).get('tags') or [])
        done = {'%s:%s' % (M.CREATE, M.ANCHOR)} if lock.created else set()
        ex = Executor(self.api, self.plan, Settings(max_concurrency=self.opts.max_concurrency, timeout=self.opts.timeout, wait=self.opts.wait,
                                                    settle_on_failure=self.opts.on_failure == 'keep'),
                      done_keys=done, ids={M.ANCHOR: self.anchor['id']})
        outcome = ex.run()
        if lock.created:
            outcome.created.insert(0, ('anchor', M.ANCHOR, self.anchor))
        return outcome

    def settle(self, outcome, lock):
        if outcome.ok:
            return self.final_state
        lost = self._lost_creates(outcome)
        if self.opts.on_failure == 'rollback':
            self.tell('FAILED_TEMP', error=outcome.error)
            self.tell('ROLLING_BACK')
            self.rollback = self._rollback(outcome, lock, lost)
            # a heal by recreate (or a converge down) that deleted servers before failing is not back where it was:
            # FAILED_TEMP, and a retry completes it
            self.unrestored = [key.split('/', 1)[-1] for kind, key, dummy in outcome.deleted if kind == 'server']
            return 'ROLLED_BACK' if self.rollback.ok and not self.unrestored else 'FAILED_TEMP'
        return 'FAILED_TEMP'

    def _lost_creates(self, outcome):
        """What the cloud made for this failed operation though the answer never reached us (found by our marks in a
        new look), told to the API (the usage recording bills it from its creation). A create that got no answer at
        all (``outcome.unanswered``: the client gave up waiting) may still be on its way through the cloud: looked for
        again, every LOOK_AGAIN_INTERVAL seconds, for as long as the client waited for the answer (its api_timeout)."""
        deadline = time.monotonic() + api_timeout(self.api)
        lost = []
        while True:
            try:
                now = discover_one(self.api, self.plan.instance_id, self.plan.vnf_name)
                _untagged_by_name(self.api, self.plan, outcome, now)
            except Exception as exc:  # the cloud still failing: look again; at the bound, the error says what is unknown
                self.unlooked = describe_error(exc)
            else:
                self.unlooked = None
                lost = unanswered_creates(self.snap, now, outcome.created)
                found = {(kind, key) for kind, key, dummy in lost}
                if all((a.kind, a.key) in found for a in outcome.unanswered):
                    break
            if time.monotonic() >= deadline:
                break
            time.sleep(LOOK_AGAIN_INTERVAL)
        for kind, dummy, res in lost:
            self.api.unanswered_create(kind, res)
        return lost

    def _rollback(self, outcome, lock, lost):
        """Delete what this operation created, the ``lost`` creates too (servers first, ports before networks, the
        anchor last if it is new)."""
        rb_plan = plan_delete(self.snap, outcome.created + lost, operation='ROLLBACK')
        rb_plan.instance_id, rb_plan.vnf_name = self.plan.instance_id, self.plan.vnf_name
        ex = Executor(self.api, rb_plan, Settings(max_concurrency=self.opts.max_concurrency, timeout=self.opts.timeout, wait=True))
        result = ex.run()
        if result.ok and any(k == M.ANCHOR for _kind, k, _r in outcome.created):
            lock.anchor = None  # deleted with the rest
        elif result.ok and any(k == M.ANCHOR for _kind, k, _r in outcome.updated):
            self.api.put('network', '/security-groups/%s/tags' % self.anchor['id'], {'tags': self.old_anchor_tags})
        return result

    def rediscover(self, outcome):
        """A success: the snapshot before + what the run made and deleted + the record as released
        (``discovery.snapshot_after``: no list call, or one per kind the answers cannot tell); else listed again."""
        if outcome.ok and self.lock.released is not None:
            return snapshot_after(self.api, self.snap, self.plan, outcome, self.lock.released)
        return super().rediscover(outcome)

    def error(self, outcome):
        if self.unlooked:
            return ('%s; the look for what the cloud made without answering failed (%s): list the VNF\'s resources '
                    '(telco.nfvo.vnf_info) before a retry' % (self._error(outcome), self.unlooked))
        return self._error(outcome)

    def _error(self, outcome):
        if self.rollback is not None and not self.rollback.ok:
            return '%s; rollback failed too: %s' % (outcome.error, self.rollback.error)
        if self.unrestored:
            return ('%s; rolled back what it created, but server %s, deleted before the failure, cannot be restored by a rollback: '
                    'retry the operation to complete it' % (outcome.error, ', '.join(self.unrestored)))
        return outcome.error

    def changes(self, outcome):
        created, deleted = super().changes(outcome)
        return created, deleted + (self.rollback.deleted if self.rollback is not None else [])

    def occurrence_params(self):
        return self.params or {'flavourId': self.req.flavour_id, 'instantiationLevelId': self.plan.target.get('instantiation_level_id'),
                               'scaleLevels': self.plan.target.get('scale_levels')}


LOOK_AGAIN_INTERVAL = 2  # seconds between the looks for a create that got no answer
DEFAULT_API_TIMEOUT = 60  # the look-again bound when the cloud config sets no api_timeout


def api_timeout(api):
    """Seconds the client waits for an answer (the cloud config's api_timeout), the bound of a look again."""
    config = getattr(getattr(getattr(api, 'conn', None), 'config', None), 'config', None) or {}
    try:
        return float(config.get('api_timeout') or DEFAULT_API_TIMEOUT)
    except (TypeError, ValueError):
        return DEFAULT_API_TIMEOUT


def _untagged_by_name(api, plan, outcome, now):
    """Add to ``now`` the Neutron resources the plan was creating, not answered, that carry no tags yet: where the cloud
    takes tags only after the create (executor._neutron_create), a create whose answer was lost left one that
    discovery by tags cannot see. Found by their exact names, one list call per kind."""
    made = {res.get('id') for dummy, dummy2, res in outcome.created}
    lists = dict(M.snapshot_items(now))
    for kind, path in (('network', 'networks'), ('subnet', 'subnets'), ('port', 'ports'), ('security_group', 'security-groups')):
        names = {a.name for a in plan.actions if a.op == M.CREATE and a.kind == kind and a.name}
        names -= {res.get('name') for k, dummy, res in outcome.created if k == kind}
        if names:
            found = api.list('network', '/%s' % path, path.replace('-', '_'))
            lists[kind].extend(r for r in found if r.get('name') in names and not r.get('tags') and r['id'] not in made)


def instantiate(ctx, pkg, flavour, req, operation=None, params=None, snap=None):
    """Make the VNF instance exist as requested (INSTANTIATE; a re-run resumes or does nothing; SCALE_TO_LEVEL when an
    instantiated VNF is asked for other levels; ``operation`` names it for SCALE, HEAL and retries). ``snap``: the
    instance as the caller just discovered it (else discovered here)."""
    return Converge(ctx, pkg, flavour, req, operation=operation, params=params, snap=snap).run()


# ---------------------------------------------------------------------------------------------------------------
# terminate

class Terminate(Operation):
    """Delete every resource of the instance (TERMINATE), the anchor last."""

    def __init__(self, ctx, instance_id, name):
        opts = ctx.opts
        super().__init__(ctx, params={'terminationType': opts.termination_type.upper(),
                                      'gracefulTerminationTimeout': opts.graceful_termination_timeout})
        self.instance_id, self.name = instance_id, name
        self.graceful_timeout = opts.graceful_termination_timeout

    def look(self):
        snap = discover_one(self.api, self.instance_id, self.name)
        return snap, plan_terminate(snap, graceful=self.opts.termination_type == 'graceful')

    def take_lock(self, lock):
        """Lock the anchor (if any is left) and look again under the lock, unless no run acted since the look."""
        if self.snap.anchor is not None:
            lock.acquire(self.snap.anchor)
            if not unchanged_since_look(lock, self.snap):
                self.snap, self.plan = self.look()

    def settle(self, outcome, lock):
        if not outcome.ok:
            return 'FAILED_TEMP'
        lock.anchor = None  # deleted with the rest: nothing to release
        return 'COMPLETED'

    def record(self, state):
        return op_record(self.op_id, self.plan.operation, state)  # no levels to go back to: no snapshot

    def rediscover(self, outcome):
        if outcome.ok:  # everything is gone
            return M.Snapshot(instance_id=self.instance_id, vnf_name=self.name)
        return super().rediscover(outcome)


def terminate(ctx, instance_id, name):
    """Delete every resource of the instance (TERMINATE); nothing to do when there is none."""
    return Terminate(ctx, instance_id, name).run()


# ---------------------------------------------------------------------------------------------------------------
# vnf_info

def list_instances(api, name=None, vnfd_id=None, ns_id=None, project_id=None, package=None, flavour_id=None):
    """VnfInstance dicts (with drift) of the instances matching the filters: ~8 list calls whatever their number."""
    anchors = find_anchors(api, vnf_name=name, vnfd_id=vnfd_id, ns_id=ns_id)
    instances = []
    for a in anchors:
        owners = T.parse_tags(a.get('tags'))
        if owners.get('vnf') and (owners['vnf'], owners.get('vnf_name')) not in instances:
            instances.append((owners['vnf'], owners.get('vnf_name')))
    if name and project_id and not instances:  # no record: maybe resources a failed run kept
        instances = [(T.vnf_instance_id(project_id, name), name)]
    snaps = discover(api, instances)
    out = []
    for instance_id, vnf_name in instances:
        snap = snaps[instance_id]
        if snap.is_empty():
            continue
        plan = None
        rec = V.record_of(snap)
        if package is not None and rec and rec.get('vnfd_id') == package.vnfd.descriptor_id:
            plan = _drift_plan(api, package, snap, rec)
        out.append(V.vnf_instance(snap, drift_items=V.drift(snap, plan)))
    return out


def _drift_plan(api, pkg, snap, rec):
    """The converge plan against the package at the recorded levels: what is missing beyond server counts."""
    try:
        flavour = pkg.vnfd.flavour(rec['flavour_id'])
        req = M.Request(vnf_name=snap.vnf_name, instance_id=snap.instance_id, vnfd_id=rec['vnfd_id'], vnfd_version=rec['vnfd_version'],
                        flavour_id=rec['flavour_id'], instantiation_level_id=rec.get('instantiation_level_id'),
                        scale_levels=rec.get('scale_levels') or None, ns_id=rec.get('ns_id'))
        exposed_from_ports(flavour, req, snap.ports, M.index_snapshot(snap)[0])  # a VL a VnfExtCp put on a network
        discover_environment(api, snap, rec['vnfd_id'], networks=sorted({link.network for link in req.ext_links.values()}))
        plan = plan_converge(pkg.vnfd, flavour, req, snap)
    except (ValueError, KeyError):
        return None
    # only resources: units whose server must be created need images/ext links we do not know here
    return plan
