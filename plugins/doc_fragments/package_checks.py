# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The options of the modules that check a VNF package's integrity (vnf_package, vnf_package_info); their
    # argument spec is checks_option() in module_utils/vnfd/runners.py.

    DOCUMENTATION = r'''
options:
  verify_image_hashes:
    description:
      - Check the SOL004 manifest hashes of the software image files the package carries.
      - V(false) skips only those (large) files, as Tacker may; every other file the manifest lists is still checked.
    type: bool
    default: true
  trusted_ca:
    description:
      - A PEM bundle of the CA certificates to verify the package signature against (ETSI SOL004 security, option 1
        - a CMS signature block in the manifest and the signer's certificate - or option 2 - the CSAR zipped with its
        C(.cms) signature and C(.cert)).
      - The signature is verified when it matches the signed content and its signer chains to one of these CAs.
        Without O(trusted_ca) the signer is reported but the signature is not verified.
      - Verified with the C(openssl) command (C(openssl cms -verify)); a signed package is refused in one line when it
        is missing.
    type: path
requirements:
  - the C(openssl) command, to read signed packages
'''
