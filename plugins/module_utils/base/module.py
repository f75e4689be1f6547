# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module class: where modules get an openstacksdk connection, and the one place errors become fail_json.

`NfvoModule` wraps AnsibleModule: shared connection options (see the `telco.nfvo.cloud` doc
fragment), the openstacksdk presence and version check, secrets registered as no_log values (not whole
dicts censored), an authenticated connection, the diff / warn / no_log proxies module_utils use (so no caller
reaches into AnsibleModule's private attributes), and `run(fn)`: the ONE place where an error
(`base/errors.py`) is turned into `fail_json` with its one-line message, never a traceback.
"""

from __future__ import annotations

import traceback
from importlib.util import find_spec
from importlib.metadata import version as metadata_version

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import describe_error, failure_message, first_line
from ansible_collections.telco.nfvo.plugins.module_utils.base.notes import collect

# openstacksdk is imported when a module first needs the cloud (require_sdk, connect), not when this file loads:
# modules that need none (chargeback_report, vnf_package_info without a cloud) do not pay for its import.
HAS_SDK = find_spec('openstack') is not None

MIN_SDK = (4, 0)
SECRET_AUTH_KEYS = ('password', 'token', 'application_credential_secret', 'secret', 'passcode', 'client_secret')


def cloud_argument_spec():
    return dict(
        cloud=dict(type='raw'),
        auth=dict(type='dict', no_log=False),  # secrets inside are registered one by one as no_log values
        auth_type=dict(type='str'),
        region_name=dict(type='str'),
        interface=dict(type='str', default='public', choices=['public', 'internal', 'admin'], aliases=['endpoint_type']),
        validate_certs=dict(type='bool', aliases=['verify']),
        ca_cert=dict(type='str', aliases=['cacert']),
        client_cert=dict(type='str', aliases=['cert']),
        client_key=dict(type='path', aliases=['key'], no_log=False),
        api_timeout=dict(type='int'),
        sdk_log_path=dict(type='path'),
        sdk_log_level=dict(type='str', default='INFO', choices=['INFO', 'DEBUG']),
    )


def sdk_version():
    return metadata_version('openstacksdk')


def _version_tuple(text):
    out = []
    for part in text.split('.')[:2]:
        digits = ''.join(c for c in part if c.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


class NfvoModule:
    """An AnsibleModule with an OpenStack connection. Modules build one and call helpers from module_utils."""

    def __init__(self, argument_spec, needs_cloud=True, **kwargs):
        spec = dict(cloud_argument_spec()) if needs_cloud else {}
        spec.update(argument_spec)
        self.ansible = AnsibleModule(argument_spec=spec, **kwargs)
        self.params = self.ansible.params
        self.check_mode = self.ansible.check_mode
        self._conn = None
        auth = self.params.get('auth') or {}
        for key, value in auth.items():
            if value and any(s in key for s in SECRET_AUTH_KEYS):
                self.ansible.no_log_values.add(str(value))
        if needs_cloud:
            self.require_sdk()

    def require_sdk(self):
        """Fail when openstacksdk is missing or older than MIN_SDK (a module that needs the cloud only sometimes calls it)."""
        try:
            # imported here, not at load (see HAS_SDK)
            import openstack  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
        except ImportError:
            self.ansible.fail_json(msg=missing_required_lib('openstacksdk'), exception=traceback.format_exc())
        if _version_tuple(sdk_version()) < MIN_SDK:
            self.ansible.fail_json(msg='openstacksdk >= %s is required, found %s' % ('.'.join(map(str, MIN_SDK)), sdk_version()))

    @property
    def conn(self):
        if self._conn is None:
            self._conn = self.connect()
        return self._conn

    def cloud_label(self):
        cloud = self.params.get('cloud')
        return cloud if isinstance(cloud, str) else 'the cloud'

    def connect(self):
        p = self.params
        kwargs = {}
        cloud = p.get('cloud')
        if isinstance(cloud, dict):
            kwargs.update(cloud)
        elif cloud:
            kwargs['cloud'] = cloud
        if p.get('auth'):
            kwargs['auth'] = dict(kwargs.get('auth') or {}, **p['auth'])
        for opt in ('auth_type', 'region_name', 'interface', 'api_timeout'):
            if p.get(opt) is not None:
                kwargs[opt] = p[opt]
        if p.get('validate_certs') is not None:
            kwargs['verify'] = p['validate_certs']
        if p.get('ca_cert'):
            kwargs['cacert'] = p['ca_cert']
        if p.get('client_cert'):
            kwargs['cert'] = p['client_cert']
        if p.get('client_key'):
            kwargs['key'] = p['client_key']
        # imported here, not at load (see HAS_SDK); require_sdk() has checked it is there
        import openstack  # pylint: disable=import-outside-toplevel
        from openstack import exceptions as sdk_exc  # pylint: disable=import-outside-toplevel
        if p.get('sdk_log_path'):
            # openstack.cloud's meaning: DEBUG adds keystoneauth's HTTP log (passwords never, tokens hashed)
            debug = p.get('sdk_log_level') == 'DEBUG'
            openstack.enable_logging(debug=debug, http_debug=debug, path=p['sdk_log_path'])
        try:
            conn = openstack.connect(app_name='telco.nfvo', **kwargs)
            for key in SECRET_AUTH_KEYS:
                value = conn.config.config.get('auth', {}).get(key)
                if value:
                    self.ansible.no_log_values.add(str(value))
            conn.authorize()
        except sdk_exc.ConfigException as exc:
            self.fail('Failed to connect to %s: %s' % (self.cloud_label(), first_line(exc)))
        except Exception as exc:  # keystoneauth / sdk errors: one line, no traceback
            self.fail('Failed to connect to %s: %s' % (self.cloud_label(), describe_error(exc)))
        return conn

    # --- what module_utils may use of the AnsibleModule ---------------------------------------------------------

    @property
    def diff(self):
        """True when the task runs with --diff."""
        return self.ansible._diff

    def warn(self, text):
        self.ansible.warn(text)

    def deprecate(self, text, version):
        """A deprecation warning of this collection (removed in ``version`` of telco.nfvo)."""
        # the version is the caller's (a literal constant there); pylint can only check literals at this call
        self.ansible.deprecate(text, version=version, collection_name='telco.nfvo')  # pylint: disable=collection-invalid-deprecated-version

    def hide(self, value):
        """Register a secret (user data, a password) so that Ansible masks it in every output and log."""
        if value:
            self.ansible.no_log_values.add(str(value))

    # --- the end of a module --------------------------------------------------------------------------------

    def run(self, fn, what=None):
        """Call ``fn(self)``, which returns the module result (a dict), and exit with it.

        The ONE place where errors become ``fail_json``: an ``NfvoError`` with its one line ('Failed to <what>: '
        in front unless its message is whole, the result keys it carries added), any other error (openstacksdk,
        keystoneauth, the network) as the one line ``describe_error`` makes of it. ``what``: the operation, a
        string or a function of the module parameters ('scale VNF vnf1'). The warnings noted meanwhile
        (base/notes.py: a package read leniently) are shown as Ansible warnings, on success and failure alike."""
        with collect() as notes:
            try:
                result = fn(self)
            except Exception as exc:  # every error, ours or the SDK's: one line, no traceback
                for text in notes:
                    self.warn(text)
                label = what(self.params) if callable(what) else what
                self.fail(failure_message(exc, label), **(getattr(exc, 'result', None) or {}))
        for text in notes:
            self.warn(text)
        self.exit(**result)

    def fail(self, msg, **kwargs):
        self.ansible.fail_json(msg=msg, **kwargs)

    def exit(self, **kwargs):
        self.ansible.exit_json(**kwargs)
