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
  name                       = "bet2wealth-backend-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
  allowed_security_group_ids = ["sg-0a1b2c3d4e5f67890"]
}

run "production_like_defaults" {
  command = plan

  assert {
    condition     = aws_db_instance.this.engine == "postgres" && startswith(aws_db_instance.this.engine_version, "16")
    error_message = "PostgreSQL 16."
  }

  assert {
    condition     = aws_db_instance.this.storage_encrypted && !aws_db_instance.this.publicly_accessible && aws_db_instance.this.manage_master_user_password
    error_message = "Encrypted, private, password managed by RDS in Secrets Manager."
  }

  assert {
    condition     = aws_db_instance.this.multi_az && aws_db_instance.this.deletion_protection && !aws_db_instance.this.skip_final_snapshot && aws_db_instance.this.backup_retention_period >= 1
    error_message = "Defaults: Multi-AZ, deletion protection, final snapshot, automated backups."
  }

  assert {
    condition     = anytrue([for p in aws_db_parameter_group.this.parameter : p.name == "rds.force_ssl" && p.value == "1"])
    error_message = "The parameter group forces SSL."
  }

  # Not stored by the emulator (moto): asserted here.
  assert {
    condition     = toset([for p in aws_db_parameter_group.this.parameter : "${p.name}=${p.value}"]) == toset(["rds.force_ssl=1", "log_min_duration_statement=1000", "log_lock_waits=1"])
    error_message = "Exactly the forced-TLS and logging parameters."
  }

  assert {
    condition     = aws_db_instance.this.performance_insights_enabled && aws_db_instance.this.performance_insights_retention_period == 7
    error_message = "Performance Insights on, 7 days (the free tier)."
  }

  assert {
    condition     = toset(keys(aws_secretsmanager_secret.login_role)) == toset(["app", "migrator"]) && aws_secretsmanager_secret.login_role["app"].name == "bet2wealth/db-app" && aws_secretsmanager_secret.login_role["migrator"].name == "bet2wealth/db-migrator"
    error_message = "One secret per login role (app, migrator), named <prefix><role>, created empty."
  }

  assert {
    condition     = alltrue([for s in aws_secretsmanager_secret.login_role : s.recovery_window_in_days == 30])
    error_message = "Deleted login-role secrets can be restored for 30 days by default."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.from_tasks) == 1 && aws_vpc_security_group_ingress_rule.from_tasks[0].referenced_security_group_id == "sg-0a1b2c3d4e5f67890" && aws_vpc_security_group_ingress_rule.from_tasks[0].from_port == 5432
    error_message = "PostgreSQL admits 5432 from the ECS security group only."
  }
}

run "dev_like_settings" {
  command = plan

  variables {
    multi_az            = false
    deletion_protection = false
    final_snapshot      = false
  }

  assert {
    condition     = !aws_db_instance.this.multi_az && aws_db_instance.this.skip_final_snapshot && aws_db_instance.this.final_snapshot_identifier == null
    error_message = "Multi-AZ and the final snapshot follow the variables."
  }
}

run "only_postgres_16" {
  command = plan

  variables {
    engine_version = "15.4"
  }

  expect_failures = [var.engine_version]
}
