"""ns/operations.py: the pure checks of the NS operations (which VNF nodes, dependencies, the record's members)."""
import os

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import member_counts, member_names, members
from ansible_collections.telco.nfvo.plugins.module_utils.ns.operations import check_add, check_nodes, check_remove, member_tags
from ansible_collections.telco.nfvo.plugins.module_utils.ns.plan import plan_ns
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_reader import read_nsd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))))
NSD = os.path.join(ROOT, 'tests', 'data', 'nsd', 'two_vnfs_one_vl', 'two_vnfs_one_vl.yaml')
HELLO = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'helloworld3')
BOTH = {'db': 0, 'web': 1}


@pytest.fixture(scope='module')
def flavour():
    return read_nsd(NSD)[0].flavours['default']


def test_check_nodes_names_the_unknown_node_and_the_known_ones():
    assert check_nodes('shop', BOTH, ['web', 'db', 'web'], 'heal') == ['db', 'web']
    with pytest.raises(LcmError, match=r"^Cannot scale NS shop: it has no VNF node 'cache' \(its VNF nodes: db, web\)$"):
        check_nodes('shop', BOTH, ['cache'], 'scale')


def test_remove_refuses_a_vnf_another_staying_depends_on(flavour):
    with pytest.raises(LcmError, match=r'^Cannot remove VNF db from NS shop: VNF web depends on it \(remove web too\)$'):
        check_remove('shop', flavour, BOTH, ['db'])
    assert check_remove('shop', flavour, BOTH, ['web']) == [['web']]
    assert check_remove('shop', flavour, BOTH, ['db', 'web']) == [['web'], ['db']]  # reverse deployment order
    with pytest.raises(LcmError, match="has no VNF node 'cache'"):
        check_remove('shop', flavour, BOTH, ['cache'])
    assert check_remove('shop', flavour, {'db': 0}, ['web']) == []  # not in the NS: nothing to remove


def test_add_needs_a_node_of_the_nsd_its_dependencies_and_its_vls(flavour):
    assert check_add('shop', flavour, {'db': 0}, ['ns_vl'], ['web']) == ['web']
    assert check_add('shop', flavour, {}, ['ns_vl'], ['web', 'db']) == ['db', 'web']
    with pytest.raises(LcmError, match=r'^Cannot add VNF web to NS shop: it depends on VNF db, which the NS does not have \(add it too\)$'):
        check_add('shop', flavour, {}, ['ns_vl'], ['web'])
    with pytest.raises(LcmError, match=r'^Cannot add VNF cache to NS shop: NSD flavour default has no VNF node of that name \(its VNF nodes: db, web\)$'):
        check_add('shop', flavour, {}, ['ns_vl'], ['cache'])
    with pytest.raises(LcmError, match='^Cannot add VNF db to NS shop: its NS virtual link ns_vl is not in the NS$'):
        check_add('shop', flavour, {}, [], ['db'])


def test_member_tags_replace_the_vnf_members_and_keep_the_rest():
    plan = plan_ns('proj', 'shop', read_nsd(NSD)[0], {'vnfs': {'db': {'package': HELLO}, 'web': {'package': HELLO}}})
    tags = plan.anchor_tags()
    after = member_tags(tags, {'db': 0})
    assert members({'tags': after}) == ({'db': 0}, ['ns_vl'])
    assert sorted(set(tags) - set(after)) == [T.multi_tag('member', 'web', 'vnf1')]
    assert sorted(member_tags(after, BOTH)) == sorted(tags)


def test_member_tags_carry_the_number_of_vnf_instances():
    plan = plan_ns('proj', 'shop', read_nsd(NSD)[0], {'vnfs': {'db': {'package': HELLO}, 'web': {'package': HELLO}},
                                                      'ns_instantiation_level_id': 'large'})
    tags = plan.anchor_tags()
    assert member_counts({'tags': tags}) == {'db': 1, 'web': 2}
    assert member_names({'tags': tags}) == {'db': 'db', 'web': 'web', 'web-2': 'web'}
    kept = member_tags(tags, BOTH)  # a count not given stays as recorded
    assert sorted(kept) == sorted(tags)
    assert member_counts({'tags': member_tags(tags, BOTH, {'web': 1})}) == {'db': 1, 'web': 1}
    assert members({'tags': [T.multi_tag('member', 'web', 'vnf1xx'), T.multi_tag('member', 'db', 'vnfa')]}) == ({}, [])


def test_plan_of_the_added_nodes_only():
    plan = plan_ns('proj', 'shop', read_nsd(NSD)[0], {'vnfs': {'web': {'package': HELLO}}, 'only_vnfs': ['web']})
    assert sorted(plan.vnfs) == ['web'] and plan.vnfs['web'].batch == 1 and plan.vnfs['web'].cp_links == {'CP1': 'ns_vl'}
