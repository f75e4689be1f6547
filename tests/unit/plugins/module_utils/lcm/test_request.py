# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request normalisation: the shapes ext_virtual_links accepts; what of a request does not fit the flavour."""
from __future__ import annotations

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.converge import plan_converge
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import check_request, exposed_links, normalize_ext_virtual_links

from .plans import package, request, snapshot


def test_ext_virtual_links_shapes():
    proto = [{'layerProtocol': 'IP_OVER_ETHERNET', 'ipOverEthernet': {
        'ipAddresses': [{'type': 'IPV4', 'fixedAddresses': ['10.0.0.5'], 'subnetId': 'sub-1'}]}}]
    etsi = [{'id': 'e1', 'resourceId': 'net-a', 'extCps': [
        {'cpdId': 'CP1', 'cpConfig': {'c0': {'cpProtocolData': proto}, 'c1': {'fixed_ips': ['10.0.0.6']}}}]}]
    links = normalize_ext_virtual_links(etsi)
    assert links['CP1'].network == 'net-a' and links['CP1'].ext_vl_id == 'e1'
    assert links['CP1'].cp_configs == [{'fixed_ips': [{'ip_address': '10.0.0.5', 'subnet_id': 'sub-1'}]},
                                       {'fixed_ips': [{'ip_address': '10.0.0.6'}]}]
    short = normalize_ext_virtual_links({'CP1': 'net-a', 'CP2': {'network': 'net-b', 'fixed_ips': [{'ip_address': '10.1.0.9'}]}})
    assert short['CP1'].network == 'net-a' and short['CP2'].cp_configs == [{'fixed_ips': [{'ip_address': '10.1.0.9'}]}]
    with pytest.raises(PlanError, match='has no resource_id'):
        normalize_ext_virtual_links([{'ext_cps': []}])
    with pytest.raises(PlanError, match='link_port_id'):
        normalize_ext_virtual_links([{'resource_id': 'n', 'ext_cps': [{'cpd_id': 'CP1', 'cp_config': [{'link_port_id': 'p'}]}]}])


def _refused(fl, req, pattern):
    with pytest.raises(PlanError, match=pattern) as info:
        check_request(fl, req)
    assert '\n' not in str(info.value)


def test_images_must_name_what_the_flavour_boots(hello, basic):
    fl = hello.vnfd.flavour('simple')
    check_request(fl, request(hello))  # VDU1 and VirtualStorage: fine
    check_request(fl, request(hello, images={'Software of VDU1': 'cirros', 'VirtualStorage': 'cirros'}))  # by software image name
    # the case that reached Nova (HTTP 400, invalid block device mapping): VDU2 boots from its volume
    req = request(hello, images={'VDU1': 'cirros', 'VDU2': 'cirros'}, ext_links=normalize_ext_virtual_links({'CP1': 'ext'}))
    expected = (r"^images maps VDU VDU2, which boots from volume VirtualStorage \(its VirtualBlockStorage carries the sw_image_data "
                r"'VirtualStorage'\): map the image to the storage instead \(images: \{VirtualStorage: <Glance image>\}\)$")
    _refused(fl, req, expected)
    with pytest.raises(PlanError, match=expected):
        plan_converge(hello.vnfd, fl, req, snapshot())
    _refused(basic.vnfd.flavour('simple'), request(basic, images={'VDU1': 'cirros', 'VirtualStorage': 'cirros'}),
             r"^images names 'VirtualStorage', which is no VDU, block storage or software image of flavour simple "
             r"\(VDUs: VDU1, VDU2; block storage: none; software images: cirros-0.5.2-x86_64-disk\)$")


