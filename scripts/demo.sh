#!/bin/bash
# The main job on the embedded default: start the local OpenStack (installing it on first use) and run
# playbooks/demo.yml against it as the tenant. Extra arguments go to ansible-playbook (e.g. -v, --check).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
BIN=$(bash scripts/venv.sh)
bash tests/cloud/start.sh
# the working tree, seen by Ansible as the installed collection telco.nfvo
mkdir -p .build/collections/ansible_collections/telco
ln -sfn "$ROOT" .build/collections/ansible_collections/telco/nfvo
export ANSIBLE_COLLECTIONS_PATH=$ROOT/.build/collections OS_CLIENT_CONFIG_FILE=${OS_CLIENT_CONFIG_FILE:-$ROOT/.cloud/clouds.yaml}
export ANSIBLE_PYTHON_INTERPRETER=$BIN/python ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False
exec "$BIN/ansible-playbook" playbooks/demo.yml "$@"
