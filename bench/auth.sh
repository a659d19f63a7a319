#!/usr/bin/env bash
# GET /users/me (token verify + user lookup) vs the health-check, on the embedded stores and on
# PostgreSQL + Redis; logins/s (argon2-bound by design); health-check p99 while 32 logins run at once.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, run_wrk, ratio, start_postgres, start_redis
binary=${BINARY:-$bench_root/build/bet2wealth}
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(embedded postgres)
port=18490
export BENCH_EMAIL=bench0@example.ng BENCH_PASSWORD=bench-password-1 BENCH_LOGIN_USERS=16

run_mode() {
  local mode=$1 extra=()
  if [ "$mode" = postgres ]; then
    start_postgres 18496
    start_redis 18497
    extra=(DATABASE_URL="$pg_url" REDIS_URL="$redis_url")
  fi
  env PORT=$port BIND_ADDRESS=127.0.0.1 LOG_LEVEL=warn SHUTDOWN_DRAIN_SECONDS=0 DATA_DIR="$bench_tmp/data-$mode" \
    RATE_LIMIT_PERMISSION_POINTS=1000000 RATE_LIMIT_DURATION_SECONDS=1 LOGIN_MAX_ATTEMPTS_PER_IP=100000 \
    REGISTER_MAX_PER_IP=1000 "${extra[@]}" \
    "$binary" >"$bench_tmp/server-$mode.log" 2>&1 &
  local pid=$!
  wait_http "http://127.0.0.1:$port/api/v1/health-check" || { cat "$bench_tmp/server-$mode.log" >&2; return 1; }
  local i
  for ((i = 0; i < BENCH_LOGIN_USERS; i++)); do
    curl -fs -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"email\":\"bench$i@example.ng\",\"password\":\"$BENCH_PASSWORD\"}" "http://127.0.0.1:$port/api/v1/auth/register"
  done
  local token
  token=$(curl -fs -H 'Content-Type: application/json' -d "{\"email\":\"$BENCH_EMAIL\",\"password\":\"$BENCH_PASSWORD\"}" \
    "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

  local health me logins under_load
  health=$(run_wrk "http://127.0.0.1:$port/api/v1/health-check")
  me=$(BENCH_HEADER="Authorization: Bearer $token" run_wrk "http://127.0.0.1:$port/api/v1/users/me")
  logins=$(taskset -c 1 wrk -t1 -c8 -d"${BENCH_SECONDS:-10}"s -s "$bench_root/bench/login.lua" \
    "http://127.0.0.1:$port/api/v1/auth/login" | awk '/Requests\/sec:/ {print $2}')
  # 32 logins at once keep the blocking pool busy; the health-check must stay fast.
  taskset -c 1 wrk -t1 -c32 -d8s -s "$bench_root/bench/login.lua" "http://127.0.0.1:$port/api/v1/auth/login" >/dev/null &
  local load=$!
  sleep 1
  under_load=$(BENCH_CONNECTIONS=4 BENCH_SECONDS=5 run_wrk "http://127.0.0.1:$port/api/v1/health-check")
  wait "$load"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [ "$mode" = postgres ] && { stop_postgres; bench_stops=(); }

  read -r h_rps h_p99 <<<"$health"
  read -r m_rps m_p99 <<<"$me"
  read -r _ l_p99 <<<"$under_load"
  echo "[$mode] health-check: $h_rps req/s (p99 $h_p99 ms)   /users/me: $m_rps req/s (p99 $m_p99 ms)"
  echo "[$mode] /users/me / health-check: $(ratio "$m_rps" "$h_rps")x (target >= 0.5)"
  echo "[$mode] logins/s (argon2id m=19MiB t=2): $logins"
  echo "[$mode] health-check p99 while 32 logins run: $l_p99 ms (target <= 5)"
}

echo "server on all cores, wrk on core 1, ${BENCH_CONNECTIONS:-64} connections, ${BENCH_SECONDS:-10} s"
for mode in "${modes[@]}"; do run_mode "$mode"; done
