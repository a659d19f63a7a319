# Only what is set per deployment rather than in code: the image (CI, by digest), the repository
# allowed to deploy, and the optional account guard. Everything else, per-environment values
# included, is a literal in main.tf, so every apply plans the same thing. The stack validates them.

variable "backend_image" {
  description = "Backend image to run: <account>.dkr.ecr.<region>.amazonaws.com/bet2wealth-backend-dev:<tag> or ...@sha256:<digest>. Required; CI passes -var backend_image=<repository>@sha256:<digest> on every deploy (never latest)."
  type        = string
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may deploy this environment (TF_VAR_github_repository in CI)."
  type        = string
}

variable "allowed_account_ids" {
  description = "Optional guard: the AWS account IDs this stack may be applied to (null allows any). Pass it as TF_VAR_allowed_account_ids (the GitHub environment variable AWS_ACCOUNT_ID in CI); account ids stay out of the code."
  type        = list(string)
  default     = null

  validation {
    condition     = var.allowed_account_ids == null ? true : alltrue([for a in var.allowed_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "allowed_account_ids must be 12-digit AWS account IDs."
  }
}
