# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Records and groups of the telco.nfvo.nfvi inventory, built from the raw JSON of bulk list calls.

The inventory plugin fetches, per cloud and region, one paginated list of each resource type (servers, ports,
networks, floating IPs, security groups, volumes, images, projects, hypervisors) and hands the bodies to
`build_records()`; everything else here (filters, group names, ansible_host, host names) works on the resulting
records. No cloud access and no Ansible import: the unit tests drive it with plain dicts.

A record is ``{'nfvo': {...ownership marks...}, 'server': {...what the cloud says...}}``; the inventory
exposes both as hostvars, and the JMESPath `filter` option is evaluated against it.
"""

from __future__ import annotations

import datetime
import re
from email.utils import parsedate_to_datetime

from ansible_collections.telco.nfvo.plugins.module_utils import tags as marks

_UNSAFE = re.compile(r'[^A-Za-z0-9_]')
ADDRESS_TYPES = ('floating', 'fixed')
# changes-since asks from this long before the list answer was dated (the list itself took some of it)
SINCE_MARGIN = datetime.timedelta(seconds=30)


def safe_name(text):
    """A group-name-safe version of text (anything but letters, digits and _ becomes _)."""
    return _UNSAFE.sub('_', str(text))


def _mark_name(key):
    """Hostvar name of an ownership mark: the metadata name without its prefix (vnf -> vnf_instance_id)."""
    return marks.META_KEYS[key][len(marks.META_PREFIX):]


def mark(record, key):
    """Value of ownership mark `key` (a tags.KEYS name such as 'vnf', 'vdu', 'ns') of a record, or None."""
    return record['nfvo'].get(_mark_name(key))


def _ip_version(addr):
    return 6 if ':' in addr else 4


def _by_id(items):
    return {item.get('id'): item for item in items or ()}


class Lookups:
    """Indexes over one cloud region's list bodies, shared by all its server records."""

    def __init__(self, ports=None, networks=None, floating_ips=None, security_groups=None, volumes=None, images=None,
                 projects=None):
        self.networks = _by_id(networks)
        self.security_groups = _by_id(security_groups)
        self.images = _by_id(images)
        self.projects = _by_id(projects)
        self.ports_fetched = ports is not None
        self.volumes_fetched = volumes is not None
        self.ports = {}
        for port in sorted(ports or (), key=lambda p: (p.get('created_at') or '', p.get('id') or '')):
            if port.get('device_id'):
                self.ports.setdefault(port['device_id'], []).append(port)
        self.floating = {}
        for fip in floating_ips or ():
            if fip.get('port_id'):
                self.floating.setdefault(fip['port_id'], []).append(fip.get('floating_ip_address'))
        self.volumes = {}
        for vol in volumes or ():
            for att in vol.get('attachments') or ():
                if att.get('server_id'):
                    self.volumes.setdefault(att['server_id'], []).append((att, vol))


def _port_record(port, lookups):
    net = lookups.networks.get(port.get('network_id')) or {}
    owners = marks.parse_tags(port.get('tags'))
    return {
        'id': port.get('id'), 'name': port.get('name'), 'mac': port.get('mac_address'), 'status': port.get('status'),
        'network_id': port.get('network_id'), 'network': net.get('name') or port.get('network_id'),
        'cp': owners.get('cp'), 'vnic_type': port.get('binding:vnic_type'),
        'fixed_ips': [{'ip_address': ip.get('ip_address'), 'subnet_id': ip.get('subnet_id')} for ip in port.get('fixed_ips') or ()],
        'floating_ips': sorted(a for a in lookups.floating.get(port.get('id'), ()) if a),
        'security_groups': [{'id': sg, 'name': (lookups.security_groups.get(sg) or {}).get('name')}
                            for sg in port.get('security_groups') or ()],
        'port_security_enabled': port.get('port_security_enabled'),
        'tags': sorted(port.get('tags') or ()),
    }


def _addresses_from_ports(ports):
    out = {}
    for port in ports:
        entries = out.setdefault(port['network'], [])
        for ip in port['fixed_ips']:
            entries.append({'addr': ip['ip_address'], 'version': _ip_version(ip['ip_address']), 'type': 'fixed',
                            'mac': port['mac'], 'cp': port['cp'], 'port_id': port['id']})
        for addr in port['floating_ips']:
            entries.append({'addr': addr, 'version': _ip_version(addr), 'type': 'floating',
                            'mac': port['mac'], 'cp': port['cp'], 'port_id': port['id']})
    return out


