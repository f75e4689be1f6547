"""The closed loop with the REAL ansible-rulebook on the local OpenStack: telco.nfvo.vnf_health + rulebooks/heal.yml
heal a VNFC deleted behind our back, start one stopped behind our back, give one event for a port DOWN;
telco.nfvo.alertmanager + rulebooks/alerts.yml scale on Tacker-labelled alerts (one scale-out for 5 alerts within the
cooldown, a scale-in at the minimum refused and not retried), refuse bad posts with 4xx while going on, and hold the
maximum rate under a burst of 20 alerts. LCM notifications (the notify option): those of the instantiate reach a
receiver thread in order; dead receivers (a closed port, one that never answers) neither fail an operation nor delay
it past the bound; telco.nfvo.lcm_notifications + rulebooks/notifications.yml page once (playbooks/page.yml) on a
scale-out the cloud refuses (FAILED_TEMP, then rolled back) and only log its other states. One v2_basic_min VNF
(VDU1 1..3, aspect VDU1_scale 0..2, VDU2 x1) for the module.
ansible-rulebook and Java 17 come from tests/services/eda.sh (cached venv; Debian's JRE when java < 17)."""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
import yaml

from vnf_resources import assert_nothing_left, instance_id_of, owned
from webhook import Webhook

from ansible_collections.telco.nfvo.plugins.module_utils import tags as T

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASIC = os.path.join(ROOT, 'tests', 'data', 'vnf_packages', 'v2_basic_min')
IMAGES = {'VDU1': 'cirros-0.6.3', 'VDU2': 'cirros-0.6.3'}
EDA = os.path.join(ROOT, 'extensions', 'eda')
COLLECTIONS = os.path.join(ROOT, '.build', 'pytest')  # tests/conftest.py links the tree there
CLOUD_DIR = os.environ.get('NFVO_CLOUD_DIR', os.path.join(ROOT, '.cloud'))
CLOUDS_YAML = os.path.join(CLOUD_DIR, 'clouds.yaml')
TENANT = 'nfvo-tenant'
BIN = os.path.dirname(sys.executable)
TOKEN = 'tok-%s' % uuid.uuid4().hex
SECRET = 'secret-%s' % uuid.uuid4().hex  # in the user data of the VNF: never in a notification
NOTIFY_BOUND = 5.0  # seconds, lcm/notify.BOUND (stated in docs/closed_loop.md)


def env_for(eda_bin):
    env = dict(os.environ)
    env.update({
        'OS_CLIENT_CONFIG_FILE': CLOUDS_YAML, 'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS, 'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable, 'ANSIBLE_LOCALHOST_WARNING': 'False',
        'ANSIBLE_DEPRECATION_WARNINGS': 'False',
        # ansible-rulebook from its venv; ansible-playbook / ansible-galaxy (and the collection's deps) from ours
        'PATH': os.pathsep.join([eda_bin, BIN, env.get('PATH', '')]),
    })
    return env


def play_module(tmp, module, args):
    """One task of ours through ansible-playbook; its registered result."""
    out = os.path.join(tmp, 'r-%s.json' % uuid.uuid4().hex[:6])
    play = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': [
        {'name': 'run', module: dict(args, cloud=TENANT), 'register': 'r', 'ignore_errors': True},
        {'ansible.builtin.copy': {'content': '{{ r | to_json }}', 'dest': out}}]}]
    path = os.path.join(tmp, 'p-%s.yml' % uuid.uuid4().hex[:6])
    with open(path, 'w') as f:
        yaml.safe_dump(play, f)
    env = env_for('')
    subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path], env=env, check=True,
                   capture_output=True, timeout=900)
    with open(out) as f:
        return json.load(f)


@pytest.fixture(scope='module')
def eda_bin():
    proc = subprocess.run(['bash', os.path.join(ROOT, 'tests', 'services', 'eda.sh')], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope='module')
