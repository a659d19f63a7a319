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
  name = "bet2wealth-backend-test"
}

run "defaults_match_the_diagram" {
  command = plan

  assert {
    condition     = aws_vpc.this.cidr_block == "10.0.0.0/16"
    error_message = "VPC 10.0.0.0/16."
  }

  assert {
    condition     = aws_subnet.public[*].cidr_block == ["10.0.1.0/24", "10.0.2.0/24"] && aws_subnet.private[*].cidr_block == ["10.0.11.0/24", "10.0.12.0/24"]
    error_message = "Public 10.0.1.0/24, 10.0.2.0/24; private 10.0.11.0/24, 10.0.12.0/24."
  }

  assert {
    condition     = aws_subnet.private[*].availability_zone == ["eu-central-1a", "eu-central-1b"]
    error_message = "Subnets in eu-central-1a and eu-central-1b."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_route.private_nat) == 2
    error_message = "One NAT gateway by default; both private route tables egress through it."
  }

  assert {
    condition     = length(aws_vpc_endpoint.s3) == 1 && aws_vpc_endpoint.s3[0].service_name == "com.amazonaws.eu-central-1.s3"
    error_message = "ECR layer pulls from S3 bypass the NAT gateway."
  }

  assert {
    condition     = length(aws_flow_log.this) == 0
    error_message = "Flow logs are off by default."
  }
}

run "nat_per_az_and_flow_logs" {
  command = plan

  variables {
    one_nat_gateway_per_az = true
    enable_flow_logs       = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 2 && length(aws_flow_log.this) == 1
    error_message = "One NAT gateway per AZ and a flow log when asked."
  }

  # The flow-logs role's rendered trust policy: the service, for this account's flow logs only.
  assert {
    condition = (
      jsondecode(data.aws_iam_policy_document.flow_logs_assume[0].json).Statement[0].Principal.Service == "vpc-flow-logs.amazonaws.com"
      && jsondecode(data.aws_iam_policy_document.flow_logs_assume[0].json).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
      && jsondecode(data.aws_iam_policy_document.flow_logs_assume[0].json).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:ec2:eu-central-1:123456789012:vpc-flow-log/*"
    )
    error_message = "The flow-logs role trusts vpc-flow-logs.amazonaws.com with aws:SourceAccount and aws:SourceArn conditions."
  }

  assert {
    condition = alltrue([
      for st in jsondecode(data.aws_iam_policy_document.flow_logs[0].json).Statement :
      !contains(flatten([st.Action]), "*") && !contains(flatten([st.Resource]), "*") && alltrue([for r in flatten([st.Resource]) : startswith(r, "arn:aws:logs:eu-central-1:123456789012:log-group:/vpc/flow-logs/bet2wealth-backend-test:")])
    ])
    error_message = "The flow-logs role writes to its own log group only."
  }
}

run "ipv6_for_the_dual_stack_alb" {
  command = plan

  # Not emulated (moto misreports the subnets' IPv6 association state): asserted here.
  assert {
    condition     = aws_vpc.this.assign_generated_ipv6_cidr_block && length(aws_route.public_internet_ipv6) == 1 && aws_route.public_internet_ipv6[0].destination_ipv6_cidr_block == "::/0"
    error_message = "IPv6 on by default: an Amazon /56 for the VPC and a ::/0 route to the internet gateway."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.private : s.ipv6_cidr_block == null])
    error_message = "Private subnets stay IPv4-only."
  }
}
