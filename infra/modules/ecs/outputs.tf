output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.backend.name
}

output "service_arn" {
  description = "ARN of the ECS service."
  value       = aws_ecs_service.backend.id
}

output "task_definition_arn" {
  description = "ARN (with revision) of the current task definition."
  value       = aws_ecs_task_definition.backend.arn
}

output "task_definition_family" {
  description = "Family of the task definition (scope of the deploy role's tagging permission)."
  value       = aws_ecs_task_definition.backend.family
}

output "container_name" {
  description = "Name of the backend container."
  value       = var.container_name
}

output "one_off_task_definition_arns" {
  description = "One-off task definitions, key => ARN with revision (the revision this apply registered)."
  value       = { for k, td in aws_ecs_task_definition.one_off : k => td.arn }
}

output "one_off_task_definition_families" {
  description = "One-off task definitions, key => family (<name>-<key>): `aws ecs run-task --task-definition <family>` runs its latest revision."
  value       = { for k, td in aws_ecs_task_definition.one_off : k => td.family }
}

output "one_off_log_stream_prefixes" {
  description = "One-off tasks, key => awslogs stream prefix in the service's log group (streams <prefix>/<container>/<task-id>)."
  value       = { for k in keys(var.one_off_tasks) : k => k }
}

output "private_subnet_ids" {
  description = "Private subnets the tasks run in (what `aws ecs run-task` needs for a one-off task)."
  value       = var.private_subnet_ids
}

output "security_group_id" {
  description = "ID of the tasks' security group (the only source Redis and PostgreSQL admit)."
  value       = aws_security_group.tasks.id
}

output "log_group_name" {
  description = "CloudWatch log group of the backend (/ecs/backend-logs-<environment>)."
  value       = aws_cloudwatch_log_group.backend.name
}

output "log_group_arn" {
  description = "ARN of the backend log group."
  value       = aws_cloudwatch_log_group.backend.arn
}

output "redeploy_state_machine_arn" {
  description = "ARN of the workflow that redeploys the service after a secret rotation (null when redeploy_on_secret_rotation is empty)."
  value       = one(aws_sfn_state_machine.redeploy[*].arn)
}

output "deployment_alarm_names" {
  description = "CloudWatch alarms ECS watches during a deployment (target 5xx, unhealthy hosts); either one in ALARM rolls the service back."
  value       = [for a in aws_cloudwatch_metric_alarm.deployment : a.alarm_name]
}

output "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL of the backend container (its task definition's stopTimeout)."
  value       = local.container_definition.stopTimeout
}
