# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SOL004 manifest of a VNF package: found, parsed, and every file it lists checked against its hash.

``read_manifest`` returns a ``Manifest`` (model.py) with one ``ManifestEntry`` per ``Source``; an entry that does
not check out carries its error (the line number and the reason); ``read_package`` decides whether that fails.
Each listed member is read once, for all the algorithms the manifest names it with, however often it is listed.
A ``Source`` without ``Algorithm``/``Hash`` (ONAP SDC writes them so) has nothing to check: it is a warning, not a
failure; so is an image file left unchecked on purpose (``verify_image_hashes: false``: only a note on the entry).
An entry's ``Signature`` and ``Certificate`` (SOL004 option 1, an artifact signed on its own) are kept on it for
``signature.check_artifacts``.
"""
from __future__ import annotations

import posixpath

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.model import Manifest, ManifestEntry
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import READ_ERRORS, hash_name, is_url, package_path, read_text, root_files
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.tosca import TOSCA_META, meta_path


def _find_manifest(source, meta, entry):
    if 'ETSI-Entry-Manifest' in meta:
        path = meta_path(meta, 'ETSI-Entry-Manifest')
        if not source.has(path):
            raise PackageError("%s: ETSI-Entry-Manifest '%s' is not in the package" % (TOSCA_META, path))
        return path
    candidates = root_files(source, ('.mf',))
    stem = posixpath.splitext(posixpath.basename(entry))[0] + '.mf'
    if stem in candidates:
        return stem
    if len(candidates) > 1:
        raise PackageError('several manifests at the package root (%s) and no ETSI-Entry-Manifest in %s'
                           % (', '.join(candidates), TOSCA_META))
    return candidates[0] if candidates else None


_ENTRY_KEYS = ('Algorithm', 'Hash', 'Signature', 'Certificate')  # what may follow a Source, in its block


def _parse_manifest(text):
    """(metadata, [[line, source, {Algorithm, Hash, Signature, Certificate: value}]]) of a SOL004 manifest."""
    metadata, entries, in_metadata = {}, [], False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith('-----BEGIN') or raw.startswith('non_mano_artifact_sets'):
            break
        if not line:
            continue
        indented = raw[0] in ' \t'
        key, sep, value = (part.strip() for part in line.partition(':'))
        if in_metadata and indented:
            metadata[key] = value
            continue
        in_metadata = not indented and key == 'metadata' and not value
        if indented or not sep:
            continue
        if key == 'Source':
            entries.append([number, value, {}])
        elif key in _ENTRY_KEYS and entries:
            entries[-1][2][key] = value
    return metadata, entries


def _check_manifest_entry(source, digests, skip, number, src, keys):
    algorithm, expected = keys.get('Algorithm'), keys.get('Hash')
    entry = ManifestEntry(file=src, algorithm=algorithm, ok=False, line=number, signature=keys.get('Signature'),
                          certificate=keys.get('Certificate'))
    path = None if is_url(src) else package_path('', src)
    name = hash_name(algorithm) if algorithm else None
    if is_url(src):
        entry.ok = None
    elif path is None:
        entry.error = 'line %d: Source leaves the package root' % number
    elif not algorithm and not expected:
        entry.ok, entry.note = None, 'line %d: Source without Algorithm and Hash: nothing to check' % number
    elif not algorithm or not expected:
        entry.error = 'line %d: Source with %s but no %s' % (number, 'Hash' if expected else 'Algorithm', 'Algorithm' if expected else 'Hash')
    elif path in skip:
        entry.ok, entry.note = None, 'line %d: an image file, not checked (verify_image_hashes: false)' % number
    elif name is None:
        entry.error = "line %d: unsupported Algorithm '%s'" % (number, algorithm)
    elif not source.has(path):
        entry.error = 'line %d: listed in the manifest but not in the package' % number
    else:
        actual = digests(path)[name]
        entry.ok = actual == expected.strip().lower()
        if not entry.ok:
            entry.error = 'line %d: %s hash mismatch: manifest has %s, the file has %s' % (number, algorithm, expected, actual)
    return entry


def read_manifest(source, meta, entry, warn=None, skip=()):
    """The ``Manifest`` of the package, every entry checked but the members in ``skip``; ``warn(line)`` hears of
    the entries with nothing to check."""
    path = _find_manifest(source, meta, entry)
    if path is None:
        return Manifest()
    metadata, entries = _parse_manifest(read_text(source, path))
    wanted = {}  # member -> the hashlib names the manifest lists it with
    for _number, src, keys in entries:
        algorithm = keys.get('Algorithm')
        member = None if is_url(src) else package_path('', src)
        if member is not None and member not in skip and algorithm and hash_name(algorithm):
            wanted.setdefault(member, set()).add(hash_name(algorithm))
    done = {}

    def digests(member):
        if member not in done:
            try:
                done[member] = source.digests(member, sorted(wanted[member]))
            except READ_ERRORS as exc:
                raise PackageError('%s: cannot read: %s' % (member, exc)) from None
        return done[member]

    checked = [_check_manifest_entry(source, digests, skip, *e) for e in entries]
    for e in checked:
        if warn is not None and e.note and 'Algorithm' in e.note:
            warn('%s: %s: %s' % (path, e.file, e.note))
    return Manifest(present=True, file=path, metadata=metadata, checked=checked)
