# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Warnings raised deep down (a package reader) that the module shows as Ansible warnings.

``NfvoModule.run()`` (base/module.py) runs the module body inside ``collect()``; code of any layer that reads
something usable but not clean calls ``note(text)`` (one line, ``file: yaml.path: problem``), and run() shows each
distinct line once with ``module.warn`` - on success and on failure alike. Outside ``collect()`` (a unit test, a
benchmark) ``note`` does nothing: the callers keep their warnings in their own results too (``Package.warnings``).
Pure: no Ansible.
"""
from __future__ import annotations

import contextlib

_ACTIVE = []  # the lists of the collect() blocks open, innermost last


@contextlib.contextmanager
def collect():
    """Gather the ``note()`` lines of the block into the list it yields (each distinct line once, in order)."""
    found = []
    _ACTIVE.append(found)
    try:
        yield found
    finally:
        _ACTIVE.remove(found)


def note(text):
    """Record a warning line for the module that runs (nothing outside ``collect()``)."""
    if _ACTIVE and text not in _ACTIVE[-1]:
        _ACTIVE[-1].append(text)
