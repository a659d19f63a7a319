#!/usr/bin/env bash
# Offline checks of infra/: policy tests on the parsed HCL (node:test) and, when the shared
# checker is present next to the repository, tfcheck over every module and environment.
# Usage: bash infra/tests/run.sh   (from anywhere; exits non-zero on any failure)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
infra="$(dirname "$here")"
repo="$(dirname "$infra")"
cd "$here"

command -v node >/dev/null 2>&1 || { echo "run.sh: node (>= 20) is required" >&2; exit 2; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "run.sh: node >= 20 is required (found $(node --version))" >&2
  exit 2
fi

# Install the pinned parser only when node_modules is missing or older than the lock file.
stamp="node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ ! -d node_modules/@cdktf/hcl2json ] || [ package-lock.json -nt "$stamp" ]; then
  echo "== npm ci (infra/tests)"
  npm ci --no-audit --no-fund
fi

failures=0
summary=()

echo "== policy tests (node --test)"
test_files=(./*.test.mjs)
tap="$(mktemp)"
trap 'rm -f "$tap"' EXIT
if node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" "${test_files[@]}"; then
  status="passed"
else
  status="FAILED"
  failures=$((failures + 1))
fi
passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -1)"
failed="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -1)"
summary+=("policy tests: ${passed:-0} passed, ${failed:-0} failed ($status)")

tfcheck="$repo/../shared/tools/tfcheck/tfcheck.js"
if [ -f "$tfcheck" ]; then
  echo "== tfcheck"
  dirs=()
  for d in "$infra"/modules/*/ "$infra"/envs/*/; do dirs+=("${d%/}"); done
  if (cd "$infra" && node "$tfcheck" "${dirs[@]#"$infra"/}"); then
    summary+=("tfcheck (${#dirs[@]} directories): passed")
  else
    summary+=("tfcheck (${#dirs[@]} directories): FAILED")
    failures=$((failures + 1))
  fi
else
  summary+=("tfcheck: skipped ($tfcheck not found)")
fi

# Optional: terraform fmt, only where a terraform binary happens to be installed.
if command -v terraform >/dev/null 2>&1; then
  echo "== terraform fmt -check"
  if TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -recursive "$infra" >/dev/null 2>&1; then
    summary+=("terraform fmt: passed")
  else
    TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -recursive "$infra" 2>/dev/null || true
    summary+=("terraform fmt: FAILED")
    failures=$((failures + 1))
  fi
fi

echo
echo "== infra checks summary"
for line in "${summary[@]}"; do echo "  $line"; done
if [ "$failures" -ne 0 ]; then
  echo "infra checks: $failures check(s) failed"
  exit 1
fi
echo "infra checks: all passed"
