# The real hashicorp/aws provider (the version of the lock file / plugin mirror), planning only: fake
# credentials and no account or credential lookups, so nothing leaves the machine. Only data sources
# that would call AWS are overridden (override_data); everything else is the provider's own plan.
# 123456789012 is the AWS documentation example account.
provider "aws" {
  region                      = "eu-central-1"
  access_key                  = "mock_access_key"
  secret_key                  = "mock_secret_key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = data.aws_route53_zone.this
  values = { zone_id = "Z0EXAMPLE0ZONE", name = "bet2wealth.co" }
}

override_data {
  target = data.aws_secretsmanager_secret.redis_auth_token
  values = { arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/mock/redis-auth-token-AbCdEf" }
}

override_data {
  target = module.network.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.alb.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.iam.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.github_oidc.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.monitoring.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.github_oidc.data.aws_iam_openid_connect_provider.github
  values = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", url = "token.actions.githubusercontent.com" }
}

override_data {
  target = module.redis.data.aws_secretsmanager_secret_version.auth_token
  values = { secret_string = "mock-token-0123456789abcdef", arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/redis-auth-token-AbCdEf" }
}


variables {
  environment         = "dev"
  app_env             = "development"
  domain_name         = "api.dev.bet2wealth.co"
  backend_image       = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-dev:1.2.3"
  github_repository   = "example-org/bet2wealth-backend"
  github_environments = ["dev"]
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

# The least-privileged login (what both environments run) and the one-off tasks. The secrets' ARNs
# are known after apply only; their wiring is checked by tests/iam.test.mjs and envs.test.mjs.
run "app_login_and_one_off_tasks" {
  command = plan

  variables {
    db_login = "app"
  }

  assert {
    condition = (
      !contains(keys(local.container_environment), "DB_USER") && local.container_environment.MIGRATE_ON_START == "false"
      && contains(keys(local.container_secrets), "DB_USER") && contains(keys(local.container_secrets), "DB_PASSWORD")
    )
    error_message = "db_login = app: DB_USER and DB_PASSWORD from the app role's secret, and no migration at start-up."
  }

  assert {
    condition = (
      local.one_off_tasks.migrate.command == ["migrate"] && keys(local.one_off_tasks.migrate.secrets) == ["DB_PASSWORD", "DB_USER"]
      && keys(local.one_off_tasks.migrate) == ["command", "secrets"]
      && local.one_off_tasks.db-roles.command == ["db-roles"] && local.one_off_tasks.db-roles.environment == { DB_USER = "bet2wealth" }
      && keys(local.one_off_tasks.db-roles.secrets) == ["DB_APP_PASSWORD", "DB_APP_USER", "DB_MIGRATOR_PASSWORD", "DB_MIGRATOR_USER", "DB_PASSWORD"]
    )
    error_message = "migrate runs as the migrator (its secret's username and password); db-roles as the master user (plain name, the RDS-managed password) with both roles' secrets."
  }

  assert {
    condition     = output.one_off_task_families == { migrate = "bet2wealth-backend-dev-migrate", db-roles = "bet2wealth-backend-dev-db-roles" }
    error_message = "The one-off families are bet2wealth-backend-<env>-<key>."
  }
}

# One plan for every refused input (each one listed must fail on its own: a validation that stopped
# refusing would fail the run), so the whole stack is planned once, not once per input.
run "inputs_are_validated" {
  command = plan

  variables {
    alarm_emails          = ["not-an-address"]
    alarm_thresholds      = { service_latency_p99_ms = -1 }
    backend_image         = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-dev:latest"
    container_environment = { JWT_SECRET = "not-here" }
    container_secrets     = { EXTRA = "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/production/EXTRA" }
    db_login              = "superuser"
  }

  expect_failures = [
    var.alarm_emails,
    var.alarm_thresholds,
    var.backend_image,
    var.container_environment,
    var.container_secrets,
    var.db_login,
  ]
}

# The production guards: APP_ENV=production, Multi-AZ PostgreSQL, deletion protection, a final
# snapshot, and ALB access logs that a destroy cannot delete.
run "production_guards" {
  command = plan

  variables {
    environment                   = "production"
    app_env                       = "development"
    db_multi_az                   = false
    db_deletion_protection        = false
    db_final_snapshot             = false
    alb_access_logs_force_destroy = true
  }

  expect_failures = [
    var.app_env,
    var.db_multi_az,
    var.db_deletion_protection,
    var.db_final_snapshot,
    var.alb_access_logs_force_destroy,
  ]
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
