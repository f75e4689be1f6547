"""ns/sol005.py: nsScaleStatus and the VNF instances per node of an NS record, and the drift of each VNF instance."""
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import NsSnapshot
from ansible_collections.telco.nfvo.plugins.module_utils.ns.sol005 import ns_drift, ns_instance


def snap():
    tags = T.tags_for(ns='ns-1', role='ns-anchor', level='small', ns_name='shop')
    tags += [T.multi_tag('member', 'db', 'vnf0'), T.multi_tag('member', 'web', 'vnf1x2'), T.multi_tag('scale', 'web_scale', 1)]
    return NsSnapshot(ns_id='ns-1', name='shop', anchors=[{'id': 'sg', 'tags': tags, 'description': ''}])


def vnf(name, drift=()):
    return {'vnfInstanceName': name, 'instantiationState': 'INSTANTIATED', 'metadata': {'drift': list(drift)}}


def test_the_ns_instance_shows_its_scale_status_and_instances_per_node():
    got = ns_instance(snap(), [])
    assert got['nsScaleStatus'] == [{'nsScalingAspectId': 'web_scale', 'nsScaleLevelId': '1'}]
    assert got['metadata']['vnfInstances'] == {'db': 1, 'web': 2} and got['metadata']['members']['vnfs'] == {'db': 0, 'web': 1}


def test_each_vnf_instance_of_a_node_is_expected():
    items = ns_drift(snap(), [vnf('shop-db'), vnf('shop-web', [{'type': 'missing', 'resource': 'server VDU1-0'}])])
    assert [(i['type'], i['resource']) for i in items] == [('missing', 'VNF web: server VDU1-0'), ('missing', 'VNF web-2')]
    assert items[1]['detail'] == 'VNF instance shop-web-2 is not in the cloud' and items[0]['vnf'] == 'web'
