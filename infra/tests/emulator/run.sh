#!/usr/bin/env bash
# Emulated apply of the real code with the real provider against moto (an AWS API emulator on loopback):
#   1. bootstrap (state bucket, GitHub OIDC provider)  apply
#   2. fixtures (hosted zone, Redis AUTH token secret, SSM parameters: what an operator creates first)  apply
#   3. envs/dev  apply, then `terraform plan -detailed-exitcode` must report no change (beyond the
#      attributes moto does not store: replan-check.mjs)
#   4. a deploy of a new image digest on that state, as infra/scripts/deploy-terraform.sh makes it: the
#      migrate task definition's targeted plan through the plan guard (--only) and applied, the migrate
#      task run with infra/scripts/run-task.sh (moto ends it with exit code 0), the full plan through
#      the guard; and the guard refusing the re-plan's other changes
#   5. destroy dev, fixtures, bootstrap (and every one of them must leave nothing behind)
# Each root is copied into a scratch folder with an emulator_override.tf (provider endpoints to moto,
# backend "local"); the committed backend and provider configuration are not touched.
# What moto cannot emulate is replaced in the copy, and covered by plan-time assertions instead:
#   - IPv6 subnets (moto reports the subnet's IPv6 association state in a shape the provider never
#     sees as "associated"): the copy plans the stack IPv4-only (network enable_ipv6, ALB ipv4, no AAAA);
#   - the ElastiCache replication group (moto creates no member cache clusters, so the provider cannot
#     read the group back), nor the cache subnet group (moto cannot delete one):
#     tests/emulator/redis-standin keeps the module's interface, applies the security group and its
#     ingress rule, and reads the AUTH token secret;
#   - Application Auto Scaling (moto has no ListTagsForResource for scalable targets): the copy runs
#     the ECS module with autoscaling_enabled = false (fixed desired count);
#   - RDS Performance Insights (moto does not store it): the copy ignores changes to it, so that plans
#     do not modify the instance (covered by modules/database/tests);
#   - Step Functions (moto has no ValidateStateMachineDefinition, which the provider calls before
#     creating a state machine): the copy passes redeploy_on_secret_rotation = [], which leaves out
#     the redeploy-on-rotation workflow (state machine, EventBridge rule and target, their two roles).
#
# Usage: bash infra/tests/emulator/run.sh [summary-file]
# Needs terraform (>= 1.11), moto_server, python3, the aws CLI and jq on PATH; TF_CLI_CONFIG_FILE is honoured (run.sh
# sets it to the provider mirror). Exits non-zero on any failure; always stops moto_server.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
infra="$(cd "$here/../.." && pwd)"
summary_file="${1:-/dev/null}"
step_timeout="${EMULATOR_STEP_TIMEOUT:-240}"

