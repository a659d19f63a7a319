variable "name" {
  description = "Name of the cluster, service, task family and security group, e.g. bet2wealth-backend-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,62}$", var.name))
    error_message = "name must be 2-63 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name; the log group is /ecs/backend-logs-<environment>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.environment))
    error_message = "environment must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "container_name" {
  description = "Name of the backend container in the task definition."
  type        = string
  default     = "backend"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,255}$", var.container_name))
    error_message = "container_name must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "backend_image" {
  description = "Full image reference of the backend, pinned by tag or digest: <account>.dkr.ecr.<region>.amazonaws.com/bet2wealth-backend-<env>:<tag> or ...@sha256:<digest>. \"latest\" is refused."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.:/_-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.backend_image)) && !endswith(var.backend_image, ":latest")
    error_message = "backend_image must be a full image reference ending in :<tag> or @sha256:<digest>, and the tag must not be latest."
  }
}

variable "cpu" {
  description = "Task CPU units (256 = 0.25 vCPU). Must be a Fargate size that fits memory."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384."
  }
}

variable "memory" {
  description = "Task memory in MiB. Fargate pairs: 256 CPU: 512-2048; 512: 1024-4096; 1024: 2048-8192; 2048: 4096-16384; 4096: 8192-30720."
  type        = number
  default     = 1024

  validation {
    condition = (
      var.cpu == 256 ? contains([512, 1024, 2048], var.memory) :
      var.cpu == 512 ? var.memory >= 1024 && var.memory <= 4096 && var.memory % 1024 == 0 :
      var.cpu == 1024 ? var.memory >= 2048 && var.memory <= 8192 && var.memory % 1024 == 0 :
      var.cpu == 2048 ? var.memory >= 4096 && var.memory <= 16384 && var.memory % 1024 == 0 :
      var.cpu == 4096 ? var.memory >= 8192 && var.memory <= 30720 && var.memory % 1024 == 0 :
      var.cpu == 8192 ? var.memory >= 16384 && var.memory <= 61440 && var.memory % 4096 == 0 :
      var.memory >= 32768 && var.memory <= 122880 && var.memory % 8192 == 0
    )
    error_message = "memory is not a valid Fargate size for the chosen cpu."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the image: X86_64 or ARM64 (Graviton, about 20% cheaper; the image must be built for it)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "container_port" {
  description = "Port the service listens on (PORT)."
  type        = number
  default     = 4000

  validation {
    condition     = var.container_port >= 1024 && var.container_port <= 65535
    error_message = "container_port must be an unprivileged port (1024-65535): the container runs as a non-root user."
  }
}

variable "container_user" {
  description = "uid:gid the container runs as (the image's non-root user)."
  type        = string
  default     = "10001:10001"

  validation {
    condition     = can(regex("^[1-9][0-9]*(:[1-9][0-9]*)?$", var.container_user))
    error_message = "container_user must be a non-zero numeric uid or uid:gid (never root)."
  }
}

variable "writable_paths" {
  description = "Paths that get a writable task-scoped volume; the rest of the root filesystem is read-only."
  type        = list(string)
  default     = ["/tmp"]

  validation {
    condition     = alltrue([for p in var.writable_paths : can(regex("^/[A-Za-z0-9._/-]+$", p)) && p != "/"])
    error_message = "writable_paths must be absolute paths other than /."
  }
}

variable "container_environment" {
  description = "Non-secret configuration, NAME => value, passed as the container's `environment`. Secret-looking names (SECRET, PASSWORD, TOKEN, KEY, CREDENTIAL) and URLs with credentials are refused: put those in container_secrets."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.container_environment) : can(regex("^[A-Z_][A-Z0-9_]*$", k))])
    error_message = "container_environment names must be upper-case environment variable names."
  }

  validation {
    condition = alltrue([
      for k in keys(var.container_environment) :
      !can(regex("SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|API_KEY|_KEY$|^DATABASE_URL$|^REDIS_URL$", k))
    ])
    error_message = "container_environment must not carry secrets (names with SECRET, PASSWORD, TOKEN, PRIVATE, CREDENTIAL, *_KEY, DATABASE_URL, REDIS_URL): use container_secrets."
  }

  validation {
    condition     = alltrue([for v in values(var.container_environment) : !can(regex("://[^/@\\s]*:[^/@\\s]*@", v))])
    error_message = "container_environment values must not contain URLs with embedded credentials."
  }
}

