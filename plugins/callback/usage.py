# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: usage
type: notification
short_description: Record the usage events of telco.nfvo modules in the chargeback ledger
version_added: 0.1.0
description:
  - Writes the C(usage_events) that telco.nfvo lifecycle modules return (one per billable change they made) to the usage
    ledger that M(telco.nfvo.chargeback_report) rates, with the context of the run that made them - playbook, play, task,
    host, check mode, and the AWX job metadata when present (environment C(JOB_ID), C(INVENTORY_ID), C(PROJECT_REVISION),
    C(AWX_HOST); extra vars C(awx_job_id) or C(tower_job_id), C(awx_job_template_name), C(awx_user_name),
    C(awx_workflow_job_id), C(awx_schedule_id), C(awx_inventory_id)).
  - Events are written as each task finishes, not at the end of the run, and inserted idempotently by event id, so a
    replayed or killed run never double-counts nor loses what was already written.
  - The ledger is a SQLite file by default, or a PostgreSQL database when O(dsn) is set (for AWX clusters whose execution
    nodes share one ledger).
  - A ledger that cannot be opened or written never fails a task - the plugin warns once and appends the events to the
    O(spool) file; the next run that opens the ledger flushes the spool into it. A flush that is interrupted (Ctrl-C,
    kill, a ledger error) leaves its claim C(<spool>.flushing-<id>) next to the spool, and the next run flushes it, so
    nothing is lost and nothing is counted twice.
  - Only the results of this collection's own modules are read (the task's resolved action matches O(actions)); a
    C(usage_events) key in the result of any other task - C(ansible.builtin.debug) of a registered result,
    C(ansible.builtin.set_fact), a module of another collection - is never billed.
  - Results of tasks with C(no_log) are never read, so their events are not recorded. Keys that look like secrets (password,
    token, secret, auth, ...) are dropped from everything stored. Extra vars are not stored, only the AWX fields above.
  - Works next to any stdout callback (including AWX's); enable it with C(callbacks_enabled = telco.nfvo.usage).
requirements:
  - psycopg >= 3 on the controller, only for a PostgreSQL ledger
options:
  ledger:
    description:
      - Path of the SQLite ledger file; created with mode 0600 when missing (and C(~/.ansible) too, for the default).
      - Ignored when O(dsn) is set.
    type: path
    default: ~/.ansible/telco_nfvo_usage.db
    env:
      - name: TELCO_NFVO_USAGE_LEDGER
    ini:
      - section: telco_nfvo_usage
        key: ledger
    version_added: 0.1.0
  dsn:
    description:
      - PostgreSQL connection string (C(postgresql://user@host:5432/db) or C(host=... dbname=...)) of a shared ledger.
      - Prefer a C(~/.pgpass) file or the C(PGPASSWORD) environment variable to a password inside the DSN.
    type: str
    env:
      - name: TELCO_NFVO_USAGE_DSN
    ini:
      - section: telco_nfvo_usage
        key: dsn
    version_added: 0.1.0
  spool:
    description:
      - JSON-lines file (mode 0600) that keeps the events while the ledger cannot be reached.
    type: path
    default: ~/.ansible/telco_nfvo_usage.spool.jsonl
    env:
      - name: TELCO_NFVO_USAGE_SPOOL
    ini:
      - section: telco_nfvo_usage
        key: spool
    version_added: 0.1.0
  actions:
    description:
      - The task actions whose C(usage_events) are billed, as fully qualified names or shell-style patterns
        (C(fnmatch)), matched against the task's resolved action (a short C(vnf) under the play's C(collections)
        keyword is C(telco.nfvo.vnf)).
      - The default bills this collection's modules only; add your own module only if it returns usage events built
        the way telco.nfvo's are.
    type: list
    elements: str
    default: ['telco.nfvo.*']
    env:
      - name: TELCO_NFVO_USAGE_ACTIONS
    ini:
      - section: telco_nfvo_usage
        key: actions
    version_added: 0.1.0
'''

EXAMPLES = r'''
# Enable it in ansible.cfg, next to any stdout callback:
#   [defaults]
#   callbacks_enabled = telco.nfvo.usage
#   [telco_nfvo_usage]
#   dsn = host=ledger.example.com dbname=nfvo user=nfvo   # a shared PostgreSQL ledger; leave out for SQLite
# or in the environment of the run (an AWX job template's environment, a custom credential's injector):
#   ANSIBLE_CALLBACKS_ENABLED=telco.nfvo.usage
#   TELCO_NFVO_USAGE_DSN="host=ledger.example.com dbname=nfvo user=nfvo"
#   TELCO_NFVO_USAGE_LEDGER=/var/lib/nfvo/usage.db      # SQLite file, when no DSN is set
#
# Then every telco.nfvo task that changes billable resources is recorded as it finishes; nothing in the play names
# the callback:
- name: Instantiate a VNF - its servers, volumes and floating IPs go into the usage ledger
  telco.nfvo.vnf:
    cloud: nfvo-tenant
    name: web-1
    package: /srv/vnf-packages/helloworld3.zip
    flavour_id: simple

- name: Rate what the ledger recorded this month
  telco.nfvo.chargeback_report:
    ledger_dsn: host=ledger.example.com dbname=nfvo user=nfvo
    rates: /srv/nfvo/rates.yml
    month: "{{ now(utc=true).strftime('%Y-%m') }}"
    group_by: vnf
  register: bill
'''

import datetime
import fnmatch
import os
import uuid

from ansible import context as cli_context
from ansible.plugins.callback import CallbackBase
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger import DEFAULT_PATH
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.ledger_writer import Recorder

# run context field -> extra vars that may carry it (first present wins), then environment variables
AWX_FIELDS = {
    'awx_job_id': (('awx_job_id', 'tower_job_id'), ('JOB_ID',)),
    'awx_job_template': (('awx_job_template_name', 'tower_job_template_name'), ()),
    'awx_user': (('awx_user_name', 'tower_user_name'), ()),
    'awx_workflow_job_id': (('awx_workflow_job_id', 'tower_workflow_job_id'), ()),
    'awx_schedule_id': (('awx_schedule_id', 'tower_schedule_id'), ()),
    'project_revision': (('awx_project_revision', 'tower_project_revision'), ('PROJECT_REVISION',)),
    'awx_host': ((), ('AWX_HOST',)),
    'awx_inventory_id': (('awx_inventory_id', 'tower_inventory_id'), ('INVENTORY_ID',)),
}


def _public(result, name):
    """ansible-core 2.19 names result.result/task/host; older releases only the underscored ones."""
    value = getattr(result, name, None)
    return value if value is not None else getattr(result, '_' + name)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'notification'
    CALLBACK_NAME = 'telco.nfvo.usage'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._recorder = None
        self._run = {'run_id': str(uuid.uuid4()), 'started': datetime.datetime.now(datetime.timezone.utc).isoformat()}
        self._play = None
        self._actions = []

    def set_options(self, *args, **kwargs):
        super(CallbackModule, self).set_options(*args, **kwargs)
        path, dsn, spool = self.get_option('ledger'), self.get_option('dsn'), self.get_option('spool')
        default_dir = os.path.dirname(os.path.expanduser(DEFAULT_PATH))  # ~/.ansible: create it, not the user's own paths
        if default_dir in (os.path.dirname(spool), None if dsn else os.path.dirname(path)):
            os.makedirs(default_dir, mode=0o700, exist_ok=True)
        self._recorder = Recorder(path=path, dsn=dsn, spool=spool)
        self._actions = [a.strip() for a in self.get_option('actions') or [] if a and a.strip()]

    def v2_playbook_on_start(self, playbook):
        self._run['playbook'] = playbook._file_name
        self._warn(self._recorder.open())  # flushes what an earlier run spooled, even if this run records nothing

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name()
        extra_vars = play.get_variable_manager().extra_vars
        for field, (var_names, env_names) in AWX_FIELDS.items():
            values = [extra_vars.get(name) for name in var_names] + [os.environ.get(name) for name in env_names]
            found = next((value for value in values if value not in (None, '')), None)
            if found is not None:
                self._run[field] = str(found)

    def v2_runner_on_ok(self, result):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result)  # a failed module may have rolled back: its deletes are events too

    def v2_playbook_on_stats(self, stats):
        if self._recorder:
            self._recorder.close()

    def _record(self, result):
        task = _public(result, 'task')
        if task.no_log or not self._billed(task):
            return
        data = _public(result, 'result')
        events = list(data.get('usage_events') or [])
        for item in data.get('results') or []:  # loops: each item's own result
            if isinstance(item, dict) and not item.get('_ansible_no_log'):
                events.extend(item.get('usage_events') or [])
        if not events:
            return
        check_mode = task.check_mode if task.check_mode is not None else cli_context.CLIARGS.get('check', False)
        run_context = dict(self._run, play=self._play, task=task.get_name(), host=_public(result, 'host').get_name(), check_mode=bool(check_mode))
        self._warn(self._recorder.record(events, run_context))

    def _billed(self, task):
        """Whether the task is one of the actions whose usage events are billed (option ``actions``)."""
        action = getattr(task, 'resolved_action', None) or task.action or ''
        return any(fnmatch.fnmatchcase(action, pattern) for pattern in self._actions)

    def _warn(self, warnings):
        for warning in warnings:
            self._display.warning('telco.nfvo.usage: %s' % warning)
