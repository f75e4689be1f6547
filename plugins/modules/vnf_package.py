#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: vnf_package
short_description: Onboard the software images of an ETSI SOL004 VNF package into Glance, or remove them
version_added: 0.1.0
description:
  - Reads and validates a VNF package (an ETSI SOL004 CSAR holding a SOL001 TOSCA VNFD), then makes sure every
    software image its VNFD names (C(sw_image_data) of VDUs and storage) is available in Glance.
  - An image file the package carries is uploaded once (software images with the same checksum share one Glance
    image), streamed from the package while its checksum is verified against the VNFD. A mismatch aborts the
    upload and the partial image is removed.
  - Uploaded images carry the tag C(nfvo:vnfd=<vnfd_id>) and the properties C(nfvo_vnfd_id), C(nfvo_vnfd_version),
    C(nfvo_sw_image), C(nfvo_sw_image_checksum) and C(nfvo_managed_by). An image of the same VNFD with the same
    checksum is reused, so a second run changes nothing.
  - An image the package names but does not carry must exist in Glance with the software image's name and checksum,
    or be mapped with O(images); otherwise the module fails naming it.
  - O(state=absent) deletes the images onboarded for this VNFD id and version, and refuses while a server of the
    project was booted from one of them, unless O(force=true). Mapped and reused images are never deleted.
  - Nothing is left behind when the module fails.
  - The package must check out against its SOL004 manifest (every listed hash; see O(verify_image_hashes)). Problems
    no operation needs are read past with an Ansible warning, as M(telco.nfvo.vnf_package_info) describes.
author:
  - telco.nfvo developers (@telco-nfvo)
options:
  src:
    description: Path of the VNF package on the controller, a C(.zip)/C(.csar) file or an unpacked directory.
    type: path
    required: true
  state:
    description: Whether the package's images should be onboarded or removed.
    type: str
    choices: [present, absent]
    default: present
  images:
    description:
      - Glance images the operator uploaded separately, as a mapping of a VDU name or a software image name
        (C(sw_image_data.name)) to a Glance image name or id.
      - A mapped software image is neither uploaded nor looked up by its own name, and never deleted.
    type: dict
    default: {}
  verify_checksum:
    description:
      - Verify the checksum the VNFD declares while uploading, and refuse a mapped image whose Glance checksum
        differs from it.
      - When V(false) an image not carried by the package may also be found by name only.
    type: bool
    default: true
  visibility:
    description: Visibility of the uploaded images.
    type: str
    choices: [private, shared, community, public]
    default: private
  force:
    description: With O(state=absent), delete the images even while servers use them.
    type: bool
    default: false
  require_signature:
    description:
      - Refuse the package, before any change, unless it is signed (ETSI SOL004 option 1 or 2) and the signature
        verifies against O(trusted_ca).
      - An artifact signed on its own (a C(Signature) in its manifest entry, or a C(<artifact>.sig.cms)) whose
        signature does not verify, or whose signature file is missing, is refused too.
    type: bool
    default: false
  timeout:
    description: Seconds to wait for each uploaded image to become active.
    type: int
    default: 600
extends_documentation_fragment:
  - telco.nfvo.package_limits
  - telco.nfvo.package_checks
  - telco.nfvo.cloud
  - telco.nfvo.cloud.attributes