def _addresses_from_server(server):
    out = {}
    for net, entries in (server.get('addresses') or {}).items():
        out[net] = [{'addr': e.get('addr'), 'version': e.get('version') or _ip_version(e.get('addr') or ''),
                     'type': e.get('OS-EXT-IPS:type') or 'fixed', 'mac': e.get('OS-EXT-IPS-MAC:mac_addr'),
                     'cp': None, 'port_id': None} for e in entries]
    return out


def _volume_records(server_id, lookups):
    out = []
    for att, vol in lookups.volumes.get(server_id, ()):
        out.append({'id': vol.get('id'), 'name': vol.get('name'), 'size_gb': vol.get('size'), 'status': vol.get('status'),
                    'volume_type': vol.get('volume_type'), 'bootable': str(vol.get('bootable')).lower() == 'true',
                    'device': att.get('device'), 'nfvo': _named(marks.parse_metadata(vol.get('metadata')))})
    return sorted(out, key=lambda v: (v['device'] or '', v['id'] or ''))


def _named(owners):
    return {_mark_name(k): v for k, v in owners.items() if k in marks.META_KEYS}


def _ownership(server):
    owners = marks.parse_tags(server.get('tags'))
    owners.update(marks.parse_metadata(server.get('metadata')))
    out = _named(owners)
    out['managed'] = marks.is_managed(server.get('metadata'), server.get('tags'))
    return out


def server_record(server, lookups, cloud, region, project=None):
    """The record of one server (a Nova server detail body, microversion >= 2.47: embedded flavor, tags)."""
    sid = server.get('id')
    ports = [_port_record(p, lookups) for p in lookups.ports.get(sid, ())]
    addresses = _addresses_from_ports(ports) if ports else _addresses_from_server(server)
    flavor = server.get('flavor') or {}
    image = server.get('image') or {}
    image_id = image.get('id') if isinstance(image, dict) else None
    project_id = server.get('tenant_id') or server.get('project_id')
    if project and project.get('id') == project_id:
        project_name = project.get('name')
    else:
        project_name = (lookups.projects.get(project_id) or {}).get('name')
    rec = {
        'id': sid, 'name': server.get('name'), 'status': server.get('status'),
        'vm_state': server.get('OS-EXT-STS:vm_state'), 'task_state': server.get('OS-EXT-STS:task_state'),
        'power_state': server.get('OS-EXT-STS:power_state'),
        'cloud': cloud, 'region': region, 'project': {'id': project_id, 'name': project_name},
        'user_id': server.get('user_id'),
        'availability_zone': server.get('OS-EXT-AZ:availability_zone'),
        'hypervisor': server.get('OS-EXT-SRV-ATTR:hypervisor_hostname'), 'compute_host': server.get('OS-EXT-SRV-ATTR:host'),
        'flavor': {'name': flavor.get('original_name') or flavor.get('id'), 'vcpus': flavor.get('vcpus'), 'ram_mb': flavor.get('ram'),
                   'disk_gb': flavor.get('disk'), 'ephemeral_gb': flavor.get('ephemeral'), 'swap_mb': flavor.get('swap') or 0,
                   'extra_specs': flavor.get('extra_specs') or {}},
        'image': {'id': image_id, 'name': (lookups.images.get(image_id) or {}).get('name')} if image_id else None,
        'key_name': server.get('key_name'), 'created': server.get('created'), 'updated': server.get('updated'),
        'launched_at': server.get('OS-SRV-USG:launched_at'),
        'addresses': addresses,
        'ports': ports if lookups.ports_fetched else None,
        'volumes': _volume_records(sid, lookups) if lookups.volumes_fetched else None,
        'security_groups': sorted({sg.get('name') for sg in server.get('security_groups') or () if sg.get('name')}),
        'metadata': dict(server.get('metadata') or {}),
        'tags': sorted(server.get('tags') or ()),
    }
    return {'nfvo': _ownership(server), 'server': rec}


def build_records(servers, lookups, cloud, region, project=None):
    """Records of all servers of one cloud region (deleted servers of a changes-since answer left out)."""
    return [server_record(s, lookups, cloud, region, project) for s in servers if s.get('status') != 'DELETED']


def since_from_date(date_header, elapsed_seconds, now=None):
    """The changes-since value for the next refresh: the Date of the list answer (the cloud's clock), less the time
    the list took and a margin, so a server changed while Nova was answering is asked for again."""
    when = None
    if date_header:
        try:
            when = parsedate_to_datetime(date_header)
        except (TypeError, ValueError):
            when = None
    when = when or now or datetime.datetime.now(datetime.timezone.utc)
    when = when.astimezone(datetime.timezone.utc) - datetime.timedelta(seconds=elapsed_seconds) - SINCE_MARGIN
    return when.strftime('%Y-%m-%dT%H:%M:%SZ')


