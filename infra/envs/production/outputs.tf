# The stack's outputs, for operators and the deploy workflow (terraform output -raw <name>).
output "api_url" {
  description = "Base URL of the API."
  value       = module.stack.api_url
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = module.stack.alb_dns_name
}

output "ecr_repository_url" {
  description = "ECR repository to push images to (backend_image = <this>:<tag>)."
  value       = module.stack.ecr_repository_url
}

output "redis_primary_endpoint" {
  description = "Primary endpoint of the Redis replication group (REDIS_HOST)."
  value       = module.stack.redis_primary_endpoint
}

output "database_endpoint" {
  description = "PostgreSQL endpoint, host:port."
  value       = module.stack.database_endpoint
}

output "database_master_secret_arn" {
  description = "ARN of the RDS-managed secret with the database password (injected as DB_PASSWORD)."
  value       = module.stack.database_master_secret_arn
}

output "ecs_cluster_name" {
  description = "Name of the ECS cluster."
  value       = module.stack.ecs_cluster_name
}

output "ecs_service_name" {
  description = "Name of the ECS service."
  value       = module.stack.ecs_service_name
}

output "one_off_task_definition_arns" {
  description = "One-off task definitions (migrate, db-roles), key => ARN of the revision the last full apply registered."
  value       = module.stack.one_off_task_definition_arns
}

output "one_off_task_families" {
  description = "One-off task definitions, key => family (infra/scripts/run-task.sh <env> <key> runs its latest revision)."
  value       = module.stack.one_off_task_families
}

output "ecs_private_subnet_ids" {
  description = "Private subnets of the service's tasks (a one-off task runs there too)."
  value       = module.stack.ecs_private_subnet_ids
}

output "ecs_security_group_id" {
  description = "Security group of the service's tasks (a one-off task runs in it)."
  value       = module.stack.ecs_security_group_id
}

output "log_group_name" {
  description = "CloudWatch log group of the backend."
  value       = module.stack.log_group_name
}

output "nat_public_ips" {
  description = "Egress IPs of the service (for allow-lists)."
  value       = module.stack.nat_public_ips
}

output "deploy_role_arn" {
  description = "ARN of the GitHub Actions deploy role of this environment."
  value       = module.stack.deploy_role_arn
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic every CloudWatch alarm of this environment notifies on ALARM and OK."
  value       = module.stack.alarm_topic_arn
}

output "dashboard_name" {
  description = "Name of the environment's CloudWatch dashboard."
  value       = module.stack.dashboard_name
}

output "alb_access_logs_bucket" {
  description = "Bucket of the ALB access logs."
  value       = module.stack.alb_access_logs_bucket
}
