# Rolling redeploy after a secret rotates. ECS reads `secrets` only when a task starts, so after
# RDS rotates the master password (every 7 days by default) running tasks still hold the old one
# and would fail to open new connections. Secrets Manager's RotationSucceeded event starts a
# one-step Step Functions workflow that calls ecs:UpdateService with forceNewDeployment: new
# tasks start with the new value, old ones drain (minimum healthy 100 %, no downtime).

locals {
  redeploy_enabled = length(var.redeploy_on_secret_rotation) > 0
}

data "aws_iam_policy_document" "redeploy_states_assume" {
  count = local.redeploy_enabled ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "redeploy_states" {
  count = local.redeploy_enabled ? 1 : 0

  name               = "${var.name}-redeploy-sfn"
  description        = "Step Functions: force a new deployment of ${var.name} after a secret rotation"
  assume_role_policy = data.aws_iam_policy_document.redeploy_states_assume[0].json

  tags = var.tags
}

data "aws_iam_policy_document" "redeploy_states" {
  count = local.redeploy_enabled ? 1 : 0

  statement {
    actions   = ["ecs:UpdateService"]
    resources = [aws_ecs_service.backend.id]
  }
}

resource "aws_iam_role_policy" "redeploy_states" {
  count = local.redeploy_enabled ? 1 : 0

  name   = "force-new-deployment"
  role   = aws_iam_role.redeploy_states[0].id
  policy = data.aws_iam_policy_document.redeploy_states[0].json
}

resource "aws_sfn_state_machine" "redeploy" {
  #checkov:skip=CKV_AWS_284:A single idempotent SDK call; its executions are visible in the Step Functions history.
  #checkov:skip=CKV_AWS_285:A single idempotent SDK call; its executions are visible in the Step Functions history.
  count = local.redeploy_enabled ? 1 : 0

  name     = "${var.name}-redeploy"
  role_arn = aws_iam_role.redeploy_states[0].arn

  definition = jsonencode({
    Comment = "Force a new deployment of ${var.name} so its tasks read rotated secrets"
    StartAt = "ForceNewDeployment"
    States = {
      ForceNewDeployment = {
        Type     = "Task"
        Resource = "arn:aws:states:::aws-sdk:ecs:updateService"
        Parameters = {
          Cluster            = aws_ecs_cluster.this.arn
          Service            = aws_ecs_service.backend.name
          ForceNewDeployment = true
        }
        Retry = [{ ErrorEquals = ["States.ALL"], IntervalSeconds = 30, MaxAttempts = 3, BackoffRate = 2 }]
        End   = true
      }
    }
  })

  tags = var.tags
}

resource "aws_cloudwatch_event_rule" "secret_rotated" {
  count = local.redeploy_enabled ? 1 : 0

  name        = "${var.name}-secret-rotated"
  description = "A secret used by ${var.name} rotated: redeploy the service"

  event_pattern = jsonencode({
    source        = ["aws.secretsmanager"]
    "detail-type" = ["AWS Service Event via CloudTrail"]
    detail = {
      eventSource         = ["secretsmanager.amazonaws.com"]
      eventName           = ["RotationSucceeded"]
      additionalEventData = { SecretId = var.redeploy_on_secret_rotation }
    }
  })

  tags = var.tags
}

data "aws_iam_policy_document" "redeploy_events_assume" {
  count = local.redeploy_enabled ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "redeploy_events" {
  count = local.redeploy_enabled ? 1 : 0

  name               = "${var.name}-redeploy-events"
  description        = "EventBridge: start the redeploy workflow of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.redeploy_events_assume[0].json

  tags = var.tags
}

data "aws_iam_policy_document" "redeploy_events" {
  count = local.redeploy_enabled ? 1 : 0

  statement {
    actions   = ["states:StartExecution"]
    resources = [aws_sfn_state_machine.redeploy[0].arn]
  }
}

resource "aws_iam_role_policy" "redeploy_events" {
  count = local.redeploy_enabled ? 1 : 0

  name   = "start-redeploy"
  role   = aws_iam_role.redeploy_events[0].id
  policy = data.aws_iam_policy_document.redeploy_events[0].json
}

resource "aws_cloudwatch_event_target" "redeploy" {
  count = local.redeploy_enabled ? 1 : 0

  rule     = aws_cloudwatch_event_rule.secret_rotated[0].name
  arn      = aws_sfn_state_machine.redeploy[0].arn
  role_arn = aws_iam_role.redeploy_events[0].arn
}
