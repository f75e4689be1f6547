# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The budgets of reading a package: how much YAML, nesting, decompressed data and scale a package may ask for.

A package is hostile input: a few kilobytes can ask for gigabytes (an alias bomb, a zip member that inflates far
beyond its header, ``max_scale_level: 1000000000``). ``Budgets`` holds every limit of the readers in one place,
with the documented defaults (doc fragment ``telco.nfvo.package_limits``, ``docs/packages.md``); the ``limits``
option of the modules that read packages raises or lowers them (``Budgets.from_limits``). Every refusal is one
``PackageError`` line naming the file, the YAML path where there is one, and the budget (``refusal``).
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError

# name -> (default, what it counts, as refusals word it)
DEFAULTS = {
    'nodes': (500000, 'YAML nodes in one file, counted after alias expansion'),
    'depth': (100, 'levels of YAML nesting, after alias expansion'),
    'member_bytes': (64 * 2 ** 20, 'bytes of one descriptor or manifest file, decompressed'),
    'total_bytes': (2 ** 30, 'bytes decompressed from a zip (CSAR) package in all, hashed members included (by default'
                             ' 1 GiB or 20 times the CSAR\'s size on disk, whichever is more)'),
    'scale_levels': (10000, 'max_scale_level of a scaling aspect'),
    'instances': (10000, 'instances of one VDU (vdu_profile, deltas, levels)'),
}


@dataclass(frozen=True)
class Budgets:
    """The limits of reading one package (see ``DEFAULTS``)."""
    nodes: int = DEFAULTS['nodes'][0]
    depth: int = DEFAULTS['depth'][0]
    member_bytes: int = DEFAULTS['member_bytes'][0]
    total_bytes: int = DEFAULTS['total_bytes'][0]
    scale_levels: int = DEFAULTS['scale_levels'][0]
    instances: int = DEFAULTS['instances'][0]

    @classmethod
    def from_limits(cls, limits=None):
        """The budgets of a ``limits`` option ({name: positive integer}; None or missing names: the defaults)."""
        if isinstance(limits, Budgets):
            return limits
        if not limits:
            return cls()
        if not isinstance(limits, dict):
            raise PackageError('limits must be a mapping of %s to positive integers' % ', '.join(DEFAULTS))
        given = {}
        for name, value in limits.items():
            if value is None:  # a suboption not given
                continue
            if name not in DEFAULTS:
                raise PackageError("limits: unknown budget '%s' (budgets: %s)" % (name, ', '.join(DEFAULTS)))
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise PackageError('limits: %s must be a positive integer, not %r' % (name, value))
            given[name] = value
        return replace(cls(), **given)

    def as_dict(self):
        return {f.name: getattr(self, f.name) for f in fields(self)}


def refusal(where, what, name, limit):
    """The ``PackageError`` of a budget exceeded: ``<where>: more than <limit> <what> (limit <name>=<limit>)``;
    ``hard``: never read leniently (a flavour over a budget refuses the package, it is not set aside)."""
    error = PackageError('%s: more than %d %s (limit %s=%d)' % (where, limit, what, name, limit))
    error.hard = True
    return error
