// dev and production: backend, versions, the stack call, inputs, outputs, state moves; the stack module's
// composition of every building block and the container configuration it builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENV_NAMES, MODULE_NAMES, STACK, envDir, moduleDir, callName, loadDir, stackInput, isRef, expr, objectKeys, read } from './lib/hcl.mjs';

const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|API_KEY|_KEY$|^DATABASE_URL$|^REDIS_URL$/;
const CREDENTIALS_IN_URL = /:\/\/[^/@\s]*:[^/@\s]*@/;
// ... and what infra/scripts/run-task.sh reads (the cluster, the one-off families, the service's subnets
// and security group).
const REQUIRED_OUTPUTS = ['api_url', 'alb_dns_name', 'ecr_repository_url', 'redis_primary_endpoint', 'database_endpoint',
  'ecs_cluster_name', 'ecs_service_name', 'deploy_role_arn', 'one_off_task_families', 'one_off_task_definition_arns',
  'ecs_private_subnet_ids', 'ecs_security_group_id'];

const stack = await loadDir(moduleDir(STACK));

test('the stack module wires every module from ../', () => {
  const sources = Object.values(stack.module).map((c) => c.source).sort();
  assert.deepEqual(sources, MODULE_NAMES.map((n) => `../${n}`).sort());
  for (const n of MODULE_NAMES) assert.equal(stack.module[callName(n)]?.source, `../${n}`, `module "${callName(n)}" calls ../${n}`);
});

test('stack: backend_image is required and validated; names follow var.environment', () => {
  const img = stack.variable.backend_image;
  assert.ok(!('default' in img), 'backend_image must have no default');
  assert.ok(img.validation, 'backend_image must be validated');
  assert.match(JSON.stringify(img.validation), /:latest/, 'latest is refused');
  assert.ok(isRef(stack.module.ecs.backend_image, 'var.backend_image'));
  assert.ok(stack.variable.environment.validation, 'environment is validated');
  assert.equal(stack.locals.name, 'bet2wealth-backend-${var.environment}');
  for (const n of ['network', 'alb', 'redis', 'database', 'iam', 'ecs', 'github_oidc']) {
    assert.ok(isRef(stack.module[n].name, 'local.name'), `module ${n} is named bet2wealth-backend-<env>`);
  }
});

test('stack: outputs', () => {
  for (const o of REQUIRED_OUTPUTS) assert.ok(stack.output[o], `output ${o} missing`);
  assert.ok(isRef(stack.output.deploy_role_arn.value, 'module.github_oidc.role_arn'));
  assert.ok(isRef(stack.output.redis_primary_endpoint.value, 'module.redis.primary_endpoint_address'));
  assert.ok(isRef(stack.output.container_environment.value, 'local.container_environment'));
  assert.ok(isRef(stack.output.container_secret_arns.value, 'local.container_secrets'), 'secrets are exposed as ARNs only');
});

test('stack: no plaintext secret in the container environment', () => {
  const keys = objectKeys(stack.locals.default_environment);
  for (const k of keys) assert.doesNotMatch(k, SECRET_NAME, `environment variable ${k} looks secret`);
  for (const v of Object.values(stack.locals.default_environment)) assert.doesNotMatch(String(v), CREDENTIALS_IN_URL);
  assert.ok(!keys.includes('REDIS_URL') && !keys.includes('DATABASE_URL'), 'URLs with credentials are assembled by the service');
  assert.match(expr(stack.locals.container_environment), /^merge\(local\.default_environment, local\.db_user_environment, var\.container_environment\)$/);
  // DB_USER is plain text only for the master user; the app role's name comes from its secret, and the
  // app role (which may not change the schema) runs with MIGRATE_ON_START=false.
  assert.match(expr(stack.locals.db_user_environment),
    /^var\.db_login == "master" \? \{ DB_USER = module\.database\.master_username \} : \{\s*MIGRATE_ON_START = "false"\s*\}$/);
  assert.ok(stack.variable.container_environment.validation, 'extra environment is validated against secrets');
  assert.ok(isRef(stack.module.ecs.container_environment, 'local.container_environment'));
});