def work(tmp_path_factory):
    return str(tmp_path_factory.mktemp('eda'))


class Hook(Webhook):
    """The LCM notification receiver of the tests (``got``: [(headers, body)] in the order received)."""

    def __init__(self):
        super().__init__()
        self.url = 'http://127.0.0.1:%d/lcm' % self.port

    def states(self, operation):
        return [b['operationState'] for _h, b in self.got if b.get('operation') == operation and 'notificationType' in b]


@pytest.fixture(scope='module')
def hook():
    h = Hook()
    yield h
    h.close()


@pytest.fixture(scope='module')
def vnf(sdk, vdu_flavor, work, hook):
    name = 'it-eda-%s' % uuid.uuid4().hex[:6]
    res = play_module(work, 'telco.nfvo.vnf', {'name': name, 'package': BASIC, 'flavour_id': 'simple', 'images': IMAGES,
                                               'additional_params': {'user_data': '#!/bin/sh\necho %s >/dev/null\n' % SECRET},
                                               'notify': [{'url': hook.url, 'headers': {'Authorization': 'Bearer %s' % TOKEN}}]})
    assert not res.get('failed'), res.get('msg')
    yield {'name': name, 'id': instance_id_of(sdk, name)}
    res = play_module(work, 'telco.nfvo.vnf', {'name': name, 'state': 'absent', 'termination_type': 'forceful'})
    assert not res.get('failed'), res.get('msg')
    assert_nothing_left(sdk, instance_id_of(sdk, name))


class Rulebook:
    """ansible-rulebook running one of our rulebooks; its output in a file; stopped by its own pid."""

    def __init__(self, eda_bin, work, rulebook, variables):
        self.log = os.path.join(work, '%s-%s.log' % (os.path.basename(rulebook), uuid.uuid4().hex[:6]))
        varfile = os.path.join(work, 'vars-%s.yml' % uuid.uuid4().hex[:6])
        with open(varfile, 'w') as f:
            yaml.safe_dump(variables, f)
        inventory = os.path.join(work, 'inventory.yml')
        with open(inventory, 'w') as f:
            yaml.safe_dump({'all': {'hosts': {'localhost': {'ansible_connection': 'local',
                                                            'ansible_python_interpreter': sys.executable}}}}, f)
        self.out = open(self.log, 'w')
        self.proc = subprocess.Popen([os.path.join(eda_bin, 'ansible-rulebook'), '--rulebook', rulebook, '-i', inventory,
                                      '--vars', varfile, '--print-events', '-v'],
                                     stdout=self.out, stderr=subprocess.STDOUT, env=env_for(eda_bin), cwd=work)

    def text(self):
        with open(self.log) as f:
            return f.read()

    def wait_for(self, pattern, timeout, count=1):
        end = time.time() + timeout
        while time.time() < end:
            assert self.proc.poll() is None, 'ansible-rulebook ended (rc %s):\n%s' % (self.proc.returncode, self.text()[-4000:])
            if len(re.findall(pattern, self.text())) >= count:
                return
            time.sleep(0.5)
        raise AssertionError('no %r (x%d) in %ss:\n%s' % (pattern, count, timeout, self.text()[-6000:]))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.out.close()


def base_vars(work, vnf):
    return {'cloud': TENANT, 'playbooks': os.path.join(EDA, 'playbooks'), 'package': BASIC, 'state_dir': work,
            'vnf_names': vnf['name']}


