#!/usr/bin/env bash
# Loads the API docs page in headless Chromium and checks Swagger UI rendered the health-check operation.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
binary=${1:?usage: docs_page.sh PATH_TO_BET2WEALTH}
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "docs_page: chromium is not installed (scripts/deps.sh test)" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

start_server "$work/server.log" "$binary"
[ -n "$port" ] || { echo "docs_page: server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

url="http://127.0.0.1:$port/api/v1/docs"
# The background-networking flags keep Chromium from reaching for the (closed) internet.
timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
  --user-data-dir="$work/profile" --virtual-time-budget=15000 --dump-dom "$url" >"$work/dom.html" 2>"$work/chromium.log" || {
  echo "docs_page: chromium failed" >&2; tail -20 "$work/chromium.log" >&2; exit 1; }

# Swagger UI renders each operation as an opblock with its path.
if grep -q 'opblock-summary-path' "$work/dom.html" && grep -q '/health-check' "$work/dom.html" \
   && grep -q 'opblock-get' "$work/dom.html"; then
  echo "docs_page: the health-check operation is rendered at $url"
else
  echo "docs_page: the page did not render the health-check operation" >&2
  head -c 2000 "$work/dom.html" >&2
  exit 1
fi
