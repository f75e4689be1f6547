#!/bin/bash
# ansible-test sanity on a copy of the tree placed under .build/sanity/ansible_collections/telco/nfvo
# (ansible-test needs a real directory there; a symlink is refused). Runs offline with --local.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(bash "$ROOT/scripts/venv.sh")
DEST=$ROOT/.build/sanity/ansible_collections/telco/nfvo
rm -rf "$DEST"; mkdir -p "$DEST"
cd "$ROOT"
git ls-files -co --exclude-standard -z | grep -zv '^\.ci/\|^bench/\|^scripts/' | while IFS= read -r -d '' f; do
  [ -e "$f" ] && { mkdir -p "$DEST/$(dirname "$f")"; cp -p "$f" "$DEST/$f"; }
done
PIPV=$("$BIN/python" -c 'from ansible_test._internal.python_requirements import get_venv_packages; from ansible_test._internal.host_configs import NativePythonConfig; import sys; print(get_venv_packages(NativePythonConfig(version="3.11", path=sys.executable))["pip"])' 2>/dev/null || echo 24.2)
mkdir -p ~/.ansible/test/cache
cp "$ROOT/scripts/get_pip_offline.py" ~/.ansible/test/cache/get_pip_${PIPV//./_}.py
cd "$DEST"
git init -q . && git add -A >/dev/null 2>&1  # ansible-test lists the files of the collection from git
export PATH=$BIN:$PATH
# shellcheck: not installed here; the ansible-test sanity tests that need a network or a container are skipped
exec "$BIN/ansible-test" sanity --local --python 3.11 --color no \
  --skip-test shellcheck --skip-test pslint "$@"
