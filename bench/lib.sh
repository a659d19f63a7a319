# Shared helpers for bench/*.sh (sourced).
# shellcheck disable=SC2034  # the variables are used by the scripts that source this
# shellcheck shell=bash

# A missing load generator would otherwise read as a measured zero.
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing; run scripts/deps.sh bench" >&2; exit 2; }
done

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_tmp=$(mktemp -d)
bench_pids=()
bench_stops=()

bench_cleanup() {
  for stop in "${bench_stops[@]}"; do "$stop"; done
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$bench_tmp"
}
trap bench_cleanup EXIT

# wait_http URL: until it answers 200, at most 10 s.
wait_http() {
  for _ in $(seq 1 200); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.05
  done
  echo "bench: $1 did not come up" >&2
  return 1
}

# run_wrk URL: prints "<requests/s> <p99 ms>" for the load generator on core 1.
run_wrk() {
  local out
  local header=()
  [ -n "${BENCH_HEADER:-}" ] && header=(-H "$BENCH_HEADER")
  out=$(taskset -c 1 wrk -t1 -c"${BENCH_CONNECTIONS:-64}" -d"${BENCH_SECONDS:-10}"s --latency "${header[@]}" "$1")
  local rps
  rps=$(awk '/Requests\/sec:/ {print $2}' <<<"$out")
  echo "$rps $(wrk_p99_ms "$out")"
}

# wrk_p99_ms WRK_OUTPUT: the 99th percentile of a `wrk --latency` run in ms (wrk prints us, ms or s).
wrk_p99_ms() {
  awk '$1 == "99%" { v = $2; n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[^m]s$/) n *= 1000; printf "%.3f", n }' <<<"$1"
}

# replay PATH LINES_FILE OK_TEXT [SIGNATURE_HEADER]: sends each prepared request once (bench/replay.lua) to
# http://127.0.0.1:$port PATH with $clients connections for $seconds, wrk on core 1; prints
# "<answered with OK_TEXT per s> <p99 ms>".
replay() {
  local out ok
  out=$(BENCH_PATH="$1" BENCH_LINES="$2" BENCH_OK="$3" BENCH_SIGNATURE_HEADER="${4:-}" taskset -c 1 \
    wrk -t1 -c"${clients:?}" -d"${seconds:?}s" --latency -s "$bench_root/bench/replay.lua" "http://127.0.0.1:$port$1")
  ok=$(awk '/REPLAYED_OK/ {print $2}' <<<"$out")
  echo "$(awk -v n="$ok" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }') $(wrk_p99_ms "$out")"
}

# register_users PREFIX COUNT: registers COUNT users at http://127.0.0.1:$port; prints their ids, comma-separated.
register_users() {
  local ids='' i
  for i in $(seq 1 "$2"); do
    ids+=${ids:+,}$(curl -fs -H 'Content-Type: application/json' \
      -d "{\"email\":\"$1$i@example.ng\",\"password\":\"bench-password-1\",\"date_of_birth\":\"1990-06-15\"}" \
      "http://127.0.0.1:$port/api/v1/auth/register" | python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["id"])')
  done
  echo "$ids"
}

# median NUMBER...: the middle value (the mean of the two middle ones for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

# cpu_ticks PID: the process's CPU time so far (user + system), in clock ticks (getconf CLK_TCK a second).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# postgres_ticks: the CPU time so far of the PostgreSQL that start_postgres started, its postmaster and every
# child (the backends of the pools stay connected; other servers on the machine are not counted).
postgres_ticks() {
  local postmaster total=0 pid
  postmaster=$(head -1 "$bench_tmp/pg/postmaster.pid")
  for pid in "$postmaster" $(pgrep -P "$postmaster"); do total=$((total + $(cpu_ticks "$pid" 2>/dev/null || echo 0))); done
  echo "$total"
}
# micros_per TICKS COUNT: CPU microseconds per operation.
micros_per() { awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "n/a" }'; }

# start_postgres PORT [SETTINGS]: a throwaway PostgreSQL on 127.0.0.1:PORT under $bench_tmp (more server settings in
# SETTINGS, e.g. "-c shared_buffers=2GB"); sets pg_bin, pg_url, as_pg.
start_postgres() {
  local port=$1 settings=${2:-}
  pg_bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort | tail -1)
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$bench_tmp"; as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$bench_tmp/pg" -U postgres --auth=trust >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$bench_tmp/pg" -l "$bench_tmp/pg.log" -w \
    -o "-p $port -k $bench_tmp -c listen_addresses=127.0.0.1 -c max_connections=200 $settings" start >/dev/null
  pg_url="postgresql://postgres@127.0.0.1:$port/postgres"
  bench_stops+=("stop_postgres")
}
stop_postgres() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$bench_tmp/pg" -m fast -w stop >/dev/null 2>&1 || true; }

# start_redis PORT: a throwaway redis-server on 127.0.0.1:PORT; sets redis_url.
start_redis() {
  local port=$1
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$bench_tmp" --daemonize no \
    >"$bench_tmp/redis.log" 2>&1 &
  bench_pids+=("$!")
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
  redis_url="redis://127.0.0.1:$port"
}
