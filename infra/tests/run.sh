#!/usr/bin/env bash
# The checks of infra/ (make infra-check, part of make test and CI), all offline:
#   1. policy tests on the parsed HCL (node:test, infra/tests/*.test.mjs), the plan guard's tests included;
#   2. tfcheck, the offline hashicorp/aws 6.x schema check, when ../shared/tools/tfcheck exists;
#   3. terraform fmt -check; terraform init in every module, environment and the bootstrap root, with
#      the real hashicorp/aws provider (the version the environments' lock files pin);
#   4. terraform test in each of them (real provider; only data sources that would call AWS are
#      overridden), including the assertions on the rendered IAM policy JSON. terraform test validates
#      the whole configuration (a static error fails it, even in a resource with count = 0), so a
#      directory with tests (all of them: tests/structure.test.mjs) gets no separate terraform validate;
#   5. the emulated apply (tests/emulator/run.sh): bootstrap + dev applied on moto, a clean re-plan, the
#      deploy's plan guard on real plans, destroy. It runs in the background from the start: it spends
#      its time in the provider's waiters, while 1-4 use the CPU.
# Without terraform (or moto_server) the Terraform steps say so in one line and are skipped, except
# under CI (CI=true or GITHUB_ACTIONS set), where that is a failure.
# Environment: TF_PLUGIN_MIRROR (default /opt/tf-plugins: a local mirror of hashicorp/aws; without one
# the registry is used), INFRA_JOBS (parallel terraform directories, default 2), INFRA_SKIP_EMULATOR=1.
# Usage: bash infra/tests/run.sh   (from anywhere; exits non-zero on any failure)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
infra="$(dirname "$here")"
repo="$(dirname "$infra")"
cd "$here"
started=$SECONDS

ci=false
if [ "${CI:-}" = true ] || [ -n "${GITHUB_ACTIONS:-}" ]; then ci=true; fi

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
fail() { summary+=("$1"); failures=$((failures + 1)); }
logs="$(mktemp -d)"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill -- "-$emulator_pid" 2>/dev/null || kill "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$logs"
}
trap cleanup EXIT

# Every directory Terraform runs in: the building blocks, the environments, the bootstrap root.
tf_dirs=()
for d in "$infra"/modules/*/ "$infra"/envs/*/ "$infra"/bootstrap/; do tf_dirs+=("${d%/}"); done

# ---------------------------------------------------------------- terraform and the provider
have_tf=false
if command -v terraform >/dev/null 2>&1; then
  have_tf=true
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/bet2wealth-infra"
  mkdir -p "$cache/plugin-cache"
  mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
  # A CLI configuration of our own: the plugin cache under ~/.cache, and hashicorp/aws from the local
  # mirror when there is one (no registry on this machine), else from the registry.
  export TF_CLI_CONFIG_FILE="$cache/terraformrc"
  {
    echo "plugin_cache_dir = \"$cache/plugin-cache\""
    if [ -d "$mirror/registry.terraform.io/hashicorp/aws" ]; then
      echo 'provider_installation {'
      echo "  filesystem_mirror {"
      echo "    path    = \"$mirror\""
      echo '    include = ["registry.terraform.io/hashicorp/aws"]'
      echo '  }'
      echo '  direct {'
      echo '    exclude = ["registry.terraform.io/hashicorp/aws"]'
      echo '  }'
      echo '}'
    fi
  } >"$TF_CLI_CONFIG_FILE"
  export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
  # The tests carry their own fake credentials; nothing of the caller's AWS setup may leak in.
  unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
  export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
elif $ci; then
  echo "run.sh: terraform not found: required under CI (terraform >= 1.11 on PATH)"
  fail "terraform: NOT FOUND (required under CI)"
else
  echo "run.sh: terraform not found: fmt, validate, test and the emulated apply skipped"
  summary+=("terraform: skipped (not installed)")
fi

