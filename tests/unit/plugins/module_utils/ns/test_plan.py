"""ns/plan.py: the NS plan from the sample NSD, and the input errors refused before any write."""
import os

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError
from ansible_collections.telco.nfvo.plugins.module_utils.ns.model import member_counts, members
from ansible_collections.telco.nfvo.plugins.module_utils.ns.plan import plan_ns, resize
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_reader import read_nsd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))))
NSD = os.path.join(ROOT, 'tests', 'data', 'nsd', 'two_vnfs_one_vl', 'two_vnfs_one_vl.yaml')
HELLO = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'helloworld3')
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')


@pytest.fixture(scope='module')
def nsd():
    return read_nsd(NSD)[0]


def vnfs(**extra):
    out = {'db': {'package': HELLO}, 'web': {'package': HELLO}}
    out.update(extra)
    return out


def test_plan_wires_the_attached_cp_to_the_vl_and_orders_the_vnfs(nsd):
    plan = plan_ns('proj', 'shop', nsd, {'vnfs': vnfs(), 'cidr_pool': '10.9.0.0/16'})
    assert plan.ns_id == T.ns_instance_id('proj', 'shop') != T.vnf_instance_id('proj', 'shop')
    assert plan.batches == [['db'], ['web']] and plan.level_id == 'small' and plan.cidr_pool == ['10.9.0.0/16']
    db, web = plan.vnfs['db'], plan.vnfs['web']
    assert db.cp_links == {'CP1': 'ns_vl'} and web.depends_on == ['db'] and web.batch == 1
    assert db.req.vnf_name == 'shop-db' and db.req.ns_id == plan.ns_id and db.req.instantiation_level_id == 'instantiation_level_1'
    assert db.req.instance_id == T.vnf_instance_id('proj', 'shop-db')
    assert plan.vls['ns_vl'].net_name == 'nfvo-ns-shop-ns_vl' and plan.vls['ns_vl'].vl.cidr == '10.10.0.0/24'
    assert members({'tags': plan.anchor_tags()}) == ({'db': 0, 'web': 1}, ['ns_vl'])
    assert T.tag('role', 'ns-anchor') in plan.anchor_tags() and T.tag('ns_name', 'shop') in plan.anchor_tags()


def test_a_level_of_two_instances_plans_a_second_vnf_of_the_node(nsd):
    plan = plan_ns('proj', 'shop', nsd, {'vnfs': vnfs(), 'ns_instantiation_level_id': 'large'})
    assert plan.level_id == 'large' and plan.warnings == [] and plan.batches == [['db'], ['web', 'web-2']]
    second = plan.vnfs['web-2']
    assert (second.node, second.index, second.batch, second.depends_on, second.cp_links) == ('web', 2, 1, ['db'], {'CP1': 'ns_vl'})
    assert second.req.vnf_name == 'shop-web-2' == T.ns_vnf_name('shop', 'web', 2) and second.req is not plan.vnfs['web'].req
    assert second.req.instance_id == T.vnf_instance_id('proj', 'shop-web-2') and second.req.ns_id == plan.ns_id
    assert plan.counts() == {'db': 1, 'web': 2}
    assert members({'tags': plan.anchor_tags()}) == ({'db': 0, 'web': 1}, ['ns_vl'])
    assert T.multi_tag('member', 'web', 'vnf1x2') in plan.anchor_tags() and member_counts({'tags': plan.anchor_tags()}) == {'db': 1, 'web': 2}


def test_resize_adds_and_removes_instances_and_refuses_a_name_clash(nsd):
    plan = plan_ns('proj', 'shop', nsd, {'vnfs': vnfs(), 'counts': {'web': 3}})
    assert sorted(plan.vnfs) == ['db', 'web', 'web-2', 'web-3'] and plan.vnfs['web-3'].req.vnf_name == 'shop-web-3'
    resize('proj', plan, {'db': 1, 'web': 1})
    assert plan.batches == [['db'], ['web']] and sorted(plan.vnfs) == ['db', 'web']
    flavour = nsd.flavours['default']
    flavour.vnfs['web-2'] = flavour.vnfs['db']
    try:
        with pytest.raises(LcmError) as exc:
            resize('proj', plan, {'db': 1, 'web': 2})
    finally:
        del flavour.vnfs['web-2']
    assert str(exc.value) == 'VNF node web: its instance 2 would be named like VNF node web-2 of the NSD (shop-web-2): rename the node'


def test_package_reads_get_the_limits(nsd):
    seen = []
    plan_ns('proj', 'shop', nsd, {'vnfs': vnfs(), 'limits': {'depth': 50}},
            read=lambda path, limits=None: seen.append(limits) or read_package(path, limits=limits))
    assert seen == [{'depth': 50}, {'depth': 50}]
    with pytest.raises(LcmError) as exc:
        plan_ns('proj', 'shop', nsd, {'vnfs': vnfs(), 'limits': {'depth': 3}})
    assert str(exc.value).startswith('Cannot read VNF package %s of VNF node db: ' % HELLO) and '(limit depth=3)' in str(exc.value)


@pytest.mark.parametrize('params, message', [
    ({'vnfs': vnfs(cache={'package': HELLO})}, 'vnfs.cache: NSD 5b0c5d3e-8a8e-4c36-9d1a-2f0f3c1f0a01 flavour default has no VNF node'),
    ({'vnfs': {'db': {'package': HELLO}}}, 'VNF node web of the NSD has no package: give vnfs.web.package'),
    ({'vnfs': vnfs(web={'package': BASIC})}, 'VNF node web: package %s holds VNFD b1bb0ce7-ebca-4fa7-95ed-4840d7000000, the NSD names' % BASIC),
    ({'vnfs': vnfs(web={'package': HELLO, 'extra': 1})}, 'vnfs.web must be a dict of package, images'),
    ({'vnfs': vnfs(web={'package': HELLO, 'ext_virtual_links': {'CP1': 'net'}})}, 'VNF node web: CP CP1 is attached to NS virtual link ns_vl'),
    ({'vnfs': vnfs(), 'ns_flavour_id': 'big'}, "has no NS flavour 'big' (it has: default)"),
    ({'vnfs': vnfs(), 'ns_instantiation_level_id': 'huge'}, "has no NS instantiation level 'huge' (it has: large, small)"),
])
def test_input_errors_are_one_line(nsd, params, message):
    with pytest.raises(LcmError) as exc:
        plan_ns('proj', 'shop', nsd, params)
    assert message in str(exc.value) and '\n' not in str(exc.value)


def test_an_attachment_to_an_ext_cp_the_vnfd_lacks_is_refused(nsd):
    nsd.flavours['default'].vnfs['web'].attachments[0].requirement = 'virtual_link_mgmt'
    try:
        with pytest.raises(LcmError) as exc:
            plan_ns('proj', 'shop', nsd, {'vnfs': vnfs()})
    finally:
        nsd.flavours['default'].vnfs['web'].attachments[0].requirement = 'virtual_link_external'
    assert "VNF node web: its requirement 'virtual_link_mgmt' attaches to ns_vl, but VNFD" in str(exc.value)
    assert '(it has: virtual_link_external)' in str(exc.value)
