# The dev environment: the whole stack (../../modules/stack) with dev's values. Everything both
# environments share lives in the stack module; only what differs between them is set here.
locals {
  environment = "dev"
}

module "stack" {
  source = "../../modules/stack"

  environment = local.environment
  app_env     = "development" # APP_ENV the service understands: development | production
  domain_name = "api.dev.bet2wealth.co"

  # Set per deployment (CI, terraform.tfvars): see variables.tf.
  backend_image     = var.backend_image
  github_repository = var.github_repository
  # The deploy job runs in the GitHub environment "dev" (its OIDC subject) on pushes to develop.
  github_branches             = ["develop"]
  github_environments         = ["dev"]
  create_github_oidc_provider = var.create_github_oidc_provider
  certificate_arn             = var.certificate_arn
  alb_access_logs_bucket      = var.alb_access_logs_bucket
  secrets_kms_key_arn         = var.secrets_kms_key_arn
  container_secrets           = var.container_secrets

  # Edge and network
  alb_deletion_protection = false
  one_nat_gateway_per_az  = false
  enable_flow_logs        = false

  # Service: 2 x 0.5 vCPU / 1 GiB, autoscaling 2-4
  task_cpu           = 512
  task_memory        = 1024
  autoscaling_max    = 4
  log_retention_days = 14
  log_level          = "debug"
  ecr_images_to_keep = 30

  # Data stores: smallest sizes, single-AZ PostgreSQL, no Redis snapshots
  redis_node_type               = "cache.t4g.micro"
  redis_snapshot_retention_days = 0
  db_instance_class             = "db.t4g.micro"
  db_allocated_storage          = 20
  db_multi_az                   = false
  db_backup_retention_days      = 3
  db_deletion_protection        = false
  db_final_snapshot             = false
}
