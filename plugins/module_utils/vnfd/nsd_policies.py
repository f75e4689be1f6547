# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The policies of an NSD flavour: NsInstantiationLevels, NsScalingAspects and the level mappings.

``read_policies(topology, flavour)`` reads the policies of one topology_template (``nsd_reader._Topology``) into
its ``NsFlavour``: levels and default level, aspects and their NS scale levels, the Vnf/Ns/VirtualLink-ToLevelMapping
policies (by aspect level) and their *ToInstantiationLevelMapping forms (by level id); other policies are kept as
``OtherPolicy``. Policies may be the TOSCA list of one-entry maps or a map; policies written at the top of the file
instead of under topology_template are read, with a warning. A mapping of an unknown aspect or level, a target of
the wrong kind or none, a count outside the VNF's min..max: warnings. Refused: an aspect or a level defined twice,
two default levels, a default level that is no level, a count that is not an integer.
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import nsd_model as M
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import nsd_types as N
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import At, as_int, as_map, as_names, as_str

# policy type -> (kind of its targets, what it is keyed by, the property holding the values)
MAPPINGS = {
    N.P_VNF_TO_LEVEL: (M.VNF, M.ASPECT_LEVEL, 'number_of_instances'),
    N.P_NS_TO_LEVEL: (M.NESTED_NS, M.ASPECT_LEVEL, 'number_of_instances'),
    N.P_VL_TO_LEVEL: (M.VIRTUAL_LINK, M.ASPECT_LEVEL, 'bit_rate_requirements'),
    N.P_VNF_TO_INST: (M.VNF, M.INSTANTIATION_LEVEL, 'number_of_instances'),
    N.P_NS_TO_INST: (M.NESTED_NS, M.INSTANTIATION_LEVEL, 'number_of_instances'),
    N.P_VL_TO_INST: (M.VIRTUAL_LINK, M.INSTANTIATION_LEVEL, 'bit_rate_requirements'),
}


def _level_number(at, key):
    """An NS scale level (a map key): an integer, also when written as a string of digits."""
    if isinstance(key, str) and key.strip().isdigit():
        key = int(key)
    return as_int(at, key, required=True)


def _policy_items(topology):
    """[(name, body, path)] of the policies of a topology (a list of one-entry maps or a map)."""
    doc = topology.reader.docs[topology.path]
    if 'policies' in topology.topology:
        at, raw = topology.tat.key('policies'), topology.topology['policies']
    elif doc.get('policies') is not None:
        at, raw = At(topology.path, 'policies'), doc['policies']
        topology.warn(at, 'policies sit at the top level of the file, not under topology_template: read as if they did')
    else:
        return []
    if not isinstance(raw, list):
        return [(name, body, at.key(name)) for name, body in as_map(at, raw).items()]
    items = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or len(item) != 1:
            raise at.item(i).error('must be a mapping of one policy name to its definition')
        name, body = next(iter(item.items()))
        items.append((name, body, at.item(i, name)))
    return items


