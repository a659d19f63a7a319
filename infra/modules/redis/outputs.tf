output "replication_group_id" {
  description = "ID of the replication group."
  value       = aws_elasticache_replication_group.this.id
}

output "primary_endpoint_address" {
  description = "Primary endpoint host name (follows failover); the service's REDIS_HOST."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "reader_endpoint_address" {
  description = "Reader endpoint host name (replicas)."
  value       = aws_elasticache_replication_group.this.reader_endpoint_address
}

output "port" {
  description = "Redis port; the service's REDIS_PORT."
  value       = var.port
}

output "auth_token_secret_arn" {
  description = "ARN of the secret holding the AUTH token (injected into the task as REDIS_AUTH_TOKEN)."
  value       = var.auth_token_secret_arn
}

output "security_group_id" {
  description = "ID of the Redis security group."
  value       = aws_security_group.redis.id
}

output "cache_cluster_ids" {
  description = "Cache cluster ID of each node (the CacheClusterId dimension of its CloudWatch metrics), keyed by node number \"001\", \"002\", ...: the keys are known at plan time (for_each), the IDs after apply."
  value       = { for i in range(var.num_cache_clusters) : format("%03d", i + 1) => sort(aws_elasticache_replication_group.this.member_clusters)[i] }
}
