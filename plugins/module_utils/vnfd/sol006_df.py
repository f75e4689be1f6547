# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One deployment flavour (``df``) of a SOL006 VNFD -> a ``Flavour`` of model.py (sol006.py reads the VNFD around it).

``DfReader(vnfd, at, df, df_id).build()``: the VDUs with a ``vdu-profile`` (compute, storage, images, CPs), the
virtual links they, the ext CPs and the ``virtual-link-profile`` use, the ext CPs, the scaling aspects and their
deltas, the instantiation levels and the affinity groups and rules. What does not hold together in a level, an
aspect or an ext CP makes it unusable with a warning (``Flavour.unusable``), as the SOL001 reader does.
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import (
    AffinityRule, ExtCp, Flavour, InstantiationLevel, ScalingAspect, Vdu, VduCp, VirtualLink, VirtualStorage,
)
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sol006_schema import DAY12, OSM, ident_of, idents, rounded_up, snake, yang_bool
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import as_list, as_map, as_str

_OSM_VNIC = {'paravirt': 'normal', 'virtio': 'normal', 'e1000': 'normal', 'rtl8139': 'normal', 'pcnet': 'normal',
             'sr-iov': 'direct', 'pci-passthrough': 'direct-physical'}


class DfReader:
    """One ``df`` of the VNFD -> a ``Flavour``."""

    def __init__(self, vnfd, at, df, df_id):
        self.v = vnfd
        self.at = at
        self.df = df
        self.flavour = Flavour(flavour_id=df_id, description=as_str(at.key('description'), df.get('description')), source=vnfd.path)
        self.cp_names = {}  # (vdu, int-cpd id) -> CP name in the flavour
        self.profiles = []  # (place, profile, VDU id) of the df's vdu-profiles

    def unusable(self, kind, part, error):
        self.flavour.mark(kind, part, str(error))
        self.v.warn('%s (%s %s of flavour %s unusable)' % (error, kind[:-1].replace('_', ' '), part, self.flavour.flavour_id))

    def build(self):
        v, df, at = self.v, self.df, self.at
        day12 = df
        for i, key in enumerate(DAY12):
            day12 = day12.get(key) if isinstance(day12, dict) else None
            if i == len(DAY12) - 1 and day12 is not None:
                v.kept[at.key('.'.join(DAY12)).path] = day12
                v.once(('df', 'day1-2'), '%s: %s: OSM information-model addition, not in the ETSI SOL006 YANG model: %s'
                       % (at.file, at.key('.'.join(DAY12)).path, OSM['df']['day1-2']))
        self.profiles = v.items(at.key('vdu-profile'), df.get('vdu-profile'), place='vdu-profile')
        ids = [cp for profile in self.profiles for cp in self._cp_ids(profile[2])]
        for pat, profile, vdu_id in self.profiles:
            self._vdu(pat, profile, vdu_id, {cp for cp in ids if ids.count(cp) > 1})
        self._links()
        self._ext_cps()
        self._aspects()
        self._levels()
        self._affinity()
        handled = ('id', 'description', 'vdu-profile', 'virtual-link-profile', 'scaling-aspect', 'instantiation-level',
                   'default-instantiation-level', 'affinity-or-anti-affinity-group')
        self.flavour.vnf_properties = {k: val for k, val in df.items() if k not in handled}
        return self.flavour

    def _cp_ids(self, vdu_id):
        vdu = self.v.vdus.get(vdu_id, (None, {}))[1]
        return [str(cp.get('id')) for cp in vdu.get('int-cpd') or () if isinstance(cp, dict)]

    def _vdu(self, pat, profile, vdu_id, shared_cp_ids):
        v, f = self.v, self.flavour
        vat, body = v.ref(pat.key('id'), vdu_id, v.vdus, 'vdu')
        low = v.count(pat.key('min-number-of-instances'), profile.get('min-number-of-instances'), 'instances', default=1)
        high = v.count(pat.key('max-number-of-instances'), profile.get('max-number-of-instances'), 'instances', default=1)
        if low > high:
            raise pat.error('min-number-of-instances %d is above max-number-of-instances %d' % (low, high))
        compute_id = as_str(vat.key('virtual-compute-desc'), body.get('virtual-compute-desc'))
        if compute_id is None:
            raise vat.key('virtual-compute-desc').error('is missing: every VDU needs its virtual-compute-desc')
        compute = v.compute(vat.key('virtual-compute-desc'), compute_id)
        vdu = Vdu(name=vdu_id, description=as_str(vat.key('description'), body.get('description')), min_instances=low,
                  max_instances=high, compute=compute, display_name=as_str(vat.key('name'), body.get('name')),
                  sw_image=v.image(vat.key('sw-image-desc'), as_str(vat.key('sw-image-desc'), body.get('sw-image-desc'))),
                  boot_order=body.get('boot-order'), boot_data=v.boot_data(vat, body),
                  monitoring_parameters=body.get('monitoring-parameter'), configurable_properties=body.get('configurable-properties'),
                  nfvi_constraints=body.get('nfvi-constraint'))
        storage = body.get('virtual-storage-desc')
        storage = [storage] if isinstance(storage, str) else as_list(vat.key('virtual-storage-desc'), storage)
        for i, ident in enumerate(storage):
            sat = vat.key('virtual-storage-desc').item(i)
            kind, size, rdma, image = v.storage(sat, as_str(sat, ident))
            if kind is None:
                compute.local_storage_gb.append(size or 0)
                continue
            f.storage.setdefault(ident, VirtualStorage(name=ident, kind=kind, size_gb=size, rdma_enabled=rdma, sw_image=image))
            vdu.storage.append(ident)
        compute.disk_gb = compute.local_storage_gb[0] if compute.local_storage_gb else 0
        for cat, cp, cp_id in v.items(vat.key('int-cpd'), body.get('int-cpd'), place='int-cpd'):
            name = '%s_%s' % (vdu_id, cp_id) if cp_id in shared_cp_ids else cp_id
            if name in f.cps:
                raise cat.error("CP name '%s' is taken by another CP of the flavour" % name)
            link = as_str(cat.key('int-virtual-link-desc'), cp.get('int-virtual-link-desc'))
            if link is not None:
                v.ref(cat.key('int-virtual-link-desc'), link, v.vls, 'int-virtual-link-desc')
            f.cps[name] = VduCp(name=name, vdu=vdu_id, virtual_link=link, order=v.count(cat.key('order'), cp.get('order'), default=None),
                                layer_protocols=idents(cat.key('layer-protocol'), cp.get('layer-protocol')),
                                vnic_type=self._vnic(cat, cp), protocol=snake(as_list(cat.key('protocol'), cp.get('protocol'))),
                                bitrate_requirement=rounded_up(cat.key('bitrate-requirement'), cp.get('bitrate-requirement')))
            self.cp_names[(vdu_id, cp_id)] = name
            vdu.cps.append(name)
        vdu.cps.sort(key=lambda cp: (f.cps[cp].order is None, f.cps[cp].order or 0, cp))
        f.vdus[vdu_id] = vdu

    @staticmethod
    def _vnic(at, cp):
        """``vnic-type``, or the one of OSM's ``virtual-network-interface-requirement[].virtual-interface.type``."""
        if cp.get('vnic-type') is not None:
            return ident_of(at.key('vnic-type'), cp['vnic-type'])
        for req in cp.get('virtual-network-interface-requirement') or ():
            kind = (req.get('virtual-interface') or {}).get('type') if isinstance(req, dict) else None
            if isinstance(kind, str) and kind.lower() in _OSM_VNIC:
                return _OSM_VNIC[kind.lower()]
        return None

    def _links(self):
        v, f = self.v, self.flavour
        profiles = {ident: (pat, p) for pat, p, ident in v.items(self.at.key('virtual-link-profile'), self.df.get('virtual-link-profile'))}
        used = {cp.virtual_link for cp in f.cps.values()} | set(profiles)
        used |= {as_str(eat, e.get('int-virtual-link-desc')) for eat, e, _ext in v.ext}
        for ident, (lat, body) in v.vls.items():
            if ident not in used:
                continue
            kinds = as_map(lat.key('connectivity-type'), body.get('connectivity-type'))
            link = VirtualLink(name=ident, description=as_str(lat.key('description'), body.get('description')),
                               layer_protocols=idents(lat.key('connectivity-type.layer-protocol'), kinds.get('layer-protocol')))
            if ident in profiles:
                pat, profile = profiles[ident]
                data = profile.get('virtual-link-protocol-data')
                data = [data] if isinstance(data, dict) else as_list(pat.key('virtual-link-protocol-data'), data)
                link.protocol_data = snake(data)
                for i, item in enumerate(data):
                    dat = pat.key('virtual-link-protocol-data').item(i).key('l3-protocol-data')
                    l3 = as_map(dat, as_map(dat, item).get('l3-protocol-data'))
                    if l3:
                        link.ip_version = ident_of(dat.key('ip-version'), l3.get('ip-version'))
                        link.cidr = as_str(dat.key('cidr'), l3.get('cidr'))
                        link.gateway_ip = as_str(dat.key('gateway-ip'), l3.get('gateway-ip'))
                        link.dhcp_enabled = yang_bool(dat.key('dhcp-enabled'), l3.get('dhcp-enabled'))
                        break
                link.max_bitrate = self._bitrate(pat.key('max-bit-rate-requirements'), profile.get('max-bit-rate-requirements'))
                link.min_bitrate = self._bitrate(pat.key('min-bit-rate-requirements'), profile.get('min-bit-rate-requirements'))
            f.virtual_links[ident] = link

    @staticmethod
    def _bitrate(at, value):
        """{root, leaf} bits per second (YANG uint64), None when absent."""
        return None if value is None else {k: rounded_up(at.key(k), n) for k, n in as_map(at, value).items()}

    def _ext_cps(self):
        v, f = self.v, self.flavour
        for eat, ext, ident in v.ext:
            layers = idents(eat.key('layer-protocol'), ext.get('layer-protocol'))
            if ext.get('int-cpd') is not None:
                iat = eat.key('int-cpd')
                inner = as_map(iat, ext['int-cpd'])
                vdu_id, cp_id = as_str(iat.key('vdu-id'), inner.get('vdu-id')), as_str(iat.key('cpd'), inner.get('cpd'))
                if vdu_id in f.vdus and (vdu_id, cp_id) in self.cp_names:
                    cp = f.cps[self.cp_names[(vdu_id, cp_id)]]
                    f.ext_cps[ident] = ExtCp(name=ident, cp=cp.name, kind='VduCp', vdu=vdu_id, virtual_link=cp.virtual_link,
                                             layer_protocols=cp.layer_protocols)
                elif vdu_id not in v.vdus or cp_id not in self._cp_ids(vdu_id):
                    self.unusable('ext_cps', ident, iat.error("no int-cpd '%s' of a vdu '%s' in the VNFD" % (cp_id, vdu_id)))
            elif ext.get('int-virtual-link-desc') is not None:
                link = as_str(eat.key('int-virtual-link-desc'), ext['int-virtual-link-desc'])
                if link in f.virtual_links:
                    f.ext_cps[ident] = ExtCp(name=ident, cp=ident, kind='VnfExtCp', virtual_link=link, layer_protocols=layers)
                else:
                    self.unusable('ext_cps', ident, eat.key('int-virtual-link-desc').error("'%s' is not an int-virtual-link-desc of the VNFD" % link))
            else:
                self.unusable('ext_cps', ident, eat.error('connects to neither an int-cpd nor an int-virtual-link-desc (a vip-cpd is not supported)'))

    def _aspects(self):
        v, f = self.v, self.flavour
        for aat, body, ident in v.items(self.at.key('scaling-aspect'), self.df.get('scaling-aspect'), place='scaling-aspect'):
            dat = aat.key('aspect-delta-details')
            details = as_map(dat, body.get('aspect-delta-details'))
            steps = details.get('step-deltas')
            steps = [steps] if isinstance(steps, str) else as_list(dat.key('step-deltas'), steps)
            aspect = ScalingAspect(id=ident, name=as_str(aat.key('name'), body.get('name')),
                                   description=as_str(aat.key('description'), body.get('description')),
                                   max_scale_level=v.count(aat.key('max-scale-level'), body.get('max-scale-level'), 'scale_levels'),
                                   step_deltas=[as_str(dat.key('step-deltas').item(i), s) for i, s in enumerate(steps)])
            f.aspects[ident] = aspect
            deltas, problem = {}, None
            for xat, delta, delta_id in v.items(dat.key('deltas'), details.get('deltas'), place='deltas'):
                deltas[delta_id] = {}
                for vat, vd, vdu_id in v.items(xat.key('vdu-delta'), delta.get('vdu-delta')):
                    deltas[delta_id][vdu_id] = v.count(vat.key('number-of-instances'), vd.get('number-of-instances'), 'instances')
                    if vdu_id not in f.vdus:
                        problem = problem or vat.key('id').error("'%s' is not a VDU of flavour '%s'" % (vdu_id, f.flavour_id))
                for bat, rate, vl_id in v.items(xat.key('virtual-link-bit-rate-delta'), delta.get('virtual-link-bit-rate-delta')):
                    if vl_id in f.virtual_links:
                        f.virtual_links[vl_id].bitrate_deltas.setdefault(ident, {})[delta_id] = self._bitrate(
                            bat.key('bit-rate-requirements'), rate.get('bit-rate-requirements'))
            if not aspect.step_deltas and aspect.max_scale_level:
                if len(deltas) == 1:
                    aspect.step_deltas = list(deltas)  # uniform deltas, as the SOL001 reader reads them
                else:
                    problem = problem or aat.error("aspect '%s' has no step-deltas to tell which of its %d deltas applies to each step"
                                                   % (ident, len(deltas)))
            for delta_id in dict.fromkeys(aspect.delta_ids()):
                if delta_id not in deltas:
                    problem = problem or dat.key('step-deltas').error("delta '%s' of aspect '%s' is not defined in deltas" % (delta_id, ident))
            if problem is not None:
                self.unusable('aspects', ident, problem)
                continue
            for vdu_id in dict.fromkeys(vdu for counts in deltas.values() for vdu in counts):
                aspect.vdu_deltas[vdu_id] = {delta_id: counts.get(vdu_id, 0) for delta_id, counts in deltas.items()}

    def _levels(self):
        v, f = self.v, self.flavour
        for lat, body, ident in v.items(self.at.key('instantiation-level'), self.df.get('instantiation-level'), place='instantiation-level'):
            level = f.levels[ident] = InstantiationLevel(id=ident, description=as_str(lat.key('description'), body.get('description')))
            for sat, info, aspect_id in v.items(lat.key('scaling-info'), body.get('scaling-info'), key='scaling-aspect-id'):
                scale = v.count(sat.key('scale-level'), info.get('scale-level'), 'scale_levels')
                aspect = f.aspects.get(aspect_id)
                if aspect is None:
                    self.unusable('levels', ident, sat.error("aspect '%s' is not a scaling-aspect of flavour '%s'" % (aspect_id, f.flavour_id)))
                    continue
                if scale > aspect.max_scale_level:
                    self.unusable('levels', ident, sat.error("scale-level %d is above max-scale-level %d of aspect '%s'"
                                                             % (scale, aspect.max_scale_level, aspect_id)))
                    scale = aspect.max_scale_level
                level.scale_levels[aspect_id] = scale
            for vat, info, vdu_id in v.items(lat.key('vdu-level'), body.get('vdu-level'), key='vdu-id'):
                count = v.count(vat.key('number-of-instances'), info.get('number-of-instances'), 'instances')
                error = f.check_instances({vdu_id: count})
                if error:
                    self.unusable('levels', ident, vat.error(error))
                    continue
                level.vdu_instances[vdu_id] = count
        dat = self.at.key('default-instantiation-level')
        default = as_str(dat, self.df.get('default-instantiation-level'))
        if default is not None and default not in f.levels:
            raise dat.error("'%s' is not an instantiation-level (levels: %s)" % (default, ', '.join(f.levels) or 'none'))
        f.declared_default_level = default
        for level_id in f.levels:
            error = None if f.problem('levels', level_id) else f.check_level_counts(level_id)
            if error:
                self.unusable('levels', level_id, self.at.key('instantiation-level').error("level '%s': %s" % (level_id, error)))

    def _affinity(self):
        v, f = self.v, self.flavour
        members = {}
        for pat, profile, vdu_id in self.profiles:
            groups = profile.get('affinity-or-anti-affinity-group-id')
            groups = [groups] if isinstance(groups, str) else as_list(pat.key('affinity-or-anti-affinity-group-id'), groups)
            for i, group in enumerate(groups):
                group = group.get('id') if isinstance(group, dict) else group  # OSM writes a list of {id: ...}
                members.setdefault(as_str(pat.key('affinity-or-anti-affinity-group-id').item(i), group), []).append(vdu_id)
            rat = pat.key('local-affinity-or-anti-affinity-rule')
            for i, rule in enumerate(as_list(rat, profile.get('local-affinity-or-anti-affinity-rule'))):
                rule = as_map(rat.item(i), rule)
                f.affinity_rules.append(AffinityRule(name='%s-local-%d' % (vdu_id, i), kind=self._kind(rat.item(i), rule, 'type'),
                                                     scope=self._scope(rat.item(i), rule), members=[vdu_id], targets=[vdu_id]))
        groups = {ident: (gat, g) for gat, g, ident in v.items(self.at.key('affinity-or-anti-affinity-group'),
                                                               self.df.get('affinity-or-anti-affinity-group'), place='affinity-or-anti-affinity-group')}
        for group in members:
            v.ref(self.at.key('vdu-profile'), group, groups, 'affinity-or-anti-affinity-group')
        for ident, (gat, group) in groups.items():
            f.affinity_rules.append(AffinityRule(name=ident, kind=self._kind(gat, group, 'affinityorAntiaffinity'),
                                                 scope=self._scope(gat, group), members=members.get(ident, []), targets=[ident]))

    @staticmethod
    def _kind(at, rule, key):
        kind = ident_of(at.key(key), rule.get(key, rule.get('type')))
        if kind not in ('affinity', 'anti-affinity'):
            raise at.key(key).error("must be affinity or anti-affinity, not %r" % (kind,))
        return kind

    @staticmethod
    def _scope(at, rule):
        scope = ident_of(at.key('scope'), rule.get('scope'))
        return scope.replace('-', '_') if scope else scope
