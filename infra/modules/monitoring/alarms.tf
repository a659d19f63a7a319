# Alarms on the metrics AWS publishes for the load balancer, the ECS service, PostgreSQL and Redis.
# Every alarm notifies the topic on ALARM and on OK. treat_missing_data is chosen per alarm:
#   notBreaching  where no data means nothing happened (a quiet minute has no 5xx, no slow
#                 response) or where another alarm already speaks for the silence;
#   breaching     where silence is itself the failure (no healthy target reported, a database or
#                 cache node that stopped publishing).

locals {
  alb_dimensions = { LoadBalancer = var.alb_arn_suffix }
  tg_dimensions  = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  ecs_dimensions = { ClusterName = var.ecs_cluster_name, ServiceName = var.ecs_service_name }
  rds_dimensions = { DBInstanceIdentifier = var.db_instance_identifier }

  gib = 1024 * 1024 * 1024
}

# ---------------------------------------------------------------- load balancer
resource "aws_cloudwatch_metric_alarm" "alb_target_5xx" {
  alarm_name          = "${var.name}-alb-target-5xx"
  alarm_description   = "HIGH: the backend tasks answered more than ${var.alb_target_5xx_threshold} HTTP 5xx in 5 minutes (ALB HTTPCode_Target_5XX_Count). Check the service logs."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = local.tg_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alb_target_5xx_threshold
  # No requests, no 5xx: the ALB publishes no datapoint for a count that stayed at zero.
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "alb_elb_5xx" {
  alarm_name          = "${var.name}-alb-elb-5xx"
  alarm_description   = "HIGH: the load balancer itself answered more than ${var.alb_elb_5xx_threshold} HTTP 5xx in 5 minutes (HTTPCode_ELB_5XX_Count: 502/503/504 - no healthy target, connection errors or timeouts to the tasks)."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  dimensions          = local.alb_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alb_elb_5xx_threshold
  # Same as the target count: zero is not published.
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "alb_unhealthy_hosts" {
  alarm_name          = "${var.name}-alb-unhealthy-hosts"
  alarm_description   = "HIGH: a backend task failed the ALB health check (/api/v1/health-check) for ${var.alb_unhealthy_host_minutes} minute(s) in a row (UnHealthyHostCount > 0). The health check answers 503 when PostgreSQL or Redis is unreachable."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = local.tg_dimensions
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = var.alb_unhealthy_host_minutes
  datapoints_to_alarm = var.alb_unhealthy_host_minutes
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  # The no-healthy-target alarm below is the one that treats silence as a failure.
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "alb_no_healthy_hosts" {
  alarm_name          = "${var.name}-alb-no-healthy-hosts"
  alarm_description   = "CRITICAL: the target group had no healthy backend task for 2 minutes (HealthyHostCount < 1): the API is down."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HealthyHostCount"
  dimensions          = local.tg_dimensions
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  # The ALB publishes HealthyHostCount every minute while the target group is in use; silence
  # means no target is registered at all (service scaled to zero, listener detached): an outage.
  treat_missing_data = "breaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "critical" })
}

resource "aws_cloudwatch_metric_alarm" "alb_response_time_p99" {
  alarm_name          = "${var.name}-alb-response-time-p99"
  alarm_description   = "HIGH: p99 of the backend's response time seen by the ALB (TargetResponseTime) was above ${var.alb_response_time_p99_seconds} s for 5 minutes out of 5."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = local.tg_dimensions
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alb_response_time_p99_seconds
  # Minutes without requests have no response time: not a breach. A minute with few requests is
  # still evaluated (its p99 is close to its maximum); 5 breaching minutes in a row are needed.
  treat_missing_data                    = "notBreaching"
  evaluate_low_sample_count_percentiles = "evaluate"
  alarm_actions                         = [aws_sns_topic.alarms.arn]
  ok_actions                            = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

# ---------------------------------------------------------------- ECS service
resource "aws_cloudwatch_metric_alarm" "ecs_cpu_high" {
  alarm_name          = "${var.name}-ecs-cpu-high"
  alarm_description   = "HIGH: average CPU of the backend service was above ${var.ecs_cpu_high_percent} % for 5 minutes out of 5: autoscaling is at its maximum or cannot keep up."
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  dimensions          = local.ecs_dimensions
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.ecs_cpu_high_percent
  # No data means no task is running: the no-healthy-target alarm reports that, not this one.
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "ecs_memory_high" {
  alarm_name          = "${var.name}-ecs-memory-high"
  alarm_description   = "HIGH: average memory of the backend service was above ${var.ecs_memory_high_percent} % of the task size for 5 minutes out of 5 (a task reaching 100 % is killed)."
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  dimensions          = local.ecs_dimensions
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.ecs_memory_high_percent
  # As for CPU: an absent service is reported by the no-healthy-target alarm.
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

# ---------------------------------------------------------------- RDS PostgreSQL
resource "aws_cloudwatch_metric_alarm" "rds_cpu_high" {
  alarm_name          = "${var.name}-rds-cpu-high"
  alarm_description   = "HIGH: PostgreSQL CPU was above ${var.rds_cpu_high_percent} % for 5 minutes out of 5."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = local.rds_dimensions
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.rds_cpu_high_percent
  # A silent instance is reported by the free-storage alarm (breaching on missing data).
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "rds_free_storage_low" {
  alarm_name          = "${var.name}-rds-free-storage-low"
  alarm_description   = "HIGH: PostgreSQL has less than ${var.rds_free_storage_low_gib} GiB of free storage (FreeStorageSpace), or has stopped reporting it. A full volume stops every write: bets, ledger, settlements."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = local.rds_dimensions
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.rds_free_storage_low_gib * local.gib
  # RDS publishes FreeStorageSpace every minute while the instance runs: silence means the
  # instance is stopped, failed or gone - the ledger's database is unavailable.
  treat_missing_data = "breaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "rds_connections_high" {
  alarm_name          = "${var.name}-rds-connections-high"
  alarm_description   = "HIGH: PostgreSQL had more than ${var.rds_connections_high} connections for 5 minutes out of 5 (DatabaseConnections); new connections fail at max_connections."
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = local.rds_dimensions
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.rds_connections_high
  # A silent instance is reported by the free-storage alarm.
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

# ---------------------------------------------------------------- ElastiCache Redis, one set per node
# Host and engine metrics of a replication group are published per cache cluster (node):
# dimension CacheClusterId (<replication group>-001, -002, ...).
resource "aws_cloudwatch_metric_alarm" "redis_engine_cpu_high" {
  for_each = var.redis_cache_cluster_ids

  alarm_name          = "${var.name}-redis-${each.key}-engine-cpu-high"
  alarm_description   = "HIGH: Redis node ${each.key} spent more than ${var.redis_engine_cpu_high_percent} % of its engine thread's CPU for 5 minutes out of 5 (EngineCPUUtilization); commands queue up behind it."
  namespace           = "AWS/ElastiCache"
  metric_name         = "EngineCPUUtilization"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.redis_engine_cpu_high_percent
  # A silent node is reported by its memory alarm (breaching on missing data).
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "redis_memory_high" {
  for_each = var.redis_cache_cluster_ids

  alarm_name          = "${var.name}-redis-${each.key}-memory-high"
  alarm_description   = "HIGH: Redis node ${each.key} used more than ${var.redis_memory_high_percent} % of its memory for 5 minutes out of 5 (DatabaseMemoryUsagePercentage), or stopped reporting. Full memory evicts sessions, rate-limit counters and idempotency locks."
  namespace           = "AWS/ElastiCache"
  metric_name         = "DatabaseMemoryUsagePercentage"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.redis_memory_high_percent
  # ElastiCache publishes this every minute for a running node: silence means the node is gone.
  treat_missing_data = "breaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}

resource "aws_cloudwatch_metric_alarm" "redis_evictions" {
  for_each = var.redis_cache_cluster_ids

  alarm_name          = "${var.name}-redis-${each.key}-evictions"
  alarm_description   = "HIGH: Redis node ${each.key} evicted keys (Evictions > 0): it is out of memory and dropping sessions, rate-limit counters or idempotency locks."
  namespace           = "AWS/ElastiCache"
  metric_name         = "Evictions"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  # No datapoint, no eviction; a silent node is reported by its memory alarm.
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_sns_topic.alarms.arn]
  ok_actions         = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = "high" })
}