class _Policies:
    def __init__(self, topology, flavour):
        self.topology, self.flavour = topology, flavour
        self.defaults = []  # (policy path, default_level)
        self.aspect_of = {}  # aspect id -> the policy path defining it
        self.level_of = {}
        self.mappings = []  # (LevelMapping, policy path), checked once every aspect and level is known

    def read(self):
        readers = {N.P_NS_ASPECTS: self._aspects, N.P_NS_LEVELS: self._levels}
        for name, body, at in _policy_items(self.topology):
            body = as_map(at, body)
            try:
                base = self.topology.reader.types.base('policy', body.get('type'), at.key('type'))
            except PackageError as exc:
                self.topology.warn(at, '%s: policy ignored' % str(exc).rsplit(': ', 1)[-1])
                continue
            props = as_map(at.key('properties'), body.get('properties'))
            if base in readers:
                readers[base](at.key('properties'), props)
            elif base in MAPPINGS:
                self._mapping(name, at, body, props, MAPPINGS[base])
            else:
                self.flavour.policies.append(M.OtherPolicy(name=name, type=body.get('type'), properties=props,
                                                           targets=as_names(at.key('targets'), body.get('targets'))))
        self._default_level()
        for mapping, at in self.mappings:
            self._check(mapping, at)

    @staticmethod
    def _entries(at, value, seen, what):
        """[(id, path, definition)] of a map of aspects or levels; an id that ``seen`` already has is refused."""
        found = []
        for key, spec in as_map(at, value).items():
            where, key = at.key(key), str(key)
            if key in seen:
                raise where.error("%s '%s' is also defined at %s" % (what, key, seen[key]))
            seen[key] = where.path
            found.append((key, where, as_map(where, spec)))
        return found

    def _aspects(self, at, props):
        for aspect_id, where, spec in self._entries(at.key('aspects'), props.get('aspects'), self.aspect_of, 'aspect'):
            aspect = M.NsScalingAspect(id=aspect_id, name=as_str(where.key('name'), spec.get('name')),
                                       description=as_str(where.key('description'), spec.get('description')))
            lat = where.key('ns_scale_levels')
            for key, level in as_map(lat, spec.get('ns_scale_levels')).items():
                level = as_map(lat.key(key), level)
                aspect.levels[_level_number(lat.key(key), key)] = as_str(lat.key(key).key('description'), level.get('description'))
            self.flavour.aspects[aspect_id] = aspect

    def _levels(self, at, props):
        for level_id, where, spec in self._entries(at.key('ns_levels'), props.get('ns_levels'), self.level_of, 'NS instantiation level'):
            self.flavour.levels[level_id] = M.NsLevel(id=level_id, description=as_str(where.key('description'), spec.get('description')))
        default = as_str(at.key('default_level'), props.get('default_level'))
        if default is not None:
            self.defaults.append((at.key('default_level'), default))

    def _default_level(self):
        levels = self.flavour.levels
        chosen = sorted(set(d for _at, d in self.defaults))
        if len(chosen) > 1:
            raise self.defaults[-1][0].error('two default NS instantiation levels: %s' % ', '.join(chosen))
        if chosen and chosen[0] not in levels:
            raise self.defaults[0][0].error("'%s' is not an NS instantiation level (%s)" % (chosen[0], ', '.join(levels) or 'none'))
        if chosen:
            self.flavour.default_level = chosen[0]
        elif len(levels) == 1:
            self.flavour.default_level = next(iter(levels))
        elif levels:
            self.topology.warn(self.topology.tat, 'no default_level among the NS instantiation levels (%s): one must be asked for'
                               % ', '.join(levels))

    def _mapping(self, name, at, body, props, spec):
        kind, key, values_key = spec
        targets = as_names(at.key('targets'), body.get('targets'))
        kept = [t for t in targets if self.topology.kinds.get(t) == kind]
        for target in targets:
            if target not in kept:
                found = self.topology.kinds.get(target)
                self.topology.warn(at.key('targets'), "'%s' is %s, not a %s node: not a target of this mapping"
                                   % (target, 'a %s node' % found if found else 'no node template', kind))
        if not kept:
            self.topology.warn(at, 'no %s target: mapping ignored' % kind)
            return
        vat = at.key('properties').key(values_key)
        values = {}
        for level, value in as_map(vat, props.get(values_key)).items():
            lkey = _level_number(vat.key(level), level) if key == M.ASPECT_LEVEL else str(level)
            values[lkey] = as_int(vat.key(level), value, required=True) if values_key == 'number_of_instances' else as_map(vat.key(level), value)
        mapping = M.LevelMapping(name=name, kind=kind, key=key, targets=kept, values=values,
                                 aspect=as_str(at.key('properties.aspect'), props.get('aspect')) if key == M.ASPECT_LEVEL else None)
        self.flavour.mappings.append(mapping)
        self.mappings.append((mapping, at))
        if kind == M.VIRTUAL_LINK and key == M.INSTANTIATION_LEVEL:
            for target in kept:  # as the VNFD's VirtualLinkInstantiationLevels give them
                self.flavour.virtual_links[target].bitrate_levels.update(values)

    def _check(self, mapping, at):
        """Warnings for a mapping of an unknown aspect, level or a count outside the targets' min..max."""
        flavour, warn = self.flavour, self.topology.warn
        if mapping.key == M.ASPECT_LEVEL:
            aspect = flavour.aspects.get(mapping.aspect)
            if aspect is None:
                named = [a.id for a in flavour.aspects.values() if a.name == mapping.aspect]
                warn(at.key('properties.aspect'), "'%s' is not an NS scaling aspect (%s)%s" % (
                    mapping.aspect, ', '.join(flavour.aspects) or 'none', "; it is the name of aspect '%s'" % named[0] if named else ''))
            else:
                beyond = sorted(n for n in mapping.values if n > aspect.max_scale_level)
                if beyond:
                    warn(at.key('properties'), 'scale levels beyond the max scale level %d of aspect %s: %s'
                         % (aspect.max_scale_level, aspect.id, ', '.join(map(str, beyond))))
        else:
            unknown = [level for level in mapping.values if level not in flavour.levels]
            if unknown:
                warn(at.key('properties'), '%s: not NS instantiation levels (%s)' % (', '.join(unknown), ', '.join(flavour.levels) or 'none'))
        if mapping.kind == M.VIRTUAL_LINK:
            return
        for target in mapping.targets:
            node = flavour.constituents()[target]
            high = node.max_instances
            outside = sorted(str(k) for k, n in mapping.values.items() if n < node.min_instances or (high is not None and n > high))
            if outside:
                warn(at.key('properties'), "%s: the counts at %s lie outside its %d..%s instances"
                     % (target, ', '.join(outside), node.min_instances, high if high is not None else ''))


def read_policies(topology, flavour):
    _Policies(topology, flavour).read()
