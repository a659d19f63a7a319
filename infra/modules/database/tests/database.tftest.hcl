# terraform test (Terraform >= 1.11) with a mocked AWS provider: no credentials, no AWS calls.
mock_provider "aws" {}

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
