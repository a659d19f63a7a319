data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition    = data.aws_partition.current.partition
  region       = data.aws_region.current.id
  account_id   = data.aws_caller_identity.current.account_id
  oidc_host    = "token.actions.githubusercontent.com"
  provider_arn = data.aws_iam_openid_connect_provider.github.arn

  # The token's sub claim of a job bound to an allowed GitHub environment, and nothing else: a job
  # without `environment:` (sub repo:<repo>:ref:refs/heads/<branch>), a pull request or another
  # repository cannot assume the role. The environment's protection rules (required reviewers,
  # deployment branches) decide which runs get such a token: see infra/README.md.
  allowed_subjects = [for e in var.allowed_github_environments : "repo:${var.github_repository}:environment:${e}"]

  # Task definitions by family, any revision: arn:...:task-definition/<family>:<revision>. The role
  # registers (and tags at registration) revisions of the service's and the one-off tasks' families.
  one_off_task_definition_arn_patterns = [
    for f in var.one_off_task_families : "arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/${f}:*"
  ]
  task_definition_arn_patterns = concat(
    ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/${var.task_definition_family}:*"],
    local.one_off_task_definition_arn_patterns,
  )
  # The cluster's tasks: arn:...:task/<cluster name>/<task id>
  cluster_task_arn_pattern = "${replace(var.ecs_cluster_arn, ":cluster/", ":task/")}/*"

  state_bucket_arn = "arn:${local.partition}:s3:::${var.state_bucket_name}"
  state_prefix     = "backend/${var.environment}"

  # Read-only calls that `terraform plan` makes to refresh this stack's resources.
  plan_read_actions = [
    "acm:DescribeCertificate",
    "acm:GetCertificate",
    "acm:ListTagsForCertificate",
    "application-autoscaling:Describe*",
    "application-autoscaling:ListTagsForResource",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:GetDashboard",
    "cloudwatch:ListTagsForResource",
    "ec2:Describe*",
    "ecr:DescribeRepositories",
    "ecr:GetLifecyclePolicy",
    "ecr:GetRepositoryPolicy",
    "ecr:ListTagsForResource",
    "ecs:DescribeClusters",
    "ecs:ListTagsForResource",
    "elasticache:Describe*",
    "elasticache:ListTagsForResource",
    "elasticloadbalancing:Describe*",
    "events:DescribeRule",
    "events:ListTagsForResource",
    "events:ListTargetsByRule",
    "iam:GetOpenIDConnectProvider",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListOpenIDConnectProviders",
    "iam:ListRolePolicies",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListResourceTags",
    "logs:DescribeLogGroups",
    "logs:ListTagsForResource",
    "logs:ListTagsLogGroup",
    "rds:Describe*",
    "rds:ListTagsForResource",
    "route53:GetChange",
    "route53:GetHostedZone",
    "route53:ListHostedZones",
    "route53:ListHostedZonesByName",
    "route53:ListResourceRecordSets",
    "route53:ListTagsForResource",
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetResourcePolicy",
    "sns:GetSubscriptionAttributes",
    "sns:GetTopicAttributes",
    "sns:ListTagsForResource",
    "states:DescribeStateMachine",
    "states:ListTagsForResource",
    "wafv2:GetWebACL",
    "wafv2:GetWebACLForResource",
    "wafv2:ListTagsForResource",
  ]

  # What terraform plan reads of the environment's own buckets (the ALB access-log bucket): only
  # those buckets, so that s3:ListBucket does not widen the state prefix limit below.
  plan_bucket_read_actions = [
    "s3:GetAccelerateConfiguration",
    "s3:GetBucketAcl",
    "s3:GetBucketCORS",
    "s3:GetBucketLocation",
    "s3:GetBucketLogging",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPolicy",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketRequestPayment",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetBucketWebsite",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:ListBucket",
  ]
}

# ---------------------------------------------------------------- OIDC provider (infra/bootstrap)
# Created once per account by the bootstrap root, so destroying one environment cannot remove it.
data "aws_iam_openid_connect_provider" "github" {
  url = "https://${local.oidc_host}"
}

