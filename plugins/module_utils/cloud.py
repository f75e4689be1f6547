# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place where modules get an openstacksdk connection and turn cloud errors into one line.

`NfvoModule` wraps AnsibleModule: shared connection options (see the `telco.nfvo.cloud` doc
fragment), secrets registered as no_log values (not whole dicts censored), an authenticated
connection, and `fail()` that never shows a traceback for a cloud error.
"""

from __future__ import annotations

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import openstack
    from openstack import exceptions as sdk_exc
    from keystoneauth1 import exceptions as ksa_exc
    HAS_SDK = True
    SDK_IMPORT_ERROR = None
except ImportError:  # the module fails with missing_required_lib below
    HAS_SDK = False
    SDK_IMPORT_ERROR = traceback.format_exc()

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
    )


def sdk_version():
    from importlib.metadata import version
    return version('openstacksdk')


def _version_tuple(text):
    out = []
    for part in text.split('.')[:2]:
        digits = ''.join(c for c in part if c.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


def describe_error(exc):
    """One line a person can act on, with the cloud's own words where it gave some."""
    if not HAS_SDK:
        return str(exc)
    cause = exc.__cause__ or exc.__context__
    if exc.__class__ is sdk_exc.SDKException and isinstance(cause, ksa_exc.ClientException):
        exc = cause  # authorize() wraps keystoneauth's error
    if isinstance(exc, ksa_exc.Unauthorized):
        return 'authentication failed (wrong user name, password, project or domain?): %s' % _first_line(exc)
    if isinstance(exc, (ksa_exc.ConnectFailure, ksa_exc.ConnectTimeout, ksa_exc.DiscoveryFailure)):
        return 'cannot reach the cloud: %s' % _first_line(exc)
    if isinstance(exc, ksa_exc.MissingRequiredOptions):
        return 'incomplete credentials: %s' % _first_line(exc)
    if isinstance(exc, ksa_exc.EndpointNotFound):
        return 'service not in the catalog: %s' % _first_line(exc)
    if isinstance(exc, sdk_exc.HttpException) and getattr(exc, 'status_code', None) == 401:
        return 'authentication failed (wrong user name, password, project or domain?)'
    if isinstance(exc, sdk_exc.HttpException):
        details = getattr(exc, 'details', None) or ''
        status = getattr(exc, 'status_code', None)
        text = details if details and details not in str(exc.message or '') else (exc.message or str(exc))
        return ('%s (HTTP %s)' % (_first_line(text), status)) if status else _first_line(text)
    return _first_line(exc)


def _first_line(value):
    text = str(value).strip()
    return ' '.join(text.split('\n', maxsplit=1)[0].split()) or type(value).__name__


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
            if not HAS_SDK:
                self.ansible.fail_json(msg=missing_required_lib('openstacksdk'), exception=SDK_IMPORT_ERROR)
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
        try:
            conn = openstack.connect(app_name='telco.nfvo', **kwargs)
            for key in SECRET_AUTH_KEYS:
                value = conn.config.config.get('auth', {}).get(key)
                if value:
                    self.ansible.no_log_values.add(str(value))
            conn.authorize()
        except sdk_exc.ConfigException as exc:
            self.fail('Failed to connect to %s: %s' % (self.cloud_label(), _first_line(exc)))
        except Exception as exc:  # keystoneauth / sdk errors: one line, no traceback
            self.fail('Failed to connect to %s: %s' % (self.cloud_label(), describe_error(exc)))
        return conn

    def fail(self, msg, **kwargs):
        self.ansible.fail_json(msg=msg, **kwargs)

    def exit(self, **kwargs):
        self.ansible.exit_json(**kwargs)
