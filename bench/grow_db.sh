#!/usr/bin/env bash
# Grows a PostgreSQL database to a year of a large operator's data for bench/scale.sh: at GROW_SCALE=1, 1,000,000
# players, 10,000,000 single bets with their legs, 4,250,000 deposits and 50,000,000 ledger entries, 1,000 events
# (bench/grow_db.sql says what each row is and why `bet2wealth ledger verify` passes on it).
#
#   DATABASE_URL=postgresql://... [BINARY=build/bet2wealth] [GROW_SCALE=0.02] bench/grow_db.sh
#
# The database is migrated first (`bet2wealth migrate`); a template player is registered through the API
# (grow-template@bench.ng, password bench-password-1) and every generated player gets its password hash, so any of
# them logs in: playerN@grow.bench.ng, N = 1..players. Players 1..GROW_HEAVY (10 at 1.0, at least 1) have
# GROW_HEAVY_BETS (10,000) bets each. The tables are loaded without their indexes and constraints, which are then
# rebuilt from their own definitions; the schema is compared before and after (`pg_dump --schema-only`).
# GROW_SCALE up to 1.99 (payment ids have 7 digits).
#
# Phase times (s) measured 2026-12-03 on the 2-core VM (shared), PostgreSQL 15, shared_buffers 2GB, max_wal_size 8GB:
#   scale  setup players events deposits bets legs bet_tx bet_entries house usage indexes vacuum  total  size
#   0.02     0.6     4.2    0.3      5.4  3.0  3.0    4.3         6.5   2.5   5.3    17.1    6.2   59.2  620 MB
#   0.25     0.2     4.3    0.1     18.2 12.4 13.7   19.7        35.7  14.1  33.1   222.1   21.1  395.5  7.6 GB
#   1.0      0.3    26.2    0.4    133.8 64.7 76.0  100.7       200.7  61.4 146.5   648.4   17.5 1477.1   30 GB
#   (1.0: 1,000,001 users, 10M bets and legs, 4.25M payments, 49,514,990 ledger entries; run alone, no verify)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, wait_http (and the cleanup trap)
binary=${BINARY:-$bench_root/build/bet2wealth}
url=${DATABASE_URL:?DATABASE_URL names the database to grow}
scale=${GROW_SCALE:-1}
heavy_bets=${GROW_HEAVY_BETS:-10000}
read -r players heavy bets < <(awk -v s="$scale" 'BEGIN {
  h = int(10 * s + 0.5); if (h < 1) h = 1
  printf "%d %d %d\n", int(1000000 * s + 0.5), h, int(10000000 * s + 0.5) }')
heavy=${GROW_HEAVY:-$heavy}
if [ "$players" -le "$heavy" ] || [ "$bets" -lt $((heavy * heavy_bets)) ] || [ $((players * 5)) -gt 9999999 ]; then
  echo "grow_db: GROW_SCALE=$scale gives $players players, $heavy heavy with $heavy_bets bets each, $bets bets:" \
    "too few bets or players for the heavy ones (or over 1.99)" >&2
  exit 2
fi
pg_bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort | tail -1)
psql_grow() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 "$url" "$@"; }

env DATABASE_URL="$url" LOG_LEVEL=warn "$binary" migrate

# The template player, registered through the API.
port=${GROW_PORT:-18690}
clients=4
base="http://127.0.0.1:$port/api/v1"
# shellcheck source=bench/book.sh
source "$(dirname "$0")/book.sh"  # run_server, stop_server
run_server DATABASE_URL="$url"
curl -fs -o /dev/null -H 'Content-Type: application/json' \
  -d '{"email":"grow-template@bench.ng","password":"bench-password-1","date_of_birth":"1990-06-15"}' \
  "$base/auth/register" || true  # registered by an earlier run
stop_server 2>/dev/null
password_hash=$(psql_grow -At -c "SELECT password_hash FROM users WHERE email = 'grow-template@bench.ng'")
[ -n "$password_hash" ] || { echo "grow_db: the template player did not register" >&2; exit 1; }

echo "growing database ${url##*/} at GROW_SCALE=$scale: $players players ($heavy with $heavy_bets bets" \
  "each), $bets bets"
schema() { "$pg_bin/pg_dump" --schema-only "$url" | grep -v '^\\\(un\)\?restrict '; }  # a random key each dump
schema >"$bench_tmp/schema-before.sql"
sql="$bench_root/bench/grow_db.sql"
timings=""
total_start=$(date +%s.%N)
mapfile -t phases < <(awk '/^-- phase: / {print $3}' "$sql")
for phase in "${phases[@]}"; do
  start=$(date +%s.%N)
  awk -v p="$phase" '/^-- phase: / {on = ($3 == p); next} on' "$sql" \
    | PGOPTIONS="-c client_min_messages=warning -c maintenance_work_mem=1GB -c work_mem=1GB -c synchronous_commit=off" psql_grow \
      -v users="$players" -v heavy="$heavy" -v heavy_bets="$heavy_bets" -v bets="$bets" \
      -v password_hash="$password_hash" -v date_of_birth=1990-06-15 -f -
  took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  timings+="$phase=$took "
  echo "  $phase: ${took}s"
done
total=$(awk -v a="$total_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
schema >"$bench_tmp/schema-after.sql"
if ! diff -u "$bench_tmp/schema-before.sql" "$bench_tmp/schema-after.sql" >&2; then
  echo "grow_db: the schema after the load differs from the migrated one" >&2
  exit 1
fi
counts=$(psql_grow -At -F ' ' -c "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM bets),
  (SELECT count(*) FROM bet_legs), (SELECT count(*) FROM payments), (SELECT count(*) FROM ledger_entries),
  (SELECT count(*) FROM events), pg_size_pretty(pg_database_size(current_database()))")
read -r n_users n_bets n_legs n_payments n_entries n_events size <<<"$counts"
echo "grown in ${total}s: $n_users users, $n_bets bets, $n_legs legs, $n_payments payments, $n_entries ledger entries," \
  "$n_events events; $size; schema as migrated"
echo "phases (s): $timings"
