output "role_arn" {
  description = "ARN of the deploy role (use it as role-to-assume in aws-actions/configure-aws-credentials)."
  value       = aws_iam_role.deploy.arn
}

output "role_name" {
  description = "Name of the deploy role."
  value       = aws_iam_role.deploy.name
}

output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider the role trusts."
  value       = local.provider_arn
}

output "allowed_subjects" {
  description = "The token sub claims the role accepts."
  value       = local.allowed_subjects
}

output "promote_from_repository_arns" {
  description = "ECR repositories of earlier environments this role may pull from (promotion by digest)."
  value       = var.promote_from_repository_arns
}
