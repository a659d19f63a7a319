#!/usr/bin/env bash
# Runs one of an environment's one-off ECS tasks (modules/ecs one_off_tasks: migrate, db-roles) to its
# end, and fails unless its container exited 0:
#   1. reads the environment's Terraform outputs (cluster, one-off families, the service's private
#      subnets and security group);
#   2. resolves the family to its latest ACTIVE revision (a deploy's targeted apply has just registered
#      it; the one_off_task_definition_arns output is not refreshed by a targeted apply) and, with
#      --expect-image, checks that the revision runs that image;
#   3. aws ecs run-task: Fargate, the service's private subnets and security group, no public IP,
#      --started-by saying why;
#   4. polls describe-tasks until the task is STOPPED, at most --timeout seconds (then stops it and fails);
#   5. the container's exit code 0: success. Anything else (another exit code, none because the task
#      never started: CannotPullContainerError, ResourceInitializationError, ...) fails, printing the
#      task's stopCode and stoppedReason and the last lines of its log stream
#      (<stream prefix>/<container>/<task id> in the task definition's awslogs group).
# Usage: infra/scripts/run-task.sh [--expect-image IMAGE] [--timeout SECONDS] [--reason TEXT] <env | env root> <key>
#   <env> is infra/envs/<env>; a directory is taken as the root module itself.
# Needs: terraform (its state: the outputs), aws CLI, jq, and AWS credentials that may run the task
# (the deploy role, or an administrator's). RUN_TASK_POLL_SECONDS (default 6) sets the polling interval,
# RUN_TASK_LOG_LINES (default 50) how many log lines a failure prints.
# Exit: 0 the task's container exited 0; 1 it did not (or the task could not run); 2 bad usage.
set -euo pipefail

usage() { echo "usage: run-task.sh [--expect-image IMAGE] [--timeout SECONDS] [--reason TEXT] <env | env root> <key>" >&2; exit 2; }

