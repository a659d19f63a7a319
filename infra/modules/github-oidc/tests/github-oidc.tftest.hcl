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

override_data {
  target = data.aws_iam_openid_connect_provider.github
  values = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", url = "token.actions.githubusercontent.com" }
}


variables {
  name                        = "bet2wealth-backend-test"
  environment                 = "test"
  github_repository           = "example-org/bet2wealth-backend"
  allowed_github_environments = ["production"]
  plan_readable_bucket_arns   = ["arn:aws:s3:::bet2wealth-backend-test-alb-logs-123456789012"]
  plan_readable_secret_arns   = ["arn:aws:secretsmanager:eu-central-1:123456789012:secret:bet2wealth/test/redis-auth-token-AbCdEf"]
  ecr_repository_arn          = "arn:aws:ecr:eu-central-1:123456789012:repository/bet2wealth-backend-test"
  ecs_cluster_arn             = "arn:aws:ecs:eu-central-1:123456789012:cluster/bet2wealth-backend-test"
  ecs_service_arn             = "arn:aws:ecs:eu-central-1:123456789012:service/bet2wealth-backend-test/bet2wealth-backend-test"
  task_definition_family      = "bet2wealth-backend-test"
  pass_role_arns              = ["arn:aws:iam::123456789012:role/test-ecs-execution", "arn:aws:iam::123456789012:role/test-ecs-task"]
  one_off_task_families       = ["bet2wealth-backend-test-migrate", "bet2wealth-backend-test-db-roles"]
  log_group_arn               = "arn:aws:logs:eu-central-1:123456789012:log-group:/ecs/backend-logs-test"
  one_off_log_stream_prefixes = ["migrate", "db-roles"]
}

