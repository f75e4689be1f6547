#!/bin/bash
# Ensure the Ansible ecosystem's own checking tools and print the bin directory of their virtualenv:
# ansible-lint, galaxy-importer, antsibull-docs (+ Sphinx, its Ansible theme and MyST for docs/*.md), antsibull-changelog
# and ansible-builder, from PyPI in one virtualenv under $NFVO_CACHE (default ~/.cache/telco-nfvo), one per content of
# the pins below (ansible-core pinned as in tests/requirements.txt, so they check against the core we test on).
# usage: tests/services/lint.sh          (prints the venv's bin dir on stdout; progress on stderr)
set -euo pipefail
# shellcheck source=tests/services/venv.sh
. "$(dirname "$0")/venv.sh"
PIN='ansible-core>=2.19,<2.20 ansible-lint>=26.10,<27 galaxy-importer>=0.4.44,<0.5 antsibull-docs>=2.28,<3
 antsibull-changelog>=0.36,<0.37 ansible-builder>=3.2,<4 sphinx-ansible-theme>=0.10 myst-parser>=4'

cached_venv lint lint "$PIN" ansible-lint --version
