"""A stand-in for CloudApi that keeps Neutron, Nova and Cinder resources in memory and answers the calls of discovery,
the executor and the lock like the local cloud does (creates answered with the resource, a server create with its id
only, servers ACTIVE at once, ports attached to (and detached from) servers at once, a volume in-use once a server
boots from it, server group members, a rebuild done at once: the image and metadata replaced), for the tests that run
a whole operation without a cloud. ``refuse_tags``: collections whose creates refuse tags (HTTP 400), as the local cloud's networks and subnets do."""
import copy
import json
import re
import threading

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CreateTags

NEUTRON = {'networks': 'network', 'subnets': 'subnet', 'ports': 'port', 'security-groups': 'security_group'}


class Cloud:
    def __init__(self, flavors=(), images=(), networks=(), refuse_tags=()):
        self.items = {c: [] for c in ('networks', 'subnets', 'ports', 'security-groups', 'servers', 'volumes', 'os-server-groups')}
        self.items['networks'] = [dict(n, tags=[]) for n in networks]
        self.flavors, self.images, self.refuse_tags = list(flavors), list(images), set(refuse_tags)
        self.calls = []  # (method, path, params)
        self.create_tags = CreateTags()
        self._n = 0
        self._lock = threading.Lock()

    def _id(self, kind):
        self._n += 1
        return '%s-%d' % (kind, self._n)

    def _note(self, method, path, params=None):
        with self._lock:
            self.calls.append((method, path, params))

    def _find(self, coll, rid):
        found = [r for r in self.items[coll] if r['id'] == rid]
        if not found:
            raise CloudError('%s %s could not be found' % (coll, rid), status=404)
        return found[0]

    # --- writes ---------------------------------------------------------------------------------------------
    def post(self, service, path, body, **kw):
        self._note('POST', path)
        coll = path.strip('/')
        with self._lock:
            if coll == 'security-group-rules':
                return {'security_group_rules': []}
            if coll.endswith('/os-interface'):  # Nova attaches a port: bound to the server at once
                server = self._find('servers', coll.split('/')[1])
                port = self._find('ports', body['interfaceAttachment']['port_id'])
                port.update(device_id=server['id'], status='ACTIVE')
                return {'interfaceAttachment': {'port_id': port['id'], 'net_id': port['network_id']}}
            if coll.startswith('servers/') and coll.endswith('/action') and 'rebuild' in body:  # Nova rebuilds: same id and ports
                server = self._find('servers', coll.split('/')[1])
                server['image'] = {'id': body['rebuild']['imageRef']}
                if body['rebuild'].get('metadata') is not None:
                    server['metadata'] = dict(body['rebuild']['metadata'])
                return {'server': copy.deepcopy(server)}
            if coll == 'servers':
                return {'server': {'id': self._server(body['server'], body.get('os:scheduler_hints') or {})['id'], 'links': []}}
            if coll == 'os-server-groups':
                group = dict(body['server_group'], id=self._id('sg'), members=[])
                self.items[coll].append(group)
                return {'server_group': copy.deepcopy(group)}
            if coll == 'volumes':
                volume = dict(body['volume'], id=self._id('vol'), status='available', attachments=[])
                self.items[coll].append(volume)
                return {'volume': copy.deepcopy(volume)}
            single = NEUTRON[coll]
            bodies = body[single + 's'] if single + 's' in body else [body[single]]
            if coll in self.refuse_tags and any('tags' in b for b in bodies):
                raise CloudError("Unrecognized attribute(s) 'tags'", status=400)
            made = [self._neutron(coll, b) for b in bodies]
            return {single + 's': made} if single + 's' in body else {single: made[0]}

    def _neutron(self, coll, body):
        res = dict(body, id=self._id(coll[:3]), tags=list(body.get('tags') or []), revision_number=1, created_at='2026-12-01T00:00:%02dZ' % self._n)
        if coll == 'ports':
            subnet = next((s for s in self.items['subnets'] if s['network_id'] == body['network_id']), None)
            given = [dict(ip, subnet_id=ip.get('subnet_id') or (subnet or {}).get('id')) for ip in body.get('fixed_ips') or []]
            res.update(mac_address='fa:16:3e:00:00:%02x' % self._n, status='DOWN', device_id='',
                       fixed_ips=given or ([{'subnet_id': subnet['id'], 'ip_address': '10.0.0.%d' % self._n}] if subnet else []))
        self.items[coll].append(res)
        return copy.deepcopy(res)

    def _server(self, spec, hints):
        ports = [self._find('ports', n['port']) for n in spec.get('networks') or [] if isinstance(n, dict)]
        server = {'id': self._id('srv'), 'name': spec['name'], 'status': 'ACTIVE', 'OS-EXT-STS:task_state': None,
                  'OS-EXT-SRV-ATTR:host': 'compute1', 'OS-EXT-AZ:availability_zone': 'nova', 'flavor': {'original_name': spec['flavorRef']},
                  'metadata': dict(spec.get('metadata') or {}), 'tags': list(spec.get('tags') or []),
                  'image': {'id': spec['imageRef']} if spec.get('imageRef') else '',
                  'addresses': {p['network_id']: [{'addr': ip['ip_address']} for ip in p['fixed_ips']] for p in ports}}
        for port in ports:
            port.update(device_id=server['id'], status='ACTIVE')
        for bdm in spec.get('block_device_mapping_v2') or []:
            if bdm.get('source_type') == 'volume':
                self._find('volumes', bdm['uuid']).update(status='in-use', attachments=[{'server_id': server['id']}])
        if hints.get('group'):
            self._find('os-server-groups', hints['group'])['members'].append(server['id'])
        self.items['servers'].append(server)
        return server

    def put(self, service, path, body, headers=None, ok_missing=False, **kw):
        self._note('PUT', path)
        parts = path.strip('/').split('/')
        with self._lock:
            res = self._find(parts[0], parts[1])
            if parts[-1] == 'tags':
                res['tags'] = list(body['tags'])
                return {'tags': list(res['tags'])}
            res.update(body[NEUTRON[parts[0]]], revision_number=res['revision_number'] + 1)
            return {NEUTRON[parts[0]]: copy.deepcopy(res)}

    def delete(self, service, path, **kw):
        self._note('DELETE', path)
        parts = path.strip('/').split('/')
        with self._lock:
            if parts[-2:-1] == ['os-interface']:  # Nova detaches a port
                self._find('ports', parts[3]).update(device_id='', status='DOWN')
                return True
            before = len(self.items[parts[0]])
            self.items[parts[0]] = [r for r in self.items[parts[0]] if r['id'] != parts[1]]
            return len(self.items[parts[0]]) < before

    # --- reads ----------------------------------------------------------------------------------------------
    def get(self, service, path, params=None, ok_missing=False, **kw):
        self._note('GET', path, params)
        parts = path.strip('/').split('/')
        try:
            return {NEUTRON.get(parts[0], parts[0][:-1]): copy.deepcopy(self._find(parts[0], parts[1]))}
        except CloudError:
            if ok_missing:
                return None
            raise

    def list(self, service, path, key, params=None, **kw):
        self._note('LIST', path, params)
        params = params or {}
        if path == '/flavors/detail':
            return copy.deepcopy(self.flavors)
        if path == '/images':
            return [dict(i) for i in self.images if i['name'] == params.get('name')]  # none onboarded
        coll = path.strip('/').replace('/detail', '')
        with self._lock:
            items = copy.deepcopy(self.items[coll])
        if params.get('tags'):
            items = [r for r in items if set(params['tags'].split(',')) <= set(r.get('tags') or [])]
        if params.get('tags-any'):
            items = [r for r in items if set(params['tags-any'].split(',')) & set(r.get('tags') or [])]
        if params.get('metadata'):
            items = [r for r in items if json.loads(params['metadata']).items() <= (r.get('metadata') or {}).items()]
        if coll == 'servers' and params.get('name'):  # Nova: a regular expression, searched in the name
            items = [r for r in items if re.search(params['name'], r.get('name') or '')]
        for field in ('name', 'id') if coll != 'servers' else ('id',):
            if params.get(field):
                items = [r for r in items if r.get(field) == params[field]]
        return items

    def unanswered_create(self, kind, resource):
        """Nothing to bill here."""


class FailingVdu2(Cloud):
    """A Cloud whose Nova refuses VDU2's server (as a quota would): a change that fails half-way."""

    def post(self, service, path, body, **kw):
        if path == '/servers' and '-VDU2-' in body['server']['name']:
            self._note('POST', path)
            raise CloudError('Quota exceeded for instances (HTTP 403)', status=403)
        return super().post(service, path, body, **kw)
