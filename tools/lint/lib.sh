# shellcheck shell=bash
# Shared by tools/lint/format.sh and tools/lint/tidy.sh (sourced): the options that choose the files, and the list.
#   --all         every tracked C++ file (the default; make lint and CI)
#   --base REF    the C++ files changed since `git merge-base HEAD REF`: commits, uncommitted changes and new files
#   --changed     --base origin/main (or main when there is no origin)
# The C++ files are the tracked *.cpp and *.hpp; generated sources live in the build directories, never in git.

lint_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lint_mode=all
lint_base=
lint_args=()

# Parses the selection options out of "$@"; what remains is left in lint_args for the caller.
lint_parse() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --all) lint_mode=all ;;
      --base) [ $# -ge 2 ] || lint_die "--base needs a git revision"; lint_mode=base; lint_base="$2"; shift ;;
      --base=*) lint_mode=base; lint_base="${1#--base=}" ;;
      --changed)
        lint_mode=base
        if git -C "$lint_root" rev-parse -q --verify origin/main >/dev/null; then lint_base=origin/main; else lint_base=main; fi ;;
      *) lint_args+=("$1") ;;
    esac
    shift
  done
  [ "$lint_mode" = all ] || [ -n "$lint_base" ] || lint_die "--base needs a git revision"
}

lint_die() {
  echo "lint: $*" >&2
  exit 2
}

# Prints the selected C++ files, one per line, relative to the checkout (deleted files left out).
lint_files() {
  cd "$lint_root" || exit 2
  if [ "$lint_mode" = all ]; then
    git ls-files -- '*.cpp' '*.hpp'
    return
  fi
  local since
  since="$(git merge-base HEAD "$lint_base")" || lint_die "no merge base between HEAD and '$lint_base'"
  {
    git diff --name-only --diff-filter=d "$since" -- '*.cpp' '*.hpp'
    git ls-files --others --exclude-standard -- '*.cpp' '*.hpp'
  } | sort -u
}
