// ECS cluster, service, task definition, security group, autoscaling; ECR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENV_NAMES, STACK, moduleDir, envDir, loadDir, resource, resources, block, resolve, resolveFor, stackInput, isRef, expr } from './lib/hcl.mjs';

const ecs = await loadDir(moduleDir('ecs'));
const ecr = await loadDir(moduleDir('ecr'));
const stack = await loadDir(moduleDir(STACK));
const envs = Object.fromEntries(await Promise.all(ENV_NAMES.map(async (e) => [e, await loadDir(envDir(e))])));

test('cluster has Container Insights', () => {
  const setting = block(resource(ecs, 'aws_ecs_cluster', 'this'), 'setting');
  assert.equal(setting.name, 'containerInsights');
  assert.match(resolve(ecs, setting.value), /^(enabled|enhanced)$/);
});

test('tasks run in private subnets with no public IP', () => {
  const svc = resource(ecs, 'aws_ecs_service', 'backend');
  const net = block(svc, 'network_configuration');
  assert.equal(net.assign_public_ip, false);
  assert.ok(isRef(net.subnets, 'var.private_subnet_ids'));
  assert.ok(isRef(stack.module.ecs.private_subnet_ids, 'module.network.private_subnet_ids'), 'stack: ECS must get the private subnets');
});

test('service: Fargate, desired count 2, rolling 100/200 with circuit breaker rollback, grace period', () => {
  const svc = resource(ecs, 'aws_ecs_service', 'backend');
  assert.equal(svc.launch_type, 'FARGATE');
  assert.equal(resolve(ecs, svc.desired_count), 2);
  assert.equal(svc.deployment_minimum_healthy_percent, 100);
  assert.equal(svc.deployment_maximum_percent, 200);
  assert.deepEqual(block(svc, 'deployment_circuit_breaker'), { enable: true, rollback: true });
  assert.equal(block(svc, 'deployment_controller').type, 'ECS');
  assert.ok(svc.health_check_grace_period_seconds);
  const lb = block(svc, 'load_balancer');
  assert.ok(isRef(lb.target_group_arn, 'var.target_group_arn'));
  assert.equal(stack.module.ecs.container_port, 4000, 'stack: container port 4000');
  for (const [env, m] of Object.entries(envs)) {
    assert.equal(resolveFor(m, stack, stack.module.ecs.desired_count), 2, `${env}: desired_count must be 2`);
  }
});

test('ECS ingress: only the ALB security group, only on port 4000', () => {
  const rules = resources(ecs, 'aws_vpc_security_group_ingress_rule');
  assert.equal(rules.length, 1, 'exactly one ingress rule');
  const [, rule] = rules[0];
  assert.ok(isRef(rule.referenced_security_group_id, 'var.alb_security_group_id'));
  assert.ok(!rule.cidr_ipv4 && !rule.cidr_ipv6 && !rule.prefix_list_id, 'no CIDR ingress');
  assert.ok(isRef(rule.from_port, 'var.container_port') && isRef(rule.to_port, 'var.container_port'));
  assert.equal(ecs.variable.container_port.default, 4000);
  assert.equal(resources(ecs, 'aws_security_group_rule').length, 0);
  assert.equal(block(resource(ecs, 'aws_security_group', 'tasks'), 'ingress'), undefined, 'no inline ingress');
  assert.ok(isRef(stack.module.ecs.alb_security_group_id, 'module.alb.security_group_id'), 'stack: ECS admits the ALB group');
});

test('log group /ecs/backend-logs-<env> is created with retention and used by awslogs', () => {
  assert.equal(ecs.locals.log_group_name, '/ecs/backend-logs-${var.environment}');
  const lg = resource(ecs, 'aws_cloudwatch_log_group', 'backend');
  assert.ok(isRef(lg.name, 'local.log_group_name'));
  assert.ok(isRef(lg.retention_in_days, 'var.log_retention_days'));
  const logs = ecs.locals.container_definition.logConfiguration;
  assert.equal(logs.logDriver, 'awslogs');
  assert.ok(isRef(logs.options['awslogs-group'], 'aws_cloudwatch_log_group.backend.name'));
  assert.ok(logs.options['awslogs-stream-prefix']);
  assert.ok(isRef(stack.module.ecs.environment, 'var.environment'));
  for (const [env, m] of Object.entries(envs)) {
    assert.equal(m.locals.environment, env);
    assert.ok(isRef(m.module.stack.environment, 'local.environment'));
    assert.equal(stackInput(m, stack, 'environment'), env);
  }
});

