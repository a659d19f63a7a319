# terraform test (Terraform >= 1.11): plans the whole production stack against a mocked AWS provider.
# No credentials, no AWS calls. Run from infra/envs/production: terraform init -backend=false && terraform test
# 123456789012 is the AWS documentation example account, used only as mock data.

mock_provider "aws" {
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
    defaults = { arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/production/redis-auth-token-AbCdEf" }
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
}

variables {
  backend_image     = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-production:1.2.3"
  github_repository = "example-org/bet2wealth-backend"
}

run "production_stack_plans" {
  command = plan

  assert {
    condition     = output.api_url == "https://api.production.bet2wealth.co"
    error_message = "api_url must be https://api.production.bet2wealth.co."
  }

  assert {
    condition     = output.ecs_service_name == "bet2wealth-backend-production" && output.ecs_cluster_name == "bet2wealth-backend-production"
    error_message = "ECS cluster and service are named bet2wealth-backend-production."
  }

  assert {
    condition     = output.log_group_name == "/ecs/backend-logs-production"
    error_message = "The backend logs go to /ecs/backend-logs-production."
  }

  assert {
    condition     = local.container_environment.APP_ENV == "production" && local.container_environment.DB_SSLMODE == "verify-full" && local.container_environment.REDIS_TLS == "true"
    error_message = "Production runs APP_ENV=production with TLS to Redis and PostgreSQL."
  }

  assert {
    condition     = local.container_environment.APP_VERSION == "1.2.3" && local.container_environment.TRUSTED_PROXY_HOPS == "1" && local.container_environment.PORT == "4000"
    error_message = "APP_VERSION comes from the image tag; PORT is 4000 and TRUSTED_PROXY_HOPS is 1 behind the ALB."
  }

  assert {
    condition     = !contains(keys(local.container_environment), "REDIS_URL") && !contains(keys(local.container_environment), "DATABASE_URL") && !contains(keys(local.container_environment), "DB_PASSWORD") && !contains(keys(local.container_environment), "REDIS_AUTH_TOKEN")
    error_message = "No URL with credentials and no password in the plaintext environment."
  }

  assert {
    condition     = local.container_secrets.JWT_SECRET == "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/production/JWT_SECRET"
    error_message = "JWT_SECRET comes from SSM /bet2wealth/production/JWT_SECRET."
  }

  assert {
    condition     = local.container_secrets.REDIS_AUTH_TOKEN == "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/production/redis-auth-token-AbCdEf"
    error_message = "REDIS_AUTH_TOKEN comes from the Redis auth token secret."
  }
}

run "latest_tag_is_refused" {
  command = plan

  variables {
    backend_image = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-production:latest"
  }

  expect_failures = [var.backend_image]
}

run "secrets_are_refused_in_environment" {
  command = plan

  variables {
    container_environment = { JWT_SECRET = "not-here" }
  }

  expect_failures = [var.container_environment]
}

run "production_keeps_postgres_multi_az" {
  command = plan

  variables {
    db_multi_az = false
  }

  expect_failures = [var.db_multi_az]
}

run "production_keeps_deletion_protection" {
  command = plan

  variables {
    db_deletion_protection = false
  }

  expect_failures = [var.db_deletion_protection]
}
