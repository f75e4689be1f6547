# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The instance record's description: the lock of a run and the record of the last LCM operation.

The instance record ("anchor") is a Neutron security group named ``nfvo-vnf-<name>``, with no port using it:

- its tags (``tags.py``): ``nfvo:role=anchor``, the identity (``nfvo:vnf``, ``nfvo:vnf_name``, ``nfvo:vnfd``,
  ``nfvo:vnfd_version``, ``nfvo:flavour``, ``nfvo:ns``), the instantiation level ``nfvo:level=<id>``, one
  ``nfvo:scale=<aspect>:<level>`` per aspect and one ``nfvo:want=<VDU>:<count>`` per VDU — so ``vnf_info`` and the
  inventory know the intended counts without the package — and one ``nfvo:image=<VDU or storage>:<Glance id>`` per
  image mapped with ``images:`` or used by its servers, not onboarded (while Neutron's 50 tags allow), for VDUs made
  again with no VNFC left;
- its description: compact JSON ``{"lock": {"op": <op id>, "exp": <epoch>}, "op": {"id", "type", "state", "at"}}``
  — the lock and the last LCM operation (``op_record``).

Lock: a run that has something to change takes the lock by updating the description with
``If-Match: revision_number=<n>`` (Neutron's compare-and-swap) and checks that the answer is revision ``<n>+1``: of
two concurrent runs at most one acts, the other fails with a clear message. The answer's revision is the real
guard: Neutron checks If-Match once per request, and when two updates race, the one that loses the database
compare-and-swap is retried *without* the constraint and succeeds on top of the winner's (measured on this cloud:
of three simultaneous If-Match updates, usually all three answer 200, with revisions n+1, n+2, n+3). Only the
first committer sees ``<n>+1``; a loser backs off (its lock text stays until the winner releases). A lock whose
``exp`` (start + timeout + 5 min) has passed is stale and is taken over. When the anchor does not exist yet, the run
creates it holding the lock, then lists anchors of that name: if another run created one too, it deletes its own
(never both act), waits a random while (CREATE_BACKOFF) and looks again: the other's anchor there, it fails naming
that run; none (the other backed off too), it tries again, up to CREATE_ATTEMPTS times - so of two runs making one
VNF at once, one makes it and the other is refused by its lock. Runs with nothing to change (and check mode)
neither lock nor write anything.

A lock taken at the revision the run's look saw, on an anchor that was not locked then (``Lock.unchanged``), proves
that no run acted on the instance since that look, as long as the look listed the anchor before the other kinds
(``discovery.discover``'s ``anchor_first``): a converge or terminate then plans from that look instead of looking
again under the lock (``lifecycle.unchanged_since_look``).
"""
from __future__ import annotations

import random
import time

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError, LcmError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.discovery import anchors_by_name

LOCK_GRACE = 300  # seconds a lock outlives the run's timeout before another run may take it over
CREATE_ATTEMPTS = 3  # creates of the anchor when concurrent runs made one each and all backed off
CREATE_BACKOFF = (0.5, 3.0)  # seconds (random, times the attempt) a run that met another's new anchor waits


class Lock:
    """The lock of one run (operation ``op_id``) on the anchor of VNF ``vnf_name``; it goes stale
    ``timeout`` + LOCK_GRACE seconds after it is taken. The NS record (``ns/``) uses it too: ``kind`` 'NS' and its
    ``anchor_name`` (default: the VNF anchor's name of ``vnf_name``)."""

    def __init__(self, api, vnf_name, op_id, timeout, kind='VNF', anchor_name=None):
        self.api, self.vnf_name, self.op_id = api, vnf_name, op_id
        self.kind, self.anchor_name = kind, anchor_name
        self.ttl = (timeout or 1800) + LOCK_GRACE
        self.anchor = None
        self.created = False
        self.released = None  # the anchor as the cloud answered the release (None: not released, or gone)
        # the lock was taken on an anchor that was not locked when the caller saw it, at the revision it saw: no run
        # held the lock since then, so no run acted on the instance (every operation writes the anchor to lock it)
        self.unchanged = False

    def _lock(self):
        return {'op': self.op_id, 'exp': int(time.time() + self.ttl)}

    def _busy(self, holder):
        until = V.now_iso(holder.get('exp')) if holder and holder.get('exp') else 'unknown'
        return LcmError('%s %s is locked by another run (LCM operation %s; the lock goes stale at %s): wait for it to finish and run again'
                        % (self.kind, self.vnf_name, (holder or {}).get('op', 'unknown'), until))

    sleep = staticmethod(time.sleep)  # the backoff between anchor creates (a test replaces it)

    def acquire(self, anchor, create_action=None):
        """Take the lock on ``anchor`` (or create the anchor holding it). Returns the anchor."""
        if anchor is None:
            return self._create(create_action)
        holder = V.read_record(anchor).get('lock')
        if holder and holder.get('exp', 0) > time.time() and holder.get('op') != self.op_id:
            raise self._busy(holder)
        record = V.read_record(anchor)
        record['lock'] = self._lock()
        expected = anchor.get('revision_number')
        try:
            res = self.api.put('network', '/security-groups/%s' % anchor['id'], {'security_group': {'description': V.encode_record(record)}},
                               headers={'If-Match': 'revision_number=%s' % expected})['security_group']
        except CloudError as exc:
            if exc.status == 412:
                fresh = self.api.get('network', '/security-groups/%s' % anchor['id'], ok_missing=True)
                raise self._busy(V.read_record((fresh or {}).get('security_group')).get('lock') or {'op': 'unknown'})
            raise
        if isinstance(expected, int) and res.get('revision_number') != expected + 1:  # lost the race (see the module doc)
            raise self._busy({'op': 'a concurrent run', 'exp': self._lock()['exp']})
        self.anchor = res
        self.unchanged = not holder and isinstance(expected, int)
        return res

    def _create(self, create_action):
        """Create the anchor holding the lock; alone with it, it is ours (see the module doc for a concurrent create)."""
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            body = {'name': create_action.name, 'description': V.encode_record({'lock': self._lock()})}
            res = self.api.post('network', '/security-groups', {'security_group': body})['security_group']
            self.created = True
            self.anchor = res
            try:
                res['tags'] = self.api.put('network', '/security-groups/%s/tags' % res['id'], {'tags': list(create_action.tags)}).get('tags')
                others = [g for g in anchors_by_name(self.api, self.vnf_name, self.anchor_name) if g['id'] != res['id']]
            except Exception:
                self.api.delete('network', '/security-groups/%s' % res['id'])
                raise
            if not others:
                return res
            self.api.delete('network', '/security-groups/%s' % res['id'])
            self.anchor, self.created = None, False
            if attempt == CREATE_ATTEMPTS:
                break
            self.sleep(random.uniform(*CREATE_BACKOFF) * attempt)
            others = anchors_by_name(self.api, self.vnf_name, self.anchor_name)
            if others:
                break
        raise self._busy(V.read_record(others[0]).get('lock') or {'op': 'instantiating'})

    def release(self, op_record):
        """Drop the lock and record the operation (no-op when the anchor is gone)."""
        if self.anchor is None:
            return
        record = {'op': op_record}
        try:
            res = self.api.put('network', '/security-groups/%s' % self.anchor['id'], {'security_group': {'description': V.encode_record(record)}},
                               ok_missing=True)
        except CloudError:
            return
        self.released = (res or {}).get('security_group')


def op_record(op_id, operation, state, snap=None, extra=None):
    """The operation as the anchor records it. A FAILED_TEMP one also keeps what ``vnf_lcm_op_occ`` needs to roll it
    back from any machine: ``prev`` = the levels and VDU counts before it (``l``, ``s``, ``w``; none for INSTANTIATE,
    none without ``snap``), and ``extra`` (what a retry repeats)."""
    out = {'id': op_id, 'type': operation, 'state': state, 'at': int(time.time())}
    if state == 'FAILED_TEMP':
        rec = V.record_of(snap) if snap is not None else None
        old = ((rec or {}).get('record') or {}).get('op') or {}
        if old.get('id') == op_id and old.get('prev'):  # a retry that failed again: the levels before the first try
            out['prev'] = old['prev']
        elif rec is not None and operation != 'INSTANTIATE':
            out['prev'] = {'l': rec.get('instantiation_level_id'), 's': rec.get('scale_levels') or {}, 'w': rec.get('vdu_instances') or {}}
        out.update(extra or {})
    return out
