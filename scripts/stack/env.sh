#!/usr/bin/env bash
# Runs a command with the tasks' environment, e.g. scripts/stack/env.sh build/bet2wealth ledger verify
# or: echo "$PASSWORD" | scripts/stack/env.sh build/bet2wealth admin create --email boss@example.com
set -euo pipefail
# shellcheck source=scripts/stack/lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || { task_env; exit 0; }
with_task_env "$@"
