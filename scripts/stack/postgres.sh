#!/usr/bin/env bash
# PostgreSQL of the local stack: postgres.sh stop|start (for outage drills; stop is a fast shutdown).
set -euo pipefail
# shellcheck source=scripts/stack/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/stack/components.sh
. "$(dirname "$0")/components.sh"
make_secrets
case "${1:-}" in
  stop) stop_postgres ;;
  start) start_postgres >/dev/null ;;
  *) echo "usage: $0 stop|start" >&2; exit 2 ;;
esac
