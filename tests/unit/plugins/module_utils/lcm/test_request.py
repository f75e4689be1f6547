# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request normalisation: the shapes ext_virtual_links accepts."""
from __future__ import annotations

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.request import normalize_ext_virtual_links


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
