// CloudWatch alarms, their SNS topic and the dashboard (modules/monitoring), and how the stack and
// both environments wire them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENV_NAMES, STACK, moduleDir, envDir, loadDir, resource, resources, stackInput, isRef, expr } from './lib/hcl.mjs';

const mon = await loadDir(moduleDir('monitoring'));
const stack = await loadDir(moduleDir(STACK));
const redis = await loadDir(moduleDir('redis'));
const oidc = await loadDir(moduleDir('github-oidc'));
const envs = Object.fromEntries(await Promise.all(ENV_NAMES.map(async (e) => [e, await loadDir(envDir(e))])));

// The alarms are data: entries of local.aws_alarms and local.service_alarms keyed by the alarm's
// name without "<name>-", plus local.redis_node_alarms expanded once per Redis node (key
// redis-<node>-<template key>); one aws_cloudwatch_metric_alarm.this creates them all.
const REDIS_PREFIX = 'redis-{node}-';
const alarms = [
  ...Object.entries(mon.locals.aws_alarms ?? {}),
  ...Object.entries(mon.locals.redis_node_alarms ?? {}).map(([k, a]) => [`${REDIS_PREFIX}${k}`, a]),
  ...Object.entries(mon.locals.service_alarms ?? {}),
];
// The metric-math alarms: entries of local.ratio_alarms, created by aws_cloudwatch_metric_alarm.ratio.
const ratios = Object.entries(mon.locals.ratio_alarms ?? {});
const RATIO_FIELDS = ['description', 'metrics', 'expression', 'period', 'evaluation_periods', 'comparison', 'threshold',
  'treat_missing_data', 'severity'];
const alarm = (key) => {
  const found = alarms.find(([k]) => k === key);
  assert.ok(found, `no alarm entry ${key}`);
  return found[1];
};
const TOPIC = '${aws_sns_topic.alarms.arn}';
const MISSING_DATA = ['notBreaching', 'breaching', 'ignore', 'missing'];
const SEVERITIES = { critical: 'CRITICAL', high: 'HIGH', low: 'LOW' };
const ENTRY_FIELDS = ['description', 'namespace', 'metric', 'dimensions', 'statistic', 'extended_statistic', 'period',
  'evaluation_periods', 'datapoints_to_alarm', 'comparison', 'threshold', 'treat_missing_data', 'severity'];
const SIZE_DEPENDENT = ['rds_connections_high', 'rds_free_storage_low_gib'];

// var.X names inside an expression string.
const varsIn = (v) => [...String(v).matchAll(/\bvar\.([a-z0-9_]+)/g)].map((m) => m[1]);
// The variables alarms are tuned by: thresholds and the number of breaching minutes.
const THRESHOLD_VARS = [...new Set([
  ...alarms.flatMap(([, a]) => [a.threshold, a.evaluation_periods, a.datapoints_to_alarm].flatMap(varsIn)),
  ...ratios.flatMap(([, a]) => [a.threshold, a.evaluation_periods, a.expression].flatMap(varsIn)),
])].filter((v) => v !== 'metrics_namespace').sort();

// Evaluates a numeric validation condition of the monitoring module (comparisons, &&, ||, floor)
// for one value, so the environments' literals are checked offline against the module's rules.
function validates(name, value) {
  return (mon.variable[name].validation ?? []).every((v) => {
    const js = expr(v.condition).replaceAll(`var.${name}`, `(${value})`).replaceAll('floor(', 'Math.floor(');
    assert.match(js, /^[\d\s.()<>=!&|+*/-]*(Math\.floor\([^)]*\)[\s\d.()<>=!&|+*/-]*)*$/, `${name}: validation "${expr(v.condition)}" is not a plain numeric condition`);
    return Function(`"use strict"; return (${js});`)();
  });
}

// The e-mail regex of a validation, as a JavaScript RegExp (RE2 and JS agree on this syntax).
function emailRegex(variable) {
  const cond = variable.validation.map((v) => v.condition).find((c) => c.includes('regex('));
  assert.ok(cond, 'no regex validation');
  const src = /regex\("((?:[^"\\]|\\.)*)"/.exec(cond)[1];
  return new RegExp(JSON.parse(`"${src}"`));
}

