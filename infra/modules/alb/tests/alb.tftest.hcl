# terraform test (Terraform >= 1.11) with a mocked AWS provider: no credentials, no AWS calls.
mock_provider "aws" {}

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

run "tls_policy_must_be_modern" {
  command = plan

  variables {
    ssl_policy = "ELBSecurityPolicy-2016-08"
  }

  expect_failures = [var.ssl_policy]
}
