#!/bin/bash
# The local OpenStack: scripts/cloud.sh start|stop [--purge]|status
set -euo pipefail
D=$(cd "$(dirname "$0")/../tests/cloud" && pwd)
case ${1:-status} in
  start) shift; exec bash "$D/start.sh" "$@" ;;
  stop) shift; exec bash "$D/stop.sh" "$@" ;;
  status) exec bash "$D/status.sh" ;;
  *) echo "usage: $0 start|stop [--purge]|status"; exit 2 ;;
esac
