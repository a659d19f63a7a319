output "topic_arn" {
  description = "ARN of the SNS topic every alarm notifies on ALARM and OK (subscribe pagers, chat integrations or more addresses to it)."
  value       = aws_sns_topic.alarms.arn
}

output "topic_kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the topic (a publisher other than CloudWatch needs kms:GenerateDataKey* and kms:Decrypt on it)."
  value       = aws_kms_key.topic.arn
}

output "alarm_arns" {
  description = "ARNs of every alarm of this module."
  value       = local.alarm_arns
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard (null when create_dashboard is false)."
  value       = one(aws_cloudwatch_dashboard.this[*].dashboard_name)
}
