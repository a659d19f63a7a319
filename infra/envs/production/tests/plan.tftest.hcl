# terraform test (Terraform >= 1.11): plans the production environment with the real provider and checks
# what is specific to production, and what the emulated apply (tests/emulator/run.sh) cannot show.
# What every environment shares is tested in modules/stack/tests.
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
  target = module.stack.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.stack.data.aws_route53_zone.this
  values = { zone_id = "Z0EXAMPLE0ZONE", name = "bet2wealth.co" }
}

override_data {
  target = module.stack.data.aws_secretsmanager_secret.redis_auth_token
  values = { arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/mock/redis-auth-token-AbCdEf" }
}

override_data {
  target = module.stack.module.network.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.stack.module.alb.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.stack.module.iam.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.stack.module.github_oidc.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.stack.module.monitoring.data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}

override_data {
  target = module.stack.module.github_oidc.data.aws_iam_openid_connect_provider.github
  values = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", url = "token.actions.githubusercontent.com" }
}

override_data {
  target = module.stack.module.redis.data.aws_secretsmanager_secret_version.auth_token
  values = { secret_string = "mock-token-0123456789abcdef", arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/redis-auth-token-AbCdEf" }
}


variables {
  backend_image     = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-production:1.2.3"
  github_repository = "example-org/bet2wealth-backend"
}

run "production_plans" {
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
    condition     = module.stack.container_environment.APP_ENV == "production" && module.stack.container_environment.LOG_LEVEL == "info" && module.stack.container_environment.APP_VERSION == "1.2.3"
    error_message = "production runs APP_ENV=production, LOG_LEVEL=info and APP_VERSION from the image tag."
  }

  assert {
    condition     = module.stack.container_secret_arns.JWT_SECRET == "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/production/JWT_SECRET"
    error_message = "JWT_SECRET comes from SSM /bet2wealth/production/JWT_SECRET."
  }

  assert {
    condition     = output.dashboard_name == "bet2wealth-backend-production"
    error_message = "production has its alarms and the dashboard bet2wealth-backend-production."
  }

  # Deploys: only jobs of the GitHub environment "production" may assume the deploy role.
  assert {
    condition     = module.stack.deploy_role_subjects == ["repo:example-org/bet2wealth-backend:environment:production"]
    error_message = "The deploy role trusts the GitHub environment production only (no branch refs)."
  }

  assert {
    condition     = tolist(module.stack.promote_from_repository_arns) == tolist(["arn:aws:ecr:eu-central-1:123456789012:repository/bet2wealth-backend-dev"])
    error_message = "production copies the digest dev tested, from dev's repository."
  }

  # Rolling-restart timing, as the local stack measures it (tests/stack/test_rolling_restart.py).
  assert {
    condition = module.stack.rolling_restart_timing == {
      deregistration_delay = 20, health_check_interval = 5, health_check_timeout = 2,
      healthy_threshold    = 2, unhealthy_threshold = 2, stop_timeout = 40
    }
    error_message = "Deregistration delay 20 s, health checks every 5 s (timeout 2 s, 2 to pass, 2 to fail), stopTimeout 40 s."
  }

  assert {
    condition     = output.alb_access_logs_bucket == "bet2wealth-backend-production-alb-logs-123456789012"
    error_message = "The ALB logs to this environment's own bucket."
  }

  # The service logs in as the least-privileged app role; the migrator migrates first, in a one-off task.
  assert {
    condition = (
      !contains(keys(module.stack.container_environment), "DB_USER") && module.stack.container_environment.MIGRATE_ON_START == "false"
      && contains(keys(module.stack.container_secret_arns), "DB_USER") && contains(keys(module.stack.container_secret_arns), "DB_PASSWORD")
    )
    error_message = "production runs db_login = app: DB_USER and DB_PASSWORD from the app role's secret, no migration at start-up."
  }

  assert {
    condition     = output.one_off_task_families == { migrate = "bet2wealth-backend-production-migrate", db-roles = "bet2wealth-backend-production-db-roles" }
    error_message = "The one-off tasks run-task.sh starts are bet2wealth-backend-production-migrate and -db-roles."
  }
}
