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


variables {
  name                    = "bet2wealth-backend-test"
  environment             = "test"
  backend_image           = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-test:1.0.0"
  vpc_id                  = "vpc-0123456789abcdef0"
  private_subnet_ids      = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  alb_security_group_id   = "sg-0a1b2c3d4e5f67890"
  target_group_arn        = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/test/0123456789abcdef"
  alb_arn_suffix          = "app/test/0123456789abcdef"
  target_group_arn_suffix = "targetgroup/test/0123456789abcdef"
  execution_role_arn      = "arn:aws:iam::123456789012:role/test-ecs-execution"
  task_role_arn           = "arn:aws:iam::123456789012:role/test-ecs-task"
  data_store_egress = {
    redis    = { port = 6379, security_group_id = "sg-0000000000000redis" }
    postgres = { port = 5432, security_group_id = "sg-00000000000postgres" }
  }
  container_environment = { APP_ENV = "production", REDIS_HOST = "redis.internal" }
  container_secrets = {
    JWT_SECRET  = "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/test/JWT_SECRET"
    DB_PASSWORD = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!db-0000-AbCdEf:password::"
  }
}

run "service_and_task" {
  command = plan

  assert {
    condition     = aws_ecs_service.backend.desired_count == 2 && aws_ecs_service.backend.launch_type == "FARGATE"
    error_message = "Fargate service with desired_count 2."
  }

  assert {
    condition     = aws_ecs_service.backend.network_configuration[0].assign_public_ip == false && toset(aws_ecs_service.backend.network_configuration[0].subnets) == toset(var.private_subnet_ids)
    error_message = "Tasks run in the private subnets without public IPs."
  }

  assert {
    condition     = aws_ecs_service.backend.deployment_circuit_breaker[0].enable && aws_ecs_service.backend.deployment_circuit_breaker[0].rollback
    error_message = "Deployments use the circuit breaker with rollback."
  }

  assert {
    condition     = aws_ecs_service.backend.deployment_minimum_healthy_percent == 100 && aws_ecs_service.backend.deployment_maximum_percent == 200
    error_message = "Rolling deployment 100/200."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.from_alb.referenced_security_group_id == var.alb_security_group_id && aws_vpc_security_group_ingress_rule.from_alb.from_port == 4000 && aws_vpc_security_group_ingress_rule.from_alb.to_port == 4000
    error_message = "Tasks admit only the ALB's security group on 4000."
  }

  assert {
    condition     = aws_cloudwatch_log_group.backend.name == "/ecs/backend-logs-test"
    error_message = "The log group is /ecs/backend-logs-<env>."
  }

  assert {
    condition     = local.container_definition.readonlyRootFilesystem == true && local.container_definition.user == "10001:10001" && local.container_definition.stopTimeout == 30
    error_message = "Read-only root filesystem, non-root user, stopTimeout 30."
  }

  assert {
    condition     = local.container_definition.mountPoints[0].containerPath == "/tmp" && local.container_definition.mountPoints[0].readOnly == false
    error_message = "/tmp is the writable volume."
  }

  assert {
    condition     = local.container_definition.logConfiguration.options["awslogs-group"] == "/ecs/backend-logs-test"
    error_message = "awslogs writes to /ecs/backend-logs-<env>."
  }

  assert {
    condition     = contains(local.container_definition.secrets, { name = "DB_PASSWORD", valueFrom = var.container_secrets.DB_PASSWORD })
    error_message = "Secrets are passed by ARN in `secrets`."
  }

  assert {
    condition     = length(aws_sfn_state_machine.redeploy) == 0
    error_message = "No redeploy workflow unless asked."
  }

  assert {
    condition = (
      toset([for r in aws_vpc_security_group_egress_rule.data_stores : "${r.referenced_security_group_id}:${r.from_port}-${r.to_port}"]) == toset(["sg-0000000000000redis:6379-6379", "sg-00000000000postgres:5432-5432"])
      && alltrue([for r in aws_vpc_security_group_egress_rule.data_stores : r.cidr_ipv4 == null && r.cidr_ipv6 == null])
    )
    error_message = "The tasks reach Redis and PostgreSQL by security group only, on their ports (no VPC range)."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.https.from_port == 443 && aws_vpc_security_group_egress_rule.https.to_port == 443 && aws_vpc_security_group_egress_rule.https.cidr_ipv4 == "0.0.0.0/0"
    error_message = "Internet egress is HTTPS only."
  }

  assert {
    condition     = aws_ecs_service.backend.health_check_grace_period_seconds == 60 && aws_ecs_service.backend.availability_zone_rebalancing == "ENABLED" && aws_ecs_service.backend.enable_ecs_managed_tags
    error_message = "Grace period 60 s, AZ rebalancing, ECS-managed tags (settings moto does not store: asserted here)."
  }

  assert {
    condition = (
      aws_ecs_service.backend.alarms[0].enable && aws_ecs_service.backend.alarms[0].rollback
      && toset(aws_ecs_service.backend.alarms[0].alarm_names) == toset(["bet2wealth-backend-test-deploy-target-5xx", "bet2wealth-backend-test-deploy-unhealthy-hosts"])
    )
    error_message = "A deployment rolls back when the target 5xx or the unhealthy-hosts alarm fires."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.deployment["target-5xx"].metric_name == "HTTPCode_Target_5XX_Count"
      && aws_cloudwatch_metric_alarm.deployment["unhealthy-hosts"].metric_name == "UnHealthyHostCount"
      && alltrue([for a in aws_cloudwatch_metric_alarm.deployment : a.namespace == "AWS/ApplicationELB" && a.period == 60 && a.dimensions.TargetGroup == var.target_group_arn_suffix && a.dimensions.LoadBalancer == var.alb_arn_suffix])
    )
    error_message = "The deployment alarms watch this target group's 5xx and unhealthy hosts minute by minute."
  }

  assert {
    condition     = length(aws_appautoscaling_target.service) == 1 && aws_appautoscaling_target.service[0].min_capacity == 2 && length(aws_appautoscaling_policy.cpu) == 1 && length(aws_appautoscaling_policy.requests) == 1
    error_message = "Autoscaling (CPU and requests per target) is on by default."
  }
}

