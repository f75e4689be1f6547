"""What a VNF instance owns in the cloud, found by our marks: shared by the lifecycle tests."""


def vnf_tag(instance_id):
    return 'nfvo:vnf=%s' % instance_id


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
