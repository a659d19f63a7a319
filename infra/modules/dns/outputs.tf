output "fqdn" {
  description = "Fully qualified name of the API record."
  value       = aws_route53_record.api["A"].fqdn
}

output "url" {
  description = "Base URL of the API (https://<fqdn>)."
  value       = "https://${var.record_name}"
}

output "record_types" {
  description = "Record types created (A, and AAAA when enabled)."
  value       = local.record_types
}
