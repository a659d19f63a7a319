# Alarm notifications: one SNS topic per environment, encrypted with a customer-managed KMS key.
#
# Why a CMK and not the AWS-managed alias/aws/sns: CloudWatch publishes alarm notifications as the
# service principal cloudwatch.amazonaws.com, which must be allowed kms:GenerateDataKey* and
# kms:Decrypt on the topic's key. The policy of an AWS-managed key cannot be changed, so a topic
# encrypted with alias/aws/sns accepts the alarm's configuration but silently never receives its
# notifications. The key costs about 1 USD/month.

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  account_id = data.aws_caller_identity.current.account_id

  # Every alarm of this module is named <name>-...; only they may publish to the topic.
  alarm_arn_pattern = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name}-*"
}

# ---------------------------------------------------------------- KMS key of the topic
data "aws_iam_policy_document" "topic_key" {
  #checkov:skip=CKV_AWS_109:A key policy's "*" resource is the key itself; administrators manage it through IAM.
  #checkov:skip=CKV_AWS_111:A key policy's "*" resource is the key itself; CloudWatch may only encrypt for this account.
  #checkov:skip=CKV_AWS_356:A key policy's "*" resource is the key itself.
  # Without this statement the key would be unmanageable (IAM policies grant the account's
  # administrators and Terraform their usual kms:* rights through it).
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_kms_key" "topic" {
  description             = "Encrypts the alarm topic ${var.name}-alarms (CloudWatch alarms may use it to publish)"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.topic_key.json

  tags = var.tags
}

resource "aws_kms_alias" "topic" {
  name          = "alias/${var.name}-alarms"
  target_key_id = aws_kms_key.topic.key_id
}

# ---------------------------------------------------------------- topic
resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  display_name      = "${var.name} alarms"
  kms_master_key_id = aws_kms_key.topic.arn

  tags = var.tags
}

data "aws_iam_policy_document" "topic" {
  # What the default topic policy grants the owning account.
  statement {
    sid = "AccountOwner"
    actions = [
      "sns:AddPermission",
      "sns:DeleteTopic",
      "sns:GetTopicAttributes",
      "sns:ListSubscriptionsByTopic",
      "sns:Publish",
      "sns:RemovePermission",
      "sns:SetTopicAttributes",
      "sns:Subscribe",
    ]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.alarm_arn_pattern]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.topic.json
}

# E-mail subscriptions stay "pending confirmation" until the recipient clicks the link AWS sends;
# Terraform cannot delete a pending subscription (it expires after 3 days).
resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}
