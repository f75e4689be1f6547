# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bodies of the modules telco.nfvo.vnf_package and telco.nfvo.vnf_package_info.

Read the package (reader.py), plan (onboarding.py), apply through Glance (glance.py), return the module result.
vnf_package reads strictly (a manifest entry that does not check out fails it); vnf_package_info reports the
manifest's problems (``manifest.ok: false`` and ``problems``) instead. The package's warnings reach the user as
Ansible warnings through ``module.run`` (base/notes.py), as for every module that reads a package.
Each ends through ``module.run(fn)`` (base/module.py) without a ``what``: every message is whole as raised here
(a ``PackageError`` as the reader words it, an ``OnboardingError`` as the planner or glance.py words it, and the
'Failed to onboard ...' / 'Failed to list ...' lines built below for any other error of the cloud).
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import NfvoError, OnboardingError, describe_error
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import glance
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import DEFAULTS
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import package_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.onboarding import check_in_use, plan_absent, plan_present
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.signature import require as require_signature


def limits_option():
    """The ``limits`` option of every module that reads a package (doc fragment telco.nfvo.package_limits)."""
    return dict(limits=dict(type='dict', options={name: dict(type='int') for name in DEFAULTS}))


def checks_option():
    """The integrity options of vnf_package and vnf_package_info (doc fragment telco.nfvo.package_checks)."""
    return dict(verify_image_hashes=dict(type='bool', default=True), trusted_ca=dict(type='path'))


def package_summary(pkg, src):
    vnfd = pkg.vnfd
    return {'vnfd_id': vnfd.descriptor_id, 'vnfd_version': vnfd.descriptor_version, 'provider': vnfd.provider,
            'product_name': vnfd.product_name, 'software_version': vnfd.software_version,
            'flavours': list(vnfd.flavours), 'src': src, 'manifest_ok': pkg.manifest.ok if pkg.manifest.present else None,
            'warnings': list(pkg.warnings), 'signature': pkg.signature}


def run_vnf_package(module):
    """Body of telco.nfvo.vnf_package."""
    module.run(vnf_package)


def vnf_package(module):
    """Read, plan, (apply), return the result."""
    p = module.params
    pkg = read_package(p['src'], limits=p['limits'], verify_image_hashes=p['verify_image_hashes'], signature=True, trusted_ca=p['trusted_ca'])
    if p['require_signature']:
        require_signature(pkg.signature, p['src'])
    vnfd = pkg.vnfd
    sw_images = pkg.images()
    api = glance.connect(module)
    try:
        found = glance.discover(api, sw_images, vnfd.descriptor_id, p['images'])
        if p['state'] == 'present':
            plan = plan_present(sw_images, vnfd.descriptor_id, vnfd.descriptor_version, found, p['images'], p['verify_checksum'])
        else:
            plan = plan_absent(sw_images, vnfd.descriptor_id, vnfd.descriptor_version, found)
            check_in_use(plan, glance.servers_using(api, [v['id'] for v in plan.deletes]), p['force'])
        diff = plan.diff()
        if not module.check_mode and plan.changed:
            if p['state'] == 'present':
                glance.apply_present(api, p['src'], plan, p['visibility'], p['verify_checksum'], p['timeout'])
            else:
                glance.apply_absent(api, plan)
            diff = plan.diff()
    except OnboardingError:
        raise
    except Exception as exc:  # an error of the cloud while reading it
        raise OnboardingError('Failed to onboard VNF package %s (VNFD %s %s): %s' % (
            p['src'], vnfd.descriptor_id, vnfd.descriptor_version, describe_error(exc))) from None
    result = dict(changed=plan.changed, package=package_summary(pkg, p['src']), images=plan.results())
    if module.diff:
        result['diff'] = diff
    return result


def wants_cloud(params):
    return bool(params.get('cloud') or params.get('auth') or params.get('list_onboarded'))


def run_vnf_package_info(module):
    """Body of telco.nfvo.vnf_package_info."""
    module.run(vnf_package_info)


def vnf_package_info(module):
    """Read the package; with a cloud, list what is onboarded there."""
    p = module.params
    if not p['src'] and not wants_cloud(p):
        raise NfvoError('src is required unless a cloud is given or list_onboarded is true')
    result = dict(changed=False)
    if p['src']:
        pkg = read_package(p['src'], strict_manifest=False, limits=p['limits'], verify_image_hashes=p['verify_image_hashes'],
                           signature=True, trusted_ca=p['trusted_ca'])
        result['package'] = package_to_dict(pkg)
    if wants_cloud(p):
        module.require_sdk()
        try:
            result['onboarded'] = glance.list_onboarded(glance.connect(module))
        except Exception as exc:  # any error of the cloud, in one line
            raise OnboardingError('Failed to list the onboarded VNF packages in %s: %s' % (
                module.cloud_label(), describe_error(exc))) from None
    return result