for tool in terraform moto_server python3 node aws jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "emulator: $tool not found" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/b2w-emulator.XXXXXX")"
# The logs of the last run stay here (the scratch folder goes): terraform's and moto's output.
logs="${EMULATOR_LOG_DIR:-$HOME/.cache/bet2wealth-infra/emulator-logs}"
rm -rf "$logs" && mkdir -p "$logs"
moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ] && kill -0 "$moto_pid" 2>/dev/null; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  cp "$work"/*.log "$work"/*.json "$logs"/ 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------- moto on a free loopback port
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
endpoint="http://127.0.0.1:$port"
# Certificates are issued at once instead of after 60 s (ACM DNS validation is otherwise emulated).
MOTO_ACM_VALIDATION_WAIT=0 moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 100); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('$endpoint/moto-api/', timeout=1)" 2>/dev/null; then break; fi
  kill -0 "$moto_pid" 2>/dev/null || { echo "emulator: moto_server exited:" >&2; cat "$work/moto.log" >&2; exit 1; }
  sleep 0.2
done
echo "emulator: moto_server on $endpoint (pid $moto_pid)"

# ---------------------------------------------------------------- the scratch copy
mkdir -p "$work/infra"
(cd "$infra" && tar --exclude=node_modules --exclude=.terraform --exclude='*.tfstate*' -cf - .) |
  tar -xf - -C "$work/infra"
w="$work/infra"
# The provider the environments pin (their committed lock file), in every emulated root: the emulated
# apply runs the version deploys use, wherever the provider comes from (mirror or registry).
mkdir -p "$w/fixtures"
cp "$infra/envs/dev/.terraform.lock.hcl" "$w/fixtures/.terraform.lock.hcl"

# Every AWS service the code uses, pointed at moto; fake credentials; no account lookup, no IMDS.
services="acm applicationautoscaling cloudwatch ec2 ecr ecs elasticache elbv2 events iam kms logs rds route53 s3 secretsmanager sfn sns ssm sts wafv2"
override() {
  {
    echo '# Generated by tests/emulator/run.sh: moto endpoints, local state. Never committed.'
    echo 'terraform {'
    echo '  backend "local" {}'
    echo '}'
    echo 'provider "aws" {'
    echo '  region                      = "eu-central-1"'
    echo '  access_key                  = "emulator"'
    echo '  secret_key                  = "emulator"'
    echo '  skip_credentials_validation = true'
    echo '  skip_requesting_account_id  = true'
    echo '  skip_metadata_api_check     = true'
    echo '  s3_use_path_style           = true'
    echo '  max_retries                 = 2'
    echo '  endpoints {'
    for s in $services; do printf '    %-23s = "%s"\n' "$s" "$endpoint"; done
    echo '  }'
    echo '}'
  } >"$1/emulator_override.tf"
}
override "$w/bootstrap"
override "$w/envs/dev"
cp "$here/fixtures/main.tf" "$w/fixtures/" && override "$w/fixtures"
# The fixtures root has no provider block of its own: the override file's block is the provider.
# The state bucket refuses destruction in real life (prevent_destroy); the emulator must clean up.
cat >"$w/bootstrap/emulator_lifecycle_override.tf" <<'EOF'
resource "aws_s3_bucket" "state" {
  force_destroy = true
  lifecycle {
    prevent_destroy = false
  }
}
EOF
# What moto cannot emulate (see the header): IPv4-only network and the Redis stand-in.
# The stand-in's sources are kept as *.tf.emulator (linters and the schema check skip them: they
# are only ever a module in this copy) and take modules/redis/variables.tf as is: same interface.
for f in "$w/tests/emulator/redis-standin/"*.tf.emulator; do mv "$f" "${f%.emulator}"; done
cp "$infra/modules/redis/variables.tf" "$w/tests/emulator/redis-standin/variables.tf"
# moto does not store RDS Performance Insights, so every plan of the copy would modify the instance,
# and a deploy's targeted apply (the migrate task definition depends on the instance's address) would
# wait a minute and a half for that modification: the copy ignores the two attributes instead.
cat >"$w/modules/database/emulator_override.tf" <<'EOF'
resource "aws_db_instance" "this" {
  lifecycle {
    ignore_changes = [performance_insights_enabled, performance_insights_retention_period]
  }
}
EOF
cat >"$w/modules/stack/emulator_override.tf" <<'EOF'
module "network" {
  enable_ipv6 = false
}
module "alb" {
  ip_address_type = "ipv4"
}
module "dns" {
  create_aaaa_record = false
}
module "redis" {
  source = "../../tests/emulator/redis-standin"
}
module "ecs" {
  autoscaling_enabled         = false
  redeploy_on_secret_rotation = []
}
EOF

export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
export TF_IN_AUTOMATION=1 TF_INPUT=0
tf() { timeout --foreground --kill-after=10 "$step_timeout" terraform "$@"; }

image_a="123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-dev@sha256:$(printf 'a%.0s' $(seq 1 64))"
image_b="123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-dev@sha256:$(printf 'b%.0s' $(seq 1 64))"
dev_vars=(-var "backend_image=$image_a" -var "github_repository=example-org/bet2wealth-backend")

step() { echo "== emulator [$(date +%T), ${SECONDS}s]: $*"; }
applied=() # root:count
logn=0

apply_root() { # dir, extra args...
  local dir="$1"; shift
  local log
  log="$work/apply-$(basename "$dir")-$((++logn)).log"
  tf -chdir="$dir" apply -auto-approve -input=false -no-color -compact-warnings "$@" >"$log" 2>&1 ||
    { grep -A12 '^Error' "$log" | head -n 80; echo "(full log: $logs/$(basename "$log"))"; return 1; }
  grep -E '^Apply complete' "$log"
}

destroy_root() { # dir, extra args...
  local dir="$1"; shift
  local log
  log="$work/destroy-$(basename "$dir").log"
  # -refresh=false: the states are fresh (the re-plan refreshed dev; the others were just applied).
  tf -chdir="$dir" destroy -refresh=false -auto-approve -input=false -no-color -compact-warnings "$@" >"$log" 2>&1 ||
    { grep -A12 '^Error' "$log" | head -n 80; echo "(full log: $logs/$(basename "$log"))"; return 1; }
  grep -E '^Destroy complete' "$log"
  local left
  left="$(tf -chdir="$dir" state list | grep -vc '^data\.\|\.data\.' || true)"
  [ "$left" = 0 ] || { echo "emulator: $left resources left in $(basename "$dir")'s state after destroy"; return 1; }
}

start=$SECONDS
# One init at a time: concurrent inits race on the shared plugin cache.
for root in bootstrap fixtures envs/dev; do
  tf -chdir="$w/$root" init -input=false -no-color -lockfile=readonly >"$work/init-${root##*/}.log" 2>&1 ||
    { cat "$work/init-${root##*/}.log"; exit 1; }