test('monitoring: one alarm resource over every entry, notifying the topic on ALARM and on OK', () => {
  assert.deepEqual(resources(mon, 'aws_cloudwatch_metric_alarm').map(([n]) => n).sort(), ['ratio', 'this'],
    'every alarm is an entry of local.alarms (one metric) or local.ratio_alarms (metric math)');
  const r = resource(mon, 'aws_cloudwatch_metric_alarm', 'this');
  assert.ok(isRef(r.for_each, 'local.alarms'));
  assert.equal(expr(mon.locals.alarms), 'merge(local.aws_alarms, local.redis_alarms, local.service_alarms)');
  assert.deepEqual(r.alarm_actions, [TOPIC], 'alarm_actions must be the alarm topic');
  assert.deepEqual(r.ok_actions, [TOPIC], 'ok_actions must be the alarm topic');
  assert.ok(!('actions_enabled' in r), 'actions must not be switched off');
  assert.equal(r.alarm_name, '${var.name}-${each.key}', 'alarm_name is <name>-<entry key>');
  assert.equal(expr(r.tags), 'merge(var.tags, { Severity = each.value.severity })', 'Severity tag');
  const wiring = {
    alarm_description: 'each.value.description', namespace: 'each.value.namespace', metric_name: 'each.value.metric',
    dimensions: 'each.value.dimensions', statistic: 'try(each.value.statistic, null)',
    extended_statistic: 'try(each.value.extended_statistic, null)', period: 'each.value.period',
    evaluation_periods: 'each.value.evaluation_periods', datapoints_to_alarm: 'try(each.value.datapoints_to_alarm, null)',
    comparison_operator: 'each.value.comparison', threshold: 'each.value.threshold',
    treat_missing_data: 'each.value.treat_missing_data',
    // Percentile alarms evaluate minutes with few requests (N of N minutes must breach).
    evaluate_low_sample_count_percentiles: 'try(each.value.extended_statistic, null) == null ? null : "evaluate"',
  };
  for (const [attr, ref] of Object.entries(wiring)) assert.equal(expr(r[attr]), ref, `aws_cloudwatch_metric_alarm.this.${attr}`);
  assert.deepEqual(Object.keys(r).sort(), [...Object.keys(wiring), 'alarm_actions', 'alarm_name', 'for_each', 'ok_actions', 'tags'].sort(),
    'the resource sets exactly these arguments');
  assert.ok(alarms.length >= 17, `expected the full set of alarms, found ${alarms.length}`);
});

test('monitoring: every alarm is named <name>-..., described with its severity, tagged, and decides treat_missing_data', () => {
  for (const [n, a] of alarms) {
    assert.match(n, /^[a-z0-9{}-]+$/, `${n}: the key is the alarm name after "<name>-"`);
    for (const f of Object.keys(a)) assert.ok(ENTRY_FIELDS.includes(f), `${n}: unknown field ${f} (the resource would ignore it)`);
    assert.ok(a.severity in SEVERITIES, `${n}: severity must be critical, high or low`);
    assert.ok((a.description ?? '').startsWith(SEVERITIES[a.severity]), `${n}: description must start with its severity ${SEVERITIES[a.severity]}`);
    assert.match(a.description ?? '', /^(CRITICAL|HIGH|LOW)\b.{20,}/, `${n}: alarm description must start with its severity`);
    assert.ok(typeof a.namespace === 'string' && typeof a.metric === 'string', `${n}: namespace and metric`);
    // A Redis template's dimension is added per node (CacheClusterId) by local.redis_alarms.
    assert.ok(n.startsWith(REDIS_PREFIX) !== ('dimensions' in a), `${n}: dimensions (the Redis templates get theirs per node)`);
    assert.ok(['GreaterThanThreshold', 'LessThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanOrEqualToThreshold'].includes(a.comparison), `${n}: comparison`);
    assert.ok(a.threshold !== undefined && a.evaluation_periods !== undefined, `${n}: threshold and evaluation_periods`);
    assert.ok(MISSING_DATA.includes(a.treat_missing_data), `${n}: treat_missing_data must be set explicitly`);
    assert.ok(typeof a.period === 'number' && a.period % 60 === 0, `${n}: period must be whole minutes`);
    assert.ok((a.statistic === undefined) !== (a.extended_statistic === undefined), `${n}: exactly one of statistic and extended_statistic`);
    if (a.datapoints_to_alarm !== undefined) assert.equal(expr(a.datapoints_to_alarm), expr(a.evaluation_periods), `${n}: N of N datapoints`);
  }
  const names = [...alarms, ...ratios].map(([n]) => n);
  assert.equal(new Set(names).size, names.length, 'alarm keys are unique across the maps');
  // The Redis templates need the node in their description (one alarm per node).
  for (const [n, a] of alarms.filter(([k]) => k.startsWith(REDIS_PREFIX))) assert.match(a.description, /Redis node \{node\} /, `${n}: {node} in the description`);
});

