#!/usr/bin/env node
// The deploy's plan guard: reads `terraform show -json <saved plan>` and accepts the plan only when a
// deploy is all it does, i.e. when the only resources it changes are the ECS task definitions (a new
// revision: create, or replace, of the service's task definition and of the one-off tasks', e.g. the
// migration's) and the ECS service (an in-place update of its task_definition and nothing else).
// Anything else (networking, data stores, IAM, a service setting, a deletion) fails, and the script
// prints what would change, attribute by attribute, so a person can apply it deliberately. No change
// at all is accepted (a re-run of the same image).
//
// --only <address>: the plan may change that one task definition and nothing else, not even the
// service. A deploy first applies the migration's task definition alone (terraform plan
// -target=<address>), runs it, and only then plans the rest (infra/scripts/deploy-terraform.sh).
//
// Usage: node infra/scripts/plan-guard.mjs [--only <task definition address>] plan.json
//        terraform show -json tfplan | node infra/scripts/plan-guard.mjs -
// Exit: 0 accepted, 1 refused, 2 unreadable input or bad usage. Tested by infra/tests/plan-guard.test.mjs
// (fixtures) and by infra/tests/emulator/run.sh (real plans against moto).
import fs from 'node:fs';

const NEW_REVISION = [['create'], ['delete', 'create'], ['create', 'delete']];

// Resource types a deploy may change, by type and name (any module path), and how.
export const DEPLOYABLE = [
  { type: 'aws_ecs_task_definition', name: 'backend', actions: NEW_REVISION },
  { type: 'aws_ecs_task_definition', name: 'one_off', actions: NEW_REVISION },
  { type: 'aws_ecs_service', name: 'backend', actions: [['update']], attributes: ['task_definition'] },
];

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Top-level attributes whose value differs between before and after (unknown after-values count).
export function changedAttributes(change) {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknown = change.after_unknown ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys].filter((k) => unknown[k] === true || !same(before[k], after[k])).sort();
}

const short = (v) => {
  const s = v === undefined ? '(none)' : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};

function describe(rc) {
  const lines = [`  ${rc.address}: ${rc.change.actions.join(', ')}`];
  if (rc.change.actions.includes('update') || rc.change.actions.length === 2) {
    const unknown = rc.change.after_unknown ?? {};
    for (const k of changedAttributes(rc.change)) {
      const after = unknown[k] === true ? '(known after apply)' : short(rc.change.after?.[k]);
      lines.push(`      ${k}: ${short(rc.change.before?.[k])} -> ${after}`);
    }
  }
  return lines.join('\n');
}

// { accepted, deploys, refused, drift }: the plan's resource changes sorted into what a deploy may do
// and what it may not. only: the address of the one task definition the plan may change.
export function judge(plan, { only } = {}) {
  if (!plan || !Array.isArray(plan.resource_changes ?? [])) throw new Error('not a terraform plan (no resource_changes)');
  if (plan.errored) throw new Error('the plan errored');
  const deploys = [];
  const refused = [];
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change?.actions ?? [];
    if (same(actions, ['no-op']) || same(actions, ['read'])) continue;
    const rule = DEPLOYABLE.find((r) => r.type === rc.type && r.name === rc.name && rc.mode === 'managed'
      && (only === undefined || (r.type === 'aws_ecs_task_definition' && rc.address === only)));
    const allowedAction = rule && rule.actions.some((a) => same(a, actions));
    const extra = rule?.attributes ? changedAttributes(rc.change).filter((k) => !rule.attributes.includes(k)) : [];
    if (allowedAction && extra.length === 0) deploys.push(rc);
    else refused.push({ rc, why: !rule ? (only === undefined ? 'not part of a deploy' : `not ${only}`) : !allowedAction ? `action ${actions.join('+')} is not a deploy` : `changes ${extra.join(', ')}` });
  }
  const drift = (plan.resource_drift ?? []).filter((d) => !same(d.change?.actions, ['no-op']));
  return { accepted: refused.length === 0, deploys, refused, drift };
}

function main(argv) {
  const args = argv.slice(2);
  let only;
  if (args[0] === '--only') {
    only = args[1];
    args.splice(0, 2);
    if (!/^(module\.[A-Za-z0-9_-]+(\["[^"]*"\])?\.)*aws_ecs_task_definition\.[A-Za-z0-9_-]+(\["[^"]*"\])?$/.test(only ?? '')) {
      console.error(`plan-guard: --only takes the address of a task definition, not '${only ?? ''}'`);
      return 2;
    }
  }
  const file = args[0];
  if (!file || args.length !== 1) {
    console.error('usage: plan-guard.mjs [--only <task definition address>] <plan.json | ->');
    return 2;
  }
  let plan;
  try {
    plan = JSON.parse(fs.readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (e) {
    console.error(`plan-guard: cannot read ${file}: ${e.message}`);
    return 2;
  }
  let verdict;
  try {
    verdict = judge(plan, { only });
  } catch (e) {
    console.error(`plan-guard: ${e.message}`);
    return 2;
  }
  for (const d of verdict.drift) console.log(`plan-guard: note: changed outside Terraform since the last apply: ${d.address}`);
  const scope = only === undefined ? 'the task definitions and the service' : only;
  if (!verdict.accepted) {
    console.log(`plan-guard: REFUSED: this plan changes more than ${scope}.`);
    console.log('Apply it deliberately (an administrator, terraform apply in infra/envs/<env>), then deploy again.');
    console.log('Not part of a deploy:');
    for (const { rc, why } of verdict.refused) console.log(`${describe(rc)}\n      (${why})`);
    if (verdict.deploys.length) console.log('Deploy changes (allowed):');
    for (const rc of verdict.deploys) console.log(describe(rc));
    return 1;
  }
  if (verdict.deploys.length === 0) console.log('plan-guard: accepted: no change (this image is already deployed).');
  else {
    console.log(`plan-guard: accepted: the plan changes only ${scope}.`);
    for (const rc of verdict.deploys) console.log(describe(rc));
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv);
