"""ns/links.py and ns/sol005.py: the VL plan (CIDR given or allocated from cidr_pool), drift and the SOL005 shapes."""
import pytest

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError
from ansible_collections.telco.nfvo.plugins.module_utils.ns import links
from ansible_collections.telco.nfvo.plugins.module_utils.ns import sol005 as S
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import NsPlan, NsSnapshot, VlPart, reverse_batches
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_model import NsVirtualLink


def plan(cidr=None, pool=()):
    p = NsPlan(ns_id='ns-1', name='shop', nsd_id='nsd', flavour_id='default', cidr_pool=list(pool))
    p.vls = {'a': VlPart('a', 'nfvo-ns-shop-a', NsVirtualLink(name='a', cidr=cidr, dhcp_enabled=True))}
    return p


def net(vl, nid='net-1'):
    return {'id': nid, 'name': 'nfvo-ns-shop-%s' % vl, 'tags': T.tags_for(ns='ns-1', vl=vl, role='ns-vl')}


def test_missing_vl_gets_network_and_subnet_with_its_cidr():
    out = links.plan_links(plan('10.10.0.0/24'), NsSnapshot('ns-1', 'shop'))
    net_a, sub_a = out.actions
    assert (net_a.kind, sub_a.kind) == ('network', 'subnet') and sub_a.deps == ['network/a']
    assert sub_a.spec == {'name': 'nfvo-ns-shop-a', 'network_id': {'$ref': 'network/a'}, 'cidr': '10.10.0.0/24', 'ip_version': 4, 'enable_dhcp': True}
    assert T.tag('role', 'ns-vl') in net_a.tags and T.tag('ns', 'ns-1') in sub_a.tags


def test_cidr_allocated_from_the_pool_next_to_used_subnets_and_existing_vl_untouched():
    snap = NsSnapshot('ns-1', 'shop', used_cidrs=['10.9.0.0/24'])
    [dummy, sub] = links.plan_links(plan(pool=['10.9.0.0/16']), snap).actions
    assert sub.spec['cidr'] == '10.9.1.0/24' and 'from cidr_pool' in sub.detail
    snap.networks, snap.subnets = [net('a')], [dict(net('a'), id='sub-1', cidr='10.9.1.0/24', network_id='net-1')]
    assert links.plan_links(plan(pool=['10.9.0.0/16']), snap).empty
    with pytest.raises(LcmError, match='NS virtual link a has no CIDR in the NSD: give cidr_pool'):
        links.plan_links(plan(), NsSnapshot('ns-1', 'shop'))


def test_drift_names_missing_vnfs_vls_and_vnfcs():
    anchor = {'id': 'sg', 'tags': T.tags_for(ns='ns-1', role='ns-anchor', ns_name='shop')
              + [T.multi_tag('member', 'db', 'vnf0'), T.multi_tag('member', 'web', 'vnf1'), T.multi_tag('member', 'a', 'vl')]}
    snap = NsSnapshot('ns-1', 'shop', anchors=[anchor])
    web = {'vnfInstanceName': 'shop-web', 'instantiationState': 'INSTANTIATED',
           'metadata': {'drift': [{'type': 'missing', 'resource': 'server VDU1-0', 'detail': 'x'}]}}
    items = S.ns_drift(snap, [web])
    expected = [('missing', 'VNF db'), ('missing', 'VNF web: server VDU1-0'), ('missing', 'NS virtual link a')]
    assert [(d['type'], d['resource']) for d in items] == expected
    inst = S.ns_instance(snap, [web], drift_items=items)
    assert inst['nsState'] == 'INSTANTIATED' and inst['metadata']['members'] == {'vnfs': {'db': 0, 'web': 1}, 'vls': ['a'], 'flavours': {}}
    assert reverse_batches({'db': 0, 'web': 1, 'cache': 1}) == [['cache', 'web'], ['db']]


def test_occurrence_shape():
    occ = S.ns_lcm_op_occ({'op_id': 'op', 'operation': 'INSTANTIATE', 'state': 'PARTIALLY_COMPLETED', 'ns_id': 'ns-1', 'start': 0, 'end': 1,
                           'vnfs': [('db', 'i1', 'vnfd', 'ADD', 'COMPLETED', 'o1')], 'vls': [('a', 'net-1', 'ADD')], 'error': 'VNF web: boom'})
    assert occ['operationState'] == 'PARTIALLY_COMPLETED' and occ['nsInstanceId'] == 'ns-1'
    assert occ['resourceChanges']['affectedVnfs'][0]['vnfLcmOpOccId'] == 'o1'
    assert occ['error']['detail'] == 'VNF web: boom' and 'partially completed' in occ['error']['title']