def merge_changes(servers, changed):
    """The server bodies after a changes-since answer: changed ones replaced or added, DELETED ones removed."""
    by_id = {s['id']: s for s in servers}
    for server in changed:
        if server.get('status') == 'DELETED':
            by_id.pop(server['id'], None)
        else:
            by_id[server['id']] = server
    return list(by_id.values())


def _matches(values, *candidates):
    return not values or any(c is not None and str(c) in values for c in candidates)


def select(records, include_unmanaged=False, ns=None, vnf=None, project=None, predicate=None):
    """The records the inventory shows: managed ones (or all), matching every filter given.

    ns / vnf / project are lists of ids or names (any matches); predicate is a callable on the record
    (the compiled JMESPath `filter`)."""
    ns, vnf, project = [set(map(str, v or ())) for v in (ns, vnf, project)]
    out = []
    for rec in records:
        if not (include_unmanaged or rec['nfvo'].get('managed')):
            continue
        if not _matches(ns, mark(rec, 'ns')):
            continue
        if not _matches(vnf, mark(rec, 'vnf'), mark(rec, 'vnf_name')):
            continue
        if not _matches(project, rec['server']['project']['id'], rec['server']['project']['name']):
            continue
        if predicate is not None and not predicate(rec):
            continue
        out.append(rec)
    return out


def groups_for(record):
    """Group names of a host: nfvo_ns_/nfvo_vnf_/nfvo_vdu_ from our marks, then where and how it runs."""
    srv = record['server']
    out = []
    if record['nfvo'].get('managed'):
        vnf = mark(record, 'vnf_name') or mark(record, 'vnf')
        if mark(record, 'ns'):
            out.append('nfvo_ns_%s' % mark(record, 'ns'))
        if vnf:
            out.append('nfvo_vnf_%s' % vnf)
            if mark(record, 'vdu'):
                out.append('nfvo_vdu_%s_%s' % (vnf, mark(record, 'vdu')))
    else:
        out.append('nfvo_unmanaged')
    for prefix, value in (('project', srv['project']['name'] or srv['project']['id']), ('az', srv['availability_zone']),
                          ('hypervisor', srv['hypervisor']), ('flavor', srv['flavor']['name']),
                          ('status', (srv['status'] or '').lower()), ('cloud', srv['cloud']), ('region', srv['region'])):
        if value:
            out.append('%s_%s' % (prefix, value))
    return [safe_name(g) for g in out]


def ansible_host(record, cps=None, networks=None, floating=True, ip_version=4):
    """The address to reach a host: of the first CP in `cps`, else of the first network in `networks` that has
    one (when either is given, nothing else is considered), else any address; floating before fixed when
    `floating`, of the IP version asked. None when no address fits."""
    entries = [(net, e) for net, items in record['server']['addresses'].items() for e in items
               if e.get('addr') and (not ip_version or e.get('version') == ip_version)]
    order = ADDRESS_TYPES if floating else ADDRESS_TYPES[::-1]

    def pick(candidates):
        for kind in order:
            for dummy, entry in candidates:
                if entry.get('type') == kind:
                    return entry['addr']
        return None

    if cps or networks:
        for cp in cps or ():
            found = pick([c for c in entries if c[1].get('cp') == cp])
            if found:
                return found
        for net in networks or ():
            found = pick([c for c in entries if c[0] == net])
            if found:
                return found
        return None
    return pick(entries)


def hostnames(records, use='name'):
    """[(inventory_hostname, record)]: one host per server id (the first cloud that lists it wins), named by
    `use` ('name' or 'id'); a name shared by several servers falls back to their ids."""
    seen, unique = set(), []
    for rec in records:
        if rec['server']['id'] not in seen:
            seen.add(rec['server']['id'])
            unique.append(rec)
    if use == 'id':
        return [(r['server']['id'], r) for r in unique]
    counts = {}
    for rec in unique:
        counts[rec['server']['name']] = counts.get(rec['server']['name'], 0) + 1
    return [(r['server']['name'] if r['server']['name'] and counts[r['server']['name']] == 1 else r['server']['id'], r)
            for r in unique]


def hypervisor_hostvars(hypervisor, cloud, region):
    """Hostvars of a hypervisor shown as a host of nfvi_hypervisors (capacity from module_utils.nfvi.hypervisors())."""
    out = {'hypervisor': dict(hypervisor, cloud=cloud, region=region)}
    if hypervisor.get('host_ip'):
        out['ansible_host'] = hypervisor['host_ip']
    return out
