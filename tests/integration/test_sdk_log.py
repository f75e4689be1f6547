"""sdk_log_path / sdk_log_level (openstack.cloud's meaning) on the local OpenStack: every module that talks to the cloud
takes them (one argument spec, one doc fragment); DEBUG writes the SDK's HTTP log to the file, with no password and no
token in clear (keystoneauth hashes the token); INFO writes no HTTP traffic; without the option no file appears."""
import re

import yaml

from conftest import CLOUDS_YAML, TENANT


def _tenant_password():
    with open(CLOUDS_YAML) as f:
        return yaml.safe_load(f)['clouds'][TENANT]['auth']['password']


def test_debug_log_has_the_http_requests_and_no_secrets(run_module, tmp_path):
    log = tmp_path / 'sdk.log'
    res = run_module('telco.nfvo.nfvi_info', {'gather': ['flavors'], 'sdk_log_path': str(log), 'sdk_log_level': 'DEBUG'})
    assert not res.get('failed'), res.get('msg')
    text = log.read_text()
    assert re.search(r'REQ: curl -g -i -X GET \S+/flavors/detail', text), text[:2000]
    assert 'X-Auth-Token: {SHA256}' in text
    assert _tenant_password() not in text
    assert not re.search(r'X-(Auth|Subject)-Token: (?!\{SHA256\})\S', text)
    assert not re.search(r'gAAAAA[\w-]{20}', text)  # no fernet token anywhere, not even in a body


def test_info_log_has_no_http_traffic_and_no_option_no_file(run_module, tmp_path):
    log = tmp_path / 'sdk.log'
    res = run_module('telco.nfvo.nfvi_info', {'gather': ['flavors'], 'sdk_log_path': str(log)})
    assert not res.get('failed'), res.get('msg')
    assert log.exists() and 'REQ: curl' not in log.read_text()
    res = run_module('telco.nfvo.nfvi_info', {'gather': ['flavors']})
    assert not res.get('failed') and not list(tmp_path.glob('*.log'))[1:]
