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
  target = data.aws_secretsmanager_secret_version.auth_token
  values = { secret_string = "mock-token-0123456789abcdef", arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/redis-auth-token-AbCdEf" }
}


variables {
  name                       = "bet2wealth-backend-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  allowed_security_group_ids = ["sg-0a1b2c3d4e5f67890"]
  auth_token_secret_arn      = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/redis-auth-token-AbCdEf"
}

run "replication_group" {
  command = plan

  assert {
    condition     = tostring(aws_elasticache_replication_group.this.at_rest_encryption_enabled) == "true" && tostring(aws_elasticache_replication_group.this.transit_encryption_enabled) == "true"
    error_message = "Redis is encrypted at rest and in transit."
  }

  assert {
    condition     = aws_elasticache_replication_group.this.multi_az_enabled && aws_elasticache_replication_group.this.automatic_failover_enabled && aws_elasticache_replication_group.this.num_cache_clusters == 2
    error_message = "Two nodes, Multi-AZ, automatic failover."
  }

  assert {
    condition     = startswith(aws_elasticache_replication_group.this.engine_version, "7.")
    error_message = "Engine 7.x."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.from_tasks) == 1 && aws_vpc_security_group_ingress_rule.from_tasks[0].referenced_security_group_id == "sg-0a1b2c3d4e5f67890" && aws_vpc_security_group_ingress_rule.from_tasks[0].from_port == 6379
    error_message = "Redis admits 6379 from the ECS security group only."
  }

  assert {
    condition     = toset(aws_elasticache_replication_group.this.preferred_cache_cluster_azs) == toset(["eu-central-1a", "eu-central-1b"])
    error_message = "The two nodes are in two AZs."
  }
}

run "one_node_is_refused" {
  command = plan

  variables {
    num_cache_clusters = 1
  }

  expect_failures = [var.num_cache_clusters]
}
