variable "name" {
  description = "Name prefix of the roles, e.g. bet2wealth-backend-dev (roles are <name>-ecs-execution and <name>-ecs-task)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,40}$", var.name))
    error_message = "name must be 1-40 characters valid in an IAM role name."
  }
}

variable "environment" {
  description = "Environment name; the execution role may read SSM parameters under /bet2wealth/<environment>/ only."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.environment))
    error_message = "environment must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "ecr_repository_arn" {
  description = "ARN of the environment's ECR repository: the only one the execution role may pull from."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9._/-]+$", var.ecr_repository_arn))
    error_message = "ecr_repository_arn must be an ECR repository ARN (no wildcard)."
  }
}

variable "log_group_arn" {
  description = "ARN of the backend's CloudWatch log group (arn:...:log-group:<name>, with or without a trailing :*): the only one the execution role may write to."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[^*]+$", trimsuffix(var.log_group_arn, ":*")))
    error_message = "log_group_arn must be a CloudWatch Logs log group ARN (no wildcard in the name)."
  }
}

variable "secrets_manager_secret_arns" {
  description = "Exact ARNs of the Secrets Manager secrets the task's `secrets` use (without any :json-key:: suffix). The execution role may read these and no other secret."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.secrets_manager_secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[^:*?]+$", a))])
    error_message = "Every secrets_manager_secret_arns entry must be a full secret ARN with no JSON-key suffix and no wildcard."
  }
}

variable "kms_key_arns" {
  description = "Customer-managed KMS keys that encrypt those secrets or SSM parameters. When given, the execution role may kms:Decrypt with them through Secrets Manager and SSM only. Keys managed by AWS (aws/secretsmanager, aws/ssm) need no entry."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", a))])
    error_message = "Every kms_key_arns entry must be a KMS key ARN (arn:...:kms:<region>:<account>:key/...)."
  }
}

variable "task_role_policy_arns" {
  description = "Managed policies attached to the task role (the application's own AWS access). Empty by default: the service needs no AWS API."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.task_role_policy_arns : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/", a))])
    error_message = "Every task_role_policy_arns entry must be an IAM policy ARN."
  }
}

variable "permissions_boundary_arn" {
  description = "Optional permissions boundary applied to both roles."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
