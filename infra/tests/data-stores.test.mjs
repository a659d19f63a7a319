// ElastiCache Redis and RDS PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENV_NAMES, STACK, moduleDir, envDir, loadDir, resource, resources, resolve, stackInput, isRef, expr } from './lib/hcl.mjs';

const redis = await loadDir(moduleDir('redis'));
const db = await loadDir(moduleDir('database'));
const stack = await loadDir(moduleDir(STACK));
const envs = Object.fromEntries(await Promise.all(ENV_NAMES.map(async (e) => [e, await loadDir(envDir(e))])));

function onlyFromAllowedGroups(model, port) {
  const rules = resources(model, 'aws_vpc_security_group_ingress_rule');
  assert.equal(rules.length, 1, 'one ingress rule resource');
  const [, rule] = rules[0];
  assert.match(expr(rule.referenced_security_group_id), /^var\.allowed_security_group_ids\[count\.index\]$/);
  assert.ok(!rule.cidr_ipv4 && !rule.cidr_ipv6 && !rule.prefix_list_id, 'no CIDR ingress');
  assert.ok(isRef(rule.from_port, 'var.port') && isRef(rule.to_port, 'var.port'));
  assert.equal(model.variable.port.default, port);
  assert.equal(resources(model, 'aws_security_group_rule').length, 0);
}

test('Redis ingress: 6379 from the ECS security group only', () => {
  onlyFromAllowedGroups(redis, 6379);
  assert.deepEqual(stack.module.redis.allowed_security_group_ids, ['${module.ecs.security_group_id}']);
});

test('Redis: 7.x replication group, 2 nodes in 2 AZs, Multi-AZ, failover, both encryption flags, secret auth token', () => {
  const rg = resource(redis, 'aws_elasticache_replication_group', 'this');
  assert.equal(rg.at_rest_encryption_enabled, true);
  assert.equal(rg.transit_encryption_enabled, true);
  assert.equal(rg.transit_encryption_mode, 'required');
  assert.equal(rg.multi_az_enabled, true);
  assert.equal(rg.automatic_failover_enabled, true);
  assert.match(resolve(redis, rg.engine_version), /^7\./);
  assert.equal(resolve(redis, rg.num_cache_clusters), 2);
  assert.deepEqual(redis.variable.availability_zones.default, ['eu-central-1a', 'eu-central-1b']);
  assert.ok(isRef(rg.auth_token, 'data.aws_secretsmanager_secret_version.auth_token.secret_string'), 'auth token comes from Secrets Manager');
  assert.ok(isRef(resource(redis, 'aws_elasticache_subnet_group', 'this').subnet_ids, 'var.subnet_ids'));
  assert.ok(isRef(stack.module.redis.subnet_ids, 'module.network.private_subnet_ids'), 'stack: Redis in private subnets');
  assert.ok(isRef(stack.module.redis.auth_token_secret_arn, 'data.aws_secretsmanager_secret.redis_auth_token.arn'), 'stack: token secret');
});

test('PostgreSQL ingress: 5432 from the ECS security group only', () => {
  onlyFromAllowedGroups(db, 5432);
  assert.deepEqual(stack.module.database.allowed_security_group_ids, ['${module.ecs.security_group_id}']);
});

test('PostgreSQL 16: private, encrypted, RDS-managed password, backups, forced SSL', () => {
  const inst = resource(db, 'aws_db_instance', 'this');
  assert.equal(inst.engine, 'postgres');
  assert.match(resolve(db, inst.engine_version), /^16/);
  assert.equal(inst.storage_encrypted, true);
  assert.equal(inst.publicly_accessible, false);
  assert.equal(inst.manage_master_user_password, true);
  assert.ok(!('password' in inst) && !('password_wo' in inst), 'no password in code');
  assert.ok(resolve(db, inst.backup_retention_period) >= 1);
  assert.ok(isRef(inst.multi_az, 'var.multi_az') && isRef(inst.deletion_protection, 'var.deletion_protection'));
  assert.match(expr(inst.skip_final_snapshot), /!var\.final_snapshot/);
  const params = expr(db.locals.parameters);
  assert.match(params, /"rds\.force_ssl"\s*=\s*\{\s*value\s*=\s*"1"/);
  assert.match(resource(db, 'aws_db_parameter_group', 'this').family, /^postgres\$\{local\.major_version\}$/);
  assert.ok(isRef(resource(db, 'aws_db_subnet_group', 'this').subnet_ids, 'var.subnet_ids'));
});

test('production: Multi-AZ, deletion protection and final snapshot on; dev may save money', () => {
  const prod = envs.production;
  for (const v of ['db_multi_az', 'db_deletion_protection', 'db_final_snapshot']) {
    assert.equal(prod.module.stack[v], true, `production sets ${v} = true`);
    assert.equal(stack.variable[v].default, true, `stack default of ${v}`);
    // The stack refuses environment = "production" with the guard off, whatever the caller passes.
    const conditions = (stack.variable[v].validation || []).map((c) => expr(c.condition));
    assert.ok(conditions.includes(`var.environment != "production" || var.${v}`), `the stack enforces ${v} in production`);
  }
  assert.equal(stackInput(prod, stack, 'environment'), 'production');
  assert.ok(isRef(stack.module.database.multi_az, 'var.db_multi_az'));
  assert.ok(isRef(stack.module.database.deletion_protection, 'var.db_deletion_protection'));
  assert.ok(isRef(stack.module.database.final_snapshot, 'var.db_final_snapshot'));
  assert.ok(isRef(stack.module.database.subnet_ids, 'module.network.private_subnet_ids'), 'stack: database in private subnets');
  assert.equal(stackInput(envs.dev, stack, 'db_multi_az'), false, 'dev saves the standby');
});
