# ---------------------------------------------------------------- naming and notification
variable "name" {
  description = "Name prefix of the topic, the KMS alias, every alarm and the dashboard, e.g. bet2wealth-backend-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,38}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 2-40 lowercase letters, digits or hyphens, start with a letter, not end with a hyphen and have no two hyphens in a row."
  }
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic (ALARM and OK notifications). Each address must confirm the subscription from the e-mail AWS sends; until then it receives nothing. Empty: no subscriptions (subscribe a pager or chat integration to the topic_arn output instead)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$", e))])
    error_message = "alarm_emails must be plain e-mail addresses (name@example.com), without display names."
  }

  validation {
    condition     = length(distinct([for e in var.alarm_emails : lower(e)])) == length(var.alarm_emails)
    error_message = "alarm_emails must not list an address twice."
  }
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the topic's KMS key is deleted after a destroy (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}

variable "create_dashboard" {
  description = "Create the CloudWatch dashboard <name> with the key graphs (the first three dashboards of an account are free, then 3 USD/month each)."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------- what is monitored
variable "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (app/<name>/<id>): the LoadBalancer dimension of AWS/ApplicationELB."
  type        = string

  validation {
    condition     = can(regex("^app/[^/]+/[0-9a-f]+$", var.alb_arn_suffix))
    error_message = "alb_arn_suffix must be an application load balancer ARN suffix (app/<name>/<id>)."
  }
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the backend target group (targetgroup/<name>/<id>): the TargetGroup dimension of AWS/ApplicationELB."
  type        = string

  validation {
    condition     = can(regex("^targetgroup/[^/]+/[0-9a-f]+$", var.target_group_arn_suffix))
    error_message = "target_group_arn_suffix must be a target group ARN suffix (targetgroup/<name>/<id>)."
  }
}

variable "ecs_cluster_name" {
  description = "Name of the ECS cluster (ClusterName dimension of AWS/ECS)."
  type        = string

  validation {
    condition     = length(var.ecs_cluster_name) > 0
    error_message = "ecs_cluster_name must not be empty."
  }
}

variable "ecs_service_name" {
  description = "Name of the ECS service (ServiceName dimension of AWS/ECS)."
  type        = string

  validation {
    condition     = length(var.ecs_service_name) > 0
    error_message = "ecs_service_name must not be empty."
  }
}

variable "db_instance_identifier" {
  description = "Identifier of the RDS instance (DBInstanceIdentifier dimension of AWS/RDS)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.db_instance_identifier))
    error_message = "db_instance_identifier must be an RDS instance identifier."
  }
}

variable "redis_cache_cluster_ids" {
  description = "Cache cluster ID of each Redis node (CacheClusterId dimension of AWS/ElastiCache), keyed by a label known at plan time (the redis module's cache_cluster_ids output). One set of Redis alarms per node."
  type        = map(string)

  validation {
    condition     = length(var.redis_cache_cluster_ids) >= 1
    error_message = "redis_cache_cluster_ids must name at least one cache node."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the service's own metrics (Embedded Metric Format lines on stdout)."
  type        = string
  default     = "Bet2wealth"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be a custom CloudWatch namespace (not AWS/...)."
  }
}

variable "metrics_environment" {
  description = "Value of the Environment dimension the service emits: exactly its APP_ENV (development or production)."
  type        = string

  validation {
    condition     = contains(["development", "production"], var.metrics_environment)
    error_message = "metrics_environment must be development or production (the service's APP_ENV)."
  }
}

# ---------------------------------------------------------------- thresholds: load balancer
# Every threshold is nullable = false: a caller passing null gets the default (the stack passes
# the optional attributes of its alarm_thresholds object straight through).
variable "alb_target_5xx_threshold" {
  description = "ALB: alarm when the targets answer more than this many HTTP 5xx in 5 minutes (HTTPCode_Target_5XX_Count, Sum)."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.alb_target_5xx_threshold >= 1 && var.alb_target_5xx_threshold == floor(var.alb_target_5xx_threshold)
    error_message = "alb_target_5xx_threshold must be a whole number >= 1."
  }
}

