# ---------------------------------------------------------------- environment
variable "environment" {
  description = "Environment name (dev, production, ...): names every resource (bet2wealth-backend-<env>), the SSM prefix /bet2wealth/<env>/ and the state prefix backend/<env>/. \"production\" switches on the production guards below."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}[a-z0-9]$", var.environment))
    error_message = "environment must be 3-21 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "app_env" {
  description = "APP_ENV of the service (the values it understands): development or production. Production must run production."
  type        = string

  validation {
    condition     = contains(["development", "production"], var.app_env)
    error_message = "app_env must be development or production."
  }

  validation {
    condition     = var.environment != "production" || var.app_env == "production"
    error_message = "The production environment runs APP_ENV=production."
  }
}

# ---------------------------------------------------------------- image (set by CI on every deploy)
variable "backend_image" {
  description = "Backend image to run: <account>.dkr.ecr.<region>.amazonaws.com/bet2wealth-backend-<env>:<tag> or ...@sha256:<digest>. Required; CI passes -var backend_image=... on every deploy."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.:/_-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.backend_image)) && !endswith(var.backend_image, ":latest")
    error_message = "backend_image must be a full image reference pinned by a tag (not latest) or a sha256 digest."
  }
}

# ---------------------------------------------------------------- DNS and TLS
variable "domain_name" {
  description = "Public host name of the API, e.g. api.<env>.bet2wealth.co (HOST_URL is https://<this>)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase fully qualified host name."
  }
}

variable "route53_zone_name" {
  description = "Public Route 53 hosted zone that holds domain_name (alias records and certificate validation go there)."
  type        = string
  default     = "bet2wealth.co"

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$", var.route53_zone_name))
    error_message = "route53_zone_name must be a lowercase domain name without a trailing dot."
  }
}

variable "certificate_arn" {
  description = "Existing ACM certificate for domain_name. null (default): a certificate is requested and DNS-validated in route53_zone_name."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN or null."
  }
}

variable "alb_access_logs_retention_days" {
  description = "Days the ALB access logs (bucket bet2wealth-backend-<env>-alb-logs-<account>) are kept."
  type        = number
  default     = 90
}

variable "alb_access_logs_force_destroy" {
  description = "Let terraform destroy delete the access-log bucket with its logs. Never in production."
  type        = bool
  default     = false

  validation {
    condition     = var.environment != "production" || !var.alb_access_logs_force_destroy
    error_message = "Production keeps its ALB access logs: alb_access_logs_force_destroy must be false."
  }
}

# ---------------------------------------------------------------- rolling restart timing
# How a deployment replaces a task without a failed or slow request. Measured on the local stack
# (HAProxy in the ALB's place, at 1:20 scale: checks every 250 ms, 2 to fail or pass, a 1 s drain) by
# tests/stack/test_rolling_restart.py: change these together with that test's settings. Per old task:
# ECS starts its replacement first (100/200 %); it takes traffic after healthy_threshold checks. ECS
# deregisters the old task (the ALB sends it no new request from then on) and waits until nothing is in
# flight (at most deregistration_delay), then sends SIGTERM. The service answers its health check 503
# at once and keeps serving for SHUTDOWN_DRAIN_SECONDS = 4 check intervals, so a task signalled while
# still in rotation (a scale-in, a failed host) is out after unhealthy_threshold checks, well before its
# listener closes; it exits within SHUTDOWN_TIMEOUT (the drain + 10 s, the longest request), under
# stop_timeout, after which ECS sends SIGKILL.
variable "deregistration_delay" {
  description = "Seconds the ALB lets in-flight requests of a deregistered task finish: the longest request (5 s pool wait + 10 s query or provider timeout) with a margin."
  type        = number
  default     = 20
}

variable "health_check_interval" {
  description = "Seconds between ALB health checks of a task (the ALB's minimum, 5). With healthy_threshold 2, a new task takes traffic about 10 s after it starts answering; the service drains for 4 intervals."
  type        = number
  default     = 5
}

variable "health_check_timeout" {
  description = "Seconds one health check waits for an answer. A draining task answers 503 at once: this only bounds a hung task."
  type        = number
  default     = 2
}

variable "healthy_threshold" {
  description = "Consecutive successful health checks before a task receives traffic."
  type        = number
  default     = 2
}

variable "unhealthy_threshold" {
  description = "Consecutive failed health checks before a task stops receiving traffic (the service answers 503 on its health check while it drains)."
  type        = number
  default     = 2
}

variable "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL (ECS stopTimeout, at most 120): more than the service's SHUTDOWN_TIMEOUT (4 health-check intervals + 10 s)."
  type        = number
  default     = 40

  validation {
    condition     = var.stop_timeout <= 120 && var.stop_timeout > 4 * var.health_check_interval + 10
    error_message = "stop_timeout must be at most 120 seconds (Fargate's maximum) and longer than the service's SHUTDOWN_TIMEOUT (4 health-check intervals + 10 s)."
  }
}

