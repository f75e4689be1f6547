# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the NFVI looks like from the NFVO: availability zones, hypervisors and their capacity, flavors,
quotas and usage of the current project, API versions. Each section is one list call (paginated),
fetched concurrently through the one HTTP client (openstack/client.py); a section the caller may not read
(e.g. hypervisors as a non-admin) is reported as unavailable instead of failing the whole answer.
The inventory plugin (plugins/inventory/nfvi.py) shares ``hypervisors`` and ``is_forbidden`` with nfvi_info.
"""

from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import describe_error
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi, run_concurrently

SECTIONS = ('api_versions', 'availability_zones', 'hypervisors', 'flavors', 'quotas')
# Nova 2.88 dropped the capacity fields from os-hypervisors; 2.87 still returns them in the one list call.
HYPERVISOR_MICROVERSION = '2.87'
SERVICE_TYPES = ('identity', 'compute', 'network', 'image', 'block-storage', 'placement')


FORBIDDEN = 'forbidden by the cloud\'s policy (admin only)'


def is_forbidden(exc):
    """True for a refusal by the cloud's policy (HTTP 403), from our client or from openstacksdk."""
    return 403 in (getattr(exc, 'status', None), getattr(exc, 'status_code', None), getattr(exc, 'http_status', None))


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


def availability_zones(api):
    zones = []
    for zone in api.get('compute', '/os-availability-zone').get('availabilityZoneInfo') or []:
        zones.append({'name': zone.get('zoneName'), 'available': bool((zone.get('zoneState') or {}).get('available'))})
    return sorted(zones, key=lambda z: z['name'])


def hypervisors(api):
    out = []
    for h in api.list('compute', '/os-hypervisors/detail', 'hypervisors', microversion=HYPERVISOR_MICROVERSION):
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


def flavors(api):
    out = []
    for f in api.list('compute', '/flavors/detail', 'flavors'):
        out.append({'id': f.get('id'), 'name': f.get('name'), 'vcpus': f.get('vcpus'), 'ram_mb': f.get('ram'), 'disk_gb': f.get('disk'),
                    'ephemeral_gb': f.get('OS-FLV-EXT-DATA:ephemeral'), 'swap_mb': f.get('swap') or 0,
                    'is_public': f.get('os-flavor-access:is_public'), 'extra_specs': dict(f.get('extra_specs') or {})})
    return sorted(out, key=lambda f: (f['vcpus'], f['ram_mb'], f['disk_gb'], f['name']))


def _usage(limit, used, reserved=0):
    return {'limit': limit, 'in_use': used, 'reserved': reserved or 0,
            'free': None if limit is None or limit < 0 else max(limit - used - (reserved or 0), 0)}


def _quota_usage(quota_set, names):
    """{name: usage} of a Nova / Cinder quota set with usage (each value {limit, in_use, reserved})."""
    out = {}
    for name in names:
        value = quota_set.get(name)
        if isinstance(value, dict):
            out[name] = _usage(value.get('limit'), value.get('in_use') or 0, value.get('reserved') or 0)
    return out


def quotas(api):
    project_id = api.conn.current_project_id
    out = {'compute': _quota_usage(api.get('compute', '/os-quota-sets/%s/detail' % project_id).get('quota_set') or {},
                                   ('instances', 'cores', 'ram', 'key_pairs', 'server_groups', 'server_group_members', 'metadata_items'))}
    quota = api.get('network', '/quotas/%s/details.json' % project_id).get('quota') or {}
    out['network'] = {k: _usage(v.get('limit'), v.get('used', 0), v.get('reserved', 0)) for k, v in sorted(quota.items())}
    if api.conn.has_service('block-storage'):
        out['block_storage'] = _quota_usage(api.get('volume', '/os-quota-sets/%s' % project_id, params={'usage': 'True'}).get('quota_set') or {},
                                            ('volumes', 'gigabytes', 'snapshots', 'backups', 'backup_gigabytes'))
    return out


FETCHERS = {'api_versions': api_versions, 'availability_zones': availability_zones, 'hypervisors': hypervisors,
            'flavors': flavors, 'quotas': quotas}


def gather(conn, sections=SECTIONS, max_workers=5):
    """Return (facts, unavailable): facts per requested section, and {section: reason} for those that failed."""
    api = CloudApi(conn)
    facts = {
        'cloud': conn.config.name, 'region': conn.config.get_region_name(),
        'project': {'id': conn.current_project_id, 'name': conn.config.config.get('auth', {}).get('project_name')},
    }
    unavailable = {}
    jobs = {s: (lambda s=s: _section(api, s)) for s in sections}
    for section, (value, error) in (run_concurrently(jobs, max_workers) if jobs else {}).items():
        if error is None:
            facts[section] = value
        else:
            unavailable[section] = FORBIDDEN if is_forbidden(error) else describe_error(error)
    if 'hypervisors' in facts:
        facts['hypervisor_summary'] = hypervisor_summary(facts['hypervisors'])
    return facts, unavailable


def _section(api, section):
    """(facts, None) or (None, the error): one section that fails does not fail the others."""
    try:
        return FETCHERS[section](api.conn if section == 'api_versions' else api), None
    except Exception as exc:  # any error of the cloud or the SDK: reported as the section's reason
        return None, exc
