"""The instance lock on the real Neutron: simultaneous If-Match updates of the anchor, of which Neutron answers
200 to more than one (it retries a lost database compare-and-swap without the If-Match) — at most one run may win."""
import threading
import uuid

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lock import Lock
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi


def take(lock, anchor, barrier, won, refused):
    """One run taking the lock at the same moment as the others (the barrier)."""
    barrier.wait()
    try:
        lock.acquire(anchor)
        won.append(lock)
    except LcmError as exc:
        refused.append(str(exc))


def test_of_simultaneous_lock_takers_at_most_one_wins(sdk):
    api = CloudApi(sdk)
    name = 'it-lock-%s' % uuid.uuid4().hex[:6]
    group = api.post('network', '/security-groups', {'security_group': {'name': 'nfvo-vnf-' + name, 'description': '{}'}})['security_group']
    try:
        for round_ in range(8):
            anchor = api.get('network', '/security-groups/%s' % group['id'])['security_group']
            won, refused, barrier = [], [], threading.Barrier(3)
            threads = [threading.Thread(target=take, args=(Lock(CloudApi(sdk), name, 'op-%d-%d' % (round_, i), 60), anchor, barrier, won, refused))
                       for i in range(3)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(won) <= 1 and len(won) + len(refused) == 3, (won, refused)
            assert all('is locked by another run' in msg for msg in refused), refused
            for lock in won:
                lock.release({'id': lock.op_id, 'state': 'COMPLETED'})
    finally:
        api.delete('network', '/security-groups/%s' % group['id'])
