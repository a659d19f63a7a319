# Only what is set per deployment rather than in code: the image (CI), the repository allowed to
# deploy, and values that name account-specific resources (ARNs, buckets, account ids). Everything
# else is a literal in main.tf. The stack module validates the values it receives.

variable "backend_image" {
  description = "Backend image to run: <account>.dkr.ecr.<region>.amazonaws.com/bet2wealth-backend-dev:<tag> or ...@sha256:<digest>. Required; CI passes -var backend_image=... on every deploy (pinned by tag or digest, never latest)."
  type        = string
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may deploy this environment (TF_VAR_github_repository in CI)."
  type        = string
}

variable "allowed_account_ids" {
  description = "Optional guard: the AWS account IDs this stack may be applied to (null allows any). Set it in terraform.tfvars, not in code."
  type        = list(string)
  default     = null

  validation {
    condition     = var.allowed_account_ids == null ? true : alltrue([for a in var.allowed_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "allowed_account_ids must be 12-digit AWS account IDs."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider here. It exists once per account: true in exactly one stack per AWS account (dev creates it; production looks it up)."
  type        = bool
  default     = true
}

variable "certificate_arn" {
  description = "Existing ACM certificate for the API host name. null (default): a certificate is requested and DNS-validated."
  type        = string
  default     = null
}

variable "alb_access_logs_bucket" {
  description = "Optional S3 bucket for ALB access logs (null disables them)."
  type        = string
  default     = null
}

variable "secrets_kms_key_arn" {
  description = "Optional customer-managed KMS key of the RDS master password secret (and the SSM/Secrets Manager secrets, if you use it for them): the execution role gets kms:Decrypt on it."
  type        = string
  default     = null
}

variable "container_secrets" {
  description = "Extra secrets, NAME => ARN: SSM parameters under /bet2wealth/dev/ or Secrets Manager secrets (optionally with a :json-key:: suffix). The execution role is granted exactly these."
  type        = map(string)
  default     = {}
}

variable "alarm_emails" {
  description = "E-mail addresses that receive the dev alarms (ALARM and OK); each must confirm the subscription AWS mails it. Set in terraform.tfvars; empty: no e-mail subscription."
  type        = list(string)
  default     = []
}
