// Execution and task roles, GitHub OIDC deploy role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ENV_NAMES, STACK, moduleDir, envDir, loadDir, resource, resources, stackInput, isRef, expr, read } from './lib/hcl.mjs';

const iam = await loadDir(moduleDir('iam'));
const oidc = await loadDir(moduleDir('github-oidc'));
const stack = await loadDir(moduleDir(STACK));
const envs = Object.fromEntries(await Promise.all(ENV_NAMES.map(async (e) => [e, await loadDir(envDir(e))])));
const statements = (model, doc) => model.data.aws_iam_policy_document[doc].statement ?? [];
const dynamicStatements = (model, doc) => (model.data.aws_iam_policy_document[doc].dynamic?.statement ?? []).map((d) => d.content[0]);

test('execution role: a scoped inline policy (this repository, this log group) instead of AmazonECSTaskExecutionRolePolicy', () => {
  assert.equal(resources(iam, 'aws_iam_role_policy_attachment').filter(([, a]) => isRef(a.role, 'aws_iam_role.execution.name')).length, 0,
    'no managed policy on the execution role');
  assert.doesNotMatch(JSON.stringify(iam.resource), /AmazonECSTaskExecutionRolePolicy/);
  const runtime = Object.fromEntries(statements(iam, 'execution_runtime').map((s) => [s.sid, s]));
  assert.deepEqual(runtime.EcrLogin.actions, ['ecr:GetAuthorizationToken']);
  assert.deepEqual(runtime.PullImage.resources, ['${var.ecr_repository_arn}']);
  assert.deepEqual(runtime.WriteLogs.actions, ['logs:CreateLogStream', 'logs:PutLogEvents']);
  assert.match(runtime.WriteLogs.resources[0], /var\.log_group_arn.*:log-stream:\*$/);
  assert.ok(isRef(resource(iam, 'aws_iam_role_policy', 'execution_runtime').role, 'aws_iam_role.execution.id'));
  assert.ok(isRef(stack.module.iam.ecr_repository_arn, 'module.ecr.repository_arn'));
  assert.ok(isRef(stack.module.iam.log_group_arn, 'module.ecs.log_group_arn'));
});

test('execution role: ssm:GetParameters on exactly arn:aws:ssm:<region>:<account>:parameter/bet2wealth/<env>/*', () => {
  assert.equal(iam.locals.ssm_parameter_arn_pattern,
    'arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/bet2wealth/${var.environment}/*');
  const ssm = statements(iam, 'execution_secrets').filter((s) => JSON.stringify(s.actions).includes('ssm:'));
  assert.equal(ssm.length, 1);
  assert.deepEqual(ssm[0].actions, ['ssm:GetParameters']);
  assert.ok(isRef(ssm[0].resources[0], 'local.ssm_parameter_arn_pattern') && ssm[0].resources.length === 1);
  assert.ok(isRef(stack.module.iam.environment, 'var.environment'));
  assert.match(stack.locals.ssm_parameter_prefix, /:parameter\/bet2wealth\/\$\{var\.environment\}$/);
  for (const [env, m] of Object.entries(envs)) {
    assert.equal(m.locals.environment, env);
    assert.equal(stackInput(m, stack, 'environment'), env);
  }
});

