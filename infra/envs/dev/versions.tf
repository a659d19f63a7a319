terraform {
  # >= 1.11: S3 native state locking (use_lockfile) is GA, cross-variable validations work.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}
