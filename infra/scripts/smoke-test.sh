#!/usr/bin/env bash
# After a rollout: GET <api url>/api/v1/health-check must answer 200 within about two minutes, and
# report the deployed version (APP_VERSION: the image digest's hex, which the stack derives from it).
# Usage: infra/scripts/smoke-test.sh <api url> <expected version>
set -euo pipefail

api_url="${1:?usage: smoke-test.sh <api url> <expected version>}"
version="${2:?usage: smoke-test.sh <api url> <expected version>}"
url="${api_url%/}/api/v1/health-check"
body="$(mktemp)"
trap 'rm -f "$body"' EXIT

code=""
for attempt in $(seq 1 20); do
  code="$(curl -sS -o "$body" -w '%{http_code}' --max-time 10 "$url" || true)"
  echo "attempt $attempt: $url -> ${code:-no answer}"
  [ "$code" = 200 ] && break
  sleep 6
done
if [ "$code" != 200 ]; then
  echo "::error::$url answered '${code:-nothing}', expected 200"
  exit 1
fi
cat "$body"
echo
if ! grep -qF "\"version\":\"$version\"" "$body"; then
  echo "::error::the health-check does not report version $version: another image answers"
  exit 1
fi
