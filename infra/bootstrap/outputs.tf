output "state_bucket_name" {
  description = "The Terraform state bucket (envs/<env>/backend.tf)."
  value       = aws_s3_bucket.state.id
}

output "github_oidc_provider_arn" {
  description = "ARN of the account's GitHub Actions OIDC provider (the deploy roles trust it)."
  value       = aws_iam_openid_connect_provider.github.arn
}
