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