test('monitoring: every threshold is a typed, described, validated variable with a default (or a fixed > 0 / < 1)', () => {
  for (const [n, a] of alarms) {
    const used = varsIn(a.threshold);
    if (used.length === 0) {
      const fixed = (a.threshold === 0 && a.comparison === 'GreaterThanThreshold') || (a.threshold === 1 && a.comparison === 'LessThanThreshold');
      assert.ok(fixed, `${n}: a literal threshold is allowed only for "> 0" and "< 1" alarms`);
    }
  }
  assert.ok(THRESHOLD_VARS.length >= 13, `expected every threshold as a variable, found ${THRESHOLD_VARS}`);
  for (const name of THRESHOLD_VARS) {
    const v = mon.variable[name];
    assert.ok(v, `var.${name} is not declared`);
    assert.equal(v.type, '${number}', `${name} must be a number`);
    assert.ok(v.description?.length > 30, `${name} must be described`);
    assert.ok(v.validation?.length > 0, `${name} must be validated`);
    assert.equal(v.nullable, false, `${name}: nullable = false, so null means the default`);
    assert.equal(typeof v.default, 'number', `${name} must have a default`);
    assert.ok(validates(name, v.default), `${name}: the default ${v.default} fails its own validation`);
  }
});

test('monitoring: the topic is encrypted with a rotated customer-managed key that CloudWatch may use', () => {
  const topic = resource(mon, 'aws_sns_topic', 'alarms');
  assert.ok(isRef(topic.kms_master_key_id, 'aws_kms_key.topic.arn'), 'the topic must be encrypted with the module\'s CMK');
  assert.doesNotMatch(JSON.stringify(mon.resource), /alias\/aws\/sns/, 'alias/aws/sns cannot admit CloudWatch alarms');
  const key = resource(mon, 'aws_kms_key', 'topic');
  assert.equal(key.enable_key_rotation, true);
  assert.ok(isRef(key.policy, 'data.aws_iam_policy_document.topic_key.json'));
  const kms = mon.data.aws_iam_policy_document.topic_key.statement.find((s) => s.sid === 'CloudWatchAlarmsPublish');
  assert.deepEqual(kms.principals, [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }]);
  assert.deepEqual(kms.actions.sort(), ['kms:Decrypt', 'kms:GenerateDataKey*']);
  assert.ok(kms.condition.some((c) => c.variable === 'aws:SourceAccount'), 'the key admits CloudWatch of this account only');

  const policy = resource(mon, 'aws_sns_topic_policy', 'alarms');
  assert.ok(isRef(policy.arn, 'aws_sns_topic.alarms.arn') && isRef(policy.policy, 'data.aws_iam_policy_document.topic.json'));
  const pub = mon.data.aws_iam_policy_document.topic.statement.find((s) => s.sid === 'CloudWatchAlarmsPublish');
  assert.deepEqual(pub.actions, ['sns:Publish']);
  assert.deepEqual(pub.principals, [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }]);
  assert.ok(pub.condition.some((c) => c.variable === 'aws:SourceArn' && isRef(c.values[0], 'local.alarm_arn_pattern')));
  assert.match(mon.locals.alarm_arn_pattern, /:cloudwatch:\$\{local\.region\}:\$\{local\.account_id\}:alarm:\$\{var\.name\}-\*$/);
  assert.ok(isRef(mon.output.topic_arn.value, 'aws_sns_topic.alarms.arn'), 'the topic ARN is an output');
});

test('monitoring: e-mail subscriptions come from a validated alarm_emails list', () => {
  const sub = resource(mon, 'aws_sns_topic_subscription', 'email');
  assert.equal(expr(sub.for_each), 'toset(var.alarm_emails)');
  assert.equal(sub.protocol, 'email');
  assert.ok(isRef(sub.topic_arn, 'aws_sns_topic.alarms.arn'));
  for (const [where, variable] of [['modules/monitoring', mon.variable.alarm_emails], ['modules/stack', stack.variable.alarm_emails]]) {
    assert.equal(variable.type, '${list(string)}', `${where}: alarm_emails is a list of strings`);
    assert.deepEqual(variable.default, [], `${where}: no subscription by default`);
    const re = emailRegex(variable);
    for (const ok of ['oncall@example.com', 'first.last+alerts@mail.bet2wealth.co']) assert.match(ok, re, `${where}: ${ok} must be accepted`);
    for (const bad of ['oncall', 'oncall@example', 'On call <oncall@example.com>', 'a b@example.com', '@example.com']) {
      assert.doesNotMatch(bad, re, `${where}: ${bad} must be refused`);
    }
  }
  assert.match(JSON.stringify(mon.variable.alarm_emails.validation), /distinct/, 'duplicate addresses are refused');
});

