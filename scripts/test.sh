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
CLOUD_PID=; CLOUD_LOG=$(mktemp); CLOUD_RC=$(mktemp -u)
start_cloud() { { T0=$(date +%s.%N) bash tests/cloud/start.sh > "$CLOUD_LOG" 2>&1; echo $? > "$CLOUD_RC"; } & CLOUD_PID=$!; }
# Side by side with sanity and unit, which leave one of the 2 cores mostly idle: the lint tools, and (once the cloud is
# up) the integration tests marked serial (they restart cloud services, so they must not run beside the other
# integration tests; sanity, lint and unit do not touch the cloud). Their output is shown at their phase.
LINT_PID=; LINT_LOG=$(mktemp)
case " $PHASES " in *" lint "*)
  stamp "lint: scripts/lint.sh, in the background"; { bash scripts/lint.sh > "$LINT_LOG" 2>&1; } & LINT_PID=$! ;;
esac
SERIAL_PID=; SERIAL_LOG=$(mktemp); SERIAL_RC=$(mktemp -u)
case " $PHASES " in *" integration "*)
  stamp "starting the local OpenStack in the background; the serial integration tests follow it there"; start_cloud
  { while [ ! -f "$CLOUD_RC" ]; do sleep 2; done
    if [ "$(cat "$CLOUD_RC")" = 0 ]; then
      echo "[test] integration, -m serial: started $(date -u +%T)"
      "$BIN/python" -m pytest tests/integration -q -p no:cacheprovider -p no:warnings --durations=10 -m serial; rc=$?
      [ $rc -eq 5 ] && rc=0  # no serial test collected
      echo $rc > "$SERIAL_RC"
    else echo 1 > "$SERIAL_RC"; fi; } > "$SERIAL_LOG" 2>&1 & SERIAL_PID=$! ;;
esac
for phase in $PHASES; do
  case $phase in
    sanity)
      stamp "sanity: ansible-test sanity"
      if bash scripts/sanity.sh; then record sanity passed; else record sanity failed; fi ;;
    lint)
      stamp "lint: waiting for scripts/lint.sh (started in the background at the beginning)"
      wait "$LINT_PID"; rc=$?; cat "$LINT_LOG"
      if [ $rc -eq 0 ]; then record lint passed; else record lint failed; fi ;;
    unit)
      stamp "unit: pytest tests/unit"
      "$BIN/python" -m pytest tests/unit -q -p no:cacheprovider -n 2; rc=$?  # pytest-xdist: both cores
      if [ $rc -eq 0 ]; then record unit passed; else record unit failed; fi ;;
    integration)
      stamp "integration: waiting for the local OpenStack (started in the background at the beginning)"
      wait "$CLOUD_PID"; cloud_rc=$(cat "$CLOUD_RC" 2>/dev/null || echo 1); sed 's/^/  /' "$CLOUD_LOG"
      if [ "$cloud_rc" != 0 ]; then record integration "failed (cloud did not start)"; continue; fi
      # the tests marked serial ran alone on the cloud while sanity, lint and unit ran (above)
      stamp "integration: waiting for the serial tests (started when the cloud was up)"
      wait "$SERIAL_PID"; rc2=$(cat "$SERIAL_RC" 2>/dev/null || echo 1); sed 's/^/  /' "$SERIAL_LOG"
      # side by side: each test file on one of $WORKERS workers (tests use their own names)
      stamp "integration: pytest tests/integration, $WORKERS workers"
      "$BIN/python" -m pytest tests/integration -q -p no:cacheprovider -p no:warnings --durations=20 \
        -n "$WORKERS" --dist loadfile -m 'not serial'; rc=$?
      if [ $rc -eq 0 ] && [ "$rc2" = 0 ]; then record integration passed; else record integration failed; fi
      bash tests/cloud/status.sh | tail -1 ;;
    *) echo "unknown phase $phase"; exit 2 ;;
  esac
done
stamp "summary:"; for p in $PHASES; do printf '  %-12s %s\n' "$p" "${RESULT[$p]:-not run}"; done
exit $FAILED
