# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only module: returns the usage_events it is given, as a telco.nfvo lifecycle module would."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: emit_usage_events
short_description: Return the given usage_events (tests of the telco.nfvo.usage callback only)
description: Returns O(events) as C(usage_events) with C(changed=true), or fails with them when O(fail) is set.
options:
  events:
    description: Usage events to return.
    type: list
    elements: dict
    default: []
  fail:
    description: Fail the task (after a "rollback") while still returning the events.
    type: bool
    default: false
  api_token:
    description: A secret-looking parameter, to check that nothing secret reaches the ledger.
    type: str
    no_log: true
author: telco.nfvo contributors
'''

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(events=dict(type='list', elements='dict', default=[]), fail=dict(type='bool', default=False),
                                              api_token=dict(type='str', no_log=True)), supports_check_mode=True)
    events = [] if module.check_mode else module.params['events']
    if module.params['fail']:
        module.fail_json(msg='failed after rolling back', usage_events=events)
    module.exit_json(changed=bool(events), usage_events=events)


if __name__ == '__main__':
    main()
