# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CHANGE_VNFPKG (``vnf_change operation: change_vnfpkg``): move an instantiated VNF to another version of its
package, a rolling upgrade VDU by VDU.

- Targets (``upgrade_steps``): each VNFC whose server does not run the new package's image of its VDU yet. A VNFC is
  rebuilt in place (Nova rebuild: same server id, ports and fixed IPs, attached volumes kept) when only the image
  changes; one whose flavour or volumes change, or that boots from a volume, must be recreated: refused before any
  write (recreating in CHANGE_VNFPKG is not built).
- Batches (``plan_batches``): per VDU, ``max_unavailable`` VNFCs at a time (an int for every VDU, or per VDU); batch k
  is the k-th group of every VDU. ``batch: next`` runs only the first batch left (a role loop runs one batch per call
  and the user's own tasks between them), ``all`` every batch; the result says ``batches_left``. The state between
  calls is the cloud's: a VNFC on the new image is done.
- Health gate (``health_problem``) after each batch: the servers ACTIVE (the executor waits for them), then optionally
  a TCP port answering on each fixed IP and / or an HTTP URL (placeholders ``{ip}``, ``{vnfc}``, ``{name}``) answering
  below 400, each within ``timeout`` seconds.
- On failure the upgrade stops; with ``on_failure: rollback`` every VNFC of the VNF on the new image is rebuilt back
  on the old one (those of earlier calls too: the record still names the old version), ROLLED_BACK; with ``keep`` it
  is FAILED_TEMP (run the task again, or retry / mark it with ``vnf_lcm_op_occ`` giving the package again).
- The instance record's VNFD id, version and images change only when no batch is left (the last call's last step).
"""
from __future__ import annotations

import http.client
import socket
import time
import urllib.error

from ansible.module_utils.urls import open_url

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, PackageError, PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import discover_environment
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.environment import check_image_fits, image_label, mapped_images, resolve_image
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.executor import Executor, Outcome, Settings
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import instantiate
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Operation, discover_one
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operations import combined, load, read_vnf_package
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import run_concurrently
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

REBUILD, RECREATE = 'rebuild', 'recreate'
BATCHES = ('all', 'next')
HEALTH_TIMEOUT = 60  # seconds a health check may take per server
HEALTH_POLL = 1.0  # seconds between two tries of a health check


def upgrade_options():
    """The CHANGE_VNFPKG options of ``vnf_change`` (documented there) beside its ``package``, ``images`` and ``limits``
    (``runners.new_vnfc_options``)."""
    health = dict(tcp_port=dict(type='int'), http_url=dict(type='str'), timeout=dict(type='int', default=HEALTH_TIMEOUT))
    return dict(from_package=dict(type='path'), max_unavailable=dict(type='raw', default=1),
                batch=dict(type='str', choices=list(BATCHES), default='all'), health_check=dict(type='dict', options=health))


class Step:
    """One VNFC to move: its server, the mode (rebuild / recreate, ``why`` for a recreate), the images."""

    def __init__(self, vnfc, server, mode, old_image, new_image, why=''):
        self.vnfc, self.server, self.mode, self.why = vnfc, server, mode, why
        self.vdu = M.split_vnfc_id(vnfc)[0]
        self.old_image, self.new_image = old_image, new_image

    def to_dict(self):
        return {'vnfc': self.vnfc, 'server': self.server.get('name'), 'mode': self.mode, 'from_image': self.old_image,
                'to_image': self.new_image, **({'why': self.why} if self.why else {})}


def image_of(server):
    """The Glance image id a server was built from (None: it boots from a volume)."""
    image = server.get('image')
    return image.get('id') if isinstance(image, dict) else None


def flavor_differs(server, vdu, flavors):
    """Why the server's flavor is not the one the VDU of the new package asks for ('' when it is)."""
    c = vdu.compute
    want = (c.vcpus, c.memory_mb, c.disk_gb or 0)
    have = server.get('flavor') or {}
    if 'vcpus' in have:  # Nova 2.47+: the flavor's sizes embedded
        got = (have.get('vcpus'), have.get('ram'), have.get('disk'))
    else:
        known = next((f for f in flavors if have.get('id') in (f['id'],) or have.get('original_name') in (f['id'], f.get('name'))), None)
        got = (known.get('vcpus'), known.get('ram'), known.get('disk')) if known else None
    if got is None or tuple(got) == want:
        return ''
    return 'flavor %s vCPU/%s MB/%s GB -> %d vCPU/%d MB/%d GB' % (got + want)


