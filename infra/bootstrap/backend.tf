# The bootstrap root keeps its own state in the bucket it creates, under bootstrap/ (the deploy roles
# may only touch backend/<env>/*). The very first apply runs before the bucket exists: see
# infra/README.md, "First deploy", step 2 (apply with a local state, then terraform init -migrate-state).
terraform {
  backend "s3" {
    bucket       = "bet2wealth-terraform-state"
    key          = "bootstrap/terraform.tfstate"
    region       = "eu-central-1"
    encrypt      = true
    use_lockfile = true
  }
}
