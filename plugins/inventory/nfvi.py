# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: nfvi
short_description: The NFVI as the NFVO sees it, from one or more OpenStack clouds
version_added: 0.1.0
author: [telco.nfvo developers (@telco-nfvo)]
description:
  - Shows VNFCs (the servers telco.nfvo manages, found by its ownership metadata and tags) as hosts, grouped by
    network service, VNF, VDU, project, availability zone, hypervisor, flavor, status, cloud and region.
    O(include_unmanaged=true) adds every other server, and O(hypervisors=true) adds the hypervisors themselves
    with their capacity.
  - Per cloud and region it makes a constant number of API requests, whatever the number of servers. After
    authenticating, it sends one paginated list call per resource type (servers, ports, networks, floating IPs,
    security groups, volumes, images, plus projects and hypervisors when asked), all at the same time.
    It never makes one call per server. Clouds and regions are also read at the same time.
  - A cloud that cannot be read (wrong credentials, unreachable, missing service) is reported as a warning
    and the other clouds still load, unless O(fail_on_errors=true).
  - openstacksdk log messages go to stderr (only with C(-vvvv)), never to stdout.
  - The configuration file name must end with C(.nfvi.yml) or C(.nfvi.yaml).
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
requirements:
  - openstacksdk >= 4.0.0
  - jmespath (only for O(filter); openstacksdk depends on it)
notes:
  - Credentials come from C(clouds.yaml) (the openstacksdk search path, E(OS_CLIENT_CONFIG_FILE), and
    O(clouds_yaml_path)), as for the openstack.cloud inventory.
  - The cache key includes a digest of this configuration file and of the C(clouds.yaml) file in use. If you
    change either file, the inventory is read from the clouds again, even if the cache has not expired.
    A run in which any cloud or list call failed is not cached.
  - "Hostvars of a server: C(nfvo) (ownership: C(vnf_instance_id), C(vnf_name), C(vnfd_id), C(vnfd_version),
    C(flavour_id), C(ns_instance_id), C(vdu), C(vnfc_id), C(managed)) and C(server) (C(id), C(name), C(status),
    C(cloud), C(region), C(project) (id and name), C(availability_zone), C(hypervisor), C(compute_host),
    C(flavor) (name, vcpus, ram_mb, disk_gb, ephemeral_gb, swap_mb, extra_specs), C(image) (id and name),
    C(addresses) (per network name: addr, version, type fixed/floating, mac, cp, port_id), C(ports) (id, mac,
    network, cp, fixed_ips, floating_ips, security_groups, ...), C(volumes) (id, name, size_gb, device, ...),
    C(security_groups), C(metadata), C(tags), C(created), ...), and C(ansible_host)."
  - "Groups: C(nfvo_ns_<ns instance id>), C(nfvo_vnf_<vnf name>), C(nfvo_vdu_<vnf name>_<vdu>),
    C(nfvo_unmanaged), C(project_<name>), C(az_<zone>), C(hypervisor_<hypervisor>), C(flavor_<name>),
    C(status_<status>), C(cloud_<name>), C(region_<name>), and C(nfvi_hypervisors) for the hypervisors.
    Characters other than letters, digits and C(_) become C(_)."
