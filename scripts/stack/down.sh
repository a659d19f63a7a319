#!/usr/bin/env bash
# Stops every process of the local stack started from $STACK_DIR (the ALB first, PostgreSQL last).
# Data stays in $STACK_DIR; delete it to start afresh.
set -uo pipefail
# shellcheck source=scripts/stack/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/stack/components.sh
. "$(dirname "$0")/components.sh"

[ -d "$run_dir" ] || { say "nothing running from $STACK_DIR"; exit 0; }
stop_pid alb 5
for f in "$run_dir"/task*.pid; do
  [ -e "$f" ] || continue
  stop_pid "$(basename "$f" .pid)" 25
done
stop_pid endpoints 5
stop_pid paystack 5
stop_pid smtp 5
stop_pid redis1 5
stop_pid redis2 5
stop_postgres
say "stopped (data kept in $STACK_DIR)"
