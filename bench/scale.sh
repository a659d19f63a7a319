#!/usr/bin/env bash
# The money and listing paths on a grown database vs a fresh one, in one run on one PostgreSQL server started here:
# database `fresh` (migrated, empty) and database `grown` (bench/grow_db.sh at GROW_SCALE, default 1: 1M players,
# 10M bets, 50M ledger entries). The grown one is built first; then each database in turn, with the same server
# settings, gets the same load through the same server binary:
#  - bets placed per second (16 clients over 64 funded punters registered for the run, one hot market, as
#    bench/sportsbook.sh);
#  - GET /bets and GET /wallet/transactions for one reader, first page and a deep cursor: on `grown` a heavy bettor
#    (player1, 10,000 bets; the cursor 9,000 bets or wallet lines down), on `fresh` the first punter after the
#    placement (the cursor 90% down its history);
#  - logins per second (16 accounts in turn; on `grown`, generated players);
#  - deposits completed per second through the signed Paystack webhook (as bench/deposits.sh; on `grown`, to
#    generated players);
#  - the time to settle a market with 10,000 open bets;
# and prints each grown/fresh ratio against the target (>= 0.8). Then `ledger verify` on both, timed on `grown`
# (entries per second), and the plans of the listing queries on `grown` (EXPLAIN ANALYZE).
# BINARY, GROW_SCALE, BENCH_SECONDS, BENCH_CLIENTS override; TMPDIR holds the data directory (~25 GB at 1.0).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, run_wrk, replay, ratio, start_postgres
binary=${BINARY:-$bench_root/build/bet2wealth}
scale=${GROW_SCALE:-1}
seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-16}
users=${BENCH_USERS:-64}
settle_bets=${BENCH_SETTLE_BETS:-10000}
deposits=${BENCH_DEPOSITS:-60000}
secret=sk_test_bench_scale_0123456789
placed_total=0
port=18692
pg_port=18693
base="http://127.0.0.1:$port/api/v1"

need_gb=$(awk -v s="$scale" 'BEGIN { printf "%d", 30 * s + 3 }')
free_gb=$(df -P -B1G "$bench_tmp" | awk 'NR == 2 {print $4}')
if [ "$free_gb" -lt "$need_gb" ]; then
  echo "scale: $free_gb GB free under $bench_tmp, GROW_SCALE=$scale needs about $need_gb GB (set TMPDIR)" >&2
  exit 2
fi
# The same settings for both databases: a cache that is a fraction of the grown one, WAL sized for the bulk load.
start_postgres "$pg_port" "-c shared_buffers=2GB -c max_wal_size=8GB"
for db in fresh grown; do "${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$db"; done
db_url() { echo "postgresql://postgres@127.0.0.1:$pg_port/$1"; }
psql_db() { "${as_pg[@]}" "$pg_bin/psql" -X -q -At -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }

# shellcheck source=bench/book.sh
source "$(dirname "$0")/book.sh"  # run_server, stop_server, setup_book, place_bets, settle_time, json_field

echo "== growing database grown (GROW_SCALE=$scale)"
DATABASE_URL=$(db_url grown) BINARY="$binary" GROW_SCALE="$scale" GROW_PORT=18694 bash "$bench_root/bench/grow_db.sh" \
  | tee "$bench_tmp/grow.log"
heavy_bets=${GROW_HEAVY_BETS:-10000}
psql_db -d grown -c "CHECKPOINT"  # the load's dirty pages written now, not during the fresh database's turn

login_token() {
  curl -fs -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"bench-password-1\"}" \
    "$base/auth/login" | json_field '["access_token"]'
}
# cursor AT ID: the API's opaque cursor (api/pagination.cpp: base64url of "created_at:id").
cursor() { python3 -c 'import base64,sys; print(base64.urlsafe_b64encode(sys.argv[1].encode()).decode().rstrip("="))' "$1:$2"; }