variable "alb_elb_5xx_threshold" {
  description = "ALB: alarm when the load balancer itself answers more than this many HTTP 5xx in 5 minutes (HTTPCode_ELB_5XX_Count, Sum: no healthy target, target connection errors, timeouts)."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.alb_elb_5xx_threshold >= 1 && var.alb_elb_5xx_threshold == floor(var.alb_elb_5xx_threshold)
    error_message = "alb_elb_5xx_threshold must be a whole number >= 1."
  }
}

variable "alb_unhealthy_host_minutes" {
  description = "ALB: alarm when the target group has an unhealthy target (UnHealthyHostCount > 0, Maximum) for this many consecutive minutes."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.alb_unhealthy_host_minutes >= 1 && var.alb_unhealthy_host_minutes <= 30 && var.alb_unhealthy_host_minutes == floor(var.alb_unhealthy_host_minutes)
    error_message = "alb_unhealthy_host_minutes must be a whole number of minutes between 1 and 30."
  }
}

variable "alb_response_time_p99_seconds" {
  description = "ALB: alarm when the p99 of TargetResponseTime (seconds) is above this for 5 minutes out of 5."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.alb_response_time_p99_seconds > 0 && var.alb_response_time_p99_seconds <= 60
    error_message = "alb_response_time_p99_seconds must be above 0 and at most 60 (the ALB idle timeout)."
  }
}

# ---------------------------------------------------------------- thresholds: ECS service
variable "ecs_cpu_high_percent" {
  description = "ECS: alarm when the service's average CPUUtilization is above this percentage for 5 minutes out of 5 (autoscaling targets 60 %: sustained load above this means it is at its maximum or lagging)."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.ecs_cpu_high_percent > 0 && var.ecs_cpu_high_percent < 100
    error_message = "ecs_cpu_high_percent must be between 0 and 100 (exclusive)."
  }
}

variable "ecs_memory_high_percent" {
  description = "ECS: alarm when the service's average MemoryUtilization is above this percentage for 5 minutes out of 5 (a task at 100 % is killed)."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.ecs_memory_high_percent > 0 && var.ecs_memory_high_percent < 100
    error_message = "ecs_memory_high_percent must be between 0 and 100 (exclusive)."
  }
}

# ---------------------------------------------------------------- thresholds: RDS PostgreSQL
variable "rds_cpu_high_percent" {
  description = "RDS: alarm when the instance's average CPUUtilization is above this percentage for 5 minutes out of 5."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.rds_cpu_high_percent > 0 && var.rds_cpu_high_percent < 100
    error_message = "rds_cpu_high_percent must be between 0 and 100 (exclusive)."
  }
}

variable "rds_free_storage_low_gib" {
  description = "RDS: alarm when FreeStorageSpace (Minimum over 5 minutes) falls below this many GiB. Storage autoscaling grows the volume only when less than 10 % is free, and at most once every 6 hours."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.rds_free_storage_low_gib >= 1
    error_message = "rds_free_storage_low_gib must be at least 1."
  }
}

variable "rds_connections_high" {
  description = "RDS: alarm when DatabaseConnections (Maximum) is above this for 5 minutes out of 5. PostgreSQL's max_connections on RDS is LEAST(DBInstanceClassMemory/9531392, 5000): roughly 80-110 on db.t4g.micro and 400 on db.t4g.medium; each task opens at most DB_POOL_MAX (10) connections and a deployment runs twice the tasks for a while."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = var.rds_connections_high >= 1 && var.rds_connections_high == floor(var.rds_connections_high)
    error_message = "rds_connections_high must be a whole number >= 1."
  }
}

