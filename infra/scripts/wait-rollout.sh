#!/usr/bin/env bash
# After a deploy's apply: wait until the ECS service is stable, then check that its PRIMARY deployment
# completed on a task definition that runs exactly the deployed image (a deployment that the circuit
# breaker or a deployment alarm rolled back is stable too, on the old image: that fails here).
# Usage: infra/scripts/wait-rollout.sh <cluster> <service> <repository>@sha256:<digest>
set -euo pipefail

cluster="${1:?usage: wait-rollout.sh <cluster> <service> <image>}"
service="${2:?usage: wait-rollout.sh <cluster> <service> <image>}"
image="${3:?usage: wait-rollout.sh <cluster> <service> <image>}"

# Polls every 15 s for up to 10 minutes; fails if the service does not settle.
aws ecs wait services-stable --cluster "$cluster" --services "$service"
# shellcheck disable=SC2016 # backticks are JMESPath literals, not command substitution
read -r task_definition rollout < <(aws ecs describe-services --cluster "$cluster" --services "$service" \
  --query 'services[0].deployments[?status==`PRIMARY`] | [0].[taskDefinition, rolloutState]' --output text)
images="$(aws ecs describe-task-definition --task-definition "$task_definition" \
  --query 'taskDefinition.containerDefinitions[].image' --output text)"
echo "primary deployment: $task_definition ($rollout), images: $images"
if [ "$rollout" != COMPLETED ] || ! grep -qwF "$image" <<<"$images"; then
  echo "::error::the service did not roll out $image (primary: $task_definition, $rollout)"
  exit 1
fi
