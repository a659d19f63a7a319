// ALB, listeners, target group, DNS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { INFRA, ENV_NAMES, STACK, moduleDir, envDir, loadDir, resource, block, resolve, stackInput, isRef } from './lib/hcl.mjs';

const alb = await loadDir(moduleDir('alb'));
const dns = await loadDir(moduleDir('dns'));
const stack = await loadDir(moduleDir(STACK));

test('ALB is public, in the public subnets, drops invalid headers, idle timeout 60', () => {
  const lb = resource(alb, 'aws_lb', 'this');
  assert.equal(lb.internal, false);
  assert.equal(lb.load_balancer_type, 'application');
  assert.equal(lb.drop_invalid_header_fields, true);
  assert.equal(resolve(alb, lb.idle_timeout), 60);
  assert.ok(isRef(lb.subnets, 'var.public_subnet_ids'));
});

test('HTTP 80 listener redirects with 301 to HTTPS 443', () => {
  const http = resource(alb, 'aws_lb_listener', 'http');
  assert.equal(http.port, 80);
  assert.equal(http.protocol, 'HTTP');
  const action = block(http, 'default_action');
  assert.equal(action.type, 'redirect');
  const redirect = block(action, 'redirect');
  assert.equal(redirect.protocol, 'HTTPS');
  assert.equal(String(redirect.port), '443');
  assert.equal(redirect.status_code, 'HTTP_301');
});

test('HTTPS 443 listener forwards to the target group with a TLS 1.3/1.2 policy and a certificate', () => {
  const https = resource(alb, 'aws_lb_listener', 'https');
  assert.equal(https.port, 443);
  assert.equal(https.protocol, 'HTTPS');
  assert.match(resolve(alb, https.ssl_policy), /^ELBSecurityPolicy-TLS13-1-2-/);
  assert.ok(https.certificate_arn, 'no certificate on the HTTPS listener');
  const action = block(https, 'default_action');
  assert.equal(action.type, 'forward');
  assert.ok(isRef(action.target_group_arn, 'aws_lb_target_group.backend.arn'));
  // Only these two listeners exist.
  assert.deepEqual(Object.keys(alb.resource.aws_lb_listener).sort(), ['http', 'https']);
});

test('certificate: ACM DNS validation in a Route 53 zone, or an existing ARN', () => {
  const cert = resource(alb, 'aws_acm_certificate', 'this');
  assert.equal(cert.validation_method, 'DNS');
  assert.ok(resource(alb, 'aws_acm_certificate_validation', 'this'));
  assert.ok(isRef(resource(alb, 'aws_route53_record', 'certificate_validation').zone_id, 'var.route53_zone_id'));
  assert.equal(alb.variable.certificate_arn.default, null);
});

test('target group: type ip, HTTP, port 4000, health check /api/v1/health-check with explicit settings', () => {
  const tg = resource(alb, 'aws_lb_target_group', 'backend');
  assert.equal(tg.target_type, 'ip');
  assert.equal(tg.protocol, 'HTTP');
  assert.equal(resolve(alb, tg.port), 4000);
  const hc = block(tg, 'health_check');
  assert.equal(resolve(alb, hc.path), '/api/v1/health-check');
  assert.equal(hc.matcher, '200');
  for (const k of ['interval', 'timeout', 'healthy_threshold', 'unhealthy_threshold']) {
    assert.equal(typeof resolve(alb, hc[k]), 'number', `health_check.${k} must be explicit`);
  }
  assert.ok(resolve(alb, hc.timeout) < resolve(alb, hc.interval));
  assert.equal(resolve(alb, tg.deregistration_delay), 30);
});

test('the stack wires the ALB with port 4000 and the health path', () => {
  const call = stack.module.alb;
  assert.equal(call.target_port, 4000, 'target_port');
  assert.equal(call.health_check_path, '/api/v1/health-check', 'health_check_path');
  assert.ok(isRef(call.public_subnet_ids, 'module.network.public_subnet_ids'), 'ALB must be in the public subnets');
  assert.ok(isRef(call.domain_name, 'var.domain_name'), 'certificate for the API host name');
});

test('DNS: api.<env>.bet2wealth.co as A and AAAA alias records to the ALB', async () => {
  const rec = resource(dns, 'aws_route53_record', 'api');
  assert.match(dns.locals.record_types, /"A", "AAAA"/);
  assert.ok(block(rec, 'alias'), 'records must be aliases');
  assert.ok(isRef(block(rec, 'alias').name, 'var.alb_dns_name'));
  assert.ok(isRef(stack.module.dns.alb_dns_name, 'module.alb.alb_dns_name'));
  assert.ok(isRef(stack.module.dns.record_name, 'var.domain_name'));
  assert.equal(stack.locals.default_environment.HOST_URL, 'https://${var.domain_name}');
  for (const env of ENV_NAMES) {
    const m = await loadDir(envDir(env));
    assert.equal(stackInput(m, stack, 'domain_name'), `api.${env}.bet2wealth.co`);
  }
});