test('stack: service configuration matches what the service reads', () => {
  const e = stack.locals.default_environment;
  assert.equal(e.PORT, '4000');
  assert.ok(isRef(e.APP_ENV, 'var.app_env'));
  assert.match(JSON.stringify(stack.variable.app_env.validation), /var\.environment != \\"production\\" \|\| var\.app_env == \\"production\\"/,
    'production must run APP_ENV=production');
  assert.equal(e.ROOT_ENTRY, '/api/v1');
  assert.equal(e.TRUSTED_PROXY_HOPS, '1');
  assert.ok(isRef(e.TRUSTED_PROXIES, 'module.network.vpc_cidr_block'), 'X-Forwarded-For is trusted from the VPC (the ALB) only');
  for (const k of ['APP_NAME', 'APP_VERSION', 'HOST_URL', 'API_DOCS', 'LOG_LEVEL', 'JWT_EXPIRY', 'JWT_REFRESH_EXPIRY',
    'REDIS_POOL_MAX', 'REDIS_POOL_MIN', 'RATE_LIMIT_DURATION_SECONDS', 'RATE_LIMIT_PERMISSION_POINTS', 'PAYSTACK_BASE_URL']) {
    assert.ok(e[k], `${k} is set`);
  }
  assert.match(e.PAYSTACK_BASE_URL, /^https:\/\//);
  assert.deepEqual(e.PAYSTACK_WEBHOOK_IPS.split(',').sort(), ['52.214.14.220', '52.31.139.75', '52.49.173.169'],
    "webhooks are admitted from Paystack's published senders only");
  // Split connection settings; the service assembles REDIS_URL and DATABASE_URL from them.
  assert.ok(isRef(e.REDIS_HOST, 'module.redis.primary_endpoint_address'));
  assert.ok(e.REDIS_PORT && e.REDIS_TLS === 'true');
  assert.ok(isRef(e.DB_HOST, 'module.database.address'));
  for (const k of ['DB_PORT', 'DB_NAME']) assert.ok(e[k], `${k} is set`);
  assert.equal(e.DB_SSLMODE, 'verify-full');
  assert.ok(isRef(e.DB_SSLROOTCERT, 'var.db_ssl_root_cert_path'), 'the RDS CA bundle path for verify-full');
});

test('stack: secrets are injected by ARN (SSM /bet2wealth/<env>/*, Secrets Manager)', () => {
  assert.deepEqual(stack.variable.ssm_secret_names.default, ['JWT_SECRET', 'JWT_REFRESH_SECRET', 'PAYSTACK_SECRET_KEY']);
  assert.match(stack.locals.ssm_parameter_prefix, /:parameter\/bet2wealth\/\$\{var\.environment\}$/);
  assert.match(expr(stack.locals.ssm_secrets), /n => "\$\{local\.ssm_parameter_prefix\}\/\$\{n\}"/);
  // A JWT key rotation (docs/runbook.md): the previous keys are read from SSM only while var.jwt_key_rotation is
  // true (a task whose secret's parameter is missing does not start), and the environments leave it off.
  assert.match(expr(stack.locals.ssm_secrets).replace(/\s+/g, ' '),
    /for n in concat\(var\.ssm_secret_names, var\.jwt_key_rotation \? local\.jwt_previous_secret_names : \[\]\)/);
  assert.deepEqual(stack.locals.jwt_previous_secret_names, ['JWT_SECRET_PREVIOUS', 'JWT_REFRESH_SECRET_PREVIOUS']);
  assert.equal(stack.variable.jwt_key_rotation.default, false);
  assert.equal(stack.variable.jwt_key_rotation.type, '${bool}');
  assert.match(expr(stack.locals.data_store_secrets), /REDIS_AUTH_TOKEN = module\.redis\.auth_token_secret_arn/);
  const login = expr(stack.locals.db_login_secrets);
  assert.match(login, /DB_PASSWORD = "\$\{module\.database\.master_user_secret_arn\}:password::"/, 'master: the RDS-managed secret');
  assert.match(login, /DB_USER\s+= "\$\{module\.database\.login_role_secret_arns\["app"\]\}:username::"/, 'app: user name from the app role secret');
  assert.match(login, /DB_PASSWORD = "\$\{module\.database\.login_role_secret_arns\["app"\]\}:password::"/, 'app: password from the app role secret');
  assert.ok(isRef(stack.module.ecs.container_secrets, 'local.container_secrets'));
  const validation = JSON.stringify(stack.variable.container_secrets.validation);
  assert.ok(validation.includes('parameter/bet2wealth/${var.environment}/'), 'extra SSM secrets must stay under /bet2wealth/<env>/');
  assert.match(expr(stack.locals.redis_auth_token_secret_name), /"bet2wealth\/\$\{var\.environment\}\/redis-auth-token"/);
});

test('every required stack input is set by every environment; both set the same inputs', async () => {
  const required = Object.entries(stack.variable).filter(([, v]) => !('default' in v)).map(([n]) => n);
  const [dev, prod] = await Promise.all(ENV_NAMES.map((e) => loadDir(envDir(e))));
  for (const m of [dev, prod]) {
    for (const n of required) assert.ok(n in m.module.stack, `${m.dir}: required stack input ${n} is not set`);
    for (const n of Object.keys(m.module.stack)) assert.ok(n === 'source' || stack.variable[n], `${m.dir}: ${n} is not a stack input`);
  }
  assert.deepEqual(Object.keys(dev.module.stack).sort(), Object.keys(prod.module.stack).sort(), 'dev and production decide the same inputs');
});

for (const env of ENV_NAMES) {
  const m = await loadDir(envDir(env));

  test(`${env}: S3 backend with native locking under backend/${env}/`, () => {
    const s3 = m.terraform.find((t) => t.backend)?.backend?.s3?.[0];
    assert.ok(s3, 'backend "s3" missing');
    assert.equal(s3.bucket, 'bet2wealth-terraform-state');
    assert.equal(s3.bucket, stackInput(m, stack, 'state_bucket_name'), 'the deploy role is scoped to the same bucket');
    assert.equal(s3.key, `backend/${env}/terraform.tfstate`);
    assert.equal(s3.region, 'eu-central-1');
    assert.equal(s3.use_lockfile, true);
    assert.ok(!('dynamodb_table' in s3) && !('profile' in s3));
  });

  test(`${env}: Terraform >= 1.11 and hashicorp/aws >= 5.100, < 7.0`, () => {
    const v = m.terraform.find((t) => t.required_version);
    assert.equal(v.required_version, '>= 1.11');
    assert.deepEqual(v.required_providers[0].aws, { source: 'hashicorp/aws', version: '>= 5.100, < 7.0' });
    assert.ok(!('profile' in m.provider.aws), 'no AWS profile in the provider');
    assert.equal(m.provider.aws.region, 'eu-central-1');
  });

  test(`${env}: calls only the stack module, for environment ${env}`, () => {
    assert.deepEqual(Object.keys(m.module), ['stack']);
    assert.equal(m.module.stack.source, '../../modules/stack');
    assert.equal(m.locals.environment, env);
    assert.ok(isRef(m.module.stack.environment, 'local.environment'));
    assert.equal(stackInput(m, stack, 'environment'), env);
    assert.equal(stackInput(m, stack, 'app_env'), env === 'production' ? 'production' : 'development');
    assert.deepEqual(Object.keys(m.resource), [], 'resources belong in modules');
  });

  test(`${env}: backend_image is required and handed to the stack; inputs are typed, described and used`, () => {
    const img = m.variable.backend_image;
    assert.ok(img && !('default' in img), 'backend_image must have no default');
    assert.ok(isRef(m.module.stack.backend_image, 'var.backend_image'), 'the stack validates backend_image');
    const code = m.files.map((f) => read(path.join(m.dir, f))).join('\n');
    for (const [name, v] of Object.entries(m.variable)) {
      assert.ok(v.type && v.description, `variable ${name} must be typed and described`);
      assert.ok(code.includes(`var.${name}`), `variable ${name} is not used`);
    }
  });

  test(`${env}: outputs pass the stack's through`, () => {
    for (const o of REQUIRED_OUTPUTS) assert.ok(m.output[o], `output ${o} missing`);
    for (const [o, body] of Object.entries(m.output)) {
      assert.ok(isRef(body.value, `module.stack.${o}`), `output ${o} must be module.stack.${o}`);
      assert.ok(stack.output[o], `the stack has no output ${o}`);
      assert.ok(body.description, `output ${o} has no description`);
    }
  });

  test(`${env}: no plaintext secret in the container environment`, () => {
    const extra = m.module.stack.container_environment;
    if (extra !== undefined) for (const k of objectKeys(extra)) assert.doesNotMatch(k, SECRET_NAME, `environment variable ${k} looks secret`);
    assert.deepEqual(stackInput(m, stack, 'ssm_secret_names'), ['JWT_SECRET', 'JWT_REFRESH_SECRET', 'PAYSTACK_SECRET_KEY']);
  });

  test(`${env}: no state moves are carried (nothing was ever applied before the stack module)`, () => {
    assert.deepEqual(m.moved, []);
  });

  test(`${env}: per-environment values are committed (no terraform.tfvars), no account ids`, () => {
    assert.ok(!fs.existsSync(path.join(envDir(env), 'terraform.tfvars.example')), 'terraform.tfvars.example is gone');
    assert.deepEqual(Object.keys(m.variable).sort(), ['allowed_account_ids', 'backend_image', 'github_repository'],
      'only the image, the repository and the account guard are set per run');
    assert.equal(m.module.stack.db_login, 'app', 'the service logs in as the least-privileged app role');
    for (const k of ['certificate_arn', 'secrets_kms_key_arn', 'container_secrets', 'alarm_emails', 'db_login', 'github_environments']) {
      assert.ok(k in m.module.stack, `${k} is committed in envs/${env}/main.tf`);
      assert.ok(typeof m.module.stack[k] !== 'string' || !m.module.stack[k].startsWith('${var.'), `${k} is a literal, not a variable`);
    }
    assert.doesNotMatch(read(path.join(envDir(env), 'main.tf')), /(?<![\w-])\d{12}(?![\w-])/, 'no account ids');
    const lock = read(path.join(envDir(env), '.terraform.lock.hcl'));
    assert.match(lock, /provider "registry\.terraform\.io\/hashicorp\/aws" \{\s*version\s*=\s*"5\.100\.0"/, 'the lock file pins hashicorp/aws 5.100.0');
    assert.match(lock, /"h1:[A-Za-z0-9+/=]{40,}"/, 'with the hash of the tested package');
  });
}

test('each env trusts its own GitHub environment only for the deploy role (never a branch ref); production promotes from dev', async () => {
  for (const name of ENV_NAMES) {
    const call = (await loadDir(envDir(name))).module.stack;
    assert.deepEqual(call.github_environments, [name], `${name}: github_environments`);
    assert.ok(!('github_branches' in call), `${name}: no branch subjects`);
    assert.deepEqual(call.promote_images_from ?? [], name === 'production' ? ['dev'] : [], `${name}: promote_images_from`);
  }
  assert.ok(!('github_branches' in stack.variable), 'the stack has no branch input');
});
