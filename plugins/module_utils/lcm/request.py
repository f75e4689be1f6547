# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request normalisation: module options in their accepted shapes -> the plain values of a ``model.Request``.

Pure. ``normalize_ext_virtual_links`` reads ext_virtual_links (the ETSI ExtVirtualLinkData list or the short
``{cpd_id: network}`` map) into ``ExtLink``s; ``target_counts`` says which VDU counts and aspect levels a request
converges to; ``vdu_params`` gives the additional_params of one VDU. ``check_request`` refuses, before anything is
asked of the cloud, what in the request does not fit the flavour: ``images`` keys, ``vdu_params``, the CPs and
cp_config entries of ext_virtual_links, fixed IPs that are no address. ``exposed_links`` says which internal VLs
the VnfExtCps of ext_virtual_links put on an external network; ``exposed_from_ports`` finds them again on an instance.
"""
from __future__ import annotations

import ipaddress

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PlanError
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.model import ExtLink


def _get(d, *names):
    for n in names:
        if n in d:
            return d[n]
    return None


def _fixed_ips_of(cp_config, where):
    """[{'ip_address'?, 'subnet_id'?}] from our short form {fixed_ips: [...]} or ETSI cp_protocol_data."""
    if not isinstance(cp_config, dict):
        raise PlanError('%s: each cp_config must be a dict, not %r' % (where, cp_config))
    if _get(cp_config, 'link_port_id', 'linkPortId', 'port_id'):
        raise PlanError('%s: pre-created ports (link_port_id) are not supported; give fixed_ips instead' % where)
    ips = _get(cp_config, 'fixed_ips')
    if ips is not None:
        out = []
        for ip in ips if isinstance(ips, list) else [ips]:
            ip = {'ip_address': ip} if isinstance(ip, str) else dict(ip)
            unknown = set(ip) - {'ip_address', 'subnet_id'}
            if unknown:
                raise PlanError('%s: fixed_ips entries take ip_address and subnet_id, not %s' % (where, ', '.join(sorted(unknown))))
            out.append(ip)
        return out
    out = []
    for proto in _get(cp_config, 'cp_protocol_data', 'cpProtocolData') or []:
        ipoe = _get(proto, 'ip_over_ethernet', 'ipOverEthernet') or {}
        for addr in _get(ipoe, 'ip_addresses', 'ipAddresses') or []:
            subnet = _get(addr, 'subnet_id', 'subnetId')
            fixed = _get(addr, 'fixed_addresses', 'fixedAddresses') or []
            if fixed:
                out.extend(dict({'ip_address': ip}, **({'subnet_id': subnet} if subnet else {})) for ip in fixed)
            elif subnet:
                out.append({'subnet_id': subnet})
    return out


def normalize_ext_virtual_links(value):
    """{cpd_id: ExtLink} from the ETSI list shape or the short {cpd_id: network} map (see the vnf module docs)."""
    if not value:
        return {}
    links = {}
    if isinstance(value, dict):
        for cpd_id, target in value.items():
            if isinstance(target, str):
                links[cpd_id] = ExtLink(cpd_id=cpd_id, network=target)
            elif isinstance(target, dict) and _get(target, 'network', 'resource_id', 'resourceId'):
                where = 'ext_virtual_links.%s' % cpd_id
                configs = _get(target, 'cp_config', 'cpConfig')
                if configs is None and 'fixed_ips' in target:
                    configs = [{'fixed_ips': target['fixed_ips']}]
                links[cpd_id] = ExtLink(cpd_id=cpd_id, network=_get(target, 'network', 'resource_id', 'resourceId'),
                                        cp_configs=[{'fixed_ips': _fixed_ips_of(c, where)} for c in _config_list(configs)])
            else:
                raise PlanError('ext_virtual_links.%s must be a network name or id, or a dict with network and fixed_ips' % cpd_id)
        return links
    if not isinstance(value, list):
        raise PlanError('ext_virtual_links must be a list (ETSI ExtVirtualLinkData) or a dict {cpd_id: network}')
    for i, ext_vl in enumerate(value):
        where = 'ext_virtual_links[%d]' % i
        if not isinstance(ext_vl, dict):
            raise PlanError('%s must be a dict with resource_id and ext_cps' % where)
        network = _get(ext_vl, 'resource_id', 'resourceId', 'network')
        if not network:
            raise PlanError('%s has no resource_id (the network name or id)' % where)
        for j, ext_cp in enumerate(_get(ext_vl, 'ext_cps', 'extCps') or []):
            cpd_id = _get(ext_cp, 'cpd_id', 'cpdId')
            if not cpd_id:
                raise PlanError('%s.ext_cps[%d] has no cpd_id' % (where, j))
            if cpd_id in links:
                raise PlanError('%s: CP %s is connected twice' % (where, cpd_id))
            configs = _config_list(_get(ext_cp, 'cp_config', 'cpConfig'))
            links[cpd_id] = ExtLink(cpd_id=cpd_id, network=network, ext_vl_id=_get(ext_vl, 'id'),
                                    cp_configs=[{'fixed_ips': _fixed_ips_of(c, '%s.ext_cps[%d]' % (where, j))} for c in configs])
    return links


def _config_list(configs):
    if configs is None:
        return []
    if isinstance(configs, dict):  # SOL003 v3: a map {cpConfig id: VnfExtCpConfig}, in the order given
        return list(configs.values())
    if isinstance(configs, list):
        return configs
    raise PlanError('cp_config must be a list or a dict, not %r' % (configs,))


def target_counts(flavour, req):
    """({VDU: count}, {aspect: level}) the request converges to."""
    try:
        if req.scale_levels is not None:
            levels = dict(flavour.scale_levels_for_level(req.instantiation_level_id)) if req.instantiation_level_id else {a: 0 for a in flavour.aspects}
            levels.update(req.scale_levels)
            return flavour.vdu_instances_for_scale(levels), levels
        return flavour.vdu_instances_for_level(req.instantiation_level_id), flavour.scale_levels_for_level(req.instantiation_level_id)
    except ValueError as exc:
        raise PlanError(str(exc))


def vdu_params(req, vdu):
    """additional_params for one VDU: the top-level keys, overridden by vdu_params[VDU]."""
    params = {k: v for k, v in (req.additional_params or {}).items() if k != 'vdu_params'}
    params.update(((req.additional_params or {}).get('vdu_params') or {}).get(vdu) or {})
    return params


SERVER_OPTIONS = ('user_data', 'config_drive', 'key_name', 'availability_zone', 'server_metadata')


def check_request(flavour, req):
    """PlanError (one line naming the parameter, the VDU / storage / CP and what to give instead) on the first part
    of the request that does not fit ``flavour``."""
    _check_images(flavour, req.images)
    _check_vdu_params(flavour, req.additional_params)
    _check_ext_links(flavour, req.ext_links)


def boot_storage(flavour, vdu):
    """The block storage ``vdu`` boots from (the first one carrying sw_image_data) when it has no image of its own."""
    if vdu.sw_image is not None:
        return None
    for name in vdu.storage:
        st = flavour.storage.get(name)
        if st is not None and st.kind == 'block' and st.sw_image is not None:
            return st
    return None


def _check_images(flavour, images):
    blocks = [name for name, st in flavour.storage.items() if st.kind == 'block']
    sw_names = {node.sw_image.name for node in list(flavour.vdus.values()) + [flavour.storage[b] for b in blocks]
                if node.sw_image is not None and node.sw_image.name}
    for key in images:
        vdu = flavour.vdus.get(key)
        if vdu is not None:
            st = boot_storage(flavour, vdu)
            if st is not None:
                raise PlanError("images maps VDU %s, which boots from volume %s (its VirtualBlockStorage carries the sw_image_data "
                                "'%s'): map the image to the storage instead (images: {%s: <Glance image>})"
                                % (key, st.name, st.sw_image.name, st.name))
        elif key not in blocks and key not in sw_names:
            raise PlanError("images names '%s', which is no VDU, block storage or software image of flavour %s "
                            "(VDUs: %s; block storage: %s; software images: %s)"
                            % (key, flavour.flavour_id, ', '.join(sorted(flavour.vdus)) or 'none', ', '.join(sorted(blocks)) or 'none',
                               ', '.join(sorted(sw_names)) or 'none'))


def _check_vdu_params(flavour, additional_params):
    per_vdu = (additional_params or {}).get('vdu_params')
    if per_vdu is None:
        return
    if not isinstance(per_vdu, dict):
        raise PlanError('additional_params.vdu_params must be a dict {<VDU>: {<server option>: <value>}}, not %r' % (per_vdu,))
    for vdu, options in per_vdu.items():
        if vdu not in flavour.vdus:
            raise PlanError("additional_params.vdu_params names '%s', which is not a VDU of flavour %s (VDUs: %s)"
                            % (vdu, flavour.flavour_id, ', '.join(sorted(flavour.vdus))))
        if not isinstance(options, dict):
            raise PlanError('additional_params.vdu_params.%s must be a dict of server options (%s), not %r'
                            % (vdu, ', '.join(SERVER_OPTIONS), options))
        unknown = sorted(str(k) for k in set(options) - set(SERVER_OPTIONS))
        if unknown:
            raise PlanError('additional_params.vdu_params.%s: unknown server option(s) %s (the options are %s)'
                            % (vdu, ', '.join(unknown), ', '.join(SERVER_OPTIONS)))


def vnf_ext_cp(flavour, cpd_id):
    """The VnfExtCp ``cpd_id`` of ``flavour`` (an ``ExtCp`` of kind 'VnfExtCp'), or None."""
    return next((e for e in flavour.ext_cps.values() if e.cp == cpd_id and e.kind == 'VnfExtCp'), None)


def exposed_links(flavour, links):
    """{internal VL: [(VnfExtCp, ExtLink)]} of the VnfExtCps that ``links`` (ext_virtual_links) connects.

    A VnfExtCp (SOL001: an external CP exposed through an internal VL) has no port of its own. Connecting it puts the
    internal VL it exposes on the network given, as an externally managed VL (SOL003 extManagedVirtualLinks): the
    VNF makes no network or subnet for that VL, and every VduCp on it gets its port on that network (a VduCp that
    ext_virtual_links names itself goes where its own entry says)."""
    out = {}
    for cpd_id, link in sorted(links.items()):
        ext = vnf_ext_cp(flavour, cpd_id) if cpd_id not in flavour.cps else None
        if ext is not None and ext.virtual_link:
            out.setdefault(ext.virtual_link, []).append((cpd_id, link))
    return out


def exposed_from_ports(flavour, req, ports, existing):
    """Add to ``req.ext_links`` the VnfExtCp links an instance was made with: an internal VL with no network of the
    instance's (``existing``: ``model.index_snapshot``) whose VduCps have a port (``ports``: the instance's) on another
    network was put there by a VnfExtCp; the first VnfExtCp of the VL connects it to that network again. A VL the
    request already connects is left as the request says (scale, heal, retry, the drift of vnf_info)."""
    exposed = exposed_links(flavour, req.ext_links)
    for ext in sorted(flavour.ext_cps.values(), key=lambda e: e.cp):
        vl = ext.virtual_link
        if ext.kind != 'VnfExtCp' or not vl or vl in exposed or existing.get('network/%s' % vl):
            continue
        on_vl = {n for n, c in flavour.cps.items() if c.virtual_link == vl and n not in req.ext_links}
        port = next((p for p in ports if T.parse_tags(p.get('tags')).get('cp') in on_vl), None)
        if port is not None:
            req.ext_links[ext.cp] = ExtLink(cpd_id=ext.cp, network=port['network_id'])
            exposed[vl] = [(ext.cp, req.ext_links[ext.cp])]


def _check_ext_links(flavour, links):
    for cpd_id, link in links.items():
        cp = flavour.cps.get(cpd_id)
        if cp is None:
            ext = vnf_ext_cp(flavour, cpd_id)
            if ext is not None:
                _check_vnf_ext_cp(flavour, ext, link)
                continue
            raise PlanError("ext_virtual_links names CP '%s', which is not a VduCp or VnfExtCp of flavour %s (VduCps: %s; VnfExtCps: %s)"
                            % (cpd_id, flavour.flavour_id, ', '.join(sorted(flavour.cps)),
                               ', '.join(sorted(e.cp for e in flavour.ext_cps.values() if e.kind == 'VnfExtCp')) or 'none'))
        vdu = flavour.vdus.get(cp.vdu)
        if vdu is not None and len(link.cp_configs) > vdu.max_instances:
            raise PlanError('ext_virtual_links CP %s has %d cp_config entries, but %s has at most %d instance(s) (vdu_profile): '
                            'give at most %d, the n-th for the n-th instance'
                            % (cpd_id, len(link.cp_configs), vdu.name, vdu.max_instances, vdu.max_instances))
        for index, config in enumerate(link.cp_configs):
            for ip in config.get('fixed_ips') or []:
                if ip.get('ip_address') is not None:
                    address_of(ip['ip_address'], 'ext_virtual_links CP %s instance %d' % (cpd_id, index))


def _check_vnf_ext_cp(flavour, ext, link):
    """A VnfExtCp entry: it exposes an internal VL of the flavour, and takes no cp_config (it has no port)."""
    if not ext.virtual_link or ext.virtual_link not in flavour.virtual_links:
        raise PlanError("ext_virtual_links names VnfExtCp '%s' of flavour %s, which exposes no internal virtual link of the flavour: "
                        "there is nothing to connect" % (ext.cp, flavour.flavour_id))
    if any(config.get('fixed_ips') for config in link.cp_configs):
        on_vl = ', '.join(sorted(n for n, c in flavour.cps.items() if c.virtual_link == ext.virtual_link)) or 'none'
        raise PlanError("ext_virtual_links VnfExtCp %s takes no cp_config: it has no port of its own, it puts internal VL %s on the "
                        "network; give fixed IPs on the VduCps of %s instead (%s)" % (ext.cp, ext.virtual_link, ext.virtual_link, on_vl))


def address_of(value, where):
    """The ipaddress object of a fixed IP; PlanError naming ``where`` when it is none."""
    try:
        return ipaddress.ip_address(str(value))
    except ValueError:
        raise PlanError("%s: fixed IP '%s' is not an IP address" % (where, value)) from None
