# The real hashicorp/aws provider (the version of the lock file / plugin mirror), planning only: fake
# credentials and no account or credential lookups, so nothing leaves the machine. Only data sources
# that would call AWS are overridden (override_data); everything else is the provider's own plan.
# 123456789012 is the AWS documentation example account.
provider "aws" {
  region                      = "eu-central-1"
  access_key                  = "mock_access_key"
  secret_key                  = "mock_secret_key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

# The bootstrap root as configured: its provider block is replaced by the test's (no credentials).
run "state_bucket_and_oidc_provider" {
  command = plan

  assert {
    condition     = aws_s3_bucket.state.bucket == "bet2wealth-terraform-state" && one(aws_s3_bucket_versioning.state.versioning_configuration).status == "Enabled"
    error_message = "The state bucket (named as in every backend.tf) is versioned."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256" && aws_s3_bucket_public_access_block.state.block_public_policy && aws_s3_bucket_public_access_block.state.restrict_public_buckets
    error_message = "The state is encrypted at rest and the bucket cannot be made public."
  }

  # The rendered bucket policy: TLS only, and no upload that asks for other than S3/KMS-managed keys.
  assert {
    condition = (
      one([for st in jsondecode(data.aws_iam_policy_document.state.json).Statement : st.Effect == "Deny" && st.Condition.Bool["aws:SecureTransport"] == "false" && st.Resource == ["arn:aws:s3:::bet2wealth-terraform-state/*", "arn:aws:s3:::bet2wealth-terraform-state"] if st.Sid == "DenyInsecureTransport"])
      && one([for st in jsondecode(data.aws_iam_policy_document.state.json).Statement : st.Effect == "Deny" && st.Action == "s3:PutObject" && st.Condition.Null["s3:x-amz-server-side-encryption"] == "false" && toset(st.Condition.StringNotEquals["s3:x-amz-server-side-encryption"]) == toset(["AES256", "aws:kms"]) if st.Sid == "DenyOtherEncryption"])
      && one([for st in jsondecode(data.aws_iam_policy_document.state.json).Statement : st.Effect == "Deny" && st.Condition.Null["s3:x-amz-server-side-encryption-customer-algorithm"] == "false" if st.Sid == "DenyCustomerProvidedKeys"])
    )
    error_message = "The state bucket denies requests without TLS, other encryption than SSE-S3/KMS, and customer-provided keys."
  }

  assert {
    condition     = alltrue([for st in jsondecode(data.aws_iam_policy_document.state.json).Statement : st.Effect == "Deny"])
    error_message = "The bucket policy only denies (access is granted by IAM: the deploy roles' backend/<env>/* prefix)."
  }

  assert {
    condition     = aws_iam_openid_connect_provider.github.url == "https://token.actions.githubusercontent.com" && toset(aws_iam_openid_connect_provider.github.client_id_list) == toset(["sts.amazonaws.com"])
    error_message = "The account's GitHub Actions OIDC provider, audience sts.amazonaws.com."
  }
}
