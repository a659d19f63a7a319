# Alarms on the service's own metrics. The service writes CloudWatch Embedded Metric Format lines
# to stdout; the awslogs driver ships them to /ecs/backend-logs-<env> and CloudWatch Logs extracts
# the metrics: namespace var.metrics_namespace ("Bet2wealth"), one dimension set {Environment},
# where Environment is exactly the task's APP_ENV ("development" in dev, "production").
# Each task emits once a minute; CloudWatch sums the tasks' values.
#
# treat_missing_data is notBreaching for all of them: a quiet service emits nothing (no request,
# no error, no settlement to resume), and a service that stopped emitting because it is down is
# reported by the load balancer's alarms (no healthy target, ELB 5xx).

locals {
  service_dimensions = { Environment = var.metrics_environment }
}

resource "aws_cloudwatch_metric_alarm" "service_server_errors" {
  alarm_name          = "${var.name}-service-server-errors"
  alarm_description   = "HIGH: the service answered more than ${var.service_server_errors_threshold} HTTP 5xx in 5 minutes (${var.metrics_namespace}/ServerErrors, Environment=${var.metrics_environment}). Check the service logs."
  namespace           = var.metrics_namespace
  metric_name         = "ServerErrors"
  dimensions          = local.service_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.service_server_errors_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "service_unavailable" {
  alarm_name          = "${var.name}-service-unavailable"
  alarm_description   = "HIGH: the service answered 503 because a dependency (PostgreSQL, Redis) was down, in 2 consecutive minutes (${var.metrics_namespace}/ServiceUnavailable > 0, Environment=${var.metrics_environment})."
  namespace           = var.metrics_namespace
  metric_name         = "ServiceUnavailable"
  dimensions          = local.service_dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "service_latency_p99" {
  alarm_name          = "${var.name}-service-latency-p99"
  alarm_description   = "HIGH: p99 of the service's request latency was above ${var.service_latency_p99_ms} ms for 5 minutes out of 5 (${var.metrics_namespace}/Latency, Environment=${var.metrics_environment})."
  namespace           = var.metrics_namespace
  metric_name         = "Latency"
  dimensions          = local.service_dimensions
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.service_latency_p99_ms
  treat_missing_data  = "notBreaching"
  # As for the ALB's p99: minutes with few requests count; 5 in a row must breach.
  evaluate_low_sample_count_percentiles = "evaluate"
  alarm_actions                         = [aws_sns_topic.alarms.arn]
  ok_actions                            = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "settlement_resumer_failures" {
  alarm_name          = "${var.name}-settlement-resumer-failures"
  alarm_description   = "HIGH: a task's settlement resumer failed to finish an interrupted market settlement (${var.metrics_namespace}/SettlementResumerFailures > 0, Environment=${var.metrics_environment}). The market stays pending with bets unpaid; check the logs for 'settlement' and the pending list."
  namespace           = var.metrics_namespace
  metric_name         = "SettlementResumerFailures"
  dimensions          = local.service_dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "settlements_resumed" {
  alarm_name          = "${var.name}-settlements-resumed"
  alarm_description   = "LOW (notification): a market settlement cut short by a crash or a deploy was finished by a task's resumer (${var.metrics_namespace}/SettlementsResumed > 0, Environment=${var.metrics_environment}). Nothing is lost; a task died mid-settlement - find out why."
  namespace           = var.metrics_namespace
  metric_name         = "SettlementsResumed"
  dimensions          = local.service_dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "low" })
}
