# The real hashicorp/aws provider (the version of the lock file / plugin mirror), planning only: fake
# credentials and no account or credential lookups, so nothing leaves the machine. Only data sources
# that would call AWS are overridden (override_data); everything else is the provider's own plan.
# 123456789012 is the AWS documentation example account.
provider "aws" {
  region                      = "eu-central-1"
  access_key                  = "mock_access_key"
  secret_key                  = "mock_secret_key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}


variables {
  name                    = "bet2wealth-backend-test"
  alarm_emails            = ["oncall@example.com"]
  alb_arn_suffix          = "app/bet2wealth-backend-test/0123456789abcdef"
  target_group_arn_suffix = "targetgroup/bet2wealth-backend-test/0123456789abcdef"
  ecs_cluster_name        = "bet2wealth-backend-test"
  ecs_service_name        = "bet2wealth-backend-test"
  db_instance_identifier  = "bet2wealth-backend-test"
  redis_cache_cluster_ids = { "001" = "bet2wealth-backend-test-001", "002" = "bet2wealth-backend-test-002" }
  metrics_environment     = "development"
}

run "alarms_and_topic" {
  command = plan

  assert {
    condition     = aws_sns_topic.alarms.name == "bet2wealth-backend-test-alarms" && aws_kms_key.topic.enable_key_rotation
    error_message = "One topic per environment, encrypted with a rotated customer-managed key."
  }

  assert {
    condition     = length(aws_sns_topic_subscription.email) == 1 && aws_sns_topic_subscription.email["oncall@example.com"].protocol == "email"
    error_message = "Each address in alarm_emails gets an e-mail subscription."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["service-latency-p99"].extended_statistic == "p99" && aws_cloudwatch_metric_alarm.this["service-latency-p99"].threshold == 500 && aws_cloudwatch_metric_alarm.this["service-latency-p99"].datapoints_to_alarm == 5
    error_message = "Service latency: p99 above 500 ms for 5 minutes out of 5 by default."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["service-server-errors"].namespace == "Bet2wealth" && aws_cloudwatch_metric_alarm.this["service-server-errors"].dimensions.Environment == "development"
    error_message = "The service's metrics: namespace Bet2wealth, dimension Environment = APP_ENV."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["service-unavailable"].evaluation_periods == 2 && aws_cloudwatch_metric_alarm.this["service-unavailable"].datapoints_to_alarm == 2 && aws_cloudwatch_metric_alarm.this["service-unavailable"].threshold == 0
    error_message = "ServiceUnavailable > 0 for 2 consecutive minutes."
  }

  assert {
    condition     = length([for k, a in aws_cloudwatch_metric_alarm.this : k if startswith(k, "redis-")]) == 6 && aws_cloudwatch_metric_alarm.this["redis-002-evictions"].dimensions.CacheClusterId == "bet2wealth-backend-test-002" && aws_cloudwatch_metric_alarm.this["redis-002-evictions"].alarm_name == "bet2wealth-backend-test-redis-002-evictions"
    error_message = "One set of Redis alarms per cache node, by CacheClusterId."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["rds-free-storage-low"].threshold == 10 * 1024 * 1024 * 1024 && aws_cloudwatch_metric_alarm.this["rds-free-storage-low"].treat_missing_data == "breaching"
    error_message = "Free storage below 10 GiB (in bytes) by default; a silent database is a breach."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["alb-target-5xx"].dimensions.TargetGroup == "targetgroup/bet2wealth-backend-test/0123456789abcdef" && aws_cloudwatch_metric_alarm.this["alb-elb-5xx"].dimensions.LoadBalancer == "app/bet2wealth-backend-test/0123456789abcdef"
    error_message = "ALB alarms use the ARN suffixes as dimensions."
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 26 && alltrue([for a in aws_cloudwatch_metric_alarm.this : startswith(a.alarm_name, "bet2wealth-backend-test-")])
    error_message = "Every alarm (19 + 3 per Redis node) is named <name>-..."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["webhook-signature-failures"].metric_name == "WebhooksBadSignature" && aws_cloudwatch_metric_alarm.this["webhook-signature-failures"].threshold == 10 && aws_cloudwatch_metric_alarm.this["settlement-lag"].statistic == "Maximum" && aws_cloudwatch_metric_alarm.this["settlement-lag"].threshold == 600 && aws_cloudwatch_metric_alarm.this["reconciliation-mismatches"].threshold == 0 && aws_cloudwatch_metric_alarm.this["database-pool-exhausted"].datapoints_to_alarm == 2
    error_message = "The business alarms that page: webhook signature failures, settlement lag, reconciliation mismatches, database pool exhaustion."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.ratio["deposit-success-rate"].alarm_name == "bet2wealth-backend-test-deposit-success-rate" && aws_cloudwatch_metric_alarm.ratio["deposit-success-rate"].threshold == 20 && aws_cloudwatch_metric_alarm.ratio["deposit-success-rate"].comparison_operator == "LessThanThreshold" && length(aws_cloudwatch_metric_alarm.ratio["deposit-success-rate"].metric_query) == 3
    error_message = "Deposit success rate: metric math over DepositsCompleted and DepositsRequested, below 20 % by default."
  }

  assert {
    condition     = strcontains(one([for q in aws_cloudwatch_metric_alarm.ratio["deposit-success-rate"].metric_query : q.expression if q.return_data]), "FILL(requested, 0) >= 20")
    error_message = "The rate is judged only in hours with at least deposit_success_min_requests (20) deposits requested."
  }

  assert {
    condition     = length(aws_cloudwatch_dashboard.this) == 1
    error_message = "The dashboard is created by default."
  }
}

run "null_thresholds_use_the_defaults" {
  command = plan

  variables {
    service_latency_p99_ms = null
    rds_connections_high   = 42
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["service-latency-p99"].threshold == 500 && aws_cloudwatch_metric_alarm.this["rds-connections-high"].threshold == 42
    error_message = "A null threshold falls back to its default; a value overrides it."
  }
}

run "display_name_addresses_are_refused" {
  command = plan

  variables {
    alarm_emails = ["On call <oncall@example.com>"]
  }

  expect_failures = [var.alarm_emails]
}

run "duplicate_addresses_are_refused" {
  command = plan

  variables {
    alarm_emails = ["oncall@example.com", "OnCall@example.com"]
  }

  expect_failures = [var.alarm_emails]
}

run "percent_thresholds_stay_below_100" {
  command = plan

  variables {
    redis_memory_high_percent = 100
  }

  expect_failures = [var.redis_memory_high_percent]
}

run "metrics_environment_is_an_app_env" {
  command = plan

  variables {
    metrics_environment = "dev"
  }

  expect_failures = [var.metrics_environment]
}

run "deposit_success_rate_is_a_percentage" {
  command = plan

  variables {
    deposit_success_rate_percent = 101
  }

  expect_failures = [var.deposit_success_rate_percent]
}
