# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ownership tags: multi-valued keys."""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T


def test_tags_multi_values():
    tags = [T.multi_tag('scale', 'a', 2), T.multi_tag('want', 'VDU1', 3), T.tag('vnf', 'x')]
    assert T.parse_multi_tags(tags, 'scale') == {'a': 2} and T.parse_multi_tags(tags, 'want') == {'VDU1': 3}
    assert T.parse_tags(tags) == {'vnf': 'x'}
