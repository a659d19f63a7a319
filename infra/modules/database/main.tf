locals {
  major_version = split(".", var.engine_version)[0]

  # Extra parameters may be static, so they wait for a reboot; the fixed ones are dynamic.
  parameters = merge(
    { for name, value in var.extra_parameters : name => { value = value, apply_method = "pending-reboot" } },
    {
      "log_min_duration_statement" = { value = "1000", apply_method = "immediate" }
      "log_lock_waits"             = { value = "1", apply_method = "immediate" }
      # Every connection must use TLS; the service connects with sslmode=verify-full.
      "rds.force_ssl" = { value = "1", apply_method = "immediate" }
    },
  )
}

resource "aws_db_subnet_group" "this" {
  name        = var.name
  description = "Private subnets of ${var.name} PostgreSQL"
  subnet_ids  = var.subnet_ids

  tags = var.tags
}

resource "aws_security_group" "postgres" {
  name_prefix = "${var.name}-postgres-"
  description = "PostgreSQL of ${var.name}: port ${var.port} from the ECS tasks only"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-postgres" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_tasks" {
  # count, not for_each: the group IDs are only known after apply.
  count = length(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.postgres.id
  description                  = "PostgreSQL from the ECS tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = var.allowed_security_group_ids[count.index]

  tags = var.tags
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-pg${local.major_version}-"
  family      = "postgres${local.major_version}"
  description = "PostgreSQL ${local.major_version} parameters of ${var.name} (TLS forced)"

  dynamic "parameter" {
    for_each = local.parameters

    content {
      name         = parameter.key
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_118:Enhanced monitoring is not in scope; Container Insights and RDS metrics cover the basics.
  #checkov:skip=CKV_AWS_157:Multi-AZ is a variable: on in production, off in dev to halve the cost.
  #checkov:skip=CKV_AWS_354:Performance Insights data is encrypted with the aws/rds key unless kms_key_arn is given.
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  port           = var.port

  db_name  = var.db_name
  username = var.master_username
  # RDS generates the master password and keeps it in a Secrets Manager secret it owns
  # (JSON with "username" and "password"); the task reads it as DB_PASSWORD.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.master_user_secret_kms_key_arn

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  multi_az               = var.multi_az
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.postgres.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name
  # No ca_cert_identifier: new instances get rds-ca-rsa2048-g1 (RSA 2048, to 2061) by default, and the
  # service verifies against the global bundle, which holds every RDS CA. Setting it here makes the
  # provider create the instance and then modify it (a second wait of minutes on the first apply).

  iam_database_authentication_enabled   = true
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  performance_insights_enabled          = var.performance_insights_enabled
  performance_insights_retention_period = var.performance_insights_enabled ? var.performance_insights_retention_days : null
  performance_insights_kms_key_id       = var.performance_insights_enabled ? var.kms_key_arn : null

  backup_retention_period  = var.backup_retention_period
  backup_window            = var.backup_window
  maintenance_window       = var.maintenance_window
  copy_tags_to_snapshot    = true
  delete_automated_backups = false

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  apply_immediately           = var.apply_immediately

  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = !var.final_snapshot
  final_snapshot_identifier = var.final_snapshot ? "${var.name}-final" : null

  tags = var.tags
}

# ---------------------------------------------------------------- login roles of the application
# The service should not connect as the master user. Two PostgreSQL roles take over (created or updated
# by `bet2wealth db-roles`, a one-off task run with infra/scripts/run-task.sh <env> db-roles, see
# infra/README.md "Database roles"):
#   <prefix>app       DML on the tables (SELECT/INSERT/UPDATE/DELETE), sequences; owns nothing
#   <prefix>migrator  owns the schema and its tables; runs `bet2wealth migrate`
# Terraform creates the secrets that hold each role's {"username", "password"}; the values are put
# by the operator who creates the roles (aws secretsmanager put-secret-value), never by Terraform, so
# no password is ever in the state.
resource "aws_secretsmanager_secret" "login_role" {
  #checkov:skip=CKV2_AWS_57:The password belongs to a PostgreSQL role created by SQL; rotating it is a documented manual step.
  #checkov:skip=CKV_AWS_149:Encrypted with aws/secretsmanager unless master_user_secret_kms_key_arn names a customer key.
  for_each = toset(var.login_roles)

  name                    = "${var.login_role_secret_prefix}${each.key}"
  description             = "PostgreSQL login role ${each.key} of ${var.name}: JSON {\"username\", \"password\"}"
  kms_key_id              = var.master_user_secret_kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_days

  tags = var.tags
}
