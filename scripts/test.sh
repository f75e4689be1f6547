#!/bin/bash
# Run every test of telco.nfvo on this machine, installing and starting what they need:
#   sanity (ansible-test) -> lint (the ecosystem's tools, scripts/lint.sh) -> unit (pytest)
#   -> local OpenStack + PostgreSQL -> integration (pytest, real services)
# Usage: scripts/test.sh [sanity|lint|unit|integration ...]   (default: all). Exit status non-zero if any phase failed.
# Caches (virtualenvs, pip downloads) live under $NFVO_CACHE (default ~/.cache/telco-nfvo); the cloud's data
# under $NFVO_CLOUD_DIR (default <repo>/.cloud). Leaves the local OpenStack running (scripts/cloud.sh stop).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
PHASES=${*:-sanity lint unit integration}
T0=$(date +%s)
stamp() { printf '[test %5ds] %s\n' $(( $(date +%s) - T0 )) "$*"; }
BIN=$(bash scripts/venv.sh) || { echo "could not build the Python environment"; exit 1; }
stamp "python environment ready: $BIN"
declare -A RESULT=(); FAILED=0
record() { RESULT[$1]=$2; [ "$2" = passed ] || FAILED=1; stamp "$1 $2"; }
case " $PHASES " in *" unit "*|*" integration "*)
  # the HTML report is checked in a real headless browser: Debian's chromium
  if ! command -v chromium > /dev/null; then
    stamp "installing chromium from Debian"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } > /dev/null || { echo "could not install chromium"; FAILED=1; }
  fi
  # the ledger tests use a real PostgreSQL server
  stamp "starting PostgreSQL (tests/services/postgres.sh)"
  if PG_DSN=$(bash tests/services/postgres.sh start | tail -1); then export NFVO_TEST_PG_DSN=$PG_DSN
  else echo "PostgreSQL did not start"; FAILED=1; fi ;;
esac
for phase in $PHASES; do
  case $phase in
    sanity)
      stamp "sanity: ansible-test sanity"
      if bash scripts/sanity.sh; then record sanity passed; else record sanity failed; fi ;;
    lint)
      stamp "lint: scripts/lint.sh"
      if bash scripts/lint.sh; then record lint passed; else record lint failed; fi ;;
    unit)
      stamp "unit: pytest tests/unit"
      "$BIN/python" -m pytest tests/unit -q -p no:cacheprovider; rc=$?
      if [ $rc -eq 0 ]; then record unit passed; else record unit failed; fi ;;
    integration)
      stamp "integration: starting the local OpenStack"
      if ! T0=$(date +%s.%N) bash tests/cloud/start.sh; then record integration "failed (cloud did not start)"; continue; fi
      stamp "integration: pytest tests/integration"
      "$BIN/python" -m pytest tests/integration -q -p no:cacheprovider -p no:warnings --durations=15; rc=$?
      if [ $rc -eq 0 ]; then record integration passed; else record integration failed; fi
      bash tests/cloud/status.sh | tail -1 ;;
    *) echo "unknown phase $phase"; exit 2 ;;
  esac
done
stamp "summary:"; for p in $PHASES; do printf '  %-12s %s\n' "$p" "${RESULT[$p]:-not run}"; done
exit $FAILED
