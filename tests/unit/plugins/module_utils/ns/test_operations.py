"""ns/operations.py: the pure checks of the NS operations (which VNF nodes, dependencies, the record's members), and
UPDATE CHANGE_VNF_DF run whole on the lcm stand-in cloud (tests/data/nsd/two_flavours: one two_flavours VNF)."""
import dataclasses
import json
import os

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context, Options
from ansible_collections.telco.nfvo.plugins.module_utils.ns.lifecycle import instantiate
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import member_counts, member_names, members, recorded_dfs
from ansible_collections.telco.nfvo.plugins.module_utils.ns.operations import (
    Record, change_vnf_df, check_add, check_change_df, check_df_target, check_nodes, check_remove, df_of, member_tags,
)
from ansible_collections.telco.nfvo.plugins.module_utils.ns.plan import plan_ns
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_model import Attachment
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_reader import read_nsd
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

from lcm.cloud import Cloud, FailingVdu2  # the lcm tests' stand-in cloud (tests/unit/plugins/module_utils is on the path)
from lcm.plans import FLAVORS

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


# ---------------------------------------------------------------------------------------------------------------
# UPDATE CHANGE_VNF_DF: the checks, and the whole operation on the stand-in cloud (lcm/cloud.py)

TWO_NSD = os.path.join(ROOT, 'tests', 'data', 'nsd', 'two_flavours', 'two_flavours_ns.yaml')
TWO = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'two_flavours')
TWO_IMAGES = {'cirros-0.5.2-x86_64-disk': 'cirros'}


@pytest.fixture(scope='module')
def two_nsd():
    return read_nsd(TWO_NSD)[0]


def test_change_df_checks_the_nodes_of_the_ns_once_each(two_nsd):
    flavour = two_nsd.flavours['default']
    assert check_change_df('shop', flavour, {'app': 0}, [{'vnf_node': 'app', 'new_flavour_id': 'big'}]) == {'app': ('big', None)}
    with pytest.raises(LcmError, match=r"^Cannot change VNF flavours of NS shop: it has no VNF node 'cache' \(its VNF nodes: app\)$"):
        check_change_df('shop', flavour, {'app': 0}, [{'vnf_node': 'cache', 'new_flavour_id': 'big'}])
    with pytest.raises(LcmError, match='^Cannot change VNF flavours of NS shop: VNF node app is given twice$'):
        check_change_df('shop', flavour, {'app': 0}, [{'vnf_node': 'app', 'new_flavour_id': 'big'}] * 2)


def test_change_df_target_a_flavour_or_level_the_vnfd_lacks_or_a_lost_ext_cp_names_the_ns_and_node(two_nsd):
    pkg = read_package(TWO)
    node = two_nsd.flavours['default'].vnfs['app']
    assert check_df_target('shop', node, pkg, 'big', 'biggest_level').flavour_id == 'big'
    with pytest.raises(LcmError, match=r"^Cannot change VNF flavours of NS shop: VNF node app: VNFD \S+ has no flavour 'huge' \(it has: big, small\)$"):
        check_df_target('shop', node, pkg, 'huge', None)
    with pytest.raises(LcmError, match=r"^Cannot change VNF flavours of NS shop: VNF node app: VNFD \S+ flavour big has no instantiation level 'small_level' "
                                       r"\(it has: big_level, biggest_level, too_big_level\)$"):
        check_df_target('shop', node, pkg, 'big', 'small_level')
    attached = dataclasses.replace(node, attachments=[Attachment('virtual_link_external', 'ns_vl', 'virtual_link')])
    with pytest.raises(LcmError, match="^Cannot change VNF flavours of NS shop: VNF node app: the NSD attaches its requirement 'virtual_link_external' "
                                       "to ns_vl, but VNFD .* flavour big has no external CP of that name"):
        check_df_target('shop', attached, pkg, 'big', None)
    assert df_of(node, 'small', None) is None and df_of(node, 'big', None) == ('big', None) and df_of(node, 'small', 'x') == ('small', 'x')


