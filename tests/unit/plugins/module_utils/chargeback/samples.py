# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Events and contexts the chargeback unit tests share."""

from ansible_collections.telco.nfvo.plugins.module_utils.chargeback.events import make_event

UNREACHABLE_PG = 'postgresql://nfvo:hunter2@127.0.0.1:1/nfvo_ledger'
# the run context the callback gives the ledger (with secrets that must never be stored)
RUN_CONTEXT = {'run_id': 'run-1', 'playbook': 'site.yml', 'play': 'Deploy', 'task': 'Instantiate', 'host': 'localhost', 'check_mode': False,
               'awx_job_id': '42', 'awx_job_template': 'deploy-vnf', 'awx_user': 'alice', 'project_revision': 'abc123',
               'password': 'hunter2', 'auth': {'token': 'gAAAA'}}

# the cloud context of the events a module returns
CLOUD_CONTEXT = {'cloud': 'nfvo-tenant', 'region': 'RegionOne', 'project_id': 'p-1', 'project_name': 'demo'}


def server(resource_id, action, when, **sizes):
    return make_event('server', resource_id, action, when, project_name='tenant-a', **sizes)
