# Shared helpers for bench/*.sh (sourced).
# shellcheck disable=SC2034  # the variables are used by the scripts that source this
# shellcheck shell=bash

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_tmp=$(mktemp -d)
bench_pids=()

bench_cleanup() {
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
  out=$(taskset -c 1 wrk -t1 -c"${BENCH_CONNECTIONS:-64}" -d"${BENCH_SECONDS:-10}"s --latency "$1")
  local rps p99
  rps=$(awk '/Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  # wrk prints latencies with a unit: us, ms or s.
  p99=$(awk -v v="$p99" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[^m]s$/) n *= 1000; printf "%.3f", n }')
  echo "$rps $p99"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
