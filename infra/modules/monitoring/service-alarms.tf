# Alarms on the service's own metrics (entries of local.alarms, created in alarms.tf). The service
# writes CloudWatch Embedded Metric Format lines to stdout; the awslogs driver ships them to
# /ecs/backend-logs-<env> and CloudWatch Logs extracts the metrics: namespace var.metrics_namespace
# ("Bet2wealth"), one dimension set {Environment}, where Environment is exactly the task's APP_ENV
# ("development" in dev, "production"). Each task emits once a minute; CloudWatch sums the tasks'
# values.
#
# treat_missing_data is notBreaching for all of them: a quiet service emits nothing (no request,
# no error, no settlement to resume), and a service that stopped emitting because it is down is
# reported by the load balancer's alarms (no healthy target, ELB 5xx).

locals {
  service_dimensions = { Environment = var.metrics_environment }

  service_alarms = {
    service-server-errors = {
      description        = "HIGH: the service answered more than ${var.service_server_errors_threshold} HTTP 5xx in 5 minutes (${var.metrics_namespace}/ServerErrors, Environment=${var.metrics_environment}). Check the service logs."
      namespace          = var.metrics_namespace, metric = "ServerErrors", dimensions = local.service_dimensions
      statistic          = "Sum", period = 300, evaluation_periods = 1
      comparison         = "GreaterThanThreshold", threshold = var.service_server_errors_threshold
      treat_missing_data = "notBreaching", severity = "high"
    }
    service-unavailable = {
      description        = "HIGH: the service answered 503 because a dependency (PostgreSQL, Redis) was down, in 2 consecutive minutes (${var.metrics_namespace}/ServiceUnavailable > 0, Environment=${var.metrics_environment})."
      namespace          = var.metrics_namespace, metric = "ServiceUnavailable", dimensions = local.service_dimensions
      statistic          = "Sum", period = 60, evaluation_periods = 2, datapoints_to_alarm = 2
      comparison         = "GreaterThanThreshold", threshold = 0
      treat_missing_data = "notBreaching", severity = "high"
    }
    service-latency-p99 = {
      description        = "HIGH: p99 of the service's request latency was above ${var.service_latency_p99_ms} ms for 5 minutes out of 5 (${var.metrics_namespace}/Latency, Environment=${var.metrics_environment})."
      namespace          = var.metrics_namespace, metric = "Latency", dimensions = local.service_dimensions
      extended_statistic = "p99", period = 60, evaluation_periods = 5, datapoints_to_alarm = 5
      comparison         = "GreaterThanThreshold", threshold = var.service_latency_p99_ms
      # As for the ALB's p99: minutes with few requests count; 5 in a row must breach.
      treat_missing_data = "notBreaching", severity = "high"
    }
    settlement-resumer-failures = {
      description        = "HIGH: a task's settlement resumer failed to finish an interrupted market settlement (${var.metrics_namespace}/SettlementResumerFailures > 0, Environment=${var.metrics_environment}). The market stays pending with bets unpaid; check the logs for 'settlement' and the pending list."
      namespace          = var.metrics_namespace, metric = "SettlementResumerFailures", dimensions = local.service_dimensions
      statistic          = "Sum", period = 60, evaluation_periods = 1
      comparison         = "GreaterThanThreshold", threshold = 0
      treat_missing_data = "notBreaching", severity = "high"
    }
    # Rounds back off to one per 16 intervals while Paystack fails, so an hour holds more than 2 failed rounds
    # only when it has been failing for most of that hour; a single failed round is not worth a page.
    payment-reconciler-failing = {
      description        = "HIGH: the payment reconciler could not reach Paystack in more than ${var.payment_reconciler_failures_per_hour} rounds within an hour (${var.metrics_namespace}/PaymentReconcilerProviderFailures, Environment=${var.metrics_environment}). Deposits whose webhook was lost stay pending and withdrawals unsettled until it can; check Paystack's status and the logs for 'payment reconciler'."
      namespace          = var.metrics_namespace, metric = "PaymentReconcilerProviderFailures", dimensions = local.service_dimensions
      statistic          = "Sum", period = 3600, evaluation_periods = 1
      comparison         = "GreaterThanThreshold", threshold = var.payment_reconciler_failures_per_hour
      treat_missing_data = "notBreaching", severity = "high"
    }
    # ------------------------------------------------------------ business metrics that page
    # A burst of webhooks with a wrong signature: someone forging Paystack's calls, or our PAYSTACK_SECRET_KEY
    # rotated on one side only (then every real deposit stays pending until the reconciler finds it).
    webhook-signature-failures = {
      description        = "HIGH: more than ${var.webhook_signature_failures_threshold} Paystack webhooks with a wrong or missing signature in 5 minutes (${var.metrics_namespace}/WebhooksBadSignature, Environment=${var.metrics_environment}). Forged calls, or the Paystack secret key rotated on one side only: compare PAYSTACK_SECRET_KEY with the dashboard's key (docs/runbook.md)."
      namespace          = var.metrics_namespace, metric = "WebhooksBadSignature", dimensions = local.service_dimensions
      statistic          = "Sum", period = 300, evaluation_periods = 1
      comparison         = "GreaterThanThreshold", threshold = var.webhook_signature_failures_threshold
      treat_missing_data = "notBreaching", severity = "high"
    }
    # SettlementLag is the age of the oldest market whose results are recorded but whose bets are not all settled,
    # reported by every task's resumer round (Maximum: the worst task's view). Players wait for their winnings.
    settlement-lag = {
      description        = "HIGH: a market's results were recorded more than ${var.settlement_lag_seconds} s ago and its bets are still not all settled, for 5 minutes out of 5 (${var.metrics_namespace}/SettlementLag, Environment=${var.metrics_environment}). Check the logs for 'settlement' (docs/runbook.md, a stuck settlement)."
      namespace          = var.metrics_namespace, metric = "SettlementLag", dimensions = local.service_dimensions
      statistic          = "Maximum", period = 60, evaluation_periods = 5, datapoints_to_alarm = 5
      comparison         = "GreaterThanThreshold", threshold = var.settlement_lag_seconds
      treat_missing_data = "notBreaching", severity = "high"
    }
    # A payment whose provider record disagrees with ours: a webhook with another amount or currency, or the
    # daily reconciliation's mismatches. Money may be wrong: every one is looked at.
    reconciliation-mismatches = {
      description        = "HIGH: a payment's Paystack record disagrees with ours (amount, currency or status) (${var.metrics_namespace}/ReconciliationMismatches > 0, Environment=${var.metrics_environment}). Run `bet2wealth reconcile --date <day>` and follow docs/runbook.md (a lost webhook and reconciliation)."
      namespace          = var.metrics_namespace, metric = "ReconciliationMismatches", dimensions = local.service_dimensions
      statistic          = "Sum", period = 300, evaluation_periods = 1
      comparison         = "GreaterThanThreshold", threshold = 0
      treat_missing_data = "notBreaching", severity = "high"
    }
    # A wait for a pooled PostgreSQL connection that ended at DB_ACQUIRE_TIMEOUT without one (a 503 each):
    # the pool (DB_POOL_MAX per task) is too small for the load, or queries hold connections too long.
    database-pool-exhausted = {
      description        = "HIGH: requests waited for a PostgreSQL connection until the acquire timeout in 2 consecutive minutes (${var.metrics_namespace}/DatabasePoolExhausted > 0, Environment=${var.metrics_environment}). Compare DatabasePoolWaits and RDS DatabaseConnections; scale out or raise DB_POOL_MAX within max_connections."
      namespace          = var.metrics_namespace, metric = "DatabasePoolExhausted", dimensions = local.service_dimensions
      statistic          = "Sum", period = 60, evaluation_periods = 2, datapoints_to_alarm = 2
      comparison         = "GreaterThanThreshold", threshold = 0
      treat_missing_data = "notBreaching", severity = "high"
    }
    settlements-resumed = {
      description        = "LOW (notification): a market settlement cut short by a crash or a deploy was finished by a task's resumer (${var.metrics_namespace}/SettlementsResumed > 0, Environment=${var.metrics_environment}). Nothing is lost; a task died mid-settlement - find out why."
      namespace          = var.metrics_namespace, metric = "SettlementsResumed", dimensions = local.service_dimensions
      statistic          = "Sum", period = 60, evaluation_periods = 1
      comparison         = "GreaterThanThreshold", threshold = 0
      treat_missing_data = "notBreaching", severity = "low"
    }
  }
}

