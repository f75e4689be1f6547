# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every failure telco.nfvo reports, and how any error becomes the one line a user reads.

The error contract (see docs/architecture.md):
- Every failure we raise derives from ``NfvoError``. ``str(exc)`` is the one line a person can act on: it names
  the thing (file and YAML path, resource, VNF, ledger ...), the reason and, where the cloud gave some, the
  cloud's own words. It never holds a secret.
- An error raised deep down (a package reader, the planner, the HTTP client) does not know which operation it
  broke. ``NfvoModule.run()`` (base/module.py), the ONE place that calls ``fail_json``, puts
  ``Failed to <operation>: `` in front of it, unless the class says its message is already whole
  (``whole = True``: an ``LcmError`` worded for the user).
- Anything else (openstacksdk / keystoneauth / network errors) is turned into one line by ``describe_error``.

Pure: imports neither Ansible nor openstacksdk (the package readers use these errors and must stay light);
``describe_error`` recognises openstacksdk's and keystoneauth's exception classes from ``sys.modules``: an
exception of theirs can only exist once they are imported.
"""

from __future__ import annotations

import sys


class NfvoError(Exception):
    """The base of every failure of the collection. ``str()`` is the message as given (it names the thing, the
    VNF and, for a ``CloudError``, carries the cloud's own words); ``status``: an HTTP status, when there is one."""

    whole = False  # True: the message is complete for the user; False: run() prefixes 'Failed to <what>: '

    def __init__(self, message='', status=None, result=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.result = result  # module result keys that go with the failure (fail_json(msg, **result))

    def __str__(self):
        return str(self.message)


# --- descriptors and packages (vnfd/) ---------------------------------------------------------------------

class PackageError(NfvoError):
    """A VNF package that cannot be read, with a message naming the file, the YAML path and the problem."""


class OnboardingError(NfvoError):
    """A package whose images cannot be onboarded, with one line naming the image and the reason."""


class ChecksumMismatch(OnboardingError):
    """Raised from inside an upload stream when the data does not have the checksum the VNFD declares."""


# --- the cloud (openstack/) -------------------------------------------------------------------------------

class CloudError(NfvoError):
    """An error answer of the cloud: ``message`` is the cloud's own words, ``status`` the HTTP status."""

    def __init__(self, message, status=None):
        super().__init__(message, status=status)

    def __str__(self):
        return '%s (HTTP %s)' % (self.message, self.status) if self.status else self.message


# --- lifecycle (lcm/) -------------------------------------------------------------------------------------

class PlanError(NfvoError, ValueError):
    """A request that cannot be planned; the message names what is missing or wrong, in one line."""


class ActionFailed(NfvoError):
    """One action of a plan failed: ``action`` is the Action, ``reason`` the one line (with the cloud's words)."""

    def __init__(self, action, reason, status=None):
        super().__init__(reason, status=status)
        self.action = action
        self.reason = reason


class LcmError(NfvoError):
    """A request that cannot be carried out, in one line (bad input, locked instance, unplannable request)."""

    whole = True


class OperationFailed(NfvoError):
    """An LCM operation that ran and failed: the message is whole, ``result`` the module result that goes with it."""

    whole = True


# --- chargeback (chargeback/) -----------------------------------------------------------------------------

class LedgerError(NfvoError):
    """The ledger cannot be opened or written; the message is one line naming the ledger and the reason."""


class RateError(NfvoError, ValueError):
    """The rate file is invalid; the message names the rate, the detail and the problem."""


class ReportError(NfvoError, ValueError):
    """A report that cannot be made as asked (period, interval, format, grouping, an unwritable dest)."""


class UsageEventError(NfvoError, ValueError):
    """A usage event that is not valid (unknown field, missing or wrong value); the message names the event."""


class SnapshotError(NfvoError):
    """The cloud could not be listed; one line naming what and why."""


# --- any other error --------------------------------------------------------------------------------------

def first_line(value):
    """The first line of ``str(value)`` with its white space collapsed (the class name when it is empty)."""
    text = str(value).strip()
    return ' '.join(text.split('\n', maxsplit=1)[0].split()) or type(value).__name__


def describe_error(exc):
    """One line a person can act on, with the cloud's own words where it gave some."""
    sdk_exc, ksa_exc = sys.modules.get('openstack.exceptions'), sys.modules.get('keystoneauth1.exceptions')
    if isinstance(exc, NfvoError) or sdk_exc is None or ksa_exc is None:
        return first_line(exc)
    cause = exc.__cause__ or exc.__context__
    if exc.__class__ is sdk_exc.SDKException and isinstance(cause, ksa_exc.ClientException):
        exc = cause  # authorize() wraps keystoneauth's error
    if isinstance(exc, ksa_exc.Unauthorized):
        return 'authentication failed (wrong user name, password, project or domain?): %s' % first_line(exc)
    if isinstance(exc, (ksa_exc.ConnectFailure, ksa_exc.ConnectTimeout, ksa_exc.DiscoveryFailure)):
        return 'cannot reach the cloud: %s' % first_line(exc)
    if isinstance(exc, ksa_exc.MissingRequiredOptions):
        return 'incomplete credentials: %s' % first_line(exc)
    if isinstance(exc, ksa_exc.EndpointNotFound):
        return 'service not in the catalog: %s' % first_line(exc)
    if isinstance(exc, sdk_exc.HttpException) and getattr(exc, 'status_code', None) == 401:
        return 'authentication failed (wrong user name, password, project or domain?)'
    if isinstance(exc, sdk_exc.HttpException):
        details = getattr(exc, 'details', None) or ''
        status = getattr(exc, 'status_code', None)
        text = details if details and details not in str(exc.message or '') else (exc.message or str(exc))
        return ('%s (HTTP %s)' % (first_line(text), status)) if status else first_line(text)
    return first_line(exc)


def failure_message(exc, what=None):
    """The one line of any error as the user reads it; ``what`` names the operation ('scale VNF vnf1')."""
    if isinstance(exc, NfvoError):
        text = str(exc)
        return text if exc.whole or not what else 'Failed to %s: %s' % (what, text)
    text = describe_error(exc)
    return 'Failed to %s: %s' % (what, text) if what else text
