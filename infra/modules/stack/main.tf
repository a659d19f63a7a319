# The whole Bet2wealth backend stack of one environment: every building block of ../ wired together.
# Each environment (infra/envs/<env>) calls this module once with its own values; what both
# environments share (the wiring, the task's configuration and secrets) lives only here.

locals {
  name = "bet2wealth-backend-${var.environment}"

  # APP_VERSION: the image tag (or the digest when the image is pinned by digest).
  image_version = regex("[:@]([^:@/]+)$", var.backend_image)[0]

  redis_auth_token_secret_name = coalesce(var.redis_auth_token_secret_name, "bet2wealth/${var.environment}/redis-auth-token")

  # A primary and a replica in two AZs (Multi-AZ); the monitoring module alarms on each node.
  redis_num_cache_clusters = 2
}

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

data "aws_route53_zone" "this" {
  name         = var.route53_zone_name
  private_zone = false
}

# Created once per environment before the first apply (see infra/README.md); never a literal here.
data "aws_secretsmanager_secret" "redis_auth_token" {
  name = local.redis_auth_token_secret_name
}

# ---------------------------------------------------------------- network
module "network" {
  source = "../network"

  name                   = local.name
  one_nat_gateway_per_az = var.one_nat_gateway_per_az
  enable_flow_logs       = var.enable_flow_logs
  enable_ipv6            = true
}

# ---------------------------------------------------------------- edge: ALB, certificate, DNS
module "alb" {
  source = "../alb"

  name              = local.name
  vpc_id            = module.network.vpc_id
  vpc_cidr_block    = module.network.vpc_cidr_block
  public_subnet_ids = module.network.public_subnet_ids
  ip_address_type   = "dualstack"

  domain_name     = var.domain_name
  certificate_arn = var.certificate_arn
  route53_zone_id = data.aws_route53_zone.this.zone_id

  target_port       = 4000
  health_check_path = "/api/v1/health-check"
  idle_timeout      = 60

  # Rolling-restart timing (see the variables' comments and tests/stack/test_rolling_restart.py).
  deregistration_delay  = var.deregistration_delay
  health_check_interval = var.health_check_interval
  health_check_timeout  = var.health_check_timeout
  healthy_threshold     = var.healthy_threshold
  unhealthy_threshold   = var.unhealthy_threshold

  enable_deletion_protection = var.alb_deletion_protection
  access_logs_enabled        = true
  access_logs_retention_days = var.alb_access_logs_retention_days
  access_logs_force_destroy  = var.alb_access_logs_force_destroy
}

module "waf" {
  source = "../waf"

  name    = local.name
  alb_arn = module.alb.alb_arn
  # Paystack's webhook and the casino aggregator's wallet callback (many per second from a few of its
  # addresses): left out of the body-size rule and the per-IP rate limit (src/app/routes.cpp; the service
  # verifies their HMAC signatures and they are exempt from the service's own rate limits too).
  exempt_paths             = ["/api/v1/payments/paystack/webhook", "/api/v1/casino/fundist/callback"]
  rate_limit_per_5_minutes = var.waf_rate_limit_per_5_minutes
}

module "dns" {
  source = "../dns"

  zone_id            = data.aws_route53_zone.this.zone_id
  record_name        = var.domain_name
  alb_dns_name       = module.alb.alb_dns_name
  alb_zone_id        = module.alb.alb_zone_id
  create_aaaa_record = true
}

# ---------------------------------------------------------------- image registry
module "ecr" {
  source = "../ecr"

  repository_name = "bet2wealth-backend-${var.environment}"
  images_to_keep  = var.ecr_images_to_keep
}

# ---------------------------------------------------------------- data stores
module "redis" {
  source = "../redis"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  availability_zones         = module.network.azs
  allowed_security_group_ids = [module.ecs.security_group_id]
  auth_token_secret_arn      = data.aws_secretsmanager_secret.redis_auth_token.arn
  node_type                  = var.redis_node_type
  num_cache_clusters         = local.redis_num_cache_clusters
  snapshot_retention_limit   = var.redis_snapshot_retention_days
}

module "database" {
  source = "../database"