options:
  plugin:
    description: The name of this plugin. It must be C(telco.nfvo.nfvi).
    type: str
    required: true
    choices: [telco.nfvo.nfvi]
  clouds:
    description:
      - Names of the clouds in C(clouds.yaml) to read.
      - An empty list means every cloud in C(clouds.yaml).
    type: list
    elements: str
    default: []
    aliases: [only_clouds]
  regions:
    description:
      - Names of the regions to read.
      - An empty list means every region that C(clouds.yaml) defines for each cloud.
    type: list
    elements: str
    default: []
  clouds_yaml_path:
    description:
      - More C(clouds.yaml) files to search, before the openstacksdk defaults.
      - E(OS_CLIENT_CONFIG_FILE) is searched first, as openstacksdk always does.
    type: list
    elements: path
    default: []
  all_projects:
    description:
      - List the servers and volumes of all projects, and name the projects. The cloud's policy must allow
        this, which usually means an admin.
      - If the cloud refuses, the inventory warns and shows only the project of the credentials.
    type: bool
    default: false
  fail_on_errors:
    description:
      - If V(false), a cloud or region that cannot be read is reported as a warning and left out, and the
        others still load.
      - If V(true), the whole inventory fails.
    type: bool
    default: false
  include_unmanaged:
    description: Also show servers that telco.nfvo does not manage. They are in the group C(nfvo_unmanaged).
    type: bool
    default: false
  hypervisors:
    description:
      - Also show the hypervisors as hosts in the group C(nfvi_hypervisors). Their hostvar C(hypervisor) holds
        C(vcpus), C(memory_mb) and C(local_gb), each with its C(_used) and C(_free) amount, and C(running_vms).
        C(ansible_host) is the hypervisor's IP address.
      - This needs an admin. If the cloud forbids it, the inventory warns and shows no hypervisors.
    type: bool
    default: false
  fetch:
    description:
      - Which related resources to list besides the servers. Each one costs one paginated call per cloud and
        region.
      - Without V(ports), C(server.addresses) comes from Nova and has no CP names, and C(server.ports) is null.
      - Without V(volumes), C(server.volumes) is null.
    type: list
    elements: str
    choices: [ports, networks, floating_ips, security_groups, volumes, images]
    default: [ports, networks, floating_ips, security_groups, volumes, images]
  ns:
    description: Show only the VNFCs of these network service instances (ids).
    type: list
    elements: str
    default: []
  vnf:
    description: Show only the VNFCs of these VNF instances (names or ids).
    type: list
    elements: str
    default: []
  project:
    description: Show only the servers of these projects (names or ids).
    type: list
    elements: str
    default: []
  tags:
    description:
      - Show only the servers that have all of these Nova server tags.
      - Nova applies this filter, so the servers that do not match are never transferred.
    type: list
    elements: str
    default: []
  filter:
    description:
      - A JMESPath expression, evaluated against each server's record (C({nfvo, server}), the hostvars
        described in the notes). The server is shown only if the result is true, for example
        V(server.status == 'ACTIVE' && nfvo.vdu == 'VDU1').
      - This needs the C(jmespath) Python library (openstacksdk depends on it; the collection does not list it itself).
        Without it an inventory that sets this option fails with a message saying so.
    type: str
  hostname:
    description:
      - Which value to use as the inventory hostname.
      - With V(name), servers that share a name are named by their id instead.
    type: str
    choices: [name, id]
    default: name
  ansible_host_cp:
    description:
      - Set C(ansible_host) to an address of the first of these connection points (the CP name on the port's
        ownership tag) that the server has.
      - If this option or O(ansible_host_network) is set but no address matches, C(ansible_host) is not set.
    type: list
    elements: str
    default: []
  ansible_host_network:
    description: If no CP in O(ansible_host_cp) matches, set C(ansible_host) to an address on the first of these networks (names).
    type: list
    elements: str
    default: []
  ansible_host_floating:
    description: Prefer a floating IP to a fixed IP for C(ansible_host). If V(false), prefer the fixed IP.
    type: bool
    default: true
  ansible_host_ip_version:
    description: The IP version of C(ansible_host).
    type: int
    choices: [4, 6]
    default: 4
  refresh_changes_since:
    description:
      - With O(cache=true), a run that finds its cache asks Nova only for the servers changed since the cached
        answer (C(changes-since), deleted servers included), and lists the other resources again. This keeps the
        inventory current at a fraction of the cost of listing every server. O(cache_timeout) can then be V(0)
        (never expires).
      - The cache then also holds the servers as Nova returned them.
    type: bool
    default: false
  max_workers:
    description: The most list calls in flight at once, across all clouds and regions.
    type: int
    default: 16
