variable "name" {
  description = "Replication group ID and name prefix, e.g. bet2wealth-backend-dev (lowercase, at most 40 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,38}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 2-40 lowercase letters, digits or hyphens, start with a letter, not end with a hyphen and have no two hyphens in a row."
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
  description = "Private subnets of the cache subnet group (at least two AZs)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "Give private subnets in at least two availability zones."
  }
}

variable "availability_zones" {
  description = "AZ of each cache node, in order (first is the initial primary). Must match the subnets' AZs."
  type        = list(string)
  default     = ["eu-central-1a", "eu-central-1b"]

  validation {
    condition     = length(distinct(var.availability_zones)) >= 2
    error_message = "Multi-AZ needs nodes in at least two distinct availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups admitted on the Redis port (the ECS tasks' group). Nothing else is admitted."
  type        = list(string)

  validation {
    condition     = length(var.allowed_security_group_ids) >= 1 && alltrue([for s in var.allowed_security_group_ids : can(regex("^sg-", s))])
    error_message = "allowed_security_group_ids must list at least one security group ID (sg-...)."
  }
}

variable "engine" {
  description = "Cache engine: redis (Redis OSS), or valkey (API-compatible, cheaper)."
  type        = string
  default     = "redis"

  validation {
    condition     = contains(["redis", "valkey"], var.engine)
    error_message = "engine must be redis or valkey."
  }
}

variable "engine_version" {
  description = "Engine version; 7.x for Redis OSS (7.1 is the last Redis OSS major on ElastiCache)."
  type        = string
  default     = "7.1"

  validation {
    condition     = can(regex("^[78]\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must be a 7.x (or Valkey 8.x) major.minor version such as 7.1."
  }
}

variable "parameter_group_name" {
  description = "Cache parameter group (cluster mode disabled). null uses the engine's default group (default.redis7 for Redis 7.x), which suits sessions, rate limits and locks."
  type        = string
  default     = null
}

variable "node_type" {
  description = "Cache node type."
  type        = string
  default     = "cache.t4g.small"

  validation {
    condition     = can(regex("^cache\\.", var.node_type))
    error_message = "node_type must be an ElastiCache node type such as cache.t4g.small."
  }
}

variable "num_cache_clusters" {
  description = "Number of nodes (one primary plus replicas), spread over availability_zones."
  type        = number
  default     = 2

  validation {
    condition     = var.num_cache_clusters >= 2 && var.num_cache_clusters <= 6
    error_message = "num_cache_clusters must be 2-6: automatic failover and Multi-AZ need a replica."
  }
}

variable "port" {
  description = "Redis port."
  type        = number
  default     = 6379

  validation {
    condition     = var.port >= 1024 && var.port <= 65535
    error_message = "port must be between 1024 and 65535."
  }
}

variable "auth_token_secret_arn" {
  description = "ARN of the Secrets Manager secret whose SecretString is the Redis AUTH token (16-128 printable characters, no @, \" or /). Terraform reads it; the token is never a literal in code."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[^:]+$", var.auth_token_secret_arn))
    error_message = "auth_token_secret_arn must be a Secrets Manager secret ARN (no JSON-key suffix)."
  }
}

variable "kms_key_arn" {
  description = "Optional customer-managed KMS key for encryption at rest. null uses the ElastiCache-managed key (still encrypted)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "snapshot_retention_limit" {
  description = "Days of automatic snapshots to keep (0 disables them)."
  type        = number
  default     = 1

  validation {
    condition     = var.snapshot_retention_limit >= 0 && var.snapshot_retention_limit <= 35
    error_message = "snapshot_retention_limit must be between 0 and 35."
  }
}

variable "snapshot_window" {
  description = "Daily UTC window for snapshots (hh24:mi-hh24:mi)."
  type        = string
  default     = "02:00-03:00"
}

variable "maintenance_window" {
  description = "Weekly UTC maintenance window (ddd:hh24:mi-ddd:hh24:mi)."
  type        = string
  default     = "sun:03:30-sun:04:30"
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