test('task definition: Fargate awsvpc, port 4000, env/secrets maps, stopTimeout, read-only root, non-root, /tmp volume', () => {
  const td = resource(ecs, 'aws_ecs_task_definition', 'backend');
  assert.deepEqual(td.requires_compatibilities, ['FARGATE']);
  assert.equal(td.network_mode, 'awsvpc');
  assert.ok(isRef(td.execution_role_arn, 'var.execution_role_arn') && isRef(td.task_role_arn, 'var.task_role_arn'));
  const c = ecs.locals.container_definition;
  assert.ok(isRef(c.image, 'var.backend_image'));
  assert.ok(isRef(c.portMappings[0].containerPort, 'var.container_port'));
  assert.match(expr(c.environment), /var\.container_environment/);
  assert.match(expr(c.secrets), /valueFrom = var\.container_secrets\[name\]/);
  assert.equal(c.readonlyRootFilesystem, true);
  assert.ok(isRef(c.stopTimeout, 'var.stop_timeout'));
  assert.equal(ecs.variable.stop_timeout.default, 30);
  assert.ok(isRef(c.user, 'var.container_user'));
  assert.match(ecs.variable.container_user.default, /^[1-9][0-9]*:/);
  assert.deepEqual(ecs.variable.writable_paths.default, ['/tmp']);
  assert.ok(isRef(td.dynamic?.volume?.[0]?.for_each, 'local.writable_volumes'), 'a task volume backs each writable path');
  assert.match(expr(c.mountPoints), /readOnly = false/);
  assert.ok(isRef(stack.module.ecs.backend_image, 'var.backend_image'), 'stack: image from backend_image');
  assert.ok(isRef(stack.module.ecs.cpu, 'var.task_cpu') && isRef(stack.module.ecs.memory, 'var.task_memory'), 'stack: cpu and memory wired');
  for (const [env, m] of Object.entries(envs)) {
    assert.ok(isRef(m.module.stack.backend_image, 'var.backend_image'), `${env}: image from backend_image`);
    assert.ok(stackInput(m, stack, 'task_cpu') && stackInput(m, stack, 'task_memory'), `${env}: cpu and memory set`);
  }
});

test('autoscaling tracks CPU and ALB requests per target between min and max', () => {
  const target = resource(ecs, 'aws_appautoscaling_target', 'service');
  assert.ok(isRef(target.min_capacity, 'var.min_capacity') && isRef(target.max_capacity, 'var.max_capacity'));
  const metrics = resources(ecs, 'aws_appautoscaling_policy').map(([, p]) => {
    assert.equal(p.policy_type, 'TargetTrackingScaling');
    return block(block(p, 'target_tracking_scaling_policy_configuration'), 'predefined_metric_specification').predefined_metric_type;
  });
  assert.deepEqual(metrics.sort(), ['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization']);
});

test('ECR: bet2wealth-backend-<env>, scan on push, immutable tags, keeps the last N images', () => {
  const repo = resource(ecr, 'aws_ecr_repository', 'this');
  assert.equal(repo.image_tag_mutability, 'IMMUTABLE');
  assert.equal(block(repo, 'image_scanning_configuration').scan_on_push, true);
  const policy = expr(resource(ecr, 'aws_ecr_lifecycle_policy', 'this').policy);
  assert.match(policy, /imageCountMoreThan/);
  assert.match(policy, /countNumber\s*=\s*var\.images_to_keep/);
  assert.equal(stack.module.ecr.repository_name, 'bet2wealth-backend-${var.environment}', 'stack: repository name');
  for (const [env, m] of Object.entries(envs)) {
    assert.equal(`bet2wealth-backend-${stackInput(m, stack, 'environment')}`, `bet2wealth-backend-${env}`, `${env}: repository name`);
  }
});