'''

EXAMPLES = r'''
# nfvi.nfvi.yml: the VNFCs of one cloud, reached on their management CP
plugin: telco.nfvo.nfvi
clouds: [nfvo-tenant]
ansible_host_cp: [mgmt_cp, cp_oam]
ansible_host_ip_version: 4
---
# admin.nfvi.yml: every server of every project in two clouds, with hypervisor capacity, cached for 5 minutes
plugin: telco.nfvo.nfvi
clouds: [east-admin, west-admin]
all_projects: true
include_unmanaged: true
hypervisors: true
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/nfvi-inventory
cache_timeout: 300
---
# ops.nfvi.yml: kept current by asking Nova only for what changed since the last run
plugin: telco.nfvo.nfvi
clouds: [nfvo-tenant]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/nfvi-inventory
cache_timeout: 0
refresh_changes_since: true
---
# vnf.nfvi.yml: one VNF's active VNFCs only, with groups made from their VDU and hostvars composed
plugin: telco.nfvo.nfvi
vnf: [vepc-1]
filter: "server.status == 'ACTIVE'"
fetch: [ports, networks, floating_ips]
compose:
  vnfc_ip: server.addresses | dict2items | map(attribute='value') | flatten | map(attribute='addr') | first
keyed_groups:
  - key: nfvo.vdu
    prefix: vdu
  - key: server.metadata.role | default('none')
    prefix: role
