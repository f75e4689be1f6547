"""What a VNF instance owns in the cloud, found by our marks: shared by the lifecycle tests."""
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

WRITES = ('POST', 'PUT', 'PATCH', 'DELETE')


def ok(res):
    """A module result that did not fail (its message shown if it did)."""
    assert not res.get('failed'), res.get('msg')
    return res


def writes(lines):
    """Write requests among logged HTTP request lines (the http_log fixture; getting a token is not a write)."""
    return [ln for ln in lines if ln.split()[0] in WRITES and '/auth/tokens' not in ln.split()[1]]


def vnf_tag(instance_id):
    return T.tag('vnf', instance_id)


def instance_id_of(sdk, name):
    """The instance id of VNF ``name`` in the project of ``sdk``."""
    return T.vnf_instance_id(sdk.current_project_id, name)


def owned(sdk, instance_id):
    """Everything in the cloud carrying the instance's tags (or its server-group name prefix)."""
    tag = vnf_tag(instance_id)
    return {
        'servers': [s for s in sdk.compute.servers(tags=tag) if s.status not in ('DELETED', 'SOFT_DELETED')],
        'ports': list(sdk.network.ports(tags=tag)),
        'networks': list(sdk.network.networks(tags=tag)),
        'subnets': list(sdk.network.subnets(tags=tag)),
        'security_groups': list(sdk.network.security_groups(tags=tag)),
        'volumes': [v for v in sdk.block_storage.volumes() if (v.metadata or {}).get('nfvo_vnf_instance_id') == instance_id],
        'server_groups': [g for g in sdk.compute.server_groups() if (g.name or '').startswith('nfvo-%s-' % instance_id)],
    }


def anchor_of(sdk, instance_id):
    """The instance record (its anchor security group)."""
    return next(g for g in owned(sdk, instance_id)['security_groups'] if 'nfvo:role=anchor' in g.tags)


def assert_nothing_left(sdk, instance_id):
    left = {k: [r.name or r.id for r in v] for k, v in owned(sdk, instance_id).items() if v}
    assert not left, 'left behind: %s' % left


def ns_left(sdk, name, members):
    """Everything of NS ``name`` in the cloud ({} when nothing): the resources of its VNF ``members`` (``<node>``,
    ``<node>-<k>``), its VL networks and subnets, its record."""
    left = {}
    for member in members:
        found = owned(sdk, T.vnf_instance_id(sdk.current_project_id, T.ns_vnf_name(name, member)))
        left.update({'%s %s' % (member, k): [r.name or r.id for r in v] for k, v in found.items() if v})
    tag = T.tag('ns', T.ns_instance_id(sdk.current_project_id, name))
    for what, items in (('networks', sdk.network.networks(tags=tag)), ('subnets', sdk.network.subnets(tags=tag)),
                        ('anchors', sdk.network.security_groups(name=T.ns_anchor_name(name)))):
        items = list(items)
        if items:
            left[what] = [r.name for r in items]
    return left
