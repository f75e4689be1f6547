# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Glance side of onboarding that runs without a cloud: the upload stream that verifies the declared checksum."""
from __future__ import annotations

import hashlib
import io

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import glance as po


def test_verifying_stream():
    data = b'a' * (po.CHUNK + 10)
    good = {'algorithm': 'sha-256', 'hash': hashlib.sha256(data).hexdigest()}
    assert b''.join(po._VerifyingStream(io.BytesIO(data), good, 'img')) == data
    assert b''.join(po._VerifyingStream(io.BytesIO(data), None, 'img')) == data
    bad = {'algorithm': 'sha-512', 'hash': 'ff'}
    with pytest.raises(po.ChecksumMismatch, match=r"^img: the file has sha512 [0-9a-f]{128}, the VNFD declares ff$"):
        b''.join(po._VerifyingStream(io.BytesIO(data), bad, 'img'))
