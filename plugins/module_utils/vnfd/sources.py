# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Package sources: a VNF package as a zip (CSAR) file, a directory or a tar(.gz) file, and reading its members safely.

``open_source(src)`` gives a ``DirSource``, a ``ZipSource`` or a ``TarSource`` (an OSM package: one top directory,
which is the package root) - each with ``files``, ``has``, ``open``, ``read``, ``close``.
Refused with a ``PackageError``: a zip or tar member or a symbolic link that leaves the package root, a zip or tar
member that is a link (or a tar device, FIFO ...), a descriptor or manifest file over the ``member_bytes`` budget, a zip
or tar whose members inflate beyond ``total_bytes`` in all (budgets.py: read in bounded chunks and stopped at the
limit, whatever a zip header says; a tar's headers are walked only up to the limit).
Also here: package paths (``package_path``), member digests (``digests``: each member read once for all the
algorithms asked) and the SOL001/SOL004 hash algorithm names.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import re
import stat
import tarfile
import zipfile
import zlib

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.budgets import DEFAULTS, Budgets, refusal

CHUNK = 1 << 20  # bytes decompressed / read at a time
DEFAULT_TOTAL = DEFAULTS['total_bytes'][0]
TOTAL_RATIO = 20  # by default a CSAR may inflate to 20 times its size on disk (at least DEFAULT_TOTAL)
_HASHES = frozenset(('sha256', 'sha384', 'sha512'))
READ_ERRORS = (zipfile.BadZipFile, tarfile.TarError, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError)


def hash_name(algorithm):
    """hashlib name of a SOL001/SOL004 algorithm name ('sha-512', 'SHA-256', 'sha384'), or None if unsupported."""
    name = str(algorithm).lower().replace('-', '').replace('_', '')
    return name if name in _HASHES else None


def package_path(base_dir, ref):
    """Package path of ``ref`` relative to ``base_dir``, or None when it leaves the package root."""
    ref = ref.replace('\\', '/')
    if ref.startswith('/') or re.match(r'^[A-Za-z]:', ref):
        return None
    path = posixpath.normpath(posixpath.join(base_dir, ref))
    return None if path == '..' or path.startswith('../') else path


def is_url(ref):
    return '://' in ref


class _Source:
    """What both kinds of package share: the budgets, bounded reads of a member, digests."""
    budgets = Budgets()

    def spend(self, path, count):
        """Note ``count`` more bytes read from ``path`` (a zip counts them against ``total_bytes``)."""

    def _bounded(self, path, fileobj):
        """The bytes of ``fileobj``, read in chunks and stopped past the ``member_bytes`` budget."""
        limit, chunks, got = self.budgets.member_bytes, [], 0
        while True:
            chunk = fileobj.read(min(CHUNK, limit + 1 - got))
            if not chunk:
                return b''.join(chunks)
            got += len(chunk)
            self.spend(path, len(chunk))
            if got > limit:
                raise refusal(path, 'bytes in one file', 'member_bytes', limit)
            chunks.append(chunk)

    def digests(self, path, algorithms):
        """{hashlib name: hex digest} of member ``path``, read once for all of ``algorithms``."""
        hashes = {name: hashlib.new(name) for name in algorithms}
        with self.open(path) as f:
            for chunk in iter(lambda: f.read(CHUNK), b''):
                self.spend(path, len(chunk))
                for digest in hashes.values():
                    digest.update(chunk)
        return {name: digest.hexdigest() for name, digest in hashes.items()}


def _flag(test):
    """``test()`` of an os.DirEntry, False when it cannot tell (as os.walk takes it)."""
    try:
        return test()
    except OSError:
        return False


def _entries(folder):
    """([os.DirEntry of the folders], [of the other entries]) of ``folder``, in os.scandir's order; an unreadable
    folder has none (as os.walk skips it)."""
    try:
        with os.scandir(folder) as found:
            entries = list(found)
    except OSError:
        return [], []
    folders = [entry for entry in entries if _flag(entry.is_dir)]
    return folders, [entry for entry in entries if not _flag(entry.is_dir)]


class DirSource(_Source):
    def __init__(self, src, budgets=None):
        self.src = src
        self.budgets = budgets or Budgets()
        self.root = os.path.realpath(src)
        self.files = []
        prefix = self.root + os.sep
        pending = [('', self.root)]
        while pending:  # os.walk's order (top-down, each folder's files sorted), with the scan's own link flags
            rel, folder = pending.pop()
            folders, names = _entries(folder)
            for entry in folders + names:
                if _flag(entry.is_symlink):
                    target = os.path.realpath(entry.path)
                    if target != self.root and not target.startswith(prefix):
                        raise PackageError('%s: symbolic link leaves the package root (points to %s)'
                                           % (os.path.relpath(entry.path, self.root), os.readlink(entry.path)))
            self.files.extend(sorted(posixpath.join(rel, entry.name) if rel else entry.name for entry in names))
            pending.extend((posixpath.join(rel, entry.name) if rel else entry.name, entry.path)
                           for entry in reversed(folders) if not _flag(entry.is_symlink))

    def has(self, path):
        return os.path.isfile(os.path.join(self.root, path))

    def open(self, path):
        return open(os.path.join(self.root, path), 'rb')

    def read(self, path):
        full = os.path.join(self.root, path)
        try:
            with open(full, 'rb') as f:
                return self._bounded(path, f)
        except OSError as exc:
            raise PackageError('%s: cannot read: %s' % (path, exc.strerror or exc)) from None

    def close(self):
        pass


def total_budget(budgets, src):
    """The bytes a CSAR may inflate to in all: ``total_bytes`` when the user set it; by default 1 GiB, or
    ``TOTAL_RATIO`` times the CSAR's size on disk when that is more - a CSAR of big images (which hardly compress)
    is read, while a small one that inflates a thousandfold (a zip bomb) is refused."""
    if budgets.total_bytes != DEFAULT_TOTAL:
        return budgets.total_bytes
    try:
        size = os.path.getsize(src)
    except (OSError, TypeError):
        size = 0
    return max(DEFAULT_TOTAL, TOTAL_RATIO * size)


class _Archive(_Source):
    """What a zip and a tar share: every byte decompressed counts against ``total_bytes``."""
    kind = 'zip'
    src = total = None
    inflated = 0

    def spend(self, path, count):
        self.inflated += count
        if self.inflated > self.total:
            raise refusal('%s: %s' % (self.src, path), 'bytes decompressed from the package in all', 'total_bytes', self.total)

    def read(self, path):
        try:
            with self.open(path) as f:
                return self._bounded(path, f)
        except READ_ERRORS as exc:
            raise PackageError('%s: cannot read %s member %s: %s' % (self.src, self.kind, path, exc)) from None


class ZipSource(_Archive):
    def __init__(self, src, zf, budgets=None):
        self.src = src
        self.zip = zf
        self.budgets = budgets or Budgets()
        self.total = total_budget(self.budgets, src)
        self.inflated = 0  # bytes decompressed so far
        self.on_close = None  # what else to clean up (signature.open_signed: the extracted inner CSAR)
        self.signed = None  # signature.open_signed: (cms, cert, inner CSAR path, outer members)
        self.members = {}
        for info in zf.infolist():
            name = info.filename.replace('\\', '/')
            if package_path('', name) is None or '..' in name.split('/'):
                raise PackageError("%s: zip member '%s' escapes the package root" % (src, info.filename))
            if stat.S_ISLNK(info.external_attr >> 16):
                raise PackageError("%s: zip member '%s' is a symbolic link" % (src, info.filename))
            if not info.is_dir():
                self.members[posixpath.normpath(name)] = info
        self.files = sorted(self.members)

    def has(self, path):
        return path in self.members

    def open(self, path):
        return self.zip.open(self.members[path])

    def close(self):
        self.zip.close()
        if self.on_close is not None:
            self.on_close()


class TarSource(_Archive):
    """A tar or tar.gz package as OSM ships one: regular files only, under one top directory (the package root;
    members are named without it) or at the top."""
    kind = 'tar'

    def __init__(self, src, tf, budgets=None):
        self.src = src
        self.tar = tf
        self.budgets = budgets or Budgets()
        self.total = total_budget(self.budgets, src)
        self.inflated = 0
        found, size = {}, 0
        while True:
            try:
                info = tf.next()
            except READ_ERRORS as exc:
                raise PackageError('%s: not a readable tar file: %s' % (src, exc)) from None
            if info is None:
                break
            name = info.name.replace('\\', '/')
            if package_path('', name) is None or '..' in name.split('/'):
                raise PackageError("%s: tar member '%s' escapes the package root" % (src, info.name))
            if info.issym() or info.islnk():
                raise PackageError("%s: tar member '%s' is a link (to %s)" % (src, info.name, info.linkname))
            if info.isdir():
                continue
            if not info.isfile():
                raise PackageError("%s: tar member '%s' is not a regular file" % (src, info.name))
            size += info.size
            if size > self.total:
                raise refusal('%s: %s' % (src, info.name), 'bytes in the tar package in all', 'total_bytes', self.total)
            found[posixpath.normpath(name)] = info
        tops = {name.split('/', 1)[0] for name in found}
        self.top = next(iter(tops)) if len(tops) == 1 and all('/' in name for name in found) else None
        self.members = {(name.split('/', 1)[1] if self.top else name): info for name, info in found.items()}
        self.files = sorted(self.members)

    def has(self, path):
        return path in self.members

    def open(self, path):
        try:
            return self.tar.extractfile(self.members[path])
        except READ_ERRORS as exc:
            raise PackageError('%s: cannot read tar member %s: %s' % (self.src, path, exc)) from None

    def close(self):
        self.tar.close()


def _is_tar(src):
    try:
        return tarfile.is_tarfile(src)
    except (OSError, ValueError, EOFError, zlib.error, tarfile.TarError):
        return False


def is_archive(path):
    """Whether the file ``path`` is a zip (CSAR) or a tar(.gz) package."""
    return zipfile.is_zipfile(path) or _is_tar(path)


def open_source(src, budgets=None):
    src = os.fspath(src)
    if os.path.isdir(src):
        return DirSource(src, budgets)
    if not os.path.exists(src):
        raise PackageError('%s: no such file or directory' % src)
    if not zipfile.is_zipfile(src) and _is_tar(src):
        kind, opener, errors = TarSource, tarfile.open, (tarfile.TarError, OSError, EOFError, zlib.error)
    else:
        kind, opener, errors = ZipSource, zipfile.ZipFile, (zipfile.BadZipFile, OSError, ValueError)
    try:
        archive = opener(src)
    except errors as exc:
        raise PackageError('%s: neither a directory nor a zip (CSAR) or tar file: %s' % (src, exc)) from None
    try:
        return kind(src, archive, budgets)
    except PackageError:
        archive.close()
        raise


def file_digest(fileobj, algorithm):
    digest = hashlib.new(algorithm)
    for chunk in iter(lambda: fileobj.read(CHUNK), b''):
        digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def open_member(src, path):
    """Open ``path`` (package-relative) of the package ``src`` for binary reading, e.g. to upload an image."""
    source = open_source(src)
    try:
        if not source.has(path):
            raise PackageError('%s: %s is not in the package' % (src, path))
        with source.open(path) as f:
            yield f
    finally:
        source.close()


def checksum_of(src, path, algorithm):
    """Hex digest of a package file with a SOL001/SOL004 algorithm name ('sha-512')."""
    name = hash_name(algorithm)
    if name is None:
        raise PackageError("%s: unsupported hash algorithm '%s'" % (path, algorithm))
    with open_member(src, path) as f:
        return file_digest(f, name)


def read_text(source, path):
    try:
        return source.read(path).decode('utf-8-sig')
    except UnicodeDecodeError as exc:
        raise PackageError('%s: not UTF-8 text: %s' % (path, exc)) from None


def root_files(source, suffixes):
    return [f for f in source.files if '/' not in f and f.lower().endswith(suffixes)]