@pytest.fixture(scope='module')
def heal_rulebook(eda_bin, work, vnf):
    rb = Rulebook(eda_bin, work, os.path.join(EDA, 'rulebooks', 'heal.yml'), {'nfvo_eda': dict(base_vars(work, vnf), interval=2, log_polls=True)})
    try:
        rb.wait_for(r'vnf_health: baseline of \d+', 120)
        yield rb
    finally:
        rb.stop()


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def webhook_rulebook(eda_bin, work, rulebook, variables, path):
    """A rulebook whose source is one of our webhooks, on a free port (``url``: the webhook at ``path``), once it
    listens and the rules wait for events; stopped at the end."""
    port = free_port()
    variables = dict(variables, port=port, token=TOKEN)
    rb = Rulebook(eda_bin, work, os.path.join(EDA, 'rulebooks', rulebook), {'nfvo_eda': variables})
    rb.url = 'http://127.0.0.1:%d/%s' % (port, path)
    try:
        rb.wait_for(r': listening on 127\.0\.0\.1:%d' % port, 120)
        rb.wait_for(r'Waiting for events', 60)
        yield rb
    finally:
        rb.stop()


@pytest.fixture(scope='module')
def alerts(eda_bin, work, vnf):
    yield from webhook_rulebook(eda_bin, work, 'alerts.yml', dict(base_vars(work, vnf), max_actions=2), 'alerts')


def post(url, body, token=TOKEN):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method='POST', headers={'Content-Type': 'application/json'})
    if token:
        req.add_header('Authorization', 'Bearer %s' % token)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b'{}')
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b'{}')


def scale_alert(vnf, kind, fingerprint):
    """An Alertmanager payload with Tacker's auto_scale labels."""
    return {'version': '4', 'status': 'firing', 'receiver': 'telco-nfvo', 'alerts': [{
        'status': 'firing', 'fingerprint': fingerprint, 'startsAt': '2026-12-01T10:00:00Z',
        'labels': {'receiver_type': 'tacker', 'function_type': 'auto_scale', 'vnf_instance_id': vnf['id'],
                   'auto_scale_type': kind, 'aspect_id': 'VDU1_scale', 'perceived_severity': 'WARNING',
                   'alertname': 'Load%s' % kind}}]}


def servers_of(sdk, iid):
    return {s.metadata['nfvo_vnfc_id']: s for s in owned(sdk, iid)['servers']}


def test_health_baseline_is_silent(heal_rulebook, vnf):
    """(d) the first poll is the baseline; a healthy VNF gives no event on later polls either."""
    heal_rulebook.wait_for(r'vnf_health: poll: \d+ requests', 30, count=3)
    text = heal_rulebook.text()
    assert vnf['id'] not in text and 'closed_loop' not in text, text[-3000:]
    assert text.count('hypervisors are not watched') == 1  # tenant credentials: one warning at start
    baseline = re.search(r'vnf_health: baseline of (\d+) VNFCs, ports and hypervisors \((\d+) requests\)', text)
    polls = [int(n) for n in re.findall(r'vnf_health: poll: (\d+) requests', text)]
    print('\nvnf_health: baseline of %s things, %s requests; requests per poll %s' % (baseline.group(1), baseline.group(2), polls))
    assert int(baseline.group(1)) == 4 and set(polls) == {3}  # 2 VNFCs + 2 ports; anchors + servers + ports


def test_heal_a_deleted_vnfc(heal_rulebook, sdk, vnf):
    """(a) the server of VDU1-0 deleted behind our back -> an event -> the rulebook's playbook recreates it."""
    old = servers_of(sdk, vnf['id'])['VDU1-0']
    t0 = time.time()
    sdk.compute.delete_server(old)
    heal_rulebook.wait_for(r"'state': 'MISSING'", 120)
    detected = time.time() - t0
    end = t0 + 300
    while time.time() < end:
        new = servers_of(sdk, vnf['id']).get('VDU1-0')
        if new is not None and new.id != old.id and new.status == 'ACTIVE':
            break
        time.sleep(1)
    else:
        raise AssertionError('VDU1-0 not healed in 300 s:\n%s' % heal_rulebook.text()[-6000:])
    print('\nheal: VDU1-0 deleted -> event in %.1f s -> back ACTIVE in %.1f s' % (detected, time.time() - t0))
    heal_rulebook.wait_for(r'heal of %s VDU1-0: recreated' % vnf['name'], 120)
    heal_rulebook.wait_for(r"'perceivedSeverity': 'CLEARED'", 60)
    time.sleep(5)
    assert heal_rulebook.text().count('heal of %s' % vnf['name']) == 1  # one heal, no loop
    assert sorted(servers_of(sdk, vnf['id'])) == ['VDU1-0', 'VDU2-0']


