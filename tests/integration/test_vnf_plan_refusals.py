"""telco.nfvo.vnf refuses, at plan time, parameters that do not fit the VNFD or the cloud's answers: each case is one
module run that fails with its exact one line, after not a single write to the cloud (the http_log counts the
requests) and with nothing of the VNF found by its tags afterwards."""
import json
import os
import uuid

import pytest

from vnf_resources import instance_id_of, owned, writes

PKG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data', 'vnf_packages')
BASIC, HELLO, PRACTICAL = (os.path.join(PKG, p) for p in ('v2_basic_min', 'helloworld3', 'practical'))
CIRROS = 'cirros-0.6.3'


@pytest.fixture(scope='module')
def cloud_bits(sdk):
    """Two networks of the user's (ext with 10.247.0.0/24, other with 10.248.0.0/24) and a Glance image record that
    needs a 50 GB disk (queued: never booted, only planned with)."""
    tag = uuid.uuid4().hex[:6]
    nets, out = [], {}
    for key, cidr in (('ext', '10.247.0.0/24'), ('other', '10.248.0.0/24')):
        net = sdk.network.create_network(name='it-refuse-%s-%s' % (key, tag))
        nets.append(net)
        out[key] = net
        out[key + '_subnet'] = sdk.network.create_subnet(network_id=net.id, ip_version=4, cidr=cidr, name=net.name)
    out['big'] = sdk.image.create_image('it-refuse-big-%s' % tag, disk_format='qcow2', container_format='bare', min_disk=50,
                                        allow_duplicates=True)
    yield out
    sdk.image.delete_image(out['big'])
    for net in nets:
        sdk.network.delete_network(net)


def _cases(bits):
    ext, other = bits['ext'].name, bits['other']
    hello = {'package': HELLO, 'images': {'VDU1': CIRROS, 'VirtualStorage': CIRROS}, 'ext_virtual_links': {'CP1': ext}}
    basic = {'package': BASIC, 'flavour_id': 'simple', 'images': {'VDU1': CIRROS, 'VDU2': CIRROS}}
    return {
        'image_for_a_volume_booted_vdu': (
            dict(hello, images={'VDU1': CIRROS, 'VDU2': CIRROS}),
            "images maps VDU VDU2, which boots from volume VirtualStorage (its VirtualBlockStorage carries the sw_image_data "
            "'VirtualStorage'): map the image to the storage instead (images: {VirtualStorage: <Glance image>})"),
        'image_key_naming_nothing': (
            dict(basic, images={'VDU1': CIRROS, 'VDU2': CIRROS, 'VirtualStorage': CIRROS}),
            "images names 'VirtualStorage', which is no VDU, block storage or software image of flavour simple "
            "(VDUs: VDU1, VDU2; block storage: none; software images: cirros-0.5.2-x86_64-disk)"),
        'image_too_big_for_the_volume': (
            dict(hello, images={'VDU1': CIRROS, 'VirtualStorage': bits['big'].id}),
            "image 'it-refuse-big-%s' (images[VirtualStorage]) needs 50 GB (its min_disk) but volume VirtualStorage of VDU2 "
            "(size_of_storage) is 3 GB: map an image that fits VirtualStorage" % bits['big'].name.rsplit('-', 1)[1]),
        'vdu_params_of_an_unknown_vdu': (
            dict(basic, additional_params={'vdu_params': {'VDU3': {'key_name': 'k'}}}),
            "additional_params.vdu_params names 'VDU3', which is not a VDU of flavour simple (VDUs: VDU1, VDU2)"),
        'fixed_ips_on_a_vnf_ext_cp': (
            {'package': PRACTICAL, 'flavour_id': 'ha',
             'ext_virtual_links': {'VDU_extvCP': {'network': ext, 'fixed_ips': [{'subnet_id': bits['ext_subnet'].id}]}}},
            "ext_virtual_links VnfExtCp VDU_extvCP takes no cp_config: it has no port of its own, it puts internal VL VDU_intnet0 on the "
            "network; give fixed IPs on the VduCps of VDU_intnet0 instead (VDU0_CP0, VDU1_CP0)"),
        'more_cp_configs_than_instances': (
            dict(hello, ext_virtual_links=[{'resource_id': ext, 'ext_cps': [
                {'cpd_id': 'CP1', 'cp_config': [{'fixed_ips': ['10.247.0.10']}, {'fixed_ips': ['10.247.0.11']}]}]}]),
            'ext_virtual_links CP CP1 has 2 cp_config entries, but VDU1 has at most 1 instance(s) (vdu_profile): '
            'give at most 1, the n-th for the n-th instance'),
        'fixed_ip_outside_the_subnet': (
            dict(hello, ext_virtual_links={'CP1': {'network': ext, 'fixed_ips': ['10.248.0.10']}}),
            'ext_virtual_links CP CP1 instance 0: fixed IP 10.248.0.10 is outside every subnet of network %s: '
            'give an address of %s 10.247.0.0/24' % (ext, ext)),
        'subnet_of_another_network': (
            dict(hello, ext_virtual_links={'CP1': {'network': ext, 'fixed_ips': [{'subnet_id': bits['other_subnet'].id}]}}),
            "ext_virtual_links CP CP1 instance 0: subnet '%s' is not a subnet of network %s (its subnets: %s): give one of them"
            % (bits['other_subnet'].id, ext, bits['ext_subnet'].id)),
        'instantiation_level_not_defined': (  # refused before this change already: checked here for writes
            dict(basic, instantiation_level_id='nope'),
            "instantiation level 'nope' is not defined in flavour 'simple' (levels: instantiation_level_1, instantiation_level_2)"),
    }


def test_each_refused_in_one_line_before_any_write(cloud_bits, run_playbook, sdk, http_log, tmp_path):
    """One playbook, one task (one module run) per case: each fails with its line; the cloud saw no write at all."""
    cases = _cases(cloud_bits)
    names = {case: 'it-refuse-%s' % uuid.uuid4().hex[:6] for case in cases}
    out = tmp_path / 'results.json'
    tasks = [{'name': case, 'telco.nfvo.vnf': dict(args, name=names[case], cloud='nfvo-tenant'), 'register': 'r_%s' % case,
              'ignore_errors': True} for case, (args, dummy) in cases.items()]
    results = '{%s}' % ', '.join('"%s": r_%s' % (case, case) for case in cases)
    tasks.append({'name': 'save', 'ansible.builtin.copy': {'content': '{{ %s | to_json }}' % results, 'dest': str(out)}})
    play = tmp_path / 'play.yml'
    play.write_text(json.dumps([{'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]))
    env, lines = http_log
    run_playbook(str(play), env=env)
    got = json.loads(out.read_text())
    assert {case: (got[case].get('failed'), got[case].get('msg')) for case in cases} == \
        {case: (True, line) for case, (dummy, line) in cases.items()}
    assert writes(lines()) == [], writes(lines())
    for case in cases:
        assert not any(owned(sdk, instance_id_of(sdk, names[case])).values()), case
    # the subnets of the network given are listed (one call) only for the two cases giving fixed IP addresses
    subnet_lists = [ln for ln in lines() if ln.startswith('GET ') and '/v2.0/subnets?' in ln and 'network_id=' in ln.split()[1]]
    assert len(subnet_lists) == 2, subnet_lists  # fixed_ip_outside_the_subnet and more_cp_configs_than_instances