run "trust_and_scope" {
  command = plan

  assert {
    condition     = output.allowed_subjects == ["repo:example-org/bet2wealth-backend:environment:production"]
    error_message = "Only jobs of the given repository bound to the GitHub environment production may assume the role."
  }

  # The rendered trust policy: web identity from the account's GitHub provider, audience sts, and the
  # environment subject only (StringEquals, no wildcard, no branch ref).
  assert {
    condition = (
      jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Action == "sts:AssumeRoleWithWebIdentity"
      && jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Principal.Federated == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
      && jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
      && jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == "repo:example-org/bet2wealth-backend:environment:production"
      && !can(jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition.StringLike)
      && jsondecode(aws_iam_role.deploy.assume_role_policy) == jsondecode(data.aws_iam_policy_document.trust.json)
    )
    error_message = "The deploy role trusts exactly repo:<repository>:environment:<env>, audience sts.amazonaws.com."
  }

  assert {
    condition = alltrue(flatten([
      for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : [for a in flatten([st.Action]) : a != "*" && !endswith(a, ":*")]
    ]))
    error_message = "No deploy-role statement allows every action (*) or every action of a service (svc:*)."
  }

  # Resource "*" only where AWS offers no resource-level permission, and then read-only verbs (plus
  # the ECR login token and task definition registration, which have no resource type).
  assert {
    condition = alltrue(flatten([
      for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : [
        for a in flatten([st.Action]) :
        can(regex(":(Describe|List|Get)[A-Za-z]*\\*?$", a)) || contains(["ecr:GetAuthorizationToken", "ecs:RegisterTaskDefinition"], a)
      ] if contains(flatten([st.Resource]), "*")
    ]))
    error_message = "Statements on resource * hold only read-only actions, the ECR login and task definition registration."
  }

  assert {
    condition = alltrue(flatten([
      for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : [
        for a in flatten([st.Action]) : !can(regex("^iam:(Create|Put|Attach|Update|Delete|Tag)", a)) && !can(regex("^(ec2|rds|elasticache|elasticloadbalancing|wafv2|kms|s3):(Create|Delete|Modify|Put|Update|Associate|Disassociate|Authorize|Revoke)", a))
      ] if st.Sid != "StateReadWrite" # the state objects under backend/<env>/ (asserted below)
    ]))
    error_message = "The deploy role cannot change IAM, networking, data stores, the WAF, keys or buckets."
  }

  assert {
    condition     = toset(one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "PassTaskRoles"])) == toset(var.pass_role_arns) && one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Condition.StringEquals["iam:PassedToService"] if st.Sid == "PassTaskRoles"]) == "ecs-tasks.amazonaws.com"
    error_message = "iam:PassRole is limited to the two task roles, passed to ECS tasks."
  }

  assert {
    condition = (
      one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "StateReadWrite"]) == "arn:aws:s3:::bet2wealth-terraform-state/backend/test/*"
      && one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Condition.StringLike["s3:prefix"] if st.Sid == "StateList"]) == "backend/test/*"
    )
    error_message = "State access is limited to backend/<env>/*."
  }

  assert {
    condition     = one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "EcrPush"]) == var.ecr_repository_arn
    error_message = "ECR push is limited to this environment's repository."
  }

  assert {
    condition     = one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "EcsDeployService"]) == var.ecs_service_arn && one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Condition.ArnEquals["ecs:cluster"] if st.Sid == "EcsDeployService"]) == var.ecs_cluster_arn
    error_message = "UpdateService on this service of this cluster only."
  }

  assert {
    condition     = one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "TerraformPlanReadBuckets"]) == var.plan_readable_bucket_arns[0] && one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "TerraformPlanSecrets"]) == var.plan_readable_secret_arns[0]
    error_message = "Plan reads of buckets and secrets are limited to this environment's."
  }

  assert {
    condition     = !anytrue([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Sid == "EcrPullPromoted"])
    error_message = "No promotion source unless given."
  }

  # One-off tasks (the migration before each service update): RunTask of the one-off families only
  # (not the service's), in this cluster only.
  assert {
    condition = (
      one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Action if st.Sid == "EcsRunOneOffTasks"]) == "ecs:RunTask"
      && toset(one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "EcsRunOneOffTasks"])) == toset([
        "arn:aws:ecs:eu-central-1:123456789012:task-definition/bet2wealth-backend-test-migrate:*",
        "arn:aws:ecs:eu-central-1:123456789012:task-definition/bet2wealth-backend-test-db-roles:*",
      ])
      && one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Condition.ArnEquals["ecs:cluster"] if st.Sid == "EcsRunOneOffTasks"]) == var.ecs_cluster_arn
      && length([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st if contains(flatten([st.Action]), "ecs:RunTask")]) == 1
    )
    error_message = "ecs:RunTask of the one-off families only, in this cluster only."
  }

  assert {
    condition = (
      toset(one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Action if st.Sid == "EcsWatchOneOffTasks"])) == toset(["ecs:DescribeTasks", "ecs:StopTask"])
      && one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "EcsWatchOneOffTasks"]) == "arn:aws:ecs:eu-central-1:123456789012:task/bet2wealth-backend-test/*"
      && one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Condition.ArnEquals["ecs:cluster"] if st.Sid == "EcsWatchOneOffTasks"]) == var.ecs_cluster_arn
    )
    error_message = "DescribeTasks and StopTask on this cluster's tasks only."
  }

  assert {
    condition = (
      one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Action if st.Sid == "ReadOneOffTaskLogs"]) == "logs:GetLogEvents"
      && toset(one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "ReadOneOffTaskLogs"])) == toset([
        "arn:aws:logs:eu-central-1:123456789012:log-group:/ecs/backend-logs-test:log-stream:migrate/*",
        "arn:aws:logs:eu-central-1:123456789012:log-group:/ecs/backend-logs-test:log-stream:db-roles/*",
      ])
    )
    error_message = "logs:GetLogEvents on the one-off tasks' log streams only (not the service's backend/* streams)."
  }

  assert {
    condition = toset(one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "EcsTagTaskDefinition"])) == toset([
      "arn:aws:ecs:eu-central-1:123456789012:task-definition/bet2wealth-backend-test:*",
      "arn:aws:ecs:eu-central-1:123456789012:task-definition/bet2wealth-backend-test-migrate:*",
      "arn:aws:ecs:eu-central-1:123456789012:task-definition/bet2wealth-backend-test-db-roles:*",
    ])
    error_message = "Tagging (at registration) of the service's and the one-off tasks' task definition families only."
  }
}

run "no_one_off_tasks_no_run_task" {
  command = plan

  variables {
    one_off_task_families       = []
    one_off_log_stream_prefixes = []
  }

  assert {
    condition = (
      !anytrue([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : contains(["EcsRunOneOffTasks", "EcsWatchOneOffTasks", "ReadOneOffTaskLogs"], st.Sid)])
      && one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "EcsTagTaskDefinition"]) == "arn:aws:ecs:eu-central-1:123456789012:task-definition/bet2wealth-backend-test:*"
    )
    error_message = "Without one-off families the role may not run, watch or read any task."
  }
}

run "promotion_reads_the_tested_repository" {
  command = plan

  variables {
    promote_from_repository_arns = ["arn:aws:ecr:eu-central-1:123456789012:repository/bet2wealth-backend-dev"]
  }

  assert {
    condition = (
      one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Resource if st.Sid == "EcrPullPromoted"]) == "arn:aws:ecr:eu-central-1:123456789012:repository/bet2wealth-backend-dev"
      && !anytrue([for a in one([for st in jsondecode(data.aws_iam_policy_document.deploy.json).Statement : st.Action if st.Sid == "EcrPullPromoted"]) : contains(["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"], a)])
    )
    error_message = "Production may read (not write) dev's repository, to copy the tested digest."
  }
}

run "branch_subjects_are_not_trusted" {
  command = plan

  variables {
    allowed_github_environments = []
  }

  expect_failures = [var.allowed_github_environments]
}