# init: the roots that are applied keep their committed lock file as is (-lockfile=readonly).
tf_init() {
  local dir="$1" lock=()
  case "$dir" in "$infra"/envs/* | "$infra"/bootstrap) lock=(-lockfile=readonly) ;; esac
  terraform -chdir="$dir" init -backend=false -input=false -no-color "${lock[@]}"
}

if $have_tf; then
  # Every init before any test: inits write the shared plugin cache, and one that ran beside a `terraform
  # test` once left it exec'ing a provider binary that was not there ("fork/exec ...: no such file or
  # directory", a clean clone's CI run). The first fills the cache, the others link to it; a few seconds each.
  for dir in "${tf_dirs[@]}"; do
    tf_init "$dir" >"$logs/init-${dir//\//_}.log" 2>&1 || { cat "$logs/init-${dir//\//_}.log"; fail "terraform init: FAILED in ${dir#"$infra"/}"; }
  done

  # GitHub's runners have no moto: there, CI installs the version this check is tested with.
  moto_version=5.2.1
  if ! command -v moto_server >/dev/null 2>&1 && [ -n "${GITHUB_ACTIONS:-}" ] && command -v python3 >/dev/null 2>&1; then
    echo "== installing moto[server]==$moto_version (GitHub runner) into $cache/moto-venv"
    if python3 -m venv "$cache/moto-venv" >"$logs/moto-install.log" 2>&1 &&
      "$cache/moto-venv/bin/pip" install --quiet "moto[server]==$moto_version" >>"$logs/moto-install.log" 2>&1; then
      export PATH="$cache/moto-venv/bin:$PATH"
    else
      cat "$logs/moto-install.log"
    fi
  fi

  if [ "${INFRA_SKIP_EMULATOR:-}" = 1 ]; then
    summary+=("emulated apply: skipped (INFRA_SKIP_EMULATOR=1)")
  elif command -v moto_server >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
    echo "== emulated apply on moto: started in the background (its log follows at the end)"
    # It tells when its own inits are done (EMULATOR_INITS_DONE): the tests below wait for that.
    rm -f "$logs/emulator.inits-done"
    EMULATOR_INITS_DONE="$logs/emulator.inits-done" setsid bash "$here/emulator/run.sh" "$logs/emulator.summary" \
      >"$logs/emulator.log" 2>&1 &
    emulator_pid=$!
  elif $ci; then
    echo "run.sh: moto_server not found: required under CI for the emulated apply (pip install 'moto[server]')"
    fail "emulated apply: moto_server NOT FOUND (required under CI)"
  else
    echo "run.sh: moto_server not found: emulated apply skipped (pip install 'moto[server]')"
    summary+=("emulated apply: skipped (moto_server not installed)")
  fi
fi

# ---------------------------------------------------------------- 1. policy tests
echo "== policy tests (node --test)"
test_files=(./*.test.mjs)
tap="$logs/policy.tap"
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

# ---------------------------------------------------------------- 2. tfcheck (hashicorp/aws 6.x schema)
tfcheck="$repo/../shared/tools/tfcheck/tfcheck.js"
if [ -f "$tfcheck" ]; then
  echo "== tfcheck (hashicorp/aws 6.x schema)"
  if (cd "$infra" && node "$tfcheck" "${tf_dirs[@]#"$infra"/}"); then
    summary+=("tfcheck, 6.x schema (${#tf_dirs[@]} directories): passed")
  else
    fail "tfcheck, 6.x schema (${#tf_dirs[@]} directories): FAILED"
  fi
else
  summary+=("tfcheck: skipped ($tfcheck not found)")
fi

if $have_tf; then
  # -------------------------------------------------------------- 3. fmt, init, 4. test (validates)
  echo "== terraform fmt -check"
  if terraform fmt -check -recursive "$infra" >"$logs/fmt.log" 2>&1; then
    summary+=("terraform fmt: passed")
  else
    cat "$logs/fmt.log"
    fail "terraform fmt: FAILED (terraform fmt -recursive infra)"
  fi

  echo "== terraform init and test in ${#tf_dirs[@]} directories ($(terraform version | head -n 1), $(sed -n 's/^  version *= "\(.*\)"/hashicorp\/aws \1/p' "$infra/envs/dev/.terraform.lock.hcl"))"
  # One directory: init, then test (which validates the whole configuration), or validate where there
  # is no test. Output to its log; a result line per step.
  check_dir() {
    local dir="$1" name="${1#"$infra"/}" log="$logs/${1//\//_}.log"
    {
      if compgen -G "$dir/tests/*.tftest.hcl" >/dev/null; then
        if terraform -chdir="$dir" test -no-color; then echo "RESULT test ok"; else echo "RESULT test FAILED"; fi
      elif terraform -chdir="$dir" validate -no-color; then
        echo "RESULT validate ok"
      else
        echo "RESULT validate FAILED"
      fi
    } >"$log" 2>&1
    printf '  %-22s %s%s\n' "$name" "$(sed -n 's/^RESULT //p' "$log" | paste -sd' ')" \
      "$(sed -n 's/^\(Success\|Failure\)! \([0-9]* passed, [0-9]* failed\).*/ (\2)/p' "$log" | tail -n 1)"
  }
  # No init may run beside the tests: wait until the emulator's are done (or it ended).
  if [ -n "$emulator_pid" ]; then
    for _ in $(seq 1 600); do
      [ -e "$logs/emulator.inits-done" ] || ! kill -0 "$emulator_pid" 2>/dev/null && break
      sleep 0.5
    done
  fi
  export -f check_dir
  export infra logs
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash, on purpose
  printf '%s\n' "${tf_dirs[@]}" | xargs -P "${INFRA_JOBS:-2}" -I{} bash -c 'check_dir "$1"' _ {}

  validated=0 runs=0 bad=0 asserts=0
  for dir in "${tf_dirs[@]}"; do
    log="$logs/${dir//\//_}.log"
    if grep -q '^RESULT \(test\|validate\) ok' "$log"; then validated=$((validated + 1)); fi
    if grep -q 'RESULT \(init\|validate\|test\) FAILED' "$log"; then
      bad=$((bad + 1))
      echo "---- ${dir#"$infra"/}"
      grep -v '^RESULT' "$log" | grep -E -A25 '^(Error|│ Error)|^  run ".*fail|Failure!' | head -n 80 || true
    fi
    n="$(sed -n 's/^\(Success\|Failure\)! \([0-9]*\) passed.*/\2/p' "$log" | tail -n 1)"
    runs=$((runs + ${n:-0}))
    for f in "$dir"/tests/*.tftest.hcl; do
      [ -f "$f" ] && asserts=$((asserts + $(grep -c '^\s*assert {' "$f")))
    done
  done
  if [ "$bad" -eq 0 ]; then
    summary+=("terraform validate (by terraform test): ${validated} of ${#tf_dirs[@]} directories valid")
    summary+=("terraform test: ${runs} runs passed (${asserts} assertions, plus expected validation failures)")
  else
    fail "terraform validate/test: FAILED in ${bad} directories (${validated} valid, ${runs} runs passed)"
  fi

  # -------------------------------------------------------------- 5. the emulated apply
  if [ -n "$emulator_pid" ]; then
    echo "== emulated apply on moto (tests/emulator/run.sh)"
    # A hard bound: past EMULATOR_TIMEOUT seconds (default 720) its whole process group is stopped.
    # Alone it takes about 470 s (the emulated deploy's migration about 50 s of it); 600 s was the
    # bound before that step, and runs beside other engineers' builds took up to about 590 s.
    deadline=$((SECONDS + ${EMULATOR_TIMEOUT:-720}))
    while kill -0 "$emulator_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 2; done
    if kill -0 "$emulator_pid" 2>/dev/null; then
      echo "emulated apply: still running after ${EMULATOR_TIMEOUT:-720} s: stopped"
      kill -- "-$emulator_pid" 2>/dev/null || true
    fi
    set +e
    wait "$emulator_pid"
    emulator_rc=$?
    set -e
    emulator_pid=""
    grep -E '^(== emulator|emulator:|Apply complete|Destroy complete|re-plan|plan-guard|guard:|run-task|emulated apply)' "$logs/emulator.log" || true
    if [ "$emulator_rc" -eq 0 ] && [ -s "$logs/emulator.summary" ]; then
      summary+=("$(cat "$logs/emulator.summary")")
    else
      echo "---- emulator output (exit $emulator_rc)"
      tail -n 80 "$logs/emulator.log"
      fail "emulated apply: FAILED (logs: ${XDG_CACHE_HOME:-$HOME/.cache}/bet2wealth-infra/emulator-logs)"
    fi
  fi
fi

echo
echo "== infra checks summary ($((SECONDS - started)) s)"
for line in "${summary[@]}"; do echo "  $line"; done
if [ "$failures" -ne 0 ]; then
  echo "infra checks: $failures check(s) failed"
  exit 1
fi
echo "infra checks: all passed"