test('task egress: HTTPS to the internet, and Redis/PostgreSQL by security group (no VPC range); deployment alarms roll back', () => {
  const rules = resources(ecs, 'aws_vpc_security_group_egress_rule');
  assert.deepEqual(rules.map(([n]) => n).sort(), ['data_stores', 'https']);
  const ds = resource(ecs, 'aws_vpc_security_group_egress_rule', 'data_stores');
  assert.ok(isRef(ds.referenced_security_group_id, 'each.value.security_group_id') && !ds.cidr_ipv4 && !ds.cidr_ipv6);
  assert.ok(!('vpc_cidr_block' in ecs.variable), 'the ECS module no longer needs the VPC range');
  const egress = stack.module.ecs.data_store_egress;
  assert.ok(isRef(egress.redis.security_group_id, 'module.redis.security_group_id') && isRef(egress.redis.port, 'module.redis.port'));
  assert.ok(isRef(egress.postgres.security_group_id, 'module.database.security_group_id') && isRef(egress.postgres.port, 'module.database.port'));
  const alarms = block(resource(ecs, 'aws_ecs_service', 'backend'), 'alarms');
  assert.equal(alarms.enable, true);
  assert.equal(alarms.rollback, true);
  assert.match(expr(alarms.alarm_names), /aws_cloudwatch_metric_alarm\.deployment/);
  assert.deepEqual(Object.keys(ecs.locals.deployment_alarms).sort(), ['target-5xx', 'unhealthy-hosts']);
});

test('one-off tasks: the service\'s container with another command, no port, own log stream prefix, in its own family', () => {
  const td = resource(ecs, 'aws_ecs_task_definition', 'one_off');
  const svc = resource(ecs, 'aws_ecs_task_definition', 'backend');
  assert.ok(isRef(td.for_each, 'var.one_off_tasks'));
  assert.equal(td.family, '${var.name}-${each.key}');
  for (const k of ['requires_compatibilities', 'network_mode', 'cpu', 'memory', 'execution_role_arn', 'task_role_arn', 'skip_destroy', 'runtime_platform', 'dynamic', 'tags']) {
    assert.deepEqual(td[k], svc[k], `${k} as the service's`);
  }
  assert.match(expr(td.container_definitions), /^jsonencode\(\[local\.one_off_container_definitions\[each\.key\]\]\)$/);
  const defs = expr(ecs.locals.one_off_container_definitions);
  assert.match(defs, /merge\(local\.container_definition, \{/, 'the service\'s container definition ...');
  assert.match(defs, /command\s+= t\.command/);
  assert.match(defs, /portMappings = \[\]/, '... with no port');
  assert.match(defs, /awslogs-stream-prefix = k/, '... and its own stream prefix in the same group');
  // The service's values minus every name the task sets (in either map), plus the task's own.
  for (const m of ['one_off_environment', 'one_off_secrets']) {
    assert.match(expr(ecs.locals[m]), /if !contains\(concat\(keys\(t\.environment\), keys\(t\.secrets\)\), n\)/, `${m}: overridden names dropped from both maps`);
  }
  assert.match(JSON.stringify(block(td, 'lifecycle').precondition), /setintersection\(keys\(each\.value\.environment\), keys\(each\.value\.secrets\)\)/);
  assert.ok(isRef(stack.module.ecs.one_off_tasks, 'local.one_off_tasks'));
  const tasks = stack.locals.one_off_tasks;
  assert.deepEqual(tasks.migrate.command, ['migrate']);
  assert.deepEqual(Object.keys(tasks.migrate.secrets).sort(), ['DB_PASSWORD', 'DB_USER']);
  assert.match(tasks.migrate.secrets.DB_USER, /^\$\{local\.login_secret\["migrator"\]\}:username::$/);
  assert.match(tasks.migrate.secrets.DB_PASSWORD, /^\$\{local\.login_secret\["migrator"\]\}:password::$/);
  assert.deepEqual(tasks['db-roles'].command, ['db-roles']);
  assert.ok(isRef(tasks['db-roles'].environment.DB_USER, 'module.database.master_username'), 'db-roles: the master user, by name');
  assert.deepEqual(tasks['db-roles'].secrets, {
    DB_PASSWORD: '${module.database.master_user_secret_arn}:password::',
    DB_APP_USER: '${local.login_secret["app"]}:username::',
    DB_APP_PASSWORD: '${local.login_secret["app"]}:password::',
    DB_MIGRATOR_USER: '${local.login_secret["migrator"]}:username::',
    DB_MIGRATOR_PASSWORD: '${local.login_secret["migrator"]}:password::',
  });
});