test('monitoring: AWS metrics, dimensions and statistics', () => {
  const L = mon.locals;
  assert.deepEqual(L.alb_dimensions, { LoadBalancer: '${var.alb_arn_suffix}' });
  assert.deepEqual(L.tg_dimensions, { LoadBalancer: '${var.alb_arn_suffix}', TargetGroup: '${var.target_group_arn_suffix}' });
  assert.deepEqual(L.ecs_dimensions, { ClusterName: '${var.ecs_cluster_name}', ServiceName: '${var.ecs_service_name}' });
  assert.deepEqual(L.rds_dimensions, { DBInstanceIdentifier: '${var.db_instance_identifier}' });
  const expected = {
    'alb-target-5xx': ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'local.tg_dimensions', 'Sum'],
    'alb-elb-5xx': ['AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', 'local.alb_dimensions', 'Sum'],
    'alb-unhealthy-hosts': ['AWS/ApplicationELB', 'UnHealthyHostCount', 'local.tg_dimensions', 'Maximum'],
    'alb-no-healthy-hosts': ['AWS/ApplicationELB', 'HealthyHostCount', 'local.tg_dimensions', 'Minimum'],
    'alb-response-time-p99': ['AWS/ApplicationELB', 'TargetResponseTime', 'local.tg_dimensions', 'p99'],
    'ecs-cpu-high': ['AWS/ECS', 'CPUUtilization', 'local.ecs_dimensions', 'Average'],
    'ecs-memory-high': ['AWS/ECS', 'MemoryUtilization', 'local.ecs_dimensions', 'Average'],
    'rds-cpu-high': ['AWS/RDS', 'CPUUtilization', 'local.rds_dimensions', 'Average'],
    'rds-free-storage-low': ['AWS/RDS', 'FreeStorageSpace', 'local.rds_dimensions', 'Minimum'],
    'rds-connections-high': ['AWS/RDS', 'DatabaseConnections', 'local.rds_dimensions', 'Maximum'],
  };
  assert.deepEqual(Object.keys(mon.locals.aws_alarms).sort(), Object.keys(expected).sort(), 'the AWS-service alarms');
  for (const [n, [ns, metric, dims, stat]] of Object.entries(expected)) {
    const a = alarm(n);
    assert.deepEqual([a.namespace, a.metric, expr(a.dimensions), a.statistic ?? a.extended_statistic], [ns, metric, dims, stat], n);
  }
  const redisMetrics = { 'engine-cpu-high': 'EngineCPUUtilization', 'memory-high': 'DatabaseMemoryUsagePercentage', evictions: 'Evictions' };
  assert.deepEqual(Object.keys(mon.locals.redis_node_alarms).sort(), Object.keys(redisMetrics).sort(), 'the per-node Redis alarms');
  for (const [k, metric] of Object.entries(redisMetrics)) {
    const a = alarm(REDIS_PREFIX + k);
    assert.deepEqual([a.namespace, a.metric], ['AWS/ElastiCache', metric], k);
    assert.ok(!('dimensions' in a), `${k}: the dimension is set per node by the expansion`);
  }
  // One alarm per cache node and template, named redis-<node>-<key>, by CacheClusterId.
  const expansion = expr(mon.locals.redis_alarms).replace(/\s+/g, ' ');
  assert.match(expansion, /^merge\(\[ for node, cluster_id in var\.redis_cache_cluster_ids : \{ for key, a in local\.redis_node_alarms : "redis-\$\{node\}-\$\{key\}" => merge\(a, \{ description = replace\(a\.description, "\{node\}", node\) dimensions = \{ CacheClusterId = cluster_id \} \}\) \} \]\.\.\.\)$/,
    'local.redis_alarms expands every template once per node');
  // "> 0" alarms and where silence is the failure.
  assert.equal(alarm('alb-unhealthy-hosts').threshold, 0);
  assert.equal(alarm(`${REDIS_PREFIX}evictions`).threshold, 0);
  for (const n of ['alb-no-healthy-hosts', 'rds-free-storage-low', `${REDIS_PREFIX}memory-high`]) assert.equal(alarm(n).treat_missing_data, 'breaching', n);
  for (const n of ['alb-target-5xx', 'alb-elb-5xx', `${REDIS_PREFIX}evictions`, 'alb-response-time-p99']) assert.equal(alarm(n).treat_missing_data, 'notBreaching', n);
  assert.equal(alarm('alb-no-healthy-hosts').severity, 'critical', 'no healthy target: the API is down');
  assert.match(expr(alarm('rds-free-storage-low').threshold), /^var\.rds_free_storage_low_gib \* local\.gib$/);
  assert.equal(expr(mon.locals.gib), '1024 * 1024 * 1024');
});

