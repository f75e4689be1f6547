#!/bin/bash
# The optional peers of the local OpenStack: Heat (API + engine) and OpenStack Tacker 15.0.0 (2026.1: tacker-server,
# tacker-conductor), for bench/bench_peers.py, which compares telco.nfvo with Tacker on the same cloud in one run.
# Not part of the default cloud (CI never pays for it): `NFVO_PEERS=tacker scripts/cloud.sh start` runs this after the
# cloud is up, or call it directly on a running cloud. Idempotent, like start.sh.
#   peers.sh start    install (own virtualenv under $NFVO_CACHE, the cloud's upper-constraints), DBs in the same
#                     MariaDB, service users and catalog entries (bootstrap.py peers), start and wait until answering
#   peers.sh stop     stop the four peer processes (the cloud keeps running)
#   peers.sh status   which peer processes run; exit 0 when all do
# Tacker's VIM is this cloud, given inline in each instantiate request (vimConnectionInfo) by the benchmark.
set -euo pipefail
source "$(dirname "$0")/common.sh"
PEERS_PINS="openstack-heat==26.0.2 tacker==15.0.0 gunicorn PyMySQL"
PEERS_VENV=$NFVO_CACHE/peers-venv-$(cat "$CLOUD_SRC/upper-constraints.txt" <(echo "$PEERS_PINS") | sha1sum | cut -c1-10)
PV=$PEERS_VENV/bin
NAMES="heat-api heat-engine tacker-server tacker-conductor"
HC="--config-file $E/heat/heat.conf"; TC="--config-file $E/tacker/tacker.conf"
export NFVO_CLOUD_DIR ADMIN_PASS USER_PASS

install() {
  [ -f "$PEERS_VENV/.complete" ] && return 0
  log "creating $PEERS_VENV: $PEERS_PINS (a few minutes, once)"
  rm -rf "$PEERS_VENV"; mkdir -p "$NFVO_CACHE"
  python3 -m venv "$PEERS_VENV"
  "$PV/pip" install -q -U pip setuptools wheel
  # shellcheck disable=SC2086  # the pins are words
  "$PV/pip" install -q -c "$CLOUD_SRC/upper-constraints.txt" $PEERS_PINS
  touch "$PEERS_VENV/.complete"
}

start() {
  [ -f "$NFVO_CLOUD_DIR/ready" ] || { log "the local cloud is not running: scripts/cloud.sh start first"; exit 1; }
  install
  render_etc heat tacker
  mkdir -p "$D/heat/lock" "$D"/tacker/{csar_files,vnfpackages,vnf_package_cache,lock}
  if [ ! -f "$D/.init-peers-db" ]; then
    echo "CREATE DATABASE IF NOT EXISTS heat; CREATE DATABASE IF NOT EXISTS tacker;" | mariadb --socket="$R/mysql.sock" -uroot
    "$PV/heat-manage" $HC db_sync > "$L/init-heat.log" 2>&1 || { log "heat db_sync FAILED: see $L/init-heat.log"; exit 1; }
    "$PV/tacker-db-manage" $TC upgrade head > "$L/init-tacker.log" 2>&1 || { log "tacker db FAILED: see $L/init-tacker.log"; exit 1; }
    touch "$D/.init-peers-db"
  fi
  "$V/python" "$CLOUD_SRC/bootstrap.py" peers
  # each peer process logs the HTTP requests it sends ($L/http-<name>.log, tests/integration/httplog): the benchmark
  # counts Tacker's and Heat's calls to the cloud's APIs from them
  local hl="PYTHONPATH=$REPO_ROOT/tests/integration/httplog"
  V=$PV gun heat-api 8004 heat_app NFVO_HEAT_CONF="$E/heat/heat.conf" "$hl" NFVO_HTTP_LOG="$L/http-heat-api.log"
  launch heat-engine env "$hl" NFVO_HTTP_LOG="$L/http-heat-engine.log" "$PV/heat-engine" $HC
  launch tacker-server env "$hl" NFVO_HTTP_LOG="$L/http-tacker-server.log" "$PV/tacker-server" $TC
  launch tacker-conductor env "$hl" NFVO_HTTP_LOG="$L/http-tacker-conductor.log" "$PV/tacker-conductor" $TC
  wait_url http://127.0.0.1:8004/; wait_url http://127.0.0.1:9890/
  log "peers answering: Heat http://127.0.0.1:8004, Tacker http://127.0.0.1:9890 (logs: $L/heat.log, $L/tacker.log)"
}

stop() {
  local n p
  for n in $NAMES; do
    alive "$n" || { rm -f "$R/$n.pid"; continue; }
    p=$(cat "$R/$n.pid")
    kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && { kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null; }
    rm -f "$R/$n.pid"; echo "stopped $n ($p)"
  done
}

status() {
  local n rc=0
  for n in $NAMES; do
    if alive "$n"; then printf '%-18s running  pid %s\n' "$n" "$(cat "$R/$n.pid")"; else rc=1; printf '%-18s stopped\n' "$n"; fi
  done
  return $rc
}

case ${1:-status} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status"; exit 2 ;;
esac