def test_a_vnfc_shutoff_while_started_is_started_not_recreated(heal_rulebook, sdk, vnf):
    """(a) VDU2-0 stopped behind our back while the VNF is STARTED -> a SHUTOFF event -> the playbook starts it (same
    server: not recreated)."""
    old = servers_of(sdk, vnf['id'])['VDU2-0']
    t0 = time.time()
    sdk.compute.stop_server(old)
    heal_rulebook.wait_for(r"'state': 'SHUTOFF'", 180)
    heal_rulebook.wait_for(r'heal of %s VDU2-0: started' % vnf['name'], 300)
    sdk.compute.wait_for_server(old, status='ACTIVE', wait=120)
    print('\nheal: VDU2-0 stopped -> started again (same server) in %.1f s' % (time.time() - t0))
    assert servers_of(sdk, vnf['id'])['VDU2-0'].id == old.id and 'heal of %s VDU2-0: recreated' % vnf['name'] not in heal_rulebook.text()


def test_a_port_down_gives_one_event(heal_rulebook, sdk, vnf):
    """(d) the port of VDU2-0 detached from its ACTIVE server behind our back -> one port DOWN event over several polls;
    attached again -> one cleared event. (On this cloud, whose ML2 driver binds every port ACTIVE without an agent,
    admin_state_up false leaves a port ACTIVE; an unbound port is DOWN on any cloud.) Ports are only logged by the
    rulebook: nothing heals them."""
    port = next(p for p in owned(sdk, vnf['id'])['ports'] if T.tag('vnfc', 'VDU2-0') in p.tags)
    server = servers_of(sdk, vnf['id'])['VDU2-0']
    line = 'telco.nfvo.vnf_health: port VDU2-0 DOWN (MAJOR)'
    t0 = time.time()
    sdk.compute.delete_server_interface(port.id, server=server)
    try:
        heal_rulebook.wait_for(re.escape(line), 180)
        print('\nvnf_health: port DOWN -> event in %.1f s' % (time.time() - t0))
        polls = len(re.findall(r'vnf_health: poll:', heal_rulebook.text()))
        heal_rulebook.wait_for(r'vnf_health: poll:', 60, count=polls + 3)
        assert heal_rulebook.text().count(line) == 1
    finally:
        end = time.time() + 120
        while sdk.network.get_port(port.id).device_id and time.time() < end:  # the detach is asynchronous
            time.sleep(1)
        sdk.compute.create_server_interface(server, port_id=port.id)
    heal_rulebook.wait_for(re.escape('telco.nfvo.vnf_health: port VDU2-0 OK (CLEARED)'), 180)


def vnfc_status(res, vnfc):
    """(server id, status) of a VNFC in a lifecycle module's returned vnf_instance."""
    info = next(v for v in res['vnf_instance']['instantiatedVnfInfo']['vnfcResourceInfo'] if v['id'] == vnfc)
    return info['computeResource']['resourceId'], info['metadata']['status']


