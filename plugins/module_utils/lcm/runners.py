# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lifecycle modules' runners (``vnf``, ``vnf_info``, ``vnf_scale``, ``vnf_heal``, ``vnf_operate``,
``vnf_change``, ``vnf_lcm_op_occ``) and the argument specs they share.

A runner turns the module's parameters into a ``Context`` (``operation.py``), calls the operation and ends through
``NfvoModule.run`` (``base/module.py``), the one place errors become ``fail_json``: an ``LcmError`` as its message,
any other error as 'Failed to <what>: <one line>', an operation that ran and failed (``Result.error``) as that
error with the whole module result (``OperationFailed``).
"""
from __future__ import annotations

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, OperationFailed, PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback import recording as usage_events
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.change import converge_changes, run_change
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.notify import Notifier, notify_option
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.lifecycle import build_request, list_instances, terminate
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.occurrences import continue_occurrence
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context, Options, Result
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operations import converge_vnf_state, heal, operate, scale
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.upgrade import converge_package
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.runners import limits_option


# argument specs the lifecycle modules share; their documentation is doc_fragments/lcm.py (notify: doc_fragments/notify.py)
def run_options():
    return dict(wait=dict(type='bool', default=True), timeout=dict(type='int', default=1800), max_concurrency=dict(type='int', default=10),
                **notify_option())


def notifier_of(module):
    """The Notifier of the task's ``notify`` receivers (None without); it masks the task's no_log values."""
    return Notifier.from_option(module.params.get('notify'), secrets=module.ansible.no_log_values)


def notified(module, opts):
    """Warn of the receivers of the task that missed notifications (the operation went on)."""
    for w in opts.notifier.report() if opts.notifier is not None else ():
        module.warn(w)


def new_vnfc_options():
    return dict(package=dict(type='path'), images=dict(type='dict', default={}), ext_virtual_links=dict(type='raw'),
                additional_params=dict(type='dict', default={}), **limits_option())


def on_failure_option():
    return dict(on_failure=dict(type='str', choices=['rollback', 'keep'], default='rollback'))


def hide_user_data(module, additional_params):
    """User data may hold secrets: never shown in output or logs (registered as no_log values). ``additional_params``:
    a VNF's, with its top-level and per-VDU (``vdu_params``) user data."""
    params = additional_params or {}
    for scope in [params] + list((params.get('vdu_params') or {}).values()):
        module.hide((scope or {}).get('user_data'))


def _context(module, opts):
    """The Context of a module run; its API notes the billable changes for usage_events (connects)."""
    return Context(api=usage_events.api_for(module), opts=opts, diff=module.diff, project_id=module.conn.current_project_id)


def finish_module(module, result, opts):
    """The module result of every LCM operation (vnf, vnf_scale, vnf_heal, vnf_operate, vnf_lcm_op_occ) run with
    ``opts``; an operation that failed raises OperationFailed with it."""
    notified(module, opts)
    out = {'changed': result.changed, 'vnf_instance': result.vnf_instance,
           'usage_events': usage_events.module_events(module, result)}
    if result.lcm_op_occ is not None:
        out['lcm_op_occ'] = result.lcm_op_occ
    if result.plan is not None:
        out['plan'] = result.plan
    if result.diff is not None:
        out['diff'] = result.diff
    out.update(result.extra)
    for w in result.warnings:
        module.warn(w)
    if result.error:
        raise OperationFailed(result.error, result=out)
    return out


# ---------------------------------------------------------------------------------------------------------------
# vnf, vnf_info

def _package_for(p):
    """The VNF package of a ``vnf`` task, checked against vnfd_id / vnfd_version, and the flavour to use."""
    try:
        pkg = read_package(p['package'], limits=p.get('limits'))
    except PackageError as exc:
        raise LcmError('Cannot read VNF package %s: %s' % (p['package'], exc))
    if p.get('vnfd_id') and p['vnfd_id'] != pkg.vnfd.descriptor_id:
        raise LcmError('package %s holds VNFD %s, not %s' % (p['package'], pkg.vnfd.descriptor_id, p['vnfd_id']))
    if p.get('vnfd_version') and p['vnfd_version'] != pkg.vnfd.descriptor_version:
        raise LcmError('package %s holds version %s of VNFD %s, not %s'
                       % (p['package'], pkg.vnfd.descriptor_version, pkg.vnfd.descriptor_id, p['vnfd_version']))
    flavour_id = p.get('flavour_id')
    if not flavour_id:
        if len(pkg.vnfd.flavours) != 1:
            raise LcmError('VNFD %s has flavours %s: choose one with flavour_id' % (pkg.vnfd.descriptor_id, ', '.join(pkg.vnfd.flavours)))
        flavour_id = next(iter(pkg.vnfd.flavours))
    return pkg, flavour_id


