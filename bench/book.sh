#!/usr/bin/env bash
# A sportsbook to bench against, shared by bench/sportsbook.sh and bench/limits.sh (sourced after bench/lib.sh,
# with binary, port, pg_port, base, clients, users and placed_total set): the server, an admin, markets, funded punters,
# and wrk placing bets.
# shellcheck disable=SC2154,SC2317  # the sourcing script sets the variables and calls the functions


json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# run_server ENV...: bet2wealth with the given store settings (server_pid).
run_server() {
  env PORT="$port" BIND_ADDRESS=127.0.0.1 LOG_LEVEL="${BENCH_LOG_LEVEL:-warn}" SHUTDOWN_DRAIN_SECONDS=0 DB_POOL_MAX="$clients" \
    RATE_LIMIT_PERMISSION_POINTS=1000000 RATE_LIMIT_DURATION_SECONDS=1 REGISTER_MAX_PER_IP=100000 \
    LOGIN_MAX_ATTEMPTS_PER_IP=100000 JWT_SECRET=bench-jwt-secret-0123456789abcdefghij \
    JWT_REFRESH_SECRET=bench-refresh-secret-0123456789abcdefgh MIN_STAKE=100 "$@" "$binary" >"$bench_tmp/server.log" 2>&1 &
  server_pid=$!
  bench_pids+=("$server_pid")
  wait_http "$base/health-check" || { cat "$bench_tmp/server.log" >&2; return 1; }
}
stop_server() {
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  grep -h "market settled" "$bench_tmp/server.log" >&2 || true
}

# new_market ODDS...: a market on a new event; prints the market's JSON.
new_market() {
  local e selections="" odds
  e=$(curl -fs -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"sport\":\"football\",\"home\":\"Home $RANDOM\",\"away\":\"Away $RANDOM\",\"starts_at\":\"$starts\"}" \
    "$base/admin/events" | json_field '["id"]')
  for odds in "$@"; do selections+="${selections:+,}{\"name\":\"At $odds\",\"odds\":\"$odds\"}"; done
  curl -fs -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"name\":\"1X2\",\"selections\":[$selections]}" "$base/admin/events/$e/markets"
}

# setup_book FUND_KIND FUND_TARGET ENV...: an admin, ten events with a market each, $users funded users
# (tokens in $bench_tmp/tokens, ids in $bench_tmp/user_ids, a line each); sets selection (on the market bets are
# placed on). On PostgreSQL the users are funded in database $pg_db (default postgres).
setup_book() {
  local kind=$1 target=$2
  shift 2
  printf 'bench-admin-password\n' | env "$@" "$binary" admin create --email admin@bench.ng >/dev/null 2>&1
  admin=$(curl -fs -H 'Content-Type: application/json' -d '{"email":"admin@bench.ng","password":"bench-admin-password"}' \
    "$base/auth/login" | json_field '["access_token"]')
  starts=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
  selection=$(new_market 1.85 3.20 4.00 | json_field '["selections"][0]["id"]')
  for _ in 1 2 3 4 5 6 7 8 9; do new_market 2.10 3.10 3.30 >/dev/null; done
  : >"$bench_tmp/tokens"
  local ids=()
  for i in $(seq 1 "$users"); do
    local r
    r=$(curl -fs -H 'Content-Type: application/json' -d "{\"email\":\"punter$i@bench.ng\",\"password\":\"bench-password-1\",\"date_of_birth\":\"1990-06-15\"}" \
      "$base/auth/register")
    json_field '["access_token"]' <<<"$r" >>"$bench_tmp/tokens"
    ids+=("$(json_field '["user"]["id"]' <<<"$r")")
  done
  printf '%s\n' "${ids[@]}" >"$bench_tmp/user_ids"
  if [ "$kind" = postgres ]; then
    python3 "$bench_root/bench/fund_prep.py" postgres - 10000000000 "${ids[@]}" \
      | "${as_pg[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres "${pg_db:-postgres}" >/dev/null
  else
    python3 "$bench_root/bench/fund_prep.py" sqlite "$target" 10000000000 "${ids[@]}"
  fi
}

# place_bets RUN SECONDS [LIMIT]: bets placed per second by wrk ($clients connections), on $selection; the CPU
# each bet cost the server and PostgreSQL (µs) goes to $bench_tmp/cpu_per_bet ("server postgres").
place_bets() {
  local out ok server0 pg0
  server0=$(cpu_ticks "$server_pid") pg0=$(postgres_ticks)
  out=$(BENCH_TOKENS="$bench_tmp/tokens" BENCH_SELECTION="$selection" BENCH_ODDS=1.85 BENCH_STAKE=1000 BENCH_RUN="$1" \
    BENCH_LIMIT="${3:-0}" taskset -c 1 wrk -t1 -c"$clients" -d"$2s" -s "$bench_root/bench/bets.lua" "$base/bets")
  ok=$(awk '/BETS_OK/ {print $2}' <<<"$out")
  echo "$(micros_per $(($(cpu_ticks "$server_pid") - server0)) "$ok") $(micros_per $(($(postgres_ticks) - pg0)) "$ok")" \
    >"$bench_tmp/cpu_per_bet"
  placed_total=$((placed_total + ok))
  awk -v n="$ok" -v s="$2" 'BEGIN { printf "%.0f", n / s }'
}

# settle_time: a new market with exactly $settle_bets open bets; prints how long settling it takes (s).
settle_time() {
  local market round=0
  market=$(new_market 1.85 3.20 4.00)
  selection=$(json_field '["selections"][0]["id"]' <<<"$market")
  placed_total=0
  while [ "$placed_total" -lt "$settle_bets" ]; do
    round=$((round + 1))
    place_bets "settle$round" 10 $((settle_bets - placed_total)) >/dev/null
  done
  local results
  results=$(json_field '["selections"]' <<<"$market" | python3 -c \
    'import ast,sys; s = ast.literal_eval(sys.stdin.read()); print(",".join("\"%s\":\"%s\"" % (x["id"], "lost" if i else "won") for i, x in enumerate(s)))')
  curl -fs -o "$bench_tmp/settled.json" -w '%{time_total}' -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"results\":{$results}}" "$base/admin/markets/$(json_field '["id"]' <<<"$market")/settle"
}

