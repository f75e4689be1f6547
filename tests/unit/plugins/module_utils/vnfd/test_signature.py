# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 14, item 4: signed packages (SOL004 security, options 1 and 2) with a CA of the test's own making (openssl)."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd import signature as S
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.reader import read_package

from .test_reader import DF, PackageCopy, make_zip, sample

TOP = 'Definitions/helloworld3_top.vnfd.yaml'


def openssl(*args, cwd):
    subprocess.run(['openssl'] + list(args), cwd=cwd, check=True, capture_output=True)


class Pki:
    """A CA, a vendor certificate it signs, and a second CA that signed nothing, in ``folder``."""

    def __init__(self, folder):
        self.folder = folder
        ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
        openssl('req', '-x509', *ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Test CA', '-days', '2', cwd=folder)
        openssl('req', '-x509', *ec, '-keyout', 'other.key', '-out', 'other.pem', '-subj', '/CN=Other CA', '-days', '2', cwd=folder)
        openssl('req', *ec, '-keyout', 'vendor.key', '-out', 'vendor.csr', '-subj', '/O=Acme/CN=VNF Vendor', cwd=folder)
        openssl('x509', '-req', '-in', 'vendor.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'vendor.pem',
                '-days', '2', cwd=folder)
        self.ca, self.other = str(folder / 'ca.pem'), str(folder / 'other.pem')

    def sign(self, data):
        """The PEM CMS signature (detached, no certificates inside) of ``data`` by the vendor."""
        (self.folder / 'content').write_bytes(data)
        openssl('cms', '-sign', '-binary', '-in', 'content', '-signer', 'vendor.pem', '-inkey', 'vendor.key', '-nocerts',
                '-outform', 'PEM', '-out', 'content.cms', cwd=self.folder)
        return (self.folder / 'content.cms').read_bytes()

    def cert(self):
        return (self.folder / 'vendor.pem').read_bytes()


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    if shutil.which('openssl') is None:
        pytest.fail('the openssl command is needed by these tests (and by signed packages)')
    return Pki(tmp_path_factory.mktemp('pki'))


def signed_option1(pki, root, artifacts=None):
    """helloworld3 at ``root`` with a manifest listing its VNFD files, signed (option 1), and its .cert.
    ``artifacts``: {path: extra manifest lines} of more files, listed after them (each made with some content)."""
    shutil.copytree(sample('helloworld3'), root)
    lines = ['metadata:', '  vnf_provider_id: Company', '  vnf_product_name: Sample VNF', '']
    for path in (TOP, DF, 'TOSCA-Metadata/TOSCA.meta') + tuple(artifacts or ()):
        if not (root / path).exists():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(b'#!/bin/sh\necho %s\n' % path.encode())
        lines += ['Source: %s' % path, 'Algorithm: SHA-256', 'Hash: %s' % hashlib.sha256((root / path).read_bytes()).hexdigest()]
        lines += list((artifacts or {}).get(path, ())) + ['']
    content = '\n'.join(lines).encode()
    (root / 'hw3.mf').write_bytes(content + pki.sign(content))
    (root / 'hw3.cert').write_bytes(pki.cert())
    return PackageCopy(root)


def signed_option2(pki, folder, comment=b''):
    """helloworld3 as a CSAR zipped with its .cms and .cert (option 2); ``comment``: the CSAR's zip comment."""
    csar = make_zip(sample('helloworld3'), folder / 'hw3.csar')
    if comment:
        with zipfile.ZipFile(csar, 'a') as zf:
            zf.comment = comment
    data = (folder / 'hw3.csar').read_bytes()
    outer = folder / 'hw3-signed.zip'
    with zipfile.ZipFile(outer, 'w') as zf:
        zf.writestr('hw3.csar', data)
        zf.writestr('hw3.cms', pki.sign(data))
        zf.writestr('hw3.cert', pki.cert())
    return outer


def sig(src, trusted_ca):
    return read_package(str(src), signature=True, trusted_ca=trusted_ca).signature


def test_option1_verified(pki, tmp_path):
    pkg = signed_option1(pki, tmp_path / 'hw3')
    for src in (str(pkg), make_zip(pkg, tmp_path / 'p.zip')):
        got = sig(src, pki.ca)
        artifacts = got.pop('artifacts')
        assert got == {'present': True, 'option': 1, 'file': 'hw3.mf', 'signer': 'CN=VNF Vendor,O=Acme', 'verified': True, 'reason': None}
        assert [(a['artifact'], a['signed'], a['reason']) for a in artifacts] == [
            (path, False, 'not signed on its own (no Signature in its manifest entry, no %s.sig.cms)' % path)
            for path in (TOP, DF, 'TOSCA-Metadata/TOSCA.meta')]
        S.require(dict(got, artifacts=artifacts), src)


def test_option1_tampered_wrong_ca_no_ca(pki, tmp_path):
    pkg = signed_option1(pki, tmp_path / 'hw3')
    wrong = sig(pkg, pki.other)
    assert (wrong['verified'], wrong['signer']) == (False, 'CN=VNF Vendor,O=Acme')
    assert wrong['reason'].startswith('the signer does not chain to trusted_ca (')
    unchecked = sig(pkg, None)
    assert (unchecked['verified'], unchecked['reason']) == (False, 'no trusted_ca given to verify the signer against')
    pkg.edit('hw3.mf', 'vnf_product_name: Sample VNF', 'vnf_product_name: Sample VNG')  # one byte, hashes still good
    tampered = sig(pkg, pki.ca)
    assert (tampered['present'], tampered['verified'], tampered['signer']) == (True, False, None)
    assert tampered['reason'].startswith('the signature does not match the signed content (')
    with pytest.raises(PackageError, match='require_signature is true, but the package signature is not verified: the signature does not match'):
        S.require(tampered, str(pkg))


def test_option2_verified_and_read_through(pki, tmp_path):
    outer = signed_option2(pki, tmp_path)
    pkg = read_package(str(outer), signature=True, trusted_ca=pki.ca)
    assert pkg.signature == {'present': True, 'option': 2, 'file': 'hw3.cms', 'signer': 'CN=VNF Vendor,O=Acme', 'verified': True, 'reason': None,
                             'artifacts': []}  # helloworld3 has no manifest
    assert list(pkg.vnfd.flavours) == ['simple'] and pkg.vnfd.descriptor_id == 'b1bb0ce7-ebca-4fa7-95ed-4840d70a1177'
    assert read_package(str(outer)).signature is None  # not asked: not checked (the lifecycle modules)
    assert sig(outer, pki.other)['verified'] is False


def test_option2_tampered_one_byte(pki, tmp_path):
    outer = signed_option2(pki, tmp_path, comment=b'signed by Acme')
    data = bytearray((tmp_path / 'hw3.csar').read_bytes())
    data[-1] ^= 0x01  # the last byte of the CSAR's zip comment: still a zip, no longer what was signed
    cms = zipfile.ZipFile(outer).read('hw3.cms')
    with zipfile.ZipFile(outer, 'w') as zf:
        zf.writestr('hw3.csar', bytes(data))
        zf.writestr('hw3.cms', cms)
        zf.writestr('hw3.cert', pki.cert())
    got = sig(outer, pki.ca)
    assert (got['present'], got['option'], got['verified']) == (True, 2, False)
    assert got['reason'].startswith('the signature does not match the signed content')


def test_unsigned_with_require_signature_refused(pki, tmp_path):
    got = sig(sample('helloworld3'), pki.ca)
    assert (got['present'], got['verified']) == (False, False)
    with pytest.raises(PackageError) as err:
        S.require(got, 'hw3')
    assert str(err.value) == ('hw3: require_signature is true, but the package signature is not verified: the package carries no '
                              'signature (neither a CMS block in its manifest nor a signed outer zip)')


def test_missing_openssl_one_line(pki, tmp_path, monkeypatch):
    pkg = signed_option1(pki, tmp_path / 'hw3')
    monkeypatch.setattr(S.shutil, 'which', lambda name: None)
    with pytest.raises(PackageError) as err:
        sig(pkg, pki.ca)
    assert str(err.value) == 'the openssl command is needed to read the signature of a signed VNF package (SOL004): install openssl'
    assert sig(sample('helloworld3'), pki.ca)['present'] is False  # an unsigned package needs no openssl


def test_trusted_ca_missing(pki, tmp_path):
    pkg = signed_option1(pki, tmp_path / 'hw3')
    with pytest.raises(PackageError, match='trusted_ca /nonexistent.pem: no such file'):
        sig(pkg, '/nonexistent.pem')


def test_outer_zip_security_checks_still_apply(tmp_path):
    outer = tmp_path / 'evil.zip'
    with zipfile.ZipFile(outer, 'w') as zf:
        zf.writestr('../hw3.csar', b'x')
        zf.writestr('hw3.cms', b'x')
    with pytest.raises(PackageError, match="zip member '../hw3.csar' escapes the package root"):
        read_package(str(outer))


def test_inner_csar_not_a_zip(tmp_path):
    outer = tmp_path / 'bad.zip'
    with zipfile.ZipFile(outer, 'w') as zf:
        zf.writestr('hw3.csar', b'not a zip')
        zf.writestr('hw3.cms', b'x')
    with pytest.raises(PackageError, match='bad.zip: hw3.csar: the signed CSAR is not a zip'):
        read_package(str(outer))


# ---------------------------------------------------------------------------------------------------------------
# artifacts signed on their own (SOL004 option 1): a Signature (and Certificate) in the manifest entry, or <file>.sig.cms

INSTALL, CONFIG = 'Scripts/install.sh', 'Files/config.txt'


def signed_artifacts(pki, root):
    """A signed option-1 package whose Scripts/install.sh has its signature and certificate named in its manifest
    entry, and Files/config.txt its signature beside it (config.txt.sig.cms, the package's certificate)."""
    pkg = signed_option1(pki, root, {INSTALL: ['Signature: Scripts/install.sh.sig', 'Certificate: Scripts/vendor.cert'], CONFIG: []})
    (root / 'Scripts/install.sh.sig').write_bytes(pki.sign((root / INSTALL).read_bytes()))
    (root / 'Scripts/vendor.cert').write_bytes(pki.cert())
    (root / 'Files/config.txt.sig.cms').write_bytes(pki.sign((root / CONFIG).read_bytes()))
    return pkg


def artifact(got, path):
    return next(a for a in got['artifacts'] if a['artifact'] == path)


def test_artifacts_signed_on_their_own_verified(pki, tmp_path):
    pkg = signed_artifacts(pki, tmp_path / 'hw3')
    for src in (str(pkg), make_zip(pkg, tmp_path / 'p.zip')):
        got = sig(src, pki.ca)
        assert got['verified'] is True
        assert artifact(got, INSTALL) == {'artifact': INSTALL, 'signed': True, 'signature': 'Scripts/install.sh.sig',
                                          'signer': 'CN=VNF Vendor,O=Acme', 'verified': True, 'reason': None}
        assert artifact(got, CONFIG) == {'artifact': CONFIG, 'signed': True, 'signature': 'Files/config.txt.sig.cms',
                                         'signer': 'CN=VNF Vendor,O=Acme', 'verified': True, 'reason': None}
        assert [a['artifact'] for a in got['artifacts'] if not a['signed']] == [TOP, DF, 'TOSCA-Metadata/TOSCA.meta']
        S.require(got, src)  # the unsigned ones are vouched for by the signed manifest's hashes


def test_artifact_tampered_one_byte(pki, tmp_path):
    pkg = signed_artifacts(pki, tmp_path / 'hw3')
    pkg.edit(INSTALL, 'echo', 'echO')
    with pytest.raises(PackageError, match='Scripts/install.sh: line .*: SHA-256 hash mismatch'):
        sig(pkg, pki.ca)  # onboarding reads strictly: the manifest's hash refuses it first
    got = read_package(str(pkg), strict_manifest=False, signature=True, trusted_ca=pki.ca).signature  # as vnf_package_info reads
    bad = artifact(got, INSTALL)
    assert (bad['signed'], bad['verified'], bad['signer']) == (True, False, None)
    assert bad['reason'].startswith('the signature does not match the signed content (')
    assert artifact(got, CONFIG)['verified'] is True and got['verified'] is True  # the manifest itself is untouched
    with pytest.raises(PackageError) as err:
        S.require(got, 'hw3')
    assert str(err.value).startswith('hw3: require_signature is true, but the signature of artifact Scripts/install.sh '
                                     '(Scripts/install.sh.sig) is not verified: the signature does not match the signed content (')
    assert '\n' not in str(err.value)


def test_artifact_wrong_ca_and_no_ca(pki, tmp_path):
    pkg = signed_artifacts(pki, tmp_path / 'hw3')
    wrong = artifact(sig(pkg, pki.other), CONFIG)
    assert (wrong['signed'], wrong['verified'], wrong['signer']) == (True, False, 'CN=VNF Vendor,O=Acme')
    assert wrong['reason'].startswith('the signer does not chain to trusted_ca (')
    assert artifact(sig(pkg, None), INSTALL)['reason'] == 'no trusted_ca given to verify the signer against'
    # an artifact signed by the other CA's key is refused under the right CA too
    (pkg / 'Files/config.txt.sig.cms').write_bytes(_sign_as(pki, 'other', (pkg / CONFIG).read_bytes()))
    got = sig(pkg, pki.ca)
    assert artifact(got, CONFIG)['verified'] is False
    with pytest.raises(PackageError, match=r'signature of artifact Files/config.txt \(Files/config.txt.sig.cms\) is not verified'):
        S.require(got, 'hw3')


def _sign_as(pki, who, data):
    """A CMS signature of ``data`` by ``who`` (the other CA's own self-signed certificate and key), the certificate inside."""
    (pki.folder / 'content2').write_bytes(data)
    openssl('cms', '-sign', '-binary', '-in', 'content2', '-signer', '%s.pem' % who, '-inkey', '%s.key' % who,
            '-outform', 'PEM', '-out', 'content2.cms', cwd=pki.folder)
    return (pki.folder / 'content2.cms').read_bytes()


def test_missing_signature_file_named_by_the_manifest(pki, tmp_path):
    pkg = signed_artifacts(pki, tmp_path / 'hw3')
    (pkg / 'Scripts/install.sh.sig').unlink()
    got = sig(pkg, pki.ca)
    assert artifact(got, INSTALL) == {
        'artifact': INSTALL, 'signed': True, 'signature': 'Scripts/install.sh.sig', 'signer': None, 'verified': False,
        'reason': 'the signature file Scripts/install.sh.sig that the manifest names (line 17) is not in the package'}
    with pytest.raises(PackageError, match=r'^hw3: require_signature is true, but the signature of artifact Scripts/install.sh '
                                           r'\(Scripts/install.sh.sig\) is not verified: the signature file Scripts/install.sh.sig'):
        S.require(got, 'hw3')
    (pkg / 'Scripts/vendor.cert').unlink()
    (pkg / 'Scripts/install.sh.sig').write_bytes(pki.sign((pkg / INSTALL).read_bytes()))
    assert artifact(sig(pkg, pki.ca), INSTALL)['reason'] == (
        'the certificate file Scripts/vendor.cert that the manifest names (line 17) is not in the package')