# Alarms on metric math over the service's metrics (a ratio needs two metrics: one alarm resource per
# expression, aws_cloudwatch_metric_alarm.ratio in alarms.tf). Each entry: description, severity, period,
# evaluation_periods, comparison, threshold, treat_missing_data, the metrics by id and the expression.
locals {
  ratio_alarms = {
    # Deposits credited per deposit requested over an hour, in percent, once at least
    # var.deposit_success_min_requests were requested (a quiet hour says nothing). Checkouts that players abandon
    # keep the normal rate well below 100 %; a fall below the threshold means Paystack refuses checkouts, or
    # its webhooks stopped reaching us (the reconciler then credits them late).
    deposit-success-rate = {
      description        = "HIGH: less than ${var.deposit_success_rate_percent} % of the deposits requested in the last hour were credited (at least ${var.deposit_success_min_requests} requested; ${var.metrics_namespace}/DepositsCompleted / DepositsRequested, Environment=${var.metrics_environment}). Check Paystack's status, WebhooksBadSignature and the logs for 'payment' (docs/runbook.md)."
      metrics            = { requested = "DepositsRequested", completed = "DepositsCompleted" }
      expression         = "IF(FILL(requested, 0) >= ${var.deposit_success_min_requests}, 100 * FILL(completed, 0) / FILL(requested, 0), 100)"
      period             = 3600, evaluation_periods = 1
      comparison         = "LessThanThreshold", threshold = var.deposit_success_rate_percent
      treat_missing_data = "notBreaching", severity = "high"
    }
  }
}
