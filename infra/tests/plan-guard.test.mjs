// The deploy's plan guard (infra/scripts/plan-guard.mjs) on fixture plans in the shape of
// `terraform show -json` (tests/fixtures/plans/). The emulated apply checks it on real plans too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { INFRA } from './lib/hcl.mjs';
import { judge, changedAttributes } from '../scripts/plan-guard.mjs';

const FIXTURES = path.join(INFRA, 'tests', 'fixtures', 'plans');
const GUARD = path.join(INFRA, 'scripts', 'plan-guard.mjs');
const plan = (name) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
const run = (...args) => spawnSync(process.execPath, [GUARD, ...args], { encoding: 'utf8' });

test('a new task definition revision and the service pointing at it: accepted', () => {
  for (const name of ['deploy-only.json', 'first-revision.json']) {
    const v = judge(plan(name));
    assert.equal(v.accepted, true, name);
    assert.deepEqual(v.deploys.map((rc) => rc.type).sort(), ['aws_ecs_service', 'aws_ecs_task_definition'], name);
  }
  const r = run(path.join(FIXTURES, 'deploy-only.json'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /accepted: the plan changes only the task definitions and the service/);
});

const MIGRATE = 'module.stack.module.ecs.aws_ecs_task_definition.one_off["migrate"]';

test('one-off task definitions (migrate, db-roles) get new revisions with the service\'s: accepted', () => {
  const v = judge(plan('deploy-with-one-offs.json'));
  assert.equal(v.accepted, true);
  assert.deepEqual(v.deploys.map((rc) => rc.address), [
    'module.stack.module.ecs.aws_ecs_task_definition.backend',
    'module.stack.module.ecs.aws_ecs_task_definition.one_off["db-roles"]',
    'module.stack.module.ecs.aws_ecs_service.backend',
  ]);
});

test('--only <migrate task definition>: its new revision alone is accepted; the service or anything else is not', () => {
  const r = run('--only', MIGRATE, path.join(FIXTURES, 'migrate-only.json'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /accepted: the plan changes only module\.stack\.module\.ecs\.aws_ecs_task_definition\.one_off\["migrate"\]\.\n\s+module\.stack\.module\.ecs\.aws_ecs_task_definition\.one_off\["migrate"\]: delete, create/);
  // The full deploy plan is not a migrate-only plan: the service must not roll before the migration.
  const full = judge(plan('deploy-with-one-offs.json'), { only: MIGRATE });
  assert.equal(full.accepted, false);
  assert.deepEqual(full.refused.map(({ rc }) => rc.address), [
    'module.stack.module.ecs.aws_ecs_task_definition.backend',
    'module.stack.module.ecs.aws_ecs_task_definition.one_off["db-roles"]',
    'module.stack.module.ecs.aws_ecs_service.backend',
  ]);
  assert.match(full.refused[0].why, /^not module\.stack\.module\.ecs\.aws_ecs_task_definition\.one_off\["migrate"\]$/);
  // A dependency of the target that changed (the log group) is refused too, with its diff.
  const dep = run('--only', MIGRATE, path.join(FIXTURES, 'migrate-and-log-group.json'));
  assert.equal(dep.status, 1);
  assert.match(dep.stdout, /REFUSED: this plan changes more than module\.stack\.module\.ecs\.aws_ecs_task_definition\.one_off\["migrate"\]/);
  assert.match(dep.stdout, /aws_cloudwatch_log_group\.backend: update\n\s+retention_in_days: 14 -> 30/);
  // Nothing to change (the migration's revision already runs this image): accepted.
  assert.equal(judge(plan('no-change.json'), { only: MIGRATE }).accepted, true);
  // --only names a task definition, and the plan file follows it.
  assert.equal(run('--only', 'module.stack.module.ecs.aws_ecs_service.backend', path.join(FIXTURES, 'migrate-only.json')).status, 2);
  assert.equal(run('--only', MIGRATE).status, 2);
});

test('no change at all (the same image again): accepted', () => {
  const v = judge(plan('no-change.json'));
  assert.equal(v.accepted, true);
  assert.equal(v.deploys.length, 0);
  assert.match(run(path.join(FIXTURES, 'no-change.json')).stdout, /no change/);
});

test('a deploy that also changes a security group rule: refused, with the attribute diff shown', () => {
  const v = judge(plan('deploy-and-security-group.json'));
  assert.equal(v.accepted, false);
  assert.deepEqual(v.refused.map(({ rc }) => rc.address), ['module.stack.module.ecs.aws_vpc_security_group_egress_rule.data_stores["redis"]']);
  const r = run(path.join(FIXTURES, 'deploy-and-security-group.json'));
  assert.equal(r.status, 1);
  assert.match(r.stdout, /REFUSED/);
  assert.match(r.stdout, /data_stores\["redis"\]: update\n\s+from_port: 6379 -> 0\n\s+to_port: 6379 -> 65535/);
});

test('a service change beyond its task definition (grace period, public IP): refused', () => {
  const v = judge(plan('service-setting.json'));
  assert.equal(v.accepted, false);
  assert.equal(v.refused.length, 1);
  assert.match(v.refused[0].why, /changes health_check_grace_period_seconds, network_configuration/);
});

test('a replaced service and a deleted database: refused', () => {
  assert.match(judge(plan('service-replaced.json')).refused[0].why, /action delete\+create is not a deploy/);
  const v = judge(plan('database-deleted.json'));
  assert.equal(v.accepted, false);
  assert.deepEqual(v.refused.map(({ rc }) => rc.type), ['aws_db_instance']);
  assert.match(run(path.join(FIXTURES, 'database-deleted.json')).stdout, /aws_db_instance\.this: delete/);
});

test('drift is reported, not judged; an errored or unreadable plan is an error (exit 2)', () => {
  const v = judge(plan('drift-noted.json'));
  assert.equal(v.accepted, true);
  assert.deepEqual(v.drift.map((d) => d.address), ['module.stack.module.alb.aws_lb.this']);
  assert.match(run(path.join(FIXTURES, 'drift-noted.json')).stdout, /note: changed outside Terraform since the last apply: module\.stack\.module\.alb\.aws_lb\.this/);
  assert.throws(() => judge(plan('errored.json')), /errored/);
  assert.equal(run(path.join(FIXTURES, 'errored.json')).status, 2);
  assert.equal(run(path.join(FIXTURES, 'does-not-exist.json')).status, 2);
  assert.equal(run().status, 2);
});

test('changed attributes: values that differ and values known only after apply', () => {
  assert.deepEqual(changedAttributes({ before: { a: 1, b: [1], c: 'x' }, after: { a: 1, b: [2] }, after_unknown: { d: true } }), ['b', 'c', 'd']);
  assert.deepEqual(changedAttributes({ before: null, after: { a: 1 }, after_unknown: {} }), ['a']);
});

test('deploys migrate first (targeted plan, guard --only, apply, run-task), then plan -out, guard, apply of that saved plan', () => {
  const script = fs.readFileSync(path.join(INFRA, 'scripts', 'deploy-terraform.sh'), 'utf8');
  const at = (re) => script.search(re);
  assert.match(script, /^migrate='module\.stack\.module\.ecs\.aws_ecs_task_definition\.one_off\["migrate"\]'$/m);
  const init = at(/terraform -chdir="\$root" init [^\n]*-lockfile=readonly/);
  const mplan = at(/terraform -chdir="\$root" plan [^\n]*-target="\$migrate" -out="\$work\/migrate\.tfplan"/);
  const mshow = at(/terraform -chdir="\$root" show -json "\$work\/migrate\.tfplan"/);
  const mguard = at(/node "\$here\/plan-guard\.mjs" --only "\$migrate" "\$work\/migrate\.json"/);
  const mapply = at(/terraform -chdir="\$root" apply [^\n]*"\$work\/migrate\.tfplan"/);
  const migrateRun = at(/"\$here\/run-task\.sh" --expect-image "\$image" [^\n]*"\$root" migrate/);
  const plan = at(/terraform -chdir="\$root" plan [^\n]*-out="\$work\/deploy\.tfplan"/);
  const show = at(/terraform -chdir="\$root" show -json "\$work\/deploy\.tfplan"/);
  const guard = at(/node "\$here\/plan-guard\.mjs" "\$work\/deploy\.json"/);
  const apply = at(/terraform -chdir="\$root" apply [^\n]*"\$work\/deploy\.tfplan"/);
  const order = [init, mplan, mshow, mguard, mapply, migrateRun, plan, show, guard, apply];
  assert.ok(order.every((p, i) => p >= 0 && (i === 0 || order[i - 1] < p)),
    'init (locked); targeted plan -out, show -json, guard --only, apply, the migrate task; plan -out, show -json, guard, apply of the saved plan');
  assert.equal((script.match(/^terraform [^\n]*-target=/gm) || []).length, 1, 'only the migrate plan is targeted');
  assert.match(script, /^set -euo pipefail$/m, 'a refused plan or a failed migration stops the script before the service update');
  assert.doesNotMatch(script, /-auto-approve/, 'no apply of a fresh, unchecked plan');
  assert.match(script, /\*@sha256:\*\) ;;/, 'images are pinned by digest');

  const wf = fs.readFileSync(path.join(INFRA, '..', '.github', 'workflows', 'deploy.yml'), 'utf8');
  assert.equal((wf.match(/infra\/scripts\/deploy-terraform\.sh (dev|production) "\$(image|IMAGE)"/g) || []).length, 2, 'dev and production deploy through it');
  assert.doesNotMatch(wf, /terraform -chdir=\S+ apply\b/, 'the workflow never applies on its own');
  assert.match(wf, /skopeo copy --preserve-digests [^\n]*"docker:\/\/\$source@\$DIGEST"/, 'production copies the digest dev tested');
  assert.match(wf, /needs: \[build, dev\]\n\s+if: github\.ref_name == 'main'/, 'production waits for dev (and its smoke test), on main only');
  for (const job of ['build', 'dev', 'production']) {
    assert.match(wf, new RegExp(`\\n  ${job}:\\n(?:    .*\\n)*?    environment:(?: ${job === 'production' ? 'production' : 'dev'}|\\n      name: ${job === 'production' ? 'production' : 'dev'})`), `${job} runs in its GitHub environment (the OIDC subject the role trusts)`);
  }
  assert.match(wf, /sha256sum deploy\/certs\/rds-global-bundle\.pem/, 'the RDS CA bundle is verified by checksum');
});
