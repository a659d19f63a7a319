output "web_acl_arn" {
  description = "ARN of the web ACL."
  value       = aws_wafv2_web_acl.this.arn
}

output "web_acl_name" {
  description = "Name of the web ACL (CloudWatch dimension WebACL in AWS/WAFV2)."
  value       = aws_wafv2_web_acl.this.name
}
