#!/usr/bin/env bash
# The sportsbook's three figures, in one run:
#  1. bets placed per second on PostgreSQL (every check, the stake's double-entry posting and the
#     idempotency key in one transaction each) vs pgbench's TPC-B-like script on the same server;
#  2. GET /events served from the catalogue cache vs the health-check on the same server;
#  3. the time to settle a market with 10,000 open bets, on PostgreSQL and on embedded SQLite.
# Then the same placement rate on SQLite, and `ledger verify` after each backend.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, run_wrk, ratio, start_postgres, wait_http
binary=${BINARY:-$bench_root/build/bet2wealth}
seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-16}
users=${BENCH_USERS:-64}
settle_bets=${BENCH_SETTLE_BETS:-10000}
placed_total=0
port=18590
base="http://127.0.0.1:$port/api/v1"
pg_port=18591
start_postgres "$pg_port"

# shellcheck source=bench/book.sh
source "$(dirname "$0")/book.sh"  # run_server, stop_server, new_market, setup_book, place_bets, json_field

echo "bets: $clients concurrent clients over $users users, wrk on core 1, $seconds s; server and database unpinned"

# BASELINE=another build (e.g. main's): its placement rate first, on a database of its own on the same server.
if [ -n "${BASELINE:-}" ]; then
  "${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres baseline
  baseline_url="${pg_url%/postgres}/baseline"
  measured_binary=$binary binary=$BASELINE
  run_server DATABASE_URL="$baseline_url"
  pg_db=baseline setup_book postgres - DATABASE_URL="$baseline_url"
  baseline_bets=$(place_bets warm 2 >/dev/null; place_bets main "$seconds")
  read -r baseline_server_us baseline_pg_us <"$bench_tmp/cpu_per_bet"
  stop_server
  binary=$measured_binary
fi

run_server DATABASE_URL="$pg_url"
setup_book postgres - DATABASE_URL="$pg_url"
pg_bets=$(place_bets warm 2 >/dev/null; place_bets main "$seconds")
read -r pg_server_us pg_pg_us <"$bench_tmp/cpu_per_bet"
health=$(run_wrk "$base/health-check")
events=$(run_wrk "$base/events")
pg_settle=$(settle_time)
pg_settled=$(json_field '["bets_settled"]' <"$bench_tmp/settled.json")
stop_server
verify_pg=$(env DATABASE_URL="$pg_url" "$binary" ledger verify >/dev/null 2>&1 && echo passed || echo FAILED)
# Scale = clients: one branch row per client, so TPC-B is not throttled by a single hot row.
"${as_pg[@]}" "$pg_bin/pgbench" -h 127.0.0.1 -p 18591 -U postgres -i -q -s "$clients" postgres >/dev/null 2>&1
tpcb=$("${as_pg[@]}" "$pg_bin/pgbench" -h 127.0.0.1 -p 18591 -U postgres -c "$clients" -j 1 -T "$seconds" postgres 2>/dev/null \
  | awk '/^tps/ {print int($3)}')

mkdir -p "$bench_tmp/sqlite"
run_server DATA_DIR="$bench_tmp/sqlite"
setup_book sqlite "$bench_tmp/sqlite/bet2wealth.db" DATA_DIR="$bench_tmp/sqlite"
sqlite_bets=$(place_bets warm 2 >/dev/null; place_bets main "$seconds")
sqlite_settle=$(settle_time)
sqlite_settled=$(json_field '["bets_settled"]' <"$bench_tmp/settled.json")
stop_server
verify_sqlite=$(env DATA_DIR="$bench_tmp/sqlite" "$binary" ledger verify >/dev/null 2>&1 && echo passed || echo FAILED)

read -r h_rps h_p99 <<<"$health"
read -r e_rps e_p99 <<<"$events"
printf '%-44s %10s\n' "" "per s" "bets placed (PostgreSQL)" "$pg_bets" "pgbench TPC-B-like (scale $clients, $clients clients)" "$tpcb" \
  "bets placed (SQLite)" "$sqlite_bets" "GET /health-check" "$h_rps" "GET /events (10 events, from the cache)" "$e_rps"
echo
echo "bets on PostgreSQL / pgbench TPC-B: $(ratio "$pg_bets" "$tpcb")x (target >= 1.0)"
echo "CPU per bet on PostgreSQL: the server ${pg_server_us} us, PostgreSQL ${pg_pg_us} us"
if [ -n "${BASELINE:-}" ]; then
  echo "before/after: BASELINE placed $baseline_bets bets/s ($(ratio "$baseline_bets" "$tpcb")x pgbench), this build $pg_bets: $(ratio "$pg_bets" "$baseline_bets")x"
  echo "  CPU per bet before: the server ${baseline_server_us} us, PostgreSQL ${baseline_pg_us} us"
fi
echo "GET /events / health-check: $(ratio "$e_rps" "$h_rps")x (target >= 0.5); p99 $e_p99 ms vs $h_p99 ms"
echo "settling a market: PostgreSQL $pg_settled bets in ${pg_settle}s, SQLite $sqlite_settled bets in ${sqlite_settle}s (targets for 10,000: <= 1 s on PostgreSQL, <= 2 s on SQLite)"
echo "ledger verify after the runs: PostgreSQL $verify_pg, SQLite $verify_sqlite"
