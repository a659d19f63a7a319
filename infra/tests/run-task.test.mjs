// infra/scripts/run-task.sh: its verdict on `aws ecs describe-tasks` answers recorded in AWS's shape
// (tests/fixtures/tasks/), and the whole script against moto (when moto_server, aws and terraform are
// installed): run-task with the outputs of a Terraform state, a task that ends (stopped from outside,
// as a container exiting), one that outlives --timeout (stopped by the script, its log lines printed).
// moto's tasks never exit on their own with a code other than 0, hence the recorded answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { INFRA, ENV_NAMES, envDir, loadDir } from './lib/hcl.mjs';

const SCRIPT = path.join(INFRA, 'scripts', 'run-task.sh');
const TASKS = path.join(INFRA, 'tests', 'fixtures', 'tasks');

// Sourced (not run: $0 is not the script), the script only defines its functions.
const verdict = (fixture, container = 'backend') => spawnSync('bash', ['-c', 'source "$1"; task_verdict "$2" <"$3"', 'verdict', SCRIPT, container, path.join(TASKS, fixture)], { encoding: 'utf8' });

test('verdict: STOPPED with the container\'s exit code 0 succeeds; not stopped yet is running', () => {
  const ok = verdict('exit-0.json');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'succeeded exit code 0; stopCode EssentialContainerExited; stoppedReason: Essential container in task exited');
  assert.equal(verdict('running.json').stdout.trim(), 'running RUNNING');
  assert.equal(verdict('pending.json').stdout.trim(), 'running PENDING');
});

