# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""base/notes.py: warnings noted deep down reach the user through NfvoModule.run, on success and failure."""
from __future__ import annotations

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.base.module import NfvoModule
from ansible_collections.telco.nfvo.plugins.module_utils.base.notes import collect, note


class _Ansible:
    """What NfvoModule.run uses of an AnsibleModule, recorded."""

    def __init__(self):
        self.warnings, self.ended = [], None

    def warn(self, text):
        self.warnings.append(text)

    def exit_json(self, **kwargs):
        self.ended = ('exit', kwargs)
        raise SystemExit(0)

    def fail_json(self, **kwargs):
        self.ended = ('fail', kwargs)
        raise SystemExit(1)


def _module():
    module = NfvoModule.__new__(NfvoModule)
    module.ansible, module.params = _Ansible(), {}
    return module


def test_note_outside_collect_is_dropped_and_inside_kept_once():
    note('nobody listens')
    with collect() as outer:
        note('a.yaml: x: odd')
        with collect() as inner:
            note('b.yaml: y: odd')
        note('a.yaml: x: odd')
    assert outer == ['a.yaml: x: odd'] and inner == ['b.yaml: y: odd']


def test_run_shows_the_notes_as_warnings_on_success():
    module = _module()

    def body(_module):
        note('a.yaml: x: read leniently')
        return {'changed': False}
    with pytest.raises(SystemExit):
        module.run(body)
    assert module.ansible.warnings == ['a.yaml: x: read leniently'] and module.ansible.ended == ('exit', {'changed': False})


def test_run_shows_the_notes_as_warnings_on_failure():
    module = _module()

    def body(_module):
        note('a.yaml: x: read leniently')
        raise PackageError('b.yaml: y: broken')
    with pytest.raises(SystemExit):
        module.run(body)
    assert module.ansible.warnings == ['a.yaml: x: read leniently']
    assert module.ansible.ended == ('fail', {'msg': 'b.yaml: y: broken'})
