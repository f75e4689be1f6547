# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request of an operation on an instantiated VNF, rebuilt from its resources: an internal VL that a VnfExtCp put
on an external network stays there (scale, heal, retry)."""
from __future__ import annotations

from types import SimpleNamespace

from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import CREATE
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operations import request_from_record
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import normalize_ext_virtual_links

from .plans import apply, package, request, snapshot

IMAGES = {'VDU_0': 'cirros', 'VDU_1': 'cirros'}
RECORD = {'flavour_id': 'ha', 'instantiation_level_id': None, 'scale_levels': {}, 'ns_id': None, 'images': {}}


def _instantiated(practical, links):
    req = request(practical, flavour='ha', images=IMAGES, ext_links=normalize_ext_virtual_links(links))
    return apply(plan_converge(practical.vnfd, practical.vnfd.flavour('ha'), req, snapshot()), snapshot())


def test_a_vl_on_an_external_network_through_a_vnf_ext_cp_stays_there():
    practical = package('practical')
    done = _instantiated(practical, {'VDU_extvCP': 'ext'})
    done.servers = [s for s in done.servers if 'VDU_1' not in s['id']]  # VDU_1-0's server is gone: heal makes it again
    req, flavour = request_from_record(SimpleNamespace(project_id='p'), 'web-1', practical, RECORD, done, {'images': IMAGES})
    assert {k: link.network for k, link in req.ext_links.items()} == {'RT_extCP': 'net-ext'}
    req.instance_id = 'iid-1'
    done.ext_networks['net-ext'] = done.ext_networks['ext']  # discovery finds the network by the id the port gives
    plan = plan_converge(practical.vnfd, flavour, req, done)
    assert [a.summary() for a in plan.actions if a.op == CREATE] == [
        'create server VDU_1-0 (flavor m1.tiny, image cirros, group VDU_placement_policy)']
    # the task's own ext_virtual_links win; a VNF whose VL is its own network gets no link
    req, dummy = request_from_record(SimpleNamespace(project_id='p'), 'web-1', practical, RECORD, done,
                                     {'images': IMAGES, 'ext_virtual_links': {'VDU0_extCP0': 'ext'}})
    assert sorted(req.ext_links) == ['VDU0_extCP0']
    own = _instantiated(practical, {})
    req, dummy = request_from_record(SimpleNamespace(project_id='p'), 'web-1', practical, RECORD, own, {'images': IMAGES})
    assert req.ext_links == {}
