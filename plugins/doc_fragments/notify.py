# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The documentation of the lifecycle modules' C(notify) option (argument spec: module_utils/lcm/notify.notify_option)."""

from __future__ import annotations


class ModuleDocFragment:
    # telco.nfvo.notify: every lifecycle module (vnf, vnf_scale, vnf_heal, vnf_operate, vnf_lcm_op_occ, ns, ns_scale,
    # ns_heal, ns_update)
    DOCUMENTATION = r'''
options:
  notify:
    description:
      - Webhook receivers of the LCM notifications of the task. Each state an LCM operation occurrence of the task enters
        (C(STARTING), C(PROCESSING), C(COMPLETED), C(FAILED_TEMP), C(FAILED), C(ROLLING_BACK), C(ROLLED_BACK)) is
        posted, in order, to each receiver as an ETSI SOL003 C(VnfLcmOperationOccurrenceNotification) (JSON;
        C(notificationStatus) C(START) or C(RESULT); resource changes and the error in C(RESULT) ones; never the operation
        parameters, user data or any other no_log value). An NS task posts the notifications of its VNFs' operations.
      - A receiver that is down never fails the operation (one warning). A refused connection or an HTTP 429 / 5xx answer
        is retried O(notify[].retries) times (0.25 s, 0.5 s, ... apart); a receiver that does not answer within
        O(notify[].timeout), or answers another 4xx / 3xx, is not posted to again in the task.
      - All posts of one task take at most 5 seconds in all; notifications left after that are dropped (warned).
      - Set it for every lifecycle module at once with C(module_defaults) and the action group C(group/telco.nfvo.lcm).
        (The group C(group/telco.nfvo.nfvo) also holds modules without this option.)
      - Check mode and runs with nothing to do post nothing.
    type: list
    elements: dict
    suboptions:
      url:
        description: The receiver, an C(http) or C(https) URL (user info and query are not shown in warnings).
        type: str
        required: true
      headers:
        description: HTTP headers of each post (for example C(Authorization)); their values are never shown.
        type: dict
        default: {}
      timeout:
        description: Seconds one post may take (capped by what is left of the 5 s bound).
        type: float
        default: 2.0
      retries:
        description: Retries of a post refused or answered 429 / 5xx.
        type: int
        default: 2
      validate_certs:
        description: Verify the TLS certificate of an C(https) receiver.
        type: bool
        default: true
'''
