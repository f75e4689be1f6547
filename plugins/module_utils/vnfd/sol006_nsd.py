# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read an ETSI SOL006 NSD (YANG-modelled, as OSM writes it: ``nsd: {nsd: [...]}``) into the NSD model (nsd_model.py).

``nsd_document(source, entry)`` is the SOL006 NSD document at an NSD package's entry file, or None (a SOL001 NSD);
nsd_reader.read_nsd asks it, so the NS modules read either format. ``read_nsd006(entry, doc)`` -> ``(Nsd,
warnings)``. The mapping, for each ``df``: a ``vnf-profile`` is an ``NsVnf`` named by the profile id (its
``virtual-link-connectivity`` entries are the attachments: the VNF's ext CP -> the NS virtual link of the
``virtual-link-profile``); a ``virtual-link-profile`` is an ``NsVirtualLink`` named by its ``virtual-link-desc``;
the ``sapd`` are the SAPs (an ``associated-cpd`` attaches that ext CP of the VNFs of its ``vnfd-id`` to the SAP);
``ns-instantiation-level`` gives the levels and the VnfToInstantiationLevelMapping counts; a ``scaling-aspect``'s
``scaling-level`` list names the NS levels of its scale levels 1..n (their counts, by aspect level);
``dependencies``: each secondary profile depends on its primary one; affinity groups are kept as policies.
Keys the YANG model does not have at these places are warnings (once per key), the NSD is read past them.
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import nsd_model as M
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sol006_schema import (
    NEWEST, NSD_KNOWN, document, only_one, ident_of, idents, rounded_up, snake, whole, yang_bool, yang_list,
)
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import At, as_list, as_map, as_str

NSD_KEYS = ('nsd', 'etsi-nfv-nsd:nsd')
NFV_KEYS = ('nfv', 'etsi-nfv-descriptors:nfv')
CATALOGS = ('nsd:nsd-catalog', 'nsd-catalog')


def nsd_document(source, entry):
    """The SOL006 NSD document at ``entry``, or None (a SOL001 NSD: not parsed here)."""
    doc = document(source, entry, CATALOGS, 'nsd')
    if doc is None:
        return None
    return doc if any(k in doc for k in NSD_KEYS + NFV_KEYS) else None


def read_nsd006(entry, doc):
    """(Nsd, warnings) of the SOL006 NSD document ``doc`` (from ``nsd_document``)."""
    reader = _Nsd(entry, doc)
    return reader.read(), reader.warnings