def test_the_record_holds_the_flavours_of_the_done_nodes_and_drops_a_removed_node():
    tags = [T.multi_tag('member', 'db', 'vnf0'), T.multi_tag('member', 'web', 'vnf1'), T.multi_tag('vnf_df', 'web', 'big')]
    assert recorded_dfs({'tags': tags}) == {'web': ('big', None)}
    after = Record(BOTH, dfs={'db': ('big', 'big_level'), 'web': None})
    assert recorded_dfs({'tags': after.tags(tags)}) == {'db': ('big', 'big_level')}
    assert recorded_dfs({'tags': after.tags(tags, done={'db'}, whole=False)}) == {'db': ('big', 'big_level'), 'web': ('big', None)}
    assert recorded_dfs({'tags': Record({'db': 0}).tags(tags)}) == {}  # web removed: its flavour goes with it


def change_flavour_cloud():
    """The stand-in cloud of lcm/test_change_flavour.py: flavors for small's and big's VDUs, the cirros image."""
    return Cloud(flavors=FLAVORS + [{'id': 'f-1-640-3', 'name': 'vnf.medium', 'vcpus': 1, 'ram': 640, 'disk': 3}],
                 images=[{'id': 'img-cirros', 'name': 'cirros', 'status': 'active'}], refuse_tags={'networks', 'subnets'})


def ns_context(api, check=False):
    return Context(api=api, opts=Options(check_mode=check), project_id='p1', diff=True)


def writes(api, since=0):
    return [(m, path) for m, path, dummy in api.calls[since:] if m in ('POST', 'PUT', 'DELETE')]


def app_record(api):
    anchor = next(a for a in api.items['security-groups'] if T.parse_tags(a['tags']).get('vnf_name') == 'shop-app'
                  and T.parse_tags(a['tags']).get('role') == 'anchor')
    return T.parse_tags(anchor['tags'])


def ns_tags(api):
    return next(a for a in api.items['security-groups'] if T.parse_tags(a['tags']).get('role') == 'ns-anchor')['tags']