test('execution role: secretsmanager:GetSecretValue on exactly the task secrets, kms:Decrypt only with a customer key', () => {
  const dyn = dynamicStatements(iam, 'execution_secrets');
  const sm = dyn.find((s) => s.sid === 'ReadTaskSecrets');
  assert.deepEqual(sm.actions, ['secretsmanager:GetSecretValue']);
  assert.match(expr(sm.resources), /var\.secrets_manager_secret_arns/);
  const kms = dyn.find((s) => s.sid === 'DecryptTaskSecrets');
  assert.deepEqual(kms.actions, ['kms:Decrypt']);
  assert.match(expr(kms.resources), /var\.kms_key_arns/);
  const all = JSON.stringify(iam.data.aws_iam_policy_document.execution_secrets);
  assert.ok(!/"\*"/.test(all), 'no wildcard resource in the secrets policy');
  assert.ok(isRef(stack.module.iam.secrets_manager_secret_arns, 'local.task_secret_arns'));
  const arns = expr(stack.locals.task_secret_arns);
  // The service's secrets (Redis, its database login) and the one-off tasks' (the master secret for
  // db-roles, the migrator's for migrate and db-roles, the app role's): every secret a task definition names.
  assert.match(arns, /^distinct\(concat\(\s*\[module\.redis\.auth_token_secret_arn, module\.database\.master_user_secret_arn, local\.login_secret\["app"\], local\.login_secret\["migrator"\]\]/);
  assert.ok(isRef(stack.locals.login_secret, 'module.database.login_role_secret_arns'));
  assert.match(arns, /values\(var\.container_secrets\)/, 'extra Secrets Manager secrets are granted too');
  const named = new Set();
  for (const v of [...Object.values(stack.locals.db_login_secrets), ...Object.values(stack.locals.one_off_tasks).flatMap((t) => Object.values(t.secrets))]) {
    for (const m of expr(v).matchAll(/(module\.database\.master_user_secret_arn|local\.login_secret\["(?:app|migrator)"\]|module\.database\.login_role_secret_arns\["(?:app|migrator)"\])/g)) {
      named.add(m[1].replace('module.database.login_role_secret_arns', 'local.login_secret'));
    }
  }
  assert.deepEqual([...named].sort(), ['local.login_secret["app"]', 'local.login_secret["migrator"]', 'module.database.master_user_secret_arn']);
  for (const n of named) assert.ok(arns.includes(n), `the execution role may read ${n}, which a task definition names`);
  assert.match(read(path.join(moduleDir(STACK), 'main.tf')), /execution role reads them: it is the ECS agent's identity/,
    'the stack says why the execution role may read the master secret');
});

test('task role: no permissions by default', () => {
  assert.deepEqual(iam.variable.task_role_policy_arns.default, []);
  const policiesOnTask = resources(iam, 'aws_iam_role_policy').filter(([, p]) => isRef(p.role, 'aws_iam_role.task.id'));
  assert.equal(policiesOnTask.length, 0);
});

test('GitHub OIDC: trust limited to one repository and its GitHub environments (no branch refs); scoped deploy permissions', () => {
  // The provider is the bootstrap root's (one per account); the module only looks it up.
  assert.equal(resources(oidc, 'aws_iam_openid_connect_provider').length, 0, 'no OIDC provider in an environment');
  assert.ok(oidc.data.aws_iam_openid_connect_provider.github, 'the provider is looked up');
  assert.ok(!('create_oidc_provider' in oidc.variable) && !('allowed_branches' in oidc.variable));
  const trust = statements(oidc, 'trust')[0];
  assert.deepEqual(trust.actions, ['sts:AssumeRoleWithWebIdentity']);
  const conds = trust.condition;
  assert.ok(conds.some((c) => c.variable === '${local.oidc_host}:aud' && c.values[0] === 'sts.amazonaws.com'));
  assert.ok(conds.some((c) => c.test === 'StringEquals' && c.variable === '${local.oidc_host}:sub' && isRef(c.values, 'local.allowed_subjects')));
  assert.match(expr(oidc.locals.allowed_subjects), /^\[for e in var\.allowed_github_environments : "repo:\$\{var\.github_repository\}:environment:\$\{e\}"\]$/);
  assert.doesNotMatch(JSON.stringify(oidc.locals), /refs\/heads/, 'no branch subject anywhere');

  const deploy = Object.fromEntries(statements(oidc, 'deploy').map((s) => [s.sid, s]));
  assert.deepEqual(deploy.EcrPush.resources, ['${var.ecr_repository_arn}']);
  assert.deepEqual(deploy.PassTaskRoles.actions, ['iam:PassRole']);
  assert.ok(isRef(deploy.PassTaskRoles.resources, 'var.pass_role_arns'));
  assert.deepEqual(deploy.EcsDeployService.resources, ['${var.ecs_service_arn}']);
  assert.deepEqual(deploy.StateReadWrite.resources, ['${local.state_bucket_arn}/${local.state_prefix}/*']);
  assert.equal(oidc.locals.state_prefix, 'backend/${var.environment}');
  const writes = JSON.stringify(oidc.data.aws_iam_policy_document.deploy);
  assert.ok(!/"iam:(Create|Put|Attach|Update)/.test(writes), 'the deploy role cannot change IAM');
  assert.deepEqual(stack.module.github_oidc.pass_role_arns, ['${module.iam.execution_role_arn}', '${module.iam.task_role_arn}']);
  assert.ok(isRef(stack.module.github_oidc.ecr_repository_arn, 'module.ecr.repository_arn'));
  assert.ok(isRef(stack.module.github_oidc.environment, 'var.environment'), 'state prefix backend/<env>/');
  assert.ok(isRef(stack.module.github_oidc.github_repository, 'var.github_repository'));
  for (const [env, m] of Object.entries(envs)) {
    assert.ok(isRef(m.module.stack.github_repository, 'var.github_repository'), `${env}: repository set per deployment`);
    assert.ok(!('default' in m.variable.github_repository), `${env}: github_repository is required`);
  }
});

test('GitHub OIDC: the deploy role runs the one-off tasks in its cluster only, watches its cluster\'s tasks, reads their log streams only', () => {
  const dyn = Object.fromEntries(dynamicStatements(oidc, 'deploy').map((s) => [s.sid, s]));
  const run = dyn.EcsRunOneOffTasks;
  assert.deepEqual(run.actions, ['ecs:RunTask']);
  assert.ok(isRef(run.resources, 'local.one_off_task_definition_arn_patterns'));
  assert.match(expr(oidc.locals.one_off_task_definition_arn_patterns), /:task-definition\/\$\{f\}:\*"/);
  assert.deepEqual(run.condition, [{ test: 'ArnEquals', variable: 'ecs:cluster', values: ['${var.ecs_cluster_arn}'] }]);
  const watch = dyn.EcsWatchOneOffTasks;
  assert.deepEqual(watch.actions, ['ecs:DescribeTasks', 'ecs:StopTask']);
  assert.deepEqual(watch.resources, ['${local.cluster_task_arn_pattern}']);
  assert.equal(oidc.locals.cluster_task_arn_pattern, '${replace(var.ecs_cluster_arn, ":cluster/", ":task/")}/*');
  assert.deepEqual(watch.condition, run.condition);
  const logs = dyn.ReadOneOffTaskLogs;
  assert.deepEqual(logs.actions, ['logs:GetLogEvents']);
  assert.match(expr(logs.resources), /:log-stream:\$\{p\}\/\*"\]$/);
  // Every statement names its resources: no new * beyond the read-only and resource-less calls.
  const all = [...statements(oidc, 'deploy'), ...Object.values(dyn)];
  const actionsOf = (s) => (typeof s.actions === 'string' ? oidc.locals[/^\$\{local\.(\w+)\}$/.exec(s.actions)[1]] : s.actions);
  for (const s of all) {
    for (const a of actionsOf(s)) assert.ok(a !== '*' && !a.endsWith(':*'), `${s.sid}: ${a}`);
    if (JSON.stringify(s.resources) === '["*"]') {
      for (const a of actionsOf(s)) assert.match(a, /:(Describe|List|Get)[A-Za-z]*\*?$|^ecr:GetAuthorizationToken$|^ecs:RegisterTaskDefinition$/, `${s.sid}: ${a} on *`);
    }
  }
  assert.deepEqual(all.filter((s) => actionsOf(s).includes('ecs:RunTask')).map((s) => s.sid), ['EcsRunOneOffTasks'], 'RunTask in one statement only');
  const deploy = Object.fromEntries(statements(oidc, 'deploy').map((s) => [s.sid, s]));
  assert.ok(isRef(deploy.EcsTagTaskDefinition.resources, 'local.task_definition_arn_patterns'), 'tagging: the service\'s and the one-off families');
  assert.match(expr(oidc.locals.task_definition_arn_patterns), /task-definition\/\$\{var\.task_definition_family\}:\*"\],\s*local\.one_off_task_definition_arn_patterns/);
  // The stack hands over the one-off families and their stream prefixes, from the ECS module.
  const call = stack.module.github_oidc;
  assert.ok(isRef(call.one_off_task_families, 'values(module.ecs.one_off_task_definition_families)'));
  assert.ok(isRef(call.one_off_log_stream_prefixes, 'values(module.ecs.one_off_log_stream_prefixes)'));
  assert.ok(isRef(call.log_group_arn, 'module.ecs.log_group_arn'));
  assert.deepEqual(Object.keys(stack.locals.one_off_tasks).sort(), ['db-roles', 'migrate']);
});
