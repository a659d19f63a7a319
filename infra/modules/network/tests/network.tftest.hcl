# terraform test (Terraform >= 1.11) with a mocked AWS provider: no credentials, no AWS calls.
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { region = "eu-central-1", name = "eu-central-1" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
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
}
