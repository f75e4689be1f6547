# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The policies of one deployment flavour: scaling aspects, instantiation levels, the instance counts and bitrates
of VDUs and virtual links per level and per scaling delta, and affinity / anti-affinity rules.

``PolicyReader(builder).read()`` reads them in dependency order (aspects and levels first) into the builder's
``Flavour``; policies of types we do not model are kept as ``other_policies``.

Read as Tacker reads them: an aspect whose ``step_deltas`` name a delta its ``VduScalingAspectDeltas`` do not
define, or a level that gives a VDU more (or fewer) instances than its ``vdu_profile`` allows, is marked unusable
(``Flavour.mark``) with a warning, and only scaling that aspect / instantiating at that level is refused.
When two ``VduInstantiationLevels`` policies give the same VDU different counts at one level, the FIRST policy
(in the order the flavour lists them) wins and the other is a warning: Tacker's VNFM takes the first policy that
targets the VDU, so a VNF gets the same number of instances here as there.
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import etsi_types as T
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import AffinityRule, InstantiationLevel, ScalingAspect
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import as_count, as_list, as_map, as_names, as_str


class PolicyReader:
    """The policies of one topology, read in dependency order: aspects and levels first."""

    def __init__(self, builder):
        self.b = builder
        self.flavour = builder.flavour
        self.budgets = builder.reader.budgets
        self.policies = []  # (base type, name, properties, targets, at, type as written)
        self.level_counts = {}  # (level, VDU) -> the VduInstantiationLevels policy that gave its count
        self.levels_at = None
        pat = builder.at.key('policies')
        raw = builder.topology.get('policies')
        items = list(raw.items()) if isinstance(raw, dict) else list(enumerate(as_list(pat, raw)))
        for i, item in items:
            if isinstance(i, int):
                if not isinstance(item, dict) or len(item) != 1:
                    raise pat.item(i).error('must be a mapping of one policy name to its definition')
                name, body = next(iter(item.items()))
                at = pat.item(i, name)
            else:
                name, body, at = i, item, pat.key(i)
            body = as_map(at, body)
            base = builder.types.base('policy', body.get('type'), at.key('type'))
            self.policies.append((base, name, as_map(at.key('properties'), body.get('properties')), body.get('targets'), at, body['type']))

    def read(self):
        order = ((T.P_SCALING_ASPECTS, self._aspects), (T.P_INSTANTIATION_LEVELS, self._levels),
                 (T.P_VDU_INITIAL, self._vdu_initial), (T.P_VDU_DELTAS, self._vdu_deltas), (T.P_VDU_LEVELS, self._vdu_levels),
                 (T.P_VL_INITIAL, self._vl_initial), (T.P_VL_DELTAS, self._vl_deltas), (T.P_VL_LEVELS, self._vl_levels),
                 (T.P_AFFINITY, self._affinity), (T.P_ANTI_AFFINITY, self._affinity))
        for base, handler in order:
            for policy in self.policies:
                if policy[0] == base:
                    handler(*policy[:5])
        modelled = dict(order)
        for base, name, props, targets, at, type_name in self.policies:
            if base not in modelled:
                self.flavour.other_policies.append({'name': name, 'type': type_name, 'targets': targets, 'properties': props})
        for level_id in self.flavour.levels:
            error = None if self.flavour.problem('levels', level_id) else self.flavour.check_level_counts(level_id)
            if error:
                self.b.unusable('levels', level_id, self.levels_at.error("level '%s': %s" % (level_id, error)))

    def _targets(self, at, targets, bases, what):
        return [self.b.target(at.key('targets').item(i), t, bases, what) for i, t in enumerate(as_names(at.key('targets'), targets))]

    def _level(self, at, level_id):
        if level_id not in self.flavour.levels:
            raise at.error("level '%s' is not defined in the InstantiationLevels of flavour '%s' (levels: %s)"
                           % (level_id, self.flavour.flavour_id, ', '.join(self.flavour.levels) or 'none'))
        return level_id

    def _aspect(self, at, aspect_id):
        if not isinstance(aspect_id, str) or aspect_id not in self.flavour.aspects:
            raise at.error("aspect '%s' is not defined in the ScalingAspects of flavour '%s' (aspects: %s)"
                           % (aspect_id, self.flavour.flavour_id, ', '.join(self.flavour.aspects) or 'none'))
        return self.flavour.aspects[aspect_id]

    def _aspects(self, base, name, props, targets, at):
        for aspect_id, spec in as_map(at.key('properties.aspects'), props.get('aspects')).items():
            aat = at.key('properties.aspects').key(aspect_id)
            spec = as_map(aat, spec)
            self.flavour.aspects[aspect_id] = ScalingAspect(
                id=aspect_id, name=as_str(aat.key('name'), spec.get('name')), description=as_str(aat.key('description'), spec.get('description')),
                max_scale_level=as_count(aat.key('max_scale_level'), spec.get('max_scale_level'), self.budgets, 'scale_levels', required=True),
                step_deltas=as_names(aat.key('step_deltas'), spec.get('step_deltas')))

    def _levels(self, base, name, props, targets, at):
        self.levels_at = at
        for level_id, spec in as_map(at.key('properties.levels'), props.get('levels')).items():
            lat = at.key('properties.levels').key(level_id)
            spec = as_map(lat, spec)
            level = InstantiationLevel(id=level_id, description=as_str(lat.key('description'), spec.get('description')))
            for aspect_id, info in as_map(lat.key('scale_info'), spec.get('scale_info')).items():
                sat = lat.key('scale_info').key(aspect_id)
                aspect = self._aspect(sat, aspect_id)
                scale = as_count(sat.key('scale_level'), as_map(sat, info).get('scale_level'), self.budgets, 'scale_levels', required=True)
                if scale > aspect.max_scale_level:
                    self.b.unusable('levels', level_id, sat.error("scale_level %d is above max_scale_level %d of aspect '%s'"
                                                                  % (scale, aspect.max_scale_level, aspect_id)))
                    scale = aspect.max_scale_level
                level.scale_levels[aspect_id] = scale
            self.flavour.levels[level_id] = level
        default = as_str(at, props.get('default_level'))
        if default is not None and default not in self.flavour.levels:
            raise at.error("default_level '%s' is not a defined level (levels: %s)" % (default, ', '.join(self.flavour.levels) or 'none'))
        self.flavour.declared_default_level = default

    def _vdu_initial(self, base, name, props, targets, at):
        count = as_count(at.key('properties.initial_delta.number_of_instances'),
                         as_map(at.key('properties.initial_delta'), props.get('initial_delta')).get('number_of_instances'),
                         self.budgets, 'instances', required=True)
        for vdu in self._targets(at, targets, (T.VDU_COMPUTE,), 'VDU'):
            self.flavour.initial_deltas[vdu] = count

    def _vdu_deltas(self, base, name, props, targets, at):
        aspect = self._aspect(at.key('properties.aspect'), props.get('aspect'))
        deltas = {}
        for delta_id, spec in as_map(at.key('properties.deltas'), props.get('deltas')).items():
            dat = at.key('properties.deltas').key(delta_id)
            deltas[delta_id] = as_count(dat.key('number_of_instances'), as_map(dat, spec).get('number_of_instances'), self.budgets, 'instances', required=True)
        vdus = self._targets(at, targets, (T.VDU_COMPUTE,), 'VDU')
        if not aspect.step_deltas and aspect.max_scale_level:
            if len(deltas) != 1:
                self.b.unusable('aspects', aspect.id, at.error("aspect '%s' has no step_deltas to tell which of the deltas applies to each step" % aspect.id))
                return
            aspect.step_deltas = list(deltas)  # uniform deltas: the aspect names no step_deltas, the VDU has one delta
        for delta_id in dict.fromkeys(aspect.delta_ids()):
            if delta_id not in deltas:
                self.b.unusable('aspects', aspect.id, at.error("delta '%s' of aspect '%s' (step_deltas) is not defined in properties.deltas"
                                                               % (delta_id, aspect.id)))
                return
        for vdu in vdus:
            aspect.vdu_deltas[vdu] = deltas

    def _vdu_levels(self, base, name, props, targets, at):
        counts = {}
        for level_id, spec in as_map(at.key('properties.levels'), props.get('levels')).items():
            lat = at.key('properties.levels').key(level_id)
            counts[self._level(at, level_id)] = as_count(lat.key('number_of_instances'), as_map(lat, spec).get('number_of_instances'),
                                                         self.budgets, 'instances', required=True)
        for vdu in self._targets(at, targets, (T.VDU_COMPUTE,), 'VDU'):
            for level_id, count in counts.items():
                first = self.level_counts.setdefault((level_id, vdu), (name, count))
                if first[0] != name:
                    if first[1] != count:
                        self.b.reader.warn(at.error("level '%s': %s has %d instances from VduInstantiationLevels policy %s, which wins "
                                                    "(the first policy naming a VDU wins, as in Tacker): %d ignored"
                                                    % (level_id, vdu, first[1], first[0], count)))
                    continue
                error = self.flavour.check_instances({vdu: count})
                if error:
                    self.b.unusable('levels', level_id, at.error("level '%s': %s" % (level_id, error)))
                    continue
                self.flavour.levels[level_id].vdu_instances[vdu] = count

    def _vl_initial(self, base, name, props, targets, at):
        delta = as_map(at.key('properties.initial_delta'), props.get('initial_delta')).get('bitrate_requirements')
        for vl in self._targets(at, targets, (T.VIRTUAL_LINK,), 'virtual link'):
            self.flavour.virtual_links[vl].bitrate_initial_delta = delta

    def _vl_deltas(self, base, name, props, targets, at):
        aspect = self._aspect(at.key('properties.aspect'), props.get('aspect'))
        deltas = {d: as_map(at.key('properties.deltas').key(d), spec).get('bitrate_requirements')
                  for d, spec in as_map(at.key('properties.deltas'), props.get('deltas')).items()}
        for vl in self._targets(at, targets, (T.VIRTUAL_LINK,), 'virtual link'):
            self.flavour.virtual_links[vl].bitrate_deltas[aspect.id] = deltas

    def _vl_levels(self, base, name, props, targets, at):
        levels = {self._level(at, level_id): as_map(at.key('properties.levels').key(level_id), spec).get('bitrate_requirements')
                  for level_id, spec in as_map(at.key('properties.levels'), props.get('levels')).items()}
        for vl in self._targets(at, targets, (T.VIRTUAL_LINK,), 'virtual link'):
            self.flavour.virtual_links[vl].bitrate_levels.update(levels)

    def _affinity(self, base, name, props, targets, at):
        written = as_names(at.key('targets'), targets)
        members = []
        for i, target in enumerate(written):
            if target in self.b.groups:
                members.extend(self.b.groups[target])
            else:
                members.append(self.b.target(at.key('targets').item(i), target, (T.VDU_COMPUTE, T.VIRTUAL_LINK), 'VDU, virtual link or placement group'))
        self.flavour.affinity_rules.append(AffinityRule(
            name=name, kind='affinity' if base == T.P_AFFINITY else 'anti-affinity',
            scope=as_str(at.key('properties.scope'), props.get('scope')), members=members, targets=written))
