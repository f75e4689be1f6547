#!/bin/bash
# Ensure ansible-runner (what AWX / Automation Controller runs every job with) and print its virtualenv's bin directory.
# ansible-runner from PyPI in its own virtualenv under $NFVO_CACHE (default ~/.cache/telco-nfvo), one per content of the
# pin below. The venv holds ansible-runner only: it runs the ansible-playbook found on PATH, so a job runs with the
# project's own ansible-core and the collection's requirements (scripts/venv.sh), as in an execution environment where
# ansible-runner and ansible-core share the image.
# usage: tests/services/runner.sh          (prints the venv's bin dir on stdout; progress on stderr)
set -euo pipefail
NFVO_CACHE=${NFVO_CACHE:-$HOME/.cache/telco-nfvo}
PIN='ansible-runner==2.4.3'

KEY=$( (python3 -V; echo "$PIN") | sha1sum | cut -c1-10)
VENV=$NFVO_CACHE/runner-venv-$KEY
if [ ! -f "$VENV/.complete" ]; then
    echo "[runner] creating $VENV" >&2
    rm -rf "$VENV"; mkdir -p "$NFVO_CACHE"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -U pip wheel >&2
    "$VENV/bin/pip" install -q $PIN >&2
    "$VENV/bin/ansible-runner" --version >&2
    touch "$VENV/.complete"
fi
echo "$VENV/bin"
