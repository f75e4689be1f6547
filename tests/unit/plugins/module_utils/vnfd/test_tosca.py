# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TOSCA values: sizes (scalar-unit.size) read as binary multiples. The rest of tosca.py is tested through read_package."""
from __future__ import annotations

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import parse_size


@pytest.mark.parametrize('text,size', [
    ('512 MB', 512 * 2 ** 20), ('1 GiB', 2 ** 30), ('1.5 GB', 3 * 2 ** 29), ('2048 KiB', 2 ** 21), ('3 gb', 3 * 2 ** 30),
    ('10B', 10), ('1 TiB', 2 ** 40), ('2 TB', 2 * 2 ** 40), ('4 MiB', 2 ** 22), ('1 kB', 1024), (' 0 GB ', 0)])
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize('text', ['512', '512 MBytes', 'lots', '-1 GB', '1,5 GB', 512, None, '1 GB extra'])
def test_parse_size_refuses(text):
    with pytest.raises(ValueError, match='is not a size'):
        parse_size(text)
