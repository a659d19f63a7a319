#!/usr/bin/env bash
# Failover drill on the stack's two Redis nodes; the endpoint follows whichever answers role:master.
#   redis-failover.sh kill N     SIGKILL node N (1 or 2)
#   redis-failover.sh promote N  REPLICAOF NO ONE on node N
#   redis-failover.sh rejoin N   start node N again as a replica of the other node
set -euo pipefail
# shellcheck source=scripts/stack/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/stack/components.sh
. "$(dirname "$0")/components.sh"
make_secrets
n=${2:-}
case "$n" in 1 | 2) ;; *) echo "usage: $0 kill|promote|rejoin 1|2" >&2; exit 2 ;; esac
case "${1:-}" in
  kill)
    pid_alive "redis$n" || die "redis node $n is not running"
    pid=$(pid_of "redis$n")
    kill -KILL "$pid"
    wait_until 5 pid_gone "$pid" || die "redis node $n: still alive after SIGKILL"
    rm -f "$run_dir/redis$n.pid" ;;
  promote) [ "$(redis_cli "$n" REPLICAOF NO ONE)" = OK ] || die "redis node $n refused REPLICAOF NO ONE" ;;
  rejoin) start_redis_node "$n" "$(redis_node_port $((3 - n)))" ;;
  *) echo "usage: $0 kill|promote|rejoin 1|2" >&2; exit 2 ;;
esac
