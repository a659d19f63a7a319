// VPC layout, NAT egress, default security group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENV_NAMES, STACK, moduleDir, envDir, loadDir, resource, resolveFor, isRef, expr, block } from './lib/hcl.mjs';

const net = await loadDir(moduleDir('network'));

test('defaults: VPC 10.0.0.0/16, public 10.0.1/2.0/24, private 10.0.11/12.0/24 in eu-central-1a/1b', () => {
  assert.equal(net.variable.vpc_cidr.default, '10.0.0.0/16');
  assert.deepEqual(net.variable.public_subnet_cidrs.default, ['10.0.1.0/24', '10.0.2.0/24']);
  assert.deepEqual(net.variable.private_subnet_cidrs.default, ['10.0.11.0/24', '10.0.12.0/24']);
  assert.deepEqual(net.variable.azs.default, ['eu-central-1a', 'eu-central-1b']);
  assert.ok(isRef(resource(net, 'aws_vpc', 'this').cidr_block, 'var.vpc_cidr'));
});

test('internet gateway for the public subnets; no public IPs on launch', () => {
  assert.ok(resource(net, 'aws_internet_gateway', 'this'));
  const route = resource(net, 'aws_route', 'public_internet_ipv4');
  assert.equal(route.destination_cidr_block, '0.0.0.0/0');
  assert.ok(isRef(route.gateway_id, 'aws_internet_gateway.this.id'));
  assert.equal(resource(net, 'aws_subnet', 'public').map_public_ip_on_launch, false);
  assert.equal(resource(net, 'aws_subnet', 'private').map_public_ip_on_launch, false);
});

test('NAT: single by default, one per AZ by a variable; private route tables egress through NAT', () => {
  assert.equal(net.variable.one_nat_gateway_per_az.default, false);
  assert.match(expr(net.locals.nat_gateway_count), /var\.one_nat_gateway_per_az \? length\(var\.azs\) : 1/);
  assert.ok(isRef(resource(net, 'aws_nat_gateway', 'this').count, 'local.nat_gateway_count'));
  const route = resource(net, 'aws_route', 'private_nat');
  assert.equal(route.destination_cidr_block, '0.0.0.0/0');
  assert.match(expr(route.nat_gateway_id), /^aws_nat_gateway\.this\[var\.one_nat_gateway_per_az \? count\.index : 0\]\.id$/);
  assert.ok(!route.gateway_id, 'private routes never use the internet gateway');
});

test('optional flow logs; default security group closed', () => {
  assert.equal(net.variable.enable_flow_logs.default, false);
  assert.match(expr(resource(net, 'aws_flow_log', 'this').count), /var\.enable_flow_logs/);
  const sg = resource(net, 'aws_default_security_group', 'this');
  assert.equal(block(sg, 'ingress'), undefined, 'default security group must have no ingress');
  assert.equal(block(sg, 'egress'), undefined, 'default security group must have no egress');
});

test('environments use the module defaults for the address plan', async () => {
  const stack = await loadDir(moduleDir(STACK));
  const call = stack.module.network;
  for (const k of ['vpc_cidr', 'public_subnet_cidrs', 'private_subnet_cidrs', 'azs']) {
    assert.ok(!(k in call), `stack: ${k} should keep the module default`);
  }
  assert.ok(isRef(call.one_nat_gateway_per_az, 'var.one_nat_gateway_per_az'));
  for (const env of ENV_NAMES) {
    const m = await loadDir(envDir(env));
    assert.equal(resolveFor(m, stack, call.one_nat_gateway_per_az), false, `${env}: single NAT by default, as in the diagram`);
  }
});

test('flow-logs role: trusted by the service for this account\'s flow logs only', () => {
  const st = net.data.aws_iam_policy_document.flow_logs_assume.statement[0];
  const conds = Object.fromEntries(st.condition.map((c) => [c.variable, c]));
  assert.equal(conds['aws:SourceAccount'].test, 'StringEquals');
  assert.equal(conds['aws:SourceArn'].test, 'ArnLike');
  assert.match(conds['aws:SourceArn'].values[0], /:vpc-flow-log\/\*$/);
});
