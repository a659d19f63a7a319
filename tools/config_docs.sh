#!/usr/bin/env bash
# Rewrites README.md's configuration table (between <!-- config:begin ... --> and <!-- config:end -->)
# from the settings table compiled into the binary: tools/config_docs.sh [path/to/bet2wealth]
# The unit test ConfigTable.ReadmeConfigurationMatchesTheTable fails until this is run after a change.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-$root/build/bet2wealth}"
readme="$root/README.md"

table="$(mktemp)"
out="$(mktemp)"
trap 'rm -f "$table" "$out"' EXIT
"$binary" config --markdown >"$table"
if ! grep -q '^<!-- config:begin' "$readme" || ! grep -q '^<!-- config:end -->' "$readme"; then
  echo "config_docs.sh: README.md lacks the config:begin / config:end markers" >&2
  exit 1
fi

awk -v table="$table" '
  /^<!-- config:begin/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /^<!-- config:end -->/ { skip = 0 }
  !skip { print }
' "$readme" >"$out"
cat "$out" >"$readme"  # keeps README.md's mode and inode
echo "README.md: configuration table regenerated from $binary"
