variable "repository_name" {
  description = "Name of the ECR repository, e.g. bet2wealth-backend-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.repository_name)) && length(var.repository_name) <= 256
    error_message = "repository_name must be a valid ECR repository name (lowercase letters, digits, . _ - and /)."
  }
}

variable "images_to_keep" {
  description = "The lifecycle policy keeps this many most recent images and expires older ones."
  type        = number
  default     = 30

  validation {
    condition     = var.images_to_keep >= 1 && var.images_to_keep <= 1000 && floor(var.images_to_keep) == var.images_to_keep
    error_message = "images_to_keep must be a whole number between 1 and 1000."
  }
}

variable "kms_key_arn" {
  description = "Optional customer-managed KMS key ARN for image encryption. null uses AES256 (ECR-managed keys)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "force_delete" {
  description = "Allow terraform destroy to delete the repository while it still holds images."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