def test_change_vnf_df_there_and_back_idempotent_and_kept_by_ns(two_nsd):
    api = change_flavour_cloud()
    vnfs = {'app': {'package': TWO, 'images': TWO_IMAGES}}
    res = instantiate(ns_context(api), plan_ns('p1', 'shop', two_nsd, {'vnfs': vnfs}))
    assert res.ns_lcm_op_occ['operationState'] == 'COMPLETED', res.error
    assert app_record(api)['flavour'] == 'small' and len(api.items['servers']) == 1
    p = {'vnfs': vnfs, 'change_vnf_flavour_data': [{'vnf_node': 'app', 'new_flavour_id': 'big'}]}

    # refusals: one line naming the NS and the node, no write
    mark = len(api.calls)
    bad = dict(p, change_vnf_flavour_data=[{'vnf_node': 'app', 'new_flavour_id': 'huge'}])
    with pytest.raises(LcmError, match="^Cannot change VNF flavours of NS shop: VNF node app: VNFD .* has no flavour 'huge'"):
        change_vnf_df(ns_context(api), 'shop', two_nsd, bad)
    with pytest.raises(LcmError, match='^NS shop is instantiated from NSD 8c1e4f70-.*; the NSD given is 5b0c5d3e'):
        change_vnf_df(ns_context(api), 'shop', read_nsd(NSD)[0], p)
    with pytest.raises(LcmError, match='^Cannot change VNF flavours of NS shop: VNF node app of the NSD has no package: give vnfs.app.package$'):
        change_vnf_df(ns_context(api), 'shop', two_nsd, dict(p, vnfs={}))
    assert writes(api, mark) == []

    # check mode: the plan of the VNF's flavour change, no write
    res = change_vnf_df(ns_context(api, check=True), 'shop', two_nsd, p)
    assert res.changed and sorted(a['key'] for a in res.plan if a['action'] == 'create' and a['kind'] == 'server') == ['server/VDU1-1', 'server/VDU2-0']
    assert {a['vnf'] for a in res.plan} == {'app'} and writes(api, mark) == []
    assert res.diff['before']['vnfs']['app']['flavourId'] == 'small' and res.diff['after']['vnfs']['app']['flavourId'] == 'big'

    # small -> big: the VNF's own CHANGE_FLAVOUR, the NS UPDATE occurrence, the record holds big
    res = change_vnf_df(ns_context(api), 'shop', two_nsd, p)
    occ = res.ns_lcm_op_occ
    assert (occ['lcmOperationType'], occ['operationState'], occ['operationParams']['updateType']) == ('UPDATE', 'COMPLETED', 'CHANGE_VNF_DF'), occ
    assert occ['operationParams']['changeVnfFlavourData'] == [{'vnfInstanceId': T.vnf_instance_id('p1', 'shop-app'), 'newFlavourId': 'big'}]
    [vnf] = occ['resourceChanges']['affectedVnfs']
    assert (vnf['vnfProfileId'], vnf['changeType'], vnf['changeResult']) == ('app', 'MODIFY', 'COMPLETED') and vnf['vnfLcmOpOccId']
    assert app_record(api)['flavour'] == 'big' and len(api.items['servers']) == 3
    assert recorded_dfs({'tags': ns_tags(api)}) == {'app': ('big', None)}
    assert res.ns_instance['metadata']['members']['flavours'] == {'app': 'big'}
    assert [v['instantiatedVnfInfo']['flavourId'] for v in res.ns_instance['vnfInstance']] == ['big']

    # again: unchanged, zero writes; ns run again (no flavour_id given) keeps big, zero writes
    mark = len(api.calls)
    assert change_vnf_df(ns_context(api), 'shop', two_nsd, p).changed is False
    assert instantiate(ns_context(api), plan_ns('p1', 'shop', two_nsd, {'vnfs': vnfs})).changed is False
    assert writes(api, mark) == []

    # back declaratively: ns with vnfs.app.flavour_id small converges (CHANGE_FLAVOUR), the record forgets big
    res = instantiate(ns_context(api), plan_ns('p1', 'shop', two_nsd, {'vnfs': {'app': dict(vnfs['app'], flavour_id='small')}}))
    assert res.ns_lcm_op_occ['operationState'] == 'COMPLETED', res.error
    assert app_record(api)['flavour'] == 'small' and len(api.items['servers']) == 1 and recorded_dfs({'tags': ns_tags(api)}) == {}
    mark = len(api.calls)
    assert instantiate(ns_context(api), plan_ns('p1', 'shop', two_nsd, {'vnfs': vnfs})).changed is False
    assert writes(api, mark) == []


def test_a_failed_vnf_change_is_rolled_back_by_its_own_occurrence_and_the_ns_one_is_failed_temp(two_nsd):
    api = change_flavour_cloud()
    vnfs = {'app': {'package': TWO, 'images': TWO_IMAGES}}
    instantiate(ns_context(api), plan_ns('p1', 'shop', two_nsd, {'vnfs': vnfs}))
    tags = sorted(ns_tags(api))
    servers = sorted(s['id'] for s in api.items['servers'])
    api.__class__ = FailingVdu2
    res = change_vnf_df(ns_context(api), 'shop', two_nsd, {'vnfs': vnfs, 'change_vnf_flavour_data': [{'vnf_node': 'app', 'new_flavour_id': 'big'}]})
    occ = res.ns_lcm_op_occ
    assert (occ['operationState'], occ['resourceChanges']['affectedVnfs'][0]['changeResult']) == ('FAILED_TEMP', 'FAILED'), occ
    assert res.error.startswith('VNF app: ') and 'Quota exceeded for instances' in res.error and '\n' not in res.error
    assert app_record(api)['flavour'] == 'small' and sorted(s['id'] for s in api.items['servers']) == servers  # the VNF's creates rolled back
    vnf_occ = json.loads(next(a for a in api.items['security-groups'] if T.parse_tags(a['tags']).get('vnf_name') == 'shop-app')['description'])['op']
    assert (vnf_occ['type'], vnf_occ['state']) == ('CHANGE_FLAVOUR', 'ROLLED_BACK'), vnf_occ
    assert sorted(t for t in ns_tags(api)) == tags  # the record keeps small
