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

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test", user_id = "AIDATEST" }
}


variables {
  name                        = "bet2wealth-backend-test"
  environment                 = "test"
  ecr_repository_arn          = "arn:aws:ecr:eu-central-1:123456789012:repository/bet2wealth-backend-test"
  log_group_arn               = "arn:aws:logs:eu-central-1:123456789012:log-group:/ecs/backend-logs-test"
  secrets_manager_secret_arns = ["arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/redis-auth-token-AbCdEf"]
  kms_key_arns                = ["arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-0000-0000-000000000000"]
}

run "execution_role_scope" {
  command = plan

  assert {
    condition     = output.ssm_parameter_arn_pattern == "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/test/*"
    error_message = "SSM access is exactly /bet2wealth/<env>/*."
  }

  assert {
    condition     = data.aws_iam_policy_document.execution_secrets.statement[0].actions == toset(["ssm:GetParameters"]) && data.aws_iam_policy_document.execution_secrets.statement[0].resources == toset([output.ssm_parameter_arn_pattern])
    error_message = "The SSM statement allows ssm:GetParameters on the environment's prefix only."
  }

  # The rendered JSON of every policy of the two roles (the provider renders it at plan time).
  assert {
    condition = alltrue(flatten([
      for doc in [data.aws_iam_policy_document.execution_runtime.json, data.aws_iam_policy_document.execution_secrets.json] : [
        for st in jsondecode(doc).Statement : [for a in flatten([st.Action]) : a != "*" && !endswith(a, ":*")]
      ]
    ]))
    error_message = "No policy of the execution role allows every action (*) or every action of a service (svc:*)."
  }

  assert {
    condition = alltrue([
      for st in jsondecode(data.aws_iam_policy_document.execution_runtime.json).Statement :
      st.Sid == "EcrLogin" ? flatten([st.Action]) == ["ecr:GetAuthorizationToken"] && st.Resource == "*" : !contains(flatten([st.Resource]), "*")
    ])
    error_message = "Only ecr:GetAuthorizationToken (no resource-level permissions) has resource *."
  }

  assert {
    condition = (
      one([for st in jsondecode(data.aws_iam_policy_document.execution_runtime.json).Statement : st.Resource if st.Sid == "PullImage"]) == var.ecr_repository_arn
      && one([for st in jsondecode(data.aws_iam_policy_document.execution_runtime.json).Statement : st.Resource if st.Sid == "WriteLogs"]) == "${var.log_group_arn}:log-stream:*"
    )
    error_message = "The execution role pulls from this environment's repository and writes to its log group only."
  }

  assert {
    condition = (
      one([for st in jsondecode(data.aws_iam_policy_document.execution_secrets.json).Statement : st.Resource if st.Sid == "ReadEnvironmentParameters"]) == "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/test/*"
      && one([for st in jsondecode(data.aws_iam_policy_document.execution_secrets.json).Statement : st.Resource if st.Sid == "ReadTaskSecrets"]) == var.secrets_manager_secret_arns[0]
    )
    error_message = "Secrets: SSM /bet2wealth/<env>/* and exactly the given Secrets Manager secrets."
  }

  assert {
    condition = (
      one([for st in jsondecode(data.aws_iam_policy_document.execution_secrets.json).Statement : st.Condition.StringEquals["kms:ViaService"] if st.Sid == "DecryptTaskSecrets"]) == ["secretsmanager.eu-central-1.amazonaws.com", "ssm.eu-central-1.amazonaws.com"]
    )
    error_message = "kms:Decrypt only through Secrets Manager and SSM of the region."
  }

  assert {
    condition = (
      jsondecode(data.aws_iam_policy_document.ecs_tasks_assume.json).Statement[0].Principal.Service == "ecs-tasks.amazonaws.com"
      && jsondecode(data.aws_iam_policy_document.ecs_tasks_assume.json).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
      && jsondecode(data.aws_iam_policy_document.ecs_tasks_assume.json).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:ecs:eu-central-1:123456789012:*"
    )
    error_message = "Both roles trust ECS tasks of this account and region only (aws:SourceAccount, aws:SourceArn)."
  }

  assert {
    condition     = jsondecode(aws_iam_role.execution.assume_role_policy) == jsondecode(data.aws_iam_policy_document.ecs_tasks_assume.json) && jsondecode(aws_iam_role.task.assume_role_policy) == jsondecode(data.aws_iam_policy_document.ecs_tasks_assume.json)
    error_message = "The roles use that trust policy."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.task) == 0
    error_message = "The task role has no permissions by default."
  }
}

run "wildcard_secret_is_refused" {
  command = plan

  variables {
    secrets_manager_secret_arns = ["arn:aws:secretsmanager:eu-central-1:123456789012:secret:*"]
  }

  expect_failures = [var.secrets_manager_secret_arns]
}
