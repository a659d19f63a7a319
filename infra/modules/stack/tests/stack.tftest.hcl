# terraform test (Terraform >= 1.11): plans the whole stack against a mocked AWS provider.
# No credentials, no AWS calls. Run from infra/modules/stack: terraform init -backend=false && terraform test
# 123456789012 is the AWS documentation example account, used only as mock data.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  environment       = "dev"
  app_env           = "development"
  domain_name       = "api.dev.bet2wealth.co"
  backend_image     = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-dev:1.2.3"
  github_repository = "example-org/bet2wealth-backend"
}

run "stack_plans" {
  command = plan

  assert {
    condition     = output.api_url == "https://api.dev.bet2wealth.co"
    error_message = "api_url must be https://<domain_name>."
  }

  assert {
    condition     = output.ecs_service_name == "bet2wealth-backend-dev" && output.ecs_cluster_name == "bet2wealth-backend-dev"
    error_message = "ECS cluster and service are named bet2wealth-backend-<env>."
  }

  assert {
    condition     = output.log_group_name == "/ecs/backend-logs-dev"
    error_message = "The backend logs go to /ecs/backend-logs-<env>."
  }

  assert {
    condition     = local.container_environment.APP_VERSION == "1.2.3" && local.container_environment.TRUSTED_PROXY_HOPS == "1" && local.container_environment.PORT == "4000"
    error_message = "APP_VERSION comes from the image tag; PORT is 4000 and TRUSTED_PROXY_HOPS is 1 behind the ALB."
  }

  assert {
    condition     = local.container_environment.APP_ENV == "development" && local.container_environment.HOST_URL == "https://api.dev.bet2wealth.co" && local.container_environment.DB_SSLMODE == "verify-full" && local.container_environment.REDIS_TLS == "true"
    error_message = "APP_ENV and HOST_URL follow the inputs; TLS to Redis and PostgreSQL."
  }

  assert {
    condition     = !contains(keys(local.container_environment), "REDIS_URL") && !contains(keys(local.container_environment), "DATABASE_URL") && !contains(keys(local.container_environment), "DB_PASSWORD") && !contains(keys(local.container_environment), "REDIS_AUTH_TOKEN")
    error_message = "No URL with credentials and no password in the plaintext environment."
  }

  assert {
    condition     = local.container_secrets.JWT_SECRET == "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/dev/JWT_SECRET"
    error_message = "JWT_SECRET comes from SSM /bet2wealth/<env>/JWT_SECRET."
  }

  assert {
    condition     = local.container_secrets.REDIS_AUTH_TOKEN == "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/mock/redis-auth-token-AbCdEf"
    error_message = "REDIS_AUTH_TOKEN comes from the Redis auth token secret."
  }

  assert {
    condition     = data.aws_secretsmanager_secret.redis_auth_token.name == "bet2wealth/dev/redis-auth-token"
    error_message = "The Redis AUTH token secret defaults to bet2wealth/<env>/redis-auth-token."
  }

  assert {
    condition     = output.container_environment.APP_ENV == "development" && output.container_secret_arns.JWT_SECRET == local.container_secrets.JWT_SECRET
    error_message = "The container configuration is exposed as outputs (ARNs only, no secret values)."
  }

  assert {
    condition     = output.dashboard_name == "bet2wealth-backend-dev" && length(module.monitoring.alarm_arns) > 0
    error_message = "The stack creates the environment's alarms and its dashboard bet2wealth-backend-<env>."
  }
}

run "alarm_emails_are_validated" {
  command = plan

  variables {
    alarm_emails = ["not-an-address"]
  }

  expect_failures = [var.alarm_emails]
}

run "alarm_thresholds_are_positive" {
  command = plan

  variables {
    alarm_thresholds = { service_latency_p99_ms = -1 }
  }

  expect_failures = [var.alarm_thresholds]
}

run "latest_tag_is_refused" {
  command = plan

  variables {
    backend_image = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-dev:latest"
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

run "ssm_secrets_of_another_environment_are_refused" {
  command = plan

  variables {
    container_secrets = { EXTRA = "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/production/EXTRA" }
  }

  expect_failures = [var.container_secrets]
}

run "production_runs_app_env_production" {
  command = plan

  variables {
    environment = "production"
    app_env     = "development"
  }

  expect_failures = [var.app_env]
}

run "production_keeps_postgres_multi_az" {
  command = plan

  variables {
    environment = "production"
    app_env     = "production"
    db_multi_az = false
  }

  expect_failures = [var.db_multi_az]
}

run "production_keeps_deletion_protection" {
  command = plan

  variables {
    environment            = "production"
    app_env                = "production"
    db_deletion_protection = false
  }

  expect_failures = [var.db_deletion_protection]
}

run "production_keeps_final_snapshot" {
  command = plan

  variables {
    environment       = "production"
    app_env           = "production"
    db_final_snapshot = false
  }

  expect_failures = [var.db_final_snapshot]
}

run "dev_may_save_money" {
  command = plan

  variables {
    db_multi_az            = false
    db_deletion_protection = false
    db_final_snapshot      = false
  }

  assert {
    condition     = output.ecs_service_name == "bet2wealth-backend-dev"
    error_message = "Outside production, Multi-AZ, deletion protection and the final snapshot may be turned off."
  }
}
