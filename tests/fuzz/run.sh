#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan, B2W_FUZZ=ON) in $FUZZ_BUILD and runs each for
# $FUZZ_SECONDS, $FUZZ_JOBS at a time, starting from its seed corpus (tests/fuzz/corpus/<target>/,
# read only). What a run learns is kept in $FUZZ_BUILD/fuzz-corpus/<target>/ for the next run;
# a crashing or property-violating input goes to $FUZZ_BUILD/fuzz-artifacts/<target>/, never into
# the source tree. Prints the executions per target; exits 1 when any target failed.
# Usage: FUZZ_SECONDS=30 FUZZ_TARGETS="jwt resp" tests/fuzz/run.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-build-fuzz}
[[ $build = /* ]] || build=$root/$build
seconds=${FUZZ_SECONDS:-300}
jobs=${FUZZ_JOBS:-2}
# Every target tests/fuzz/CMakeLists.txt builds, unless FUZZ_TARGETS names some.
all_targets=$(sed -n 's/^set(B2W_FUZZ_TARGETS \(.*\))$/\1/p' "$root/tests/fuzz/CMakeLists.txt")
read -r -a targets <<<"${FUZZ_TARGETS:-$all_targets}"

# Paths relative to the checkout in ccache's keys: a clone in another folder (CI) reuses the objects.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}  # -g builds: do not key on the build directory either
# -O1 with assertions kept (no NDEBUG): Beast's and our own assertions are properties too.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DB2W_FUZZ=ON -DB2W_WERROR=ON -DB2W_TESTS=OFF -DB2W_BENCH=OFF >/dev/null
cmake --build "$build" --target fuzz_targets -j "${JOBS:-$(nproc)}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
logs=$build/fuzz-logs
mkdir -p "$logs"

run_one() {
  local name=$1
  local corpus=$build/fuzz-corpus/$name artifacts=$build/fuzz-artifacts/$name/
  mkdir -p "$corpus" "$artifacts"
  # -timeout: one input running for 25 s is a hang, a finding like a crash.
  "$build/tests/fuzz/fuzz_$name" "$corpus" "$root/tests/fuzz/corpus/$name" -max_total_time="$seconds" \
    -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts" >"$logs/$name.log" 2>&1
}

declare -A pid_of=()
for name in "${targets[@]}"; do
  [ -f "$root/tests/fuzz/$name.cpp" ] || { echo "fuzz: no target $name" >&2; exit 2; }
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_one "$name" &
  pid_of[$name]=$!
done

failed=0
printf '%-22s %14s %8s  %s\n' target executions "exec/s" result
for name in "${targets[@]}"; do
  status=0
  wait "${pid_of[$name]}" || status=$?
  execs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$logs/$name.log" | tail -1)
  per_second=$(awk '/stat::average_exec_per_sec:/ {print $2}' "$logs/$name.log" | tail -1)
  if [ "$status" -eq 0 ]; then
    printf '%-22s %14s %8s  %s\n' "$name" "${execs:-?}" "${per_second:-?}" ok
  else
    failed=1
    printf '%-22s %14s %8s  %s\n' "$name" "${execs:-?}" "${per_second:-?}" "FAILED (exit $status)"
    echo "---- $logs/$name.log (last 60 lines)"
    tail -n 60 "$logs/$name.log"
    echo "---- inputs kept in $build/fuzz-artifacts/$name/:"
    ls -l "$build/fuzz-artifacts/$name/"
  fi
done
[ "$failed" -eq 0 ] || { echo "fuzz: a target failed; reproduce with $build/tests/fuzz/fuzz_<target> <input>" >&2; exit 1; }
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, no failure"