done
# infra/tests/run.sh starts its `terraform test`s only now: no init writes the plugin cache beside them.
if [ -n "${EMULATOR_INITS_DONE:-}" ]; then touch "$EMULATOR_INITS_DONE"; fi
count() { tf -chdir="$1" state list | grep -vc '^data\.\|\.data\.' || true; }
# Side by side where the roots do not depend on each other: the provider spends most of an emulated
# apply sleeping in its waiters (RDS waits a minute before its first poll), not on the CPU.
step "fixtures apply (hosted zone, Redis AUTH token secret, SSM parameters) | bootstrap: the OIDC provider dev looks up"
apply_root "$w/fixtures" >"$work/fixtures.out" 2>&1 &
bg=$!
apply_root "$w/bootstrap" -target=aws_iam_openid_connect_provider.github
if ! wait "$bg"; then cat "$work/fixtures.out"; exit 1; fi
cat "$work/fixtures.out"

step "envs/dev apply | bootstrap apply (state bucket and its policies)"
apply_root "$w/bootstrap" >"$work/bootstrap.out" 2>&1 &
bg=$!
apply_root "$w/envs/dev" "${dev_vars[@]}"
if ! wait "$bg"; then cat "$work/bootstrap.out"; exit 1; fi
cat "$work/bootstrap.out"
applied=("bootstrap:$(count "$w/bootstrap")" "fixtures:$(count "$w/fixtures")" "dev:$(count "$w/envs/dev")")

step "envs/dev re-plan -detailed-exitcode (the apply must leave nothing to change) | a deploy's first plan: the migrate task definition alone (new image digest)"
# Side by side, without the state lock (both only read the state): the re-plan refreshes every
# resource; the deploy's targeted plan skips the refresh (the re-plan just did it), a saved plan like CI's.
migrate='module.stack.module.ecs.aws_ecs_task_definition.one_off["migrate"]'
deploy_vars=(-var "backend_image=$image_b" -var "github_repository=example-org/bet2wealth-backend")
tf -chdir="$w/envs/dev" plan -lock=false -refresh=false -input=false -no-color -target="$migrate" -out="$work/migrate.tfplan" \
  "${deploy_vars[@]}" >"$work/plan-migrate.log" 2>&1 &
bg=$!
set +e
tf -chdir="$w/envs/dev" plan -lock=false -detailed-exitcode -input=false -no-color -out="$work/replan.tfplan" "${dev_vars[@]}" >"$work/replan.log" 2>&1
replan=$?
wait "$bg"
migrate_plan=$?
set -e
[ "$migrate_plan" -eq 0 ] || { grep -A12 '^Error' "$work/plan-migrate.log" | head -n 40; exit 1; }
case "$replan" in
  0) replan_result="no changes"; echo "$replan_result" ;;
  2) # Changes: only attributes moto does not store may differ (replan-check.mjs lists them and why).
    tf -chdir="$w/envs/dev" show -json "$work/replan.tfplan" >"$work/replan.json"
    if ! node "$here/replan-check.mjs" "$work/replan.json" | tee "$work/replan-check.log"; then
      sed -n '/Terraform will perform/,$p' "$work/replan.log" | head -n 150
      exit 1
    fi
    replan_result="no change but $(grep -c 'tolerated' "$work/replan-check.log") known moto read-back gaps" ;;
  *) grep -A12 '^Error' "$work/replan.log" | head -n 60; exit 1 ;;
esac

# The plans carry the same moto read-back gaps as the re-plan: taken out before the guard, so that it
# judges what real AWS would plan.
guard() { # name (of the saved plan), guard options...
  local name="$1"; shift
  tf -chdir="$w/envs/dev" show -json "$work/$name.tfplan" >"$work/$name-raw.json"
  node "$here/replan-check.mjs" --strip "$work/$name-raw.json" >"$work/$name.json"
  node "$infra/scripts/plan-guard.mjs" "$@" "$work/$name.json" >"$work/guard-$name.log"
}

