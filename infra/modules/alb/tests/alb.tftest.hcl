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
  name              = "bet2wealth-backend-test"
  vpc_id            = "vpc-0123456789abcdef0"
  vpc_cidr_block    = "10.0.0.0/16"
  public_subnet_ids = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  domain_name       = "api.test.bet2wealth.co"
  route53_zone_id   = "Z0EXAMPLE0ZONE"
}

run "listeners_and_target_group" {
  command = plan

  assert {
    condition     = aws_lb.this.internal == false && aws_lb.this.load_balancer_type == "application"
    error_message = "The ALB is public and of type application."
  }

  assert {
    condition     = aws_lb.this.drop_invalid_header_fields == true && aws_lb.this.idle_timeout == 60
    error_message = "The ALB drops invalid header fields and has a 60 s idle timeout."
  }

  assert {
    condition     = aws_lb_listener.http.port == 80 && aws_lb_listener.http.default_action[0].type == "redirect"
    error_message = "Port 80 only redirects."
  }

  assert {
    condition     = aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS" && aws_lb_listener.http.default_action[0].redirect[0].port == "443" && aws_lb_listener.http.default_action[0].redirect[0].status_code == "HTTP_301"
    error_message = "Port 80 redirects with 301 to HTTPS on 443."
  }

  assert {
    condition     = aws_lb_listener.https.port == 443 && aws_lb_listener.https.protocol == "HTTPS" && startswith(aws_lb_listener.https.ssl_policy, "ELBSecurityPolicy-TLS13-")
    error_message = "Port 443 is HTTPS with a TLS 1.3/1.2 policy."
  }

  assert {
    condition     = aws_lb_listener.https.default_action[0].type == "forward"
    error_message = "Port 443 forwards to the target group."
  }

  assert {
    condition     = aws_lb_target_group.backend.target_type == "ip" && aws_lb_target_group.backend.protocol == "HTTP" && aws_lb_target_group.backend.port == 4000
    error_message = "The target group is type ip, HTTP, port 4000."
  }

  assert {
    condition     = aws_lb_target_group.backend.health_check[0].path == "/api/v1/health-check" && aws_lb_target_group.backend.health_check[0].matcher == "200"
    error_message = "Health check GET /api/v1/health-check, 200 only."
  }

  assert {
    condition     = aws_lb_target_group.backend.deregistration_delay == "30"
    error_message = "Deregistration delay defaults to 30 s."
  }

  assert {
    condition     = aws_lb.this.access_logs[0].enabled && aws_lb.this.access_logs[0].prefix == "alb" && aws_s3_bucket.access_logs[0].bucket == "bet2wealth-backend-test-alb-logs-123456789012"
    error_message = "Access logs go to bet2wealth-backend-<env>-alb-logs-<account>, prefix alb."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.access_logs[0].block_public_acls && aws_s3_bucket_public_access_block.access_logs[0].restrict_public_buckets
      && one(one(aws_s3_bucket_server_side_encryption_configuration.access_logs[0].rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
      && one(aws_s3_bucket_ownership_controls.access_logs[0].rule).object_ownership == "BucketOwnerEnforced"
      && one(aws_s3_bucket_lifecycle_configuration.access_logs[0].rule).expiration[0].days == 90
    )
    error_message = "The log bucket is private, owner-enforced, SSE-S3 encrypted and expires logs after 90 days."
  }

  # The rendered bucket policy: delivery by the region's ELB account (and the log-delivery service)
  # into this account's prefix only, and no request without TLS.
  assert {
    condition = (
      one([for st in jsondecode(data.aws_iam_policy_document.access_logs[0].json).Statement : st.Resource if st.Sid == "ElbAccountDelivers"]) == "arn:aws:s3:::bet2wealth-backend-test-alb-logs-123456789012/alb/AWSLogs/123456789012/*"
      && one([for st in jsondecode(data.aws_iam_policy_document.access_logs[0].json).Statement : st.Principal.AWS if st.Sid == "ElbAccountDelivers"]) == data.aws_elb_service_account.current.arn
      && one([for st in jsondecode(data.aws_iam_policy_document.access_logs[0].json).Statement : st.Action if st.Sid == "ElbAccountDelivers"]) == "s3:PutObject"
      && one([for st in jsondecode(data.aws_iam_policy_document.access_logs[0].json).Statement : st.Effect == "Deny" && st.Condition.Bool["aws:SecureTransport"] == "false" if st.Sid == "DenyInsecureTransport"])
    )
    error_message = "Log delivery may only put objects under alb/AWSLogs/<account>/; requests without TLS are denied."
  }

  assert {
    condition     = alltrue([for st in jsondecode(data.aws_iam_policy_document.access_logs[0].json).Statement : st.Effect == "Deny" || !contains(flatten([st.Action]), "s3:*")])
    error_message = "No statement allows every S3 action (only the TLS deny names s3:*)."
  }

  assert {
    condition     = length(aws_acm_certificate.this) == 1 && aws_acm_certificate.this[0].validation_method == "DNS"
    error_message = "Without certificate_arn, a DNS-validated certificate is created."
  }
}

run "existing_certificate" {
  command = plan

  variables {
    route53_zone_id = null
    certificate_arn = "arn:aws:acm:eu-central-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = length(aws_acm_certificate.this) == 0 && aws_lb_listener.https.certificate_arn == var.certificate_arn
    error_message = "With certificate_arn, no certificate is created and the listener uses the given one."
  }
}

run "needs_a_certificate_source" {
  command = plan

  variables {
    route53_zone_id = null
    certificate_arn = null
  }

  expect_failures = [var.route53_zone_id]
}

run "rolling_restart_timing" {
  command = plan

  variables {
    deregistration_delay  = 30
    health_check_interval = 10
    healthy_threshold     = 2
    unhealthy_threshold   = 2
  }

  assert {
    condition = (
      aws_lb_target_group.backend.health_check[0].interval == 10 && aws_lb_target_group.backend.health_check[0].timeout == 5
      && aws_lb_target_group.backend.health_check[0].healthy_threshold == 2 && aws_lb_target_group.backend.health_check[0].unhealthy_threshold == 2
    )
    error_message = "The health-check timing follows the variables (the stack's values: 10 s, 5 s timeout, 2 and 2)."
  }
}

run "health_check_timeout_below_interval" {
  command = plan

  variables {
    health_check_interval = 5
    health_check_timeout  = 5
  }

  expect_failures = [var.health_check_timeout]
}

run "no_access_logs" {
  command = plan

  variables {
    access_logs_enabled = false
  }

  assert {
    condition     = length(aws_s3_bucket.access_logs) == 0 && length(aws_lb.this.access_logs) == 0 && output.access_logs_bucket == null
    error_message = "access_logs_enabled = false creates no bucket and no access_logs block."
  }
}

run "tls_policy_must_be_modern" {
  command = plan

  variables {
    ssl_policy = "ELBSecurityPolicy-2016-08"
  }

  expect_failures = [var.ssl_policy]
}