test('monitoring: the service\'s EMF metrics (namespace Bet2wealth, Environment = APP_ENV), missing data not breaching', () => {
  assert.equal(mon.variable.metrics_namespace.default, 'Bet2wealth');
  assert.deepEqual(mon.locals.service_dimensions, { Environment: '${var.metrics_environment}' });
  assert.match(JSON.stringify(mon.variable.metrics_environment.validation), /\[\\"development\\", \\"production\\"\]/);
  const service = alarms.filter(([, a]) => isRef(a.namespace, 'var.metrics_namespace'));
  assert.deepEqual(service.map(([n]) => n).sort(), Object.keys(mon.locals.service_alarms).sort(), 'the service alarms are local.service_alarms');
  assert.deepEqual(service.map(([, a]) => a.metric).sort(),
    ['DatabasePoolExhausted', 'Latency', 'PaymentReconcilerProviderFailures', 'ReconciliationMismatches', 'ServerErrors',
      'ServiceUnavailable', 'SettlementLag', 'SettlementResumerFailures', 'SettlementsResumed', 'WebhooksBadSignature']);
  for (const [n, a] of service) {
    assert.ok(isRef(a.dimensions, 'local.service_dimensions'), `${n}: the single dimension set {Environment}`);
    assert.equal(a.treat_missing_data, 'notBreaching', `${n}: a quiet service emits nothing`);
  }
  const byMetric = Object.fromEntries(service.map(([, a]) => [a.metric, a]));
  const shape = (a) => [a.statistic ?? a.extended_statistic, a.period, a.evaluation_periods, a.datapoints_to_alarm ?? a.evaluation_periods, a.comparison];
  assert.deepEqual(shape(byMetric.ServerErrors), ['Sum', 300, 1, 1, 'GreaterThanThreshold'], 'ServerErrors: sum over 5 minutes');
  assert.ok(isRef(byMetric.ServerErrors.threshold, 'var.service_server_errors_threshold'));
  assert.deepEqual(shape(byMetric.ServiceUnavailable), ['Sum', 60, 2, 2, 'GreaterThanThreshold'], 'ServiceUnavailable: 2 consecutive minutes');
  assert.equal(byMetric.ServiceUnavailable.threshold, 0);
  assert.deepEqual(shape(byMetric.Latency), ['p99', 60, 5, 5, 'GreaterThanThreshold'], 'Latency: p99 for 5 of 5 minutes');
  assert.ok(isRef(byMetric.Latency.threshold, 'var.service_latency_p99_ms'));
  assert.equal(mon.variable.service_latency_p99_ms.default, 500);
  for (const m of ['SettlementResumerFailures', 'SettlementsResumed']) {
    assert.deepEqual(shape(byMetric[m]), ['Sum', 60, 1, 1, 'GreaterThanThreshold'], `${m} > 0`);
    assert.equal(byMetric[m].threshold, 0);
  }
  assert.deepEqual(shape(byMetric.PaymentReconcilerProviderFailures), ['Sum', 3600, 1, 1, 'GreaterThanThreshold'],
    'PaymentReconcilerProviderFailures: more than 2 failed rounds in an hour (rounds back off while Paystack fails)');
  assert.ok(isRef(byMetric.PaymentReconcilerProviderFailures.threshold, 'var.payment_reconciler_failures_per_hour'));
  assert.equal(mon.variable.payment_reconciler_failures_per_hour.default, 2);
  assert.equal(byMetric.SettlementsResumed.severity, 'low', 'SettlementsResumed is a low-severity notification');
  assert.match(byMetric.SettlementsResumed.description, /^LOW/);
  for (const m of ['ServerErrors', 'ServiceUnavailable', 'Latency', 'SettlementResumerFailures', 'PaymentReconcilerProviderFailures']) {
    assert.equal(byMetric[m].severity, 'high', m);
  }
});

