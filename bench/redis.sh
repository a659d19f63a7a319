#!/usr/bin/env bash
# GET/SET against one local redis-server: the project's Redis client (tests/kv/kv_bench.cpp,
# BENCH_CONCURRENCY concurrent operations from one I/O thread) vs redis-benchmark with as many
# connections, in the same run. redis-server on core 0, the clients on core 1.
# Also redis-benchmark with pipelining (-P) as a ceiling: the project's client pipelines by itself.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"  # defines bench_root, bench_tmp, bench_pids, ratio
kv_bench=${KV_BENCH:-$bench_root/build/tests/kv/kv_bench}
requests=${BENCH_REQUESTS:-200000}
concurrency=${BENCH_CONCURRENCY:-50}
pipeline=${BENCH_PIPELINE:-16}
port=${BENCH_REDIS_PORT:-18490}

for tool in redis-server redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing (scripts/deps.sh bench test)" >&2; exit 1; }
done
[ -x "$kv_bench" ] || { echo "bench: $kv_bench missing (cmake --build build --target kv_bench)" >&2; exit 1; }

taskset -c 0 redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$bench_tmp" --logfile "$bench_tmp/redis.log" &
bench_pids+=("$!")
for _ in $(seq 1 200); do
  [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && break
  sleep 0.05
done
[ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] || { echo "bench: redis-server did not start" >&2; exit 1; }

# redis-benchmark --csv: "SET","<rps>",... -> the rps for test $1 from file $2.
csv_rps() { awk -F'"' -v t="$1" '$2 == t { print $4 }' "$2"; }
# kv_bench: "SET: <rps> requests per second".
kv_rps() { awk -v t="$1:" '$1 == t { print $2 }' "$2"; }

taskset -c 1 "$kv_bench" "redis://127.0.0.1:$port" "$((requests / 4))" "$concurrency" >/dev/null  # warm-up
taskset -c 1 redis-benchmark -h 127.0.0.1 -p "$port" -c "$concurrency" -n "$requests" -t set,get --csv \
  >"$bench_tmp/ref.csv"
taskset -c 1 redis-benchmark -h 127.0.0.1 -p "$port" -c "$concurrency" -n "$requests" -t set,get \
  -P "$pipeline" --csv >"$bench_tmp/ref_pipelined.csv"
taskset -c 1 "$kv_bench" "redis://127.0.0.1:$port" "$requests" "$concurrency" >"$bench_tmp/ours.txt"

ours_set=$(kv_rps SET "$bench_tmp/ours.txt")
ours_get=$(kv_rps GET "$bench_tmp/ours.txt")
ref_set=$(csv_rps SET "$bench_tmp/ref.csv")
ref_get=$(csv_rps GET "$bench_tmp/ref.csv")
pip_set=$(csv_rps SET "$bench_tmp/ref_pipelined.csv")
pip_get=$(csv_rps GET "$bench_tmp/ref_pipelined.csv")

echo "GET/SET, $requests requests, $concurrency concurrent; redis-server on core 0, clients on core 1"
printf '%-36s %14s %14s\n' client "SET req/s" "GET req/s"
printf '%-36s %14.0f %14.0f\n' "bet2wealth kv client" "$ours_set" "$ours_get"
printf '%-36s %14.0f %14.0f\n' "redis-benchmark -c $concurrency" "$ref_set" "$ref_get"
printf '%-36s %14.0f %14.0f\n' "redis-benchmark -c $concurrency -P $pipeline" "$pip_set" "$pip_get"
echo
echo "kv client / redis-benchmark        SET: $(ratio "$ours_set" "$ref_set")x  GET: $(ratio "$ours_get" "$ref_get")x (target >= 0.7)"
echo "kv client / redis-benchmark -P $pipeline  SET: $(ratio "$ours_set" "$pip_set")x  GET: $(ratio "$ours_get" "$pip_get")x (ceiling, no target)"