  name                           = local.name
  vpc_id                         = module.network.vpc_id
  subnet_ids                     = module.network.private_subnet_ids
  allowed_security_group_ids     = [module.ecs.security_group_id]
  instance_class                 = var.db_instance_class
  allocated_storage              = var.db_allocated_storage
  multi_az                       = var.db_multi_az
  backup_retention_period        = var.db_backup_retention_days
  deletion_protection            = var.db_deletion_protection
  final_snapshot                 = var.db_final_snapshot
  master_user_secret_kms_key_arn = var.secrets_kms_key_arn
  login_role_secret_prefix       = "bet2wealth/${var.environment}/db-"
  secret_recovery_window_days    = var.db_secret_recovery_window_days
}

# ---------------------------------------------------------------- configuration and secrets
locals {
  # Non-secret configuration (the task's `environment`). REDIS_URL and DATABASE_URL are NOT set:
  # the service assembles them from the split variables below plus the two injected secrets
  # (see "How the task assembles REDIS_URL and DATABASE_URL" in infra/README.md). X-Forwarded-For is read only
  # from peers in TRUSTED_PROXIES, the VPC's block (the ALB's nodes); the service trusts no peer by default.
  # The drain after SIGTERM (see the rolling-restart variables): 4 health-check intervals, then at most
  # 10 s for the longest request; stop_timeout must leave room for both.
  shutdown_drain_seconds   = 4 * var.health_check_interval
  shutdown_timeout_seconds = local.shutdown_drain_seconds + 10

  default_environment = {
    PORT                         = "4000"
    APP_NAME                     = "bet2wealth"
    APP_ENV                      = var.app_env
    APP_VERSION                  = local.image_version
    HOST_URL                     = "https://${var.domain_name}"
    ROOT_ENTRY                   = "/api/v1"
    API_DOCS                     = "/api/v1/docs"
    LOG_LEVEL                    = var.log_level
    TRUSTED_PROXIES              = module.network.vpc_cidr_block
    TRUSTED_PROXY_HOPS           = "1"
    SHUTDOWN_DRAIN_SECONDS       = "${local.shutdown_drain_seconds}s"
    SHUTDOWN_TIMEOUT             = "${local.shutdown_timeout_seconds}s"
    JWT_EXPIRY                   = "15m"
    JWT_REFRESH_EXPIRY           = "7d"
    REDIS_POOL_MAX               = "16"
    REDIS_POOL_MIN               = "2"
    RATE_LIMIT_DURATION_SECONDS  = "60"
    RATE_LIMIT_PERMISSION_POINTS = "100"
    PAYSTACK_BASE_URL            = "https://api.paystack.co"
    # Paystack's published webhook senders (the same in test and live mode); read against the client IP the ALB
    # forwards, so TRUSTED_PROXIES must stay the VPC's block.
    PAYSTACK_WEBHOOK_IPS = "52.31.139.75,52.49.173.169,52.214.14.220"

    # Redis: rediss://:<REDIS_AUTH_TOKEN>@<REDIS_HOST>:<REDIS_PORT>
    REDIS_HOST = module.redis.primary_endpoint_address
    REDIS_PORT = tostring(module.redis.port)
    REDIS_TLS  = "true"

    # PostgreSQL: postgresql://<DB_USER>:<DB_PASSWORD>@<DB_HOST>:<DB_PORT>/<DB_NAME>?sslmode=<DB_SSLMODE>
    DB_HOST        = module.database.address
    DB_PORT        = tostring(module.database.port)
    DB_NAME        = module.database.db_name
    DB_SSLMODE     = "verify-full"
    DB_SSLROOTCERT = var.db_ssl_root_cert_path
  }
  # DB_USER: the master user's name in plain text, or (db_login = "app") the app role's from its secret.
  # The app role may not change the schema: `bet2wealth migrate` runs first, as the migrator, and the task
  # refuses to start on an older schema (MIGRATE_ON_START=false, README's configuration table).
  db_user_environment = var.db_login == "master" ? { DB_USER = module.database.master_username } : {
    MIGRATE_ON_START = "false"
  }
  container_environment = merge(local.default_environment, local.db_user_environment, var.container_environment)

  ssm_parameter_prefix = "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:parameter/bet2wealth/${var.environment}"

  # Secrets (the task's `secrets`): NAME => ARN, resolved by ECS at task start.
  # During a JWT key rotation (var.jwt_key_rotation) the keys rotated out too: ECS fails a task whose secret's
  # parameter is missing, so they are named only while the operator has them in SSM.
  jwt_previous_secret_names = ["JWT_SECRET_PREVIOUS", "JWT_REFRESH_SECRET_PREVIOUS"]
  ssm_secrets = {
    for n in concat(var.ssm_secret_names, var.jwt_key_rotation ? local.jwt_previous_secret_names : []) :
    n => "${local.ssm_parameter_prefix}/${n}"
  }
  # The database login: the RDS-managed master secret, or the app role's secret (username and password).
  db_login_secrets = var.db_login == "master" ? {
    DB_PASSWORD = "${module.database.master_user_secret_arn}:password::"
    } : {
    DB_USER     = "${module.database.login_role_secret_arns["app"]}:username::"
    DB_PASSWORD = "${module.database.login_role_secret_arns["app"]}:password::"
  }
  data_store_secrets = merge({ REDIS_AUTH_TOKEN = module.redis.auth_token_secret_arn }, local.db_login_secrets)
  container_secrets  = merge(local.ssm_secrets, local.data_store_secrets, var.container_secrets)

  # One-off tasks of the service's image (infra/scripts/run-task.sh <env> <key>), each the service's
  # configuration with these names replaced:
  #   migrate   `bet2wealth migrate` as the migrator (the schema's owner), before every service update
  #             (infra/scripts/deploy-terraform.sh);
  #   db-roles  `bet2wealth db-roles` as the RDS master user: creates or updates the two login roles with
  #             the passwords of their secrets (first deploy, and after a password change).
  # Each login secret holds {"username", "password"} (infra/README.md, "Database roles").
  login_secret = module.database.login_role_secret_arns
  one_off_tasks = {
    migrate = {
      command = ["migrate"]
      secrets = {
        DB_USER     = "${local.login_secret["migrator"]}:username::"
        DB_PASSWORD = "${local.login_secret["migrator"]}:password::"
      }
    }
    db-roles = {
      command     = ["db-roles"]
      environment = { DB_USER = module.database.master_username }
      secrets = {
        DB_PASSWORD          = "${module.database.master_user_secret_arn}:password::"
        DB_APP_USER          = "${local.login_secret["app"]}:username::"
        DB_APP_PASSWORD      = "${local.login_secret["app"]}:password::"
        DB_MIGRATOR_USER     = "${local.login_secret["migrator"]}:username::"
        DB_MIGRATOR_PASSWORD = "${local.login_secret["migrator"]}:password::"
      }
    }
  }

  # The Secrets Manager secrets the service's and the one-off tasks' definitions name, without any
  # :json-key:: suffix. The execution role reads them: it is the ECS agent's identity, used only to
  # start a task (pull the image, write its logs, resolve its `secrets`), never the application's (the
  # task role, with no permissions). So the master password is injected into db-roles tasks only,
  # though one role starts every task of the environment.
  task_secret_arns = distinct(concat(
    [module.redis.auth_token_secret_arn, module.database.master_user_secret_arn, local.login_secret["app"], local.login_secret["migrator"]],
    [for v in values(var.container_secrets) : regex("^(arn:[^:]+:secretsmanager:[^:]+:[0-9]+:secret:[^:]+)", v)[0] if can(regex("^arn:[^:]+:secretsmanager:", v))],
  ))
}

