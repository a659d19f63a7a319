locals {
  parameter_group_name = coalesce(var.parameter_group_name, "default.${var.engine}${split(".", var.engine_version)[0]}")
}

# The AUTH token lives in Secrets Manager (created once per environment, see infra/README.md).
# It is read here so that ElastiCache can be configured with it; it is never written in code.
# Note: like any auth_token, the value is stored in the Terraform state (an encrypted bucket).
data "aws_secretsmanager_secret_version" "auth_token" {
  secret_id = var.auth_token_secret_arn

  lifecycle {
    postcondition {
      condition     = length(self.secret_string) >= 16 && length(self.secret_string) <= 128 && !can(regex("[@\"/\\s]", self.secret_string))
      error_message = "The Redis AUTH token must be 16-128 characters without @, \", / or whitespace."
    }
  }
}

resource "aws_elasticache_subnet_group" "this" {
  name        = var.name
  description = "Private subnets of ${var.name} Redis"
  subnet_ids  = var.subnet_ids

  tags = var.tags
}

resource "aws_security_group" "redis" {
  name_prefix = "${var.name}-redis-"
  description = "Redis of ${var.name}: port ${var.port} from the ECS tasks only"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-redis" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_tasks" {
  # count, not for_each: the group IDs are only known after apply.
  count = length(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.redis.id
  description                  = "Redis from the ECS tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = var.allowed_security_group_ids[count.index]

  tags = var.tags
}

resource "aws_elasticache_replication_group" "this" {
  #checkov:skip=CKV_AWS_191:A customer-managed key is optional (kms_key_arn); encryption at rest is always on.
  replication_group_id = var.name
  description          = "Sessions, rate limits, cache and idempotency locks of ${var.name}"

  engine               = var.engine
  engine_version       = var.engine_version
  parameter_group_name = local.parameter_group_name
  node_type            = var.node_type
  port                 = var.port

  # Cluster mode disabled: one shard, a primary and replica(s) in different AZs.
  num_cache_clusters          = var.num_cache_clusters
  preferred_cache_cluster_azs = slice(flatten([for i in range(var.num_cache_clusters) : var.availability_zones]), 0, var.num_cache_clusters)
  automatic_failover_enabled  = true
  multi_az_enabled            = true

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.redis.id]

  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  auth_token                 = data.aws_secretsmanager_secret_version.auth_token.secret_string
  auth_token_update_strategy = "ROTATE"

  snapshot_retention_limit   = var.snapshot_retention_limit
  snapshot_window            = var.snapshot_window
  maintenance_window         = var.maintenance_window
  auto_minor_version_upgrade = true
  apply_immediately          = var.apply_immediately

  tags = var.tags
}
