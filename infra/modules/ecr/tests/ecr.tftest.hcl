# terraform test (Terraform >= 1.11) with a mocked AWS provider: no credentials, no AWS calls.
mock_provider "aws" {}

variables {
  repository_name = "bet2wealth-backend-test"
  images_to_keep  = 10
}

run "repository" {
  command = plan

  assert {
    condition     = aws_ecr_repository.this.image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.this.image_scanning_configuration[0].scan_on_push
    error_message = "Immutable tags and scan on push."
  }

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.this.policy).rules[0].selection.countNumber == 10
    error_message = "The lifecycle policy keeps the last N images."
  }
}
