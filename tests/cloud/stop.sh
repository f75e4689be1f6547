#!/bin/bash
# Stop only the processes that start.sh started (their PID files and process groups).
# Usage: stop.sh [--purge]   --purge also deletes the cloud's data (next start initialises a new cloud).
source "$(dirname "$0")/common.sh"
order="tacker-conductor tacker-server heat-engine heat-api nova-compute1 nova-compute2 nova-compute3 nova-compute4 nova-compute5 nova-compute6 nova-scheduler nova-conductor
  nova-api cinder-volume cinder-scheduler cinder-api neutron glance placement keystone rabbitmq epmd mariadb"
for n in $order $(ls "$R" 2>/dev/null | grep '\.pid$' | sed 's/\.pid$//'); do
  f=$R/$n.pid; [ -f "$f" ] || continue
  p=$(cat "$f")
  if kill -0 "$p" 2>/dev/null; then
    [ "$n" = rabbitmq ] && RABBITMQ_NODENAME=rabbit@localhost HOME="$D/rabbit-home" \
      /usr/lib/rabbitmq/bin/rabbitmqctl shutdown > /dev/null 2>&1
    kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && { kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null; }
    echo "stopped $n ($p)"
  fi
  rm -f "$f"
done
rm -f "$NFVO_CLOUD_DIR/ready"
if [ "${1:-}" = --purge ]; then rm -rf "$D" "$L" "$E" "$R" "$NFVO_CLOUD_DIR/clouds.yaml"; echo "purged $NFVO_CLOUD_DIR"; fi