# ---------------------------------------------------------------- thresholds: ElastiCache Redis
variable "redis_engine_cpu_high_percent" {
  description = "Redis: alarm when a node's EngineCPUUtilization (the single Redis thread) averages above this percentage for 5 minutes out of 5."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.redis_engine_cpu_high_percent > 0 && var.redis_engine_cpu_high_percent < 100
    error_message = "redis_engine_cpu_high_percent must be between 0 and 100 (exclusive)."
  }
}

variable "redis_memory_high_percent" {
  description = "Redis: alarm when a node's DatabaseMemoryUsagePercentage (used memory / maxmemory) averages above this for 5 minutes out of 5; at 100 % Redis evicts sessions, rate-limit counters and idempotency locks."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.redis_memory_high_percent > 0 && var.redis_memory_high_percent < 100
    error_message = "redis_memory_high_percent must be between 0 and 100 (exclusive)."
  }
}

# ---------------------------------------------------------------- thresholds: the service's own metrics
variable "service_server_errors_threshold" {
  description = "Service: alarm when ServerErrors (HTTP 5xx answered by the service, summed over every task) exceed this in 5 minutes."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.service_server_errors_threshold >= 1 && var.service_server_errors_threshold == floor(var.service_server_errors_threshold)
    error_message = "service_server_errors_threshold must be a whole number >= 1."
  }
}

variable "service_latency_p99_ms" {
  description = "Service: alarm when the p99 of Latency (milliseconds, as the service measures it) is above this for 5 minutes out of 5."
  type        = number
  default     = 500
  nullable    = false

  validation {
    condition     = var.service_latency_p99_ms >= 10 && var.service_latency_p99_ms <= 60000
    error_message = "service_latency_p99_ms must be between 10 and 60000."
  }
}

variable "payment_reconciler_failures_per_hour" {
  description = "Service: alarm when the payment reconciler's rounds that could not reach Paystack (PaymentReconcilerProviderFailures, summed over every task) exceed this in an hour."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.payment_reconciler_failures_per_hour >= 1 && var.payment_reconciler_failures_per_hour == floor(var.payment_reconciler_failures_per_hour)
    error_message = "payment_reconciler_failures_per_hour must be a whole number >= 1."
  }
}

variable "webhook_signature_failures_threshold" {
  description = "Service: alarm when more Paystack webhooks than this are refused for a wrong or missing signature in 5 minutes (WebhooksBadSignature, summed over every task)."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.webhook_signature_failures_threshold >= 1 && var.webhook_signature_failures_threshold == floor(var.webhook_signature_failures_threshold)
    error_message = "webhook_signature_failures_threshold must be a whole number >= 1."
  }
}

variable "settlement_lag_seconds" {
  description = "Service: alarm when the oldest market with recorded results has had bets unsettled for longer than this (SettlementLag, seconds, the worst task's view) for 5 minutes out of 5."
  type        = number
  default     = 600
  nullable    = false

  validation {
    condition     = var.settlement_lag_seconds >= 60 && var.settlement_lag_seconds <= 86400
    error_message = "settlement_lag_seconds must be between 60 and 86400."
  }
}

variable "deposit_success_rate_percent" {
  description = "Service: alarm when fewer than this percentage of the deposits requested in an hour were credited (DepositsCompleted / DepositsRequested, metric math), once deposit_success_min_requests were requested."
  type        = number
  default     = 20
  nullable    = false

  validation {
    condition     = var.deposit_success_rate_percent > 0 && var.deposit_success_rate_percent <= 100
    error_message = "deposit_success_rate_percent must be above 0 and at most 100."
  }
}

variable "deposit_success_min_requests" {
  description = "Service: the deposit success rate alarm judges an hour only when at least this many deposits were requested in it (fewer: not enough to tell)."
  type        = number
  default     = 20
  nullable    = false

  validation {
    condition     = var.deposit_success_min_requests >= 1 && var.deposit_success_min_requests == floor(var.deposit_success_min_requests)
    error_message = "deposit_success_min_requests must be a whole number >= 1."
  }
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
