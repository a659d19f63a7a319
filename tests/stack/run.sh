#!/usr/bin/env bash
# make test-stack: starts a stack of its own in a throwaway directory on ports of its own (21000-29999, away
# from `make stack` and from the ephemeral ports the other tests use), runs the resilience tests
# (tests/stack/run.py) and always stops the stack, whatever happened. Extra arguments pick tests by name.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export STACK_BIN=${STACK_BIN:-$root/${BUILD:-build}/bet2wealth}
export STACK_DIR
STACK_DIR=$(mktemp -d /tmp/b2w-stack.XXXXXX)
export STACK_TASKS=${STACK_TASKS:-2} STACK_LOG_LEVEL=${STACK_LOG_LEVEL:-warn} PYTHONDONTWRITEBYTECODE=1

cleanup() {
  local status=$?
  "$root/scripts/stack/down.sh" >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ] && [ -d "$STACK_DIR/logs" ]; then
    rm -rf "$root/.stack/test-logs"
    mkdir -p "$root/.stack"
    cp -r "$STACK_DIR/logs" "$root/.stack/test-logs"
    echo "test-stack: logs kept in .stack/test-logs" >&2
  fi
  rm -rf "$STACK_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ports_from BASE: every port of the stack, from one base.
ports_from() {
  export STACK_HTTPS_PORT=$(($1 + 43)) STACK_HTTP_PORT=$(($1 + 80)) STACK_STATS_PORT=$(($1 + 4)) \
    STACK_TASK_PORT=$(($1 + 11)) STACK_PG_PORT=$(($1 + 32)) STACK_REDIS_PORT=$(($1 + 60)) \
    STACK_REDIS_ENDPOINT_PORT=$(($1 + 70)) STACK_PAYSTACK_PORT=$(($1 + 44)) STACK_SMTP_PORT=$(($1 + 25))
}
ports_free() {
  local p
  for p in "$STACK_HTTPS_PORT" "$STACK_HTTP_PORT" "$STACK_STATS_PORT" "$STACK_PG_PORT" "$STACK_REDIS_PORT" \
    $((STACK_REDIS_PORT + 1)) "$STACK_REDIS_ENDPOINT_PORT" "$STACK_PAYSTACK_PORT" "$STACK_SMTP_PORT" \
    $(seq "$STACK_TASK_PORT" $((STACK_TASK_PORT + STACK_TASKS))); do  # the tasks and the surge slot
    ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || return 1
  done
}
for _ in 1 2 3 4 5; do
  ports_from $((21000 + (RANDOM % 90) * 100))
  ports_free && break
done

start=$SECONDS
"$root/scripts/stack/up.sh"
echo "test-stack: stack up in $((SECONDS - start)) s"
cd "$root/tests/stack"
/usr/bin/python3 run.py "$@"