def _vnf(module):
    p = module.params
    hide_user_data(module, module.params.get('additional_params'))
    opts = Options(check_mode=module.check_mode, on_failure=p['on_failure'], wait=p['wait'], timeout=p['timeout'],
                   max_concurrency=p['max_concurrency'], termination_type=p['termination_type'],
                   graceful_termination_timeout=p['graceful_termination_timeout'], notifier=notifier_of(module))
    ctx = _context(module, opts)
    name = p['name']
    if p['state'] == 'absent':
        return finish_module(module, terminate(ctx, T.vnf_instance_id(ctx.project_id, name), name), opts)
    pkg, flavour_id = _package_for(p)
    req, flavour = build_request(ctx.project_id, name, pkg, flavour_id, p)
    if p.get('scale_levels') is not None:
        req.scale_levels = {str(k): int(v) if str(v).isdigit() else v for k, v in p['scale_levels'].items()}
    result = converge_changes(ctx, converge_package(ctx, pkg, flavour, req, p), p)
    if p.get('vnf_state'):
        result = converge_vnf_state(ctx, result, p)
    return finish_module(module, result, opts)


def _billed(fn):
    """The module function ``fn``, whose operation, when it raises once it holds the lock (``lcm_op_occ`` on the error:
    operation.Operation.run), still answers with its occurrence and the usage events of what the cloud did: the ledger
    misses no change."""
    def run(module):
        try:
            return fn(module)
        except Exception as exc:
            occ = getattr(exc, 'lcm_op_occ', None)
            if occ is not None:
                exc.result = dict(getattr(exc, 'result', None) or {}, lcm_op_occ=occ,
                                  usage_events=usage_events.module_events(module, Result(lcm_op_occ=occ)))
            raise
    return run


def run_vnf_module(module):
    module.run(_billed(_vnf), lambda p: 'manage VNF %s' % p['name'])


def _vnf_info(module):
    p = module.params
    pkg = None
    if p.get('package'):
        try:
            pkg = read_package(p['package'], limits=p.get('limits'))
        except PackageError as exc:
            raise LcmError('Cannot read VNF package %s: %s' % (p['package'], exc))
    api = CloudApi(module.conn)
    found = list_instances(api, name=p.get('name'), vnfd_id=p.get('vnfd_id'), ns_id=p.get('ns_instance_id'),
                           project_id=module.conn.current_project_id, package=pkg)
    return {'changed': False, 'vnf_instances': found}


def run_vnf_info_module(module):
    module.run(_vnf_info, 'read VNF instances')


# ---------------------------------------------------------------------------------------------------------------
# vnf_scale, vnf_heal, vnf_operate, vnf_lcm_op_occ

def _options(module):
    p = module.params
    return Options(check_mode=module.check_mode, on_failure=p.get('on_failure') or 'rollback', wait=p['wait'], timeout=p.get('timeout') or 1800,
                   max_concurrency=p.get('max_concurrency') or 10, notifier=notifier_of(module))


def _runner(operation):
    """The module function of an operation ``operation(ctx, params)``."""
    def run(module):
        hide_user_data(module, module.params.get('additional_params'))
        ctx = _context(module, _options(module))
        return finish_module(module, operation(ctx, module.params), ctx.opts)
    return _billed(run)


def run_vnf_scale_module(module):
    module.run(_runner(lambda ctx, p: scale(ctx, p['name'], p)), lambda p: 'scale VNF %s' % p['name'])


def run_vnf_heal_module(module):
    module.run(_runner(lambda ctx, p: heal(ctx, p['name'], p)), lambda p: 'heal VNF %s' % p['name'])


def run_vnf_operate_module(module):
    module.run(_runner(lambda ctx, p: operate(ctx, p['name'], p)), lambda p: 'operate VNF %s' % p['name'])


def info_options():
    """The MODIFY_INFO options (``vnf`` and ``vnf_change``; doc fragment ``telco.nfvo.lcm.info``)."""
    return dict(vnf_instance_description=dict(type='str'), metadata=dict(type='dict'), extensions=dict(type='dict'))


def run_vnf_change_module(module):
    module.run(_runner(run_change), lambda p: 'change VNF %s (%s)' % (p['name'], p['operation']))


def run_vnf_lcm_op_occ_module(module):
    module.run(_runner(continue_occurrence), lambda p: '%s LCM operation occurrence %s' % (p['action'], p['id']))
