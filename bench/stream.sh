#!/usr/bin/env bash
# GET /api/v1/stream: 10,000 WebSocket clients on one task (pinned to core 0), 100 events, an odds change every
# 10 ms. SUBSCRIBE=one (default): client i subscribes to event i % 100, 100 subscribers an event, 10,000 messages/s
# to deliver. SUBSCRIBE=all: every client subscribes to all 100 events, 10,000 per change, 1,000,000 messages/s
# offered: a saturation test (the one-thread load client is the ceiling of what is delivered; per-message cost
# decides the server's CPU).
# PUBLISH=kv (default): the bench's publisher puts each change straight into Redis's stream:events channel in
# stream::Publisher's wire format, the same frame Node's server builds on its own timer: neither side pays for a
# commit. PUBLISH=admin: the real path (an admin PATCH commits on SQLite, the publisher numbers it in Redis and
# publishes it, the hub fans it out), which bet2wealth's CPU then includes and Node's does not.
# The load client (bench/src/stream_load.cpp, C++/Beast, one thread) and the publisher run on core 1.
# Delivery latency is publish (the frame's published_at_us) to receipt. Then the same fan-out from a Node.js `ws`
# server (bench/node/stream_server.js) on core 0. Compared: messages delivered per second of server CPU time
# (/proc/PID/stat over the measured window, both servers). BINARY= another build (e.g. main's) to compare;
# NODE=0 skips Node.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
binary=${BINARY:-$bench_root/build/bet2wealth}
load=${STREAM_LOAD:-$bench_root/build/bench/stream_load}
clients=${CLIENTS:-10000} events=${EVENTS:-100} seconds=${SECONDS_MEASURED:-20} interval_ms=${INTERVAL_MS:-10}
subscribe=${SUBSCRIBE:-one} publish=${PUBLISH:-kv} run_node=${NODE:-1}
[[ $subscribe == one || $subscribe == all ]] || { echo "bench: SUBSCRIBE is one or all" >&2; exit 2; }
[[ $publish == kv || $publish == admin ]] || { echo "bench: PUBLISH is kv or admin" >&2; exit 2; }
port_b2w=18490 port_node=18491 port_redis=18492
[ -x "$load" ] || { echo "bench: $load is missing; build the bench target stream_load" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) >= clients + 1000 )) || { echo "bench: ulimit -n $(ulimit -n) is below $((clients + 1000))" >&2; exit 2; }

hz=$(getconf CLK_TCK)

# measure PID PORT START: runs the load client against PORT while PID serves, running START (which starts the
# changes) once every client is connected, so connecting is not slowed by a fan-out; prints the client's JSON line
# and "cpu_s rss_kib" of PID over the measured window.
measure() {
  local pid=$1 port=$2 start=$3 out="$bench_tmp/load-$2"
  taskset -c 1 "$load" 127.0.0.1 "$port" /api/v1/stream "$bench_tmp/events" "$clients" "$seconds" "$subscribe" >"$out.json" 2>"$out.err" &
  local load_pid=$!
  for _ in $(seq 1 1200); do grep -q connected "$out.err" 2>/dev/null && break; sleep 0.05; done
  $start
  sleep 1
  local t0; t0=$(cpu_ticks "$pid")
  wait "$load_pid"
  local t1; t1=$(cpu_ticks "$pid")
  local rss; rss=$(python3 "$bench_root/bench/probe.py" rss "$pid" | awk '{ print $1 }')
  cat "$out.err" >&2
  echo "$(cat "$out.json") $(awk -v t=$((t1 - t0)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }') $rss"
}

# bet2wealth on Redis (the production message path), SQLite for the catalogue.
start_redis "$port_redis"
mkdir -p "$bench_tmp/data"
b2w_env=("PORT=$port_b2w" BIND_ADDRESS=127.0.0.1 LOG_LEVEL=warn SHUTDOWN_DRAIN_SECONDS=0 DATA_DIR="$bench_tmp/data"
  REDIS_URL="$redis_url" RATE_LIMIT_PERMISSION_POINTS=1000000 "STREAM_MAX_CONNECTIONS=$((clients + 100))"
  JWT_SECRET=bench-stream-jwt-secret-0123456789abcdef JWT_REFRESH_SECRET=bench-stream-refresh-secret-0123456789ab)
