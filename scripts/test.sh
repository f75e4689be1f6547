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
WORKERS=${NFVO_TEST_WORKERS:-3}  # integration tests mostly wait on the cloud: 3 side by side on 2 cores
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
# after the apt-get installs above: the local OpenStack starts (first run: installs) in the background while sanity and unit run
CLOUD_PID=; CLOUD_LOG=$(mktemp)
start_cloud() { T0=$(date +%s.%N) bash tests/cloud/start.sh > "$CLOUD_LOG" 2>&1 & CLOUD_PID=$!; }
case " $PHASES " in *" integration "*) stamp "starting the local OpenStack in the background"; start_cloud ;; esac
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
      stamp "integration: waiting for the local OpenStack (started in the background at the beginning)"
      if [ -z "$CLOUD_PID" ]; then start_cloud; fi
      wait "$CLOUD_PID"; cloud_rc=$?; sed 's/^/  /' "$CLOUD_LOG"
      if [ $cloud_rc -ne 0 ]; then record integration "failed (cloud did not start)"; continue; fi
      # side by side: each test file on one of $WORKERS workers (tests use their own names); then the tests
      # marked serial (they restart cloud services), alone
      stamp "integration: pytest tests/integration, $WORKERS workers"
      "$BIN/python" -m pytest tests/integration -q -p no:cacheprovider -p no:warnings --durations=20 \
        -n "$WORKERS" --dist loadfile -m 'not serial'; rc=$?
      stamp "integration: pytest tests/integration -m serial"
      "$BIN/python" -m pytest tests/integration -q -p no:cacheprovider -p no:warnings --durations=10 -m serial; rc2=$?
      [ $rc2 -eq 5 ] && rc2=0  # no serial test collected
      if [ $rc -eq 0 ] && [ $rc2 -eq 0 ]; then record integration passed; else record integration failed; fi
      bash tests/cloud/status.sh | tail -1 ;;
    *) echo "unknown phase $phase"; exit 2 ;;
  esac
done
stamp "summary:"; for p in $PHASES; do printf '  %-12s %s\n' "$p" "${RESULT[$p]:-not run}"; done
exit $FAILED