def test_heal_honours_wait(work, sdk, vnf):
    """The wait option on a module other than vnf: a heal by recreate of VDU2-0 with wait=false ends COMPLETED (lock
    released) with the new server as the create left it (BUILD), which the cloud then brings ACTIVE on its own. (With
    the default wait=true every other test's operation returns its servers ACTIVE.)"""
    heal = {'name': vnf['name'], 'package': BASIC, 'vnfc_instance_ids': ['VDU2-0']}
    old = servers_of(sdk, vnf['id'])['VDU2-0'].id
    t0 = time.time()
    res = play_module(work, 'telco.nfvo.vnf_heal', dict(heal, wait=False))
    took = time.time() - t0
    assert not res.get('failed') and res['lcm_op_occ']['operationState'] == 'COMPLETED', res.get('msg')
    first, status = vnfc_status(res, 'VDU2-0')
    assert first != old and status == 'BUILD', (first, status)
    server = sdk.compute.wait_for_server(sdk.compute.get_server(first), status='ACTIVE', wait=300)  # the cloud goes on alone
    print('\nwait: heal (recreate) with wait=false returned in %.1f s; the server ACTIVE %.1f s later' % (took, time.time() - t0 - took))
    assert servers_of(sdk, vnf['id'])['VDU2-0'].id == server.id


def test_notifications_of_the_instantiate_reach_the_receiver_in_order(hook, vnf):
    """LCM notifications: the instantiate of the module's VNF posted STARTING, PROCESSING, COMPLETED of one occurrence,
    SOL003-shaped, with the receiver's header; no user data in any body."""
    notes = [b for _a, b in hook.got if b['vnfInstanceId'] == vnf['id'] and b['operation'] == 'INSTANTIATE']
    assert [b['operationState'] for b in notes] == ['STARTING', 'PROCESSING', 'COMPLETED']
    assert [b['notificationStatus'] for b in notes] == ['START', 'START', 'RESULT'] and len({b['vnfLcmOpOccId'] for b in notes}) == 1
    assert all(b['notificationType'] == 'VnfLcmOperationOccurrenceNotification' for b in notes)
    assert sorted(v['id'] for v in notes[-1]['affectedVnfcs']) == ['VDU1-0', 'VDU2-0'] and notes[-1]['affectedVirtualLinks']
    assert all(h.get('Authorization') == 'Bearer %s' % TOKEN for h, _b in hook.got) and SECRET not in json.dumps(hook.got)


def test_dead_receivers_neither_fail_nor_delay_an_operation_past_the_bound(hook, work, vnf):
    """A closed port and a receiver that never answers (a listening socket nobody accepts on), before a live one: a
    heal by reboot of VDU1-0 succeeds, the live receiver gets its 3 notifications in order, and all posts took at most
    the bound (measured by the module, and the task's wall time printed)."""
    hang = socket.socket()
    hang.bind(('127.0.0.1', 0))
    hang.listen(16)
    try:
        dead = ['http://127.0.0.1:%d/lcm' % free_port(), 'http://127.0.0.1:%d/lcm' % hang.getsockname()[1]]
        t0 = time.time()
        res = play_module(work, 'telco.nfvo.vnf_heal', {'name': vnf['name'], 'vnfc_instance_ids': ['VDU1-0'], 'strategy': 'reboot',
                                                        'notify': [{'url': u} for u in dead] + [{'url': hook.url}]})
        took = time.time() - t0
    finally:
        hang.close()
    assert not res.get('failed'), res.get('msg')
    warned = [w for w in res.get('warnings', []) if w.startswith('LCM notifications to')]
    assert len(warned) == 2 and all(w.startswith('LCM notifications to %s: 3 of 3 not delivered' % u) for w, u in zip(warned, dead)), warned
    spent = float(re.search(r'all posts of the task took ([\d.]+) s', warned[-1]).group(1))
    print('\nnotify: heal with a closed port and a hanging receiver: %.1f s in all, %.1f s of it posting (bound %g s)\n  %s'
          % (took, spent, NOTIFY_BOUND, '\n  '.join(warned)))
    assert spent <= NOTIFY_BOUND
    assert hook.states('HEAL') == ['STARTING', 'PROCESSING', 'COMPLETED']


@pytest.fixture(scope='module')
def notifications(eda_bin, work, hook):
    """rulebooks/notifications.yml with its telco.nfvo.lcm_notifications source, paging to the receiver thread."""
    yield from webhook_rulebook(eda_bin, work, 'notifications.yml',
                                {'playbooks': os.path.join(EDA, 'playbooks'), 'pager_url': hook.url + '/page'}, 'lcm')


