# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fuzz the package reader: a seeded mutation loop over the sample packages of tests/data/vnf_packages and the SOL006
(OSM) one of tests/data/sol006 (as a directory, a zip or a tar.gz), and over signed ones, SOL004 options 1 and 2.

Each mutated package (YAML values, keys and structure changed, text truncated, duplicated or deep-nested, zip
members dropped, truncated or corrupted) is either read (and turned into module data) or refused with a one-line
``NfvoError``: never another exception, never a multi-line message. NFVO_FUZZ_COUNT (default 1500) runs more by
hand, NFVO_FUZZ_SEED another seed; the count and the time are printed.
"""
from __future__ import annotations

import io
import os
import random
import tarfile
import time
import zipfile

import yaml

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import NfvoError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import package_to_dict
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

LOADER = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
DUMPER = getattr(yaml, 'CSafeDumper', yaml.SafeDumper)
SAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'data', 'vnf_packages')
PACKAGES = ['helloworld3', 'getting_started', 'practical', 'v2_basic_min', '../sol006/v2_basic_min_vnf']
STANDARD = 'etsi_nfv_sol001_'  # the big standard type files: mutated rarely, they are skipped by the reader anyway
VALUES = [None, 0, -1, 1, 10 ** 9, 10001, '', 'x', '1 GB', '-1 GB', True, [], {}, [None], {'get_input': 'x'}, 1.5,
          'VDU1', 'tosca.nodes.nfv.Vdu.Compute', 'tosca.policies.nfv.ScalingAspects', {'a': [1, {'b': None}]}, '../../x']


def load_samples():
    found = []
    for name in PACKAGES:
        root = os.path.join(SAMPLES, name)
        files = {}
        for dirpath, _dirs, names in os.walk(root):
            for file_name in sorted(names):
                full = os.path.join(dirpath, file_name)
                with open(full, 'rb') as f:
                    files[os.path.relpath(full, root).replace(os.sep, '/')] = f.read()
        found.append((name, files))
    return found


def walk(data, rnd):
    """A random (container, key) inside ``data`` (a mapping or list), or None."""
    spots, node = [], data
    for _depth in range(rnd.randint(1, 8)):
        if isinstance(node, dict) and node:
            key = rnd.choice(list(node))
        elif isinstance(node, list) and node:
            key = rnd.randrange(len(node))
        else:
            break
        spots.append((node, key))
        node = node[key]
    return rnd.choice(spots) if spots else None


def mutate_yaml(text, rnd):
    try:
        data = yaml.load(text, Loader=LOADER)
    except yaml.YAMLError:
        return text
    if not isinstance(data, (dict, list)):
        return text
    for _round in range(rnd.randint(1, 3)):
        spot = walk(data, rnd)
        if spot is None:
            break
        node, key = spot[0], spot[1]
        action = rnd.randrange(7)
        if action == 0:
            node[key] = rnd.choice(VALUES)
        elif action == 1:
            del node[key]
        elif action == 2 and isinstance(node, dict):
            node['%s_%d' % (key, rnd.randrange(3))] = node[key]  # a near-twin key
        elif action == 3:
            deep = node[key]
            for _level in range(rnd.choice([5, 99, 150, 600])):
                deep = [deep]
            node[key] = deep
        elif action == 4 and isinstance(node, dict) and isinstance(node[key], dict):
            node[key] = list(node[key].items()) and [dict([kv]) for kv in node[key].items()]
        elif action == 5:
            node[key] = [node[key]] * rnd.choice([2, 50])
        else:
            node[key] = str(node[key])[:rnd.randrange(1, 40)]
    try:
        out = yaml.dump(data, Dumper=DUMPER, default_flow_style=rnd.random() < 0.3, sort_keys=False)
    except (yaml.YAMLError, RecursionError):
        return text
    if rnd.random() < 0.1:  # an exact duplicate key
        lines = out.splitlines(True)
        i = rnd.randrange(len(lines))
        out = ''.join(lines[:i + 1] + lines[i:i + 1] + lines[i + 1:])
    return out


def mutate_text(data, rnd):
    action = rnd.randrange(5)
    if action == 0:
        return data[:rnd.randrange(len(data) + 1)]
    if action == 1:
        return data + data
    if action == 2:
        i = rnd.randrange(len(data) + 1)
        return data[:i] + bytes([rnd.randrange(256)]) + data[i:]
    if action == 3:
        return data.replace(b':', b'', 1)
    return b'x: &a [1, 2]\ny: [*a, *a, *a]\n' + data


def mutate(files, rnd):
    files = dict(files)
    names = [n for n in files if n.endswith(('.yaml', '.yml', '.meta', '.mf')) and (STANDARD not in n or rnd.random() < 0.05)]
    for _round in range(rnd.randint(1, 2)):
        name = rnd.choice(names)
        if name.endswith(('.yaml', '.yml')) and rnd.random() < 0.7:
            files[name] = mutate_yaml(files[name].decode('utf-8', 'replace'), rnd).encode()
        else:
            files[name] = mutate_text(files[name], rnd)
    if rnd.random() < 0.05:
        del files[rnd.choice(sorted(files))]
    return files


def as_zip(files, rnd):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    data = buf.getvalue()
    if rnd.random() < 0.2:  # zip-level: truncated, or a byte of a member's data or headers changed
        if rnd.random() < 0.5:
            data = data[:rnd.randrange(len(data))]
        else:
            i = rnd.randrange(len(data))
            data = data[:i] + bytes([data[i] ^ (1 + rnd.randrange(255))]) + data[i + 1:]
    return data


def as_tar(files, rnd):
    """An OSM-style tar.gz (one top directory), sometimes truncated."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as tf:
        for name, data in files.items():
            info = tarfile.TarInfo('pkg/' + name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    data = buf.getvalue()
    return data[:rnd.randrange(len(data))] if rnd.random() < 0.1 else data


def write_dir(root, files):
    for name, data in files.items():
        path = os.path.join(root, *name.split('/'))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(data)


def test_mutated_packages_are_read_or_refused_in_one_line(tmp_path):
    count = int(os.environ.get('NFVO_FUZZ_COUNT', '1500'))
    seed = int(os.environ.get('NFVO_FUZZ_SEED', '13'))
    rnd = random.Random(seed)
    samples = load_samples()
    start, outcomes = time.time(), {'read': 0, 'refused': 0}
    for i in range(count):
        name, files = rnd.choice(samples)
        files = mutate(files, rnd)
        if rnd.random() < 0.5:
            tar = 'sol006' in name and rnd.random() < 0.7
            src = str(tmp_path / ('p%d.%s' % (i, 'tar.gz' if tar else 'csar')))
            with open(src, 'wb') as f:
                f.write(as_tar(files, rnd) if tar else as_zip(files, rnd))
        else:
            src = str(tmp_path / ('p%d' % i))
            write_dir(src, files)
        try:
            package_to_dict(read_package(src, limits={'total_bytes': 2 ** 24}))
            outcomes['read'] += 1
        except NfvoError as exc:
            assert '\n' not in str(exc), 'seed %d, package %d (%s): %s' % (seed, i, name, exc)
            assert str(exc).strip(), 'seed %d, package %d (%s): an empty message' % (seed, i, name)
            outcomes['refused'] += 1
        except Exception as exc:  # pylint: disable=broad-except  # the point of the test: nothing else escapes
            raise AssertionError('seed %d, package %d (%s): %s: %s' % (seed, i, name, type(exc).__name__, exc)) from None
    print('fuzz: %d mutated packages (seed %d) in %.1f s: %d read, %d refused'
          % (count, seed, time.time() - start, outcomes['read'], outcomes['refused']))
    assert outcomes['read'] and outcomes['refused']


def _signed_bases(pki, folder):
    """The files of helloworld3 signed as option 1 (a dict) and the members of it signed as option 2 (a dict)."""
    from .test_signature import signed_option1, signed_option2  # pylint: disable=import-outside-toplevel  # the signing helpers of those tests
    root = signed_option1(pki, folder / 'signed1')
    option1 = {}
    for dirpath, _dirs, names in os.walk(str(root)):
        for file_name in names:
            full = os.path.join(dirpath, file_name)
            with open(full, 'rb') as f:
                option1[os.path.relpath(full, str(root)).replace(os.sep, '/')] = f.read()
    (folder / 'signed2').mkdir()
    with zipfile.ZipFile(signed_option2(pki, folder / 'signed2')) as zf:
        option2 = {info.filename: zf.read(info) for info in zf.infolist()}
    return option1, option2


def _signed_mutation(bases, rnd, folder, i):
    """A signed package mutated: option 1 (a directory or zip) with its manifest, CMS block, certificate or a file
    changed; option 2 with its CSAR, .cms or .cert changed, or the outer zip's bytes."""
    option1, option2 = bases
    if rnd.random() < 0.5:
        files = dict(option1)
        name = rnd.choice(['hw3.mf', 'hw3.mf', 'hw3.cert'] + sorted(files))
        files[name] = mutate_text(files[name], rnd)
        if rnd.random() < 0.5:
            src = str(folder / ('s%d.csar' % i))
            with open(src, 'wb') as f:
                f.write(as_zip(files, rnd))
            return src
        src = str(folder / ('s%d' % i))
        write_dir(src, files)
        return src
    members = dict(option2)
    if rnd.random() < 0.5:
        name = rnd.choice(sorted(members))
        members[name] = mutate_text(members[name], rnd)
    src = str(folder / ('o%d.zip' % i))
    with open(src, 'wb') as f:
        f.write(as_zip(members, rnd))
    return src


def test_mutated_signed_packages_are_read_or_refused_in_one_line(tmp_path):
    from .test_signature import Pki  # pylint: disable=import-outside-toplevel  # the CA of the signature tests
    count = int(os.environ.get('NFVO_FUZZ_SIGNED_COUNT', '40'))
    seed = int(os.environ.get('NFVO_FUZZ_SEED', '13'))
    rnd = random.Random(seed)
    (tmp_path / 'pki').mkdir()
    pki = Pki(tmp_path / 'pki')
    bases = _signed_bases(pki, tmp_path)
    start, outcomes = time.time(), {'verified': 0, 'not verified': 0, 'refused': 0}
    for i in range(count):
        src = _signed_mutation(bases, rnd, tmp_path, i)
        try:
            pkg = read_package(src, limits={'total_bytes': 2 ** 24}, signature=True, trusted_ca=pki.ca)
            package_to_dict(pkg)
            outcomes['verified' if pkg.signature['verified'] else 'not verified'] += 1
            assert pkg.signature['verified'] or '\n' not in pkg.signature['reason']
        except NfvoError as exc:
            assert '\n' not in str(exc) and str(exc).strip(), 'seed %d, signed package %d: %r' % (seed, i, str(exc))
            outcomes['refused'] += 1
        except Exception as exc:  # pylint: disable=broad-except  # the point of the test: nothing else escapes
            raise AssertionError('seed %d, signed package %d: %s: %s' % (seed, i, type(exc).__name__, exc)) from None
    print('fuzz: %d mutated signed packages (seed %d) in %.1f s: %s' % (count, seed, time.time() - start, outcomes))
    assert outcomes['not verified'] and outcomes['refused']