variable "container_secrets" {
  description = "Secret configuration, NAME => ARN of an SSM parameter or a Secrets Manager secret (optionally with a :json-key:: suffix), passed as the container's `secrets`. The execution role must be able to read each one."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.container_secrets) : can(regex("^[A-Z_][A-Z0-9_]*$", k))])
    error_message = "container_secrets names must be upper-case environment variable names."
  }

  validation {
    condition = alltrue([
      for v in values(var.container_secrets) :
      can(regex("^arn:aws[a-z-]*:(ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+|secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)$", v))
    ])
    error_message = "container_secrets values must be SSM parameter ARNs or Secrets Manager secret ARNs, never the secret values."
  }
}

variable "one_off_tasks" {
  description = "One-off tasks of the service's image, key => { command, environment, secrets }: a task definition each (family <name>-<key>, log stream prefix <key>), started with `aws ecs run-task` (infra/scripts/run-task.sh), e.g. migrate = { command = [\"migrate\"] }. environment and secrets (NAME => ARN) replace the service's values of the same names, in either map; the rest of the service's configuration is kept."
  type = map(object({
    command     = list(string)
    environment = optional(map(string), {})
    secrets     = optional(map(string), {})
  }))
  default = {}

  validation {
    condition     = alltrue([for k, t in var.one_off_tasks : can(regex("^[a-z][a-z0-9-]{0,31}$", k)) && k != var.log_stream_prefix && length(t.command) > 0])
    error_message = "one_off_tasks: keys are 1-32 lowercase letters, digits or hyphens (starting with a letter), not the service's log_stream_prefix (each key is its task's own log stream prefix), and every task has a command."
  }

  validation {
    condition = alltrue(flatten([
      for t in values(var.one_off_tasks) : [
        for k, v in t.environment :
        can(regex("^[A-Z_][A-Z0-9_]*$", k))
        && !can(regex("SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|API_KEY|_KEY$|^DATABASE_URL$|^REDIS_URL$", k))
        && !can(regex("://[^/@\\s]*:[^/@\\s]*@", v))
      ]
    ]))
    error_message = "one_off_tasks environment: upper-case names, no secrets (SECRET, PASSWORD, TOKEN, ..., URLs with credentials): put those in the task's secrets."
  }

  validation {
    condition = alltrue(flatten([
      for t in values(var.one_off_tasks) : [
        for k, v in t.secrets :
        can(regex("^[A-Z_][A-Z0-9_]*$", k))
        && can(regex("^arn:aws[a-z-]*:(ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+|secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)$", v))
      ]
    ]))
    error_message = "one_off_tasks secrets: upper-case names => SSM parameter or Secrets Manager secret ARNs, never the secret values."
  }
}

variable "desired_count" {
  description = "Number of tasks the service starts with (autoscaling moves it between min_capacity and max_capacity afterwards)."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= 1 && floor(var.desired_count) == var.desired_count
    error_message = "desired_count must be a whole number of at least 1."
  }
}

variable "min_capacity" {
  description = "Autoscaling minimum number of tasks."
  type        = number
  default     = 2

  validation {
    condition     = var.min_capacity >= 1
    error_message = "min_capacity must be at least 1."
  }
}

variable "max_capacity" {
  description = "Autoscaling maximum number of tasks."
  type        = number
  default     = 6

  validation {
    condition     = var.max_capacity >= var.min_capacity && var.max_capacity <= 100
    error_message = "max_capacity must be at least min_capacity and at most 100."
  }
}

variable "autoscaling_enabled" {
  description = "Scale the service between min_capacity and max_capacity on CPU and ALB requests per task. false: a fixed desired_count."
  type        = bool
  default     = true
}

variable "cpu_target_percent" {
  description = "Target average CPU utilisation of the service, in percent."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target_percent >= 10 && var.cpu_target_percent <= 90
    error_message = "cpu_target_percent must be between 10 and 90."
  }
}

variable "requests_per_target" {
  description = "Target ALB requests per task per minute (ALBRequestCountPerTarget)."
  type        = number
  default     = 3000

  validation {
    condition     = var.requests_per_target >= 1
    error_message = "requests_per_target must be positive."
  }
}

