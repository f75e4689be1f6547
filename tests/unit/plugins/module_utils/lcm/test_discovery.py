# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lcm/discovery.py's ``snapshot_after``: the record a converge returns, built from the snapshot before and what the
run made, is the one a fresh discovery gives (``vnf_info``), for the sample packages run whole through a stand-in
cloud (tests/unit/.../lcm/cloud.py); and it lists again only what the answers cannot tell."""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.lcm import sol003 as V
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import Converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context, Options, discover_one
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import normalize_ext_virtual_links

from .cloud import Cloud
from .plans import FLAVORS, request

WRITES = ('POST', 'PUT', 'DELETE')


def cloud():
    return Cloud(flavors=FLAVORS, images=[{'id': 'img-cirros', 'name': 'cirros', 'status': 'active'}],
                 networks=[{'id': 'net-ext', 'name': 'ext'}], refuse_tags={'networks', 'subnets'})


def converge(pkg, api, **kw):
    ctx = Context(api=api, opts=Options(), project_id='p1')
    return Converge(ctx, pkg, pkg.vnfd.flavour('simple'), request(pkg, **kw)).run()


def lists_after_last_write(api):
    last = max(i for i, call in enumerate(api.calls) if call[0] in WRITES)
    return sorted(path for method, path, dummy in api.calls[last + 1:] if method == 'LIST')


def fresh(api):
    return V.vnf_instance(discover_one(api, 'iid-1', 'web-1'))


def test_the_record_of_an_instantiate_is_the_one_vnf_info_gives(hello):
    api = cloud()
    result = converge(hello, api, ext_links=normalize_ext_virtual_links({'CP1': 'ext'}))
    listed = lists_after_last_write(api)
    assert result.lcm_op_occ['operationState'] == 'COMPLETED', result.error
    assert result.vnf_instance == fresh(api)
    vnfcs = result.vnf_instance['instantiatedVnfInfo']['vnfcResourceInfo']
    assert [(c['id'], c['metadata']['status'], c['metadata']['host']) for c in vnfcs] == [('VDU1-0', 'ACTIVE', 'compute1'), ('VDU2-0', 'ACTIVE', 'compute1')]
    assert result.vnf_instance['metadata']['lastOperation']['state'] == 'COMPLETED' and result.vnf_instance['metadata']['lock'] is None
    assert listed == ['/volumes/detail']  # the volume VDU2-0 boots from is in-use now: the one kind listed again
    assert [v['metadata']['status'] for v in result.vnf_instance['instantiatedVnfInfo']['virtualStorageResourceInfo']] == ['in-use']


def test_scale_out_and_in_records_match_a_fresh_discovery_and_the_rerun_writes_nothing(basic):
    api = cloud()
    first = converge(basic, api)
    assert lists_after_last_write(api) == ['/os-server-groups']  # the affinity group's members
    assert first.vnf_instance == fresh(api)
    assert first.vnf_instance['metadata']['serverGroups'][0]['members']
    out = converge(basic, api, scale_levels={'VDU1_scale': 2})
    assert out.lcm_op_occ['operation'] == 'SCALE_TO_LEVEL' and out.vnf_instance == fresh(api)
    assert len(out.vnf_instance['instantiatedVnfInfo']['vnfcResourceInfo']) == 4
    back = converge(basic, api, scale_levels={'VDU1_scale': 0})
    assert back.vnf_instance == fresh(api) and len(back.vnf_instance['instantiatedVnfInfo']['vnfcResourceInfo']) == 2
    writes = len([c for c in api.calls if c[0] in WRITES])
    assert converge(basic, api, scale_levels={'VDU1_scale': 0}).changed is False
    assert len([c for c in api.calls if c[0] in WRITES]) == writes


def test_a_failed_converge_is_discovered_again(basic):
    api = cloud()
    api.refuse_tags = set()
    real_post = api.post

    def post(service, path, body, **kw):
        if path == '/servers' and body['server']['name'].endswith('VDU2-0'):
            from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import CloudError  # only this stand-in fails
            raise CloudError('No valid host was found.', status=500)
        return real_post(service, path, body, **kw)
    api.post = post
    ctx = Context(api=api, opts=Options(on_failure='keep'), project_id='p1')
    result = Converge(ctx, basic, basic.vnfd.flavour('simple'), request(basic)).run()
    assert result.lcm_op_occ['operationState'] == 'FAILED_TEMP' and result.vnf_instance == fresh(api)
    assert len([c for c in api.calls if c[0] == 'LIST' and c[1] == '/servers/detail']) >= 3  # before, the lost-creates look, after


def _lists_between_lock_and_first_create(api):
    lock = next(i for i, call in enumerate(api.calls) if call[0] == 'PUT' and call[1].startswith('/security-groups/'))
    first = next(i for i, call in enumerate(api.calls) if i > lock and call[0] == 'POST')
    return sorted(path for method, path, dummy in api.calls[lock + 1:first] if method == 'LIST')


def test_a_converge_does_not_look_again_under_the_lock_when_no_run_can_have_acted_since_its_look(basic):
    api = cloud()
    converge(basic, api)
    api.calls.clear()
    out = converge(basic, api, scale_levels={'VDU1_scale': 1})
    assert out.changed and out.vnf_instance == fresh(api)
    # the look: the anchors listed alone first, then the other kinds; under the lock no list before the first create
    assert api.calls[0][:2] == ('LIST', '/security-groups')
    assert [c[1] for c in api.calls[1:7]].count('/security-groups') == 0
    assert _lists_between_lock_and_first_create(api) == []


def test_a_converge_looks_again_under_the_lock_when_another_run_may_have_acted(basic):
    import json
    import time
    api = cloud()
    converge(basic, api)
    anchor = next(g for g in api.items['security-groups'] if 'nfvo:role=anchor' in g.get('tags', []))
    # a lock gone stale: its run may have acted (and died) after the look; taken over, then everything listed again
    anchor['description'] = json.dumps({'lock': {'op': 'dead-run', 'exp': int(time.time()) - 1}})
    api.calls.clear()
    out = converge(basic, api, scale_levels={'VDU1_scale': 1})
    assert out.changed and out.vnf_instance == fresh(api)
    assert '/servers/detail' in _lists_between_lock_and_first_create(api)