declare -A fig
# measure DB: every figure on database DB, into fig[DB.name].
measure() {
  local db=$1 url
  url=$(db_url "$db")
  pg_db=$db
  echo "== $db"
  run_server DATABASE_URL="$url" PAYSTACK_SECRET_KEY="$secret" DB_QUERY_TIMEOUT=60s
  setup_book postgres - DATABASE_URL="$url"
  fig[$db.bets]=$(place_bets warm 2 >/dev/null; place_bets main "$seconds")
  echo "bets placed/s: ${fig[$db.bets]}"

  # The reader and how deep its cursors go.
  local reader reader_id token depth at id
  if [ "$db" = grown ]; then
    reader=player1@grow.bench.ng
    reader_id=$(psql_db -d "$db" -c "SELECT id FROM users WHERE email = '$reader'")
    token=$(login_token "$reader")
  else
    reader_id=$(head -1 "$bench_tmp/user_ids")
    token=$(head -1 "$bench_tmp/tokens")
  fi
  local count
  count=$(psql_db -d "$db" -c "SELECT count(*) FROM bets WHERE user_id = '$reader_id'")
  depth=$((count * 9 / 10))
  [ "$db" = grown ] && depth=$((heavy_bets * 9 / 10))
  IFS='|' read -r at id <<<"$(psql_db -d "$db" -c "SELECT created_at, id FROM bets WHERE user_id = '$reader_id'
    ORDER BY created_at DESC, id DESC OFFSET $depth LIMIT 1")"
  fig[$db.bets_cursor]=$(cursor "$at" "$id")
  fig[$db.bets_depth]=$depth
  count=$(psql_db -d "$db" -c "SELECT count(*) FROM ledger_entries WHERE account_id = 'wallet:$reader_id'")
  depth=$((count * 9 / 10))
  [ "$db" = grown ] && depth=$((heavy_bets * 9 / 10))
  IFS='|' read -r at id <<<"$(psql_db -d "$db" -c "SELECT created_at, transaction_id FROM ledger_entries
    WHERE account_id = 'wallet:$reader_id' ORDER BY created_at DESC, transaction_id DESC OFFSET $depth LIMIT 1")"
  fig[$db.lines_cursor]=$(cursor "$at" "$id")
  fig[$db.lines_depth]=$depth
  fig[$db.reader]=$reader_id
  local path rps _p99
  for path in bets_first:"bets?limit=20" bets_deep:"bets?limit=20&cursor=${fig[$db.bets_cursor]}" \
    lines_first:"wallet/transactions?limit=20" lines_deep:"wallet/transactions?limit=20&cursor=${fig[$db.lines_cursor]}"; do
    curl -fs -o /dev/null -H "Authorization: Bearer $token" "$base/${path#*:}" || { echo "scale: GET $base/${path#*:} failed" >&2; return 1; }
    read -r rps _p99 <<<"$(BENCH_HEADER="Authorization: Bearer $token" BENCH_CONNECTIONS=$clients run_wrk "$base/${path#*:}")"
    fig[$db.${path%%:*}]=$rps
    echo "GET /${path#*:}: $rps/s"
  done

  # Logins: 16 accounts in turn (one account verifies one password at a time); on grown, players past the heavy ones.
  local email=punter%d@bench.ng first=1
  if [ "$db" = grown ]; then email=player%d@grow.bench.ng first=100; fi
  login_token "${email/\%d/$first}" >/dev/null
  fig[$db.logins]=$(BENCH_LOGIN_EMAIL=$email BENCH_LOGIN_FIRST=$first BENCH_PASSWORD=bench-password-1 taskset -c 1 \
    wrk -t1 -c8 -d"${seconds}s" -s "$bench_root/bench/login.lua" "$base/auth/login" | awk '/Requests\/sec:/ {print $2}')
  echo "logins/s: ${fig[$db.logins]}"

  # Deposits through the webhook, to the punters (fresh) or to generated players (grown).
  local payers
  if [ "$db" = grown ]; then
    payers=$(psql_db -d grown -c "SELECT string_agg(id, ',') FROM (SELECT id FROM users WHERE email LIKE 'player%'
      ORDER BY id OFFSET 100 LIMIT $users) u")
  else
    payers=$(paste -sd, "$bench_tmp/user_ids")
  fi
  python3 "$bench_root/bench/deposit_prep.py" postgres - "$payers" "$deposits" "$secret" "$bench_tmp/webhooks.txt" \
    | psql_db -d "$db" >/dev/null
  read -r rps _p99 <<<"$(replay /api/v1/payments/paystack/webhook "$bench_tmp/webhooks.txt" '"received"' x-paystack-signature)"
  fig[$db.deposits]=$rps
  echo "deposits/s: $rps"

  fig[$db.settle]=$(settle_time)
  fig[$db.settled]=$(json_field '["bets_settled"]' <"$bench_tmp/settled.json")
  echo "settled ${fig[$db.settled]} bets in ${fig[$db.settle]} s"
  stop_server

  local start took
  start=$(date +%s.%N)
  fig[$db.verify]=$(env DATABASE_URL="$url" DB_QUERY_TIMEOUT=24h LOG_LEVEL=warn "$binary" ledger verify >"$bench_tmp/verify.log" 2>&1 \
    && echo passed || echo FAILED)
  took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  fig[$db.verify_s]=$took
  fig[$db.entries]=$(psql_db -d "$db" -c "SELECT count(*) FROM ledger_entries")
  echo "ledger verify: ${fig[$db.verify]} in ${took}s (${fig[$db.entries]} entries)"
  [ "${fig[$db.verify]}" = passed ] || tail -5 "$bench_tmp/verify.log" >&2
}

measure fresh
measure grown

# The listing statements' plans on the grown database, as the repositories send them (store/bets.cpp list,
# store/ledger.cpp history) for the deep cursors.
explain() {
  psql_db -d grown -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $1" | sed 's/^/    /'
}
IFS=: read -r b_at b_id < <(python3 -c 'import base64,sys; s = sys.argv[1]; print(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)).decode())' "${fig[grown.bets_cursor]}")
IFS=: read -r l_at l_id < <(python3 -c 'import base64,sys; s = sys.argv[1]; print(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)).decode())' "${fig[grown.lines_cursor]}")
r=${fig[grown.reader]}
echo
echo "== plans on grown (deep cursors)"
echo "  GET /bets:"
explain "SELECT * FROM bets WHERE user_id = '$r' AND (created_at < $b_at OR (created_at = $b_at AND id < '$b_id'))
  ORDER BY created_at DESC, id DESC LIMIT 21"
echo "  GET /wallet/transactions:"
explain "SELECT e.transaction_id, t.kind, e.amount, e.balance_after, t.reference, e.created_at FROM ledger_entries e
  JOIN ledger_transactions t ON t.id = e.transaction_id WHERE e.account_id = 'wallet:$r'
  AND (e.created_at < $l_at OR (e.created_at = $l_at AND e.transaction_id < '$l_id'))
  ORDER BY e.created_at DESC, e.transaction_id DESC LIMIT 21"
echo "  GET /bets with the cursor as a row comparison (what the index can seek to):"
explain "SELECT * FROM bets WHERE user_id = '$r' AND (created_at, id) < ($b_at, '$b_id')
  ORDER BY created_at DESC, id DESC LIMIT 21"

echo
echo "== grown (GROW_SCALE=$scale; $(grep '^grown in' "$bench_tmp/grow.log")) vs fresh, one server, one run"
echo "   $(grep '^phases' "$bench_tmp/grow.log")"
printf '%-44s %12s %12s %7s\n' "" fresh grown ratio
row() {  # row LABEL KEY [time]: a rate (or, with "time", a duration: the ratio is fresh/grown) and its ratio
  local r
  if [ "${3:-}" = time ]; then r=$(ratio "${fig[fresh.$2]}" "${fig[grown.$2]}"); else r=$(ratio "${fig[grown.$2]}" "${fig[fresh.$2]}"); fi
  local verdict=ok
  awk -v r="$r" 'BEGIN { exit !(r + 0 < 0.8) }' && verdict="MISSES 0.8"
  printf '%-44s %12s %12s %6sx  %s\n' "$1" "${fig[fresh.$2]}" "${fig[grown.$2]}" "$r" "$verdict"
}
row "bets placed/s" bets
row "GET /bets first page/s" bets_first
row "GET /bets deep cursor/s (fresh ${fig[fresh.bets_depth]}, grown ${fig[grown.bets_depth]} down)" bets_deep
row "GET /wallet/transactions first page/s" lines_first
row "GET /wallet/transactions deep cursor/s (${fig[fresh.lines_depth]}, ${fig[grown.lines_depth]})" lines_deep
row "logins/s" logins
row "deposits/s (webhook)" deposits
row "settle a 10,000-bet market (s; ratio fresh/grown)" settle time
echo "(target: each ratio >= 0.8; settled bets: fresh ${fig[fresh.settled]}, grown ${fig[grown.settled]})"
echo "ledger verify: fresh ${fig[fresh.verify]} (${fig[fresh.verify_s]} s), grown ${fig[grown.verify]}:" \
  "${fig[grown.entries]} entries in ${fig[grown.verify_s]} s," \
  "$(awk -v n="${fig[grown.entries]}" -v s="${fig[grown.verify_s]}" 'BEGIN { printf "%.0f", n / s }') entries/s"
