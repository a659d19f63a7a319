# The dev environment: the whole stack (../../modules/stack) with dev's values. Everything both
# environments share lives in the stack module; only what differs between them is set here.
locals {
  environment = "dev"
}

module "stack" {
  source = "../../modules/stack"

  environment = local.environment
  app_env     = "development" # APP_ENV the service understands: development | production
  domain_name = "api.dev.bet2wealth.co"

  # Set per deployment: the image (CI, by digest) and the repository allowed to deploy (variables.tf).
  backend_image     = var.backend_image
  github_repository = var.github_repository
  # Only jobs bound to the GitHub environment "dev" may assume the deploy role (OIDC subject
  # repo:<repository>:environment:dev); its deployment-branch rule says which branches get there.
  github_environments = ["dev"]
  promote_images_from = [] # dev runs the digest CI built and pushed to its own repository

  # Committed per-environment values: an apply from CI and one from an operator's machine plan the
  # same thing (no terraform.tfvars). None of them is secret; account ids stay out of the code.
  certificate_arn     = null  # null: Terraform requests api.dev.bet2wealth.co in ACM and validates it by DNS
  secrets_kms_key_arn = null  # null: the AWS-managed keys aws/secretsmanager and aws/ssm
  container_secrets   = {}    # beyond JWT_SECRET, JWT_REFRESH_SECRET, PAYSTACK_SECRET_KEY, REDIS_AUTH_TOKEN, DB_USER, DB_PASSWORD
  db_login            = "app" # least-privileged role; migrations run as the migrator before each service update (README)

  # Edge and network. The ALB access logs go to bet2wealth-backend-dev-alb-logs-<account>.
  alb_deletion_protection        = false
  alb_access_logs_retention_days = 30
  alb_access_logs_force_destroy  = true # dev can be destroyed with its logs
  one_nat_gateway_per_az         = false
  enable_flow_logs               = false

  # Service: 2 x 0.5 vCPU / 1 GiB, autoscaling 2-4
  task_cpu           = 512
  task_memory        = 1024
  autoscaling_max    = 4
  log_retention_days = 14
  log_level          = "debug"
  ecr_images_to_keep = 30

  # Data stores: smallest sizes, single-AZ PostgreSQL, no Redis snapshots
  redis_node_type                = "cache.t4g.micro"
  redis_snapshot_retention_days  = 0
  db_instance_class              = "db.t4g.micro"
  db_allocated_storage           = 20
  db_multi_az                    = false
  db_backup_retention_days       = 3
  db_deletion_protection         = false
  db_final_snapshot              = false
  db_secret_recovery_window_days = 0 # dev's login-role secrets go at once with the environment

  # Monitoring: alarms notify the topic on ALARM and OK; dev tolerates more before it alarms.
  # Unset thresholds take the monitoring module's defaults (modules/monitoring/README.md).
  # Recipients of the alarms (ALARM and OK): committed here, reviewed like code; each address must
  # confirm the subscription AWS mails it. Empty: no e-mail subscription (the topic still exists).
  alarm_emails = []
  alarm_thresholds = {
    alb_target_5xx_threshold        = 25
    alb_elb_5xx_threshold           = 25
    alb_unhealthy_host_minutes      = 5
    alb_response_time_p99_seconds   = 2
    ecs_cpu_high_percent            = 90
    ecs_memory_high_percent         = 90
    rds_cpu_high_percent            = 90
    rds_free_storage_low_gib        = 5  # of 20 GiB allocated
    rds_connections_high            = 60 # db.t4g.micro: max_connections is roughly 80-110
    redis_engine_cpu_high_percent   = 90
    redis_memory_high_percent       = 90
    service_server_errors_threshold = 25
    service_latency_p99_ms          = 1000
  }
}
