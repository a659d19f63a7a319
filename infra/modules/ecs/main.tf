data "aws_region" "current" {}

locals {
  log_group_name = "/ecs/backend-logs-${var.environment}"

  # One task-scoped volume per writable path, e.g. /tmp -> "tmp".
  writable_volumes = { for p in var.writable_paths : trim(replace(p, "/", "-"), "-") => p }

  container_definition = {
    name      = var.container_name
    image     = var.backend_image
    essential = true
    user      = var.container_user

    portMappings = [
      {
        name          = "http"
        containerPort = var.container_port
        hostPort      = var.container_port
        protocol      = "tcp"
        appProtocol   = "http"
      }
    ]

    # Non-secret configuration only (validated in variables.tf); sorted for stable diffs.
    environment = [
      for name in sort(keys(var.container_environment)) : { name = name, value = var.container_environment[name] }
    ]

    # Secrets: ECS reads each ARN with the execution role at task start and sets the variable.
    secrets = [
      for name in sort(keys(var.container_secrets)) : { name = name, valueFrom = var.container_secrets[name] }
    ]

    readonlyRootFilesystem = true
    mountPoints = [
      for volume, path in local.writable_volumes : { sourceVolume = volume, containerPath = path, readOnly = false }
    ]

    # SIGTERM, then SIGKILL after stopTimeout: longer than the service's drain and shutdown timeout
    # (SHUTDOWN_TIMEOUT; the stack validates the pair).
    stopTimeout = var.stop_timeout

    linuxParameters = {
      initProcessEnabled = true
      capabilities       = { drop = ["ALL"] }
    }

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.backend.name
        awslogs-region        = data.aws_region.current.id
        awslogs-stream-prefix = var.log_stream_prefix
        mode                  = "non-blocking"
        max-buffer-size       = "25m"
      }
    }
  }

  # One-off tasks (e.g. `bet2wealth migrate`): the service's container with another command, no port,
  # and its own log stream prefix (<key>/<container>/<task-id>). Environment and secrets are the
  # service's minus every name the task sets in either map, plus the task's own: a task moving DB_USER
  # from the environment to its secrets (or back) leaves no copy of the service's value behind. The
  # binary loads its whole configuration for every command, so the rest of the service's is kept.
  one_off_environment = {
    for k, t in var.one_off_tasks : k => merge(
      { for n, v in var.container_environment : n => v if !contains(concat(keys(t.environment), keys(t.secrets)), n) },
      t.environment,
    )
  }
  one_off_secrets = {
    for k, t in var.one_off_tasks : k => merge(
      { for n, v in var.container_secrets : n => v if !contains(concat(keys(t.environment), keys(t.secrets)), n) },
      t.secrets,
    )
  }
  one_off_container_definitions = {
    for k, t in var.one_off_tasks : k => merge(local.container_definition, {
      command      = t.command
      portMappings = []
      environment  = [for name in sort(keys(local.one_off_environment[k])) : { name = name, value = local.one_off_environment[k][name] }]
      secrets      = [for name in sort(keys(local.one_off_secrets[k])) : { name = name, valueFrom = local.one_off_secrets[k][name] }]
      logConfiguration = merge(local.container_definition.logConfiguration, {
        options = merge(local.container_definition.logConfiguration.options, { awslogs-stream-prefix = k })
      })
    })
  }
}

# ---------------------------------------------------------------- cluster and logs
resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "backend" {
  #checkov:skip=CKV_AWS_158:A customer-managed key is optional (log_kms_key_arn); CloudWatch Logs encrypts at rest by default.
  #checkov:skip=CKV_AWS_338:Retention is a variable; a year of application logs is not needed by default.
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

# ---------------------------------------------------------------- security group of the tasks
resource "aws_security_group" "tasks" {
  name_prefix = "${var.name}-tasks-"
  description = "ECS tasks of ${var.name}: port ${var.container_port} from the ALB only"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-tasks" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "ALB to backend container"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = var.alb_security_group_id

  tags = var.tags
}

# Internet egress: HTTPS only (Paystack, ECR, CloudWatch Logs, SSM, Secrets Manager through NAT).
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.tasks.id
  description       = "HTTPS to the internet and AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = var.tags
}

# Egress to the data stores by security group, not by the VPC's range: the tasks reach Redis and
# PostgreSQL (whose own groups admit this group only) and nothing else inside the VPC.
resource "aws_vpc_security_group_egress_rule" "data_stores" {
  for_each = var.data_store_egress

  security_group_id            = aws_security_group.tasks.id
  description                  = "Tasks to ${each.key} on ${each.value.port}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.security_group_id

  tags = var.tags
}

# ---------------------------------------------------------------- task definition
resource "aws_ecs_task_definition" "backend" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn
  container_definitions    = jsonencode([local.container_definition])

  # Keep old revisions registered: the deployment circuit breaker rolls back to the previous one.
  skip_destroy = true

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  dynamic "volume" {
    for_each = local.writable_volumes

    content {
      name = volume.key
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(setintersection(keys(var.container_environment), keys(var.container_secrets))) == 0
      error_message = "A name may be in container_environment or in container_secrets, not in both."
    }
  }
}

