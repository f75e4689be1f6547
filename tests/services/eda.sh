#!/bin/bash
# Ensure what the Event-Driven Ansible tests need and print the bin directory of ansible-rulebook's virtualenv.
# - Java 17+ (the rules engine, drools_jpy, runs a bundled jar): Debian's openjdk-17-jre-headless when `java -version`
#   says less than 17 or there is no java;
# - ansible-rulebook from PyPI in its own virtualenv under $NFVO_CACHE (default ~/.cache/telco-nfvo), one per
#   content of the pins below (openstacksdk for telco.nfvo.vnf_health); it runs the playbooks with the ansible-playbook found on PATH (the project's venv).
# usage: tests/services/eda.sh          (prints the venv's bin dir on stdout; progress on stderr)
set -euo pipefail
# shellcheck source=tests/services/venv.sh
. "$(dirname "$0")/venv.sh"
PIN='ansible-rulebook>=1.1,<1.4 openstacksdk>=4.0.0,<5.0.0'

java_major() {  # 17 for 'openjdk version "17.0.15"', 8 for '"1.8.0_392"', 0 without java
    local v
    v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -1) || true
    case "$v" in 1.*) v=${v#1.} ;; esac
    echo "${v%%.*}" | grep -E '^[0-9]+$' || echo 0
}

if [ "$(java_major)" -lt 17 ]; then
    echo "[eda] installing openjdk-17-jre-headless from Debian" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless; } >&2
fi
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")"); export JAVA_HOME
fi

cached_venv eda eda "$PIN" ansible-rulebook --version