test('WAF on the ALB: managed common and known-bad-inputs rules, a per-IP rate limit, the Paystack webhook exempt', async () => {
  const waf = await loadDir(moduleDir('waf'));
  const acl = resource(waf, 'aws_wafv2_web_acl', 'this');
  assert.equal(acl.scope, 'REGIONAL');
  const groups = acl.rule.map((r) => block(block(r, 'statement'), 'managed_rule_group_statement')?.name).filter(Boolean).sort();
  assert.deepEqual(groups, ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
  const rate = acl.rule.find((r) => r.name === 'rate-per-ip');
  assert.equal(block(block(rate, 'statement'), 'rate_based_statement').aggregate_key_type, 'IP');
  assert.ok(isRef(resource(waf, 'aws_wafv2_web_acl_association', 'alb').resource_arn, 'var.alb_arn'));
  const call = stack.module.waf;
  assert.ok(isRef(call.alb_arn, 'module.alb.alb_arn'));
  // The route table's provider callbacks, exactly (src/app/routes.cpp: v1 + "/payments/paystack/webhook", ...).
  assert.deepEqual(call.exempt_paths, ['/api/v1/payments/paystack/webhook', '/api/v1/casino/fundist/callback']);
  const routes = fs.readFileSync(path.join(INFRA, '..', 'src', 'app', 'routes.cpp'), 'utf8');
  assert.match(routes, /v1 \+ "\/payments\/paystack\/webhook"/, 'the exempt path is the service\'s webhook route');
  assert.match(routes, /v1 \+ "\/casino\/fundist\/callback"/, 'the exempt path is the service\'s casino callback');
});

test('ALB access logs to a bucket managed here (private, SSE-S3, TLS-only); timing from the stack', () => {
  const lb = resource(alb, 'aws_lb', 'this');
  assert.match(JSON.stringify(lb.dynamic.access_logs), /aws_s3_bucket\.access_logs\[0\]\.id/);
  assert.equal(block(block(resource(alb, 'aws_s3_bucket_server_side_encryption_configuration', 'access_logs'), 'rule'), 'apply_server_side_encryption_by_default').sse_algorithm, 'AES256');
  assert.equal(resource(alb, 'aws_s3_bucket_public_access_block', 'access_logs').restrict_public_buckets, true);
  const deny = alb.data.aws_iam_policy_document.access_logs.statement.find((s) => s.sid === 'DenyInsecureTransport');
  assert.equal(deny.effect, 'Deny');
  for (const [k, v] of Object.entries({ deregistration_delay: 20, health_check_interval: 5, health_check_timeout: 2, healthy_threshold: 2, unhealthy_threshold: 2, stop_timeout: 40 })) {
    assert.equal(stack.variable[k].default, v, `stack default ${k} = ${v} (tests/stack/test_rolling_restart.py)`);
  }
  assert.ok(isRef(stack.module.alb.deregistration_delay, 'var.deregistration_delay'));
  // The service drains for 4 health-check intervals after SIGTERM (the stack's 1 s at 250 ms checks).
  assert.equal(stack.locals.default_environment.SHUTDOWN_DRAIN_SECONDS, '${local.shutdown_drain_seconds}s');
  assert.equal(stack.locals.shutdown_drain_seconds, '${4 * var.health_check_interval}');
  assert.ok(isRef(stack.module.ecs.stop_timeout, 'var.stop_timeout'));
});

// GET /api/v1/stream is a WebSocket through the ALB (src/stream/README.md). The ALB closes a connection that carries
// no frame for idle_timeout seconds; the service pings every STREAM_IDLE_TIMEOUT / 2 (22.5 s by default) and closes a
// silent client at STREAM_IDLE_TIMEOUT (45 s), so the ALB must allow at least 60 s. No stickiness is needed: a client
// that reconnects to another task resubscribes and refetches.
test('WebSockets: the ALB idle timeout (module default and stack) is at least 60 s, above the stream ping and idle close', () => {
  const streamIdleSeconds = 45;
  const pingSeconds = streamIdleSeconds / 2;
  const stackIdle = stack.module.alb.idle_timeout;
  const moduleIdle = resolve(alb, resource(alb, 'aws_lb', 'this').idle_timeout);
  for (const [where, seconds] of [['stack', stackIdle], ['module', moduleIdle]]) {
    assert.equal(typeof seconds, 'number', `${where}: idle_timeout must be explicit`);
    assert.ok(seconds >= 60, `${where}: idle_timeout ${seconds} < 60`);
    assert.ok(seconds > pingSeconds && seconds > streamIdleSeconds, `${where}: idle_timeout must exceed the stream's ping and idle close`);
  }
  const tg = resource(alb, 'aws_lb_target_group', 'backend');
  const stickiness = tg.stickiness ? block(tg, 'stickiness') : null;
  assert.ok(!stickiness || stickiness.enabled === false, 'stream clients need no stickiness');
});
