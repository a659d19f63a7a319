# A regional WAF web ACL in front of the ALB:
#   1. AWSManagedRulesKnownBadInputsRuleSet (Log4j/JNDI, exploitable paths and headers);
#   2. AWSManagedRulesCommonRuleSet (OWASP-style XSS, LFI, bad bots, size limits), with its body-size
#      rule (SizeRestrictions_BODY: bodies over 8 KB) counted instead of blocking, so that
#   3. the body-size rule blocks through its label everywhere except the exempt paths (the Paystack
#      webhook, the casino aggregator's callback: the provider's payload size is not ours to choose, and
#      they are verified by HMAC);
#   4. a rate-based rule per client IP over a 5-minute window, again except the exempt paths.
# Everything else is allowed. Metrics for each rule go to CloudWatch (namespace AWS/WAFV2).

locals {
  body_size_label = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"
}

resource "aws_wafv2_web_acl" "this" {
  #checkov:skip=CKV2_AWS_31:Full request logging is not on: CloudWatch metrics per rule and sampled requests cover investigations at this size; a Firehose/Logs destination can be added with aws_wafv2_web_acl_logging_configuration.
  name        = var.name
  description = "Edge rules of ${var.name}: AWS managed common and known-bad-inputs rules, per-IP rate limit"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "known-bad-inputs"
    priority = 10

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "common"
    priority = 20

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"

        # Counted (and labelled) here, blocked by the next rule outside the exempt paths.
        rule_action_override {
          name = "SizeRestrictions_BODY"

          action_to_use {
            count {}
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "body-size-except-exempt-paths"
    priority = 30

    action {
      block {}
    }

    statement {
      and_statement {
        statement {
          label_match_statement {
            scope = "LABEL"
            key   = local.body_size_label
          }
        }

        statement {
          not_statement {
            statement {
              or_statement {
                dynamic "statement" {
                  # An or_statement needs two statements: the first path is repeated when only one is given.
                  for_each = length(var.exempt_paths) == 1 ? concat(var.exempt_paths, var.exempt_paths) : var.exempt_paths

                  content {
                    byte_match_statement {
                      positional_constraint = "EXACTLY"
                      search_string         = statement.value

                      field_to_match {
                        uri_path {}
                      }

                      text_transformation {
                        priority = 0
                        type     = "NONE"
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-body-size"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "rate-per-ip"
    priority = 40

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.rate_limit_per_5_minutes
        aggregate_key_type    = "IP"
        evaluation_window_sec = 300

        scope_down_statement {
          not_statement {
            statement {
              or_statement {
                dynamic "statement" {
                  for_each = length(var.exempt_paths) == 1 ? concat(var.exempt_paths, var.exempt_paths) : var.exempt_paths

                  content {
                    byte_match_statement {
                      positional_constraint = "EXACTLY"
                      search_string         = statement.value

                      field_to_match {
                        uri_path {}
                      }

                      text_transformation {
                        priority = 0
                        type     = "NONE"
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-per-ip"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }

  tags = var.tags
}

resource "aws_wafv2_web_acl_association" "alb" {
  resource_arn = var.alb_arn
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}