test('monitoring: the dashboard shows every alarm and is built with jsonencode', () => {
  const dash = resource(mon, 'aws_cloudwatch_dashboard', 'this');
  assert.equal(expr(dash.dashboard_body), 'jsonencode({ widgets = local.dashboard_widgets })');
  assert.ok(isRef(dash.dashboard_name, 'var.name'));
  // local.alarm_arns (dashboard widget and output): the ARNs of both alarm resources, by severity; every
  // severity an alarm has is listed.
  assert.equal(expr(mon.locals.alarm_resources), 'merge(aws_cloudwatch_metric_alarm.this, aws_cloudwatch_metric_alarm.ratio)');
  assert.equal(expr(mon.locals.alarm_severity).replace(/\s+/g, ' '),
    'merge({ for k, a in local.alarms : k => a.severity }, { for k, a in local.ratio_alarms : k => a.severity })');
  const listed = expr(mon.locals.alarm_arns).replace(/\s+/g, ' ');
  const parts = /^concat\( (.*?),? \)$/.exec(listed);
  assert.ok(parts, `local.alarm_arns must be a concat of lists: ${listed}`);
  const listedSeverities = parts[1].split(/\],\s*/).map((p) => {
    const m = /^\[for k, a in local\.alarm_resources : a\.arn if local\.alarm_severity\[k\] == "([a-z]+)"\]?$/.exec(p.trim());
    assert.ok(m, `local.alarm_arns: unexpected list ${p}`);
    return m[1];
  });
  for (const [n, a] of [...alarms, ...ratios]) assert.ok(listedSeverities.includes(a.severity), `local.alarm_arns (dashboard, output) misses ${n} (severity ${a.severity})`);
  assert.equal(listedSeverities[0], 'critical', 'critical alarms first');
  assert.equal(new Set(listedSeverities).size, listedSeverities.length, 'no alarm listed twice');
  assert.ok(isRef(mon.output.alarm_arns.value, 'local.alarm_arns'), 'output alarm_arns');
});

