// Every .tf file parses; every module has the terraform-aws-modules file set; variables are typed,
// described and (per module) validated; outputs are described; every module and environment has
// terraform test files with a mocked provider (shared mock data in modules/stack/tests/mocks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { INFRA, ALL_MODULES, ENV_NAMES, moduleDir, envDir, filesUnder, parseFile, loadDir, rel, read } from './lib/hcl.mjs';

test('every .tf and .tftest.hcl file parses (the emulator stand-in\'s *.tf.emulator too)', async () => {
  const files = filesUnder(/\.(tf|tftest\.hcl|tf\.emulator)$/);
  assert.ok(files.length >= 50, `expected the full tree, found ${files.length} files`);
  for (const file of files) {
    await assert.doesNotReject(parseFile(file), `${rel(file)} does not parse`);
  }
});

test('the modules directory holds exactly the expected modules', () => {
  const dirs = fs.readdirSync(path.join(INFRA, 'modules'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  assert.deepEqual(dirs.sort(), [...ALL_MODULES].sort());
});

for (const name of ALL_MODULES) {
  test(`module ${name}: file set, typed/described/validated variables, described outputs`, async () => {
    const dir = moduleDir(name);
    for (const f of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md']) {
      assert.ok(fs.existsSync(path.join(dir, f)), `modules/${name}/${f} is missing`);
    }
    const m = await loadDir(dir);
    const vars = Object.entries(m.variable);
    assert.ok(vars.length > 0, `modules/${name} declares no variables`);
    for (const [v, body] of vars) {
      assert.ok(body.type, `modules/${name}: variable ${v} has no type`);
      assert.ok(typeof body.description === 'string' && body.description.length > 10, `modules/${name}: variable ${v} has no description`);
    }
    assert.ok(vars.some(([, b]) => b.validation), `modules/${name}: no variable has a validation block`);
    assert.ok(Object.keys(m.output).length > 0, `modules/${name} has no outputs`);
    for (const [o, body] of Object.entries(m.output)) {
      assert.ok(body.description, `modules/${name}: output ${o} has no description`);
    }
    const tf = m.terraform.find((t) => t.required_version);
    assert.match(tf?.required_version ?? '', />=\s*1\.1[1-9]/, `modules/${name}: required_version must be >= 1.11`);
    assert.equal(tf.required_providers?.[0]?.aws?.source, 'hashicorp/aws');
    const readme = read(path.join(dir, 'README.md'));
    for (const v of Object.keys(m.variable)) assert.ok(readme.includes(v), `modules/${name}/README.md does not document input ${v}`);
    for (const o of Object.keys(m.output)) assert.ok(readme.includes(o), `modules/${name}/README.md does not document output ${o}`);
  });
}

// Data sources that would call AWS in a plan: the only ones a test may override. Everything else is
// the real provider's own plan (aws_iam_policy_document renders real JSON, aws_region and
// aws_partition come from the provider's configuration).
const NETWORK_DATA_SOURCES = ['aws_caller_identity', 'aws_route53_zone', 'aws_secretsmanager_secret',
  'aws_secretsmanager_secret_version', 'aws_iam_openid_connect_provider'];

for (const dir of [...ALL_MODULES.map(moduleDir), ...ENV_NAMES.map(envDir), path.join(INFRA, 'bootstrap')]) {
  test(`${rel(dir)}: terraform test files on the real provider (no mock_provider), overriding network data sources only`, () => {
    const tests = filesUnder(/\.tftest\.hcl$/, dir);
    assert.ok(tests.length > 0, `${rel(dir)} has no *.tftest.hcl`);
    for (const file of tests) {
      const text = read(file);
      assert.doesNotMatch(text, /^\s*mock_provider\b|^\s*override_resource\b|^\s*override_module\b/m, `${rel(file)} mocks what the real provider should plan`);
      assert.match(text, /^provider "aws" \{[^}]*skip_credentials_validation\s*=\s*true[^}]*skip_requesting_account_id\s*=\s*true[^}]*\}/m,
        `${rel(file)} configures the real provider without credential or account lookups`);
      for (const [, target] of text.matchAll(/^\s*target\s*=\s*(\S+)/gm)) {
        const type = /data\.(aws_[a-z0-9_]+)\./.exec(target)?.[1];
        assert.ok(type && NETWORK_DATA_SOURCES.includes(type), `${rel(file)}: override of ${target} (only data sources that call AWS may be overridden)`);
      }
      assert.match(text, /^run "/m, `${rel(file)} has no run block`);
      assert.match(text, /command\s*=\s*plan/, `${rel(file)} should plan only`);
      assert.doesNotMatch(text, /command\s*=\s*apply/, `${rel(file)} should plan only (the emulated apply is tests/emulator)`);
    }
  });
}

test('module README input/output tables are up to date (node infra/tests/gen-docs.mjs)', () => {
  assert.doesNotThrow(() => execFileSync(process.execPath, [path.join(INFRA, 'tests', 'gen-docs.mjs'), '--check'], { stdio: 'pipe' }));
});

test('infra/README.md: Mermaid diagram matches the code; bootstrap, deploy, costs, URL assembly documented', () => {
  const readme = read(path.join(INFRA, 'README.md'));
  const mermaid = readme.match(/```mermaid\n([^]*?)```/)?.[1];
  assert.ok(mermaid, 'no Mermaid diagram');
  for (const s of ['10.0.0.0/16', '10.0.1.0/24', '10.0.11.0/24', 'NAT gateway', 'Internet gateway', 'Application Load Balancer',
    '/api/v1/health-check', 'type ip', ':4000', 'desired 2', 'no public IP', 'Redis 7', 'PostgreSQL 16', 'TCP 6379', 'TCP 5432',
    '/ecs/backend-logs-', 'ECR bet2wealth-backend-', '/bet2wealth/', 'Secrets Manager', 'execution role', 'task role', 'OIDC']) {
    assert.ok(mermaid.includes(s), `the diagram does not show ${s}`);
  }
  for (const heading of ['## Bootstrapping', '## Deploying', '## Costs that matter', '## Trade-offs', '### How the task assembles REDIS_URL and DATABASE_URL']) {
    assert.ok(readme.includes(heading), `README lacks "${heading}"`);
  }
  for (const v of ['REDIS_HOST', 'REDIS_PORT', 'REDIS_TLS', 'REDIS_AUTH_TOKEN', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_SSLMODE', 'DB_SSLROOTCERT']) {
    assert.ok(readme.includes(`\`${v}\``), `README does not document ${v}`);
  }
});
