#!/usr/bin/env bash
# The trading feed (POST /feed/messages, issue 22) on PostgreSQL, in one run:
#  1. selection odds applied per second: 100 events x 10 markets x 3 outcomes (1,000 markets) created through the
#     feed, then $feed_threads posters sending signed odds_change batches (one message per event, every market,
#     all 3 outcomes) as fast as answered (bench/feed_load.py), with one transaction per event (FEED_TRANSACTION=event);
#  2. bets placed per second on 10 of those markets alone, then with the feed running at the same time;
#  3. the feed alone and with bets again with one transaction per batch (FEED_TRANSACTION=batch): the other shape.
# Then `ledger verify`. Bounded: about 2 minutes.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, run_wrk, ratio, start_postgres, wait_http
binary=${BINARY:-$bench_root/build/bet2wealth}
seconds=${BENCH_SECONDS:-8}
clients=${BENCH_CLIENTS:-16}
users=${BENCH_USERS:-32}
feed_threads=${BENCH_FEED_THREADS:-4}
events=100
markets_per_event=10
bet_markets=10
placed_total=0
port=18690
base="http://127.0.0.1:$port/api/v1"
pg_port=18691
secret=bench-feed-secret-0123456789
start_postgres "$pg_port"

# shellcheck source=bench/book.sh
source "$(dirname "$0")/book.sh"  # run_server, stop_server, setup_book, place_bets, json_field

feed_run() { python3 "$bench_root/bench/feed_load.py" run "$base" "$secret" "$events" "$markets_per_event" "$1" "$feed_threads"; }

echo "feed: $events events x $markets_per_event markets x 3 outcomes, $feed_threads posters (python, unpinned);" \
  "bets: $clients clients over $users users on $bet_markets of the markets, wrk on core 1; $seconds s each"

run_server DATABASE_URL="$pg_url" FEED_HMAC_SECRET="$secret" FEED_MAX_BATCH=500 FEED_TRANSACTION=event \
  DB_POOL_MAX=$((clients + feed_threads))
setup_book postgres - DATABASE_URL="$pg_url"
selection=$(python3 "$bench_root/bench/feed_load.py" setup "$base" "$secret" "$events" "$markets_per_event" "$bet_markets")

feed_run 2 >/dev/null  # warm-up
read -r alone_updates alone_messages alone_batches alone_p50 alone_p99 <<<"$(feed_run "$seconds")"
place_bets warm 2 >/dev/null
bets_alone=$(place_bets alone "$seconds")

feed_run "$seconds" >"$bench_tmp/feed_with_bets" &
feed_pid=$!
bets_with_feed=$(place_bets with_feed "$seconds")
wait "$feed_pid"
read -r with_updates with_messages _ with_p50 with_p99 <"$bench_tmp/feed_with_bets"
stop_server

run_server DATABASE_URL="$pg_url" FEED_HMAC_SECRET="$secret" FEED_MAX_BATCH=500 FEED_TRANSACTION=batch \
  DB_POOL_MAX=$((clients + feed_threads))
feed_run 2 >/dev/null
read -r batch_updates batch_messages _ batch_p50 batch_p99 <<<"$(feed_run "$seconds")"
feed_run "$seconds" >"$bench_tmp/batch_with_bets" &
feed_pid=$!
bets_with_batch_feed=$(place_bets with_batch_feed "$seconds")
wait "$feed_pid"
read -r batch_with_updates batch_with_messages _ batch_with_p50 batch_with_p99 <"$bench_tmp/batch_with_bets"
stop_server
verify=$(env DATABASE_URL="$pg_url" "$binary" ledger verify >/dev/null 2>&1 && echo passed || echo FAILED)

printf '%-58s %12s %12s %14s\n' "" "odds/s" "messages/s" "batch p50/p99" \
  "feed alone, one transaction per event" "$alone_updates" "$alone_messages" "$alone_p50/$alone_p99 ms" \
  "feed alone, one transaction per batch" "$batch_updates" "$batch_messages" "$batch_p50/$batch_p99 ms" \
  "feed while bets are placed, per event" "$with_updates" "$with_messages" "$with_p50/$with_p99 ms" \
  "feed while bets are placed, per batch" "$batch_with_updates" "$batch_with_messages" "$batch_with_p50/$batch_with_p99 ms"
printf '%-58s %12s\n' "bets placed alone" "$bets_alone" "bets placed while the feed runs (per event)" "$bets_with_feed" \
  "bets placed while the feed runs (per batch)" "$bets_with_batch_feed"
echo
echo "selection odds applied per second with bets placed: $with_updates (target >= 5000); alone: $alone_updates ($alone_batches batches)"
echo "bets with the feed / without: $(ratio "$bets_with_feed" "$bets_alone")x (target >= 0.5)"
echo "one transaction per batch / per event: feed alone $(ratio "$batch_updates" "$alone_updates")x," \
  "feed with bets $(ratio "$batch_with_updates" "$with_updates")x, bets $(ratio "$bets_with_batch_feed" "$bets_with_feed")x"
echo "ledger verify after the runs: $verify"