# One-off tasks: the service's container with another command and configuration. The migrator's
# DB_USER moves from the environment to the secrets (the service's plain DB_USER must go).
run "one_off_tasks" {
  command = plan

  variables {
    container_environment = { APP_ENV = "production", DB_USER = "bet2wealth", MIGRATE_ON_START = "false" }
    one_off_tasks = {
      migrate = {
        command = ["migrate"]
        secrets = {
          DB_USER     = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/db-migrator-AbCdEf:username::"
          DB_PASSWORD = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/db-migrator-AbCdEf:password::"
        }
      }
      db-roles = {
        command     = ["db-roles"]
        environment = { DB_APP_USER = "bet2wealth_app" }
      }
    }
  }

  assert {
    condition = (
      aws_ecs_task_definition.one_off["migrate"].family == "bet2wealth-backend-test-migrate"
      && aws_ecs_task_definition.one_off["db-roles"].family == "bet2wealth-backend-test-db-roles"
      && alltrue([for td in aws_ecs_task_definition.one_off : td.skip_destroy && td.network_mode == "awsvpc" && td.cpu == aws_ecs_task_definition.backend.cpu && td.memory == aws_ecs_task_definition.backend.memory && td.execution_role_arn == var.execution_role_arn && td.task_role_arn == var.task_role_arn])
    )
    error_message = "A family <name>-<key> per one-off task, same size and roles as the service, old revisions kept."
  }

  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].command == ["migrate"]
      && jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].image == var.backend_image
      && jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].name == "backend"
      && length(jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].portMappings) == 0
      && jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].readonlyRootFilesystem
      && jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].user == "10001:10001"
    )
    error_message = "The one-off container is the service's (image, name, user, read-only root) with its command and no port."
  }

  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].logConfiguration.options["awslogs-group"] == "/ecs/backend-logs-test"
      && jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].logConfiguration.options["awslogs-stream-prefix"] == "migrate"
      && jsondecode(aws_ecs_task_definition.one_off["db-roles"].container_definitions)[0].logConfiguration.options["awslogs-stream-prefix"] == "db-roles"
      && local.container_definition.logConfiguration.options["awslogs-stream-prefix"] == "backend"
      && output.one_off_log_stream_prefixes == { migrate = "migrate", db-roles = "db-roles" }
    )
    error_message = "One-off tasks log to the service's group under their own stream prefix."
  }

  # migrate: DB_USER and DB_PASSWORD from the migrator's secret; the service's plain DB_USER and its
  # DB_PASSWORD are gone, the rest of its configuration stays.
  assert {
    condition = (
      !contains([for e in jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].environment : e.name], "DB_USER")
      && contains(jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].environment, { name = "APP_ENV", value = "production" })
      && contains(jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].environment, { name = "MIGRATE_ON_START", value = "false" })
      && jsondecode(aws_ecs_task_definition.one_off["migrate"].container_definitions)[0].secrets == [
        { name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/db-migrator-AbCdEf:password::" },
        { name = "DB_USER", valueFrom = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/db-migrator-AbCdEf:username::" },
        { name = "JWT_SECRET", valueFrom = var.container_secrets.JWT_SECRET },
      ]
    )
    error_message = "A one-off task's names replace the service's in both maps; the service's other values stay."
  }

  assert {
    condition = (
      contains(jsondecode(aws_ecs_task_definition.one_off["db-roles"].container_definitions)[0].environment, { name = "DB_APP_USER", value = "bet2wealth_app" })
      && contains(jsondecode(aws_ecs_task_definition.one_off["db-roles"].container_definitions)[0].secrets, { name = "DB_PASSWORD", valueFrom = var.container_secrets.DB_PASSWORD })
      && jsondecode(aws_ecs_task_definition.backend.container_definitions)[0].environment == local.container_definition.environment
      && length(jsondecode(aws_ecs_task_definition.backend.container_definitions)[0].portMappings) == 1
    )
    error_message = "A task without overrides keeps the service's values; the service's own definition is unchanged."
  }

  assert {
    condition     = output.private_subnet_ids == var.private_subnet_ids && length(output.one_off_task_definition_families) == 2
    error_message = "The module outputs what `aws ecs run-task` needs: the families and the private subnets (and the security group)."
  }
}

