# -*- coding: utf-8 -*-
# Copyright (c) 2026 telco.nfvo contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A package directory's files (sources.DirSource) listed as os.walk lists them: top-down, each folder's files
sorted, a linked folder inside the package listed but not entered, a link leaving the package refused."""
from __future__ import annotations

import os
import posixpath

import pytest

from ansible_collections.telco.nfvo.plugins.module_utils.base.errors import PackageError
from ansible_collections.telco.nfvo.plugins.module_utils.vnfd.sources import DirSource


def walked(root):
    files = []
    for dirpath, _dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        files.extend(sorted(n if rel == '.' else posixpath.join(rel.replace(os.sep, '/'), n) for n in filenames))
    return files


def test_files_are_listed_as_os_walk_lists_them(tmp_path):
    root = tmp_path / 'pkg'
    for rel in ('b.yaml', 'a.yaml', 'Definitions/z.yaml', 'Definitions/deep/x/y.txt', 'Files/images/i.img', 'A/m', 'e/.hidden'):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text('x')
    (root / 'empty').mkdir()
    os.symlink('Definitions', root / 'linked_dir')  # inside the package: listed as a folder, not entered
    os.symlink('a.yaml', root / 'Definitions' / 'linked.yaml')
    files = DirSource(str(root)).files
    assert files == walked(os.path.realpath(root))
    assert 'Definitions/linked.yaml' in files and not any(f.startswith('linked_dir/') for f in files)


def test_a_link_leaving_the_package_is_refused(tmp_path):
    root = tmp_path / 'pkg'
    (root / 'Definitions').mkdir(parents=True)
    (tmp_path / 'outside').mkdir()
    os.symlink(tmp_path / 'outside', root / 'Definitions' / 'out')
    with pytest.raises(PackageError, match=r'^Definitions/out: symbolic link leaves the package root \(points to .*outside\)$'):
        DirSource(str(root))