'''

import hashlib
import logging
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.util import find_spec
from urllib.parse import urlencode

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.telco.nfvo.plugins.plugin_utils import nfvi_inventory as inv

# openstacksdk is imported only when the clouds are read (CloudLibs): a run answered from the cache never needs it,
# and importing it is about a third of such a run.
HAS_SDK = find_spec('openstack') is not None

try:
    import jmespath
    HAS_JMESPATH = True
except ImportError:
    HAS_JMESPATH = False

# 2.47: the flavor is embedded in the server (no flavor call) and server tags are returned (2.26)
SERVER_MICROVERSION = '2.47'
CACHE_FORMAT = 1
_SDK_LOGGERS = ('openstack', 'keystoneauth', 'stevedore', 'urllib3')


class CloudLibs:
    """openstacksdk and our module_utils that use it, imported on first use."""

    def __init__(self):
        # imported on first use, not at load: a run answered from the cache never needs them (see HAS_SDK)
        # pylint: disable=import-outside-toplevel
        import openstack.connection
        from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import describe_error
        from ansible_collections.telco.nfvo.plugins.module_utils.nfvi import facts as nfvi
        from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi
        self.openstack = openstack
        self.nfvi = nfvi
        self.describe_error = describe_error
        self.is_forbidden = nfvi.is_forbidden
        self.CloudApi = CloudApi


def clouds_yaml_files(extra=()):
    """The clouds.yaml / secure.yaml files openstacksdk may read (its search path), for the cache key."""
    dirs = [os.getcwd(), os.path.join(os.environ.get('XDG_CONFIG_HOME') or os.path.expanduser('~/.config'), 'openstack'), '/etc/openstack']
    files = list(extra) + [os.environ.get('OS_CLIENT_CONFIG_FILE'), os.environ.get('OS_CLIENT_SECURE_FILE')]
    files += [os.path.join(d, '%s.%s' % (n, s)) for d in dirs for n in ('clouds', 'secure') for s in ('yaml', 'yml', 'json')]
    return [f for f in files if f and os.path.exists(f)]


def _quiet_sdk_logging(verbosity):
    """openstacksdk and keystoneauth log to stderr only, and only at -vvvv: stdout is the inventory's JSON."""
    for name in _SDK_LOGGERS:
        logger = logging.getLogger(name)
        logger.propagate = False
        if not any(getattr(h, 'nfvo_inventory', False) for h in logger.handlers):
            handler = logging.StreamHandler(sys.stderr)
            handler.nfvo_inventory = True
            logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if verbosity >= 4 else logging.CRITICAL + 1)


def _query(**params):
    params = {k: v for k, v in params.items() if v not in (None, '', [], False)}
    return ('?' + urlencode(params, doseq=True)) if params else ''


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'telco.nfvo.nfvi'

    def __init__(self):
        super().__init__()
        self._config_digest = ''
        self._libs = None

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('.nfvi.yml', '.nfvi.yaml'))

    def get_cache_key(self, path):
        # the path alone is not enough: a changed configuration or clouds.yaml must not be answered from the cache
        return '%s_%s' % (super().get_cache_key(path), self._config_digest[:16])

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        if self.get_option('filter') and not HAS_JMESPATH:
            raise AnsibleParserError('telco.nfvo.nfvi: the filter option needs the jmespath Python library, which is not'
                                     ' installed (pip install jmespath), or leave filter out')
        self._config_digest = self._digest(path)

        cache_key = self.get_cache_key(path)
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        data = None
        if use_cache:
            try:
                data = self._cache[cache_key]
                if data.get('format') != CACHE_FORMAT:
                    data = None
            except KeyError:
                pass
            update_cache = data is None
        if data is not None and self.get_option('refresh_changes_since'):
            self.display.vvv('telco.nfvo.nfvi: refreshing the cache (%s) with the changes since' % cache_key)
            data, problems = self._fetch(previous=data)
            self._report(problems)
            if not problems:
                self._cache[cache_key] = data
        elif data is None:
            data, problems = self._fetch()
            self._report(problems)
            if update_cache and not problems:
                self._cache[cache_key] = data
        else:
            self.display.vvv('telco.nfvo.nfvi: inventory from the cache (%s)' % cache_key)
        self._populate(data)

    def _digest(self, path):
        """Of this configuration file's content, and of which clouds.yaml files exist and when they changed."""
        sha = hashlib.sha256()
        with open(path, 'rb') as handle:
            sha.update(handle.read())
        for name in clouds_yaml_files(self.get_option('clouds_yaml_path')):
            stat = os.stat(name)
            sha.update(('%s %s %s' % (os.path.abspath(name), stat.st_mtime_ns, stat.st_size)).encode())
        return sha.hexdigest()

    def _report(self, problems):
        fatal = [p for p in problems if p[0] == 'region']
        if fatal and self.get_option('fail_on_errors'):
            raise AnsibleParserError('telco.nfvo.nfvi: ' + '; '.join(p[1] for p in fatal))
        for dummy, message in problems:
            self.display.warning('telco.nfvo.nfvi: %s' % message)

    # ---- fetching: one paginated list call per resource type, per cloud region, all concurrent ----

    def _regions(self, config):
        wanted = list(self.get_option('clouds'))
        known = config.get_cloud_names()
        problems = [('region', 'cloud %s: not found in clouds.yaml (%s)' % (n, getattr(config, 'config_filename', None) or 'none found'))
                    for n in wanted if n not in known]
        names = [n for n in (wanted or known) if n in known]
        loaded = [r for r in config.get_all() if r.name in names]
        asked = self.get_option('regions') or []
        regions = [r for r in loaded if not asked or r.region_name in asked]
        missing = set(names) - {r.name for r in loaded}
        problems += [('region', 'cloud %s: its configuration could not be loaded' % n) for n in sorted(missing)]
        # a region asked for that none of the clouds has would otherwise give an empty inventory without a word
        have = sorted({r.region_name for r in loaded if r.region_name})
        problems += [('region', 'region %s: not a region of %s (regions: %s)' % (r, ', '.join(names) or 'any cloud', ', '.join(have) or 'none'))
                     for r in asked if r not in have]
        regions.sort(key=lambda r: (names.index(r.name), r.region_name or ''))
        return regions, problems

    def _fetch(self, previous=None):
        """({'format', 'regions': [per cloud region: records, hypervisors (, raw servers and since)]}, problems)."""
        before = {(r['cloud'], r['region']): r for r in (previous or {}).get('regions', ()) if r.get('servers') is not None}
        if not HAS_SDK:
            raise AnsibleParserError('The telco.nfvo.nfvi inventory needs the openstacksdk Python library (pip install openstacksdk)')
        self._libs = CloudLibs()
        _quiet_sdk_logging(self.display.verbosity)
        from openstack.config import loader  # pylint: disable=import-outside-toplevel
        config = loader.OpenStackConfig(config_files=list(self.get_option('clouds_yaml_path')) + list(loader.CONFIG_FILES))
        regions, problems = self._regions(config)
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, len(regions))) as outer, \
                ThreadPoolExecutor(max_workers=max(1, self.get_option('max_workers'))) as pool:
            results = [outer.submit(self._fetch_region, region, pool, before.get((region.name, region.region_name))) for region in regions]
            out = []
            for region, future in zip(regions, results):
                label = '%s/%s' % (region.name, region.region_name or '-')
                try:
                    result, partial = future.result()
                except Exception as exc:  # one broken cloud must not hide the others
                    problems.append(('region', 'cloud %s: %s' % (label, self._libs.describe_error(exc))))
                    continue
                out.append(result)
                problems += [('partial', 'cloud %s: %s' % (label, msg)) for msg in partial]
        self.display.vvv('telco.nfvo.nfvi: %d cloud region(s) read in %.2f s' % (len(out), time.monotonic() - started))
        return {'format': CACHE_FORMAT, 'regions': out}, problems

    def _fetch_region(self, region, pool, previous=None):
        nfvi = self._libs.nfvi
        conn = self._libs.openstack.connection.Connection(config=region, app_name='telco.nfvo')
        conn.authorize()
        api = self._libs.CloudApi(conn)
        access = conn.session.auth.get_access(conn.session)
        project = {'id': access.project_id, 'name': access.project_name}
        fetch = set(self.get_option('fetch'))
        all_projects = self.get_option('all_projects')
        own = None if all_projects else project['id']
        calls = {
            'servers': lambda: self._servers(api, all_projects, previous),
            'ports': lambda: api.list('network', '/ports' + _query(project_id=own), 'ports'),
            'networks': lambda: api.list('network', '/networks' + _query(fields=['id', 'name']), 'networks'),
            'floating_ips': lambda: api.list('network', '/floatingips' + _query(project_id=own, fields=['port_id', 'floating_ip_address']),
                                             'floatingips'),
            'security_groups': lambda: api.list('network', '/security-groups' + _query(project_id=own, fields=['id', 'name']),
                                                'security_groups'),
            'volumes': lambda: api.list('volume', '/volumes/detail' + _query(all_tenants=1 if all_projects else None), 'volumes'),
            'images': lambda: api.list('image', '/images?limit=1000', 'images'),
            'projects': lambda: api.list('identity', '/projects', 'projects'),
            'hypervisors': lambda: nfvi.hypervisors(api),
        }
        wanted = ['servers'] + [name for name in calls if name in fetch]
        wanted = [n for n in wanted if n not in ('volumes', 'images') or conn.has_service({'volumes': 'block-storage', 'images': 'image'}[n])]
        if all_projects:
            wanted.append('projects')
        if self.get_option('hypervisors'):
            wanted.append('hypervisors')
        futures = {name: pool.submit(self._timed, region, name, calls[name]) for name in wanted}
        bodies, partial = {}, []
        for name, future in futures.items():
            try:
                bodies[name] = future.result()
            except Exception as exc:
                if name == 'servers':
                    raise
                reason = 'forbidden by the cloud\'s policy' if self._libs.is_forbidden(exc) else self._libs.describe_error(exc)
                partial.append('cannot list %s (%s)' % (name.replace('_', ' '), reason))
        servers, since, servers_note = bodies.pop('servers')
        if servers_note:
            partial.append(servers_note)
        hypervisors = bodies.pop('hypervisors', None)
        lookups = inv.Lookups(**bodies)
        records = inv.build_records(servers, lookups, region.name, region.region_name, project)
        out = {'cloud': region.name, 'region': region.region_name, 'project': project, 'records': records, 'hypervisors': hypervisors}
        if self.get_option('refresh_changes_since'):
            out.update(servers=servers, since=since)
        return out, partial

    def _timed(self, region, name, call):
        started = time.monotonic()
        result = call()
        count = len(result[0] if name == 'servers' else result)
        self.display.vvv('telco.nfvo.nfvi: %s/%s %s: %d in %.2f s' % (region.name, region.region_name, name, count, time.monotonic() - started))
        return result

    def _servers(self, api, all_projects, previous=None):
        """(servers, since, note): all servers, or the cached ones updated with Nova's changes-since answer (which
        includes deleted servers); `since` is the time to ask from next run, by Nova's clock, with a margin."""
        tags = ','.join(self.get_option('tags')) or None
        changes_since = previous.get('since') if previous else None
        note = None
        started = time.monotonic()
        try:
            servers, date = self._list_servers(api, all_projects, tags, changes_since)
        except Exception as exc:  # a policy refusal of all_tenants: the project's own servers; anything else is raised
            if not (all_projects and self._libs.is_forbidden(exc)):
                raise
            servers, date = self._list_servers(api, False, tags, changes_since)
            note = 'all_projects is forbidden by the cloud\'s policy: showing project %s only' % api.conn.current_project_id
        since = inv.since_from_date(date, time.monotonic() - started)
        if changes_since:
            self.display.vvv('telco.nfvo.nfvi: %s: %d server(s) changed since %s' % (api.conn.config.name, len(servers), changes_since))
            servers = inv.merge_changes(previous['servers'], servers)
        return servers, since, note

    def _list_servers(self, api, all_projects, tags, changes_since):
        """(servers, Date header of the first page: the cloud's clock)."""
        query = _query(**{'all_tenants': 1 if all_projects else None, 'tags': tags, 'changes-since': changes_since})
        seen = {}
        servers = api.list('compute', '/servers/detail' + query, 'servers', microversion=SERVER_MICROVERSION, seen=seen)
        return servers, seen.get('date')

    # ---- populating ----

    def _predicate(self):
        expression = self.get_option('filter')
        if not expression:
            return None
        try:
            compiled = jmespath.compile(expression)
        except Exception as exc:
            raise AnsibleParserError('telco.nfvo.nfvi: invalid filter %r: %s' % (expression, to_native(exc))) from exc
        return lambda record: bool(compiled.search(record))

    def _populate(self, data):
        records = [r for region in data['regions'] for r in region['records']]
        selected = inv.select(records, include_unmanaged=self.get_option('include_unmanaged'), ns=self.get_option('ns'),
                              vnf=self.get_option('vnf'), project=self.get_option('project'), predicate=self._predicate())
        strict = self.get_option('strict')
        compose, composed, keyed = self.get_option('compose'), self.get_option('groups'), self.get_option('keyed_groups')
        host_opts = {'cps': self.get_option('ansible_host_cp'), 'networks': self.get_option('ansible_host_network'),
                     'floating': self.get_option('ansible_host_floating'), 'ip_version': self.get_option('ansible_host_ip_version')}
        for name, record in inv.hostnames(selected, self.get_option('hostname')):
            self.inventory.add_host(name)
            for group in inv.groups_for(record):
                self.inventory.add_group(group)
                self.inventory.add_child(group, name)
            hostvars = {'nfvo': record['nfvo'], 'server': record['server']}
            address = inv.ansible_host(record, **host_opts)
            if address:
                hostvars['ansible_host'] = address
            for key, value in hostvars.items():
                self.inventory.set_variable(name, key, value)
            if not (compose or composed or keyed):
                continue
            try:
                self._set_composite_vars(compose, hostvars, name, strict=strict)
                self._add_host_to_composed_groups(composed, hostvars, name, strict=strict)
                self._add_host_to_keyed_groups(keyed, hostvars, name, strict=strict)
            except AnsibleError as exc:
                raise AnsibleParserError('telco.nfvo.nfvi: host %s: %s' % (name, to_native(exc))) from exc
        if self.get_option('hypervisors'):
            self.inventory.add_group('nfvi_hypervisors')
            for region in data['regions']:
                for hyp in region.get('hypervisors') or ():
                    if not hyp.get('name') or hyp['name'] in self.inventory.hosts:
                        continue
                    self.inventory.add_host(hyp['name'], group='nfvi_hypervisors')
                    for key, value in inv.hypervisor_hostvars(hyp, region['cloud'], region['region']).items():
                        self.inventory.set_variable(hyp['name'], key, value)
