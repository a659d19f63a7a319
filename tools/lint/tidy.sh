#!/usr/bin/env bash
# clang-tidy (LLVM 14, the checks in .clang-tidy) over the C++ sources, as compiled in BUILD (default build/; it
# must be configured: compile_commands.json), JOBS (default nproc) at a time. Prints each finding once and a count
# per check; exits 1 on any finding, 2 when clang-tidy fails on a file. Results are cached (tools/lint/tidy.py).
# Usage: tools/lint/tidy.sh [--all | --base REF | --changed]   (lib.sh describes the selection)
set -euo pipefail
# shellcheck source=tools/lint/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

lint_parse "$@"
[ ${#lint_args[@]} -eq 0 ] || lint_die "tidy.sh: unknown argument '${lint_args[0]}' (--all, --base REF, --changed)"

clang_tidy="${CLANG_TIDY:-clang-tidy-14}"
command -v "$clang_tidy" >/dev/null 2>&1 || lint_die "$clang_tidy not found (scripts/deps.sh lint installs it)"
command -v python3 >/dev/null 2>&1 || lint_die "python3 not found"

tidy=(python3 "$lint_root/tools/lint/tidy.py" --root "$lint_root" --build "${BUILD:-build}"
  --jobs "${JOBS:-$(nproc)}" --clang-tidy "$clang_tidy")
[ "$lint_mode" != all ] || tidy+=(--all)
lint_files | "${tidy[@]}"
