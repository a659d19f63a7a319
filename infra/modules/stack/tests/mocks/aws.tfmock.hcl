# Mock data of the hashicorp/aws provider for plans of the whole stack (modules/stack and every
# environment): mock_provider "aws" { source = "<path to this folder>" }. No credentials, no AWS calls.
# 123456789012 is the AWS documentation example account, used only as mock data.

mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012" }
}

mock_data "aws_region" {
  defaults = { region = "eu-central-1", name = "eu-central-1" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws" }
}

mock_data "aws_route53_zone" {
  defaults = { zone_id = "Z0EXAMPLE0ZONE" }
}

mock_data "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/mock/redis-auth-token-AbCdEf" }
}

mock_data "aws_secretsmanager_secret_version" {
  defaults = { secret_string = "mock-token-0123456789abcdef" }
}

mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

mock_data "aws_iam_openid_connect_provider" {
  defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
}
