# One small dashboard per environment: the alarms' state and the graphs behind them.
locals {
  alb_ns   = ["AWS/ApplicationELB"]
  lb_dims  = ["LoadBalancer", var.alb_arn_suffix]
  tg_dims  = ["LoadBalancer", var.alb_arn_suffix, "TargetGroup", var.target_group_arn_suffix]
  ecs_dims = ["ClusterName", var.ecs_cluster_name, "ServiceName", var.ecs_service_name]
  rds_dims = ["DBInstanceIdentifier", var.db_instance_identifier]
  svc_ns   = [var.metrics_namespace]
  svc_dims = ["Environment", var.metrics_environment]

  # [title, metrics]: graphs laid out two per row, 12 x 6 each, under the alarm status.
  graphs = [
    ["Requests and errors (per minute)", [
      concat(local.svc_ns, ["Requests"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["ServerErrors"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["ServiceUnavailable"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.alb_ns, ["HTTPCode_Target_5XX_Count"], local.tg_dims, [{ stat = "Sum" }]),
      concat(local.alb_ns, ["HTTPCode_ELB_5XX_Count"], local.lb_dims, [{ stat = "Sum" }]),
    ]],
    ["Latency p99", [
      concat(local.svc_ns, ["Latency"], local.svc_dims, [{ stat = "p99", label = "service (ms)" }]),
      concat(local.alb_ns, ["TargetResponseTime"], local.tg_dims, [{ stat = "p99", label = "ALB target (s)", yAxis = "right" }]),
    ]],
    ["ALB targets", [
      concat(local.alb_ns, ["HealthyHostCount"], local.tg_dims, [{ stat = "Minimum" }]),
      concat(local.alb_ns, ["UnHealthyHostCount"], local.tg_dims, [{ stat = "Maximum" }]),
    ]],
    ["ECS service CPU / memory (%)", [
      concat(["AWS/ECS", "CPUUtilization"], local.ecs_dims, [{ stat = "Average" }]),
      concat(["AWS/ECS", "MemoryUtilization"], local.ecs_dims, [{ stat = "Average" }]),
    ]],
    ["PostgreSQL", [
      concat(["AWS/RDS", "CPUUtilization"], local.rds_dims, [{ stat = "Average", label = "CPU (%)" }]),
      concat(["AWS/RDS", "DatabaseConnections"], local.rds_dims, [{ stat = "Maximum", label = "connections" }]),
      concat(["AWS/RDS", "FreeStorageSpace"], local.rds_dims, [{ stat = "Minimum", label = "free storage (bytes)", yAxis = "right" }]),
    ]],
    ["Redis (per node)", concat(
      [for k, id in var.redis_cache_cluster_ids : ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", id, { stat = "Average", label = "${k} engine CPU (%)" }]],
      [for k, id in var.redis_cache_cluster_ids : ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", id, { stat = "Average", label = "${k} memory (%)" }]],
      [for k, id in var.redis_cache_cluster_ids : ["AWS/ElastiCache", "Evictions", "CacheClusterId", id, { stat = "Sum", label = "${k} evictions", yAxis = "right" }]],
    )],
    ["Settlements resumed / resumer failures", [
      concat(local.svc_ns, ["SettlementsResumed"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["SettlementResumerFailures"], local.svc_dims, [{ stat = "Sum" }]),
    ]],
  ]

  dashboard_widgets = concat(
    [{
      type = "alarm", x = 0, y = 0, width = 24, height = 4
      properties = {
        title  = "Alarms"
        alarms = local.alarm_arns
      }
    }],
    [for i, g in local.graphs : {
      type = "metric", x = (i % 2) * 12, y = 4 + floor(i / 2) * 6, width = 12, height = 6
      properties = {
        title   = g[0]
        metrics = g[1]
        view    = "timeSeries"
        region  = local.region
        period  = 60
        stacked = false
      }
    }],
  )

  # Every alarm, the critical ones first (the alarm widget lists them in this order).
  alarm_arns = concat(
    [for k, a in aws_cloudwatch_metric_alarm.this : a.arn if local.alarms[k].severity == "critical"],
    [for k, a in aws_cloudwatch_metric_alarm.this : a.arn if local.alarms[k].severity == "high"],
    [for k, a in aws_cloudwatch_metric_alarm.this : a.arn if local.alarms[k].severity == "low"],
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.create_dashboard ? 1 : 0

  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
