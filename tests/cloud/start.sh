#!/bin/bash
# Start the local OpenStack on 127.0.0.1 (first run: initialise it). Idempotent: processes whose PID file
# points at a live process are left alone, so a second call finds the cloud running and returns at once.
# Keystone, Placement, Glance, Neutron (API + ML2 'bindall', no agents), Nova (API, conductor, scheduler,
# $NFVO_COMPUTES fake compute hosts in 2 availability zones), Cinder (fake volume driver);
# MariaDB and RabbitMQ from Debian. Writes $NFVO_CLOUD_DIR/clouds.yaml (clouds nfvo-admin, nfvo-tenant).
set -euo pipefail
source "$(dirname "$0")/common.sh"
[ -f "$CLOUD_VENV/.complete" ] && [ -f "$CLOUD_VENV/.ext-$EXT_KEY" ] || bash "$CLOUD_SRC/install.sh"
mkdir -p "$D" "$L" "$R" "$E" "$D"/{nova/instances,nova/lock,neutron/lock,images,glance-tasks,glance-staging,cinder/lock,cinder/coord,rabbit-home}
export CLOUD_SRC NFVO_CLOUD_DIR ADMIN_PASS USER_PASS NFVO_COMPUTES

start_peers() {  # NFVO_PEERS=tacker: Heat and OpenStack Tacker beside the cloud (tests/cloud/peers.sh), for bench/bench_peers.py
  case ",${NFVO_PEERS:-}," in *,tacker,*) bash "$CLOUD_SRC/peers.sh" start ;; esac
}
if [ -f "$NFVO_CLOUD_DIR/ready" ] && "$CLOUD_SRC/status.sh" --quiet; then
  log "already running (clouds.yaml: $NFVO_CLOUD_DIR/clouds.yaml)"; start_peers; exit 0
fi
rm -f "$NFVO_CLOUD_DIR/ready"

# ---- configuration (templates in tests/cloud/etc; @DIR@ @DB@ @SVCPASS@ filled in) ----
rm -rf "$E"; render_etc .
for i in $(seq 1 "$NFVO_COMPUTES"); do
  mkdir -p "$D/compute$i/instances" "$D/compute$i/lock"
  printf '[DEFAULT]\nhost = compute%s\nstate_path = %s\ninstances_path = %s\nlog_dir =\nlog_file = %s\n[oslo_concurrency]\nlock_path = %s\n' \
    "$i" "$D/compute$i" "$D/compute$i/instances" "$L/nova-compute$i.log" "$D/compute$i/lock" > "$E/nova/compute$i.conf"
done
KC="--config-file $E/keystone/keystone.conf"; NC="--config-file $E/neutron/neutron.conf --config-file $E/neutron/plugins/ml2/ml2_conf.ini"
NV="--config-file $E/nova/nova.conf"; CC="--config-file $E/cinder/cinder.conf"

# ---- MariaDB and RabbitMQ (own data dirs; not the distro's system services) ----
if [ ! -d "$D/mysql" ]; then
  mariadb-install-db --datadir="$D/mysql" --user=root --auth-root-authentication-method=normal --skip-test-db > "$L/mariadb-install.log" 2>&1
fi
launch mariadb /usr/sbin/mariadbd --no-defaults --user=root --datadir="$D/mysql" --bind-address=127.0.0.1 --port=3306 \
  --socket="$R/mysql.sock" --pid-file="$R/mariadbd.pidfile" --log-error="$L/mariadb.err" --innodb-buffer-pool-size=256M \
  --innodb-flush-log-at-trx-commit=2 --performance-schema=OFF --skip-name-resolve --max-connections=1000 \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
launch epmd /usr/bin/epmd -address 127.0.0.1
launch rabbitmq env RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 \
  RABBITMQ_MNESIA_BASE="$D/rabbitmq" RABBITMQ_LOG_BASE="$L/rabbitmq" RABBITMQ_DIST_PORT=25672 ERL_EPMD_ADDRESS=127.0.0.1 \
  HOME="$D/rabbit-home" /usr/lib/rabbitmq/bin/rabbitmq-server
wait_port 3306
if [ ! -f "$D/.init-mysql" ]; then
  { for d in keystone placement glance neutron nova_api nova_cell0 nova_cell1 cinder; do echo "CREATE DATABASE IF NOT EXISTS $d;"; done
    echo "CREATE USER IF NOT EXISTS 'os'@'127.0.0.1' IDENTIFIED BY 'db-secret'; GRANT ALL ON *.* TO 'os'@'127.0.0.1';"
  } | mariadb --socket="$R/mysql.sock" -uroot
  touch "$D/.init-mysql"