notes:
  - Images are found again by their tag and properties, so a lost local state never loses them.
  - Glance computes its own hash (RV(images[].checksum) is the VNFD's); when Glance hashes with another algorithm,
    the checksum is compared through the C(nfvo_sw_image_checksum) property.
seealso:
  - module: telco.nfvo.vnf_package_info
'''

EXAMPLES = r'''
- name: Onboard the images of a VNF package
  telco.nfvo.vnf_package:
    cloud: nfvo-tenant
    src: /srv/packages/vnf-web-1.0.csar
  register: onboarded

- name: Show the Glance image of each software image
  ansible.builtin.debug:
    msg: "{{ onboarded.images | items2dict(key_name='name', value_name='glance_id') }}"

- name: Images uploaded separately by the operator
  telco.nfvo.vnf_package:
    cloud: nfvo-tenant
    src: /srv/packages/vnf-db
    images:
      VDU1: db-image-2.4
      Software of VDU2: 5d3c2a1e-8f61-4f5e-9a3a-2b8f0c6d7e10

- name: Onboard only a package signed by a trusted vendor
  telco.nfvo.vnf_package:
    cloud: nfvo-tenant
    src: /srv/packages/vnf-web-1.0-signed.zip
    trusted_ca: /etc/pki/nfvo/vendors-ca.pem
    require_signature: true

- name: What would change (no upload in check mode)
  telco.nfvo.vnf_package:
    cloud: nfvo-tenant
    src: /srv/packages/vnf-web-1.0.csar
  check_mode: true
  diff: true

- name: Remove the onboarded images, even if servers still use them
  telco.nfvo.vnf_package:
    cloud: nfvo-tenant
    src: /srv/packages/vnf-web-1.0.csar
    state: absent
    force: true
'''

RETURN = r'''
package:
  description: The package that was onboarded.
  returned: always
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
    flavours:
      description: Ids of the deployment flavours.
      type: list
      elements: str
      sample: [simple]
    src:
      description: The package path.
      type: str
    manifest_ok:
      description: Whether every file the SOL004 manifest lists checked out; null when there is no manifest.
      type: bool
    warnings:
      description: >-
        What was read leniently, one C(<file>: <yaml.path>: <problem>) line each (also shown as Ansible warnings).
      type: list
      elements: str
    signature:
      description: The package signature, as RV(telco.nfvo.vnf_package_info#module:package.signature) describes it.
      type: dict
images:
  description: One entry per distinct software image of the VNFD, with what was done for it.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: C(sw_image_data.name).
      type: str
      sample: Software of VDU1
    version:
      description: C(sw_image_data.version).
      type: str
    used_by:
      description: The nodes using it, as C(<flavour>/<VDU or storage>).
      type: list
      elements: str
      sample: [simple/VDU1]
    file:
      description: The image artifact's path in the package (or URL), null when the VDU names none.
      type: str
    carried:
      description: Whether the package carries the file.
      type: bool
    checksum:
      description: The checksum the VNFD declares (C(algorithm), C(hash)).
      type: dict
    action:
      description:
        - V(uploaded) (uploaded now, or would be in check mode), V(unchanged) (already onboarded for this VNFD
          version), V(reused) (an image of another version of the VNFD, one uploaded for another software image
          with the same checksum, or a Glance image with this name and checksum), V(mapped) (named in O(images)),
          V(deleted) (state absent).
      type: str
      sample: uploaded
    glance_id:
      description: Id of the Glance image; null in check mode for an image still to upload, and for nothing to delete.
      type: str
    glance_name:
      description: Name of the Glance image.
      type: str
diff:
  description: The images onboarded for this VNFD id and version, before and after.
  returned: in diff mode
  type: dict
  sample: {before: {images: []}, after: {images: [{name: Software of VDU1, id: null, sw_image: Software of VDU1}]}}
'''

from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.runners import checks_option, limits_option, run_vnf_package


def main():
    module = NfvoModule(
        argument_spec=dict(
            src=dict(type='path', required=True),
            **limits_option(),
            **checks_option(),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            images=dict(type='dict', default={}),
            verify_checksum=dict(type='bool', default=True),
            visibility=dict(type='str', default='private', choices=['private', 'shared', 'community', 'public']),
            force=dict(type='bool', default=False),
            require_signature=dict(type='bool', default=False),
            timeout=dict(type='int', default=600),
        ),
        supports_check_mode=True,
    )
    run_vnf_package(module)


if __name__ == '__main__':
    main()
