variable "name" {
  description = "DB instance identifier and name prefix, e.g. bet2wealth-backend-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,52}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 2-54 lowercase letters, digits or hyphens, start with a letter, not end with a hyphen and have no two hyphens in a row."
  }
}

variable "vpc_id" {
  description = "ID of the VPC."
  type        = string

  validation {
    condition     = can(regex("^vpc-", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the DB subnet group (at least two AZs)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "Give private subnets in at least two availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups admitted on the PostgreSQL port (the ECS tasks' group). Nothing else is admitted."
  type        = list(string)

  validation {
    condition     = length(var.allowed_security_group_ids) >= 1 && alltrue([for s in var.allowed_security_group_ids : can(regex("^sg-", s))])
    error_message = "allowed_security_group_ids must list at least one security group ID (sg-...)."
  }
}

variable "engine_version" {
  description = "PostgreSQL version: 16 (latest 16.x minor) or a 16.x minor version."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^16(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be 16 or 16.<minor>."
  }
}

variable "instance_class" {
  description = "DB instance class."
  type        = string
  default     = "db.t4g.medium"

  validation {
    condition     = can(regex("^db\\.", var.instance_class))
    error_message = "instance_class must be an RDS instance class such as db.t4g.medium."
  }
}

variable "allocated_storage" {
  description = "Initial storage in GiB (gp3)."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB (0 disables storage autoscaling)."
  type        = number
  default     = 100

  validation {
    condition     = var.max_allocated_storage == 0 || var.max_allocated_storage >= var.allocated_storage
    error_message = "max_allocated_storage must be 0 or at least allocated_storage."
  }
}

variable "db_name" {
  description = "Name of the application database (the service's DB_NAME)."
  type        = string
  default     = "bet2wealth"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must start with a letter and contain lowercase letters, digits or underscores (max 63)."
  }
}

variable "master_username" {
  description = "Master user name (the service's DB_USER). Its password is generated and kept by RDS in Secrets Manager."
  type        = string
  default     = "bet2wealth"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.master_username)) && !contains(["postgres", "admin", "rdsadmin", "root"], var.master_username)
    error_message = "master_username must be a valid, non-reserved PostgreSQL role name."
  }
}

variable "port" {
  description = "PostgreSQL port."
  type        = number
  default     = 5432

  validation {
    condition     = var.port >= 1150 && var.port <= 65535
    error_message = "port must be between 1150 and 65535."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in a second AZ with automatic failover. On in production; doubles the instance cost."
  type        = bool
  default     = true
}

variable "backup_retention_period" {
  description = "Days of automated backups and point-in-time recovery (1-35)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_period >= 1 && var.backup_retention_period <= 35
    error_message = "backup_retention_period must be between 1 and 35 days: automated backups are always on."
  }
}

variable "backup_window" {
  description = "Daily UTC backup window (hh24:mi-hh24:mi); must not overlap the maintenance window."
  type        = string
  default     = "01:00-02:00"
}

variable "maintenance_window" {
  description = "Weekly UTC maintenance window (ddd:hh24:mi-ddd:hh24:mi)."
  type        = string
  default     = "sun:04:30-sun:05:30"
}

variable "deletion_protection" {
  description = "Refuse to delete the instance. On in production."
  type        = bool
  default     = true
}

variable "final_snapshot" {
  description = "Take a final snapshot (<name>-final) when the instance is deleted. On in production."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Optional customer-managed KMS key for storage encryption. null uses the aws/rds key (storage is always encrypted)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "master_user_secret_kms_key_arn" {
  description = "Optional customer-managed KMS key for the RDS-managed master password secret. null uses aws/secretsmanager. When set, give it to the iam module too (kms:Decrypt)."
  type        = string
  default     = null

  validation {
    condition     = var.master_user_secret_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.master_user_secret_kms_key_arn))
    error_message = "master_user_secret_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "performance_insights_enabled" {
  description = "Performance Insights (query load by wait event and SQL, 7 days of history are free). PostgreSQL supports it on every instance class, db.t4g.micro included."
  type        = bool
  default     = true
}

variable "performance_insights_retention_days" {
  description = "Days of Performance Insights history: 7 (free) or a multiple of 31 up to 731."
  type        = number
  default     = 7

  validation {
    condition     = var.performance_insights_retention_days == 7 || (var.performance_insights_retention_days % 31 == 0 && var.performance_insights_retention_days <= 731)
    error_message = "performance_insights_retention_days must be 7 or a multiple of 31 up to 731."
  }
}

variable "extra_parameters" {
  description = "Additional PostgreSQL parameters for the parameter group, name => value, applied at the next reboot (rds.force_ssl is always 1)."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(setintersection(keys(var.extra_parameters), ["rds.force_ssl", "log_min_duration_statement", "log_lock_waits"])) == 0
    error_message = "rds.force_ssl (always 1), log_min_duration_statement and log_lock_waits are set by the module."
  }
}

variable "login_roles" {
  description = "Login roles of the application whose credentials get a Secrets Manager secret <login_role_secret_prefix><role> (app: DML only; migrator: owns the schema, runs migrations). Empty: none."
  type        = list(string)
  default     = ["app", "migrator"]

  validation {
    condition     = alltrue([for r in var.login_roles : can(regex("^[a-z][a-z0-9_]{0,30}$", r))])
    error_message = "login_roles must be lowercase role suffixes (letters, digits, underscores)."
  }
}

variable "login_role_secret_prefix" {
  description = "Name prefix of the login roles' secrets, e.g. bet2wealth/dev/db-."
  type        = string
  default     = "bet2wealth/db-"

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]+$", var.login_role_secret_prefix))
    error_message = "login_role_secret_prefix must be a valid Secrets Manager name prefix."
  }
}

variable "secret_recovery_window_days" {
  description = "Days a deleted login-role secret can still be restored (0 deletes at once; 7-30 otherwise)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "apply_immediately" {
  description = "Apply changes immediately instead of in the maintenance window."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
