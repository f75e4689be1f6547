#!/bin/bash
# The main job on the embedded default: start the local OpenStack (installing it on first use) and run
# playbooks/demo.yml against it as the tenant, with the telco.nfvo.usage callback writing the demo's usage to a fresh
# SQLite ledger in .build/demo/ (the chargeback report of that usage goes there too). Extra arguments go to
# ansible-playbook (e.g. -v, -e keep_ns=true).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
BIN=$(bash scripts/venv.sh)
bash tests/cloud/start.sh
# the working tree, seen by Ansible as the installed collection telco.nfvo
mkdir -p .build/collections/ansible_collections/telco
ln -sfn "$ROOT" .build/collections/ansible_collections/telco/nfvo
export ANSIBLE_COLLECTIONS_PATH=$ROOT/.build/collections OS_CLIENT_CONFIG_FILE=${OS_CLIENT_CONFIG_FILE:-${NFVO_CLOUD_DIR:-$ROOT/.cloud}/clouds.yaml}
export ANSIBLE_PYTHON_INTERPRETER=$BIN/python ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False
# the demo's own usage: a fresh ledger each run, the report next to it
export NFVO_DEMO_DIR=${NFVO_DEMO_DIR:-$ROOT/.build/demo}
export TELCO_NFVO_USAGE_LEDGER=$NFVO_DEMO_DIR/usage.db TELCO_NFVO_USAGE_SPOOL=$NFVO_DEMO_DIR/usage.spool.jsonl
export ANSIBLE_CALLBACKS_ENABLED=telco.nfvo.usage
mkdir -p "$NFVO_DEMO_DIR"; rm -f "$TELCO_NFVO_USAGE_LEDGER" "$TELCO_NFVO_USAGE_SPOOL"
start=$(date +%s)
"$BIN/ansible-playbook" playbooks/demo.yml "$@"
echo "demo: $(( $(date +%s) - start ))s (ansible-playbook)"
