# Remote state: one S3 bucket for all environments, one key per environment, S3-native locking
# (a .tflock object next to the state; no DynamoDB table). Bootstrapping: see infra/README.md.
# Workspace states, if any, stay under the same backend/dev/ prefix the deploy role may use.
terraform {
  backend "s3" {
    bucket               = "bet2wealth-terraform-state"
    key                  = "backend/dev/terraform.tfstate"
    workspace_key_prefix = "backend/dev/workspaces"
    region               = "eu-central-1"
    encrypt              = true
    use_lockfile         = true
  }
}