test('verdict: another exit code, none (the task never started), a stopped task or an unknown one fail, saying why', () => {
  assert.match(verdict('exit-1.json').stdout, /^failed exit code 1; stopCode EssentialContainerExited; stoppedReason: Essential container in task exited\n$/);
  assert.match(verdict('stopped-by-user.json').stdout, /^failed exit code 143; stopCode UserInitiated; stoppedReason: run-task\.sh: timed out/);
  const pull = verdict('cannot-pull.json').stdout;
  assert.match(pull, /^failed no exit code \(the container did not run to its end\); stopCode TaskFailedToStart; stoppedReason: CannotPullContainerError: /);
  assert.match(pull, /; container: CannotPullContainerError: /);
  assert.match(verdict('secret-missing.json').stdout, /^failed no exit code .*stoppedReason: ResourceInitializationError: unable to pull secrets .*AWSCURRENT\n$/);
  assert.match(verdict('missing.json').stdout, /^failed the task is unknown to ECS \(arn:aws:ecs:[^ ]+ MISSING/);
  assert.match(verdict('exit-0.json', 'sidecar').stdout, /^failed no container sidecar in the task/);
});

test('the outputs run-task.sh reads exist in every environment', async () => {
  const script = fs.readFileSync(SCRIPT, 'utf8');
  const names = [...new Set([...script.matchAll(/'\.([a-z_]+)\.value/g)].map((m) => m[1]))].sort();
  assert.deepEqual(names, ['ecs_cluster_name', 'ecs_private_subnet_ids', 'ecs_security_group_id', 'one_off_task_families']);
  for (const env of ENV_NAMES) {
    const m = await loadDir(envDir(env));
    for (const n of names) assert.ok(m.output[n], `envs/${env} has no output ${n}`);
  }
});

test('usage errors exit 2 without calling AWS', () => {
  assert.equal(spawnSync('bash', [SCRIPT], { encoding: 'utf8' }).status, 2);
  assert.equal(spawnSync('bash', [SCRIPT, 'dev'], { encoding: 'utf8' }).status, 2);
  assert.equal(spawnSync('bash', [SCRIPT, '--timeout', 'soon', 'dev', 'migrate'], { encoding: 'utf8' }).status, 2);
  const r = spawnSync('bash', [SCRIPT, 'staging', 'migrate'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no environment staging/);
});

// ---------------------------------------------------------------- against moto
const have = (cmd) => spawnSync('bash', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['moto_server', 'aws', 'terraform', 'jq'].filter((c) => !have(c));

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('run-task.sh against moto: the service\'s subnets and security group, the task\'s end, a timeout', { skip: missing.length ? `${missing.join(', ')} not installed` : false, timeout: 300_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-task-test-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: true });
  t.after(() => { try { process.kill(-moto.pid); } catch { /* gone */ } fs.rmSync(dir, { recursive: true, force: true }); });
  fs.writeFileSync(path.join(dir, 'terraformrc'), '');
  const env = {
    ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'moto', AWS_SECRET_ACCESS_KEY: 'moto', AWS_DEFAULT_REGION: 'eu-central-1',
    AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', TF_CLI_CONFIG_FILE: path.join(dir, 'terraformrc'),
    RUN_TASK_POLL_SECONDS: '1', RUN_TASK_LOG_LINES: '2', GITHUB_RUN_ID: '4242',
  };
  delete env.AWS_PROFILE; delete env.AWS_SESSION_TOKEN;
  const aws = (...args) => JSON.parse(execFileSync('aws', [...args, '--output', 'json'], { env, encoding: 'utf8' }) || 'null');
  for (let i = 0; ; i++) {
    try { await fetch(`${endpoint}/moto-api/`); break; } catch { if (i > 100) throw new Error('moto_server did not start'); await sleep(200); }
  }
  // Tasks stay RUNNING until stopped (moto otherwise moves them on by one state per describe).
  await fetch(`${endpoint}/moto-api/state-manager/set-transition`, { method: 'POST', body: JSON.stringify({ model_name: 'ecs::task', transition: { progression: 'manual', times: 1000000 } }) });

  // What the stack's apply leaves: a VPC (moto needs DNS host names to attach a task's interface),
  // a private subnet, the tasks' security group, the cluster, the log group, the migrate family.
  const vpc = aws('ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16').Vpc.VpcId;
  execFileSync('aws', ['ec2', 'modify-vpc-attribute', '--vpc-id', vpc, '--enable-dns-hostnames'], { env });
  const subnet = aws('ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.11.0/24').Subnet.SubnetId;
  const sg = aws('ec2', 'create-security-group', '--vpc-id', vpc, '--group-name', 'tasks', '--description', 'tasks').GroupId;
  aws('ecs', 'create-cluster', '--cluster-name', 'bet2wealth-backend-test');
  aws('logs', 'create-log-group', '--log-group-name', '/ecs/backend-logs-test');
  const image = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/bet2wealth-backend-test@sha256:' + 'b'.repeat(64);
  // moto sizes a task from its containers' memory (Fargate needs only the task's): given here.
  const container = { name: 'backend', image, essential: true, memory: 1024, command: ['migrate'],
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/backend-logs-test', 'awslogs-region': 'eu-central-1', 'awslogs-stream-prefix': 'migrate' } } };
  aws('ecs', 'register-task-definition', '--family', 'bet2wealth-backend-test-migrate', '--requires-compatibilities', 'FARGATE', '--network-mode', 'awsvpc',
    '--cpu', '512', '--memory', '1024', '--container-definitions', JSON.stringify([container]));
  // The environment's outputs, as `terraform output -json` reads them from its state.
  const root = path.join(dir, 'env');
  fs.mkdirSync(root);
  const out = (value, type) => ({ sensitive: false, type, value });
  fs.writeFileSync(path.join(root, 'terraform.tfstate'), JSON.stringify({
    version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'run-task-test', resources: [], check_results: null,
    outputs: {
      ecs_cluster_name: out('bet2wealth-backend-test', 'string'),
      one_off_task_families: out({ migrate: 'bet2wealth-backend-test-migrate' }, ['map', 'string']),
      ecs_private_subnet_ids: out([subnet], ['list', 'string']),
      ecs_security_group_id: out(sg, 'string'),
    },
  }));

  const run = (args) => {
    const child = spawn('bash', [SCRIPT, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const done = new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
    return { done, output: () => output };
  };
  const runningTask = async () => {
    for (let i = 0; i < 60; i++) {
      const arns = aws('ecs', 'list-tasks', '--cluster', 'bet2wealth-backend-test', '--desired-status', 'RUNNING').taskArns;
      if (arns.length) return arns[0];
      await sleep(500);
    }
    throw new Error('no task was started');
  };

  await t.test('a task that ends with exit code 0: success', async () => {
    const r = run(['--expect-image', image, root, 'migrate']);
    const arn = await runningTask();
    const task = aws('ecs', 'describe-tasks', '--cluster', 'bet2wealth-backend-test', '--tasks', arn).tasks[0];
    assert.equal(task.launchType, 'FARGATE');
    assert.equal(task.startedBy, 'run-task/migrate/4242');
    assert.match(task.taskDefinitionArn, /task-definition\/bet2wealth-backend-test-migrate:1$/);
    assert.equal(task.attachments[0].details.find((d) => d.name === 'subnetId').value, subnet);
    const eni = task.attachments[0].details.find((d) => d.name === 'networkInterfaceId').value;
    const iface = aws('ec2', 'describe-network-interfaces', '--network-interface-ids', eni).NetworkInterfaces[0];
    assert.deepEqual(iface.Groups.map((g) => g.GroupId), [sg], 'in the tasks\' security group');
    assert.equal(iface.Association, undefined, 'no public IP');
    // The container exits: moto stops the task with the container's exit code 0.
    aws('ecs', 'stop-task', '--cluster', 'bet2wealth-backend-test', '--task', arn, '--reason', 'Essential container in task exited');
    const { status, output } = await r.done;
    assert.equal(status, 0, output);
    assert.match(output, /run-task: migrate: arn:aws:ecs:[^ ]+:task-definition\/bet2wealth-backend-test-migrate:1 \(.*@sha256:b{64}\) in cluster bet2wealth-backend-test/);
    assert.match(output, /run-task: migrate succeeded \(exit code 0/);
  });

  await t.test('a task that outlives --timeout: stopped, failed, its last log lines printed', async () => {
    // The timeout must outlast the three aws CLI calls below (a second or more each on a loaded machine), or the
    // task is stopped before its log lines exist.
    const r = run(['--timeout', '15', '--reason', 'deploy dev@sha256:bbbb', root, 'migrate']);
    const arn = await runningTask();
    const stream = `migrate/backend/${arn.split('/').pop()}`;
    aws('logs', 'create-log-stream', '--log-group-name', '/ecs/backend-logs-test', '--log-stream-name', stream);
    const now = Date.now();
    aws('logs', 'put-log-events', '--log-group-name', '/ecs/backend-logs-test', '--log-stream-name', stream, '--log-events',
      JSON.stringify(['applying 0007_ledger_index', 'waiting for a lock on ledger_entries', 'still waiting'].map((message, i) => ({ timestamp: now + i, message }))));
    const { status, output } = await r.done;
    assert.equal(status, 1, output);
    assert.match(output, /run-task: migrate failed: timed out after 15 s while RUNNING \(the task was stopped\)/);
    assert.match(output, new RegExp(`---- last 2 lines of /ecs/backend-logs-test ${stream}\\nwaiting for a lock on ledger_entries\\nstill waiting\\n----`));
    const task = aws('ecs', 'describe-tasks', '--cluster', 'bet2wealth-backend-test', '--tasks', arn).tasks[0];
    assert.equal(task.lastStatus, 'STOPPED');
    assert.equal(task.stoppedReason, 'run-task.sh: timed out after 15 s');
    assert.equal(task.startedBy, 'deploy-dev-sha256-bbbb');
  });

  await t.test('a revision that does not run the expected image, an unknown key: refused before any task', async () => {
    const before = aws('ecs', 'list-tasks', '--cluster', 'bet2wealth-backend-test', '--desired-status', 'STOPPED').taskArns.length;
    const wrong = await run(['--expect-image', image.replace(/b{64}$/, 'c'.repeat(64)), root, 'migrate']).done;
    assert.equal(wrong.status, 1, wrong.output);
    assert.match(wrong.output, /runs .*@sha256:b{64}, expected .*@sha256:c{64}/);
    const unknown = await run([root, 'seed']).done;
    assert.equal(unknown.status, 2, unknown.output);
    assert.match(unknown.output, /no one-off task 'seed' in .* \(one_off_task_families: \["migrate"\]\)/);
    assert.equal(aws('ecs', 'list-tasks', '--cluster', 'bet2wealth-backend-test', '--desired-status', 'STOPPED').taskArns.length, before);
    assert.equal(aws('ecs', 'list-tasks', '--cluster', 'bet2wealth-backend-test', '--desired-status', 'RUNNING').taskArns.length, 0);
  });
});
