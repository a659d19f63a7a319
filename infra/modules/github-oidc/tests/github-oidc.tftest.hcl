# terraform test (Terraform >= 1.11) with a mocked AWS provider: no credentials, no AWS calls.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { region = "eu-central-1", name = "eu-central-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  name                   = "bet2wealth-backend-test"
  environment            = "test"
  create_oidc_provider   = true
  github_repository      = "example-org/bet2wealth-backend"
  allowed_branches       = ["main"]
  ecr_repository_arn     = "arn:aws:ecr:eu-central-1:123456789012:repository/bet2wealth-backend-test"
  ecs_cluster_arn        = "arn:aws:ecs:eu-central-1:123456789012:cluster/bet2wealth-backend-test"
  ecs_service_arn        = "arn:aws:ecs:eu-central-1:123456789012:service/bet2wealth-backend-test/bet2wealth-backend-test"
  task_definition_family = "bet2wealth-backend-test"
  pass_role_arns         = ["arn:aws:iam::123456789012:role/test-ecs-execution", "arn:aws:iam::123456789012:role/test-ecs-task"]
}

run "trust_and_scope" {
  command = plan

  assert {
    condition     = output.allowed_subjects == ["repo:example-org/bet2wealth-backend:ref:refs/heads/main"]
    error_message = "Only the main branch of the given repository may assume the role."
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com"
    error_message = "The OIDC provider is created when asked."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.deploy.statement : s.resources if s.sid == "PassTaskRoles"]) == toset(var.pass_role_arns)
    error_message = "iam:PassRole is limited to the two task roles."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.deploy.statement : s.resources if s.sid == "StateReadWrite"]) == toset(["arn:aws:s3:::bet2wealth-terraform-state/backend/test/*"])
    error_message = "State access is limited to backend/<env>/*."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.deploy.statement : s.resources if s.sid == "EcrPush"]) == toset([var.ecr_repository_arn])
    error_message = "ECR push is limited to this environment's repository."
  }
}
