// Repository-wide rules: no account ids, no AWS profiles or keys, no mutable image tags, ignored files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { INFRA, filesUnder, read, rel } from './lib/hcl.mjs';

const code = filesUnder(/(\.tf|\.tfvars\.example)$/);
const tests = filesUnder(/\.(tftest|tfmock)\.hcl$/);
const docs = filesUnder(/\.md$/);

test('no hard-coded AWS account ids in code, examples or docs', () => {
  for (const file of [...code, ...docs]) {
    const hits = read(file).match(/(?<![\w-])\d{12}(?![\w-])/g);
    assert.equal(hits, null, `${rel(file)} contains what looks like an account id: ${hits}`);
  }
  // terraform test files may use only the documentation example account as mock data.
  for (const file of tests) {
    const ids = new Set(read(file).match(/(?<![\w-])\d{12}(?![\w-])/g) || []);
    ids.delete('123456789012');
    assert.equal(ids.size, 0, `${rel(file)} uses account ids other than the 123456789012 placeholder`);
  }
});

test('no AWS profiles, static credentials or private keys', () => {
  for (const file of [...code, ...tests]) {
    // terraform test files give the real provider fake keys (it plans only, with every lookup skipped).
    const text = file.endsWith('.tftest.hcl') ? read(file).replace(/^\s*(access_key|secret_key)\s*=\s*"mock_(access|secret)_key"\s*$/gm, '') : read(file);
    assert.doesNotMatch(text, /^\s*(profile|shared_credentials_files?|shared_config_files|access_key|secret_key|token)\s*=/m, `${rel(file)} configures credentials`);
    assert.doesNotMatch(text, /\b(AKIA|ASIA)[A-Z0-9]{16}\b/, `${rel(file)} contains an access key id`);
    assert.doesNotMatch(text, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, `${rel(file)} contains a private key`);
  }
});

test('no literal passwords or auth tokens in resources', () => {
  for (const file of code.filter((f) => f.endsWith('.tf'))) {
    const text = read(file);
    assert.doesNotMatch(text, /^\s*(password|master_password|auth_token)\s*=\s*"(?!\$\{)/m, `${rel(file)} sets a literal secret`);
  }
});

test('no mutable :latest images (except in runs that expect the refusal)', () => {
  for (const file of code) assert.doesNotMatch(read(file), /[\w.\/-]:latest"/, rel(file));
  for (const file of tests) {
    for (const run of read(file).split(/^run "/m).slice(1)) {
      if (/[\w.\/-]:latest"/.test(run)) assert.match(run, /expect_failures/, `${rel(file)}: a run uses :latest without expecting a failure`);
    }
  }
});

test('.gitignore keeps node_modules, Terraform working files and state out of git', () => {
  const ignore = read(path.join(INFRA, '.gitignore'));
  for (const p of ['node_modules/', '.terraform/', '*.tfstate', '*.tfstate.*', '.terraform.lock.hcl', '*.tfvars', '*_override.tf']) {
    assert.ok(ignore.split('\n').includes(p), `.gitignore lacks ${p}`);
  }
  // The applied roots commit their lock file (the provider version the checks ran with).
  for (const p of ['!/envs/*/.terraform.lock.hcl', '!/bootstrap/.terraform.lock.hcl']) {
    assert.ok(ignore.split('\n').includes(p), `.gitignore lacks ${p}`);
  }
});

test('bootstrap: the state bucket (versioned, encrypted, private, TLS-only, kept) and the one OIDC provider', async () => {
  const { loadDir, resource, block } = await import('./lib/hcl.mjs');
  const b = await loadDir(path.join(INFRA, 'bootstrap'));
  assert.equal(block(resource(b, 'aws_s3_bucket', 'state'), 'lifecycle').prevent_destroy, true);
  assert.equal(block(resource(b, 'aws_s3_bucket_versioning', 'state'), 'versioning_configuration').status, 'Enabled');
  const sids = b.data.aws_iam_policy_document.state.statement.map((s) => `${s.sid}:${s.effect}`).sort();
  assert.deepEqual(sids, ['DenyCustomerProvidedKeys:Deny', 'DenyInsecureTransport:Deny', 'DenyOtherEncryption:Deny']);
  assert.equal(resource(b, 'aws_iam_openid_connect_provider', 'github').url, 'https://token.actions.githubusercontent.com');
  const backend = b.terraform.find((t) => t.backend)?.backend?.s3?.[0];
  assert.equal(backend.key, 'bootstrap/terraform.tfstate', 'outside the deploy roles\' backend/<env>/ prefix');
});
