// Loads the Terraform code under infra/ with @cdktf/hcl2json (the parser tfcheck uses) and offers
// small helpers for policy assertions. hcl2json renders every expression as a "${...}" string and
// every block as an array of objects; values are not evaluated, so helpers resolve only the simple
// cases the tests need (literals, var.X defaults, local.X values).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';

export const INFRA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The building blocks, and the module that composes all of them (each environment calls only it).
export const MODULE_NAMES = ['network', 'alb', 'waf', 'dns', 'ecs', 'ecr', 'iam', 'redis', 'database', 'github-oidc', 'monitoring'];
export const STACK = 'stack';
export const ALL_MODULES = [...MODULE_NAMES, STACK];
export const ENV_NAMES = ['dev', 'production'];
export const moduleDir = (name) => path.join(INFRA, 'modules', name);
export const envDir = (name) => path.join(INFRA, 'envs', name);
// The module call name of a building block inside the stack (github-oidc -> github_oidc).
export const callName = (name) => name.replace(/-/g, '_');

const SKIP_DIRS = new Set(['node_modules', '.terraform', '.git']);

// Every file under infra/ whose name matches `re`, sorted.
export function filesUnder(re, dir = INFRA) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...filesUnder(re, path.join(dir, entry.name)));
    } else if (re.test(entry.name)) out.push(path.join(dir, entry.name));
  }
  return out.sort();
}

const parsed = new Map();
export async function parseFile(file) {
  if (!parsed.has(file)) parsed.set(file, parse(path.basename(file), fs.readFileSync(file, 'utf8')));
  return parsed.get(file);
}

// All *.tf files of one directory merged into one model.
export async function loadDir(dir) {
  const model = { dir, files: [], resource: {}, data: {}, variable: {}, output: {}, locals: {}, module: {}, terraform: [], provider: {}, moved: [] };
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort()) {
    const file = path.join(dir, name);
    const body = await parseFile(file);
    model.files.push(name);
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(body[kind] || {})) {
        for (const [n, list] of Object.entries(byName)) {
          model[kind][type] ??= {};
          model[kind][type][n] = list[0];
        }
      }
    }
    for (const kind of ['variable', 'output', 'module', 'provider']) {
      for (const [n, list] of Object.entries(body[kind] || {})) model[kind][n] = list[0];
    }
    for (const block of body.locals || []) Object.assign(model.locals, block);
    model.terraform.push(...(body.terraform || []));
    model.moved.push(...(body.moved || []));
  }
  return model;
}

// The single body of resource TYPE.NAME (throws a readable error when it is missing).
export function resource(model, type, name) {
  const r = model.resource[type]?.[name];
  if (!r) throw new Error(`${path.relative(INFRA, model.dir)}: resource ${type}.${name} not found`);
  return r;
}
export const resources = (model, type) => Object.entries(model.resource[type] || {});
export const block = (body, name) => (Array.isArray(body?.[name]) ? body[name][0] : body?.[name]);

// "${var.x}" -> "var.x"; other values unchanged.
export const expr = (v) => (typeof v === 'string' ? v.replace(/^\$\{([^]*)\}$/, '$1').trim() : v);
export const isRef = (v, ref) => typeof v === 'string' && expr(v) === ref;

// Resolves a literal, "${var.X}" (to its default) or "${local.X}" (recursively) inside `model`.
export function resolve(model, v) {
  const e = expr(v);
  if (typeof v !== 'string' || e === v) return v;
  let m = /^var\.([\w-]+)$/.exec(e);
  if (m) {
    const variable = model.variable[m[1]];
    if (!variable) throw new Error(`var.${m[1]} is not declared in ${model.dir}`);
    return variable.default;
  }
  m = /^local\.([\w-]+)$/.exec(e);
  if (m && m[1] in model.locals) return resolve(model, model.locals[m[1]]);
  return v;
}

// The value an environment gives input `name` of the stack module: the literal (or var.X default)
// of its module "stack" argument, else the stack variable's default.
export function stackInput(env, stack, name) {
  const call = env.module.stack;
  if (!call) throw new Error(`${path.relative(INFRA, env.dir)}: module "stack" not found`);
  if (name in call) return resolve(env, call[name]);
  const variable = stack.variable[name];
  if (!variable) throw new Error(`var.${name} is not declared in modules/stack`);
  return variable.default;
}

// resolve() inside the stack as one environment calls it: var.X is that environment's stack input.
export function resolveFor(env, stack, v) {
  const m = typeof v === 'string' ? /^var\.([\w-]+)$/.exec(expr(v)) : null;
  if (m) return stackInput(env, stack, m[1]);
  return resolve(stack, v);
}

// Every string (keys and values) below a value, with its key path.
export function* strings(value, at = []) {
  if (typeof value === 'string') yield { at, value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...at, i]);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield { at, value: k, key: true };
      yield* strings(v, [...at, k]);
    }
  }
}

// Keys of an object-literal local or argument, e.g. local.default_environment.
export function objectKeys(value) {
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.keys(value);
  throw new Error(`expected an object literal, got ${JSON.stringify(value)?.slice(0, 120)}`);
}

export const read = (file) => fs.readFileSync(file, 'utf8');
export const rel = (file) => path.relative(INFRA, file);
