# Credentials come from the environment (an administrator's SSO session): no profile here.
provider "aws" {
  region              = "eu-central-1"
  allowed_account_ids = var.allowed_account_ids

  default_tags {
    tags = {
      Project     = "bet2wealth"
      Service     = "backend"
      Environment = "shared"
      ManagedBy   = "terraform"
    }
  }
}