def volumes_differ(vnfc, volumes, vdu, flavour):
    """Why the VNFC's volumes are not those the VDU of the new package has ('' when they are: they are kept)."""
    have = {}
    for vol in volumes:
        owners = T.parse_metadata(vol.get('metadata'))
        if owners.get('vnfc') == vnfc and owners.get('storage'):
            have[owners['storage']] = vol.get('size')
    want = {name: flavour.storage[name].size_gb for name in vdu.storage if name in flavour.storage and flavour.storage[name].kind == 'block'}
    if set(have) != set(want):
        return 'volumes %s -> %s' % (', '.join(sorted(have)) or 'none', ', '.join(sorted(want)) or 'none')
    resized = sorted(n for n in want if want[n] and have[n] and int(want[n]) != int(have[n]))
    return 'volume %s resized' % ', '.join(resized) if resized else ''


def upgrade_steps(snap, flavour, new_images):
    """([Step] of the VNFCs not on the new image, {VDU: [VNFC]} of those that are), by VDU and VNFC index.
    ``new_images``: {VDU: Glance image id} of the new package."""
    todo, done = [], {}
    servers = sorted(((T.parse_metadata(s.get('metadata')).get('vnfc'), s) for s in snap.servers), key=lambda p: M.split_vnfc_id(p[0] or ''))
    for vnfc, server in servers:
        vdu_name = M.split_vnfc_id(vnfc or '')[0]
        vdu = flavour.vdus.get(vdu_name)
        if not vnfc:
            continue
        if vdu is None:
            raise PlanError('VNFC %s: VDU %s is not in flavour %s of the new package (its VDUs: %s): change_vnfpkg does not remove VDUs'
                            % (vnfc, vdu_name, flavour.flavour_id, ', '.join(sorted(flavour.vdus))))
        old, new = image_of(server), new_images.get(vdu_name)
        if old is not None and old == new:
            done.setdefault(vdu_name, []).append(vnfc)
            continue
        why = 'it boots from a volume' if old is None else 'it boots from a volume in the new package' if new is None else (
            flavor_differs(server, vdu, snap.flavors) or volumes_differ(vnfc, snap.volumes, vdu, flavour))
        todo.append(Step(vnfc, server, RECREATE if why else REBUILD, old, new, why))
    return todo, done


def max_unavailable_of(value, vdus):
    """{VDU: VNFCs changed at a time} of the ``max_unavailable`` option (an int for all, or {VDU: int}); PlanError below 1."""
    given = value if isinstance(value, dict) else {vdu: value for vdu in vdus}
    out = {}
    for vdu in vdus:
        raw = given.get(vdu, 1)
        try:
            n = int(raw)
        except (TypeError, ValueError):
            n = 0
        if n < 1 or isinstance(raw, bool):
            raise PlanError('max_unavailable of %s is %r: give a whole number of VNFCs of 1 or more' % (vdu, raw))
        out[vdu] = n
    unknown = sorted(set(given) - set(vdus)) if isinstance(value, dict) else []
    if unknown:
        raise PlanError('max_unavailable names %s, not a VDU of the flavour (its VDUs: %s)' % (', '.join(unknown), ', '.join(vdus)))
    return out


def plan_batches(steps, limits):
    """The batches of ``steps``: per VDU, groups of ``limits[VDU]`` VNFCs; batch k joins the k-th group of each VDU."""
    groups = {}
    for step in steps:
        per = groups.setdefault(step.vdu, [[]])
        if len(per[-1]) >= limits.get(step.vdu, 1):
            per.append([])
        per[-1].append(step)
    count = max((len(g) for g in groups.values()), default=0)
    return [[s for vdu in sorted(groups) if k < len(groups[vdu]) for s in groups[vdu][k]] for k in range(count)]