def test_vdu_params_name_vdus_and_server_options(basic):
    fl = basic.vnfd.flavour('simple')
    check_request(fl, request(basic, additional_params={'anything': 1, 'vdu_params': {'VDU2': {'key_name': 'k'}}}))
    _refused(fl, request(basic, additional_params={'vdu_params': {'VDU3': {'key_name': 'k'}}}),
             r"^additional_params.vdu_params names 'VDU3', which is not a VDU of flavour simple \(VDUs: VDU1, VDU2\)$")
    _refused(fl, request(basic, additional_params={'vdu_params': {'VDU1': {'flavor': 'm1.large'}}}),
             r'^additional_params.vdu_params.VDU1: unknown server option\(s\) flavor \(the options are user_data, ')
    _refused(fl, request(basic, additional_params={'vdu_params': {'VDU1': 'x'}}), r'^additional_params.vdu_params.VDU1 must be a dict')
    _refused(fl, request(basic, additional_params={'vdu_params': ['VDU1']}), r'^additional_params.vdu_params must be a dict')


def test_ext_links_name_vducps_with_at_most_one_config_per_instance(hello):
    fl = hello.vnfd.flavour('simple')
    ok = normalize_ext_virtual_links({'CP1': {'network': 'ext', 'fixed_ips': ['10.0.0.5']}, 'CP2': 'ext'})  # CP2 overrides its VL
    check_request(fl, request(hello, ext_links=ok))
    two = normalize_ext_virtual_links([{'resource_id': 'ext', 'ext_cps': [{'cpd_id': 'CP1', 'cp_config': [{'fixed_ips': ['10.0.0.5']},
                                                                                                          {'fixed_ips': ['10.0.0.6']}]}]}])
    _refused(fl, request(hello, ext_links=two), r'^ext_virtual_links CP CP1 has 2 cp_config entries, but VDU1 has at most 1 '
             r'instance\(s\) \(vdu_profile\): give at most 1, the n-th for the n-th instance$')
    _refused(fl, request(hello, ext_links=normalize_ext_virtual_links({'CP1': {'network': 'ext', 'fixed_ips': ['10.0.0.300']}})),
             r"^ext_virtual_links CP CP1 instance 0: fixed IP '10.0.0.300' is not an IP address$")
    _refused(fl, request(hello, ext_links=normalize_ext_virtual_links({'CPX': 'ext'})),
             r"^ext_virtual_links names CP 'CPX', which is not a VduCp or VnfExtCp of flavour simple \(VduCps: CP1, CP2, CP3; VnfExtCps: none\)$")


def test_vnf_ext_cps_connect_their_internal_vl_and_take_no_cp_config():
    practical = package('practical')
    fl = practical.vnfd.flavour('ha')
    check_request(fl, request(practical, flavour='ha', images={}, ext_links=normalize_ext_virtual_links({'VDU_extvCP': 'ext'})))
    assert exposed_links(fl, normalize_ext_virtual_links({'VDU_extvCP': 'ext', 'RT_extCP': 'ext', 'VDU0_CP0': 'x'})) == {
        'VDU_intnet0': [('RT_extCP', normalize_ext_virtual_links({'RT_extCP': 'ext'})['RT_extCP']),
                        ('VDU_extvCP', normalize_ext_virtual_links({'VDU_extvCP': 'ext'})['VDU_extvCP'])]}
    with_ips = normalize_ext_virtual_links({'VDU_extvCP': {'network': 'ext', 'fixed_ips': ['10.0.0.5']}})
    _refused(fl, request(practical, flavour='ha', images={}, ext_links=with_ips),
             r"^ext_virtual_links VnfExtCp VDU_extvCP takes no cp_config: it has no port of its own, it puts internal VL VDU_intnet0 on the "
             r"network; give fixed IPs on the VduCps of VDU_intnet0 instead \(VDU0_CP0, VDU1_CP0\)$")
    _refused(fl, request(practical, flavour='ha', images={}, ext_links=normalize_ext_virtual_links({'VDU_nope': 'ext'})),
             r"^ext_virtual_links names CP 'VDU_nope', which is not a VduCp or VnfExtCp of flavour ha \(VduCps: VDU0_CP0, VDU1_CP0; "
             r"VnfExtCps: RT_extCP, VDU0_extCP0, VDU1_extCP0, VDU_extvCP\)$")
