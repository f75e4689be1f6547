# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the SOL006 reader knows of the ETSI SOL006 YANG model and of OSM's additions to it.

``KNOWN``: the children the ETSI YANG (module etsi-nfv-vnfd and the groupings it uses, revision ``NEWEST``) allows
at each place of a VNFD the reader walks (``'vdu'``, ``'df'``, ...), ``NSD_KNOWN`` the same for an NSD; tests/unit/.../vnfd/test_sol006.py checks them
against the YANG modules. ``OSM``: the OSM information-model additions seen in OSM's packages at those places, with
what the reader does with each (mapped into the model, or kept as data). A key in neither is not in the model: it
is read past with a warning (sol006.py). ``REVISIONS``: the revisions of the modules (YYYY-MM-DD -> SOL006 version).
Also the YANG value types as the readers take them: numbers (``yang_number``, ``rounded_up``), booleans, identities.
"""
from __future__ import annotations

import math
from fractions import Fraction

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import READ_ERRORS
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import as_list, as_map, as_str, load_yaml

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

# the same for an NSD (grouping nsd of etsi-nfv-ns, used by etsi-nfv-nsd): sol006_nsd.py
NSD_KNOWN = {
    'nsd': frozenset((
        'algorithm', 'autoscale-rule', 'certificate', 'designer', 'df', 'id', 'invariant-id',
        'lifecycle-management-script', 'name', 'nested-nsd-id', 'pnfd-id', 'sapd', 'security-group-rule',
        'signature', 'version', 'virtual-link-desc', 'vnfd-id', 'vnffgd',
    )),
    'df': frozenset((
        'affinity-or-anti-affinity-group', 'default-instantiation-level', 'dependencies', 'flavour-key', 'id',
        'monitored-info', 'ns-instantiation-level', 'ns-lcm-additional-params', 'ns-profile', 'pnf-profile',
        'priority', 'scaling-aspect', 'service-availability-level', 'virtual-link-profile', 'vnf-profile',
    )),
    'vnf-profile': frozenset((
        'affinity-or-anti-affinity-group-id', 'flavour-id', 'id', 'instantiation-level',
        'local-affinity-or-anti-affinity-rule', 'max-number-of-instances', 'min-number-of-instances',
        'service-availability-level', 'virtual-link-connectivity', 'vnfd-id',
    )),
    'virtual-link-profile': frozenset((
        'affinity-or-anti-affinity-group-id', 'flavour-id', 'id', 'local-affinity-or-anti-affinity-rule',
        'max-bitrate-requirements', 'min-bitrate-requirements', 'virtual-link-desc-id', 'virtual-link-protocol-data',
    )),
    'virtual-link-desc': frozenset((
        'connectivity-type', 'description', 'df', 'id', 'test-access',
    )),
    'sapd': frozenset((
        'associated-cpd', 'description', 'id', 'layer-protocol', 'protocol', 'role', 'security-group-rule-id',
        'trunk-mode', 'virtual-link-desc',
    )),
    'ns-instantiation-level': frozenset((
        'description', 'id', 'ns-to-level-mapping', 'virtual-link-to-level-mapping', 'vnf-to-level-mapping',
    )),
    'scaling-aspect': frozenset((
        'description', 'id', 'name', 'scaling-level',
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


def whole(at, value, default=PackageError):
    """A YANG whole number (uint); ``default`` when absent (none given: it is mandatory, and missing is an error)."""
    number = yang_number(at, value)
    if number is None:
        if default is PackageError:
            raise at.error('is missing')
        return default
    if number.denominator != 1:
        raise at.error('must be a whole number, not %r' % (value,))
    return int(number)


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


def document(source, entry, catalogs, top):
    """The YAML or JSON document at ``entry``, or None for a SOL001 file (``tosca_definitions_version`` in its first
    4 KB: not parsed here). One of the pre-SOL006 OSM ``catalogs`` keys is refused naming it (``top``: 'vnfd', 'nsd')."""
    try:
        with source.open(entry) as f:
            head = f.read(4096)
    except (KeyError,) + READ_ERRORS:  # the SOL001 reader words what is wrong with it
        return None
    if b'tosca_definitions_version' in head:
        return None
    doc = load_yaml(source, entry)
    catalog = [k for k in catalogs if k in doc]
    if catalog:
        raise PackageError("%s: '%s' is the pre-SOL006 OSM descriptor format (OSM release 8 and before), which is not read: "
                           "migrate it to SOL006 (a top '%s:' key; OSM's osm-im migration tool does it)" % (entry, catalog[0], top))
    return doc


def yang_list(at, value, key='id'):
    """A YANG list: [(place, entry, key value)], each entry a mapping with its key, the keys unique."""
    out, seen = [], set()
    for i, entry in enumerate(as_list(at, value)):
        entry = as_map(at.item(i), entry)
        ident = as_str(at.item(i).key(key), entry.get(key))
        if ident is None:
            raise at.item(i).error('%s is missing' % key)
        if ident in seen:
            raise at.item(i).error("duplicate %s '%s'" % (key, ident))
        seen.add(ident)
        out.append((at.item(i, ident), entry, ident))
    return out


def only_one(at, body, what, holder):
    """(place, mapping) of the one descriptor ``what`` ('VNFD', 'NSD') a document holds: a list of one, or a mapping."""
    if isinstance(body, list):
        if len(body) != 1:
            raise at.error('holds %d %ss: %s holds one' % (len(body), what, holder))
        at, body = at.item(0), body[0]
    return at, as_map(at, body)