# The verdict on one `aws ecs describe-tasks` answer (JSON on stdin) for container $1, one line:
#   running <lastStatus>                  not stopped yet
#   succeeded <details>                   stopped, the container exited 0
#   failed <details>                      stopped otherwise, or no such task
task_verdict() {
  jq -r --arg c "$1" '
    (.tasks // [])[0] as $t
    | if $t == null then
        "failed the task is unknown to ECS (\((.failures // []) | map("\(.arn // "") \(.reason // "") \(.detail // "")") | join("; ")))"
      elif $t.lastStatus != "STOPPED" then
        "running \($t.lastStatus)"
      else
        ([($t.containers // [])[] | select(.name == $c)][0]) as $k
        | ("stopCode \($t.stopCode // "none"); stoppedReason: \($t.stoppedReason // "none")"
          + (if ($k.reason // "") != "" then "; container: \($k.reason)" else "" end)) as $why
        | if $k == null then "failed no container \($c) in the task; \($why)"
          elif ($k.exitCode // null) == 0 then "succeeded exit code 0; \($why)"
          elif ($k.exitCode // null) == null then "failed no exit code (the container did not run to its end); \($why)"
          else "failed exit code \($k.exitCode); \($why)"
          end
      end'
}

# --started-by: at most 128 letters, digits, hyphens, underscores and slashes.
started_by() { printf '%s' "$1" | tr -c 'A-Za-z0-9_/-' '-' | cut -c1-128; }

main() {
  export AWS_PAGER="" # aws CLI v2: no pager, whatever the terminal
  local expect_image="" timeout=900 reason=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --expect-image) expect_image="${2:?--expect-image needs an image}"; shift 2 ;;
      --timeout) timeout="${2:?--timeout needs seconds}"; shift 2 ;;
      --reason) reason="${2:?--reason needs a text}"; shift 2 ;;
      -h | --help) usage ;;
      --*) usage ;;
      *) break ;;
    esac
  done
  [ $# -eq 2 ] || usage
  local env="$1" key="$2" root
  [[ "$timeout" =~ ^[1-9][0-9]*$ ]] || usage
  if [ -d "$env" ]; then
    root="$env"
  else
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/envs/$env"
    [ -d "$root" ] || { echo "run-task: no environment $env (infra/envs/$env)" >&2; exit 2; }
  fi
  local poll="${RUN_TASK_POLL_SECONDS:-6}" lines="${RUN_TASK_LOG_LINES:-50}"

  # ---- 1. what the environment's state says
  local outputs cluster family subnets security_group
  outputs="$(terraform -chdir="$root" output -json)"
  cluster="$(jq -r '.ecs_cluster_name.value // empty' <<<"$outputs")"
  family="$(jq -r --arg k "$key" '.one_off_task_families.value[$k] // empty' <<<"$outputs")"
  subnets="$(jq -r '.ecs_private_subnet_ids.value // [] | join(",")' <<<"$outputs")"
  security_group="$(jq -r '.ecs_security_group_id.value // empty' <<<"$outputs")"
  if [ -z "$family" ]; then
    echo "run-task: no one-off task '$key' in $root (one_off_task_families: $(jq -c '.one_off_task_families.value // {} | keys' <<<"$outputs"))" >&2
    exit 2
  fi
  if [ -z "$cluster" ] || [ -z "$subnets" ] || [ -z "$security_group" ]; then
    echo "run-task: the outputs ecs_cluster_name, ecs_private_subnet_ids, ecs_security_group_id are missing in $root (apply first)" >&2
    exit 1
  fi

  # ---- 2. the family's latest ACTIVE revision: its ARN, image, container and log stream
  local definition task_definition image container log_group log_prefix
  definition="$(aws ecs describe-task-definition --task-definition "$family" --output json)"
  task_definition="$(jq -r '.taskDefinition.taskDefinitionArn' <<<"$definition")"
  image="$(jq -r '.taskDefinition.containerDefinitions[0].image' <<<"$definition")"
  container="$(jq -r '.taskDefinition.containerDefinitions[0].name' <<<"$definition")"
  log_group="$(jq -r '.taskDefinition.containerDefinitions[0].logConfiguration.options["awslogs-group"] // empty' <<<"$definition")"
  log_prefix="$(jq -r '.taskDefinition.containerDefinitions[0].logConfiguration.options["awslogs-stream-prefix"] // empty' <<<"$definition")"
  echo "run-task: $key: $task_definition ($image) in cluster $cluster"
  if [ -n "$expect_image" ] && [ "$image" != "$expect_image" ]; then
    echo "::error::run-task: $task_definition runs $image, expected $expect_image (was the $key task definition applied?)"
    exit 1
  fi

  # ---- 3. run it where the service's tasks run
  local run task_arn
  run="$(aws ecs run-task --cluster "$cluster" --task-definition "$task_definition" --launch-type FARGATE --count 1 \
    --started-by "$(started_by "${reason:-run-task/$key/${GITHUB_RUN_ID:-${USER:-operator}}}")" \
    --network-configuration "awsvpcConfiguration={subnets=[$subnets],securityGroups=[$security_group],assignPublicIp=DISABLED}" \
    --output json)"
  task_arn="$(jq -r '.tasks[0].taskArn // empty' <<<"$run")"
  if [ -z "$task_arn" ]; then
    echo "::error::run-task: ECS did not start the $key task: $(jq -c '.failures' <<<"$run")"
    exit 1
  fi
  echo "run-task: started ${task_arn##*/}; waiting for it to stop (at most ${timeout} s)"

  # ---- 4. until it stops
  local deadline=$((SECONDS + timeout)) verdict status=""
  while :; do
    verdict="$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task_arn" --output json | task_verdict "$container")"
    case "$verdict" in
      running\ *)
        if [ "${verdict#running }" != "$status" ]; then status="${verdict#running }"; echo "run-task: $status"; fi
        if [ "$SECONDS" -ge "$deadline" ]; then
          aws ecs stop-task --cluster "$cluster" --task "$task_arn" --reason "run-task.sh: timed out after ${timeout} s" >/dev/null || true
          verdict="failed timed out after ${timeout} s while $status (the task was stopped)"
          break
        fi
        sleep "$poll"
        ;;
      *) break ;;
    esac
  done

  # ---- 5. exit code 0, or the reason and the task's last log lines
  if [ "${verdict%% *}" = succeeded ]; then
    echo "run-task: $key succeeded (${verdict#succeeded })"
    return 0
  fi
  echo "::error::run-task: $key failed: ${verdict#failed }"
  if [ -n "$log_group" ] && [ -n "$log_prefix" ]; then
    local stream="$log_prefix/$container/${task_arn##*/}"
    echo "---- last $lines lines of $log_group $stream"
    aws logs get-log-events --log-group-name "$log_group" --log-stream-name "$stream" --limit "$lines" \
      --output json 2>&1 | jq -r '.events[].message' 2>/dev/null ||
      echo "(no such log stream: the container did not start, or wrote nothing)"
    echo "----"
  fi
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
