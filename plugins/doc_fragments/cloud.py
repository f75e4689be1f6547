# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options shared by every module that talks to OpenStack. Names follow
    # openstack.cloud so that the same module_defaults and clouds.yaml work for both collections.
    DOCUMENTATION = r'''
options:
  cloud:
    description:
      - Name of the cloud in C(clouds.yaml) (searched where openstacksdk searches, and in E(OS_CLIENT_CONFIG_FILE)).
      - Or a dict with the same content as a C(clouds.yaml) entry.
      - When neither O(cloud) nor O(auth) is given, openstacksdk uses E(OS_CLOUD) or the E(OS_*) variables.
    type: raw
  auth:
    description:
      - Authentication parameters (C(auth_url), C(username), C(password), C(project_name), C(user_domain_name),
        C(project_domain_name), C(application_credential_id), C(application_credential_secret), C(token), ...).
      - Merged over the cloud selected with O(cloud). Secret values in it are never logged.
    type: dict
  auth_type:
    description: Keystone authentication plugin (C(password), C(v3applicationcredential), C(token), ...).
    type: str
  region_name:
    description: Region of the cloud to use.
    type: str
  interface:
    description: Endpoint interface of the service catalog to use.
    type: str
    choices: [public, internal, admin]
    default: public
    aliases: [endpoint_type]
  validate_certs:
    description: Verify TLS certificates of the cloud's endpoints. Defaults to the cloud's setting.
    type: bool
    aliases: [verify]
  ca_cert:
    description: Path to a CA bundle used to verify the endpoints.
    type: str
    aliases: [cacert]
  client_cert:
    description: Path to a client certificate (PEM) for TLS client authentication.
    type: str
    aliases: [cert]
  client_key:
    description: Path to the key of O(client_cert).
    type: path
    aliases: [key]
  api_timeout:
    description: Timeout in seconds of each API request.
    type: int
  sdk_log_path:
    description:
      - Path of a file the OpenStack SDK (openstacksdk and keystoneauth) appends its log to, as in C(openstack.cloud).
        No log is written when it is not set.
      - Passwords are never logged and tokens only as their hash, whatever O(sdk_log_level).
    type: path
  sdk_log_level:
    description:
      - Level of that log. V(DEBUG) adds every HTTP request and response of the SDK (bodies included).
    type: str
    default: INFO
    choices: [INFO, DEBUG]
requirements:
  - python >= 3.11
  - openstacksdk >= 4.0.0
notes:
  - Every module of this collection can be configured at once with C(module_defaults) and the action group
    C(group/telco.nfvo.nfvo). When the C(openstack.cloud) collection is installed, that group also includes
    openstack.cloud's modules (it extends its group C(openstack.cloud.openstack)), so one C(cloud) default serves
    both collections' tasks; the options given must then be ones both accept (the connection options).
'''

    ATTRIBUTES = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying the cloud.
    support: full
  diff_mode:
    description: Will return details on what has changed (or would change in check mode) when in diff mode.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
'''

    INFO_ATTRIBUTES = r'''
attributes:
  check_mode:
    description: Only reads; runs the same in check mode.
    support: full
    details: This module never changes anything.
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: N/A
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
'''