def rebuild_action(step, image, metadata, detail):
    """The Nova rebuild of ``step``'s server onto ``image`` with ``metadata`` (its marks, the version updated)."""
    server = step.server
    return M.Action(M.REBUILD, 'server', 'server/%s' % step.vnfc, server.get('name') or step.vnfc, resource_id=server['id'],
                    owner={'vnfc': step.vnfc, 'vdu': step.vdu}, spec={'imageRef': image, 'metadata': dict(metadata)}, detail=detail)


def _metadata(server, vnfd_id, version):
    return dict(server.get('metadata') or {}, **{T.META_KEYS['vnfd']: vnfd_id, T.META_KEYS['vnfd_version']: version})


def plan_upgrade(snap, batches, new, record_tags, labels=None):
    """The CHANGE_VNFPKG plan: a rebuild per VNFC of ``batches`` (in batch order; each batch after the one before),
    then the record update to ``record_tags`` (None: batches are left after these, the record stays). ``new``:
    (VNFD id, version) of the package; ``labels``: {image id: name} for the details."""
    labels = labels or {}
    plan = M.Plan(operation='CHANGE_VNFPKG', instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    previous = []
    for number, batch in enumerate(batches, 1):
        keys = []
        for step in batch:
            images = tuple(labels.get(i, i) for i in (step.old_image, step.new_image))
            detail = 'batch %d of %d: image %s -> %s' % ((number, len(batches)) + images)
            action = rebuild_action(step, step.new_image, _metadata(step.server, *new), detail)
            action.deps = list(previous)
            plan.actions.append(action)
            keys.append(action.key)
        previous = keys
    record = M.record_update(snap, record_tags, 'record VNFD %s version %s' % new)
    if record is not None:
        record.deps = list(previous)
        plan.actions.append(record)
    return plan


def plan_rollback(snap, servers, old_images, old):
    """The rebuilds that put every server of ``servers`` (the VNF's, as the cloud has them now) that is not on the old
    image of its VDU (``old_images``: {VDU: image id}) back on it, with the marks of version ``old`` (VNFD id, version)."""
    plan = M.Plan(operation='CHANGE_VNFPKG', instance_id=snap.instance_id, vnf_name=snap.vnf_name)
    for server in sorted(servers, key=lambda s: M.split_vnfc_id(T.parse_metadata(s.get('metadata')).get('vnfc') or '')):
        vnfc = T.parse_metadata(server.get('metadata')).get('vnfc')
        vdu = M.split_vnfc_id(vnfc or '')[0]
        if vdu in old_images and image_of(server) != old_images[vdu]:
            step = Step(vnfc, server, REBUILD, image_of(server), old_images[vdu])
            plan.actions.append(rebuild_action(step, old_images[vdu], _metadata(server, *old), 'back on image %s' % old_images[vdu]))
    return plan


# ---------------------------------------------------------------------------------------------------------------
# the health gate

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


# ---------------------------------------------------------------------------------------------------------------
# the operation

def _merge(total, part):
    """Add what one executor run did to the operation's outcome (its first failure wins)."""
    total.created += part.created
    total.deleted += part.deleted
    total.updated += part.updated
    total.final.update(part.final)
    total.forced += part.forced
    if total.error is None and part.error is not None:
        total.failure, total.error = part.failure, part.error


class ChangeVnfpkg(Operation):
    """CHANGE_VNFPKG of one instance: the batches of ``plan_upgrade`` one after the other, the health gate after each,
    the rollback of every VNFC on the new image on failure (``on_failure: rollback``)."""

    def __init__(self, ctx, snap, plan, upgrade, final_state='COMPLETED'):
        super().__init__(ctx, snap, plan, upgrade['params'], final_state=final_state, modified=True)
        self.upgrade = upgrade
        self.rollback = None
        self.unrestored = []  # VNFCs on the new image whose old one is not known (upgraded by an earlier call)

    def _settings(self):
        return Settings(max_concurrency=self.opts.max_concurrency, timeout=self.opts.timeout, wait=True)

    def _run_plan(self, actions, total):
        sub = M.Plan(operation=self.plan.operation, instance_id=self.plan.instance_id, vnf_name=self.plan.vnf_name,
                     actions=[M.Action(**dict(vars(a), deps=[])) for a in actions])
        part = Executor(self.api, sub, self._settings()).run()
        _merge(total, part)
        return part.ok

    def execute(self, lock):
        total = Outcome()
        rebuilds = [a for a in self.plan.actions if a.op == M.REBUILD]
        check = self.upgrade['health_check']
        for batch in self.upgrade['run']:
            keys = {'server/%s' % s.vnfc for s in batch}
            actions = [a for a in rebuilds if a.key in keys]
            if not self._run_plan(actions, total):
                return total
            jobs = {s.vnfc: (lambda s=s: health_problem(check, s.vnfc, s.server, addresses_of(self.snap, s.vnfc))) for s in batch}
            problems = {k: v for k, v in run_concurrently(jobs, max(1, len(jobs))).items() if v}
            if problems:
                vnfc = sorted(problems, key=M.split_vnfc_id)[0]
                total.error = 'Failed the health check of server %s (VNF %s) after its rebuild: %s' % (vnfc, self.plan.vnf_name, problems[vnfc])
                return total
        record = [a for a in self.plan.actions if a.kind == 'anchor']
        if record:
            self._run_plan(record, total)
        return total

    def settle(self, outcome, lock):
        if outcome.ok:
            return self.final_state
        if self.opts.on_failure != 'rollback' or self.final_state == 'ROLLED_BACK':
            return 'FAILED_TEMP'
        self.tell('FAILED_TEMP', error=outcome.error)
        self.tell('ROLLING_BACK')
        now = load(self.ctx, self.snap.vnf_name)[0]
        old_images, new_images = self.upgrade['old_images'], self.upgrade['new_images']
        back = plan_rollback(self.snap, now.servers, old_images, self.upgrade['old'])
        self.unrestored = sorted((T.parse_metadata(s.get('metadata')).get('vnfc') for s in now.servers
                                  if T.parse_metadata(s.get('metadata')).get('vdu') not in old_images
                                  and image_of(s) == new_images.get(T.parse_metadata(s.get('metadata')).get('vdu'))), key=M.split_vnfc_id)
        self.rollback = Outcome()
        if back.actions:
            self._run_plan(back.actions, self.rollback)
        return 'ROLLED_BACK' if self.rollback.ok and not self.unrestored else 'FAILED_TEMP'

    def error(self, outcome):
        if self.rollback is not None and not self.rollback.ok:
            return '%s; rebuilding back on the old images failed too: %s' % (outcome.error, self.rollback.error)
        if self.unrestored:
            return ('%s; rolled back but for %s, whose old image is neither recorded nor onboarded: run change_vnfpkg with the old '
                    'package and images' % (outcome.error, ', '.join(self.unrestored)))
        return outcome.error


# ---------------------------------------------------------------------------------------------------------------
# the entry point

def read_new_package(p, rec, name):
    """The package to move to (``p['package']``), checked to be another version of the VNF's product and to have
    its flavour; LcmError (one line) otherwise."""
    path = p.get('package')
    if not path:
        raise LcmError('VNF %s: change_vnfpkg needs the package to move to (package: <path>)' % name)
    try:
        pkg = read_package(path, limits=p.get('limits'))
        old = read_package(p['from_package'], limits=p.get('limits')).vnfd if p.get('from_package') else None
    except PackageError as exc:
        raise LcmError('Cannot read VNF package for the change of VNF %s: %s' % (name, exc))
    vnfd = pkg.vnfd
    if vnfd.descriptor_id != rec['vnfd_id']:
        if old is None or old.descriptor_id != rec['vnfd_id']:
            raise LcmError('VNF %s is of VNFD %s; package %s holds VNFD %s: to move to another VNFD of the same product give '
                           'from_package, the package of VNFD %s' % (name, rec['vnfd_id'], path, vnfd.descriptor_id, rec['vnfd_id']))
        if (old.provider, old.product_name) != (vnfd.provider, vnfd.product_name):
            raise LcmError("VNF %s: package %s is product '%s' of provider '%s', the VNF is product '%s' of provider '%s': "
                           "change_vnfpkg moves to another version of the same product"
                           % (name, path, vnfd.product_name, vnfd.provider, old.product_name, old.provider))
    try:
        flavour = vnfd.flavour(rec['flavour_id'])
    except ValueError as exc:
        raise LcmError('VNF %s cannot move to package %s: %s (change the flavour with change_flavour)' % (name, path, exc))
    return pkg, flavour


def _new_images(ctx, snap, rec, pkg, flavour, p):
    """{VDU: image dict} of the new package (the task's ``images`` map, else onboarded): PlanError for one missing."""
    vnfd = pkg.vnfd
    req = M.Request(vnf_name=snap.vnf_name, instance_id=snap.instance_id, vnfd_id=vnfd.descriptor_id, vnfd_version=vnfd.descriptor_version,
                    flavour_id=rec['flavour_id'], images=dict(p.get('images') or {}))
    discover_environment(ctx.api, snap, vnfd.descriptor_id, images=set(req.images.values()))
    out = {}
    for vdu_name, vdu in flavour.vdus.items():
        image, how = resolve_image(vdu_name, vdu.sw_image, req, snap)
        if image is not None:
            check_image_fits(image, how, vdu_name, vdu, vdu.compute.disk_gb, 'the root disk of %s' % vdu_name)
            out[vdu_name] = image
    return req, out


def old_images_of(snap, rec, flavour, steps, done):
    """{VDU: image id} of the version the record names: what this call's VNFCs run now, else (a VDU whose every VNFC
    an earlier ``batch: next`` call rebuilt) the image recorded for it or the version's onboarded one."""
    out = {s.vdu: s.old_image for s in steps}
    for vdu_name in done:
        if vdu_name in out:
            continue
        sw_image = flavour.vdus[vdu_name].sw_image
        found = (rec.get('images') or {}).get(vdu_name) or next(
            (i['id'] for i in snap.onboarded_images if i.get(T.IMAGE_PROPS['vnfd']) == rec['vnfd_id']
             and i.get(T.IMAGE_PROPS['vnfd_version']) == rec['vnfd_version']
             and i.get(T.IMAGE_PROPS['sw_image']) in (vdu_name, sw_image.name if sw_image else None)), None)
        if found:
            out[vdu_name] = found
    return out


def _record_tags(snap, req, flavour, images):
    """The record's tags once every VNFC is on the new package: VNFD id, version, images mapped (not onboarded)."""
    recorded = mapped_images(req, flavour, snap)
    for vdu_name, image in images.items():
        if image.get(T.IMAGE_PROPS['vnfd']) == req.vnfd_id:
            recorded.pop(vdu_name, None)  # onboarded: found again by its properties
    return T.retag(snap.anchor.get('tags'), vnfd=req.vnfd_id, vnfd_version=req.vnfd_version, image=recorded)


def _loaded(ctx, name, p, rollback):
    """(snapshot, record, package, flavour) of a change_vnfpkg task; a rollback's package is the one the record names."""
    snap, rec = load(ctx, name)
    if rollback:
        pkg = read_vnf_package(p.get('package'), rec, name, p.get('limits'))
        return snap, rec, pkg, pkg.vnfd.flavour(rec['flavour_id'])
    return (snap, rec) + read_new_package(p, rec, name)


def change_vnfpkg(ctx, name, p, rollback=False, loaded=None):
    """CHANGE_VNFPKG of VNF ``name`` to ``p['package']``: the batches left (``batch: all``) or the first of them
    (``next``). The result's ``upgrade``: the batch plan, ``batches_left`` after this call. ``rollback``
    (``vnf_lcm_op_occ``): ``package`` is the one the record names, every VNFC is put back on its images, ROLLED_BACK.
    ``loaded``: (snapshot, record, package, flavour) the caller has read already (``vnf``)."""
    snap, rec, pkg, flavour = loaded or _loaded(ctx, name, p, rollback)
    limits = max_unavailable_of(p.get('max_unavailable', 1), sorted(flavour.vdus))
    check_health_option(p.get('health_check'))
    req, images = _new_images(ctx, snap, rec, pkg, flavour, p)
    steps, done = upgrade_steps(snap, flavour, {vdu: image['id'] for vdu, image in images.items()})
    recreate = [s for s in steps if s.mode == RECREATE]
    if recreate:
        raise LcmError('VNF %s: %s must be recreated for package %s (%s): change_vnfpkg rebuilds VNFCs in place only (same flavour '
                       'and volumes, an image to rebuild); recreating them is not built yet' % (name, recreate[0].vnfc, p['package'], recreate[0].why))
    batches = plan_batches(steps, limits)
    run = batches[:1] if p.get('batch') == 'next' and not rollback else batches
    new = (pkg.vnfd.descriptor_id, pkg.vnfd.descriptor_version)
    labels = {i['id']: image_label(i) for i in images.values()}
    plan = plan_upgrade(snap, run, new, _record_tags(snap, req, flavour, images) if len(run) == len(batches) else None, labels)
    summary = {'batches': [[s.to_dict() for s in b] for b in batches], 'batches_run': 0 if ctx.opts.check_mode else len(run),
               'batches_left': len(batches) - (0 if ctx.opts.check_mode else len(run)), 'upgraded_before': dict(sorted(done.items())),
               'vnfd_id': new[0], 'vnfd_version': new[1]}
    params = {'action': 'ROLLBACK'} if rollback else {
        'vnfdId': new[0], 'vnfdVersion': new[1], 'additionalParams': {'maxUnavailable': limits, 'batch': p.get('batch') or 'all'}}
    upgrade = {'params': params, 'health_check': None if rollback else p.get('health_check'), 'run': run,
               'old_images': old_images_of(snap, rec, flavour, steps, done), 'new_images': {v: i['id'] for v, i in images.items()},
               'old': (rec['vnfd_id'], rec['vnfd_version'])}
    result = ChangeVnfpkg(ctx, snap, plan, upgrade, final_state='ROLLED_BACK' if rollback else 'COMPLETED').run()
    if result.lcm_op_occ and result.lcm_op_occ.get('operationState') == 'ROLLED_BACK' and not rollback:  # all to do again
        back = {vnfc for vdu, vnfcs in done.items() if vdu in upgrade['old_images'] for vnfc in vnfcs}
        again = [Step(vnfc, {}, REBUILD, None, None) for vnfc in back] + steps
        summary['batches_left'] = len(plan_batches(sorted(again, key=lambda s: M.split_vnfc_id(s.vnfc)), limits))
    return with_upgrade(result, summary)


def converge_package(ctx, pkg, flavour, req, p):
    """``vnf``: instantiate or converge (``lifecycle.instantiate``); an instantiated VNF of another version of the
    package (another VNFD id is refused: ``vnf`` has no from_package) is first moved to it by CHANGE_VNFPKG (every batch,
    ``max_unavailable`` 1, the servers ACTIVE as the only gate), then converged. One discovery either way."""
    snap = discover_one(ctx.api, req.instance_id, req.vnf_name)
    rec = V.record_of(snap)
    if rec is None or not rec.get('vnfd_id') or (rec['vnfd_id'], rec['vnfd_version']) == (req.vnfd_id, req.vnfd_version):
        return instantiate(ctx, pkg, flavour, req, snap=snap)
    if rec['vnfd_id'] != req.vnfd_id:
        read_new_package({'package': p['package']}, rec, req.vnf_name)  # raises: the product cannot be checked without from_package
    if rec.get('flavour_id') != flavour.flavour_id:
        raise LcmError('VNF %s: package %s (version %s) and flavour %s at once: change the package first (the same flavour %s), '
                       'then the flavour' % (req.vnf_name, p['package'], req.vnfd_version, flavour.flavour_id, rec.get('flavour_id')))
    opts = {'package': p['package'], 'images': p.get('images'), 'limits': p.get('limits'), 'max_unavailable': 1, 'batch': 'all'}
    moved = change_vnfpkg(ctx, req.vnf_name, opts, loaded=(snap, rec, pkg, flavour))
    if moved.error or ctx.opts.check_mode:
        return moved
    return combined(moved, instantiate(ctx, pkg, flavour, req))


def with_upgrade(result, summary):
    """The result with the batch plan (``Result.extra['upgrade']``: what the role's loop reads)."""
    result.extra = dict(result.extra, upgrade=summary)
    return result
