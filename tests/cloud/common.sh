# Shared settings for the local OpenStack scripts (sourced, not run).
# NFVO_CACHE      downloads and virtualenvs, reused between runs and clones (default ~/.cache/telco-nfvo)
# NFVO_CLOUD_DIR  this cloud's config, data, logs and PID files (default <repo>/.cloud)
# NFVO_COMPUTES   number of fake compute hosts (default 3), spread over 2 availability zones
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
