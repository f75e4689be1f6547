#!/bin/bash
# Ensure the project's Python environment and print its bin directory.
# A virtualenv per content of tests/requirements.txt under $NFVO_CACHE (default ~/.cache/telco-nfvo),
# plus the pinned requirements of the ansible-test sanity tests we run (installed from ansible-core's own files).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NFVO_CACHE=${NFVO_CACHE:-$HOME/.cache/telco-nfvo}
KEY=$( (python3 -V; cat "$ROOT/tests/requirements.txt") | sha1sum | cut -c1-10)
VENV=$NFVO_CACHE/venv-$KEY
if [ ! -f "$VENV/.complete" ]; then
  echo "[venv] creating $VENV" >&2
  rm -rf "$VENV"; mkdir -p "$NFVO_CACHE"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -U pip wheel >&2
  "$VENV/bin/pip" install -q -r "$ROOT/tests/requirements.txt" >&2
  REQ=$("$VENV/bin/python" -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_data", "requirements"))')
  for t in pep8 pylint validate-modules yamllint import changelog; do
    [ -f "$REQ/sanity.$t.txt" ] && "$VENV/bin/pip" install -q -r "$REQ/sanity.$t.txt" >&2
  done
  "$VENV/bin/pip" install -q -r "$ROOT/tests/requirements.txt" >&2  # re-assert our pins after the sanity pins
  touch "$VENV/.complete"
fi
echo "$VENV/bin"