env "${b2w_env[@]}" "$binary" admin create --email trader@bench.example --role trader <<<"bench-admin-pass-1" >/dev/null
env "${b2w_env[@]}" taskset -c 0 "$binary" >"$bench_tmp/b2w.log" 2>&1 &
b2w_pid=$!
bench_pids+=("$b2w_pid")
wait_http "http://127.0.0.1:$port_b2w/api/v1/health-check"
token=$(curl -fs -H 'Content-Type: application/json' -d '{"email":"trader@bench.example","password":"bench-admin-pass-1"}' \
  "http://127.0.0.1:$port_b2w/api/v1/auth/login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
python3 "$bench_root/bench/stream_publish.py" prep "$port_b2w" "$token" "$events" "$bench_tmp/events" "$bench_tmp/markets"
# Runs inside measure's subshell: the publisher's pid goes through a file.
start_publisher() {
  if [[ $publish == kv ]]; then
    taskset -c 1 python3 "$bench_root/bench/stream_publish.py" kv "$port_redis" "$bench_tmp/events" "$interval_ms" &
  else
    taskset -c 1 python3 "$bench_root/bench/stream_publish.py" run "$port_b2w" "$token" "$bench_tmp/markets" "$interval_ms" &
  fi
  echo $! >"$bench_tmp/publisher.pid"
}
read -r b2w_json b2w_cpu b2w_rss < <(measure "$b2w_pid" "$port_b2w" start_publisher)
kill "$(cat "$bench_tmp/publisher.pid" 2>/dev/null)" "$b2w_pid" 2>/dev/null || true
wait "$b2w_pid" 2>/dev/null || true

# Node.js ws, the same fan-out (its own 10 ms timer stands for the publisher).
node_json='{"clients":0,"failed":0,"closed":0,"messages":0,"messages_per_s":0,"p50_ms":0,"p99_ms":0,"max_ms":0}'
node_cpu=0 node_rss=0
if [[ $run_node == 1 ]]; then
  (cd "$bench_root/bench/node" && { [ -d node_modules/ws ] || npm ci --no-audit --no-fund --loglevel=error; })
  EVENTS_FILE="$bench_tmp/events" PORT=$port_node PUBLISH_INTERVAL_MS=$interval_ms \
    taskset -c 0 node "$bench_root/bench/node/stream_server.js" >"$bench_tmp/node.log" 2>&1 &
  node_pid=$!
  bench_pids+=("$node_pid")
  for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$port_node") 2>/dev/null && break; sleep 0.05; done
  start_node_timer() { kill -USR2 "$node_pid"; }
  read -r node_json node_cpu node_rss < <(measure "$node_pid" "$port_node" start_node_timer)
fi

python3 - "$b2w_json" "$b2w_cpu" "$b2w_rss" "$node_json" "$node_cpu" "$node_rss" "$clients" "$events" "$interval_ms" \
  "$subscribe" "$publish" <<'PY'
import json, sys
b, bc, br, n, nc, nr, clients, events, interval, subscribe, publish = sys.argv[1:]
b, n = json.loads(b), json.loads(n)
bc, nc, br, nr = float(bc), float(nc), int(br), int(nr)
def per_core(r, cpu):
    return r["messages"] / cpu if cpu > 0 else float("nan")
fan = int(clients) if subscribe == "all" else int(clients) // int(events)
print(f"stream: {clients} WebSocket clients, {events} events, a change every {interval} ms, SUBSCRIBE={subscribe}"
      f" ({fan} subscribers a change, {fan * 1000 // int(interval)} msg/s offered), PUBLISH={publish}; server on one core")
for name, r, cpu, rss in (("bet2wealth", b, bc, br), ("node ws", n, nc, nr)):
    print(f"  {name:10s} clients {r['clients']:>6} (failed {r['failed']}, closed {r['closed']})  delivered {r['messages_per_s']:>8.0f} msg/s"
          f"  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  max {r['max_ms']:.2f} ms"
          f"  cpu {cpu:.2f} s  -> {per_core(r, cpu):>9.0f} msg per cpu-second  RSS {rss / 1024:.0f} MiB")
ratio = per_core(b, bc) / per_core(n, nc) if nc > 0 and n["messages"] > 0 else float("nan")
print(f"  ratio (messages per cpu-second) bet2wealth / node: {ratio:.2f}  (target >= 5)")
print(f"  targets: p99 <= 50 ms: {'met' if b['p99_ms'] <= 50 else 'MISSED'};"
      f" RSS <= 200 MiB: {'met' if br <= 200 * 1024 else 'MISSED'}; ratio >= 5: {'met' if ratio >= 5 else 'MISSED'}")
if publish == "admin":
    print("  (bet2wealth's CPU includes the PATCHes it commits to SQLite and the Redis round trips; node's only the fan-out)")
else:
    print("  (changes published straight into Redis for bet2wealth, from node's own timer for node: fan-out only on both)")
PY
