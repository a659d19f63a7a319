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
  name                        = "bet2wealth-backend-test"
  environment                 = "test"
  secrets_manager_secret_arns = ["arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/redis-auth-token-AbCdEf"]
}

run "execution_role_scope" {
  command = plan

  assert {
    condition     = output.ssm_parameter_arn_pattern == "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/test/*"
    error_message = "SSM access is exactly /bet2wealth/<env>/*."
  }

  assert {
    condition     = data.aws_iam_policy_document.execution_secrets.statement[0].actions == toset(["ssm:GetParameters"]) && data.aws_iam_policy_document.execution_secrets.statement[0].resources == toset([output.ssm_parameter_arn_pattern])
    error_message = "The SSM statement allows ssm:GetParameters on the environment's prefix only."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.execution_managed.policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
    error_message = "The execution role has AmazonECSTaskExecutionRolePolicy."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.task) == 0
    error_message = "The task role has no permissions by default."
  }
}

run "wildcard_secret_is_refused" {
  command = plan

  variables {
    secrets_manager_secret_arns = ["arn:aws:secretsmanager:eu-central-1:123456789012:secret:*"]
  }

  expect_failures = [var.secrets_manager_secret_arns]
}