fi
log "mariadb ready"

# ---- schemas: independent, so in parallel (and with keystone's own init) ----
declare -A INITPID=()
init_bg() { local n=$1; shift; [ -f "$D/.init-$n" ] && return 0
  ( set -e; eval "$*"; touch "$D/.init-$n" ) > "$L/init-$n.log" 2>&1 & INITPID[$n]=$!; }
init_wait() { [ -n "${INITPID[$1]:-}" ] || return 0; wait "${INITPID[$1]}" || { log "init $1 FAILED: see $L/init-$1.log"; tail -5 "$L/init-$1.log"; exit 1; }; }
init_bg placement "$V/placement-manage --config-file $E/placement/placement.conf db sync"
init_bg glance "$V/glance-manage --config-file $E/glance/glance-api.conf db_sync"
init_bg neutron "$V/neutron-db-manage $NC upgrade heads"
init_bg nova "$V/nova-manage $NV api_db sync; $V/nova-manage $NV cell_v2 map_cell0 --database_connection '$DB_URL/nova_cell0?charset=utf8mb4';
  $V/nova-manage $NV cell_v2 create_cell --name cell1; $V/nova-manage $NV db sync"
init_bg cinder "$V/cinder-manage $CC db sync"
wait_port 5672; log "rabbitmq listening"

if [ ! -f "$D/.init-keystone-db" ]; then
  $V/keystone-manage $KC db_sync
  $V/keystone-manage $KC fernet_setup --keystone-user root --keystone-group root
  $V/keystone-manage $KC credential_setup --keystone-user root --keystone-group root
  $V/keystone-manage $KC bootstrap --bootstrap-password "$ADMIN_PASS" --bootstrap-region-id RegionOne \
    --bootstrap-admin-url http://127.0.0.1:5000/v3/ --bootstrap-public-url http://127.0.0.1:5000/v3/ \
    --bootstrap-internal-url http://127.0.0.1:5000/v3/ > "$L/keystone-bootstrap.log" 2>&1
  touch "$D/.init-keystone-db"
fi
gun keystone 5000 keystone_app OS_KEYSTONE_CONFIG_FILES="$E/keystone/keystone.conf"
wait_url http://127.0.0.1:5000/v3; log "keystone answering"
"$V/python" "$CLOUD_SRC/bootstrap.py" identity

init_wait placement; gun placement 8778 placement_app OS_PLACEMENT_CONFIG_DIR="$E/placement"
init_wait glance;    gun glance 9292 glance_app OS_GLANCE_CONFIG_DIR="$E/glance"
init_wait neutron;   gun neutron 9696 neutron_app OS_NEUTRON_CONFIG_DIR="$E/neutron"
init_wait nova;      gun nova-api 8774 nova_app OS_NOVA_CONFIG_DIR="$E/nova"
init_wait cinder;    gun cinder-api 8776 cinder_app NFVO_CINDER_CONF="$E/cinder/cinder.conf"
launch nova-conductor "$V/nova-conductor" $NV
launch nova-scheduler "$V/nova-scheduler" $NV
for i in $(seq 1 "$NFVO_COMPUTES"); do
  launch "nova-compute$i" "$V/nfvo-nova-compute" $NV --config-file "$E/nova/compute$i.conf"
done
launch cinder-scheduler "$V/cinder-scheduler" $CC
launch cinder-volume "$V/cinder-volume" $CC
for p in 8778 9292 9696 8774 8776; do wait_url "http://127.0.0.1:$p/"; done
log "APIs answering"
# map each compute host into cell1 once its compute_nodes row exists
for _ in $(seq 1 300); do
  $V/nova-manage $NV cell_v2 discover_hosts > /dev/null 2>&1 || true
  n=$($V/nova-manage $NV cell_v2 list_hosts 2>/dev/null | grep -c ' compute[0-9]' || true)
  [ "$n" -ge "$NFVO_COMPUTES" ] && break
  sleep 1
done
log "$n compute hosts mapped"
"$V/python" "$CLOUD_SRC/bootstrap.py" compute
touch "$NFVO_CLOUD_DIR/ready"
start_peers
log "local OpenStack up: OS_CLIENT_CONFIG_FILE=$NFVO_CLOUD_DIR/clouds.yaml, clouds nfvo-admin and nfvo-tenant"
