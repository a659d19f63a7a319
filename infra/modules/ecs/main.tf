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

    # SIGTERM, then SIGKILL after stopTimeout: the service drains ~5 s and exits within 25 s.
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

# In-VPC egress: Redis and PostgreSQL (their own security groups admit this group only).
resource "aws_vpc_security_group_egress_rule" "in_vpc" {
  for_each = toset([for p in var.in_vpc_egress_ports : tostring(p)])

  security_group_id = aws_security_group.tasks.id
  description       = "Tasks to data stores on ${each.value}"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
  cidr_ipv4         = var.vpc_cidr_block

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
    # Autoscaling owns the running count after creation.
    ignore_changes = [desired_count]

    precondition {
      condition     = var.desired_count >= var.min_capacity && var.desired_count <= var.max_capacity
      error_message = "desired_count must lie between min_capacity and max_capacity."
    }
  }
}

# ---------------------------------------------------------------- autoscaling
resource "aws_appautoscaling_target" "service" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.backend.name}"
  min_capacity       = var.min_capacity
  max_capacity       = var.max_capacity

  tags = var.tags
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension
  resource_id        = aws_appautoscaling_target.service.resource_id

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
  name               = "${var.name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension
  resource_id        = aws_appautoscaling_target.service.resource_id

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