# ---------------------------------------------------------------- deploy role
data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "GitHubActionsOidc"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = local.allowed_subjects
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-github-deploy"
  description          = "GitHub Actions deploy role of ${var.name} (${var.github_repository})"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_duration

  tags = var.tags
}

data "aws_iam_policy_document" "deploy" {
  # ---- push images to this environment's repository only
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # GetAuthorizationToken has no resource-level permissions.
  }

  statement {
    sid = "EcrPush"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImageScanFindings",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [var.ecr_repository_arn]
  }

  # ---- promotion: read the image that an earlier environment tested (pulled by digest, pushed above)
  dynamic "statement" {
    for_each = length(var.promote_from_repository_arns) > 0 ? [1] : []

    content {
      sid = "EcrPullPromoted"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:DescribeImages",
        "ecr:GetDownloadUrlForLayer",
      ]
      resources = var.promote_from_repository_arns
    }
  }

  # ---- deploy the ECS service: new task definition revision, then update the service
  statement {
    sid = "EcsTaskDefinitions"
    actions = [
      "ecs:DescribeTaskDefinition",
      "ecs:ListTaskDefinitions",
      "ecs:RegisterTaskDefinition",
    ]
    resources = ["*"] # These calls do not support resource-level permissions.
  }

  statement {
    sid       = "EcsTagTaskDefinition"
    actions   = ["ecs:TagResource"]
    resources = local.task_definition_arn_patterns
  }

  statement {
    sid = "EcsDeployService"
    actions = [
      "ecs:DescribeServices",
      "ecs:UpdateService",
    ]
    resources = [var.ecs_service_arn]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [var.ecs_cluster_arn]
    }
  }

  # ---- one-off tasks (the migration before each service update): run them in this cluster only,
  # watch and stop the cluster's tasks, read the one-off tasks' log streams (not the service's)
  dynamic "statement" {
    for_each = length(var.one_off_task_families) > 0 ? [1] : []

    content {
      sid       = "EcsRunOneOffTasks"
      actions   = ["ecs:RunTask"]
      resources = local.one_off_task_definition_arn_patterns

      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = [var.ecs_cluster_arn]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.one_off_task_families) > 0 ? [1] : []

    content {
      sid       = "EcsWatchOneOffTasks"
      actions   = ["ecs:DescribeTasks", "ecs:StopTask"]
      resources = [local.cluster_task_arn_pattern]

      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = [var.ecs_cluster_arn]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.one_off_log_stream_prefixes) > 0 ? [1] : []

    content {
      sid       = "ReadOneOffTaskLogs"
      actions   = ["logs:GetLogEvents"]
      resources = [for p in var.one_off_log_stream_prefixes : "${trimsuffix(var.log_group_arn, ":*")}:log-stream:${p}/*"]
    }
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = var.pass_role_arns

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  # ---- Terraform state of this environment only (state file and its .tflock lock file)
  statement {
    sid       = "StateList"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.state_prefix}/*"]
    }
  }

  statement {
    sid = "StateReadWrite"
    actions = [
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:PutObject",
    ]
    resources = ["${local.state_bucket_arn}/${local.state_prefix}/*"]
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [var.state_kms_key_arn]

    content {
      sid       = "StateEncryption"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }

  # ---- read-only refresh for terraform plan (no writes outside the statements above)
  dynamic "statement" {
    for_each = var.allow_terraform_plan ? [1] : []

    content {
      sid       = "TerraformPlanRead"
      actions   = local.plan_read_actions
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.allow_terraform_plan && length(var.plan_readable_bucket_arns) > 0 ? [1] : []

    content {
      sid       = "TerraformPlanReadBuckets"
      actions   = local.plan_bucket_read_actions
      resources = var.plan_readable_bucket_arns
    }
  }

  dynamic "statement" {
    for_each = var.allow_terraform_plan && length(var.plan_readable_secret_arns) > 0 ? [1] : []

    content {
      sid       = "TerraformPlanSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = var.plan_readable_secret_arns
    }
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy-${var.environment}"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
