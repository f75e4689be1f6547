# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Signed VNF packages (ETSI SOL004 security): find the signature, tell who signed, verify it against a CA bundle.

The two SOL004 options:

- option 1: the manifest carries a CMS signature block (``-----BEGIN CMS-----`` .. ``-----END CMS-----``) over the
  manifest text before it, and the package its certificate (TOSCA.meta ``ETSI-Entry-Certificate``, else the
  ``.cert`` beside the manifest with its name, else the certificates inside the CMS). The manifest's hashes then
  vouch for every file it lists;
- option 2: the CSAR is zipped, with its CMS signature (``<name>.cms``, over the CSAR's bytes) and certificate
  (``<name>.cert``), in an outer zip; ``open_signed`` opens the inner CSAR (extracted to a temporary file within
  the ``total_bytes`` budget, removed when the source closes) and keeps the signature for ``check``.

``check(...)`` gives the ``signature`` of the package result: ``present``, ``option`` (1, 2 or None), ``signer`` (the
signer certificate's subject), ``verified`` (true only when the signature matches the content AND the signer chains
to ``trusted_ca``) and ``reason`` (why not, in one line), and ``artifacts``: one result per file the manifest lists.

Artifacts signed on their own (SOL004 option 1, each artifact's own CMS signature over its bytes): a ``Signature:``
line in the artifact's manifest block (after its ``Source:``, with an optional ``Certificate:``) names the signature
file; without one, a ``<artifact>.sig.cms`` beside the artifact is its signature. The certificate is the entry's
``Certificate``, else the package's (as for the manifest), else the ones inside the CMS. Each is verified like the
package signature (the one ``_verify``): ``artifact``, ``signed``, ``signature`` (its file), ``signer``, ``verified``,
``reason``. ``require`` refuses a package whose own signature, or the signature of any signed artifact, does not
verify. Signature and certificate files themselves are not artifacts.

Library: the ``openssl`` command (``openssl cms -verify``, OpenSSL 1.1 or 3). The PyPI ``cryptography`` package
builds PKCS#7/CMS signatures but has no API to verify one (its ``pkcs7`` module signs, encrypts and decrypts
only), and CMS verification must not be written by hand; ``openssl`` is on every Linux controller. Without it, a
package that carries a signature is refused in one line naming the missing command.
"""
from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
import tempfile
import zipfile

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import (
    CHUNK, READ_ERRORS, ZipSource, is_url, open_source, package_path, total_budget)
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import refusal

CMS_BEGIN = '-----BEGIN CMS-----'
CMS_END = '-----END CMS-----'
OPENSSL_TIMEOUT = 60  # seconds for one openssl run
SIG_SUFFIX = '.sig.cms'  # an artifact's own signature beside it, when its manifest entry names none
_INNER = ('.csar', '.zip')


def _outer_members(zf):
    """{'.csar': name, '.cms': name, '.cert': name} of an option-2 outer zip, or None when ``zf`` is a CSAR."""
    names = [i.filename for i in zf.infolist() if not i.is_dir()]
    if not names or any('/' in n for n in names):
        return None
    found = {}
    for name in names:
        ext = posixpath.splitext(name)[1].lower()
        ext = '.csar' if ext in _INNER else ext
        if ext not in ('.csar', '.cms', '.cert') or ext in found:
            return None
        found[ext] = name
    return found if '.csar' in found and '.cms' in found else None


def open_signed(src, zf, budgets):
    """A ``ZipSource`` of the inner CSAR of an option-2 signed package ``src`` (open zip ``zf``), or None when
    ``zf`` is not one; the source's ``signed`` holds (cms bytes, cert bytes or None, path of the inner CSAR file)."""
    members = _outer_members(zf)
    if members is None:
        return None
    folder = tempfile.mkdtemp(prefix='nfvo-signed-')
    try:
        inner = os.path.join(folder, 'package.csar')
        limit, got = total_budget(budgets, src), 0
        with zf.open(members['.csar']) as f, open(inner, 'wb') as out:
            for chunk in iter(lambda: f.read(CHUNK), b''):
                got += len(chunk)
                if got > limit:
                    raise refusal('%s: %s' % (src, members['.csar']), 'bytes decompressed in all', 'total_bytes', limit)
                out.write(chunk)
        cms = zf.read(members['.cms'])
        cert = zf.read(members['.cert']) if '.cert' in members else None
        try:
            inner_zip = zipfile.ZipFile(inner)
        except (zipfile.BadZipFile, OSError) as exc:
            raise PackageError('%s: %s: the signed CSAR is not a zip: %s' % (src, members['.csar'], exc)) from None
        source = ZipSource(src, inner_zip, budgets)
    except READ_ERRORS as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise PackageError('%s: cannot read the signed package: %s' % (src, exc)) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    source.on_close = lambda: shutil.rmtree(folder, ignore_errors=True)
    source.signed = (cms, cert, inner, members)
    return source


def open_package(src, budgets):
    """The source of package ``src`` (sources.open_source): of its inner CSAR when it is an option-2 signed zip."""
    source = open_source(src, budgets)
    if not isinstance(source, ZipSource) or _outer_members(source.zip) is None:
        return source
    try:
        return open_signed(src, source.zip, budgets)
    finally:
        source.close()


def split_manifest(raw):
    """(the signed bytes, the CMS block or None) of a manifest's bytes."""
    start = raw.find(CMS_BEGIN.encode())
    if start < 0:
        return raw, None
    end = raw.find(CMS_END.encode(), start)
    return raw[:start], raw[start:end + len(CMS_END)] + b'\n' if end >= 0 else raw[start:]


def _certificate(source, meta, manifest_file):
    """Bytes of the package's signing certificate (option 1), or None."""
    candidates = []
    if meta.get('ETSI-Entry-Certificate'):
        candidates.append(meta['ETSI-Entry-Certificate'])
    candidates.append(posixpath.splitext(manifest_file)[0] + '.cert')
    for path in candidates:
        if source.has(path):
            return source.read(path)
    return None


def check(source, meta, manifest, trusted_ca):
    """The ``signature`` of a package (``manifest``: its ``model.Manifest``): option 2 when ``source`` came from
    ``open_signed``, option 1 when its manifest carries a CMS block, ``{'present': False, ...}`` otherwise; with
    ``artifacts``, the results of the files the manifest lists (``check_artifacts``)."""
    result = _package_signature(source, meta, manifest.file, trusted_ca)
    result['artifacts'] = check_artifacts(source, meta, manifest, trusted_ca)
    return result


def _package_signature(source, meta, manifest_file, trusted_ca):
    signed = getattr(source, 'signed', None)
    if signed is not None:
        cms, cert, inner, members = signed
        with tempfile.TemporaryDirectory(prefix='nfvo-sig-') as folder:
            return _verify(folder, inner, cms, cert, trusted_ca, 2, members['.cms'])
    if manifest_file is None:
        return unsigned()
    content, block = split_manifest(source.read(manifest_file))
    if block is None:
        return unsigned()
    with tempfile.TemporaryDirectory(prefix='nfvo-sig-') as folder:
        data = os.path.join(folder, 'content')
        with open(data, 'wb') as f:
            f.write(content)
        return _verify(folder, data, block, _certificate(source, meta, manifest_file), trusted_ca, 1, manifest_file)


def check_artifacts(source, meta, manifest, trusted_ca):
    """[{artifact, signed, signature, signer, verified, reason}] of every package file the manifest lists (not the
    signature and certificate files), each artifact's own signature verified against ``trusted_ca``."""
    if not manifest.present:
        return []
    entries = [(e, None if is_url(e.file) else package_path('', e.file)) for e in manifest.checked]
    not_artifacts = {package_path('', name) for e in manifest.checked for name in (e.signature, e.certificate) if name}
    out = []
    with tempfile.TemporaryDirectory(prefix='nfvo-sig-') as folder:
        for entry, path in entries:
            if path is None or path in not_artifacts or path.endswith(SIG_SUFFIX) or not source.has(path):
                continue  # remote, outside the package or missing: the manifest check says so
            out.append(_artifact(source, folder, entry, path, lambda: _certificate(source, meta, manifest.file), trusted_ca))
    return out


def _artifact(source, folder, entry, path, package_cert, trusted_ca):
    """The result of one artifact: its own signature (the manifest's ``Signature``, else ``<path>.sig.cms``) verified."""
    result = {'artifact': path, 'signed': False, 'signature': None, 'signer': None, 'verified': False, 'reason': None}
    named = entry.signature
    sig = package_path('', named) if named else (path + SIG_SUFFIX if source.has(path + SIG_SUFFIX) else None)
    if not named and sig is None:
        result['reason'] = 'not signed on its own (no Signature in its manifest entry, no %s%s)' % (path, SIG_SUFFIX)
        return result
    result.update(signed=True, signature=sig or named)
    cert_member = package_path('', entry.certificate) if entry.certificate else None
    for what, name, member in (('signature', named, sig), ('certificate', entry.certificate, cert_member)):
        if name and (member is None or not source.has(member)):
            result['reason'] = 'the %s file %s that the manifest names (line %s) is not in the package' % (what, name, entry.line)
            return result
    cert = source.read(cert_member) if entry.certificate else package_cert()
    got = _verify(folder, _member_file(source, path, folder, count=entry.ok is None), source.read(sig), cert, trusted_ca, 1, sig)
    result.update(signer=got['signer'], verified=got['verified'], reason=got['reason'])
    return result


def _member_file(source, path, folder, count):
    """A temporary copy of member ``path`` (streamed) for openssl. ``count``: its bytes count against the budgets (a
    member whose manifest hash was checked has been read in full once already)."""
    out = os.path.join(folder, 'artifact')
    try:
        with source.open(path) as f, open(out, 'wb') as dst:
            for chunk in iter(lambda: f.read(CHUNK), b''):
                if count:
                    source.spend(path, len(chunk))
                dst.write(chunk)
    except READ_ERRORS as exc:
        raise PackageError('%s: cannot read: %s' % (path, exc)) from None
    return out


def require(signature, src):
    """Refuse (one line, before any write) a package whose signature is missing or does not verify, or one of whose
    artifacts carries a signature that does not verify."""
    if not signature or not signature.get('verified'):
        reason = (signature or {}).get('reason') or 'its signature was not checked'
        raise PackageError('%s: require_signature is true, but the package signature is not verified: %s' % (src, reason))
    bad = next((a for a in signature.get('artifacts') or [] if a['signed'] and not a['verified']), None)
    if bad is not None:
        raise PackageError('%s: require_signature is true, but the signature of artifact %s (%s) is not verified: %s'
                           % (src, bad['artifact'], bad['signature'], bad['reason']))


def unsigned():
    return {'present': False, 'option': None, 'file': None, 'signer': None, 'verified': False,
            'reason': 'the package carries no signature (neither a CMS block in its manifest nor a signed outer zip)'}


def _openssl(args, stdout=False):
    """(return code, the reason openssl gives on stderr - or its stdout) of ``openssl args``; a PackageError when
    there is no openssl command."""
    command = shutil.which('openssl')
    if command is None:
        raise PackageError('the openssl command is needed to read the signature of a signed VNF package (SOL004): install openssl')
    try:
        done = subprocess.run([command] + args, capture_output=True, timeout=OPENSSL_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PackageError('openssl %s failed: %s' % (args[0], exc)) from None
    if stdout:
        return done.returncode, done.stdout.decode('utf-8', 'replace').strip()
    lines = [line.strip() for line in done.stderr.decode('utf-8', 'replace').splitlines() if line.strip()]
    return done.returncode, _reason(lines)


def _reason(lines):
    """The line of openssl's stderr that says why: its 'error:...:reason' part, else its first line."""
    for line in lines:
        if 'verify error' in line or 'error:' in line:
            return line.split(':', 5)[-1].strip() if line.count(':') >= 5 else line
    return lines[0] if lines else 'openssl gave no reason'


def _verify(folder, data, cms, cert, trusted_ca, option, where):
    """Check the CMS ``cms`` (PEM or DER bytes) over file ``data``: who signed, and whether it verifies."""
    sig = os.path.join(folder, 'signature')
    with open(sig, 'wb') as f:
        f.write(cms)
    form = 'PEM' if cms.lstrip().startswith(b'-----BEGIN') else 'DER'
    base = ['cms', '-verify', '-binary', '-inform', form, '-in', sig, '-content', data, '-out', os.devnull, '-purpose', 'any']
    if cert:
        certfile = os.path.join(folder, 'certificate')
        with open(certfile, 'wb') as f:
            f.write(cert)
        base += ['-certfile', certfile]
    signer_file = os.path.join(folder, 'signer.pem')
    result = {'present': True, 'option': option, 'file': where, 'signer': None, 'verified': False, 'reason': None}
    code, reason = _openssl(base + ['-noverify', '-signer', signer_file])
    if code != 0:
        result['reason'] = 'the signature does not match the signed content (%s)' % reason
        return result
    code, subject = _subject(signer_file)
    result['signer'] = subject if code == 0 else None
    if not trusted_ca:
        result['reason'] = 'no trusted_ca given to verify the signer against'
        return result
    if not os.path.isfile(trusted_ca):
        raise PackageError('trusted_ca %s: no such file (a PEM bundle of the CA certificates to trust)' % trusted_ca)
    code, reason = _openssl(base + ['-CAfile', trusted_ca])
    result['verified'] = code == 0
    result['reason'] = None if code == 0 else 'the signer does not chain to trusted_ca (%s)' % reason
    return result


def _subject(signer_file):
    """(return code, subject) of the signer certificate openssl wrote."""
    code, text = _openssl(['x509', '-noout', '-subject', '-nameopt', 'RFC2253', '-in', signer_file], stdout=True)
    return code, text[len('subject='):].strip() if text.startswith('subject=') else text
