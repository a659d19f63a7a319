# Every alarm of this module, as data: local.aws_alarms (below), local.redis_alarms (one set per
# Redis node, below) and local.service_alarms (service-alarms.tf), merged into local.alarms and
# created by the one aws_cloudwatch_metric_alarm.this at the end of this file.
#
# An entry is keyed by its alarm's name without the "<name>-" prefix and carries only what differs:
#   description         starts with the severity (CRITICAL, HIGH or LOW)
#   namespace, metric, dimensions
#   statistic           or extended_statistic (a percentile such as "p99")
#   period              seconds, whole minutes
#   evaluation_periods  and datapoints_to_alarm where set (always N of N)
#   comparison, threshold
#   treat_missing_data  chosen per alarm, with the reason next to it:
#     notBreaching  where no data means nothing happened (a quiet minute has no 5xx, no slow
#                   response) or where another alarm already speaks for the silence;
#     breaching     where silence is itself the failure (no healthy target reported, a database or
#                   cache node that stopped publishing).
#   severity            "critical", "high" or "low": the Severity tag
# Every alarm notifies the topic on ALARM and on OK.

locals {
  alb_dimensions = { LoadBalancer = var.alb_arn_suffix }
  tg_dimensions  = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  ecs_dimensions = { ClusterName = var.ecs_cluster_name, ServiceName = var.ecs_service_name }
  rds_dimensions = { DBInstanceIdentifier = var.db_instance_identifier }

  gib = 1024 * 1024 * 1024

  # Alarms on the metrics AWS publishes for the load balancer, the ECS service and PostgreSQL.
  aws_alarms = {
    # ------------------------------------------------------------ load balancer
    alb-target-5xx = {
      description = "HIGH: the backend tasks answered more than ${var.alb_target_5xx_threshold} HTTP 5xx in 5 minutes (ALB HTTPCode_Target_5XX_Count). Check the service logs."
      namespace   = "AWS/ApplicationELB", metric = "HTTPCode_Target_5XX_Count", dimensions = local.tg_dimensions
      statistic   = "Sum", period = 300, evaluation_periods = 1
      comparison  = "GreaterThanThreshold", threshold = var.alb_target_5xx_threshold
      # No requests, no 5xx: the ALB publishes no datapoint for a count that stayed at zero.
      treat_missing_data = "notBreaching", severity = "high"
    }
    alb-elb-5xx = {
      description = "HIGH: the load balancer itself answered more than ${var.alb_elb_5xx_threshold} HTTP 5xx in 5 minutes (HTTPCode_ELB_5XX_Count: 502/503/504 - no healthy target, connection errors or timeouts to the tasks)."
      namespace   = "AWS/ApplicationELB", metric = "HTTPCode_ELB_5XX_Count", dimensions = local.alb_dimensions
      statistic   = "Sum", period = 300, evaluation_periods = 1
      comparison  = "GreaterThanThreshold", threshold = var.alb_elb_5xx_threshold
      # Same as the target count: zero is not published.
      treat_missing_data = "notBreaching", severity = "high"
    }
    alb-unhealthy-hosts = {
      description = "HIGH: a backend task failed the ALB health check (/api/v1/health-check) for ${var.alb_unhealthy_host_minutes} minute(s) in a row (UnHealthyHostCount > 0). The health check answers 503 when PostgreSQL or Redis is unreachable."
      namespace   = "AWS/ApplicationELB", metric = "UnHealthyHostCount", dimensions = local.tg_dimensions
      statistic   = "Maximum", period = 60, evaluation_periods = var.alb_unhealthy_host_minutes, datapoints_to_alarm = var.alb_unhealthy_host_minutes
      comparison  = "GreaterThanThreshold", threshold = 0
      # The no-healthy-target alarm below is the one that treats silence as a failure.
      treat_missing_data = "notBreaching", severity = "high"
    }
    alb-no-healthy-hosts = {
      description = "CRITICAL: the target group had no healthy backend task for 2 minutes (HealthyHostCount < 1): the API is down."
      namespace   = "AWS/ApplicationELB", metric = "HealthyHostCount", dimensions = local.tg_dimensions
      statistic   = "Minimum", period = 60, evaluation_periods = 2, datapoints_to_alarm = 2
      comparison  = "LessThanThreshold", threshold = 1
      # The ALB publishes HealthyHostCount every minute while the target group is in use; silence
      # means no target is registered at all (service scaled to zero, listener detached): an outage.
      treat_missing_data = "breaching", severity = "critical"
    }
    alb-response-time-p99 = {
      description        = "HIGH: p99 of the backend's response time seen by the ALB (TargetResponseTime) was above ${var.alb_response_time_p99_seconds} s for 5 minutes out of 5."
      namespace          = "AWS/ApplicationELB", metric = "TargetResponseTime", dimensions = local.tg_dimensions
      extended_statistic = "p99", period = 60, evaluation_periods = 5, datapoints_to_alarm = 5
      comparison         = "GreaterThanThreshold", threshold = var.alb_response_time_p99_seconds
      # Minutes without requests have no response time: not a breach. A minute with few requests is
      # still evaluated (its p99 is close to its maximum); 5 breaching minutes in a row are needed.
      treat_missing_data = "notBreaching", severity = "high"
    }

    # ------------------------------------------------------------ ECS service
    ecs-cpu-high = {
      description = "HIGH: average CPU of the backend service was above ${var.ecs_cpu_high_percent} % for 5 minutes out of 5: autoscaling is at its maximum or cannot keep up."
      namespace   = "AWS/ECS", metric = "CPUUtilization", dimensions = local.ecs_dimensions
      statistic   = "Average", period = 60, evaluation_periods = 5, datapoints_to_alarm = 5
      comparison  = "GreaterThanThreshold", threshold = var.ecs_cpu_high_percent
      # No data means no task is running: the no-healthy-target alarm reports that, not this one.
      treat_missing_data = "notBreaching", severity = "high"
    }
    ecs-memory-high = {
      description = "HIGH: average memory of the backend service was above ${var.ecs_memory_high_percent} % of the task size for 5 minutes out of 5 (a task reaching 100 % is killed)."
      namespace   = "AWS/ECS", metric = "MemoryUtilization", dimensions = local.ecs_dimensions
      statistic   = "Average", period = 60, evaluation_periods = 5, datapoints_to_alarm = 5
      comparison  = "GreaterThanThreshold", threshold = var.ecs_memory_high_percent
      # As for CPU: an absent service is reported by the no-healthy-target alarm.
      treat_missing_data = "notBreaching", severity = "high"
    }

    # ------------------------------------------------------------ RDS PostgreSQL
    rds-cpu-high = {
      description = "HIGH: PostgreSQL CPU was above ${var.rds_cpu_high_percent} % for 5 minutes out of 5."
      namespace   = "AWS/RDS", metric = "CPUUtilization", dimensions = local.rds_dimensions
      statistic   = "Average", period = 60, evaluation_periods = 5, datapoints_to_alarm = 5
      comparison  = "GreaterThanThreshold", threshold = var.rds_cpu_high_percent
      # A silent instance is reported by the free-storage alarm (breaching on missing data).
      treat_missing_data = "notBreaching", severity = "high"
    }
    rds-free-storage-low = {
      description = "HIGH: PostgreSQL has less than ${var.rds_free_storage_low_gib} GiB of free storage (FreeStorageSpace), or has stopped reporting it. A full volume stops every write: bets, ledger, settlements."
      namespace   = "AWS/RDS", metric = "FreeStorageSpace", dimensions = local.rds_dimensions
      statistic   = "Minimum", period = 300, evaluation_periods = 1
      comparison  = "LessThanThreshold", threshold = var.rds_free_storage_low_gib * local.gib
      # RDS publishes FreeStorageSpace every minute while the instance runs: silence means the
      # instance is stopped, failed or gone - the ledger's database is unavailable.
      treat_missing_data = "breaching", severity = "high"
    }
    rds-connections-high = {
      description = "HIGH: PostgreSQL had more than ${var.rds_connections_high} connections for 5 minutes out of 5 (DatabaseConnections); new connections fail at max_connections."
      namespace   = "AWS/RDS", metric = "DatabaseConnections", dimensions = local.rds_dimensions
      statistic   = "Maximum", period = 60, evaluation_periods = 5, datapoints_to_alarm = 5
      comparison  = "GreaterThanThreshold", threshold = var.rds_connections_high
      # A silent instance is reported by the free-storage alarm.
      treat_missing_data = "notBreaching", severity = "high"
    }
  }

  # ------------------------------------------------------------ ElastiCache Redis, one set per node
  # Host and engine metrics of a replication group are published per cache cluster (node):
  # dimension CacheClusterId (<replication group>-001, -002, ...). Each entry below becomes the alarm
  # redis-<node>-<key> of every node, with {node} in its description replaced by the node's key.
  redis_node_alarms = {
    engine-cpu-high = {
      description = "HIGH: Redis node {node} spent more than ${var.redis_engine_cpu_high_percent} % of its engine thread's CPU for 5 minutes out of 5 (EngineCPUUtilization); commands queue up behind it."
      namespace   = "AWS/ElastiCache", metric = "EngineCPUUtilization"
      statistic   = "Average", period = 60, evaluation_periods = 5, datapoints_to_alarm = 5
      comparison  = "GreaterThanThreshold", threshold = var.redis_engine_cpu_high_percent
      # A silent node is reported by its memory alarm (breaching on missing data).
      treat_missing_data = "notBreaching", severity = "high"
    }
    memory-high = {
      description = "HIGH: Redis node {node} used more than ${var.redis_memory_high_percent} % of its memory for 5 minutes out of 5 (DatabaseMemoryUsagePercentage), or stopped reporting. Full memory evicts sessions, rate-limit counters and idempotency locks."
      namespace   = "AWS/ElastiCache", metric = "DatabaseMemoryUsagePercentage"
      statistic   = "Average", period = 60, evaluation_periods = 5, datapoints_to_alarm = 5
      comparison  = "GreaterThanThreshold", threshold = var.redis_memory_high_percent
      # ElastiCache publishes this every minute for a running node: silence means the node is gone.
      treat_missing_data = "breaching", severity = "high"
    }
    evictions = {
      description = "HIGH: Redis node {node} evicted keys (Evictions > 0): it is out of memory and dropping sessions, rate-limit counters or idempotency locks."
      namespace   = "AWS/ElastiCache", metric = "Evictions"
      statistic   = "Sum", period = 60, evaluation_periods = 1
      comparison  = "GreaterThanThreshold", threshold = 0
      # No datapoint, no eviction; a silent node is reported by its memory alarm.
      treat_missing_data = "notBreaching", severity = "high"
    }
  }

  redis_alarms = merge([
    for node, cluster_id in var.redis_cache_cluster_ids : {
      for key, a in local.redis_node_alarms : "redis-${node}-${key}" => merge(a, {
        description = replace(a.description, "{node}", node)
        dimensions  = { CacheClusterId = cluster_id }
      })
    }
  ]...)

  alarms = merge(local.aws_alarms, local.redis_alarms, local.service_alarms)
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = try(each.value.statistic, null)
  extended_statistic  = try(each.value.extended_statistic, null)
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = try(each.value.datapoints_to_alarm, null)
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  treat_missing_data  = each.value.treat_missing_data
  # Percentile alarms evaluate minutes with few requests too (their p99 is close to their maximum):
  # every one of them needs N breaching minutes out of N.
  evaluate_low_sample_count_percentiles = try(each.value.extended_statistic, null) == null ? null : "evaluate"

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = each.value.severity })
}

# The metric-math alarms (local.ratio_alarms, service-alarms.tf): each metric of the entry is summed per period
# under its id (not returned), and the entry's expression is the alarm's value.
resource "aws_cloudwatch_metric_alarm" "ratio" {
  for_each = local.ratio_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  evaluation_periods  = each.value.evaluation_periods
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  treat_missing_data  = each.value.treat_missing_data

  dynamic "metric_query" {
    for_each = each.value.metrics
    content {
      id          = metric_query.key
      return_data = false
      metric {
        namespace   = var.metrics_namespace
        metric_name = metric_query.value
        dimensions  = local.service_dimensions
        period      = each.value.period
        stat        = "Sum"
      }
    }
  }

  metric_query {
    id          = "value"
    expression  = each.value.expression
    label       = each.key
    return_data = true
  }

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]

  tags = merge(var.tags, { Severity = each.value.severity })
}
