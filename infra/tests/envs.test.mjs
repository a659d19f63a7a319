// dev and production: backend, versions, composition, inputs, outputs, container configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENV_NAMES, MODULE_NAMES, envDir, loadDir, isRef, expr, objectKeys, read } from './lib/hcl.mjs';

const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|API_KEY|_KEY$|^DATABASE_URL$|^REDIS_URL$/;
const CREDENTIALS_IN_URL = /:\/\/[^/@\s]*:[^/@\s]*@/;
const REQUIRED_OUTPUTS = ['api_url', 'alb_dns_name', 'ecr_repository_url', 'redis_primary_endpoint', 'database_endpoint',
  'ecs_cluster_name', 'ecs_service_name', 'deploy_role_arn'];

for (const env of ENV_NAMES) {
  const m = await loadDir(envDir(env));

  test(`${env}: S3 backend with native locking under backend/${env}/`, () => {
    const s3 = m.terraform.find((t) => t.backend)?.backend?.s3?.[0];
    assert.ok(s3, 'backend "s3" missing');
    assert.equal(s3.bucket, 'bet2wealth-terraform-state');
    assert.equal(s3.key, `backend/${env}/terraform.tfstate`);
    assert.equal(s3.region, 'eu-central-1');
    assert.equal(s3.use_lockfile, true);
    assert.ok(!('dynamodb_table' in s3) && !('profile' in s3));
  });

  test(`${env}: Terraform >= 1.11 and hashicorp/aws ~> 6.0`, () => {
    const v = m.terraform.find((t) => t.required_version);
    assert.equal(v.required_version, '>= 1.11');
    assert.deepEqual(v.required_providers[0].aws, { source: 'hashicorp/aws', version: '~> 6.0' });
    assert.ok(!('profile' in m.provider.aws), 'no AWS profile in the provider');
  });

  test(`${env}: every module is wired from ../../modules`, () => {
    const sources = Object.values(m.module).map((c) => c.source).sort();
    assert.deepEqual(sources, MODULE_NAMES.map((n) => `../../modules/${n}`).sort());
  });

  test(`${env}: backend_image is required and validated; inputs are typed and described`, () => {
    const img = m.variable.backend_image;
    assert.ok(!('default' in img), 'backend_image must have no default');
    assert.ok(img.validation, 'backend_image must be validated');
    for (const [name, v] of Object.entries(m.variable)) {
      assert.ok(v.type && v.description, `variable ${name} must be typed and described`);
    }
  });

  test(`${env}: outputs`, () => {
    for (const o of REQUIRED_OUTPUTS) assert.ok(m.output[o], `output ${o} missing`);
    assert.ok(isRef(m.output.deploy_role_arn.value, 'module.github_oidc.role_arn'));
    assert.ok(isRef(m.output.redis_primary_endpoint.value, 'module.redis.primary_endpoint_address'));
  });

  test(`${env}: no plaintext secret in the container environment`, () => {
    const keys = objectKeys(m.locals.default_environment);
    for (const k of keys) assert.doesNotMatch(k, SECRET_NAME, `environment variable ${k} looks secret`);
    for (const v of Object.values(m.locals.default_environment)) assert.doesNotMatch(String(v), CREDENTIALS_IN_URL);
    assert.ok(!keys.includes('REDIS_URL') && !keys.includes('DATABASE_URL'), 'URLs with credentials are assembled by the service');
    assert.match(expr(m.locals.container_environment), /^merge\(local\.default_environment, var\.container_environment\)$/);
    assert.ok(m.variable.container_environment.validation, 'extra environment is validated against secrets');
    assert.ok(isRef(m.module.ecs.container_environment, 'local.container_environment'));
  });

  test(`${env}: service configuration matches what the service reads`, () => {
    const e = m.locals.default_environment;
    assert.equal(e.PORT, '4000');
    assert.equal(e.APP_ENV, '${local.app_env}');
    assert.equal(m.locals.app_env, env === 'production' ? 'production' : 'development');
    assert.equal(e.ROOT_ENTRY, '/api/v1');
    assert.equal(e.TRUSTED_PROXY_HOPS, '1');
    for (const k of ['APP_NAME', 'APP_VERSION', 'HOST_URL', 'API_DOCS', 'LOG_LEVEL', 'JWT_EXPIRY', 'JWT_REFRESH_EXPIRY',
      'REDIS_POOL_MAX', 'REDIS_POOL_MIN', 'RATE_LIMIT_DURATION_SECONDS', 'RATE_LIMIT_PERMISSION_POINTS', 'PAYSTACK_BASE_URL']) {
      assert.ok(e[k], `${k} is set`);
    }
    assert.match(e.PAYSTACK_BASE_URL, /^https:\/\//);
    // Split connection settings; the service assembles REDIS_URL and DATABASE_URL from them.
    assert.ok(isRef(e.REDIS_HOST, 'module.redis.primary_endpoint_address'));
    assert.ok(e.REDIS_PORT && e.REDIS_TLS === 'true');
    assert.ok(isRef(e.DB_HOST, 'module.database.address'));
    for (const k of ['DB_PORT', 'DB_NAME', 'DB_USER']) assert.ok(e[k], `${k} is set`);
    assert.equal(e.DB_SSLMODE, 'verify-full');
    assert.ok(isRef(e.DB_SSLROOTCERT, 'var.db_ssl_root_cert_path'), 'the RDS CA bundle path for verify-full');
  });

  test(`${env}: secrets are injected by ARN (SSM /bet2wealth/${env}/*, Secrets Manager)`, () => {
    assert.deepEqual(m.variable.ssm_secret_names.default, ['JWT_SECRET', 'JWT_REFRESH_SECRET', 'PAYSTACK_SECRET_KEY']);
    assert.match(expr(m.locals.ssm_secrets), /n => "\$\{local\.ssm_parameter_prefix\}\/\$\{n\}"/);
    assert.ok(isRef(m.locals.data_store_secrets.REDIS_AUTH_TOKEN, 'module.redis.auth_token_secret_arn'));
    assert.equal(m.locals.data_store_secrets.DB_PASSWORD, '${module.database.master_user_secret_arn}:password::');
    assert.ok(isRef(m.module.ecs.container_secrets, 'local.container_secrets'));
    const validation = JSON.stringify(m.variable.container_secrets.validation);
    assert.ok(validation.includes(`parameter/bet2wealth/${env}/`), 'extra SSM secrets must stay under /bet2wealth/<env>/');
  });

  test(`${env}: terraform.tfvars.example has no secrets and no account ids`, () => {
    const file = path.join(envDir(env), 'terraform.tfvars.example');
    assert.ok(fs.existsSync(file), 'terraform.tfvars.example missing');
    const text = read(file);
    assert.match(text, /^backend_image\s*=/m);
    assert.doesNotMatch(text, /\b\d{12}\b/, 'no account ids');
    assert.doesNotMatch(text, /^\s*[A-Za-z_]*(password|secret|token)[A-Za-z_]*\s*=\s*"[^"]+"/im, 'no secret values');
  });
}

test('dev and production compose the same modules with the same wiring', async () => {
  const [dev, prod] = await Promise.all(ENV_NAMES.map((e) => loadDir(envDir(e))));
  assert.deepEqual(Object.keys(dev.module).sort(), Object.keys(prod.module).sort());
  for (const name of Object.keys(dev.module)) {
    assert.deepEqual(Object.keys(dev.module[name]).sort(), Object.keys(prod.module[name]).sort(), `module ${name} inputs differ`);
  }
});
