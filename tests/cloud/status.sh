#!/bin/bash
# Report which local OpenStack processes are running. Exit 0 when all of them are.
# Usage: status.sh [--quiet]
source "$(dirname "$0")/common.sh"
names="mariadb epmd rabbitmq keystone placement glance neutron nova-api nova-conductor nova-scheduler cinder-api cinder-scheduler cinder-volume"
for i in $(seq 1 "$NFVO_COMPUTES"); do names="$names nova-compute$i"; done
rc=0; total=0
for n in $names; do
  if alive "$n"; then
    p=$(cat "$R/$n.pid"); kb=$(ps -o rss= -g "$p" 2>/dev/null | awk '{s+=$1} END {print s+0}'); total=$((total + kb))
    [ "${1:-}" = --quiet ] || printf '%-18s running  pid %-8s rss %6d MB\n' "$n" "$p" $((kb / 1024))
  else
    rc=1; [ "${1:-}" = --quiet ] || printf '%-18s stopped\n' "$n"
  fi
done
[ "${1:-}" = --quiet ] || { printf 'total rss %d MB; clouds.yaml: %s\n' $((total / 1024)) "$NFVO_CLOUD_DIR/clouds.yaml"; }
exit $rc
