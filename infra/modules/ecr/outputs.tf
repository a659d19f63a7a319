output "repository_name" {
  description = "Name of the repository."
  value       = aws_ecr_repository.this.name
}

output "repository_arn" {
  description = "ARN of the repository (scope of the deploy role's push permissions)."
  value       = aws_ecr_repository.this.arn
}

output "repository_url" {
  description = "URL of the repository (<account>.dkr.ecr.<region>.amazonaws.com/<name>); backend_image is this plus :tag or @digest."
  value       = aws_ecr_repository.this.repository_url
}

output "registry_id" {
  description = "Registry (account) ID of the repository."
  value       = aws_ecr_repository.this.registry_id
}
