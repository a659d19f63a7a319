#!/usr/bin/env bash
# Issue 20's figure: bets placed per second on PostgreSQL when every punter has deposit, stake and loss limits
# (each bet locks the punter's limit rows and sums the windows' ledger entries in its transaction) vs the same
# punters without limits, same server, same run. Rounds alternate (without, with, without, with) so the
# machine's drift falls on both sides. Target: with / without >= 0.85.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, run_wrk, ratio, start_postgres, wait_http
binary=${BINARY:-$bench_root/build/bet2wealth}
seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-16}
users=${BENCH_USERS:-64}
placed_total=0
port=18690
base="http://127.0.0.1:$port/api/v1"
pg_port=18691
start_postgres "$pg_port"
# shellcheck source=bench/book.sh
source "$(dirname "$0")/book.sh"  # run_server, stop_server, new_market, setup_book, place_bets, json_field

# set_limits AMOUNT|null: every punter's nine limits (high enough never to refuse a bet of the run).
set_limits() {
  local body="" kind period token
  for kind in deposit stake loss; do
    for period in day week month; do
      body+="${body:+,}{\"kind\":\"$kind\",\"period\":\"$period\",\"amount\":$1}"
    done
  done
  while read -r token; do
    curl -fs -o /dev/null -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"limits\":[$body]}" "$base/users/me/limits"
  done <"$bench_tmp/tokens"
}

echo "bets: $clients concurrent clients over $users users, wrk on core 1, $seconds s a round; PostgreSQL"
run_server DATABASE_URL="$pg_url" PLAYER_LIMIT_COOLING_OFF=1s
setup_book postgres - DATABASE_URL="$pg_url"
place_bets warm 2 >/dev/null
without=() with=()
for round in 1 2; do
  set_limits null
  sleep 2  # removals wait out the 1 s cooling-off
  without+=("$(place_bets "without$round" "$seconds")")
  set_limits 1000000000000
  with+=("$(place_bets "with$round" "$seconds")")
done
stop_server
verify_pg=$(env DATABASE_URL="$pg_url" "$binary" ledger verify >/dev/null 2>&1 && echo passed || echo FAILED)
sum() { local t=0 v; for v in "$@"; do t=$((t + v)); done; echo "$t"; }
printf '%-40s %s\n' "bets placed per s without limits" "${without[*]}" "bets placed per s with nine limits each" "${with[*]}"
echo "with limits / without: $(ratio "$(sum "${with[@]}")" "$(sum "${without[@]}")")x (target >= 0.85)"
echo "ledger verify after the runs: $verify_pg"
