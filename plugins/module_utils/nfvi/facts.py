# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the NFVI looks like from the NFVO: availability zones, hypervisors and their capacity, flavors,
quotas and usage of the current project, API versions. Each section is one list call (paginated),
fetched concurrently; a section the caller may not read (e.g. hypervisors as a non-admin) is reported
as unavailable instead of failing the whole answer.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import Forbidden
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import describe_error

SECTIONS = ('api_versions', 'availability_zones', 'hypervisors', 'flavors', 'quotas')
# Nova 2.88 dropped the capacity fields from os-hypervisors; 2.87 still returns them in the one list call.
HYPERVISOR_MICROVERSION = '2.87'
SERVICE_TYPES = ('identity', 'compute', 'network', 'image', 'block-storage', 'placement')


def get_all(proxy, url, key, microversion=None):
    """GET a paginated collection (following `<key>_links` next links), raising on error."""
    items = []
    while url:
        resp = proxy.get(url, microversion=microversion) if microversion else proxy.get(url)
        if resp.status_code == 403:
            raise Forbidden('forbidden by the cloud\'s policy (admin only)')
        resp.raise_for_status()
        body = resp.json()
        items.extend(body.get(key, []))
        url = next((link['href'] for link in body.get(key + '_links', []) if link.get('rel') == 'next'), None)
    return items


def api_versions(conn):
    out = {}
    for stype in SERVICE_TYPES:
        try:
            data = conn.session.get_endpoint_data(service_type=stype, interface=conn.config.get_interface(),
                                                  region_name=conn.config.get_region_name())
        except Exception as exc:
            out[stype] = {'available': False, 'reason': describe_error(exc)}
            continue
        if data is None:
            out[stype] = {'available': False, 'reason': 'not in the service catalog'}
            continue
        out[stype] = {
            'available': True,
            'url': data.url,
            'version': '.'.join(str(v) for v in data.api_version) if data.api_version else None,
            'min_microversion': '.'.join(str(v) for v in data.min_microversion) if data.min_microversion else None,
            'max_microversion': '.'.join(str(v) for v in data.max_microversion) if data.max_microversion else None,
        }
    return out


def availability_zones(conn):
    zones = []
    for zone in conn.compute.availability_zones(details=False):
        zones.append({'name': zone.name, 'available': bool((zone.state or {}).get('available'))})
    return sorted(zones, key=lambda z: z['name'])


def hypervisors(conn):
    out = []
    for h in get_all(conn.compute, '/os-hypervisors/detail', 'hypervisors', HYPERVISOR_MICROVERSION):
        vcpus, vcpus_used = h.get('vcpus') or 0, h.get('vcpus_used') or 0
        mem, mem_used = h.get('memory_mb') or 0, h.get('memory_mb_used') or 0
        disk, disk_used = h.get('local_gb') or 0, h.get('local_gb_used') or 0
        out.append({
            'id': h.get('id'), 'name': h.get('hypervisor_hostname'), 'host': (h.get('service') or {}).get('host'),
            'type': h.get('hypervisor_type'), 'state': h.get('state'), 'status': h.get('status'),
            'host_ip': h.get('host_ip'), 'running_vms': h.get('running_vms') or 0,
            'vcpus': vcpus, 'vcpus_used': vcpus_used, 'vcpus_free': vcpus - vcpus_used,
            'memory_mb': mem, 'memory_mb_used': mem_used, 'memory_mb_free': mem - mem_used,
            'local_gb': disk, 'local_gb_used': disk_used, 'local_gb_free': disk - disk_used,
        })
    return sorted(out, key=lambda h: h['name'] or '')


def hypervisor_summary(hyps):
    keys = ('running_vms', 'vcpus', 'vcpus_used', 'vcpus_free', 'memory_mb', 'memory_mb_used', 'memory_mb_free',
            'local_gb', 'local_gb_used', 'local_gb_free')
    summary = {k: sum(h[k] for h in hyps) for k in keys}
    summary['count'] = len(hyps)
    summary['up'] = sum(1 for h in hyps if h['state'] == 'up')
    return summary


def flavors(conn):
    out = []
    for f in conn.compute.flavors(details=True):
        out.append({'id': f.id, 'name': f.name, 'vcpus': f.vcpus, 'ram_mb': f.ram, 'disk_gb': f.disk,
                    'ephemeral_gb': f.ephemeral, 'swap_mb': f.swap or 0, 'is_public': f.is_public,
                    'extra_specs': dict(f.extra_specs or {})})
    return sorted(out, key=lambda f: (f['vcpus'], f['ram_mb'], f['disk_gb'], f['name']))


def _usage(limit, used, reserved=0):
    return {'limit': limit, 'in_use': used, 'reserved': reserved or 0,
            'free': None if limit is None or limit < 0 else max(limit - used - (reserved or 0), 0)}


def quotas(conn):
    project_id = conn.current_project_id
    out = {}
    qs = conn.compute.get_quota_set(project_id, usage=True)
    compute = {}
    for name in ('instances', 'cores', 'ram', 'key_pairs', 'server_groups', 'server_group_members', 'metadata_items'):
        val = getattr(qs, name, None)
        usage = (qs.usage or {}).get(name, 0) if qs.usage else 0
        reserved = (qs.reservation or {}).get(name, 0) if qs.reservation else 0
        if val is not None:
            compute[name] = _usage(val, usage, reserved)
    out['compute'] = compute
    resp = conn.network.get('/quotas/%s/details.json' % project_id)
    resp.raise_for_status()
    out['network'] = {k: _usage(v.get('limit'), v.get('used', 0), v.get('reserved', 0))
                      for k, v in sorted(resp.json().get('quota', {}).items())}
    if conn.has_service('block-storage'):
        bs = conn.block_storage.get_quota_set(project_id, usage=True)
        block = {}
        for name in ('volumes', 'gigabytes', 'snapshots', 'backups', 'backup_gigabytes'):
            val = getattr(bs, name, None)
            if val is not None:
                block[name] = _usage(val, (bs.usage or {}).get(name, 0), (bs.reservation or {}).get(name, 0))
        out['block_storage'] = block
    return out


FETCHERS = {'api_versions': api_versions, 'availability_zones': availability_zones, 'hypervisors': hypervisors,
            'flavors': flavors, 'quotas': quotas}


def gather(conn, sections=SECTIONS, max_workers=5):
    """Return (facts, unavailable): facts per requested section, and {section: reason} for those that failed."""
    facts = {
        'cloud': conn.config.name, 'region': conn.config.get_region_name(),
        'project': {'id': conn.current_project_id, 'name': conn.config.config.get('auth', {}).get('project_name')},
    }
    unavailable = {}
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        futures = {s: pool.submit(FETCHERS[s], conn) for s in sections}
        for section, fut in futures.items():
            try:
                facts[section] = fut.result()
            except Forbidden as exc:
                unavailable[section] = str(exc)
            except Exception as exc:
                if getattr(exc, 'http_status', None) == 403 or getattr(exc, 'status_code', None) == 403:
                    unavailable[section] = 'forbidden by the cloud\'s policy (admin only)'
                    continue
                unavailable[section] = describe_error(exc)
    if 'hypervisors' in facts:
        facts['hypervisor_summary'] = hypervisor_summary(facts['hypervisors'])
    return facts, unavailable
