output "api_url" {
  description = "Base URL of the API."
  value       = module.dns.url
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = module.alb.alb_dns_name
}

output "ecr_repository_url" {
  description = "ECR repository to push images to (backend_image = <this>:<tag>)."
  value       = module.ecr.repository_url
}

output "redis_primary_endpoint" {
  description = "Primary endpoint of the Redis replication group (REDIS_HOST)."
  value       = module.redis.primary_endpoint_address
}

output "database_endpoint" {
  description = "PostgreSQL endpoint, host:port."
  value       = module.database.endpoint
}

output "database_master_secret_arn" {
  description = "ARN of the RDS-managed secret with the database password (injected as DB_PASSWORD)."
  value       = module.database.master_user_secret_arn
}

output "ecs_cluster_name" {
  description = "Name of the ECS cluster."
  value       = module.ecs.cluster_name
}

output "ecs_service_name" {
  description = "Name of the ECS service."
  value       = module.ecs.service_name
}

output "one_off_task_definition_arns" {
  description = "One-off task definitions (migrate, db-roles), key => ARN of the revision the last full apply registered. A deploy's targeted apply of migrate does not refresh this map: infra/scripts/run-task.sh runs a family's latest revision."
  value       = module.ecs.one_off_task_definition_arns
}

output "one_off_task_families" {
  description = "One-off task definitions, key => family (infra/scripts/run-task.sh <env> <key> runs its latest revision)."
  value       = module.ecs.one_off_task_definition_families
}

output "ecs_private_subnet_ids" {
  description = "Private subnets of the service's tasks (a one-off task runs there too)."
  value       = module.ecs.private_subnet_ids
}

output "ecs_security_group_id" {
  description = "Security group of the service's tasks (a one-off task runs in it: it reaches PostgreSQL and Redis)."
  value       = module.ecs.security_group_id
}

output "log_group_name" {
  description = "CloudWatch log group of the backend."
  value       = module.ecs.log_group_name
}

output "nat_public_ips" {
  description = "Egress IPs of the service (for allow-lists)."
  value       = module.network.nat_public_ips
}

output "deploy_role_arn" {
  description = "ARN of the GitHub Actions deploy role of this environment."
  value       = module.github_oidc.role_arn
}

output "container_environment" {
  description = "Plain-text environment of the backend container, NAME => value (non-secret by construction: no passwords, no URLs with credentials)."
  value       = local.container_environment
}

output "container_secret_arns" {
  description = "Secrets of the backend container, NAME => ARN (SSM parameter or Secrets Manager secret, optionally :json-key::); ECS reads the values at task start, they never pass through Terraform."
  value       = local.container_secrets
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic every CloudWatch alarm of this environment notifies on ALARM and OK."
  value       = module.monitoring.topic_arn
}

output "dashboard_name" {
  description = "Name of the environment's CloudWatch dashboard."
  value       = module.monitoring.dashboard_name
}

output "rolling_restart_timing" {
  description = "What a rolling deployment's timing is made of (tests/stack/test_rolling_restart.py measures the same sequence locally): the target group's deregistration delay and health check, and the container's stopTimeout."
  value       = merge(module.alb.traffic_timing, { stop_timeout = module.ecs.stop_timeout })
}

output "deploy_role_subjects" {
  description = "OIDC subjects (repo:<repository>:environment:<env>) allowed to assume the deploy role."
  value       = module.github_oidc.allowed_subjects
}

output "promote_from_repository_arns" {
  description = "ECR repositories the deploy role may copy tested images from (production: dev's)."
  value       = module.github_oidc.promote_from_repository_arns
}

output "alb_access_logs_bucket" {
  description = "Bucket of the ALB access logs."
  value       = module.alb.access_logs_bucket
}
