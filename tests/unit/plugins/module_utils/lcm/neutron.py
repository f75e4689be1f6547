"""A stand-in for CloudApi that answers the anchor (security group) calls like Neutron, for the lcm flow tests."""
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError


class Neutron:
    """Security groups in a dict; every call noted in ``calls`` as (method, path). ``refuse``: the HTTP status
    of a PUT that fails (412 = If-Match lost); ``others``: anchors another run made with the same name; ``raced``:
    another update committed just before each PUT, which Neutron then applies without its If-Match (revision +2)."""

    def __init__(self, groups=(), refuse=None, others=(), raced=False):
        self.groups = {g['id']: dict(g) for g in groups}
        self.refuse, self.others, self.raced = refuse, list(others), raced
        self.calls = []

    def post(self, service, path, body, **kw):
        self.calls.append(('POST', path))
        group = dict(body['security_group'], id='sg-new', revision_number=1, tags=[])
        self.groups[group['id']] = group
        return {'security_group': group}

    def put(self, service, path, body, headers=None, ok_missing=False, **kw):
        self.calls.append(('PUT', path) + ((headers['If-Match'],) if headers else ()))
        if self.refuse:
            raise CloudError('precondition failed', status=self.refuse)
        group = self.groups[path.split('/')[2]]
        if path.endswith('/tags'):
            group['tags'] = list(body['tags'])
            return {'tags': group['tags']}
        group.update(body['security_group'], revision_number=group['revision_number'] + (2 if self.raced else 1))
        return {'security_group': dict(group)}

    def get(self, service, path, ok_missing=False, **kw):
        self.calls.append(('GET', path))
        group = self.groups.get(path.split('/')[2])
        return {'security_group': group} if group else None

    def delete(self, service, path, **kw):
        self.calls.append(('DELETE', path))
        self.groups.pop(path.split('/')[2], None)

    def list(self, service, path, key, params=None, **kw):
        self.calls.append(('LIST', path))
        if path == '/security-groups' and 'tags' not in (params or {}):
            return list(self.groups.values()) + self.others
        return []
