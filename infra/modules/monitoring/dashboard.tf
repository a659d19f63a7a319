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

  # The business panel, beside the technical one: what the service's EMF lines count (amounts in kobo).
  business_graphs = [
    ["Bets: placed and settled (per minute)", [
      concat(local.svc_ns, ["BetsPlaced"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["BetsSettled"], local.svc_dims, [{ stat = "Sum" }]),
    ]],
    ["Stakes, payouts and GGR (kobo)", [
      concat(local.svc_ns, ["BetsPlacedStake"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["BetsSettledPayout"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["GGR"], local.svc_dims, [{ stat = "Sum" }]),
    ]],
    ["Deposits and withdrawals (count)", [
      concat(local.svc_ns, ["DepositsRequested"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["DepositsCompleted"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["DepositsFailed"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["WithdrawalsRequested"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["WithdrawalsCompleted"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["WithdrawalsFailed"], local.svc_dims, [{ stat = "Sum" }]),
    ]],
    ["Deposits and withdrawals (kobo)", [
      concat(local.svc_ns, ["DepositsCompletedAmount"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["WithdrawalsCompletedAmount"], local.svc_dims, [{ stat = "Sum" }]),
    ]],
    ["Webhooks and casino callbacks", [
      concat(local.svc_ns, ["WebhooksAccepted"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["WebhooksDuplicate"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["WebhooksBadSignature"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["CasinoCallbacks"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["CasinoCallbacksRefused"], local.svc_dims, [{ stat = "Sum" }]),
    ]],
    ["Logins", [
      concat(local.svc_ns, ["LoginsSucceeded"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["LoginsFailed"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["LoginsLimited"], local.svc_dims, [{ stat = "Sum" }]),
    ]],
    ["503s by dependency, pool waits", [
      concat(local.svc_ns, ["UnavailableDatabase"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["UnavailableCache"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["UnavailableBlockingPool"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["DatabasePoolWaits"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["DatabasePoolExhausted"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["CachePoolWaits"], local.svc_dims, [{ stat = "Sum" }]),
      concat(local.svc_ns, ["BlockingPoolQueueDepth"], local.svc_dims, [{ stat = "Maximum", yAxis = "right" }]),
    ]],
    ["Settlement and reconciliation lag (s), mismatches", [
      concat(local.svc_ns, ["SettlementLag"], local.svc_dims, [{ stat = "Maximum" }]),
      concat(local.svc_ns, ["ReconciliationLag"], local.svc_dims, [{ stat = "Maximum" }]),
      concat(local.svc_ns, ["ReconciliationMismatches"], local.svc_dims, [{ stat = "Sum", yAxis = "right" }]),
    ]],
  ]

  graph_properties = {
    view    = "timeSeries"
    region  = local.region
    period  = 60
    stacked = false
  }

  # The alarms across the top; below, the technical panel (left half) beside the business panel (right half),
  # each under its heading, one graph per row.
  dashboard_widgets = concat(
    [{
      type = "alarm", x = 0, y = 0, width = 24, height = 4
      properties = {
        title  = "Alarms"
        alarms = local.alarm_arns
      }
    }],
    [
      { type = "text", x = 0, y = 4, width = 12, height = 1, properties = { markdown = "## Technical" } },
      { type = "text", x = 12, y = 4, width = 12, height = 1, properties = { markdown = "## Business" } },
    ],
    [for i, g in local.graphs : {
      type       = "metric", x = 0, y = 5 + i * 6, width = 12, height = 6
      properties = merge(local.graph_properties, { title = g[0], metrics = g[1] })
    }],
    [for i, g in local.business_graphs : {
      type       = "metric", x = 12, y = 5 + i * 6, width = 12, height = 6
      properties = merge(local.graph_properties, { title = g[0], metrics = g[1] })
    }],
  )

  # Every alarm (both resources), the critical ones first (the alarm widget lists them in this order).
  alarm_resources = merge(aws_cloudwatch_metric_alarm.this, aws_cloudwatch_metric_alarm.ratio)
  alarm_severity  = merge({ for k, a in local.alarms : k => a.severity }, { for k, a in local.ratio_alarms : k => a.severity })
  alarm_arns = concat(
    [for k, a in local.alarm_resources : a.arn if local.alarm_severity[k] == "critical"],
    [for k, a in local.alarm_resources : a.arn if local.alarm_severity[k] == "high"],
    [for k, a in local.alarm_resources : a.arn if local.alarm_severity[k] == "low"],
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.create_dashboard ? 1 : 0

  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