run "one_off_name_in_environment_and_secrets_is_refused" {
  command = plan

  variables {
    one_off_tasks = {
      migrate = {
        command     = ["migrate"]
        environment = { DB_USER = "bet2wealth_migrator" }
        secrets     = { DB_USER = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/db-migrator-AbCdEf:username::" }
      }
    }
  }

  expect_failures = [aws_ecs_task_definition.one_off]
}

run "one_off_inputs_are_validated" {
  command = plan

  variables {
    one_off_tasks = {
      backend = { command = ["migrate"] }
      Bad     = { command = [] }
    }
  }

  expect_failures = [var.one_off_tasks]
}

run "one_off_secret_values_are_refused" {
  command = plan

  variables {
    one_off_tasks = {
      migrate = {
        command     = ["migrate"]
        environment = { DB_PASSWORD = "hunter2" }
        secrets     = { DB_USER = "bet2wealth_migrator" }
      }
    }
  }

  expect_failures = [var.one_off_tasks]
}

run "redeploy_after_secret_rotation" {
  command = plan

  variables {
    redeploy_on_secret_rotation = ["arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!db-0000-AbCdEf"]
  }

  assert {
    condition     = length(aws_sfn_state_machine.redeploy) == 1 && length(aws_cloudwatch_event_target.redeploy) == 1
    error_message = "A rotation of the given secret starts the redeploy workflow."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.secret_rotated[0].event_pattern).detail.eventName == ["RotationSucceeded"]
    error_message = "The rule matches successful rotations."
  }

  # The rendered trust and permission policies of the two workflow roles.
  assert {
    condition = (
      jsondecode(data.aws_iam_policy_document.redeploy_states_assume[0].json).Statement[0].Principal.Service == "states.amazonaws.com"
      && jsondecode(data.aws_iam_policy_document.redeploy_events_assume[0].json).Statement[0].Principal.Service == "events.amazonaws.com"
    )
    error_message = "The workflow roles trust Step Functions and EventBridge respectively."
  }

  assert {
    # The service's ARN is known after apply only, so the statement is checked as configured.
    condition     = data.aws_iam_policy_document.redeploy_states[0].statement[0].actions == toset(["ecs:UpdateService"]) && length(data.aws_iam_policy_document.redeploy_states[0].statement) == 1
    error_message = "The state machine may only call ecs:UpdateService (on this service)."
  }
}

run "fixed_count_without_autoscaling" {
  command = plan

  variables {
    autoscaling_enabled = false
  }

  assert {
    condition     = length(aws_appautoscaling_target.service) == 0 && length(aws_appautoscaling_policy.cpu) == 0 && length(aws_appautoscaling_policy.requests) == 0
    error_message = "autoscaling_enabled = false leaves the service at desired_count."
  }
}

run "plaintext_secret_in_environment_is_refused" {
  command = plan

  variables {
    container_environment = { DB_PASSWORD = "hunter2" }
  }

  expect_failures = [var.container_environment]
}

run "credentials_in_url_are_refused" {
  command = plan

  variables {
    container_environment = { CACHE = "rediss://:hunter2@redis.internal:6379" }
  }

  expect_failures = [var.container_environment]
}

run "secret_values_are_refused_in_secrets" {
  command = plan

  variables {
    container_secrets = { JWT_SECRET = "a-literal-secret" }
  }

  expect_failures = [var.container_secrets]
}
