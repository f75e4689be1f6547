# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the SOL006 reader knows of the ETSI SOL006 YANG model and of OSM's additions to it.

``KNOWN``: the children the ETSI YANG (module etsi-nfv-vnfd and the groupings it uses, revision ``NEWEST``) allows
at each place of a VNFD the reader walks (``'vdu'``, ``'df'``, ...); tests/unit/.../vnfd/test_sol006.py checks them
against the YANG modules. ``OSM``: the OSM information-model additions seen in OSM's packages at those places, with
what the reader does with each (mapped into the model, or kept as data). A key in neither is not in the model: it
is read past with a warning (sol006.py). ``REVISIONS``: the revisions of the modules (YYYY-MM-DD -> SOL006 version).
Also the YANG value types as the readers take them: numbers (``yang_number``, ``rounded_up``), booleans, identities.
"""
from __future__ import annotations

import math
from fractions import Fraction

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import as_list, as_str

REVISIONS = {
    '2019-03-18': '2.6.1', '2019-10-01': '2.7.1', '2020-06-01': '2.8.1', '2020-06-10': '3.3.1', '2021-07-05': '3.5.1',
    '2022-03-08': '3.6.1',
}
NEWEST = max(REVISIONS)

KNOWN = {
    'vnfd': frozenset((
        'auto-scale', 'configurable-properties', 'default-localization-language', 'df', 'element-group', 'ext-cpd',
        'id', 'indicator', 'int-virtual-link-desc', 'lcm-operations-coordination', 'lifecycle-management-script',
        'localization-language', 'modifiable-attributes', 'product-info-description', 'product-info-name',
        'product-name', 'provider', 'security-group-rule', 'software-version', 'sw-image-desc', 'vdu', 'version',
        'vip-cpd', 'virtual-compute-desc', 'virtual-storage-desc', 'vnf-package-change-info', 'vnfm-info',
    )),
    'vdu': frozenset((
        'boot-data', 'boot-order', 'configurable-properties', 'description', 'id', 'int-cpd', 'monitoring-parameter',
        'name', 'nfvi-constraint', 'sw-image-desc', 'trunk-port', 'virtual-compute-desc', 'virtual-storage-desc',
    )),
    'int-cpd': frozenset((
        'bitrate-requirement', 'description', 'id', 'int-virtual-link-desc', 'layer-protocol', 'nicio-requirements',
        'order', 'protocol', 'role', 'security-group-rule-id', 'trunk-mode', 'virtual-network-interface-requirement',
        'vnic-type',
    )),
    'virtual-compute-desc': frozenset((
        'compute-requirements', 'id', 'logical-node', 'request-additional-capability', 'virtual-cpu', 'virtual-disk',
        'virtual-memory',
    )),
    'virtual-storage-desc': frozenset((
        'block-storage-data', 'file-storage-data', 'id', 'object-storage-data', 'type-of-storage',
    )),
    'sw-image-desc': frozenset((
        'checksum', 'container-format', 'disk-format', 'id', 'image', 'min-disk', 'min-ram', 'name',
        'operating-system', 'provider', 'size', 'supported-virtualization-environment', 'version',
    )),
    'int-virtual-link-desc': frozenset((
        'connectivity-type', 'description', 'externally-managed', 'flavour', 'id', 'monitoring-parameters',
        'nfvi-maintenance-info', 'test-access',
    )),
    'ext-cpd': frozenset((
        'description', 'id', 'int-cpd', 'int-virtual-link-desc', 'layer-protocol', 'nicio-requirements', 'protocol',
        'role', 'security-group-rule-id', 'trunk-mode', 'vip-cpd', 'virtual-network-interface-requirement',
    )),
    'df': frozenset((
        'affinity-or-anti-affinity-group', 'default-instantiation-level', 'dependencies', 'description', 'id',
        'indicator', 'instantiation-level', 'lcm-operations-configuration', 'monitoring-parameter', 'scaling-aspect',
        'supported-coordination-actions', 'supported-operation', 'supported-vnf-interfaces', 'vdu-profile',
        'vip-cp-profile', 'virtual-link-profile',
    )),
    'vdu-profile': frozenset((
        'affinity-or-anti-affinity-group-id', 'id', 'local-affinity-or-anti-affinity-rule',
        'max-number-of-instances', 'min-number-of-instances', 'nfvi-maintenance-info',
    )),
    'virtual-link-profile': frozenset((
        'affinity-or-anti-affinity-group-id', 'flavour', 'id', 'local-affinity-or-anti-affinity-rule',
        'max-bit-rate-requirements', 'min-bit-rate-requirements', 'virtual-link-protocol-data',
    )),
    'instantiation-level': frozenset((
        'description', 'id', 'scaling-info', 'vdu-level', 'vip-cp-level',
    )),
    'scaling-aspect': frozenset((
        'aspect-delta-details', 'description', 'id', 'max-scale-level', 'name',
    )),
    'deltas': frozenset((
        'id', 'vdu-delta', 'vip-cp-delta', 'virtual-link-bit-rate-delta',
    )),
    'affinity-or-anti-affinity-group': frozenset((
        'affinityorAntiaffinity', 'id', 'scope',
    )),
}

KEPT = 'kept as data, not used by any operation'  # OSM notes starting so: the value is kept in Vnfd.properties['osm']
OSM = {
    'vnfd': {
        'description': 'read as the VNFD description', 'mgmt-cp': KEPT, 'kdu': KEPT + ' (Kubernetes units are not deployed)',
        'k8s-cluster': KEPT, 'vnf-configuration': KEPT + ' (day-1/2 configuration, charms: not run)',
        'placement-groups': KEPT,
    },
    'vdu': {
        'cloud-init-file': "its file is read as the VDU's boot_data (cloud-init user data)",
        'cloud-init': "read as the VDU's boot_data (cloud-init user data)",
        'vdu-configuration-id': KEPT + ' (day-1/2 configuration, charms: not run)', 'pdu-type': KEPT,
        'alarm': KEPT, 'supplemental-boot-data': KEPT, 'alternative-sw-image-desc': KEPT,
    },
    'int-cpd': {'port-security-enabled': KEPT, 'port-security-disable-strategy': KEPT},
    'ext-cpd': {'port-security-enabled': KEPT, 'port-security-disable-strategy': KEPT},
    'virtual-storage-desc': {'size-of-storage': 'read as the size of the storage (the SOL006 2.x / OSM place of it)'},
    'scaling-aspect': {'scaling-policy': KEPT + ' (OSM autoscaling)', 'scaling-config-action': KEPT},
    'affinity-or-anti-affinity-group': {'type': 'read as affinityorAntiaffinity (its SOL006 2.x / OSM name)'},
    'df': {'day1-2': KEPT + ' (day-1/2 configuration, charms: not run)'},
}
# where OSM puts a df's day-1/2 configuration: df.lcm-operations-configuration.operate-vnf-op-config.day1-2
DAY12 = ('lcm-operations-configuration', 'operate-vnf-op-config', 'day1-2')
_IDENTITIES = frozenset(('associated-layer-protocol', 'ip-version', 'layer-protocol', 'network-type', 'algorithm'))


def yang_number(at, value):
    """A YANG number (uint, decimal64: RFC 7951 JSON writes them as strings) as a Fraction, None when absent."""
    if value is None:
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError
        number = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise at.error('must be a number, not %r' % (value,)) from None
    if number < 0:
        raise at.error('must not be negative, not %r' % (value,))
    return number


def rounded_up(at, value, factor=1):
    """A YANG number times ``factor``, rounded up to a whole number (GB -> MB: 1024); None when absent."""
    number = yang_number(at, value)
    return None if number is None else math.ceil(number * factor)


def yang_bool(at, value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ('true', 'false'):
        return value.lower() == 'true'
    raise at.error('must be true or false, not %r' % (value,))


def ident_of(at, value):
    """An identityref ('nfv:block', 'etsi-nfv-descriptors:ipv4') without its module prefix."""
    value = as_str(at, value)
    return value.rsplit(':', 1)[-1] if value else value


def idents(at, value):
    """A leaf-list of identities (a single value is accepted as a list of one)."""
    items = [value] if isinstance(value, (str, int)) else as_list(at, value)
    return [ident_of(at.item(i), v) for i, v in enumerate(items)]


def snake(value):
    """YANG data in the SOL001 shapes the model keeps (keys with '_'; identities without their prefix)."""
    if isinstance(value, dict):
        return {str(k).replace('-', '_'): (v.rsplit(':', 1)[-1] if k in _IDENTITIES and isinstance(v, str) else snake(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [snake(v) for v in value]
    return value
