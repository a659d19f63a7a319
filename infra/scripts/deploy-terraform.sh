#!/usr/bin/env bash
# The deploy's Terraform step, as the workflow (.github/workflows/deploy.yml) runs it:
#   terraform init with the committed lock file (-lockfile=readonly: the provider version and hashes
#   that infra/tests/run.sh tested), plan -out with the image pinned by digest, terraform show -json,
#   the plan guard (infra/scripts/plan-guard.mjs: only the task definition and the service may change;
#   anything else fails here with the diff shown, to be applied by a person), then apply of exactly
#   that saved plan.
# Usage: infra/scripts/deploy-terraform.sh <env> <repository>@sha256:<digest>
# Needs: terraform, node, AWS credentials of the environment's deploy role, TF_VAR_github_repository.
set -euo pipefail

env="${1:?usage: deploy-terraform.sh <env> <image@sha256:digest>}"
image="${2:?usage: deploy-terraform.sh <env> <image@sha256:digest>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../envs/$env"
[ -d "$root" ] || { echo "deploy-terraform: no environment $env (infra/envs/$env)" >&2; exit 2; }
case "$image" in
  *@sha256:*) ;;
  *) echo "deploy-terraform: $image is not pinned by digest (<repository>@sha256:<digest>)" >&2; exit 2 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

terraform -chdir="$root" init -input=false -no-color -lockfile=readonly
terraform -chdir="$root" plan -input=false -no-color -out="$work/deploy.tfplan" -var "backend_image=$image"
terraform -chdir="$root" show -json "$work/deploy.tfplan" >"$work/deploy.json"
node "$here/plan-guard.mjs" "$work/deploy.json"
terraform -chdir="$root" apply -input=false -no-color "$work/deploy.tfplan"
