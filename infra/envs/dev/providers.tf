# Credentials come from the environment (OIDC role in CI, SSO/env vars locally): no profile here.
provider "aws" {
  region              = var.aws_region
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
