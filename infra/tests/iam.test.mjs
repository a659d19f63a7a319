// Execution and task roles, GitHub OIDC deploy role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENV_NAMES, STACK, moduleDir, envDir, loadDir, resource, resources, stackInput, isRef, expr } from './lib/hcl.mjs';

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
  assert.match(arns, /module\.redis\.auth_token_secret_arn, local\.db_login_secret_arn/);
  assert.match(expr(stack.locals.db_login_secret_arn), /var\.db_login == "master" \? module\.database\.master_user_secret_arn : module\.database\.login_role_secret_arns\["app"\]/);
  assert.match(arns, /values\(var\.container_secrets\)/, 'extra Secrets Manager secrets are granted too');
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