module "iam" {
  source = "../iam"

  name                        = local.name
  environment                 = var.environment
  ecr_repository_arn          = module.ecr.repository_arn
  log_group_arn               = module.ecs.log_group_arn
  secrets_manager_secret_arns = local.task_secret_arns
  kms_key_arns                = var.secrets_kms_key_arn == null ? [] : [var.secrets_kms_key_arn]
}

# ---------------------------------------------------------------- compute
module "ecs" {
  source = "../ecs"

  name             = local.name
  environment      = var.environment
  backend_image    = var.backend_image
  cpu              = var.task_cpu
  memory           = var.task_memory
  cpu_architecture = var.cpu_architecture
  container_port   = 4000
  stop_timeout     = var.stop_timeout
  writable_paths   = ["/tmp"]

  container_environment = local.container_environment
  container_secrets     = local.container_secrets
  one_off_tasks         = local.one_off_tasks

  # RDS rotates the master password every 7 days; new tasks must pick it up.
  redeploy_on_secret_rotation = [module.database.master_user_secret_arn]

  desired_count                     = var.desired_count
  min_capacity                      = var.autoscaling_min
  max_capacity                      = var.autoscaling_max
  health_check_grace_period_seconds = 60
  log_retention_days                = var.log_retention_days

  vpc_id             = module.network.vpc_id
  private_subnet_ids = module.network.private_subnet_ids
  # Egress to the data stores by security group only (each of them admits this service's group).
  data_store_egress = {
    redis    = { port = module.redis.port, security_group_id = module.redis.security_group_id }
    postgres = { port = module.database.port, security_group_id = module.database.security_group_id }
  }
  alb_security_group_id   = module.alb.security_group_id
  target_group_arn        = module.alb.target_group_arn
  alb_arn_suffix          = module.alb.alb_arn_suffix
  target_group_arn_suffix = module.alb.target_group_arn_suffix
  execution_role_arn      = module.iam.execution_role_arn
  task_role_arn           = module.iam.task_role_arn
}