test('monitoring: the business alarms that page (webhook signatures, settlement lag, reconciliation, database pool)', () => {
  const shape = (a) => [a.metric, a.statistic, a.period, a.evaluation_periods, a.datapoints_to_alarm ?? a.evaluation_periods, a.comparison];
  assert.deepEqual(shape(alarm('webhook-signature-failures')), ['WebhooksBadSignature', 'Sum', 300, 1, 1, 'GreaterThanThreshold']);
  assert.ok(isRef(alarm('webhook-signature-failures').threshold, 'var.webhook_signature_failures_threshold'));
  assert.equal(mon.variable.webhook_signature_failures_threshold.default, 10);
  // SettlementLag is a gauge each task reports: the worst task's view (Maximum), 5 minutes out of 5.
  assert.deepEqual(shape(alarm('settlement-lag')), ['SettlementLag', 'Maximum', 60, 5, 5, 'GreaterThanThreshold']);
  assert.ok(isRef(alarm('settlement-lag').threshold, 'var.settlement_lag_seconds'));
  assert.equal(mon.variable.settlement_lag_seconds.default, 600);
  assert.deepEqual(shape(alarm('reconciliation-mismatches')), ['ReconciliationMismatches', 'Sum', 300, 1, 1, 'GreaterThanThreshold']);
  assert.equal(alarm('reconciliation-mismatches').threshold, 0, 'every mismatch is looked at');
  assert.deepEqual(shape(alarm('database-pool-exhausted')), ['DatabasePoolExhausted', 'Sum', 60, 2, 2, 'GreaterThanThreshold']);
  assert.equal(alarm('database-pool-exhausted').threshold, 0);
  for (const n of ['webhook-signature-failures', 'settlement-lag', 'reconciliation-mismatches', 'database-pool-exhausted']) {
    assert.equal(alarm(n).severity, 'high', `${n} pages`);
    assert.match(alarm(n).description, /docs\/runbook\.md|Run `bet2wealth|DB_POOL_MAX/, `${n}: says what to do`);
  }
});

test('monitoring: deposit success rate is a metric-math alarm that judges only hours with enough deposits', () => {
  assert.deepEqual(ratios.map(([k]) => k), ['deposit-success-rate']);
  for (const [n, a] of ratios) {
    for (const f of Object.keys(a)) assert.ok(RATIO_FIELDS.includes(f), `${n}: unknown field ${f}`);
    assert.ok(a.severity in SEVERITIES && a.description.startsWith(SEVERITIES[a.severity]), `${n}: severity and description`);
    assert.ok(MISSING_DATA.includes(a.treat_missing_data), `${n}: treat_missing_data`);
  }
  const d = mon.locals.ratio_alarms['deposit-success-rate'];
  assert.deepEqual(d.metrics, { requested: 'DepositsRequested', completed: 'DepositsCompleted' });
  assert.equal(d.expression, 'IF(FILL(requested, 0) >= ${var.deposit_success_min_requests}, 100 * FILL(completed, 0) / FILL(requested, 0), 100)');
  assert.deepEqual([d.period, d.evaluation_periods, d.comparison, d.treat_missing_data], [3600, 1, 'LessThanThreshold', 'notBreaching']);
  assert.ok(isRef(d.threshold, 'var.deposit_success_rate_percent'));
  assert.equal(d.severity, 'high');
  // The resource: each metric summed per period under its id (not returned), the expression returned.
  const r = resource(mon, 'aws_cloudwatch_metric_alarm', 'ratio');
  assert.ok(isRef(r.for_each, 'local.ratio_alarms'));
  assert.equal(r.alarm_name, '${var.name}-${each.key}');
  assert.deepEqual(r.alarm_actions, [TOPIC]);
  assert.deepEqual(r.ok_actions, [TOPIC]);
  assert.equal(expr(r.tags), 'merge(var.tags, { Severity = each.value.severity })');
  const source = r.dynamic.metric_query[0];
  assert.ok(isRef(source.for_each, 'each.value.metrics'));
  const content = source.content[0];
  const m = content.metric[0];
  assert.ok(isRef(m.namespace, 'var.metrics_namespace') && isRef(m.metric_name, 'metric_query.value'));
  assert.ok(isRef(m.dimensions, 'local.service_dimensions'), 'the single dimension set {Environment}');
  assert.equal(m.stat, 'Sum');
  assert.ok(isRef(content.id, 'metric_query.key'));
  assert.equal(content.return_data, false);
  assert.equal(r.metric_query.length, 1);
  const value = r.metric_query[0];
  assert.ok(isRef(value.expression, 'each.value.expression'));
  assert.equal(value.return_data, true);
});

test('monitoring: the dashboard has a business panel beside the technical one', () => {
  const business = mon.locals.business_graphs.flatMap(([, metrics]) => metrics.map((m) => /\["([A-Za-z]+)"\]/.exec(expr(m))?.[1]));
  for (const metric of ['BetsPlaced', 'BetsSettled', 'GGR', 'DepositsCompleted', 'DepositsFailed', 'WithdrawalsCompleted',
    'WebhooksBadSignature', 'WebhooksDuplicate', 'CasinoCallbacks', 'LoginsFailed', 'LoginsLimited', 'UnavailableDatabase',
    'DatabasePoolWaits', 'CachePoolWaits', 'BlockingPoolQueueDepth', 'SettlementLag', 'ReconciliationLag']) {
    assert.ok(business.includes(metric), `the business panel lacks ${metric}`);
  }
  const widgets = expr(mon.locals.dashboard_widgets).replace(/\s+/g, ' ');
  assert.match(widgets, /for i, g in local\.graphs : \{ type = "metric", x = 0,/, 'technical graphs on the left half');
  assert.match(widgets, /for i, g in local\.business_graphs : \{ type = "metric", x = 12,/, 'business graphs on the right half');
});

test('redis: cache_cluster_ids is keyed by node number (known at plan) and the stack sizes both from one local', () => {
  assert.match(expr(redis.output.cache_cluster_ids.value), /^\{ for i in range\(var\.num_cache_clusters\) : format\("%03d", i \+ 1\) => sort\(aws_elasticache_replication_group\.this\.member_clusters\)\[i\] \}$/);
  assert.ok(isRef(stack.module.redis.num_cache_clusters, 'local.redis_num_cache_clusters'));
  assert.equal(stack.locals.redis_num_cache_clusters, 2);
});

test('stack: monitoring is wired to the modules it watches, with Environment = APP_ENV and every threshold passed through', () => {
  const m = stack.module.monitoring;
  assert.equal(m.source, '../monitoring');
  assert.ok(isRef(m.name, 'local.name'));
  assert.ok(isRef(m.alarm_emails, 'var.alarm_emails'));
  const wiring = {
    alb_arn_suffix: 'module.alb.alb_arn_suffix', target_group_arn_suffix: 'module.alb.target_group_arn_suffix',
    ecs_cluster_name: 'module.ecs.cluster_name', ecs_service_name: 'module.ecs.service_name',
    db_instance_identifier: 'module.database.instance_identifier', redis_cache_cluster_ids: 'module.redis.cache_cluster_ids',
    metrics_environment: 'var.app_env',
  };
  for (const [input, ref] of Object.entries(wiring)) assert.ok(isRef(m[input], ref), `monitoring.${input} must be ${ref}`);
  assert.ok(isRef(stack.locals.default_environment.APP_ENV, 'var.app_env'), 'the dimension and APP_ENV come from the same input');

  const attrs = [...stack.variable.alarm_thresholds.type.matchAll(/^\s*([a-z0-9_]+)\s*=\s*optional\(number\)/gm)].map((x) => x[1]).sort();
  assert.deepEqual(attrs, THRESHOLD_VARS, 'alarm_thresholds offers exactly the monitoring module\'s thresholds');
  for (const a of attrs) assert.ok(isRef(m[a], `var.alarm_thresholds.${a}`), `monitoring.${a} must be var.alarm_thresholds.${a}`);
  assert.deepEqual(stack.variable.alarm_thresholds.default, {});
  assert.equal(stack.variable.alarm_thresholds.nullable, false);
  assert.ok(stack.variable.alarm_thresholds.validation, 'alarm_thresholds is validated');
  assert.ok(isRef(stack.output.alarm_topic_arn.value, 'module.monitoring.topic_arn'));
});

test('both environments: monitoring with their own thresholds; production at least as strict as dev', () => {
  const set = {};
  for (const [env, m] of Object.entries(envs)) {
    assert.ok(Array.isArray(m.module.stack.alarm_emails), `${env}: alarm_emails is a committed list in envs/${env}/main.tf (no tfvars)`);
    assert.ok(!('alarm_emails' in m.variable), `${env}: alarm_emails is not set per run`);
    assert.ok(isRef(m.output.alarm_topic_arn.value, 'module.stack.alarm_topic_arn'), `${env}: topic ARN output`);
    assert.equal(stackInput(m, stack, 'app_env'), env === 'production' ? 'production' : 'development', `${env}: Environment dimension`);
    const t = m.module.stack.alarm_thresholds;
    assert.ok(t && typeof t === 'object', `${env}: alarm_thresholds must be an object literal`);
    for (const [k, v] of Object.entries(t)) {
      // Terraform drops unknown attributes of an object type silently: a typo would leave the default.
      assert.ok(THRESHOLD_VARS.includes(k), `${env}: alarm_thresholds.${k} is not a threshold of the monitoring module`);
      assert.equal(typeof v, 'number', `${env}: alarm_thresholds.${k} must be a number literal`);
      assert.ok(validates(k, v), `${env}: alarm_thresholds.${k} = ${v} fails the monitoring module's validation`);
    }
    set[env] = Object.fromEntries(THRESHOLD_VARS.map((k) => [k, t[k] ?? mon.variable[k].default]));
  }
  // Relative thresholds (percentages, counts, latencies, minutes): production alarms no later than
  // dev. Connections and free GiB are absolute and follow each environment's instance and volume.
  for (const k of THRESHOLD_VARS.filter((k) => !SIZE_DEPENDENT.includes(k))) {
    const [dev, prod] = [set.dev[k], set.production[k]];
    assert.ok(prod <= dev, `${k}: production (${prod}) must alarm no later than dev (${dev})`);
  }
  assert.ok(set.production.service_latency_p99_ms <= 500, 'production alarms on a p99 above 500 ms at the latest');
});

test('deploy role: terraform plan may refresh the monitoring resources, read-only', () => {
  const actions = oidc.locals.plan_read_actions;
  for (const a of ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource', 'cloudwatch:GetDashboard',
    'sns:GetTopicAttributes', 'sns:GetSubscriptionAttributes', 'sns:ListTagsForResource',
    'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:ListAliases']) {
    assert.ok(actions.includes(a), `plan_read_actions lacks ${a}`);
  }
  for (const a of actions) assert.match(a, /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*\*?$/, `${a} is not a read-only action`);
});
