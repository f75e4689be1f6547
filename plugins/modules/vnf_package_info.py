#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vnf_package_info
short_description: Read an ETSI SOL004 VNF package, and list the packages onboarded in a cloud
version_added: 0.1.0
description:
  - Reads a VNF package (an ETSI SOL004 CSAR as a C(.zip)/C(.csar) file or an unpacked directory, holding a SOL001
    TOSCA VNFD) into one descriptor model and returns it as RV(package) - VNF properties, deployment flavours with
    their VDUs, virtual links, external connection points, scaling aspects and instantiation levels with the
    instance count of every VDU, software images, and the result of the SOL004 manifest check.
  - A package that cannot be read (malformed YAML, missing files, unknown types, a zip member escaping the package)
    fails with one line naming the file, the YAML path and the problem. Manifest entries that do not check out do
    not fail this module - C(ok) of RV(package.manifest) is V(false) and its C(problems) lists them (the
    onboarding module M(telco.nfvo.vnf_package) refuses such a package).
  - >-
    Packages are read as OpenStack Tacker reads them, strict only where it matters. A problem no operation needs
    is a warning (an Ansible warning, and RV(package.warnings)), in the form C(<file>: <yaml.path>: <problem>), and the
    broken part is unusable - only the operation that would use it is refused, before any change, with that line -
    an instantiation level giving a VDU more instances than its C(vdu_profile) allows, or whose C(scale_level) is
    above the aspect's C(max_scale_level); a scaling aspect whose C(step_deltas) name a delta its
    C(VduScalingAspectDeltas) do not define; a C(substitution_mappings.requirements) entry naming a connection point
    the flavour does not have; a deployment flavour that does not read when another one does.
  - When two C(VduInstantiationLevels) policies give the same VDU different counts at one level, the first policy
    (in the order the flavour lists its policies) wins and the other is a warning - Tacker's VNFM takes the first
    policy that targets the VDU, so a VNF gets the same instances with either orchestrator.
  - Also read with a warning - a deployment flavour file in C(Definitions/) that the top file does not import (Tacker
    reads every C(Definitions/*.yaml)); a manifest C(Source) without C(Algorithm)/C(Hash) (nothing to check); an
    artifact whose C(file) is absolute or leaves the package (a file of the VNFM host, external and never opened); a
    package written against a SOL001 version newer than 4.4.1 (versions 2.5.1 to 4.4.1 read the same).
  - >-
    Also reads an OSM package - a directory or C(.tar.gz) (one top directory holding the descriptor YAML or JSON,
    C(cloud_init/), C(charms/) ...) with an ETSI SOL006 VNFD (a top C(vnfd:) key as OSM writes it,
    C(etsi-nfv-vnfd:vnfd), or an C(nfv:) container holding one C(vnfd)) - into the same model, so every module of the
    collection works with it as with a SOL001 package; RV(package.format) is then V(sol006). Keys the ETSI SOL006
    YANG model does not have are read past with a warning, once each; OSM's additions are mapped where the model has
    a place (C(cloud-init-file) is the VDU's boot data) and kept as data otherwise (charms and day-1/2 configuration,
    which nothing runs), with a warning. The pre-SOL006 OSM format (C(vnfd:vnfd-catalog)) is refused naming it.
  - Refused whatever - a zip or tar member or link leaving the package, a tar member that is a link, an absolute
    member, an import outside the package, a package over a budget of O(limits), a package none of whose flavours reads.
  - Without cloud options it only reads the package, and needs no openstacksdk. Given O(cloud) or O(auth), or with
    O(list_onboarded=true), it also returns RV(onboarded), the packages whose images were onboarded there by
    M(telco.nfvo.vnf_package).
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  src:
    description:
      - Path of the VNF package on the controller, a C(.zip)/C(.csar) file or an unpacked directory; an OSM
        (SOL006) package as a directory or a C(.tar.gz).
      - Required unless O(list_onboarded=true) or cloud options are given.
    type: path
  list_onboarded:
    description:
      - List the packages onboarded in the cloud even when neither O(cloud) nor O(auth) is given (the cloud is
        then taken from E(OS_CLOUD) or the E(OS_*) variables).
    type: bool
    default: false
extends_documentation_fragment:
  - telco.nfvo.package_limits
  - telco.nfvo.package_checks
  - telco.nfvo.cloud
  - telco.nfvo.cloud.info_attributes
seealso:
  - module: telco.nfvo.vnf_package
'''

EXAMPLES = r'''
- name: Read a signed VNF package and check who signed it
  telco.nfvo.vnf_package_info:
    src: /srv/packages/vnf-web-1.0-signed.zip
    trusted_ca: /etc/pki/nfvo/vendors-ca.pem
  register: signed

- name: Refuse a package whose signature does not verify
  ansible.builtin.assert:
    that: signed.package.signature.verified
    fail_msg: "{{ signed.package.signature.reason }}"

- name: Read a VNF package (no cloud needed)
  telco.nfvo.vnf_package_info:
    src: /srv/packages/vnf-web-1.0.csar
  register: pkg

- name: Read an OSM package (a SOL006 VNFD) as it is shipped
  telco.nfvo.vnf_package_info:
    src: /srv/packages/hackfest_basic_vnf.tar.gz
  register: osm

- name: The same model as from a SOL001 package
  ansible.builtin.debug:
    msg: "{{ osm.package.format }} {{ osm.package.sol006_revision }}: {{ osm.package.flavours | map(attribute='flavour_id') }}"

- name: Instances of each VDU at the default instantiation level of the first flavour
  ansible.builtin.debug:
    msg: "{{ (pkg.package.flavours[0].instantiation_levels | selectattr('default') | first).vdu_instances }}"

- name: The package, and what is onboarded in the cloud
  telco.nfvo.vnf_package_info:
    cloud: nfvo-tenant
    src: /srv/packages/vnf-web-1.0.csar
  register: pkg

- name: Fail when this VNFD version is not onboarded yet
  ansible.builtin.assert:
    that: >-
      pkg.onboarded | selectattr('vnfd_id', 'equalto', pkg.package.vnfd_id)
      | selectattr('vnfd_version', 'equalto', pkg.package.vnfd_version) | list | length > 0

- name: Only list what is onboarded
  telco.nfvo.vnf_package_info:
    cloud: nfvo-tenant
  register: onboarded
'''

RETURN = r'''
package:
  description: The VNF package as read.
  returned: when O(src) is given
  type: dict
  contains:
    vnfd_id:
      description: C(descriptor_id) of the VNFD.
      type: str
      sample: b1bb0ce7-ebca-4fa7-95ed-4840d70a1177
    vnfd_version:
      description: C(descriptor_version) of the VNFD.
      type: str
      sample: "1.0"
    provider:
      description: The VNF provider.
      type: str
    product_name:
      description: The VNF product name.
      type: str
    software_version:
      description: The VNF software version.
      type: str
    vnfm_info:
      description: The VNFM identifiers the VNFD accepts.
      type: list
      elements: str
    description:
      description: Description of the VNF.
      type: str
    flavours:
      description:
        - The deployment flavours. Each has C(flavour_id), C(description), C(vdus), C(storage), C(virtual_links),
          C(ext_cps), C(aspects), C(instantiation_levels), C(default_level), C(affinity_rules), C(lcm_operations),
          C(artifacts) (an external one has C(external=true)) and C(unusable) (C(levels), C(aspects) and C(ext_cps), each
          a mapping of an id to its problem).
        - Aspects and levels have C(usable) and C(problem); an unusable level has C(vdu_instances=null).
        - A VDU has C(name), C(min_instances), C(max_instances), C(initial_instances), C(vcpus), C(memory_mb),
          C(disk_gb), C(sw_image) (or null), C(storage) (names) and C(cps) (dicts, by order).
        - An aspect has C(id), C(max_scale_level), C(step_deltas) and C(deltas) (VDU to delta id to instances).
        - An instantiation level has C(id), C(default) (bool), C(vdu_instances) (every VDU to its count) and
          C(scale_levels) (every aspect to its level).
      type: list
      elements: dict
    images:
      description: The distinct software images, each with C(used_by) (C(<flavour>/<node>)) and C(carried).
      type: list
      elements: dict
    manifest:
      description:
        - The SOL004 manifest check, C(present), C(file), C(ok), C(problems) (one line per entry that does not check
          out) and C(checked) (C(file), C(algorithm), C(ok), C(error), C(note)). C(ok) of an entry is null when there
          was nothing to check (a URL, no C(Algorithm)/C(Hash), an image with O(verify_image_hashes=false)).
      type: dict
    warnings:
      description: >-
        What was read leniently, one C(<file>: <yaml.path>: <problem>) line each (also shown as Ansible warnings).
      type: list
      elements: str
    unusable_flavours:
      description: The deployment flavours that do not read (while another one does), each with its problem.
      type: dict
    format:
      description: The descriptor language of the package - V(sol001) (TOSCA) or V(sol006) (YANG, as OSM writes it).
      type: str
      sample: sol001
    sol006_revision:
      description:
        - The revision of the ETSI SOL006 YANG modules a V(sol006) VNFD follows - the document's top C(revision) when
          it gives one (an unknown one is a warning), else the newest the reader knows (V(2022-03-08), SOL006 3.6.1);
          null for a V(sol001) package.
      type: str
      sample: '2022-03-08'
    signature:
      description:
        - The SOL004 package signature - C(present), C(option) (V(1) a signed manifest, V(2) a signed outer zip,
          null when unsigned), C(file) (the signature's file), C(signer) (the signer certificate's subject, RFC 2253),
          C(verified) (the signature matches AND the signer chains to O(trusted_ca)) and C(reason) (why not).
        - C(artifacts) lists each package file the manifest lists, with its own signature (SOL004 option 1, an
          artifact signed on its own) - C(artifact), C(signed), C(signature) (the signature file - a C(Signature)
          line after the artifact's C(Source) in the manifest, with an optional C(Certificate), else
          C(<artifact>.sig.cms) beside it), C(signer), C(verified) and C(reason). The certificate is the entry's
          C(Certificate), else the package's. Signature and certificate files are not listed.
        - Checked with the C(openssl) command - the PyPI C(cryptography) package cannot verify CMS signatures (its
          C(pkcs7) module only signs, encrypts and decrypts), and CMS is not to be parsed by hand.
      type: dict
      sample:
        present: true
        option: 1
        file: vnf.mf
        signer: "CN=VNF Vendor,O=Acme"
        verified: true
        reason: null
        artifacts:
          - {artifact: Scripts/install.sh, signed: true, signature: Scripts/install.sh.sig.cms, signer: "CN=VNF Vendor,O=Acme",
             verified: true, reason: null}
    sol001_version:
      description: The ETSI SOL001 version of the type files the VNFD imports (from their URL or the carried file); null when none says.
      type: str
      sample: 2.6.1
    entry_definitions:
      description: The VNFD's entry file in the package.
      type: str
    meta:
      description: C(TOSCA-Metadata/TOSCA.meta), or the entry file's metadata.
      type: dict
onboarded:
  description:
    - The VNF packages onboarded in the cloud, found by the tags and properties of their Glance images.
  returned: when cloud options are given or O(list_onboarded=true)
  type: list
  elements: dict
  contains:
    vnfd_id:
      description: The VNFD id.
      type: str
    vnfd_version:
      description: The VNFD version.
      type: str
    images:
      description: Its images (C(id), C(name), C(sw_image), C(checksum), C(status), C(visibility), C(size)).
      type: list
      elements: dict
  sample: [{vnfd_id: b1bb0ce7-ebca-4fa7-95ed-4840d70a1177, vnfd_version: "1.0",
            images: [{id: 3c4e..., name: Software of VDU1, sw_image: Software of VDU1, status: active}]}]
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule, cloud_argument_spec
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.runners import checks_option, limits_option, run_vnf_package_info


def main():
    spec = cloud_argument_spec()
    spec.update(src=dict(type='path'), list_onboarded=dict(type='bool', default=False), **limits_option(), **checks_option())
    # the cloud options are accepted, but openstacksdk is needed only when a cloud is asked for
    module = NfvoModule(argument_spec=spec, needs_cloud=False, supports_check_mode=True)
    run_vnf_package_info(module)


if __name__ == '__main__':
    main()
