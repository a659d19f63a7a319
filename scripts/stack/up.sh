#!/usr/bin/env bash
# Starts the production shape on this machine: HAProxy as the ALB (TLS, 301, X-Forwarded-*, health checks,
# round robin) in front of STACK_TASKS `bet2wealth serve` processes configured as production, sharing Redis
# (TLS, AUTH, a replica, a primary endpoint) and PostgreSQL (TLS), with a fake Paystack behind TLS.
# State lives in $STACK_DIR (default .stack/, git-ignored). Stop with scripts/stack/down.sh (make stack-down).
set -euo pipefail
# shellcheck source=scripts/stack/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/stack/components.sh
. "$(dirname "$0")/components.sh"

if pid_alive alb || pid_alive task1 || pid_alive redis1; then
  die "a stack is already running from $STACK_DIR (make stack-down first)"
fi
case "$STACK_TASKS" in '' | *[!0-9]* | 0) die "STACK_TASKS must be a positive number, got '$STACK_TASKS'" ;; esac
mkdir -p "$STACK_DIR" "$run_dir" "$log_dir"
[ "$(id -u)" -ne 0 ] || chmod 755 "$STACK_DIR"   # the postgres user must reach its directory
# Anything that fails from here on stops what was already started.
on_exit() {
  local status=$?
  if [ "$status" -ne 0 ]; then
    echo "stack: stopping what had started (logs in $log_dir)" >&2
    "$(dirname "$0")/down.sh" >/dev/null 2>&1 || true
  fi
}
trap on_exit EXIT

# Preflight: every package and every port before anything starts.
for c in curl openssl haproxy redis-server redis-cli /usr/bin/python3 runuser setsid; do require_cmd "${c##*/}" "$c"; done
pg_bin_dir >/dev/null || die "postgres: server binaries not found under /usr/lib/postgresql (run scripts/deps.sh stack)"
[ -x "$STACK_BIN" ] || die "tasks: $STACK_BIN not found (make build${BUILD:+ BUILD=$BUILD})"
require_free "alb (https)" "$STACK_HTTPS_PORT"
require_free "alb (http)" "$STACK_HTTP_PORT"
require_free "alb (stats)" "$STACK_STATS_PORT"
require_free postgres "$STACK_PG_PORT"
require_free "redis node 1" "$(redis_node_port 1)"
require_free "redis node 2" "$(redis_node_port 2)"
require_free "redis endpoint" "$STACK_REDIS_ENDPOINT_PORT"
require_free "paystack (TLS)" "$STACK_PAYSTACK_PORT"
require_free smtp "$STACK_SMTP_PORT"
for n in $(seq 1 $((STACK_TASKS + 1))); do require_free "task $n" "$(task_port "$n")"; done  # and the surge slot

make_tls
make_secrets
start_postgres
start_redis
start_paystack
start_smtp
start_endpoints
with_task_env "$STACK_BIN" migrate >>"$log_dir/migrate.log" 2>&1 || die "migrations failed: $(tail -2 "$log_dir/migrate.log")"
for n in $(seq 1 "$STACK_TASKS"); do
  start_task "$n" "${STACK_APP_VERSION:-stack-1}"
  say "task $n: http://127.0.0.1:$(task_port "$n") (pid $(pid_of "task$n"))"
done
start_alb
wait_until 20 all_tasks_up || die "alb: HAProxy reports $(tasks_up) of $STACK_TASKS tasks healthy after 20 s (see http://127.0.0.1:$STACK_STATS_PORT/stats)"
say "alb: all $STACK_TASKS tasks healthy; stats on http://127.0.0.1:$STACK_STATS_PORT/stats"
say "ready: https://localhost:$STACK_HTTPS_PORT/api/v1/health-check  (CA: $tls_dir/ca.crt; http://localhost:$STACK_HTTP_PORT redirects)"
