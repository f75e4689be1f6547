# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Usage events: their shape and validation."""

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import make_event, validate_event


def test_validate_event_names_the_problem():
    event = make_event('server', 'srv-1', 'created', '2026-03-01T10:00:00+02:00', key='vnf-1/op-1/srv-1', vcpus=2, ram_mb=1024, tags=['gold'])
    assert event['timestamp'] == '2026-03-01T08:00:00.000Z'
    assert event['id'] == make_event('server', 'srv-1', 'created', vcpus=2, ram_mb=1024, key='vnf-1/op-1/srv-1')['id']  # uuid5: stable
    for change, message in (({'action': 'exploded'}, "action 'exploded' is not one of"), ({'vcpus': -1}, 'vcpus must be a non-negative integer'),
                            ({'ram_mb': None}, 'a server created event needs ram_mb'), ({'timestamp': 'yesterday'}, "timestamp 'yesterday' is not ISO")):
        with pytest.raises(ValueError, match=r'^Invalid usage event %s: %s' % (event['id'], message)):
            validate_event(dict(event, **change))
    with pytest.raises(ValueError, match='Unknown usage event field'):
        make_event('server', 'x', 'deleted', password='x')
