#!/usr/bin/env bash
# clang-format (LLVM 14, the style in .clang-format) over the C++ sources: lists the files whose formatting
# differs and exits 1, or with --fix rewrites them in place.
# Usage: tools/lint/format.sh [--fix] [--all | --base REF | --changed]   (lib.sh describes the selection)
set -euo pipefail
# shellcheck source=tools/lint/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

lint_parse "$@"
fix=0
for a in ${lint_args[@]+"${lint_args[@]}"}; do
  case "$a" in
    --fix) fix=1 ;;
    *) lint_die "format.sh: unknown argument '$a' (--fix, --all, --base REF, --changed)" ;;
  esac
done

clang_format="${CLANG_FORMAT:-clang-format-14}"
command -v "$clang_format" >/dev/null 2>&1 || lint_die "$clang_format not found (scripts/deps.sh lint installs it)"

mapfile -t files < <(lint_files)
cd "$lint_root"
if [ ${#files[@]} -eq 0 ]; then
  echo "format: no C++ files to check"
  exit 0
fi

if [ "$fix" = 1 ]; then
  printf '%s\0' "${files[@]}" | xargs -0 -n 50 "$clang_format" -i --style=file
  echo "format: ${#files[@]} files formatted"
  exit 0
fi

# One run over every file; each line it would change is reported as "FILE:LINE:COL: warning: ...".
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
if ! printf '%s\0' "${files[@]}" | xargs -0 -n 50 "$clang_format" --dry-run --style=file 2>"$report"; then
  cat "$report" >&2
  lint_die "$clang_format failed"
fi
mapfile -t bad < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: warning: code should be clang-formatted.*/\1/p' "$report" | sort -u)
if [ ${#bad[@]} -eq 0 ]; then
  echo "format: ${#files[@]} files clean"
  exit 0
fi
printf 'format: needs clang-format: %s\n' "${bad[@]}"
echo "format: ${#bad[@]} of ${#files[@]} files need formatting (make format rewrites them; $clang_format --dry-run FILE shows where)"
exit 1
