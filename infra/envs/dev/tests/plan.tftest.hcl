# terraform test (Terraform >= 1.11): plans the dev environment against a mocked AWS provider and
# checks what is specific to dev. What every environment shares is tested in modules/stack/tests.
# No credentials, no AWS calls. Run from infra/envs/dev: terraform init -backend=false && terraform test
# 123456789012 is the AWS documentation example account, used only as mock data.

mock_provider "aws" {
  source = "../../modules/stack/tests/mocks"
}

variables {
  backend_image     = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-dev:1.2.3"
  github_repository = "example-org/bet2wealth-backend"
}

run "dev_plans" {
  command = plan

  assert {
    condition     = output.api_url == "https://api.dev.bet2wealth.co"
    error_message = "api_url must be https://api.dev.bet2wealth.co."
  }

  assert {
    condition     = output.ecs_service_name == "bet2wealth-backend-dev" && output.ecs_cluster_name == "bet2wealth-backend-dev"
    error_message = "ECS cluster and service are named bet2wealth-backend-dev."
  }

  assert {
    condition     = output.log_group_name == "/ecs/backend-logs-dev"
    error_message = "The backend logs go to /ecs/backend-logs-dev."
  }

  assert {
    condition     = module.stack.container_environment.APP_ENV == "development" && module.stack.container_environment.LOG_LEVEL == "debug" && module.stack.container_environment.APP_VERSION == "1.2.3"
    error_message = "dev runs APP_ENV=development, LOG_LEVEL=debug and APP_VERSION from the image tag."
  }

  assert {
    condition     = module.stack.container_secret_arns.JWT_SECRET == "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/dev/JWT_SECRET"
    error_message = "JWT_SECRET comes from SSM /bet2wealth/dev/JWT_SECRET."
  }

  assert {
    condition     = output.dashboard_name == "bet2wealth-backend-dev"
    error_message = "dev has its alarms and the dashboard bet2wealth-backend-dev."
  }
}
