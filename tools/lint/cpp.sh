#!/usr/bin/env bash
# The C++ lint: clang-format's check, then clang-tidy, both run whatever the first finds; exits non-zero if either
# has findings. make lint runs it over the whole tree, make lint-changed over the files changed since main.
# Usage: tools/lint/cpp.sh [--all | --base REF | --changed]   (lib.sh describes the selection)
set -uo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
status=0
"$here/format.sh" "$@" || status=$?
"$here/tidy.sh" "$@" || { s=$?; [ "$s" -gt "$status" ] && status=$s; }
exit "$status"
