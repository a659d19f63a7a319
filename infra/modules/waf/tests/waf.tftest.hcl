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


variables {
  name         = "bet2wealth-backend-test"
  alb_arn      = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/bet2wealth-backend-test/0123456789abcdef"
  exempt_paths = ["/api/v1/payments/paystack/webhook"]
}

# WAF is not emulated end to end (the emulated apply creates the web ACL and its association, but moto
# does not evaluate rules): what each rule does is asserted here, on the provider's plan.
run "managed_rules_rate_limit_and_exemptions" {
  command = plan

  assert {
    condition     = aws_wafv2_web_acl.this.scope == "REGIONAL" && length(aws_wafv2_web_acl.this.default_action[0].allow) == 1
    error_message = "A regional web ACL (for the ALB) that allows what no rule blocks."
  }

  assert {
    condition = (
      [for r in aws_wafv2_web_acl.this.rule : r.name if length(r.statement[0].managed_rule_group_statement) > 0] == ["common", "known-bad-inputs"]
      || toset([for r in aws_wafv2_web_acl.this.rule : r.statement[0].managed_rule_group_statement[0].name if length(r.statement[0].managed_rule_group_statement) > 0]) == toset(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"])
    )
    error_message = "The AWS managed common and known-bad-inputs rule groups are applied."
  }

  assert {
    condition = alltrue([
      for r in aws_wafv2_web_acl.this.rule : length(r.override_action[0].none) == 1 if length(r.statement[0].managed_rule_group_statement) > 0
    ])
    error_message = "The managed groups block (override none), they do not merely count."
  }

  assert {
    condition = one(flatten([
      for r in aws_wafv2_web_acl.this.rule : [
        for o in r.statement[0].managed_rule_group_statement[0].rule_action_override : "${o.name}:${length(o.action_to_use[0].count)}"
      ] if length(r.statement[0].managed_rule_group_statement) > 0 && r.name == "common"
    ])) == "SizeRestrictions_BODY:1"
    error_message = "Only the body-size rule of the common group is overridden, to count (it blocks through the next rule)."
  }

  assert {
    condition = one([
      for r in aws_wafv2_web_acl.this.rule : (
        r.statement[0].and_statement[0].statement[0].label_match_statement[0].key == "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"
        && r.statement[0].and_statement[0].statement[1].not_statement[0].statement[0].or_statement[0].statement[0].byte_match_statement[0].search_string == "/api/v1/payments/paystack/webhook"
        && length(r.action[0].block) == 1
      ) if r.name == "body-size-except-exempt-paths"
    ])
    error_message = "Bodies over 8 KB are blocked everywhere except the Paystack webhook."
  }

  assert {
    condition = one([
      for r in aws_wafv2_web_acl.this.rule : (
        r.statement[0].rate_based_statement[0].aggregate_key_type == "IP"
        && r.statement[0].rate_based_statement[0].limit == 2000
        && r.statement[0].rate_based_statement[0].evaluation_window_sec == 300
        && r.statement[0].rate_based_statement[0].scope_down_statement[0].not_statement[0].statement[0].or_statement[0].statement[0].byte_match_statement[0].search_string == "/api/v1/payments/paystack/webhook"
        && length(r.action[0].block) == 1
      ) if r.name == "rate-per-ip"
    ])
    error_message = "A per-IP rate limit (2000 per 5 minutes) blocks, except on the Paystack webhook."
  }

  assert {
    condition     = length(distinct([for r in aws_wafv2_web_acl.this.rule : r.priority])) == 4 && length(aws_wafv2_web_acl.this.rule) == 4
    error_message = "Four rules with distinct priorities."
  }

  assert {
    condition     = aws_wafv2_web_acl_association.alb.resource_arn == var.alb_arn
    error_message = "The web ACL is associated with the ALB."
  }
}

run "exempt_paths_are_exact_paths" {
  command = plan

  variables {
    exempt_paths = ["/api/v1/payments/*"]
  }

  expect_failures = [var.exempt_paths]
}