step "the deploy's migration: plan guard --only on the targeted plan, its apply, the migrate task run on moto (run-task.sh)"
guard migrate --only "$migrate" || { cat "$work/guard-migrate.log"; echo "emulator: the guard refused the migrate-only plan"; exit 1; }
grep -qF "$migrate: delete, create" "$work/guard-migrate.log" || { cat "$work/guard-migrate.log"; echo "emulator: the targeted plan did not replace the migrate task definition"; exit 1; }
head -n 1 "$work/guard-migrate.log"
apply_root "$w/envs/dev" "$work/migrate.tfplan"
# The aws CLI (run-task.sh's) against moto, with the fake keys; Terraform keeps its own provider settings.
moto_aws_env=(AWS_ENDPOINT_URL="$endpoint" AWS_ACCESS_KEY_ID=emulator AWS_SECRET_ACCESS_KEY=emulator AWS_DEFAULT_REGION=eu-central-1
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null)
# moto sizes a task from its containers' memory (Fargate needs only the task's, which the module sets):
# the same definition, with the container given the task's memory, registered as the family's next
# revision. moto then ends the task by itself (RUNNING, ..., STOPPED, one step per describe-tasks) with
# exit code 0: a migration that succeeds.
env "${moto_aws_env[@]}" aws ecs describe-task-definition --task-definition bet2wealth-backend-dev-migrate --output json |
  jq '.taskDefinition | .memory as $m
      | {family, taskRoleArn, executionRoleArn, networkMode, requiresCompatibilities, cpu, memory, runtimePlatform, volumes,
         containerDefinitions: [.containerDefinitions[] | .memory = ($m | tonumber)]}
      | with_entries(select(.value != null))' >"$work/migrate-moto.json"
env "${moto_aws_env[@]}" aws ecs register-task-definition --cli-input-json "file://$work/migrate-moto.json" --output json >/dev/null
# Side by side: the migrate task, and the deploy's full plan of the state the targeted apply left.
tf -chdir="$w/envs/dev" plan -lock=false -refresh=false -input=false -no-color -out="$work/deploy.tfplan" \
  "${deploy_vars[@]}" >"$work/plan-deploy.log" 2>&1 &
bg=$!
env "${moto_aws_env[@]}" RUN_TASK_POLL_SECONDS=1 bash "$infra/scripts/run-task.sh" --expect-image "$image_b" --timeout 60 --reason emulator "$w/envs/dev" migrate \
  >"$work/run-task.log" 2>&1 || { cat "$work/run-task.log"; echo "emulator: the migrate task failed"; exit 1; }
grep -E '^run-task: (migrate: |migrate succeeded)' "$work/run-task.log"
wait "$bg" || { grep -A12 '^Error' "$work/plan-deploy.log" | head -n 40; exit 1; }

step "plan guard on real plans: the deploy plan passes, the raw re-plan (security-group rules change) is refused"
guard deploy || { cat "$work/guard-deploy.log"; echo "emulator: the guard refused an image-only deploy"; exit 1; }
for a in 'aws_ecs_task_definition.backend: delete, create' 'aws_ecs_task_definition.one_off["db-roles"]: delete, create' 'aws_ecs_service.backend: update'; do
  grep -qF "$a" "$work/guard-deploy.log" || { cat "$work/guard-deploy.log"; echo "emulator: the deploy plan lacks $a"; exit 1; }
done
if grep -qF 'one_off["migrate"]' "$work/guard-deploy.log"; then
  cat "$work/guard-deploy.log"; echo "emulator: the deploy plan changes the migrate task definition again"; exit 1
fi
head -n 1 "$work/guard-deploy.log"
guard_result="migrate-only plan accepted by the guard and applied, migrate task run to exit 0, full plan accepted"
if [ "$replan" -eq 2 ]; then
  # As moto left it, the re-plan updates security-group rules: exactly what a deploy must not apply.
  if node "$infra/scripts/plan-guard.mjs" "$work/replan.json" >"$work/guard-replan.log" 2>&1; then
    cat "$work/guard-replan.log"; echo "emulator: the guard let security-group changes through"; exit 1
  fi
  grep -q 'aws_vpc_security_group_ingress_rule' "$work/guard-replan.log" || { cat "$work/guard-replan.log"; echo "emulator: the guard did not name the rules"; exit 1; }
  head -n 1 "$work/guard-replan.log"
  guard_result="$guard_result; the re-plan's security-group changes refused"
fi

step "destroy dev | bootstrap, then fixtures (dev's records are in the fixtures' zone)"
destroy_root "$w/bootstrap" >"$work/bootstrap.out" 2>&1 &
bg=$!
destroy_root "$w/envs/dev" "${dev_vars[@]}"
if ! wait "$bg"; then cat "$work/bootstrap.out"; exit 1; fi
cat "$work/bootstrap.out"
destroy_root "$w/fixtures"

elapsed=$((SECONDS - start))
total=0
for a in "${applied[@]}"; do total=$((total + ${a#*:})); done
line="emulated apply: ${total} resources applied on moto (${applied[*]}); re-plan: ${replan_result}; deploy of a new digest: ${guard_result}; all destroyed (${elapsed}s)"
echo "$line"
echo "$line" >"$summary_file"
