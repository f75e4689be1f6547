# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the lcm unit tests: the sample packages, read once per test module."""
from __future__ import annotations

import pytest

from .plans import package


@pytest.fixture(scope='module')
def hello():
    return package('helloworld3')


@pytest.fixture(scope='module')
def basic():
    return package('v2_basic_min')
