# terraform test (Terraform >= 1.11): plans the production environment against a mocked AWS provider and
# checks what is specific to production. What every environment shares is tested in modules/stack/tests.
# No credentials, no AWS calls. Run from infra/envs/production: terraform init -backend=false && terraform test
# 123456789012 is the AWS documentation example account, used only as mock data.

mock_provider "aws" {
  source = "../../modules/stack/tests/mocks"
}

variables {
  backend_image     = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-production:1.2.3"
  github_repository = "example-org/bet2wealth-backend"
}

run "production_plans" {
  command = plan

  assert {
    condition     = output.api_url == "https://api.production.bet2wealth.co"
    error_message = "api_url must be https://api.production.bet2wealth.co."
  }

  assert {
    condition     = output.ecs_service_name == "bet2wealth-backend-production" && output.ecs_cluster_name == "bet2wealth-backend-production"
    error_message = "ECS cluster and service are named bet2wealth-backend-production."
  }

  assert {
    condition     = output.log_group_name == "/ecs/backend-logs-production"
    error_message = "The backend logs go to /ecs/backend-logs-production."
  }

  assert {
    condition     = module.stack.container_environment.APP_ENV == "production" && module.stack.container_environment.LOG_LEVEL == "info" && module.stack.container_environment.APP_VERSION == "1.2.3"
    error_message = "production runs APP_ENV=production, LOG_LEVEL=info and APP_VERSION from the image tag."
  }

  assert {
    condition     = module.stack.container_secret_arns.JWT_SECRET == "arn:aws:ssm:eu-central-1:123456789012:parameter/bet2wealth/production/JWT_SECRET"
    error_message = "JWT_SECRET comes from SSM /bet2wealth/production/JWT_SECRET."
  }

  assert {
    condition     = output.dashboard_name == "bet2wealth-backend-production"
    error_message = "production has its alarms and the dashboard bet2wealth-backend-production."
  }
}
