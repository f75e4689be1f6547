# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lcm/change.py: the MODIFY_INFO and CHANGE_EXT_CONN plans (pure), and both operations run whole on the stand-in
cloud (cloud.py) from helloworld3 instantiated with CP1 on an external network: idempotent re-runs write nothing,
a failure is undone, every refusal is one line before any write."""
from __future__ import annotations

import copy

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError, LcmError, PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import model as M
from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.change import (
    ATTACH, DETACH, change_ext_conn, converge_changes, modify_info, plan_change_ext_conn, plan_modify_info, same_ips)
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import Converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.occurrences import continue_occurrence
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context, Options, discover_one
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import normalize_ext_virtual_links

from .cloud import Cloud
from .plans import FLAVORS, request

WRITES = ('POST', 'PUT', 'DELETE')
IID = T.vnf_instance_id('p1', 'web-1')
EXT2 = {'id': 'net-ext2', 'name': 'ext2', 'subnets': ['sub-ext2']}


def cloud(cls=Cloud):
    api = cls(flavors=FLAVORS, images=[{'id': 'img-cirros', 'name': 'cirros', 'status': 'active'}],
              networks=[{'id': 'net-ext', 'name': 'ext', 'subnets': []}, EXT2], refuse_tags={'networks', 'subnets'})
    api.items['subnets'].append({'id': 'sub-ext2', 'name': 'ext2', 'network_id': 'net-ext2', 'cidr': '198.51.100.0/24',
                                 'gateway_ip': '198.51.100.1', 'tags': []})
    return api


def context(api, **opts):
    return Context(api=api, opts=Options(**opts), project_id='p1', diff=True)


def instantiated(hello, api):
    req = request(hello, ext_links=normalize_ext_virtual_links({'CP1': 'ext'}))
    req.instance_id = IID
    result = Converge(context(api), hello, hello.vnfd.flavour('simple'), req).run()
    assert result.lcm_op_occ['operationState'] == 'COMPLETED', result.error
    return discover_one(api, IID, 'web-1')


def writes(api, since=0):
    return [(method, path) for method, path, dummy in api.calls[since:] if method in WRITES]


def ports_of(api, vnfc):
    return {T.parse_tags(p['tags']).get('cp'): p for p in api.items['ports'] if T.parse_tags(p['tags']).get('vnfc') == vnfc}


# ---------------------------------------------------------------------------------------------------------------
# MODIFY_INFO planning

def snap_with(tags=()):
    anchor = {'id': 'sg-1', 'name': 'nfvo-vnf-web-1', 'tags': ['nfvo:role=anchor', 'nfvo:vnf=i1', 'nfvo:vnfd=d'] + list(tags)}
    return M.Snapshot(instance_id='i1', vnf_name='web-1', anchors=[anchor])


def test_modify_info_writes_the_record_tags_and_the_same_values_are_an_empty_plan():
    snap = snap_with()
    plan = plan_modify_info(snap, {'vnfInstanceDescription': 'front end', 'metadata': {'owner': 'team-web', 'n': 1}})
    [action] = plan.actions
    assert (plan.operation, action.op, action.kind, action.resource_id) == ('MODIFY_INFO', M.UPDATE, 'anchor', 'sg-1')
    assert action.tags[:3] == snap.anchor['tags'] and T.only_info(action.tags)
    snap.anchor['tags'] = action.tags
    assert V.read_info(action.tags) == {'vnfInstanceDescription': 'front end', 'metadata': {'owner': 'team-web', 'n': 1}}
    assert plan_modify_info(snap, {'vnfInstanceDescription': 'front end', 'metadata': {'n': 1}}).empty  # merged: the same
    assert plan_modify_info(snap, {'vnfInstanceName': 'web-1'}).empty
    inst = V.vnf_instance(snap)
    assert inst['vnfInstanceDescription'] == 'front end' and inst['metadata']['owner'] == 'team-web'
    assert V.summary(snap)['metadata'] == {'owner': 'team-web', 'n': 1}


def test_modify_info_merges_metadata_and_extensions_and_null_removes_a_key():
    snap = snap_with()
    snap.anchor['tags'] = plan_modify_info(snap, {'metadata': {'a': 1, 'b': 2}, 'extensions': {'x': {'y': True}}}).actions[0].tags
    action = plan_modify_info(snap, {'metadata': {'a': None, 'c': 3}, 'vnfInstanceDescription': 'd'}).actions[0]
    assert V.read_info(action.tags) == {'metadata': {'b': 2, 'c': 3}, 'extensions': {'x': {'y': True}}, 'vnfInstanceDescription': 'd'}
    assert action.spec['info']['metadata'] == {'b': 2, 'c': 3}
    snap.anchor['tags'] = action.tags
    cleared = plan_modify_info(snap, {'metadata': {'b': None, 'c': None}, 'extensions': {'x': None}, 'vnfInstanceDescription': ''})
    assert T.only_info(cleared.actions[0].tags) == [] and V.read_info(cleared.actions[0].tags) == {}


def test_a_long_text_takes_several_tags_and_reads_back():
    text = 'x' * 600
    tags = T.info_tags(text)
    assert len(tags) == 3 and all(len(t) <= 255 for t in tags) and T.parse_info(list(reversed(tags))) == text


@pytest.mark.parametrize('changes, words', [
    ({'vnfInstanceName': 'web-2'}, "VNF web-1: vnfInstanceName cannot change to 'web-2': the name is the VNF's identity"),
    ({'metadata': {'lock': 1}}, "VNF web-1: metadata key(s) lock are the collection's own"),
    ({'metadata': 'x'}, 'metadata must be a dict'),
    ({'extensions': {'big': 'y' * 13000}}, 'VNF web-1: the description, metadata and extensions take'),
])
def test_modify_info_refusals_are_one_line(changes, words):
    with pytest.raises(PlanError) as err:
        plan_modify_info(snap_with(), changes)
    assert str(err.value).startswith(words) and '\n' not in str(err.value)


def test_converge_keeps_the_info_tags_of_the_record(hello):
    api = cloud()
    snap = instantiated(hello, api)
    result = modify_info(context(api), 'web-1', {'metadata': {'owner': 'me'}})
    assert result.lcm_op_occ['operation'] == 'MODIFY_INFO' and result.lcm_op_occ['changedInfo'] == {'metadata': {'owner': 'me'}}
    req = request(hello, ext_links=normalize_ext_virtual_links({'CP1': 'ext'}))
    req.instance_id = IID
    mark = len(api.calls)
    again = Converge(context(api), hello, hello.vnfd.flavour('simple'), req).run()
    assert not again.changed and writes(api, mark) == [] and again.vnf_instance['metadata']['owner'] == 'me'
    assert snap.anchor['id'] == again.vnf_instance['metadata']['record']


# ---------------------------------------------------------------------------------------------------------------
# CHANGE_EXT_CONN planning

def test_same_ips():
    have = [{'subnet_id': 's1', 'ip_address': '10.0.0.5'}]
    assert same_ips(have, [{'ip_address': '10.0.0.5'}]) and same_ips(have, [{'subnet_id': 's1'}])
    assert not same_ips(have, [{'ip_address': '10.0.0.6'}]) and not same_ips(have, [{'ip_address': '10.0.0.5'}, {'subnet_id': 's1'}])


def test_another_network_is_a_new_port_attached_then_the_old_one_detached_and_deleted(hello):
    snap = instantiated(hello, cloud())
    snap.ext_networks = {'ext2': EXT2}
    old = next(p for p in snap.ports if T.parse_tags(p['tags']).get('cp') == 'CP1')
    server = next(s for s in snap.servers if T.parse_metadata(s['metadata'])['vnfc'] == 'VDU1-0')
    plan = plan_change_ext_conn(snap, normalize_ext_virtual_links({'CP1': {'network': 'ext2', 'fixed_ips': ['198.51.100.20']}}))
    steps = {(a.op, a.key): a for a in plan.actions}
    assert sorted(steps) == [(ATTACH, 'port/VDU1-0/CP1#new'), (M.CREATE, 'port/VDU1-0/CP1#new'),
                             (M.DELETE, 'port/VDU1-0/CP1#old0'), (DETACH, 'port/VDU1-0/CP1#old0')]
    new = steps[(M.CREATE, 'port/VDU1-0/CP1#new')]
    assert new.spec['network_id'] == 'net-ext2' and new.spec['fixed_ips'] == [{'ip_address': '198.51.100.20'}]
    assert new.name == old['name'] and sorted(new.tags) == sorted(old['tags'])
    attach = steps[(ATTACH, 'port/VDU1-0/CP1#new')]
    assert attach.resource_id == server['id'] and attach.spec == {'port_id': M.ref('port/VDU1-0/CP1#new')}
    detach = steps[(DETACH, 'port/VDU1-0/CP1#old0')]
    assert detach.resource_id == old['id'] and detach.deps == ['port/VDU1-0/CP1#new']
    assert steps[(M.DELETE, 'port/VDU1-0/CP1#old0')].deps == ['port/VDU1-0/CP1#old0', 'port/VDU1-0/CP1#new']
    assert not any(a.kind == 'server' for a in plan.actions)  # servers are never rebuilt


def test_the_same_network_is_one_port_update_and_where_it_is_already_nothing(hello):
    snap = instantiated(hello, cloud())
    old = next(p for p in snap.ports if T.parse_tags(p['tags']).get('cp') == 'CP1')
    snap.ext_networks = {'ext': {'id': old['network_id'], 'name': 'ext'}}
    old['fixed_ips'] = [{'subnet_id': 'sub-ext', 'ip_address': '10.0.0.5'}]
    assert plan_change_ext_conn(snap, normalize_ext_virtual_links({'CP1': 'ext'})).empty
    here = old['fixed_ips'][0]['ip_address']
    assert plan_change_ext_conn(snap, normalize_ext_virtual_links({'CP1': {'network': 'ext', 'fixed_ips': [here]}})).empty
    [update] = plan_change_ext_conn(snap, normalize_ext_virtual_links({'CP1': {'network': 'ext', 'fixed_ips': ['10.0.0.99']}})).actions
    assert (update.op, update.kind, update.resource_id, update.spec) == (M.UPDATE, 'port', old['id'], {'fixed_ips': [{'ip_address': '10.0.0.99'}]})


def test_a_half_done_replacement_goes_on_from_what_it_finds(hello):
    """A kept failure left the new port made but not attached, the old one still attached: attach, detach, delete."""
    snap = instantiated(hello, cloud())
    snap.ext_networks = {'ext2': EXT2}
    old = next(p for p in snap.ports if T.parse_tags(p['tags']).get('cp') == 'CP1')
    snap.ports.append(dict(copy.deepcopy(old), id='port-new', network_id='net-ext2', device_id=''))
    plan = plan_change_ext_conn(snap, normalize_ext_virtual_links({'CP1': 'ext2'}))
    assert sorted((a.op, a.key, a.resource_id) for a in plan.actions) == [
        (ATTACH, 'port/VDU1-0/CP1', old['device_id']), (M.DELETE, 'port/VDU1-0/CP1#old0', old['id']),
        (DETACH, 'port/VDU1-0/CP1#old0', old['id'])]


@pytest.mark.parametrize('links, words', [
    ({'CP9': 'ext2'}, "VNF web-1 has no external CP 'CP9' (its external CPs: CP1)"),
    ({'CP2': 'ext2'}, 'VNF web-1: CP CP2 is on its internal virtual link'),
    ({'CP1': 'nowhere'}, "network 'nowhere' of ext_virtual_links (CP CP1) is not in the cloud"),
    ([{'resource_id': 'ext2', 'ext_cps': [{'cpd_id': 'CP1', 'cp_config': [{'fixed_ips': ['198.51.100.20']}, {'fixed_ips': ['198.51.100.21']}]}]}],
     'ext_virtual_links CP CP1 has 2 cp_config entries, but VNF web-1 has 1 VNFC(s) with that CP'),
])
def test_change_ext_conn_refusals_are_one_line(hello, links, words):
    snap = instantiated(hello, cloud())
    snap.ext_networks = {'ext2': EXT2, 'nowhere': None}
    with pytest.raises(PlanError) as err:
        plan_change_ext_conn(snap, normalize_ext_virtual_links(links))
    assert str(err.value).startswith(words) and '\n' not in str(err.value)


# ---------------------------------------------------------------------------------------------------------------
# whole operations on the stand-in cloud

def test_change_ext_conn_moves_the_cp_keeps_the_server_and_other_ports_and_a_rerun_writes_nothing(hello):
    api = cloud()
    instantiated(hello, api)
    server_before = ports_of(api, 'VDU1-0')['CP1']['device_id']
    others = {cp: p['id'] for cp, p in ports_of(api, 'VDU1-0').items() if cp != 'CP1'}
    old_cp1 = ports_of(api, 'VDU1-0')['CP1']['id']
    links = {'CP1': {'network': 'ext2', 'fixed_ips': ['198.51.100.20']}}
    mark = len(api.calls)
    preview = change_ext_conn(context(api, check_mode=True), 'web-1', {'ext_virtual_links': links})
    assert preview.changed and [a['action'] for a in preview.plan] == ['create', ATTACH, DETACH, 'delete'] and writes(api, mark) == []
    assert preview.diff['before']['extCps']['VDU1-0-CP1']['network'] == 'net-ext'
    assert preview.diff['after']['extCps']['VDU1-0-CP1'] == {'network': 'net-ext2', 'fixedIps': ['198.51.100.20']}
    result = change_ext_conn(context(api), 'web-1', {'ext_virtual_links': links})
    assert result.diff['after']['extCps'] == preview.diff['after']['extCps']
    occ = result.lcm_op_occ
    assert (occ['operation'], occ['operationState']) == ('CHANGE_EXT_CONN', 'COMPLETED'), result.error
    assert [(v['id'], v['changeType']) for v in occ['resourceChanges']['affectedVnfcs']] == [('VDU1-0', 'MODIFIED')]
    now = ports_of(api, 'VDU1-0')
    assert now['CP1']['network_id'] == 'net-ext2' and now['CP1']['fixed_ips'][0]['ip_address'] == '198.51.100.20'
    assert now['CP1']['device_id'] == server_before and old_cp1 not in [p['id'] for p in api.items['ports']]
    assert {cp: p['id'] for cp, p in now.items() if cp != 'CP1'} == others
    assert occ['changedExtConnectivity'][0]['extLinkPorts'][0]['id'] == now['CP1']['id']
    mark = len(api.calls)
    again = change_ext_conn(context(api), 'web-1', {'ext_virtual_links': links})
    assert not again.changed and writes(api, mark) == []
    # declaratively (vnf): the same links converge to nothing, another address is one port update
    first = change_ext_conn(context(api), 'web-1', {'ext_virtual_links': {'CP1': 'ext2'}})
    assert not first.changed
    out = converge_changes(context(api), first, {'name': 'web-1', 'ext_virtual_links': {'CP1': {'network': 'ext2', 'fixed_ips': ['198.51.100.21']}},
                                                 'vnf_instance_description': 'moved'})
    assert out.lcm_op_occ['operation'] == 'MODIFY_INFO' and out.vnf_instance['vnfInstanceDescription'] == 'moved'
    assert ports_of(api, 'VDU1-0')['CP1']['fixed_ips'] == [{'ip_address': '198.51.100.21'}]
    assert ports_of(api, 'VDU1-0')['CP1']['id'] == now['CP1']['id']


class FailingAttach(Cloud):
    def post(self, service, path, body, **kw):
        if path.endswith('/os-interface'):
            self._note('POST', path)
            raise CloudError('Port is in use (HTTP 409)', status=409)
        return super().post(service, path, body, **kw)


def test_a_failed_change_is_undone_and_kept_when_asked(hello):
    api = cloud(FailingAttach)
    instantiated(hello, api)
    before = copy.deepcopy(sorted(api.items['ports'], key=lambda p: p['id']))
    links = {'CP1': 'ext2'}
    result = change_ext_conn(context(api), 'web-1', {'ext_virtual_links': links})
    assert result.lcm_op_occ['operationState'] == 'ROLLED_BACK'
    assert result.error.startswith('Failed to attach port CP1 of VDU1-0 (VNF web-1): Port is in use')
    assert sorted(api.items['ports'], key=lambda p: p['id']) == before  # the new port deleted, the old one untouched
    kept = change_ext_conn(context(api, on_failure='keep'), 'web-1', {'ext_virtual_links': links})
    assert kept.lcm_op_occ['operationState'] == 'FAILED_TEMP'
    assert len([p for p in api.items['ports'] if T.parse_tags(p['tags']).get('cp') == 'CP1']) == 2
    rec = V.read_record(discover_one(api, IID, 'web-1').anchor)
    assert rec['op']['type'] == 'CHANGE_EXT_CONN' and rec['op']['state'] == 'FAILED_TEMP'
    # the cloud works again: a retry (vnf_lcm_op_occ) goes on from the kept port (attach it, detach and delete the old one)
    api.__class__ = Cloud
    retry = {'id': kept.lcm_op_occ['id'], 'action': 'retry'}
    with pytest.raises(LcmError) as err:
        continue_occurrence(context(api), retry)
    assert 'a retry needs ext_virtual_links, as the failed task gave them' in str(err.value)
    done = continue_occurrence(context(api), dict(retry, ext_virtual_links=links))
    assert (done.lcm_op_occ['id'], done.lcm_op_occ['operationState']) == (kept.lcm_op_occ['id'], 'COMPLETED'), done.error
    cp1 = [p for p in api.items['ports'] if T.parse_tags(p['tags']).get('cp') == 'CP1']
    assert [p['network_id'] for p in cp1] == ['net-ext2'] and cp1[0]['device_id']


def test_another_flavour_the_vnfd_lacks_is_refused_naming_its_flavours(hello):
    api = cloud()
    snap = instantiated(hello, api)
    req = request(hello)
    req.flavour_id = 'other'
    with pytest.raises(PlanError) as err:
        plan_converge(hello.vnfd, hello.vnfd.flavour('simple'), req, snap)
    assert "VNF web-1 cannot change to flavour 'other': it is not defined in VNFD" in str(err.value) and '(flavours: simple)' in str(err.value)
