#!/usr/bin/env bash
# The runbook's locally runnable procedures (docs/runbook.md), run as the runbook writes them against the real
# binary, an embedded store (SQLite, DATA_DIR) and the fake Paystack:
#   1. rotating the JWT secrets without logging everyone out: tokens of the old keys work while they are set as
#      JWT_SECRET_PREVIOUS / JWT_REFRESH_SECRET_PREVIOUS, and are refused once they are removed;
#   2. a suspected double payout: `bet2wealth ledger verify` (exit 0: every invariant holds);
#   3. a lost webhook: `bet2wealth reconcile --date YYYY-MM-DD` against Paystack (exit 0: the day is clean).
# Usage: tests/e2e/runbook.sh PATH_TO_BET2WEALTH   (ctest: e2e.runbook_commands)
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
binary=${1:?usage: runbook.sh PATH_TO_BET2WEALTH}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$(dirname "$here")")"
python=/usr/bin/python3

work=$(mktemp -d)
server_pid=
paystack_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$paystack_pid" ]; then kill "$paystack_pid" 2>/dev/null || true; wait "$paystack_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "runbook: $*" >&2; exit 1; }

old_access=runbook-old-access-secret-0123456789abcdef
old_refresh=runbook-old-refresh-secret-0123456789abcdef
new_access=runbook-new-access-secret-0123456789abcdef
new_refresh=runbook-new-refresh-secret-0123456789abcdef
paystack_secret=sk_test_runbook_0123456789

"$python" "$repo/tests/support/fake_paystack.py" "$paystack_secret" >"$work/paystack.log" 2>&1 &
paystack_pid=$!
paystack_port=
for _ in $(seq 1 200); do
  paystack_port=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$work/paystack.log")
  [ -n "$paystack_port" ] && break
  sleep 0.05
done
[ -n "$paystack_port" ] || fail "the fake Paystack did not start"

# The configuration every step shares (a task's environment): the data directory and Paystack.
export DATA_DIR="$work/data" PAYSTACK_SECRET_KEY="$paystack_secret" PAYSTACK_BASE_URL="http://127.0.0.1:$paystack_port"
mkdir -p "$DATA_DIR"

# Starts the service with the given extra environment (NAME=value ...); sets $port.
start() {
  start_server "$work/server.log" "$binary" "$@"
  [ -n "$port" ] || { cat "$work/server.log" >&2; fail "the server did not start"; }
}
stop() {
  kill -TERM "$server_pid"
  wait "$server_pid" || fail "the server did not exit cleanly"
  server_pid=
}
status_of() {  # the HTTP status of GET /api/v1/users/me with this access token
  curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "http://127.0.0.1:$port/api/v1/users/me"
}
field() {  # a string field of a JSON object on stdin
  "$python" -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# ---- 1. JWT rotation
start JWT_SECRET="$old_access" JWT_REFRESH_SECRET="$old_refresh"
session=$(curl -sf -H 'Content-Type: application/json' \
  -d '{"email":"runbook@example.ng","password":"runbook-pass-1","date_of_birth":"1990-06-15"}' \
  "http://127.0.0.1:$port/api/v1/auth/register") || fail "registration failed"
token=$(field access_token <<<"$session")
[ "$(status_of "$token")" = 200 ] || fail "the new token is refused before the rotation"
stop

# The rotation: the new keys in, the old ones as the previous keys (runbook step 2).
start JWT_SECRET="$new_access" JWT_REFRESH_SECRET="$new_refresh" \
  JWT_SECRET_PREVIOUS="$old_access" JWT_REFRESH_SECRET_PREVIOUS="$old_refresh"
[ "$(status_of "$token")" = 200 ] || fail "a token of the previous key is refused during the rotation"
if grep -q "$old_access" "$work/server.log"; then fail "the previous key appears in the log"; fi
stop

# JWT_EXPIRY later: the previous keys removed (runbook step 4); the old token is refused.
start JWT_SECRET="$new_access" JWT_REFRESH_SECRET="$new_refresh"
[ "$(status_of "$token")" = 401 ] || fail "a token of the removed key is still accepted"
stop
echo "runbook: JWT rotation: old tokens accepted during the rotation, refused after it"

# ---- 2. ledger verify
"$binary" ledger verify >"$work/verify.log" 2>&1 || { cat "$work/verify.log" >&2; fail "ledger verify failed"; }
echo "runbook: ledger verify: exit 0"

# ---- 3. the day's reconciliation (Africa/Lagos day)
day=$(TZ=Africa/Lagos date +%F)
"$binary" reconcile --date "$day" >"$work/reconcile.log" 2>&1 || {
  cat "$work/reconcile.log" >&2; fail "reconcile --date $day failed"; }
grep -q "Daily reconciliation $day" "$work/reconcile.log" || { cat "$work/reconcile.log" >&2; fail "no report"; }
echo "runbook: reconcile --date $day: clean"