variable "scale_in_cooldown" {
  description = "Seconds after a scale-in before another scale-in."
  type        = number
  default     = 300

  validation {
    condition     = var.scale_in_cooldown >= 0 && var.scale_in_cooldown <= 3600
    error_message = "scale_in_cooldown must be between 0 and 3600 seconds."
  }
}

variable "scale_out_cooldown" {
  description = "Seconds after a scale-out before another scale-out."
  type        = number
  default     = 60

  validation {
    condition     = var.scale_out_cooldown >= 0 && var.scale_out_cooldown <= 3600
    error_message = "scale_out_cooldown must be between 0 and 3600 seconds."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds ECS ignores failing ALB health checks of a new task (start-up, migrations, pool warm-up)."
  type        = number
  default     = 60

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 2147483647
    error_message = "health_check_grace_period_seconds must not be negative."
  }
}

variable "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL. The service drains about 5 s and exits within 25 s, so 30 fits."
  type        = number
  default     = 30

  validation {
    condition     = var.stop_timeout >= 2 && var.stop_timeout <= 120
    error_message = "stop_timeout must be between 2 and 120 seconds (the Fargate maximum)."
  }
}

variable "log_retention_days" {
  description = "Retention of /ecs/backend-logs-<environment>, in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "log_stream_prefix" {
  description = "awslogs stream prefix; streams are <prefix>/<container>/<task-id>."
  type        = string
  default     = "backend"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+$", var.log_stream_prefix))
    error_message = "log_stream_prefix must be letters, digits, dots, hyphens or underscores."
  }
}

variable "log_kms_key_arn" {
  description = "Optional customer-managed KMS key ARN for the log group. null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "container_insights" {
  description = "Container Insights level of the cluster: enabled, or enhanced (more metrics, more cost)."
  type        = string
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced"], var.container_insights)
    error_message = "container_insights must be enabled or enhanced."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the tasks run in."
  type        = string

  validation {
    condition     = can(regex("^vpc-", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets the tasks run in (no public IPs; egress through NAT)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "Give private subnets in at least two availability zones."
  }
}

variable "data_store_egress" {
  description = "Data stores the tasks connect to, name => { port, security_group_id }: one egress rule each, to that security group only (no CIDR). Internet egress is HTTPS (443) only."
  type = map(object({
    port              = number
    security_group_id = string
  }))
  default = {}

  validation {
    condition     = alltrue([for k, v in var.data_store_egress : v.port >= 1 && v.port <= 65535 && can(regex("^[a-z0-9-]+$", k))])
    error_message = "data_store_egress: names are lowercase words, ports are TCP port numbers."
  }
}

variable "deployment_alarm_5xx_per_minute" {
  description = "Deployment guard: target 5xx per minute above which (2 minutes of 3) ECS rolls a deployment back."
  type        = number
  default     = 5

  validation {
    condition     = var.deployment_alarm_5xx_per_minute >= 0
    error_message = "deployment_alarm_5xx_per_minute must not be negative."
  }
}

variable "alb_security_group_id" {
  description = "Security group of the ALB: the only source admitted on container_port."
  type        = string

  validation {
    condition     = can(regex("^sg-", var.alb_security_group_id))
    error_message = "alb_security_group_id must be a security group ID (sg-...)."
  }
}

variable "target_group_arn" {
  description = "ARN of the ALB target group (type ip) the service registers its tasks in."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the ALB (for the requests-per-target scaling metric)."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the target group (for the requests-per-target scaling metric)."
  type        = string
}

variable "execution_role_arn" {
  description = "ARN of the ECS execution role (image pull, logs, secrets injection)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN."
  }
}

variable "task_role_arn" {
  description = "ARN of the ECS task role (the application's AWS identity)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.task_role_arn))
    error_message = "task_role_arn must be an IAM role ARN."
  }
}

variable "platform_version" {
  description = "Fargate platform version."
  type        = string
  default     = "LATEST"
}

variable "wait_for_steady_state" {
  description = "Make terraform apply wait until the service is stable after a deployment (useful in CI; leave false for the very first apply, before an image exists)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}

variable "redeploy_on_secret_rotation" {
  description = "Secrets Manager secret ARNs whose successful rotation triggers a rolling redeploy of the service (ECS resolves `secrets` only at task start). Give the RDS-managed master password secret here."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.redeploy_on_secret_rotation : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[^:]+$", a))])
    error_message = "redeploy_on_secret_rotation must list Secrets Manager secret ARNs (no JSON-key suffix)."
  }
}
