#!/usr/bin/env bash
# The local stack (scripts/stack/up.sh, throwaway directory, ports 19xxx) measured in one run:
# GET /api/v1/health-check and GET /api/v1/events, requests/s and p99, for
#   - one task hit directly (plain HTTP, what HAProxy itself sees),
#   - through HAProxy (TLS, keep-alive) to 2 tasks, and to 1 task (task 2 stopped),
# so the proxy hop's cost (1 task via HAProxy vs direct) and 1 vs 2 tasks on this machine show side by side.
# wrk on core 1 (run_wrk), everything else unpinned, production logging (an access line per request).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, bench_stops, run_wrk, ratio
export STACK_DIR=$bench_tmp/stack STACK_TASKS=2 STACK_BIN=${BINARY:-$bench_root/${BUILD:-build}/bet2wealth}
export STACK_HTTPS_PORT=19443 STACK_HTTP_PORT=19480 STACK_STATS_PORT=19404 STACK_TASK_PORT=19411 \
  STACK_PG_PORT=19432 STACK_REDIS_PORT=19460 STACK_REDIS_ENDPOINT_PORT=19470 STACK_PAYSTACK_PORT=19444
chmod 755 "$bench_tmp"  # the postgres user must reach the stack directory inside it
stop_stack() { "$bench_root/scripts/stack/down.sh" >/dev/null 2>&1 || true; }
bench_stops+=(stop_stack)
"$bench_root/scripts/stack/up.sh" >"$bench_tmp/up.log" 2>&1 || { cat "$bench_tmp/up.log" >&2; exit 1; }

alb=https://localhost:$STACK_HTTPS_PORT/api/v1
direct=http://127.0.0.1:$STACK_TASK_PORT/api/v1
# wrk verifies no certificate; the stack's CA is still the one curl checks here.
curl -fs --cacert "$STACK_DIR/tls/ca.crt" -o /dev/null "$alb/health-check"
events_status=$(curl -s -o /dev/null -w '%{http_code}' "$direct/events")

measure() {  # LABEL URL
  local out rps p99
  out=$(run_wrk "$2")
  read -r rps p99 <<<"$out"
  printf '  %-34s %10s req/s   p99 %8s ms\n' "$1" "$rps" "$p99" >&2
  echo "$rps $p99"
}

echo "stack: HAProxy (TLS) -> ${STACK_TASKS} tasks, PostgreSQL + Redis (TLS) on this $(nproc)-core machine;" \
  "wrk on core 1, ${BENCH_CONNECTIONS:-64} connections, ${BENCH_SECONDS:-10} s each"
paths=(health-check)
if [ "$events_status" = 200 ]; then paths+=(events); else
  echo "  GET /events answers $events_status (issue 6 not landed): measured once it exists"
fi
for path in "${paths[@]}"; do
  echo "GET /api/v1/$path"
  read -r d_rps d_p99 < <(measure "1 task direct (HTTP)" "$direct/$path")
  read -r a2_rps a2_p99 < <(measure "HAProxy TLS -> 2 tasks" "$alb/$path")
  "$bench_root/scripts/stack/task.sh" stop 2
  wait_until_down=$((SECONDS + 10))
  until curl -fs "http://127.0.0.1:$STACK_STATS_PORT/stats;csv" | grep -q '^tasks,task2,.*,DOWN'; do
    [ "$SECONDS" -lt "$wait_until_down" ] || { echo "bench: task 2 not marked down" >&2; exit 1; }
    sleep 0.1
  done
  read -r a1_rps a1_p99 < <(measure "HAProxy TLS -> 1 task" "$alb/$path")
  "$bench_root/scripts/stack/task.sh" start 2 >/dev/null
  sleep 1
  echo "  proxy hop (HAProxy TLS -> 1 task vs direct): $(ratio "$a1_rps" "$d_rps")x req/s," \
    "p99 +$(awk -v a="$a1_p99" -v b="$d_p99" 'BEGIN { printf "%.2f", a - b }') ms"
  echo "  2 tasks vs 1 task behind HAProxy: $(ratio "$a2_rps" "$a1_rps")x req/s, p99 $a2_p99 vs $a1_p99 ms"
  echo "  HAProxy -> 2 tasks vs 1 task direct: $(ratio "$a2_rps" "$d_rps")x req/s"
done
