data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  account_id = data.aws_caller_identity.current.account_id

  # Exactly the parameters of this environment: arn:aws:ssm:<region>:<account>:parameter/bet2wealth/<env>/*
  ssm_parameter_arn_pattern = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/bet2wealth/${var.environment}/*"
}

# Both roles are assumed by ECS tasks of this account and region only (confused-deputy guard).
data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    sid     = "EcsTasksAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"]
    }
  }
}

# ---------------------------------------------------------------- execution role
# Used by the ECS agent: pull the image from ECR, write to CloudWatch Logs, and read the task's
# `secrets` at start-up. The application never holds these permissions.
resource "aws_iam_role" "execution" {
  name                 = "${var.name}-ecs-execution"
  description          = "ECS execution role of ${var.name}: image pull, logs, secrets injection"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

# Instead of the AWS-managed AmazonECSTaskExecutionRolePolicy (ecr:* pulls from every repository,
# logs:CreateLogStream/PutLogEvents on every log group): exactly this environment's repository and log group.
data "aws_iam_policy_document" "execution_runtime" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # GetAuthorizationToken has no resource-level permissions.
  }

  statement {
    sid = "PullImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [var.ecr_repository_arn]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${trimsuffix(var.log_group_arn, ":*")}:log-stream:*"]
  }
}

resource "aws_iam_role_policy" "execution_runtime" {
  name   = "pull-image-write-logs"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_runtime.json
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid       = "ReadEnvironmentParameters"
    actions   = ["ssm:GetParameters"]
    resources = [local.ssm_parameter_arn_pattern]
  }

  dynamic "statement" {
    for_each = length(var.secrets_manager_secret_arns) > 0 ? [1] : []

    content {
      sid       = "ReadTaskSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = sort(distinct(var.secrets_manager_secret_arns))
    }
  }

  dynamic "statement" {
    for_each = length(var.kms_key_arns) > 0 ? [1] : []

    content {
      sid       = "DecryptTaskSecrets"
      actions   = ["kms:Decrypt"]
      resources = sort(distinct(var.kms_key_arns))

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values = [
          "secretsmanager.${local.region}.amazonaws.com",
          "ssm.${local.region}.amazonaws.com",
        ]
      }
    }
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "read-task-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

# ---------------------------------------------------------------- task role
# The application's own identity. No permissions unless task_role_policy_arns says so.
resource "aws_iam_role" "task" {
  name                 = "${var.name}-ecs-task"
  description          = "ECS task role of ${var.name}: the application's AWS identity (no permissions by default)"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "task" {
  for_each = toset(var.task_role_policy_arns)

  role       = aws_iam_role.task.name
  policy_arn = each.value
}
