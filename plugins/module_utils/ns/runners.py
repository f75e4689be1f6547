# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runners of ``ns``, ``ns_info`` and the NS operations ``ns_scale``, ``ns_heal``, ``ns_update``.

Like the VNF lifecycle's runners (``lcm/runners.py``): the module's parameters -> the NSD read, the NS plan made (every
input error raised before any write), the ``Context`` (its API the ``RecordingApi`` that notes billable changes for
``usage_events``), the operation, and the end through ``NfvoModule.run`` (a failed NS operation raises
``OperationFailed`` carrying the whole module result).
"""
from __future__ import annotations

from types import SimpleNamespace

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import LcmError, OperationFailed, PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.chargeback import recording as usage_events
from ansible_collections.telco.nfvo.plugins.module_utils import tags as T
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.operation import Context, Options
from ansible_collections.telco.nfvo.plugins.module_utils.lcm.runners import hide_user_data, notified, notifier_of, on_failure_option, run_options
from ansible_collections.telco.nfvo.plugins.module_utils.ns import operations as NO
from ansible_collections.telco.nfvo.plugins.module_utils.ns.lifecycle import instantiate, list_ns, terminate
from ansible_collections.telco.nfvo.plugins.module_utils.ns.plan import plan_ns
from ansible_collections.telco.nfvo.plugins.module_utils.ns.scaling import scale_ns
from ansible_collections.telco.nfvo.plugins.module_utils.openstack.client import CloudApi
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.ns_spec import read_ns_spec
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.nsd_reader import read_nsd
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.runners import limits_option


def _hide_user_data(module):
    """The user data of every VNF of the task (``vnfs.<node>.additional_params``) is never shown."""
    for entry in (module.params.get('vnfs') or {}).values():
        hide_user_data(module, (entry or {}).get('additional_params'))


def _finish(module, ns_id, result, opts):
    notified(module, opts)
    occ = result.ns_lcm_op_occ
    out = {'changed': result.changed, 'ns_instance': result.ns_instance,
           'usage_events': usage_events.module_events(module, SimpleNamespace(lcm_op_occ=occ, vnf_instance={'nsInstanceId': ns_id}))}
    for key, value in (('ns_lcm_op_occ', occ), ('plan', result.plan), ('diff', result.diff)):
        if value is not None:
            out[key] = value
    for w in result.warnings:
        module.warn(w)
    if result.error:
        raise OperationFailed('NS %s: %s %s: %s' % (module.params['name'], occ['lcmOperationType'], occ['operationState'], result.error), result=out)
    return out


def _descriptor(p):
    """(Nsd, warnings) of the task: its ``nsd`` file, or its compact ``spec`` (the same model)."""
    what = 'NSD %s' % p['nsd'] if p.get('nsd') else 'NS spec' if isinstance(p['spec'], dict) else 'NS spec %s' % p['spec']
    try:
        nsd, warnings = read_nsd(p['nsd']) if p.get('nsd') else read_ns_spec(p['spec'])
    except PackageError as exc:
        raise LcmError('Cannot read %s: %s' % (what, exc))
    return nsd, ['%s: %s' % (what, w) for w in warnings]


def _context(module):
    p = module.params
    opts = Options(check_mode=module.check_mode, on_failure=p['on_failure'], wait=p['wait'], timeout=p['timeout'],
                   max_concurrency=p['max_concurrency'], termination_type=p.get('termination_type') or 'graceful',
                   graceful_termination_timeout=p.get('graceful_termination_timeout') or 60, notifier=notifier_of(module))
    return Context(api=usage_events.api_for(module), opts=opts, diff=module.diff, project_id=module.conn.current_project_id)


def _ns(module):
    p = module.params
    _hide_user_data(module)
    ctx = _context(module)
    ns_id = T.ns_instance_id(ctx.project_id, p['name'])
    if p['state'] == 'absent':
        return _finish(module, ns_id, terminate(ctx, ctx.project_id, p['name']), ctx.opts)
    nsd, warnings = _descriptor(p)
    for w in warnings:
        module.warn(w)
    plan = plan_ns(ctx.project_id, p['name'], nsd, p)
    return _finish(module, ns_id, instantiate(ctx, plan), ctx.opts)


def run_ns_module(module):
    module.run(_ns, lambda p: 'manage NS %s' % p['name'])


def _ns_info(module):
    found = list_ns(CloudApi(module.conn), module.conn.current_project_id, name=module.params.get('name'))
    return {'changed': False, 'ns_instances': found}


def run_ns_info_module(module):
    module.run(_ns_info, 'read NS instances')


def ns_operation_options():
    """The argument spec ns_scale, ns_heal and ns_update share (documented by doc_fragments/ns_ops.py, package_limits.py and lcm.py)."""
    return dict(vnfs=dict(type='dict', default={}), **limits_option(), **on_failure_option(), **run_options())


UPDATE_TYPES = ('add_vnf', 'remove_vnf', 'change_vnf_df')  # ns_update's update_type: SOL005 ADD_VNF, REMOVE_VNF, CHANGE_VNF_DF


def ns_update_options():
    """ns_update's own options: the update type and what it acts on (O(vnf_nodes), O(change_vnf_flavour_data))."""
    return dict(update_type=dict(type='str', choices=list(UPDATE_TYPES), required=True),
                vnf_nodes=dict(type='list', elements='str'),
                change_vnf_flavour_data=dict(type='list', elements='dict', options=dict(
                    vnf_node=dict(type='str', required=True), new_flavour_id=dict(type='str', required=True),
                    instantiation_level_id=dict(type='str'))))


def ns_descriptor_options():
    """The options of the NS operations that plan VNFs from the NSD (ns_scale, ns_update): the NSD or spec, cidr_pool
    and how VNFs are terminated."""
    return dict(nsd=dict(type='path'), spec=dict(type='raw'), cidr_pool=dict(type='list', elements='str'),
                termination_type=dict(type='str', choices=['graceful', 'forceful'], default='graceful'),
                graceful_termination_timeout=dict(type='int', default=60))


def _operation(operation):
    """The module function of an NS operation ``operation(ctx, name, params)``."""
    def run(module):
        _hide_user_data(module)
        ctx = _context(module)
        return _finish(module, T.ns_instance_id(ctx.project_id, module.params['name']), operation(ctx, module.params['name'], module.params), ctx.opts)
    return run


def _update(ctx, name, p):
    nsd, warnings = _descriptor(p)
    result = {'add_vnf': NO.add_vnfs, 'remove_vnf': NO.remove_vnfs, 'change_vnf_df': NO.change_vnf_df}[p['update_type']](ctx, name, nsd, p)
    result.warnings = warnings + result.warnings
    return result


def _scale(ctx, name, p):
    """SCALE_VNF (``vnf`` given: that VNF node by its VNF aspect) or SCALE_NS (by an NS scaling aspect, to an NS level)."""
    if p.get('vnf'):
        return NO.scale(ctx, name, p)
    if not (p.get('nsd') or p.get('spec')):
        raise LcmError('scaling NS %s by an NS scaling aspect or to an NS level needs its NSD: give nsd or spec (or vnf, to scale one VNF node)' % name)
    nsd, warnings = _descriptor(p)
    result = scale_ns(ctx, name, nsd, p)
    result.warnings = warnings + result.warnings
    return result


def run_ns_scale_module(module):
    module.run(_operation(_scale), lambda p: 'scale NS %s' % p['name'])


def run_ns_heal_module(module):
    module.run(_operation(NO.heal), lambda p: 'heal NS %s' % p['name'])


def run_ns_update_module(module):
    module.run(_operation(_update), lambda p: 'update NS %s' % p['name'])
