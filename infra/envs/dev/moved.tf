# State moves of the refactoring that put the module calls into modules/stack: an existing state
# keeps every object (plan shows "has moved to", no replacement). Keep these blocks until every
# state of this environment has been applied once with them; removing them later is a no-op.
moved {
  from = module.network
  to   = module.stack.module.network
}

moved {
  from = module.alb
  to   = module.stack.module.alb
}

moved {
  from = module.dns
  to   = module.stack.module.dns
}

moved {
  from = module.ecr
  to   = module.stack.module.ecr
}

moved {
  from = module.redis
  to   = module.stack.module.redis
}

moved {
  from = module.database
  to   = module.stack.module.database
}

moved {
  from = module.iam
  to   = module.stack.module.iam
}

moved {
  from = module.ecs
  to   = module.stack.module.ecs
}

moved {
  from = module.github_oidc
  to   = module.stack.module.github_oidc
}
