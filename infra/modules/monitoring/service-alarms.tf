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
    settlements-resumed = {
      description        = "LOW (notification): a market settlement cut short by a crash or a deploy was finished by a task's resumer (${var.metrics_namespace}/SettlementsResumed > 0, Environment=${var.metrics_environment}). Nothing is lost; a task died mid-settlement - find out why."
      namespace          = var.metrics_namespace, metric = "SettlementsResumed", dimensions = local.service_dimensions
      statistic          = "Sum", period = 60, evaluation_periods = 1
      comparison         = "GreaterThanThreshold", threshold = 0
      treat_missing_data = "notBreaching", severity = "low"
    }
  }
}
