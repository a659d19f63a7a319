# terraform test (Terraform >= 1.11) with a mocked AWS provider: no credentials, no AWS calls.
mock_provider "aws" {}

variables {
  zone_id      = "Z0EXAMPLE0ZONE"
  record_name  = "api.test.bet2wealth.co"
  alb_dns_name = "bet2wealth-backend-test-123456789.eu-central-1.elb.amazonaws.com"
  alb_zone_id  = "Z215JYRZR1TBD5"
}

run "alias_records" {
  command = plan

  assert {
    condition     = toset(keys(aws_route53_record.api)) == toset(["A", "AAAA"])
    error_message = "A and AAAA records."
  }

  assert {
    condition     = alltrue([for r in aws_route53_record.api : r.alias[0].name == var.alb_dns_name && r.name == "api.test.bet2wealth.co"])
    error_message = "Both records alias the ALB."
  }

  assert {
    condition     = output.url == "https://api.test.bet2wealth.co"
    error_message = "The URL is https://<record_name>."
  }
}
