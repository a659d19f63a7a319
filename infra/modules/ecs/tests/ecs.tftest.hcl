# terraform test (Terraform >= 1.11) with a mocked AWS provider: no credentials, no AWS calls.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_region" {
    defaults = { region = "eu-central-1", name = "eu-central-1" }
  }
}

variables {
  name                    = "bet2wealth-backend-test"
  environment             = "test"
  backend_image           = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-test:1.0.0"
  vpc_id                  = "vpc-0123456789abcdef0"
  vpc_cidr_block          = "10.0.0.0/16"
  private_subnet_ids      = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  alb_security_group_id   = "sg-0a1b2c3d4e5f67890"
  target_group_arn        = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/test/0123456789abcdef"
  alb_arn_suffix          = "app/test/0123456789abcdef"
  target_group_arn_suffix = "targetgroup/test/0123456789abcdef"
  execution_role_arn      = "arn:aws:iam::123456789012:role/test-ecs-execution"
  task_role_arn           = "arn:aws:iam::123456789012:role/test-ecs-task"
  container_environment   = { APP_ENV = "production", REDIS_HOST = "redis.internal" }
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
