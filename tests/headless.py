# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A page as a person sees it: rendered by headless Chromium into a PNG, and a check that the PNG is not blank.
Used by the unit and the integration tests of the HTML report (tests/ is on sys.path through tests/conftest.py)."""
from __future__ import annotations

import shutil
import struct
import subprocess
import zlib

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
NO_CHROMIUM = 'headless Chromium (Debian package chromium) is not installed'


def screenshot(page, png, profile, width=1200, height=900):
    """Render the local HTML file ``page`` into ``png`` (a fresh browser profile in the directory ``profile``)."""
    subprocess.run([CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                    '--disable-component-update', '--disable-sync', '--user-data-dir=%s' % profile, '--screenshot=%s' % png,
                    '--window-size=%d,%d' % (width, height), 'file://%s' % page], check=True, timeout=120, capture_output=True)


def png_pixels_look_like_a_page(path):
    """(width, height, distinct byte values in the decompressed image data): a blank page has only a handful."""
    with open(path, 'rb') as handle:
        data = handle.read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    width, height = struct.unpack('>II', data[16:24])
    idat, offset = b'', 8
    while offset < len(data):
        length, kind = struct.unpack('>I4s', data[offset:offset + 8])
        if kind == b'IDAT':
            idat += data[offset + 8:offset + 8 + length]
        offset += 12 + length
    return width, height, len(set(zlib.decompress(idat)))
