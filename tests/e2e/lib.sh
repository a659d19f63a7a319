# shellcheck shell=bash
# Shared by the e2e scripts (sourced): starting the binary on a free loopback port.

# start_server LOG BINARY [NAME=value ...]: runs BINARY with the extra environment on port 0, its output in LOG;
# sets server_pid and port (empty when it did not start listening within 10 s).
start_server() {
  local log=$1 binary=$2
  shift 2
  env PORT=0 BIND_ADDRESS=127.0.0.1 SHUTDOWN_DRAIN_SECONDS=0 "$@" "$binary" >"$log" 2>&1 &
  # shellcheck disable=SC2034  # server_pid and port are the sourcing script's
  server_pid=$!
  port=
  for _ in $(seq 1 200); do
    port=$(grep -o '"msg":"listening".*"port":[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.05
  done
}