def test_a_failed_operation_pages_once_through_the_notifications_rulebook(notifications, hook, work, vnf):
    """rulebooks/notifications.yml end to end: its lcm_notifications source answers SOL003's callback test (GET 204)
    and refuses a malformed notification (400) and a wrong token (401), going on; then a real scale-out that the cloud
    refuses (a server metadata value over Nova's 255 characters) fails into FAILED_TEMP and rolls back, its
    notify pointing at the source: playbooks/page.yml pages exactly once (FAILED_TEMP, naming the occurrence), the
    other states (STARTING, PROCESSING, ROLLING_BACK, ROLLED_BACK) are only logged, in order."""
    with urllib.request.urlopen(notifications.url, timeout=10) as resp:
        assert resp.status == 204
    bad = dict(next(b for _a, b in hook.got if b['operation'] == 'INSTANTIATE'), operationState='DONE')
    assert post(notifications.url, bad)[0] == 400
    assert post(notifications.url, bad, token='wrong')[0] == 401
    pages = [b for _h, b in hook.got if 'summary' in b]
    assert pages == []
    heavy = {'vdu_params': {'VDU1': {'server_metadata': {'nfvo_eda': 'x' * 300}}}}
    t0 = time.time()
    res = play_module(work, 'telco.nfvo.vnf_scale', {
        'name': vnf['name'], 'package': BASIC, 'aspect_id': 'VDU1_scale', 'type': 'scale_out', 'additional_params': heavy,
        'notify': [{'url': notifications.url, 'headers': {'Authorization': 'Bearer %s' % TOKEN}}, {'url': hook.url}]})
    assert res.get('failed') and res['lcm_op_occ']['operationState'] == 'ROLLED_BACK', res.get('msg')
    assert not [w for w in res.get('warnings', []) if w.startswith('LCM notifications to')], res.get('warnings')
    occ = res['lcm_op_occ']['id']
    assert hook.states('SCALE') == ['STARTING', 'PROCESSING', 'FAILED_TEMP', 'ROLLING_BACK', 'ROLLED_BACK']
    logged = r'telco.nfvo LCM: SCALE %s of VNF\s+%s: (\w+)' % (occ, vnf['id'])
    notifications.wait_for(logged.replace(r'(\w+)', 'ROLLED_BACK'), 300)
    end = time.time() + 120
    while not [b for _h, b in hook.got if 'summary' in b] and time.time() < end:
        time.sleep(0.5)
    print('\nnotifications: scale-out refused -> rolled back -> paged and logged in %.1f s' % (time.time() - t0))
    time.sleep(3)
    text = notifications.text()
    assert re.findall(logged, text) == ['STARTING', 'PROCESSING', 'ROLLING_BACK', 'ROLLED_BACK'], text[-4000:]
    assert text.count('refused a post') == 2 and "operationState 'DONE'" in text and TOKEN not in text
    [page] = [b for _h, b in hook.got if 'summary' in b]
    assert (page['operationState'], page['vnfLcmOpOccId'], page['severity'], page['operation']) == ('FAILED_TEMP', occ, 'major', 'SCALE')
    assert occ in page['summary'] and 'vnf_lcm_op_occ' in page['action']


def test_bad_posts_get_4xx_and_the_source_goes_on(alerts, vnf):
    """(c) malformed, oversized, wrong-token posts -> 4xx; the webhook still answers afterwards."""
    assert post(alerts.url, b'{not json')[0] == 400
    assert post(alerts.url, {'no': 'alerts'})[0] == 400
    assert post(alerts.url, b'x' * (1048576 + 10))[0] == 413
    assert post(alerts.url, scale_alert(vnf, 'SCALE_OUT', 'bad'), token='wrong')[0] == 401
    assert post(alerts.url, scale_alert(vnf, 'SCALE_OUT', 'bad'), token=None)[0] == 401
    with urllib.request.urlopen(alerts.url, timeout=10) as resp:
        assert resp.status == 200
    text = alerts.text()
    assert text.count('refused a post') == 5 and 'body is not JSON' in text and TOKEN not in text
    assert 'closed_loop' not in text