# ---------------------------------------------------------------- WAF
variable "waf_rate_limit_per_5_minutes" {
  description = "Requests one client IP may send in 5 minutes before the WAF blocks it (the Paystack webhook and the casino callback are exempt)."
  type        = number
  default     = 2000
}

variable "alb_deletion_protection" {
  description = "Protect the ALB against deletion."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------- network
variable "one_nat_gateway_per_az" {
  description = "One NAT gateway per AZ instead of a single shared one (about +35 USD/month each, removes the single-AZ egress dependency)."
  type        = bool
  default     = false
}

variable "enable_flow_logs" {
  description = "Capture VPC flow logs in CloudWatch."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------- service
variable "task_cpu" {
  description = "Fargate task CPU units."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.task_cpu)
    error_message = "task_cpu must be 256, 512, 1024, 2048 or 4096."
  }
}

variable "task_memory" {
  description = "Fargate task memory in MiB (must suit task_cpu)."
  type        = number
  default     = 1024

  validation {
    condition     = var.task_memory >= 512 && var.task_memory <= 30720
    error_message = "task_memory must be between 512 and 30720 MiB."
  }
}

variable "cpu_architecture" {
  description = "Image architecture: X86_64 or ARM64."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "desired_count" {
  description = "Tasks the service starts with."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= 2
    error_message = "desired_count must be at least 2 (one task per AZ)."
  }
}

variable "autoscaling_min" {
  description = "Autoscaling minimum number of tasks."
  type        = number
  default     = 2

  validation {
    condition     = var.autoscaling_min >= 2
    error_message = "autoscaling_min must be at least 2 (one task per AZ)."
  }
}

variable "autoscaling_max" {
  description = "Autoscaling maximum number of tasks."
  type        = number
  default     = 4

  validation {
    condition     = var.autoscaling_max >= var.autoscaling_min
    error_message = "autoscaling_max must be at least autoscaling_min."
  }
}

variable "log_retention_days" {
  description = "Retention of /ecs/backend-logs-<env>, in days."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of the service."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be debug, info, warn or error."
  }
}

variable "container_environment" {
  description = "Extra or overriding non-secret environment variables, NAME => value (merged over the defaults in main.tf). Secrets are refused here: see container_secrets."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for k in keys(var.container_environment) :
      !can(regex("SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|API_KEY|_KEY$|^DATABASE_URL$|^REDIS_URL$", k))
    ])
    error_message = "container_environment must not carry secrets: use container_secrets (SSM parameter or Secrets Manager ARNs)."
  }
}

variable "ssm_secret_names" {
  description = "Secrets read from SSM Parameter Store (SecureString) at /bet2wealth/<env>/<NAME> and injected as environment variable NAME."
  type        = list(string)
  default     = ["JWT_SECRET", "JWT_REFRESH_SECRET", "PAYSTACK_SECRET_KEY"]

  validation {
    condition     = alltrue([for n in var.ssm_secret_names : can(regex("^[A-Z_][A-Z0-9_]*$", n))])
    error_message = "ssm_secret_names must be upper-case environment variable names."
  }
}

variable "jwt_key_rotation" {
  description = "True while the JWT secrets are being rotated (docs/runbook.md): the tasks also read JWT_SECRET_PREVIOUS and JWT_REFRESH_SECRET_PREVIOUS from SSM (/bet2wealth/<env>/<NAME>, which must exist), the keys rotated out, still accepted and never used to sign. False once the tokens they signed have expired."
  type        = bool
  default     = false
  nullable    = false
}

variable "container_secrets" {
  description = "Extra secrets, NAME => ARN: SSM parameters under /bet2wealth/<env>/ or Secrets Manager secrets (optionally with a :json-key:: suffix). The execution role is granted exactly these."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for v in values(var.container_secrets) :
      can(regex("^arn:aws[a-z-]*:(ssm:[a-z0-9-]+:[0-9]{12}:parameter/bet2wealth/${var.environment}/.+|secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)$", v))
    ])
    error_message = "container_secrets values must be SSM parameter ARNs under /bet2wealth/<env>/ or Secrets Manager secret ARNs."
  }
}

variable "db_ssl_root_cert_path" {
  description = "Path, inside the image, of the Amazon RDS CA bundle (global-bundle.pem); passed as DB_SSLROOTCERT (the service adds sslrootcert=<path> to DATABASE_URL) so sslmode=verify-full can verify the server. The image must contain it."
  type        = string
  default     = "/app/certs/rds-global-bundle.pem"
}

variable "ecr_images_to_keep" {
  description = "The ECR lifecycle policy keeps this many most recent images of bet2wealth-backend-<env>."
  type        = number
  default     = 30
}

