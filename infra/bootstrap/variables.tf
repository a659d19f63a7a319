variable "state_bucket_name" {
  description = "Name of the Terraform state bucket (the environments' backend.tf and this root's own backend.tf name it too)."
  type        = string
  default     = "bet2wealth-terraform-state"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be an S3 bucket name."
  }
}

variable "noncurrent_state_days" {
  description = "Days an overwritten state version is kept (versioning lets an operator restore a state that an apply broke)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_state_days >= 7
    error_message = "noncurrent_state_days must be at least 7."
  }
}

variable "allowed_account_ids" {
  description = "Optional guard: the AWS account IDs this root may be applied to (null allows any). Pass it as TF_VAR_allowed_account_ids; account ids stay out of the code."
  type        = list(string)
  default     = null

  validation {
    condition     = var.allowed_account_ids == null ? true : alltrue([for a in var.allowed_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "allowed_account_ids must be 12-digit AWS account IDs."
  }
}
