#!/bin/bash
# A throw-away PostgreSQL 15 cluster for the ledger tests: 127.0.0.1:55432 only, trust auth, database nfvo_ledger.
# usage: tests/services/postgres.sh start|stop|status     (start/status print the DSN on stdout)
# Runs the server as the "postgres" OS user when started as root. Data: ${NFVO_PG_DIR:-<repo>/.build/pg}.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PGDIR=${NFVO_PG_DIR:-$ROOT/.build/pg}
PORT=${NFVO_PG_PORT:-55432}
BIN=${NFVO_PG_BIN:-/usr/lib/postgresql/15/bin}
DB=nfvo_ledger
DSN="postgresql://postgres@127.0.0.1:$PORT/$DB"

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { as_pg "$BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; }

case "${1:-}" in
start)
    if [ ! -x "$BIN/initdb" ]; then  # Debian's PostgreSQL server (policy-rc.d keeps its own cluster stopped)
        echo "installing postgresql from Debian" >&2
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update -qq && apt-get install -y -qq postgresql; } >&2
    fi
    if ! running; then
        mkdir -p "$PGDIR"
        [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
        if [ ! -s "$PGDIR/data/PG_VERSION" ]; then
            as_pg "$BIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$PGDIR/initdb.log" 2>&1 \
                || { cat "$PGDIR/initdb.log" >&2; exit 1; }
        fi
        # unix socket in the data directory: no need for /var/run/postgresql
        as_pg "$BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR/data -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
            || { tail -20 "$PGDIR/server.log" >&2; exit 1; }
    fi
    if ! as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" postgres | grep -q 1; then
        as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
    fi
    echo "$DSN"
    ;;
stop)
    if running; then as_pg "$BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null; fi
    ;;
status)
    if running; then echo "$DSN"; else echo "stopped" >&2; exit 3; fi
    ;;
*)
    echo "usage: $0 start|stop|status" >&2; exit 2
    ;;
esac
