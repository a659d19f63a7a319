variable "name" {
  description = "Name prefix of the deploy role, e.g. bet2wealth-backend-dev (role <name>-github-deploy)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,40}$", var.name))
    error_message = "name must be 1-40 characters valid in an IAM role name."
  }
}

variable "environment" {
  description = "Environment name; the role may use the state bucket under backend/<environment>/ only."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.environment))
    error_message = "environment must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "github_repository" {
  description = "The only GitHub repository (owner/name) whose workflows may assume the role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name, without wildcards."
  }
}

variable "allowed_github_environments" {
  description = "GitHub deployment environments whose jobs may assume the role: the token's sub claim must be repo:<repository>:environment:<name>. Branch refs are never trusted; the environment's deployment-branch rule says which branches may use it."
  type        = list(string)

  validation {
    condition     = length(var.allowed_github_environments) >= 1 && alltrue([for e in var.allowed_github_environments : can(regex("^[A-Za-z0-9_.-]+$", e))])
    error_message = "allowed_github_environments must list at least one plain environment name (no wildcards)."
  }
}

variable "promote_from_repository_arns" {
  description = "ECR repositories of earlier environments whose images this role may pull (promotion by digest: production copies the digest that dev tested). Empty: none."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.promote_from_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9._/-]+$", a))])
    error_message = "promote_from_repository_arns must be ECR repository ARNs (no wildcard)."
  }
}

variable "ecr_repository_arn" {
  description = "ARN of this environment's ECR repository: the only one the role can push to."
  type        = string
}

variable "ecs_cluster_arn" {
  description = "ARN of this environment's ECS cluster."
  type        = string
}

variable "ecs_service_arn" {
  description = "ARN of the ECS service the role deploys."
  type        = string
}

variable "task_definition_family" {
  description = "Family of the service's task definition (the role registers new revisions of it)."
  type        = string
}

variable "one_off_task_families" {
  description = "Families of the one-off task definitions (migrate, db-roles) the role registers, tags and runs with ecs:RunTask, in this cluster only; it may describe and stop the cluster's tasks. Empty: no run-task permission."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for f in var.one_off_task_families : can(regex("^[A-Za-z0-9_-]{1,255}$", f))])
    error_message = "one_off_task_families must be task definition family names (no wildcard, no revision)."
  }
}

variable "log_group_arn" {
  description = "ARN of the service's log group: the role may read the log streams of the one-off tasks in it (one_off_log_stream_prefixes), to print a failed task's output."
  type        = string
  default     = null

  validation {
    condition     = var.log_group_arn == null || can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[^*]+$", var.log_group_arn))
    error_message = "log_group_arn must be a CloudWatch Logs log group ARN (no wildcard) or null."
  }
}

variable "one_off_log_stream_prefixes" {
  description = "awslogs stream prefixes of the one-off tasks in log_group_arn: logs:GetLogEvents on <log group>:log-stream:<prefix>/* for each, nothing else of the group."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for p in var.one_off_log_stream_prefixes : can(regex("^[A-Za-z0-9_.-]+$", p))])
    error_message = "one_off_log_stream_prefixes must be stream prefixes without wildcards or slashes."
  }

  validation {
    condition     = length(var.one_off_log_stream_prefixes) == 0 || var.log_group_arn != null
    error_message = "one_off_log_stream_prefixes needs log_group_arn."
  }
}

variable "pass_role_arns" {
  description = "The ECS execution and task role ARNs: the only roles the deploy role may pass (to ecs-tasks.amazonaws.com)."
  type        = list(string)

  validation {
    condition     = length(var.pass_role_arns) == 2
    error_message = "pass_role_arns must be exactly the two task roles (execution role and task role)."
  }
}

variable "state_bucket_name" {
  description = "S3 bucket of the Terraform state."
  type        = string
  default     = "bet2wealth-terraform-state"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be an S3 bucket name."
  }
}

variable "state_kms_key_arn" {
  description = "Optional customer-managed KMS key of the state bucket (the role then gets encrypt/decrypt through S3 with it)."
  type        = string
  default     = null

  validation {
    condition     = var.state_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "allow_terraform_plan" {
  description = "Grant the read-only Describe/List/Get calls terraform plan needs to refresh this stack, so CI can deploy with `terraform apply -var backend_image=...`. Writes stay limited to ECR push, the ECS service, its task definition and the one-off tasks."
  type        = bool
  default     = true
}

variable "plan_readable_bucket_arns" {
  description = "Buckets of this environment that terraform plan refreshes (the ALB access-log bucket), as arn:aws:s3:::<name>. Only used when allow_terraform_plan is true."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.plan_readable_bucket_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", a))])
    error_message = "plan_readable_bucket_arns must be S3 bucket ARNs (no wildcard, no object path)."
  }
}

variable "plan_readable_secret_arns" {
  description = "Secrets Terraform reads during plan (the Redis AUTH token secret, read by a data source). Only used when allow_terraform_plan is true."
  type        = list(string)
  default     = []
}

variable "max_session_duration" {
  description = "Maximum session length of the role, in seconds."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
