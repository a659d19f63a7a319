#!/usr/bin/env bash
# Casino seamless-wallet callbacks (Fundist debit and credit, signed) answered OK per second on PostgreSQL vs
# pgbench's TPC-B-like script on the same server in the same run, with their p99; then on embedded SQLite.
# Each callback is one SQL transaction: the claim of its tid, the double-entry posting, the balance.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, ratio, start_postgres
binary=${BINARY:-$bench_root/build/bet2wealth}
seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-16}
players=${BENCH_PLAYERS:-64}
rounds=${BENCH_ROUNDS:-60000}  # 2 callbacks each: more than the run can send
secret=bench-fundist-hmac-secret
port=18496
start_postgres 18497

# run_server [env...]: starts bet2wealth (server_pid), registers $players players (their logins in $logins).
run_server() {
  env PORT=$port BIND_ADDRESS=127.0.0.1 LOG_LEVEL=warn SHUTDOWN_DRAIN_SECONDS=0 FUNDIST_HMAC_SECRET=$secret \
    DB_POOL_MAX="$clients" REGISTER_MAX_PER_IP=100000 "$@" "$binary" >"$bench_tmp/server.log" 2>&1 &
  server_pid=$!
  bench_pids+=("$server_pid")
  wait_http "http://127.0.0.1:$port/api/v1/health-check"
  logins=$(register_users player "$players" | sed 's/usr_//g')
  python3 "$bench_root/bench/casino_prep.py" "$logins" "$rounds" "$secret" "$bench_tmp/fund.txt" "$bench_tmp/load.txt"
  while read -r body; do
    curl -fs -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/v1/casino/fundist/callback" \
      | grep -q '"status":"OK"' || { echo "bench: a funding credit was refused" >&2; exit 1; }
  done <"$bench_tmp/fund.txt"
}

# callbacks: prints "<answered OK per s> <p99 ms>".
callbacks() { replay /api/v1/casino/fundist/callback "$bench_tmp/load.txt" '"status":"OK"'; }

echo "casino callbacks (debit 1.00, credit 0.90 in turn), $clients concurrent, $players players, $seconds s; wrk on core 1"
run_server DATABASE_URL="$pg_url"
read -r pg_rate pg_p99 <<<"$(callbacks)"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
verify_pg=$(env DATABASE_URL="$pg_url" "$binary" ledger verify >/dev/null 2>&1 && echo passed || echo FAILED)
# Scale = clients: one branch row per client, so TPC-B is not throttled by a single hot row.
"${as_pg[@]}" "$pg_bin/pgbench" -h 127.0.0.1 -p 18497 -U postgres -i -q -s "$clients" postgres >/dev/null 2>&1
pgbench_out=$("${as_pg[@]}" "$pg_bin/pgbench" -h 127.0.0.1 -p 18497 -U postgres -c "$clients" -j 1 -T "$seconds" \
  postgres 2>/dev/null)
tpcb=$(awk '/^tps/ {print int($3)}' <<<"$pgbench_out")
tpcb_latency=$(awk '/^latency average/ {print $4}' <<<"$pgbench_out")

run_server DATA_DIR="$bench_tmp/sqlite"
read -r sqlite_rate sqlite_p99 <<<"$(callbacks)"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
verify_sqlite=$(env DATA_DIR="$bench_tmp/sqlite" "$binary" ledger verify >/dev/null 2>&1 && echo passed || echo FAILED)

printf '%-44s %8s %10s\n' "" "per s" "p99 ms" \
  "casino callbacks (PostgreSQL)" "$pg_rate" "$pg_p99" \
  "pgbench TPC-B-like (same server)" "$tpcb" "avg $tpcb_latency" \
  "casino callbacks (SQLite)" "$sqlite_rate" "$sqlite_p99"
echo
echo "PostgreSQL callbacks / pgbench TPC-B: $(ratio "$pg_rate" "$tpcb")x (target >= 0.8)"
echo "ledger verify after the runs: PostgreSQL $verify_pg, SQLite $verify_sqlite"
