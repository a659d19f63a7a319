#!/usr/bin/env bash
# One task of the local stack: task.sh start|stop|kill|restart N [APP_VERSION]
#   stop: SIGTERM and wait for the exit (the task drains first); kill: SIGKILL.
set -euo pipefail
# shellcheck source=scripts/stack/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/stack/components.sh
. "$(dirname "$0")/components.sh"

[ $# -ge 2 ] || { echo "usage: $0 start|stop|kill|restart N [APP_VERSION]" >&2; exit 2; }
action=$1 n=$2 version=${3:-stack-1}
case "$action" in
  start) start_task "$n" "$version" ;;
  stop) stop_pid "task$n" 25 ;;
  kill)
    pid_alive "task$n" || die "task $n is not running"
    pid=$(pid_of "task$n")
    kill -KILL "$pid"
    wait_until 5 pid_gone "$pid" || die "task $n: still alive after SIGKILL"
    rm -f "$run_dir/task$n.pid" ;;
  restart) stop_pid "task$n" 25; start_task "$n" "$version" ;;
  *) echo "usage: $0 start|stop|kill|restart N [APP_VERSION]" >&2; exit 2 ;;
esac
