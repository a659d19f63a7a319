output "instance_identifier" {
  description = "Identifier of the DB instance."
  value       = aws_db_instance.this.identifier
}

output "instance_arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "endpoint" {
  description = "Connection endpoint, host:port."
  value       = aws_db_instance.this.endpoint
}

output "address" {
  description = "Host name of the instance (follows Multi-AZ failover); the service's DB_HOST."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port; the service's DB_PORT."
  value       = aws_db_instance.this.port
}

output "db_name" {
  description = "Name of the application database; the service's DB_NAME."
  value       = aws_db_instance.this.db_name
}

output "master_username" {
  description = "Master user name; the service's DB_USER."
  value       = aws_db_instance.this.username
}

output "master_user_secret_arn" {
  description = "ARN of the RDS-managed Secrets Manager secret holding the master password (JSON key \"password\")."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "security_group_id" {
  description = "ID of the PostgreSQL security group."
  value       = aws_security_group.postgres.id
}

output "parameter_group_name" {
  description = "Name of the parameter group (rds.force_ssl = 1)."
  value       = aws_db_parameter_group.this.name
}

output "login_role_secret_arns" {
  description = "Secrets of the application's login roles, role => ARN (JSON {\"username\", \"password\"}, put by the operator who creates the roles)."
  value       = { for r, s in aws_secretsmanager_secret.login_role : r => s.arn }
}