class _Nsd:
    def __init__(self, entry, doc):
        self.entry, self.doc = entry, doc
        self.warnings = []

    def warn(self, line):
        if line not in self.warnings:
            self.warnings.append(line)

    def check(self, at, place, item):
        for key in item:
            if key not in NSD_KNOWN[place]:
                self.warn('%s: %s: not in the ETSI SOL006 YANG model (revision %s) at nsd %s: ignored' % (at.file, at.key(key).path, NEWEST, place))

    def items(self, at, value, key='id', place=None):
        out = yang_list(at, value, key)
        for iat, entry, _ident in out if place else ():
            self.check(iat, place, entry)
        return out

    def unwrap(self):
        key = next((k for k in NSD_KEYS if k in self.doc), None)
        if key is not None:
            at, body = At(self.entry, key), self.doc[key]
            if isinstance(body, dict) and 'nsd' in body:  # the etsi-nfv-nsd module: container nsd { list nsd }
                at, body = at.key('nsd'), body['nsd']
        else:
            key = next(k for k in NFV_KEYS if k in self.doc)
            at, body = At(self.entry, key).key('nsd'), as_map(At(self.entry, key), self.doc[key]).get('nsd')
        return only_one(at, body, 'NSD', 'an NSD package')

    def read(self):
        at, body = self.unwrap()
        self.check(at, 'nsd', body)
        ident = as_str(at.key('id'), body.get('id'))
        if not ident:
            raise at.key('id').error('is missing (mandatory in the SOL006 YANG model)')
        self.vls = {i: (vat, vl) for vat, vl, i in self.items(at.key('virtual-link-desc'), body.get('virtual-link-desc'), place='virtual-link-desc')}
        self.saps = self.items(at.key('sapd'), body.get('sapd'), place='sapd')
        flavours = {}
        for dat, df, df_id in self.items(at.key('df'), body.get('df'), place='df'):
            flavours[df_id] = self.flavour(dat, df, df_id)
        if not flavours:
            raise at.error('no deployment flavour (df)')
        vnfd_ids = body.get('vnfd-id')
        return M.Nsd(descriptor_id=ident, designer=as_str(at.key('designer'), body.get('designer')),
                     version=as_str(at.key('version'), body.get('version')), name=as_str(at.key('name'), body.get('name')),
                     invariant_id=as_str(at.key('invariant-id'), body.get('invariant-id')), flavours=flavours,
                     entry_definitions=self.entry, properties={'vnfd_id': [vnfd_ids] if isinstance(vnfd_ids, str) else list(vnfd_ids or ())})

    def flavour(self, at, df, df_id):
        flavour = M.NsFlavour(flavour_id=df_id, source=self.entry)
        profiles = {}  # virtual-link-profile id -> NS VL name
        for pat, profile, pid in self.items(at.key('virtual-link-profile'), df.get('virtual-link-profile'), place='virtual-link-profile'):
            profiles[pid] = self.link(flavour, pat, profile)
        for pat, profile, pid in self.items(at.key('vnf-profile'), df.get('vnf-profile'), place='vnf-profile'):
            flavour.vnfs[pid] = self.vnf(pat, profile, pid, profiles)
        for sat, sap, sid in self.saps:
            self.sap(flavour, sat, sap, sid)
        for dat, dep, _dep in self.items(at.key('dependencies'), df.get('dependencies')):
            primary = _listed(dep.get('primary-vnf-profile'))
            for name in _listed(dep.get('secondary-vnf-profile')):
                if name not in flavour.vnfs or any(p not in flavour.vnfs for p in primary):
                    raise dat.error('names a vnf-profile that flavour %s does not have (%s)' % (df_id, ', '.join(flavour.vnfs)))
                flavour.vnfs[name].depends_on.extend(p for p in primary if p != name)
        self.levels(flavour, at, df, profiles)
        for gat, group, gid in self.items(at.key('affinity-or-anti-affinity-group'), df.get('affinity-or-anti-affinity-group')):
            members = [p.get('id') for p in as_list(at, df.get('vnf-profile')) if isinstance(p, dict)
                       and gid in _listed(p.get('affinity-or-anti-affinity-group-id'))]
            flavour.policies.append(M.OtherPolicy(name=gid, type=ident_of(gat.key('affinityorAntiaffinity'), group.get('affinityorAntiaffinity')) or 'affinity',
                                                  targets=members, properties=snake(group)))
        try:
            flavour.deployment_order()
        except ValueError as exc:
            raise at.key('dependencies').error(str(exc)) from None
        return flavour

    def link(self, flavour, pat, profile):
        desc = as_str(pat.key('virtual-link-desc-id'), profile.get('virtual-link-desc-id'))
        if desc not in self.vls:
            raise pat.key('virtual-link-desc-id').error("'%s' is not a virtual-link-desc of the NSD (%s)" % (desc, ', '.join(self.vls) or 'none'))
        vat, body = self.vls[desc]
        kinds = as_map(vat.key('connectivity-type'), body.get('connectivity-type'))
        data = profile.get('virtual-link-protocol-data')
        data = [data] if isinstance(data, dict) else as_list(pat.key('virtual-link-protocol-data'), data)
        vl = M.NsVirtualLink(name=desc, description=as_str(vat.key('description'), body.get('description')),
                             layer_protocols=idents(vat.key('connectivity-type.layer-protocol'), kinds.get('layer-protocol')),
                             flow_pattern=as_str(vat.key('connectivity-type.flow-pattern'), kinds.get('flow-pattern')),
                             max_bitrate=_bitrate(pat.key('max-bitrate-requirements'), profile.get('max-bitrate-requirements')),
                             min_bitrate=_bitrate(pat.key('min-bitrate-requirements'), profile.get('min-bitrate-requirements')),
                             protocol_data=snake(data))
        for i, item in enumerate(data):
            iat = pat.key('virtual-link-protocol-data').item(i)
            item = as_map(iat, item)
            l2, l3 = as_map(iat.key('l2-protocol-data'), item.get('l2-protocol-data')), as_map(iat.key('l3-protocol-data'), item.get('l3-protocol-data'))
            if l2 and vl.mtu is None:
                vl.mtu = rounded_up(iat.key('l2-protocol-data.mtu'), l2.get('mtu'))
                vl.network_type = ident_of(iat.key('l2-protocol-data.network-type'), l2.get('network-type'))
                vl.segmentation_id = as_str(iat.key('l2-protocol-data.segmentation-id'), l2.get('segmentation-id'))
            if l3 and vl.cidr is None:
                lat = iat.key('l3-protocol-data')
                vl.ip_version = ident_of(lat.key('ip-version'), l3.get('ip-version'))
                vl.cidr = as_str(lat.key('cidr'), l3.get('cidr'))
                vl.gateway_ip = as_str(lat.key('gateway-ip'), l3.get('gateway-ip'))
                vl.dhcp_enabled = yang_bool(lat.key('dhcp-enabled'), l3.get('dhcp-enabled'))
        flavour.virtual_links[desc] = vl
        return desc

    def vnf(self, pat, profile, pid, links):
        vnfd_id = as_str(pat.key('vnfd-id'), profile.get('vnfd-id'))
        if not vnfd_id:
            raise pat.key('vnfd-id').error('is missing: a vnf-profile names its VNF package by the VNFD id')
        low, high = (whole(pat.key(k), profile.get(k), 1) for k in ('min-number-of-instances', 'max-number-of-instances'))
        if low > high:
            raise pat.error('min-number-of-instances (%d) is greater than max-number-of-instances (%d)' % (low, high))
        vnf = M.NsVnf(name=pid, vnfd_id=vnfd_id, flavour_id=as_str(pat.key('flavour-id'), profile.get('flavour-id')), min_instances=low,
                      max_instances=high, instantiation_level=as_str(pat.key('instantiation-level'), profile.get('instantiation-level')))
        for cat, conn, link_id in self.items(pat.key('virtual-link-connectivity'), profile.get('virtual-link-connectivity'), 'virtual-link-profile-id'):
            if link_id not in links:
                self.warn(str(cat.key('virtual-link-profile-id').error("'%s' is not a virtual-link-profile of the df: ignored" % link_id)))
                continue
            for i, cpd in enumerate(as_list(cat.key('constituent-cpd-id'), conn.get('constituent-cpd-id'))):
                cpd = as_map(cat.key('constituent-cpd-id').item(i), cpd)
                req = as_str(cat.key('constituent-cpd-id').item(i).key('constituent-cpd-id'), cpd.get('constituent-cpd-id'))
                if req and not any(a.requirement == req for a in vnf.attachments):
                    vnf.attachments.append(M.Attachment(requirement=req, target=links[link_id], kind=M.VIRTUAL_LINK))
        return vnf

    def sap(self, flavour, sat, body, sid):
        link = as_str(sat.key('virtual-link-desc'), body.get('virtual-link-desc'))
        sap = M.Sap(name=sid, description=as_str(sat.key('description'), body.get('description')),
                    layer_protocols=idents(sat.key('layer-protocol'), body.get('layer-protocol')),
                    role=as_str(sat.key('role'), body.get('role')), trunk_mode=yang_bool(sat.key('trunk-mode'), body.get('trunk-mode')),
                    protocol=snake(as_list(sat.key('protocol'), body.get('protocol'))),
                    internal_virtual_link=link if link in flavour.virtual_links else None)
        if link is not None and link not in flavour.virtual_links:
            self.warn(str(sat.key('virtual-link-desc').error("'%s' is no NS virtual link of flavour %s: ignored"
                                                             % (link, flavour.flavour_id))))
        cpd = as_map(sat.key('associated-cpd'), body.get('associated-cpd'))
        if cpd.get('vnfd-id') is not None:
            ext = as_str(sat.key('associated-cpd.vnf-ext-cpd'), cpd.get('vnf-ext-cpd'))
            for vnf in flavour.vnfs.values():
                if vnf.vnfd_id == cpd['vnfd-id'] and ext and not any(a.requirement == ext for a in vnf.attachments):
                    vnf.attachments.append(M.Attachment(requirement=ext, target=sid, kind=M.SAP))
        flavour.saps[sid] = sap

    def levels(self, flavour, at, df, links):
        counts = {}  # level id -> {vnf profile: instances}
        for lat, level, lid in self.items(at.key('ns-instantiation-level'), df.get('ns-instantiation-level'), place='ns-instantiation-level'):
            flavour.levels[lid] = M.NsLevel(id=lid, description=as_str(lat.key('description'), level.get('description')))
            counts[lid] = {}
            for mat, mapping, vnf in self.items(lat.key('vnf-to-level-mapping'), level.get('vnf-to-level-mapping'), 'vnf-profile-id'):
                if vnf not in flavour.vnfs:
                    raise mat.error("'%s' is not a vnf-profile of flavour %s" % (vnf, flavour.flavour_id))
                counts[lid][vnf] = whole(mat.key('number-of-instances'), mapping.get('number-of-instances'))
            links_at = lat.key('virtual-link-to-level-mapping')
            for mat, mapping, link in self.items(links_at, level.get('virtual-link-to-level-mapping'), 'virtual-link-profile-id'):
                if link in links:
                    rate = _bitrate(mat, {k: mapping[k] for k in ('root', 'leaf') if k in mapping})
                    flavour.virtual_links[links[link]].bitrate_levels[lid] = rate
                    flavour.mappings.append(M.LevelMapping(name='%s/%s' % (lid, link), kind=M.VIRTUAL_LINK, key=M.INSTANTIATION_LEVEL,
                                                           targets=[links[link]], values={lid: rate}))
        for vnf in flavour.vnfs:
            values = {lid: c[vnf] for lid, c in counts.items() if vnf in c}
            if values:
                flavour.mappings.append(M.LevelMapping(name='%s_instantiation_levels' % vnf, kind=M.VNF, key=M.INSTANTIATION_LEVEL,
                                                       targets=[vnf], values=values))
        dat = at.key('default-instantiation-level')
        flavour.default_level = as_str(dat, df.get('default-instantiation-level'))
        if flavour.default_level is not None and flavour.default_level not in flavour.levels:
            raise dat.error("'%s' is not an ns-instantiation-level (levels: %s)" % (flavour.default_level, ', '.join(flavour.levels) or 'none'))
        for sat, aspect, aid in self.items(at.key('scaling-aspect'), df.get('scaling-aspect'), place='scaling-aspect'):
            steps = _listed(aspect.get('scaling-level'))
            flavour.aspects[aid] = M.NsScalingAspect(id=aid, name=as_str(sat.key('name'), aspect.get('name')),
                                                     description=as_str(sat.key('description'), aspect.get('description')),
                                                     levels={n: steps[n - 1] for n in range(1, len(steps) + 1)})
            for i, level in enumerate(steps):
                if level not in counts:
                    raise sat.key('scaling-level').item(i).error("'%s' is not an ns-instantiation-level of flavour %s" % (level, flavour.flavour_id))
            for vnf in flavour.vnfs:
                values = {n: counts[level][vnf] for n, level in enumerate(steps, 1) if vnf in counts[level]}
                if values:
                    flavour.mappings.append(M.LevelMapping(name='%s/%s' % (aid, vnf), kind=M.VNF, key=M.ASPECT_LEVEL, aspect=aid,
                                                           targets=[vnf], values=values))


def _listed(value):
    """A leaf-list's strings (a single string is a list of one)."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _bitrate(at, value):
    return None if not value else {k: rounded_up(at.key(k), n) for k, n in as_map(at, value).items()}
