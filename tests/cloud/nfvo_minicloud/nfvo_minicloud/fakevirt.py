"""Nova's FakeDriver with a node identity that survives a restart of nova-compute, and guests that can ignore a
clean shutdown request.

Upstream FakeDriver takes its node UUID from a per-process random sentinel and never writes
<state_path>/compute_id, so a restarted nova-compute refuses to start. Here the UUID is derived
from the host name, which also keeps several fake hosts on one machine apart.

A server whose metadata has ``nfvo_fake_guest: ignores-acpi`` behaves like a guest that ignores ACPI: a clean
shutdown (``os-stop``) takes Nova's whole ``shutdown_timeout`` before the power goes off, as with libvirt.
"""
import time
import uuid

import nova.conf
from nova.virt import fake
from nova.virt import node

CONF = nova.conf.CONF
_NS = uuid.UUID('0b6f5c3e-2f7e-4d0c-9d1e-6e1f4a2b7c10')


def _node_uuid(nodename):
    return str(uuid.uuid5(_NS, nodename))


class StableFakeDriver(fake.FakeDriver):
    # a plausible hypervisor (upstream reports 1000 vCPUs and 800 GB RAM) so capacity figures mean something
    vcpus = 128
    memory_mb = 393216
    local_gb = 4000

    def __init__(self, virtapi, read_only=False):
        super().__init__(virtapi, read_only)
        if node.read_local_node_uuid() is None:
            node.write_local_node_uuid(_node_uuid(CONF.host))

    def get_available_resource(self, nodename):
        res = super().get_available_resource(nodename)
        if res:
            res['uuid'] = _node_uuid(nodename)
        return res

    def get_nodenames_by_uuid(self, refresh=False):
        return {_node_uuid(n): n for n in self.get_available_nodes()}

    def power_off(self, instance, timeout=0, retry_interval=0):
        if timeout and (instance.metadata or {}).get('nfvo_fake_guest') == 'ignores-acpi':
            time.sleep(timeout)  # green under nova-compute's eventlet: other requests go on
        super().power_off(instance, timeout, retry_interval)

    def get_host_uptime(self):
        return ' 00:00:01 up 1 day,  0:00,  0 users,  load average: 0.00, 0.00, 0.00'
