# shellcheck shell=bash
# Shared by the tests/services scripts (sourced, not run): one cached virtualenv per content of a pin list.
# cached_venv LABEL NAME PINS CHECK...: the venv $NFVO_CACHE/NAME-venv-<sha1 of python3 -V and PINS> is made once
# (pip install PINS, then CHECK run inside its bin dir must pass) and marked complete; prints its bin directory.
# Progress goes to stderr as "[LABEL] ...".
cached_venv() {
    local label=$1 name=$2 pins=$3; shift 3
    local cache=${NFVO_CACHE:-$HOME/.cache/telco-nfvo} key venv
    key=$( (python3 -V; echo "$pins") | sha1sum | cut -c1-10)
    venv=$cache/$name-venv-$key
    if [ ! -f "$venv/.complete" ]; then
        echo "[$label] creating $venv" >&2
        rm -rf "$venv"; mkdir -p "$cache"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q -U pip wheel >&2
        # shellcheck disable=SC2086  # the pins are words
        "$venv/bin/pip" install -q $pins >&2
        "$venv/bin/$1" "${@:2}" >&2
        touch "$venv/.complete"
    fi
    echo "$venv/bin"
}
