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