# ---------------------------------------------------------------- secrets at rest
variable "secrets_kms_key_arn" {
  description = "Optional customer-managed KMS key for the RDS master password secret (and the SSM/Secrets Manager secrets, if you use it for them): the execution role gets kms:Decrypt on it."
  type        = string
  default     = null

  validation {
    condition     = var.secrets_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.secrets_kms_key_arn))
    error_message = "secrets_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "db_login" {
  description = "How the service logs in to PostgreSQL: master (the RDS-managed master user, DB_USER in plain text) or app (the least-privileged role of the secret bet2wealth/<env>/db-app, DB_USER and DB_PASSWORD injected from it). With app the task gets MIGRATE_ON_START=false: the migrate one-off task runs first (infra/scripts/deploy-terraform.sh; infra/README.md, Database roles)."
  type        = string
  default     = "master"

  validation {
    condition     = contains(["master", "app"], var.db_login)
    error_message = "db_login must be master or app."
  }
}

variable "db_secret_recovery_window_days" {
  description = "Recovery window of the login-role secrets when deleted (0: at once, for throwaway environments; 7-30 otherwise)."
  type        = number
  default     = 30
}

# ---------------------------------------------------------------- Redis
variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.micro"
}

variable "redis_auth_token_secret_name" {
  description = "Name of the Secrets Manager secret holding the Redis AUTH token (created once before the first apply, see infra/README.md). null: bet2wealth/<env>/redis-auth-token."
  type        = string
  default     = null
}

variable "redis_snapshot_retention_days" {
  description = "Days of Redis snapshots to keep (0 disables them)."
  type        = number
  default     = 0
}

# ---------------------------------------------------------------- PostgreSQL
variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_allocated_storage" {
  description = "Initial database storage, GiB."
  type        = number
  default     = 20
}

# The production guards: these three refuse to turn off for environment = "production".
variable "db_multi_az" {
  description = "Multi-AZ standby for PostgreSQL. Always on in production."
  type        = bool
  default     = true

  validation {
    condition     = var.environment != "production" || var.db_multi_az
    error_message = "Production runs PostgreSQL Multi-AZ."
  }
}

variable "db_backup_retention_days" {
  description = "Days of automated backups."
  type        = number
  default     = 7
}

variable "db_deletion_protection" {
  description = "Deletion protection of the database. Always on in production."
  type        = bool
  default     = true

  validation {
    condition     = var.environment != "production" || var.db_deletion_protection
    error_message = "Production keeps deletion protection on the database."
  }
}

variable "db_final_snapshot" {
  description = "Take a final snapshot when the database is deleted. Always on in production."
  type        = bool
  default     = true

  validation {
    condition     = var.environment != "production" || var.db_final_snapshot
    error_message = "Production takes a final snapshot of the database."
  }
}

# ---------------------------------------------------------------- CI/CD
variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may deploy this environment."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "github_environments" {
  description = "GitHub deployment environments whose jobs may assume the deploy role (OIDC sub repo:<repository>:environment:<name>; branch refs are never trusted)."
  type        = list(string)
}

variable "promote_images_from" {
  description = "Environments whose ECR repository this environment's deploy role may pull from, to copy the digest they tested (production: [\"dev\"]). Same account only."
  type        = list(string)
  default     = []
}

variable "state_bucket_name" {
  description = "S3 bucket of the Terraform state (the environment's backend.tf); the deploy role may read and write backend/<env>/* in it."
  type        = string
  default     = "bet2wealth-terraform-state"
}

# ---------------------------------------------------------------- monitoring
variable "alarm_emails" {
  description = "E-mail addresses subscribed to the environment's alarm topic (each must confirm the subscription). Empty: no e-mail subscription."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$", e))])
    error_message = "alarm_emails must be plain e-mail addresses (name@example.com)."
  }
}

variable "alarm_thresholds" {
  description = "Alarm thresholds of this environment; an attribute left unset takes the monitoring module's default (see modules/monitoring/README.md for each one's meaning, unit and default). The monitoring module validates every value."
  type = object({
    alb_target_5xx_threshold             = optional(number)
    alb_elb_5xx_threshold                = optional(number)
    alb_unhealthy_host_minutes           = optional(number)
    alb_response_time_p99_seconds        = optional(number)
    ecs_cpu_high_percent                 = optional(number)
    ecs_memory_high_percent              = optional(number)
    rds_cpu_high_percent                 = optional(number)
    rds_free_storage_low_gib             = optional(number)
    rds_connections_high                 = optional(number)
    redis_engine_cpu_high_percent        = optional(number)
    redis_memory_high_percent            = optional(number)
    service_server_errors_threshold      = optional(number)
    service_latency_p99_ms               = optional(number)
    payment_reconciler_failures_per_hour = optional(number)
    webhook_signature_failures_threshold = optional(number)
    settlement_lag_seconds               = optional(number)
    deposit_success_rate_percent         = optional(number)
    deposit_success_min_requests         = optional(number)
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, v in var.alarm_thresholds : v == null || try(v > 0, false)])
    error_message = "alarm_thresholds values must be positive numbers."
  }
}