# ---------------------------------------------------------------- CI/CD
module "github_oidc" {
  source = "../github-oidc"

  name                        = local.name
  environment                 = var.environment
  github_repository           = var.github_repository
  allowed_github_environments = var.github_environments

  ecr_repository_arn     = module.ecr.repository_arn
  ecs_cluster_arn        = module.ecs.cluster_arn
  ecs_service_arn        = module.ecs.service_arn
  task_definition_family = module.ecs.task_definition_family
  pass_role_arns         = [module.iam.execution_role_arn, module.iam.task_role_arn]

  # The deploy runs the migrate task before the service update (infra/scripts/run-task.sh): it may run
  # the one-off families in this cluster and read their log streams, not the service's.
  one_off_task_families       = values(module.ecs.one_off_task_definition_families)
  log_group_arn               = module.ecs.log_group_arn
  one_off_log_stream_prefixes = values(module.ecs.one_off_log_stream_prefixes)

  # Production copies the image dev tested, by digest, from dev's repository (same account).
  promote_from_repository_arns = [
    for e in var.promote_images_from : "arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.current.id}:${data.aws_caller_identity.current.account_id}:repository/bet2wealth-backend-${e}"
  ]

  state_bucket_name         = var.state_bucket_name
  allow_terraform_plan      = true
  plan_readable_bucket_arns = ["arn:${data.aws_partition.current.partition}:s3:::${module.alb.access_logs_bucket}"]
  plan_readable_secret_arns = [data.aws_secretsmanager_secret.redis_auth_token.arn]
}

# ---------------------------------------------------------------- monitoring
module "monitoring" {
  source = "../monitoring"

  name         = local.name
  alarm_emails = var.alarm_emails

  alb_arn_suffix          = module.alb.alb_arn_suffix
  target_group_arn_suffix = module.alb.target_group_arn_suffix
  ecs_cluster_name        = module.ecs.cluster_name
  ecs_service_name        = module.ecs.service_name
  db_instance_identifier  = module.database.instance_identifier
  redis_cache_cluster_ids = module.redis.cache_cluster_ids

  # The service emits its metrics with Environment = its APP_ENV (development | production).
  metrics_environment = var.app_env

  # Unset (null) attributes of alarm_thresholds take the monitoring module's defaults.
  alb_target_5xx_threshold             = var.alarm_thresholds.alb_target_5xx_threshold
  alb_elb_5xx_threshold                = var.alarm_thresholds.alb_elb_5xx_threshold
  alb_unhealthy_host_minutes           = var.alarm_thresholds.alb_unhealthy_host_minutes
  alb_response_time_p99_seconds        = var.alarm_thresholds.alb_response_time_p99_seconds
  ecs_cpu_high_percent                 = var.alarm_thresholds.ecs_cpu_high_percent
  ecs_memory_high_percent              = var.alarm_thresholds.ecs_memory_high_percent
  rds_cpu_high_percent                 = var.alarm_thresholds.rds_cpu_high_percent
  rds_free_storage_low_gib             = var.alarm_thresholds.rds_free_storage_low_gib
  rds_connections_high                 = var.alarm_thresholds.rds_connections_high
  redis_engine_cpu_high_percent        = var.alarm_thresholds.redis_engine_cpu_high_percent
  redis_memory_high_percent            = var.alarm_thresholds.redis_memory_high_percent
  service_server_errors_threshold      = var.alarm_thresholds.service_server_errors_threshold
  service_latency_p99_ms               = var.alarm_thresholds.service_latency_p99_ms
  payment_reconciler_failures_per_hour = var.alarm_thresholds.payment_reconciler_failures_per_hour
  webhook_signature_failures_threshold = var.alarm_thresholds.webhook_signature_failures_threshold
  settlement_lag_seconds               = var.alarm_thresholds.settlement_lag_seconds
  deposit_success_rate_percent         = var.alarm_thresholds.deposit_success_rate_percent
  deposit_success_min_requests         = var.alarm_thresholds.deposit_success_min_requests
}