def test_scale_in_at_min_refused_then_one_scale_out_for_five_alerts(alerts, sdk, vnf):
    """(b) at level 0 a SCALE_IN alert is refused by the VNF's bounds, logged, not retried; then 5 SCALE_OUT
    alerts (distinct fingerprints, so past the source's dedupe) within the cooldown give exactly one scale-out."""
    assert post(alerts.url, scale_alert(vnf, 'SCALE_IN', 'in-1'))[0] == 202
    alerts.wait_for(r'scale_in of %s aspect VDU1_scale: refused: .*range 0\.\.2' % vnf['name'], 180)
    assert post(alerts.url, scale_alert(vnf, 'SCALE_IN', 'in-1'))[1]['emitted'] == 0  # a repeat: deduplicated
    assert post(alerts.url, scale_alert(vnf, 'SCALE_IN', 'in-2'))[1]['emitted'] == 1  # a new one: the cooldown holds it
    for n in range(5):
        assert post(alerts.url, scale_alert(vnf, 'SCALE_OUT', 'out-%d' % n)) == (202, {'alerts': 1, 'emitted': 1})
    alerts.wait_for(r'scale_out of %s aspect VDU1_scale: done' % vnf['name'], 300)
    time.sleep(5)
    text = alerts.text()
    assert text.count('scale_out of %s' % vnf['name']) == 1 and text.count('scale_in of %s' % vnf['name']) == 1, text[-4000:]
    servers = servers_of(sdk, vnf['id'])
    assert sorted(servers) == ['VDU1-0', 'VDU1-1', 'VDU2-0'] and all(s.status == 'ACTIVE' for s in servers.values())
    # a resolved alert is emitted but no rule acts on it
    resolved = scale_alert(vnf, 'SCALE_OUT', 'out-0')
    resolved['alerts'][0]['status'] = 'resolved'
    assert post(alerts.url, resolved)[1]['emitted'] == 1
    time.sleep(3)
    assert alerts.text().count('scale_out of %s' % vnf['name']) == 1


def test_maximum_rate_under_a_burst_of_20_alerts(alerts, sdk, vnf):
    """(e) the alerts ruleset may act twice per hour here (max_actions 2): after the scale-in and the scale-out above,
    a burst of 20 alerts (10 auto_heal of VDU2-0, 10 SCALE_OUT, distinct fingerprints: all emitted) acts on nothing -
    the heal (its own rule and throttle) is refused by the playbook's maximum rate, logged once; no scale, no heal."""
    before = {k: s.id for k, s in servers_of(sdk, vnf['id']).items()}
    t0 = time.time()
    for n in range(10):
        heal = scale_alert(vnf, 'SCALE_OUT', 'heal-%d' % n)
        heal['alerts'][0]['labels'].update(function_type='auto_heal', vnfc_info_id='VDU2-0')
        assert post(alerts.url, heal)[1]['emitted'] == 1
        assert post(alerts.url, scale_alert(vnf, 'SCALE_OUT', 'burst-%d' % n))[1]['emitted'] == 1
    print('\nburst: 20 alerts posted in %.1f s' % (time.time() - t0))
    alerts.wait_for(r'heal of VNF %s refused: maximum rate reached \(2 actions in 3600 s\)' % vnf['name'], 180)
    time.sleep(10)
    text = alerts.text()
    assert text.count('heal of VNF %s refused' % vnf['name']) == 1, text[-4000:]
    assert text.count('scale_out of %s aspect VDU1_scale: done' % vnf['name']) == 1 and 'heal of %s' % vnf['name'] not in text
    assert {k: s.id for k, s in servers_of(sdk, vnf['id']).items()} == before
