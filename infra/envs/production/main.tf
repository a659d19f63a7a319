# The production environment: the whole stack (../../modules/stack) with production's values.
# Everything both environments share lives in the stack module; only what differs is set here.
locals {
  environment = "production"
}

module "stack" {
  source = "../../modules/stack"

  environment = local.environment
  app_env     = "production" # APP_ENV the service understands: development | production
  domain_name = "api.production.bet2wealth.co"

  # Set per deployment (CI, terraform.tfvars): see variables.tf.
  backend_image     = var.backend_image
  github_repository = var.github_repository
  # The deploy job runs in the GitHub environment "production" (its OIDC subject) on pushes to main.
  github_branches             = ["main"]
  github_environments         = ["production"]
  create_github_oidc_provider = var.create_github_oidc_provider
  certificate_arn             = var.certificate_arn
  alb_access_logs_bucket      = var.alb_access_logs_bucket
  secrets_kms_key_arn         = var.secrets_kms_key_arn
  container_secrets           = var.container_secrets

  # Edge and network
  alb_deletion_protection = true
  one_nat_gateway_per_az  = false # true: one NAT gateway per AZ, egress survives an AZ outage (+1 NAT gateway)
  enable_flow_logs        = true

  # Service: 2 x 1 vCPU / 2 GiB, autoscaling 2-10
  task_cpu           = 1024
  task_memory        = 2048
  autoscaling_max    = 10
  log_retention_days = 90
  log_level          = "info"
  ecr_images_to_keep = 50

  # Data stores. The three database guards are required in production: the stack refuses
  # environment = "production" with any of them off (validations in modules/stack/variables.tf).
  redis_node_type               = "cache.t4g.small"
  redis_snapshot_retention_days = 7
  db_instance_class             = "db.t4g.medium"
  db_allocated_storage          = 50
  db_multi_az                   = true
  db_backup_retention_days      = 14
  db_deletion_protection        = true
  db_final_snapshot             = true

  # Monitoring: alarms notify the topic on ALARM and OK. Production alarms early: these are the
  # monitoring module's defaults, written out so the two environments compare side by side.
  alarm_emails = var.alarm_emails
  alarm_thresholds = {
    alb_target_5xx_threshold        = 10
    alb_elb_5xx_threshold           = 10
    alb_unhealthy_host_minutes      = 2
    alb_response_time_p99_seconds   = 1
    ecs_cpu_high_percent            = 80
    ecs_memory_high_percent         = 80
    rds_cpu_high_percent            = 80
    rds_free_storage_low_gib        = 10  # of 50 GiB allocated
    rds_connections_high            = 300 # db.t4g.medium: max_connections is roughly 400
    redis_engine_cpu_high_percent   = 80
    redis_memory_high_percent       = 80
    service_server_errors_threshold = 10
    service_latency_p99_ms          = 500
  }
}
