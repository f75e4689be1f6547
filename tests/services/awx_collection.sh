#!/bin/bash
# Ensure the awx.awx collection (AWX configuration as code, extensions/awx/configure.yml) and print a collections path
# that holds it (<dir>/ansible_collections/awx/awx). awx.awx is taken from the pinned `ansible` community package on
# PyPI, whose wheel ships it: the wheel is downloaded once (no dependencies, nothing installed) and only awx/awx is
# extracted, under $NFVO_CACHE (default ~/.cache/telco-nfvo), one directory per content of the pin below.
# usage: tests/services/awx_collection.sh     (prints the collections path on stdout; progress on stderr)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
NFVO_CACHE=${NFVO_CACHE:-$HOME/.cache/telco-nfvo}
PIN='ansible==12.3.0'      # ships awx.awx 24.6.1
KEY=$(echo "$PIN" | sha1sum | cut -c1-10)
DEST=$NFVO_CACHE/awx-collection-$KEY
if [ ! -f "$DEST/.complete" ]; then
    echo "[awx] extracting awx.awx from $PIN into $DEST" >&2
    PIP=$(bash "$HERE/runner.sh")/pip   # any pip will do: ansible-runner's venv is there for the same tests
    rm -rf "$DEST"; mkdir -p "$DEST/wheel"
    "$PIP" download -q --no-deps -d "$DEST/wheel" "$PIN" >&2
    python3 - "$DEST" <<'PY'
import glob, os, sys, zipfile
dest = sys.argv[1]
with zipfile.ZipFile(glob.glob(os.path.join(dest, 'wheel', '*.whl'))[0]) as wheel:
    members = [m for m in wheel.namelist() if m.startswith('ansible_collections/awx/awx/')]
    if not members:
        sys.exit('the wheel holds no ansible_collections/awx/awx')
    wheel.extractall(dest, members)
PY
    rm -rf "$DEST/wheel"
    touch "$DEST/.complete"
fi
echo "$DEST"
