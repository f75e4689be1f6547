#!/bin/bash
# Install what the local OpenStack needs: RabbitMQ and MariaDB from Debian, the OpenStack services
# (2026.1 series) from PyPI into their own virtualenv under $NFVO_CACHE. Idempotent and cached:
# a second run with the same pins takes a second.
set -euo pipefail
source "$(dirname "$0")/common.sh"
need=()
for p in rabbitmq-server mariadb-server bc curl; do
  dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -q 'install ok installed' || need+=($p)
done
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # the distro's policy-rc.d keeps these from starting as system services: start.sh runs its own
  apt-get install -y -qq "${need[@]}" > /dev/null
fi
if [ ! -f "$CLOUD_VENV/.complete" ]; then
  log "creating $CLOUD_VENV (about 2 minutes)"
  rm -rf "$CLOUD_VENV"; mkdir -p "$NFVO_CACHE"
  python3 -m venv "$CLOUD_VENV"
  "$V/pip" install -q -U pip setuptools wheel
  "$V/pip" install -q -c "$CLOUD_SRC/upper-constraints.txt" $OS_SERVICES gunicorn PyMySQL
  touch "$CLOUD_VENV/.complete"
fi
if [ ! -f "$CLOUD_VENV/.ext-$EXT_KEY" ]; then  # our test-only extensions: cheap, reinstalled when they change
  "$V/pip" install -q --no-build-isolation --no-deps --force-reinstall "$CLOUD_SRC/nfvo_minicloud"
  rm -f "$CLOUD_VENV"/.ext-*; touch "$CLOUD_VENV/.ext-$EXT_KEY"
fi
log "local OpenStack installed in $CLOUD_VENV"
