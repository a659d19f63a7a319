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

  # Set per deployment: the image (CI, by digest) and the repository allowed to deploy (variables.tf).
  backend_image     = var.backend_image
  github_repository = var.github_repository
  # Only jobs bound to the GitHub environment "production" may assume the deploy role (OIDC subject
  # repo:<repository>:environment:production); its deployment-branch rule says which branches get there.
  github_environments = ["production"]
  # The image production runs is the digest dev tested, copied from dev's repository.
  promote_images_from = ["dev"]

  # Committed per-environment values: an apply from CI and one from an operator's machine plan the
  # same thing (no terraform.tfvars). None of them is secret; account ids stay out of the code.
  certificate_arn     = null  # null: Terraform requests api.production.bet2wealth.co in ACM and validates it by DNS
  secrets_kms_key_arn = null  # null: the AWS-managed keys aws/secretsmanager and aws/ssm
  container_secrets   = {}    # beyond JWT_SECRET, JWT_REFRESH_SECRET, PAYSTACK_SECRET_KEY, REDIS_AUTH_TOKEN, DB_USER, DB_PASSWORD
  db_login            = "app" # least-privileged role; migrations run as the migrator before each service update (README)

  # Edge and network
  # The ALB access logs go to bet2wealth-backend-production-alb-logs-<account>.
  alb_deletion_protection        = true
  alb_access_logs_retention_days = 90
  alb_access_logs_force_destroy  = false # the stack refuses true in production
  one_nat_gateway_per_az         = false # true: one NAT gateway per AZ, egress survives an AZ outage (+1 NAT gateway)
  enable_flow_logs               = true

  # Service: 2 x 1 vCPU / 2 GiB, autoscaling 2-10
  task_cpu           = 1024
  task_memory        = 2048
  autoscaling_max    = 10
  log_retention_days = 90
  log_level          = "info"
  ecr_images_to_keep = 50

  # Data stores. The three database guards are required in production: the stack refuses
  # environment = "production" with any of them off (validations in modules/stack/variables.tf).
  redis_node_type                = "cache.t4g.small"
  redis_snapshot_retention_days  = 7
  db_instance_class              = "db.t4g.medium"
  db_allocated_storage           = 50
  db_multi_az                    = true
  db_backup_retention_days       = 14
  db_deletion_protection         = true
  db_final_snapshot              = true
  db_secret_recovery_window_days = 30

  # Monitoring: alarms notify the topic on ALARM and OK. Production alarms early: these are the
  # monitoring module's defaults, written out so the two environments compare side by side.
  # Recipients of the alarms (ALARM and OK): committed here, reviewed like code; each address must
  # confirm the subscription AWS mails it. Empty: no e-mail subscription (the topic still exists).
  alarm_emails = []
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
