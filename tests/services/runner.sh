#!/bin/bash
# Ensure ansible-runner (what AWX / Automation Controller runs every job with) and print its virtualenv's bin directory.
# ansible-runner from PyPI in its own virtualenv under $NFVO_CACHE (default ~/.cache/telco-nfvo), one per content of the
# pin below. The venv holds ansible-runner only: it runs the ansible-playbook found on PATH, so a job runs with the
# project's own ansible-core and the collection's requirements (scripts/venv.sh), as in an execution environment where
# ansible-runner and ansible-core share the image.
# usage: tests/services/runner.sh          (prints the venv's bin dir on stdout; progress on stderr)
set -euo pipefail
# shellcheck source=tests/services/venv.sh
. "$(dirname "$0")/venv.sh"
PIN='ansible-runner==2.4.3'

cached_venv runner runner "$PIN" ansible-runner --version