# One-off tasks of the same image (var.one_off_tasks), run with `aws ecs run-task` (infra/scripts/run-task.sh)
# in the service's subnets and security group: a family each, <name>-<key>, no service.
resource "aws_ecs_task_definition" "one_off" {
  for_each = var.one_off_tasks

  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn
  container_definitions    = jsonencode([local.one_off_container_definitions[each.key]])

  # Old revisions stay registered, like the service's (a revision is what a past run ran).
  skip_destroy = true

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  dynamic "volume" {
    for_each = local.writable_volumes

    content {
      name = volume.key
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(setintersection(keys(each.value.environment), keys(each.value.secrets))) == 0 && length(setintersection(keys(local.one_off_environment[each.key]), keys(local.one_off_secrets[each.key]))) == 0
      error_message = "A one-off task's name may be in its environment or in its secrets, not in both."
    }
  }
}

# ---------------------------------------------------------------- service
resource "aws_ecs_service" "backend" {
  name             = var.name
  cluster          = aws_ecs_cluster.this.arn
  task_definition  = aws_ecs_task_definition.backend.arn
  desired_count    = var.desired_count
  launch_type      = "FARGATE"
  platform_version = var.platform_version

  # Rolling deployment: keep 100% of the tasks serving, start up to 100% more, roll back on failure.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.health_check_grace_period_seconds

  deployment_controller {
    type = "ECS"
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # A deployment whose new tasks answer 5xx or fail the ALB health check rolls back, even when
  # the tasks start and stay running (which the circuit breaker alone would accept).
  alarms {
    alarm_names = [for a in aws_cloudwatch_metric_alarm.deployment : a.alarm_name]
    enable      = true
    rollback    = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = var.container_name
    container_port   = var.container_port
  }

  availability_zone_rebalancing = "ENABLED"
  propagate_tags                = "SERVICE"
  enable_ecs_managed_tags       = true
  enable_execute_command        = false
  wait_for_steady_state         = var.wait_for_steady_state

  tags = var.tags

  lifecycle {
    # Autoscaling owns the running count after creation (with autoscaling off, desired_count is set
    # at creation and changed by hand).
    ignore_changes = [desired_count]

    precondition {
      condition     = var.desired_count >= var.min_capacity && var.desired_count <= var.max_capacity
      error_message = "desired_count must lie between min_capacity and max_capacity."
    }
  }
}

# ---------------------------------------------------------------- deployment alarms
# Watched by ECS during a deployment (and its bake time): either one in ALARM rolls the service back
# to the previous task definition. One-minute periods, so a bad revision is caught within minutes.
locals {
  deployment_alarms = {
    target-5xx = {
      description = "Deployment guard: the tasks answered more than ${var.deployment_alarm_5xx_per_minute} HTTP 5xx a minute, 2 minutes of 3 (ECS rolls the deployment back)."
      metric      = "HTTPCode_Target_5XX_Count", statistic = "Sum", threshold = var.deployment_alarm_5xx_per_minute
    }
    unhealthy-hosts = {
      description = "Deployment guard: a task failed the ALB health check 2 minutes of 3 (UnHealthyHostCount > 0; ECS rolls the deployment back)."
      metric      = "UnHealthyHostCount", statistic = "Maximum", threshold = 0
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "deployment" {
  for_each = local.deployment_alarms

  alarm_name          = "${var.name}-deploy-${each.key}"
  alarm_description   = each.value.description
  namespace           = "AWS/ApplicationELB"
  metric_name         = each.value.metric
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  statistic           = each.value.statistic
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  # No requests, no datapoint: not a failure of the deployment.
  treat_missing_data = "notBreaching"

  tags = var.tags
}

# ---------------------------------------------------------------- autoscaling
resource "aws_appautoscaling_target" "service" {
  count = var.autoscaling_enabled ? 1 : 0

  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.backend.name}"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity

  tags = var.tags
}

resource "aws_appautoscaling_policy" "cpu" {
  count = var.autoscaling_enabled ? 1 : 0

  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service[0].service_namespace
  scalable_dimension = aws_appautoscaling_target.service[0].scalable_dimension
  resource_id        = aws_appautoscaling_target.service[0].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = var.scale_in_cooldown
    scale_out_cooldown = var.scale_out_cooldown

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  count = var.autoscaling_enabled ? 1 : 0

  name               = "${var.name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service[0].service_namespace
  scalable_dimension = aws_appautoscaling_target.service[0].scalable_dimension
  resource_id        = aws_appautoscaling_target.service[0].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_target
    scale_in_cooldown  = var.scale_in_cooldown
    scale_out_cooldown = var.scale_out_cooldown

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${var.alb_arn_suffix}/${var.target_group_arn_suffix}"
    }
  }
}
