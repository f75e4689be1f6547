# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One deployment flavour of a VNFD: the topology's VDUs, connection points, virtual links, storage and artifacts.

``FlavourBuilder(reader, path, topology, flavour_id, node_type).build()`` reads the node templates of one topology
(virtual links and storage first, then VDUs, their CPs and the external CPs), its placement groups, the VNF's LCM
interface, and hands the policies to ``PolicyReader`` (policies.py); it returns the ``Flavour`` (model.py).
"""
from __future__ import annotations

import posixpath

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import etsi_types as T
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import (
    Artifact, ExtCp, Flavour, SwImage, Vdu, VduCp, VirtualCompute, VirtualLink, VirtualStorage,
)
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.policies import PolicyReader
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import is_url, package_path
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import (
    At, as_bool, as_count, as_int, as_list, as_map, as_names, as_size, as_str, requirements_of,
)


def _lcm_operations(at, interfaces, into):
    iface = as_map(at.key('Vnflcm'), as_map(at, interfaces).get('Vnflcm'))
    ops = iface.get('operations') if isinstance(iface.get('operations'), dict) else iface
    for op, body in ops.items():
        if op in ('type', 'inputs', 'description', 'notifications', 'operations'):
            continue
        impl = body.get('implementation') if isinstance(body, dict) else body
        if isinstance(impl, dict):
            impl = impl.get('primary')
        into[op] = impl if isinstance(impl, str) else None


class FlavourBuilder:
    def __init__(self, reader, path, topology, flavour_id, node_type):
        self.reader = reader
        self.types = reader.types
        self.at = At(path, 'topology_template')
        self.topology = topology
        self.node_type = node_type
        self.flavour = Flavour(flavour_id=flavour_id, source=path)
        self.nodes = {}  # name -> (base type, body, at)
        self.ext_nodes = {}  # VnfExtCp name -> (internal VL, layer protocols)
        self.groups = {}

    def build(self):
        nat = self.at.key('node_templates')
        for name, body in as_map(nat, self.topology.get('node_templates')).items():
            at = nat.key(name)
            body = as_map(at, body)
            self.nodes[name] = (self.types.base('node', body.get('type'), at.key('type')), body, at)
        handlers = ((T.VIRTUAL_LINK, self._virtual_link), (T.BLOCK_STORAGE, self._storage), (T.OBJECT_STORAGE, self._storage),
                    (T.FILE_STORAGE, self._storage), (T.VDU_COMPUTE, self._vdu), (T.VDU_CP, self._vdu_cp),
                    (T.VNF_EXT_CP, self._vnf_ext_cp), (T.VNF, self._vnf))
        for base, handler in handlers:
            for name, (node_base, body, at) in self.nodes.items():
                if node_base == base:
                    handler(name, body, at)
        if not self.flavour.lcm_operations:
            for at, body in self.types.chain('node', self.node_type):
                _lcm_operations(at.key('interfaces'), body.get('interfaces'), self.flavour.lcm_operations)
        if self.flavour.description is None:
            self.flavour.description = as_str(self.at, self.types.defaults(self.node_type).get('flavour_description'))
        for vdu in self.flavour.vdus.values():
            vdu.cps.sort(key=lambda cp: (self.flavour.cps[cp].order is None, self.flavour.cps[cp].order or 0, cp))
        self._ext_cps()
        self._groups()
        PolicyReader(self).read()
        return self.flavour

    def unusable(self, kind, part, error):
        """Keep ``part`` of the flavour out of use (model.Flavour.mark) and warn with the reader's line ``error``."""
        self.flavour.mark(kind, part, str(error))
        self.reader.warn('%s (%s %s of flavour %s unusable)' % (error, kind[:-1].replace('_', ' '), part, self.flavour.flavour_id))

    def target(self, at, name, bases, what):
        if name not in self.nodes or self.nodes[name][0] not in bases:
            raise at.error("'%s' is not a %s of flavour '%s'" % (name, what, self.flavour.flavour_id))
        return name

    def _sw_image(self, at, props, body):
        data = as_map(at.key('properties.sw_image_data'), props.get('sw_image_data'))
        if not data:
            return None
        dat = at.key('properties.sw_image_data')
        checksum = as_map(dat.key('checksum'), data.get('checksum'))
        image = SwImage(
            name=as_str(dat.key('name'), data.get('name')), version=as_str(dat.key('version'), data.get('version')),
            checksum={'algorithm': as_str(dat.key('checksum.algorithm'), checksum.get('algorithm')),
                      'hash': as_str(dat.key('checksum.hash'), checksum.get('hash'))} if checksum else None,
            container_format=as_str(dat.key('container_format'), data.get('container_format')),
            disk_format=as_str(dat.key('disk_format'), data.get('disk_format')),
            min_disk_gb=as_size(dat.key('min_disk'), data.get('min_disk'), 2 ** 30),
            min_ram_mb=as_size(dat.key('min_ram'), data.get('min_ram'), 2 ** 20),
            size_gb=as_size(dat.key('size'), data.get('size'), 2 ** 30),
            operating_system=as_str(dat.key('operating_system'), data.get('operating_system')),
            supported_virtualisation_environments=as_list(dat.key('supported_virtualisation_environments'),
                                                          data.get('supported_virtualisation_environments')))
        for artifact in self._artifacts(at, body).values():
            if artifact.type == T.SW_IMAGE_ARTIFACT or artifact.name == 'sw_image':
                image.file, image.carried = artifact.file, artifact.carried
                break
        return image

    def _artifacts(self, at, body):
        found = {}
        aat = at.key('artifacts')
        for name, spec in as_map(aat, body.get('artifacts')).items():
            spec = {'file': spec} if isinstance(spec, str) else as_map(aat.key(name), spec)
            ref = spec.get('file')
            if not isinstance(ref, str):
                raise aat.key(name).key('file').error('must be a file name or URL')
            path = ref if is_url(ref) else package_path(posixpath.dirname(at.file), ref)
            kind = as_str(aat.key(name).key('type'), spec.get('type'))
            if path is None:  # a file of the VNFM host (Tacker's management drivers): external, never opened
                self.reader.warn('%s: %s: %s' % (aat.file, aat.key(name).key('file').path,
                                                 "'%s' is outside the package: read as an external artifact, never opened" % ref))
                found[name] = Artifact(name=name, type=kind, file=ref, carried=False, external=True)
                continue
            found[name] = Artifact(name=name, type=kind, file=path, carried=not is_url(ref) and self.reader.source.has(path))
        return found

    def _vdu(self, name, body, at):
        pat = at.key('properties')
        props = as_map(pat, body.get('properties'))
        if 'vdu_profile' not in props:
            raise pat.error('vdu_profile is missing')
        profile = as_map(pat.key('vdu_profile'), props['vdu_profile'])
        budgets = self.reader.budgets
        low = as_count(pat.key('vdu_profile.min_number_of_instances'), profile.get('min_number_of_instances'), budgets, 'instances', required=True)
        high = as_count(pat.key('vdu_profile.max_number_of_instances'), profile.get('max_number_of_instances'), budgets, 'instances', required=True)
        if low > high:
            raise pat.key('vdu_profile').error('min_number_of_instances %d is above max_number_of_instances %d' % (low, high))
        cat = at.key('capabilities.virtual_compute.properties')
        caps = as_map(at.key('capabilities'), body.get('capabilities'))
        compute = as_map(cat, as_map(at.key('capabilities.virtual_compute'), caps.get('virtual_compute')).get('properties'))
        cpu = as_map(cat.key('virtual_cpu'), compute.get('virtual_cpu'))
        memory = as_map(cat.key('virtual_memory'), compute.get('virtual_memory'))
        local = []
        for i, disk in enumerate(as_list(cat.key('virtual_local_storage'), compute.get('virtual_local_storage'))):
            dat = cat.key('virtual_local_storage').item(i)
            local.append(as_size(dat.key('size_of_storage'), as_map(dat, disk).get('size_of_storage'), 2 ** 30) or 0)
        vdu = Vdu(
            name=name, description=as_str(pat.key('description'), props.get('description')), min_instances=low, max_instances=high,
            compute=VirtualCompute(
                vcpus=as_int(cat.key('virtual_cpu.num_virtual_cpu'), cpu.get('num_virtual_cpu')),
                memory_mb=as_size(cat.key('virtual_memory.virtual_mem_size'), memory.get('virtual_mem_size'), 2 ** 20),
                disk_gb=local[0] if local else 0, local_storage_gb=local,
                requested_additional_capabilities=as_map(cat.key('requested_additional_capabilities'),
                                                         compute.get('requested_additional_capabilities')),
                virtual_cpu={k: v for k, v in cpu.items() if k != 'num_virtual_cpu'}),
            sw_image=self._sw_image(at, props, body), display_name=as_str(pat.key('name'), props.get('name')),
            boot_order=props.get('boot_order'), boot_data=props.get('boot_data'),
            monitoring_parameters=props.get('monitoring_parameters'),
            configurable_properties=props.get('configurable_properties'), nfvi_constraints=props.get('nfvi_constraints'))
        storage_bases = (T.BLOCK_STORAGE, T.OBJECT_STORAGE, T.FILE_STORAGE)
        for req, target, rat in requirements_of(at.key('requirements'), body):
            if req == 'virtual_storage' and target is not None:
                vdu.storage.append(self.target(rat, target, storage_bases, 'virtual storage'))
        self.flavour.vdus[name] = vdu

    def _storage(self, name, body, at):
        pat = at.key('properties')
        props = as_map(pat, body.get('properties'))
        base = self.nodes[name][0]
        kind, data_key, size_key = {T.BLOCK_STORAGE: ('block', 'virtual_block_storage_data', 'size_of_storage'),
                                    T.OBJECT_STORAGE: ('object', 'virtual_object_storage_data', 'max_size_of_storage'),
                                    T.FILE_STORAGE: ('file', 'virtual_file_storage_data', 'size_of_storage')}[base]
        dat = pat.key(data_key)
        data = as_map(dat, props.get(data_key))
        self.flavour.storage[name] = VirtualStorage(
            name=name, kind=kind, size_gb=as_size(dat.key(size_key), data.get(size_key), 2 ** 30),
            rdma_enabled=bool(as_bool(dat.key('rdma_enabled'), data.get('rdma_enabled'))),
            sw_image=self._sw_image(at, props, body))

    def _virtual_link(self, name, body, at):
        pat = at.key('properties')
        props = as_map(pat, body.get('properties'))
        profile = as_map(pat.key('vl_profile'), props.get('vl_profile'))
        vl = VirtualLink(
            name=name, description=as_str(pat.key('description'), props.get('description')),
            layer_protocols=as_list(pat.key('connectivity_type.layer_protocols'),
                                    as_map(pat.key('connectivity_type'), props.get('connectivity_type')).get('layer_protocols')),
            protocol_data=as_list(pat.key('vl_profile.virtual_link_protocol_data'), profile.get('virtual_link_protocol_data')),
            max_bitrate=profile.get('max_bitrate_requirements'), min_bitrate=profile.get('min_bitrate_requirements'))
        for i, data in enumerate(vl.protocol_data):
            dat = pat.key('vl_profile.virtual_link_protocol_data').item(i)
            l3 = as_map(dat.key('l3_protocol_data'), as_map(dat, data).get('l3_protocol_data'))
            if l3:
                lat = dat.key('l3_protocol_data')
                vl.ip_version = as_str(lat.key('ip_version'), l3.get('ip_version'))
                vl.cidr = as_str(lat.key('cidr'), l3.get('cidr'))
                vl.gateway_ip = as_str(lat.key('gateway_ip'), l3.get('gateway_ip'))
                vl.dhcp_enabled = as_bool(lat.key('dhcp_enabled'), l3.get('dhcp_enabled'))
                break
        self.flavour.virtual_links[name] = vl

    def _vdu_cp(self, name, body, at):
        pat = at.key('properties')
        props = as_map(pat, body.get('properties'))
        cp = VduCp(name=name, vdu=None, virtual_link=None, order=as_int(pat.key('order'), props.get('order')),
                   layer_protocols=as_list(pat.key('layer_protocols'), props.get('layer_protocols')),
                   vnic_type=as_str(pat.key('vnic_type'), props.get('vnic_type')),
                   bitrate_requirement=as_int(pat.key('bitrate_requirement'), props.get('bitrate_requirement')),
                   protocol=as_list(pat.key('protocol'), props.get('protocol')))
        for req, target, rat in requirements_of(at.key('requirements'), body):
            if target is None:
                continue
            if req == 'virtual_binding':
                cp.vdu = self.target(rat, target, (T.VDU_COMPUTE,), 'VDU')
            elif req == 'virtual_link':
                cp.virtual_link = self.target(rat, target, (T.VIRTUAL_LINK,), 'virtual link')
        if cp.vdu is None:
            raise at.key('requirements').error('virtual_binding to a VDU is missing')
        self.flavour.vdus[cp.vdu].cps.append(name)
        self.flavour.cps[name] = cp

    def _vnf_ext_cp(self, name, body, at):
        pat = at.key('properties')
        props = as_map(pat, body.get('properties'))
        link = None
        for req, target, rat in requirements_of(at.key('requirements'), body):
            if req == 'internal_virtual_link' and target is not None:
                link = self.target(rat, target, (T.VIRTUAL_LINK,), 'virtual link')
        self.ext_nodes[name] = (link, as_list(pat.key('layer_protocols'), props.get('layer_protocols')))

    def _vnf(self, name, body, at):
        pat = at.key('properties')
        props = as_map(pat, body.get('properties'))
        self.flavour.vnf_properties = props
        if self.flavour.description is None:
            self.flavour.description = as_str(pat.key('flavour_description'), props.get('flavour_description'))
        operations = {}
        for type_at, type_body in self.types.chain('node', body['type']):
            _lcm_operations(type_at.key('interfaces'), type_body.get('interfaces'), operations)
        _lcm_operations(at.key('interfaces'), body.get('interfaces'), operations)
        self.flavour.lcm_operations = operations
        self.flavour.artifacts = self._artifacts(at, body)

    def _ext_cps(self):
        rat = self.at.key('substitution_mappings.requirements')
        for req, mapping in as_map(rat, as_map(self.at, self.topology.get('substitution_mappings')).get('requirements')).items():
            mapping = as_list(rat.key(req), mapping)
            if not mapping:
                continue
            if len(mapping) != 2 or not isinstance(mapping[0], str):
                raise rat.key(req).error('must be [ node name, requirement name ]')
            try:
                node = self.target(rat.key(req), mapping[0], (T.VDU_CP, T.VNF_EXT_CP), 'VduCp or VnfExtCp')
            except PackageError as exc:  # Tacker onboards it: the ext CP is unusable, the rest of the flavour is not
                self.unusable('ext_cps', req, exc)
                continue
            if node in self.flavour.cps:
                cp = self.flavour.cps[node]
                ext = ExtCp(name=req, cp=node, kind='VduCp', vdu=cp.vdu, virtual_link=cp.virtual_link, layer_protocols=cp.layer_protocols)
            else:
                link, layers = self.ext_nodes[node]
                ext = ExtCp(name=req, cp=node, kind='VnfExtCp', virtual_link=link, layer_protocols=layers)
            self.flavour.ext_cps[req] = ext

    def _groups(self):
        gat = self.at.key('groups')
        for name, body in as_map(gat, self.topology.get('groups')).items():
            body = as_map(gat.key(name), body)
            if self.types.base('group', body.get('type'), gat.key(name).key('type')) == T.PLACEMENT_GROUP:
                members = as_names(gat.key(name).key('members'), body.get('members'))
                for i, member in enumerate(members):
                    if member not in self.nodes:
                        raise gat.key(name).key('members').item(i).error("'%s' is not a node of flavour '%s'" % (member, self.flavour.flavour_id))
                self.groups[name] = members
