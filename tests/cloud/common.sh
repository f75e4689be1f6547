# Shared settings for the local OpenStack scripts (sourced, not run).
# NFVO_CACHE      downloads and virtualenvs, reused between runs and clones (default ~/.cache/telco-nfvo)
# NFVO_CLOUD_DIR  this cloud's config, data, logs and PID files (default <repo>/.cloud)
# NFVO_COMPUTES   number of fake compute hosts (default 3), spread over 2 availability zones
# NFVO_PEERS      "tacker": also start Heat and OpenStack Tacker 15.0.0 (peers.sh), for bench/bench_peers.py; off by default
CLOUD_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$CLOUD_SRC/../.." && pwd)
NFVO_CACHE=${NFVO_CACHE:-$HOME/.cache/telco-nfvo}
NFVO_CLOUD_DIR=${NFVO_CLOUD_DIR:-$REPO_ROOT/.cloud}
NFVO_COMPUTES=${NFVO_COMPUTES:-3}
# pinned OpenStack 2026.1 series, installed with its upper-constraints
OS_SERVICES="keystone==29.1.0 openstack-placement==15.0.0 glance==32.0.0 neutron==28.0.2 nova==33.0.2 cinder==28.0.0"
CLOUD_VENV_KEY=$(cat "$CLOUD_SRC/upper-constraints.txt" <(echo "$OS_SERVICES gunicorn PyMySQL") | sha1sum | cut -c1-10)
EXT_KEY=$(cat "$CLOUD_SRC/nfvo_minicloud/pyproject.toml" "$CLOUD_SRC"/nfvo_minicloud/nfvo_minicloud/*.py | sha1sum | cut -c1-10)
CLOUD_VENV=$NFVO_CACHE/cloud-venv-$CLOUD_VENV_KEY
V=$CLOUD_VENV/bin
D=$NFVO_CLOUD_DIR/data; L=$NFVO_CLOUD_DIR/logs; R=$NFVO_CLOUD_DIR/run; E=$NFVO_CLOUD_DIR/etc
# passwords of this throw-away local cloud (bound to 127.0.0.1 only)
ADMIN_PASS=${NFVO_ADMIN_PASS:-admin-secret}
USER_PASS=${NFVO_USER_PASS:-tenant-secret}
SVC_PASS=service-secret
DB_URL="mysql+pymysql://os:db-secret@127.0.0.1:3306"
T0=${T0:-$(date +%s.%N)}
log() { printf '[cloud %6.1fs] %s\n' "$(echo "$(date +%s.%N) - $T0" | bc)" "$*"; }
alive() { [ -f "$R/$1.pid" ] && kill -0 "$(cat "$R/$1.pid")" 2>/dev/null; }
# process helpers of start.sh and peers.sh
launch() { # name cmd...   (each process leads its own process group; stop.sh kills only these)
  local n=$1; shift
  if alive "$n"; then return; fi
  setsid "$@" >> "$L/$n.out" 2>&1 < /dev/null &
  echo $! > "$R/$n.pid"
}
wait_url() { for _ in $(seq 1 900); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; log "TIMEOUT waiting for $1"; exit 1; }
wait_port() { for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; log "TIMEOUT on port $1"; exit 1; }
gun() { # name port wsgi-module [extra gunicorn args] -- env...
  local n=$1 p=$2 m=$3; shift 3
  launch "$n" env "$@" "$V/gunicorn" --chdir "$CLOUD_SRC/wsgi" -b "127.0.0.1:$p" -w 1 -k gthread --threads 8 \
    --timeout 600 --graceful-timeout 5 --keep-alive 300 --limit-request-line 0 "$m:application"
}
render_etc() { # dir...: copy config templates of tests/cloud/etc/<dir> to $E/<dir>, filling in @DIR@ @DB@ @SVCPASS@
  local d
  for d in "$@"; do
    mkdir -p "$E/$d"; cp -r "$CLOUD_SRC/etc/$d/." "$E/$d/"
    find "$E/$d" -type f -exec sed -i -e "s#@DIR@#$NFVO_CLOUD_DIR#g" -e "s#@DB@#$DB_URL#g" -e "s#@SVCPASS@#$SVC_PASS#g" {} +
  done
}
