#!/usr/bin/env bash
# Deposits completed through the Paystack webhook per second (signature check, row lock, double-entry
# posting, status update, one transaction each) on PostgreSQL vs pgbench's TPC-B-like script on the same
# server in the same run, then on embedded SQLite.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, ratio, start_postgres
binary=${BINARY:-$bench_root/build/bet2wealth}
seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-16}
users=${BENCH_USERS:-64}  # deposits go to these in turn: many customers pay in at once, as in production
count=${BENCH_DEPOSITS:-60000}
secret=sk_test_bench_deposits_0123456789
port=18498
start_postgres 18499

# run_server [env...]: starts bet2wealth (server_pid), registers $users bench users (their ids, comma-separated, in $user_ids).
run_server() {
  env PORT=$port BIND_ADDRESS=127.0.0.1 LOG_LEVEL=warn SHUTDOWN_DRAIN_SECONDS=0 PAYSTACK_SECRET_KEY=$secret \
    DB_POOL_MAX="$clients" REGISTER_MAX_PER_IP=100000 "$@" "$binary" >"$bench_tmp/server.log" 2>&1 &
  server_pid=$!
  bench_pids+=("$server_pid")
  wait_http "http://127.0.0.1:$port/api/v1/health-check"
  user_ids=$(register_users payer "$users")
}

# deposits_per_second: the rate; the CPU each deposit cost the server and PostgreSQL (µs) goes to
# $bench_tmp/cpu_per_deposit ("server postgres").
deposits_per_second() {
  local rate _p99 server0 pg0
  server0=$(cpu_ticks "$server_pid") pg0=$(postgres_ticks)
  read -r rate _p99 <<<"$(replay /api/v1/payments/paystack/webhook "$bench_tmp/webhooks.txt" '"received"' x-paystack-signature)"
  local done=$((rate * seconds))
  echo "$(micros_per $(($(cpu_ticks "$server_pid") - server0)) "$done") $(micros_per $(($(postgres_ticks) - pg0)) "$done")" \
    >"$bench_tmp/cpu_per_deposit"
  echo "$rate"
}

echo "deposits through the webhook, $clients concurrent deliveries to $users users, $seconds s; wrk on core 1"
# BASELINE=another build (e.g. main's): its rate first, on a database of its own on the same server.
if [ -n "${BASELINE:-}" ]; then
  "${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p 18499 -U postgres baseline
  measured_binary=$binary binary=$BASELINE
  run_server DATABASE_URL="${pg_url%/postgres}/baseline"
  python3 "$bench_root/bench/deposit_prep.py" postgres - "$user_ids" "$count" "$secret" "$bench_tmp/webhooks.txt" \
    | "${as_pg[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p 18499 -U postgres baseline >/dev/null
  baseline_rate=$(deposits_per_second)
  read -r baseline_server_us baseline_pg_us <"$bench_tmp/cpu_per_deposit"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  binary=$measured_binary
fi
run_server DATABASE_URL="$pg_url"
python3 "$bench_root/bench/deposit_prep.py" postgres - "$user_ids" "$count" "$secret" "$bench_tmp/webhooks.txt" \
  | "${as_pg[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p 18499 -U postgres postgres >/dev/null
pg_rate=$(deposits_per_second)
read -r pg_server_us pg_pg_us <"$bench_tmp/cpu_per_deposit"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
# Scale = clients: one branch row per client, so TPC-B is not throttled by a single hot row.
"${as_pg[@]}" "$pg_bin/pgbench" -h 127.0.0.1 -p 18499 -U postgres -i -q -s "$clients" postgres >/dev/null 2>&1
tpcb=$("${as_pg[@]}" "$pg_bin/pgbench" -h 127.0.0.1 -p 18499 -U postgres -c "$clients" -j 1 -T "$seconds" postgres 2>/dev/null \
  | awk '/^tps/ {print int($3)}')
verify_pg=$(env DATABASE_URL="$pg_url" "$binary" ledger verify >/dev/null 2>&1 && echo passed || echo FAILED)

run_server DATA_DIR="$bench_tmp/sqlite"
python3 "$bench_root/bench/deposit_prep.py" sqlite "$bench_tmp/sqlite/bet2wealth.db" "$user_ids" "$count" "$secret" \
  "$bench_tmp/webhooks.txt"
sqlite_rate=$(deposits_per_second)
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
verify_sqlite=$(env DATA_DIR="$bench_tmp/sqlite" "$binary" ledger verify >/dev/null 2>&1 && echo passed || echo FAILED)

printf '%-40s %8s\n' "" "per s" "deposits via webhook (PostgreSQL)" "$pg_rate" "pgbench TPC-B-like (same server)" "$tpcb" \
  "deposits via webhook (SQLite)" "$sqlite_rate"
echo
echo "PostgreSQL deposits / pgbench TPC-B: $(ratio "$pg_rate" "$tpcb")x (target >= 1.0)"
echo "CPU per deposit on PostgreSQL: the server ${pg_server_us} us, PostgreSQL ${pg_pg_us} us"
if [ -n "${BASELINE:-}" ]; then
  echo "before/after: BASELINE $baseline_rate deposits/s ($(ratio "$baseline_rate" "$tpcb")x pgbench), this build $pg_rate: $(ratio "$pg_rate" "$baseline_rate")x"
  echo "  CPU per deposit before: the server ${baseline_server_us} us, PostgreSQL ${baseline_pg_us} us"
fi
echo "ledger verify after the runs: PostgreSQL $verify_pg, SQLite $verify_sqlite"
