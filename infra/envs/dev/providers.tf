# Credentials come from the environment (OIDC role in CI, SSO/env vars locally): no profile here.
# eu-central-1, like the state (backend.tf) and the stack's availability zones (eu-central-1a/1b).
provider "aws" {
  region              = "eu-central-1"
  allowed_account_ids = var.allowed_account_ids

  default_tags {
    tags = {
      Project     = "bet2wealth"
      Service     = "backend"
      Environment = local.environment
      ManagedBy   = "terraform"
    }
  }
}
