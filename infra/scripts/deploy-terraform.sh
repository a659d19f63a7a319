#!/usr/bin/env bash
# The deploy's Terraform step, as the workflow (.github/workflows/deploy.yml) runs it:
#   terraform init with the committed lock file (-lockfile=readonly: the provider version and hashes
#   that infra/tests/run.sh tested), then
#   1. the migration first: terraform plan -target=<the migrate one-off task definition> -out, terraform
#      show -json, the plan guard with --only that address (the plan may register that revision and
#      change nothing else), apply of exactly that saved plan; then infra/scripts/run-task.sh runs the
#      migrate task (`bet2wealth migrate` as the migrator) and the deploy stops unless it exits 0;
#   2. everything else: plan -out with the image pinned by digest, terraform show -json, the plan guard
#      (infra/scripts/plan-guard.mjs: only the task definitions and the service may change; anything
#      else fails here with the diff shown, to be applied by a person), then apply of exactly that
#      saved plan.
# Why -target, although Terraform calls it an exception: the service must not roll before the schema
# is migrated (the app role may not change it, and a task refuses to start on an older schema), while
# the migration must run the new image's migrations, i.e. a task definition of the new image. A saved
# plan cannot be applied in parts, so the migrate revision gets a plan (and a guard) of its own.
# Usage: infra/scripts/deploy-terraform.sh <env> <repository>@sha256:<digest>
# Needs: terraform, node, aws CLI, jq, AWS credentials of the environment's deploy role,
# TF_VAR_github_repository.
set -euo pipefail

for tool in terraform node aws jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "deploy-terraform: $tool is required" >&2; exit 2; }
done
env="${1:?usage: deploy-terraform.sh <env> <image@sha256:digest>}"
image="${2:?usage: deploy-terraform.sh <env> <image@sha256:digest>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../envs/$env"
[ -d "$root" ] || { echo "deploy-terraform: no environment $env (infra/envs/$env)" >&2; exit 2; }
case "$image" in
  *@sha256:*) ;;
  *) echo "deploy-terraform: $image is not pinned by digest (<repository>@sha256:<digest>)" >&2; exit 2 ;;
esac
migrate='module.stack.module.ecs.aws_ecs_task_definition.one_off["migrate"]'

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

terraform -chdir="$root" init -input=false -no-color -lockfile=readonly

echo "== 1. the migrate task definition of $image, then the migration"
terraform -chdir="$root" plan -input=false -no-color -target="$migrate" -out="$work/migrate.tfplan" -var "backend_image=$image"
terraform -chdir="$root" show -json "$work/migrate.tfplan" >"$work/migrate.json"
node "$here/plan-guard.mjs" --only "$migrate" "$work/migrate.json"
terraform -chdir="$root" apply -input=false -no-color "$work/migrate.tfplan"
"$here/run-task.sh" --expect-image "$image" --reason "deploy-${env}-${GITHUB_RUN_ID:-manual}" "$root" migrate

echo "== 2. the service and the other task definitions"
terraform -chdir="$root" plan -input=false -no-color -out="$work/deploy.tfplan" -var "backend_image=$image"
terraform -chdir="$root" show -json "$work/deploy.tfplan" >"$work/deploy.json"
node "$here/plan-guard.mjs" "$work/deploy.json"
terraform -chdir="$root" apply -input=false -no-color "$work/deploy.tfplan"
