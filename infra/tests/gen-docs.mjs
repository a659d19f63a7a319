// Regenerates the Inputs and Outputs tables of each module README from its variables.tf and
// outputs.tf (between the <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS --> markers).
// Usage: node gen-docs.mjs [--check]   (--check exits 1 when a README is out of date)
import fs from 'node:fs';
import path from 'node:path';
import { ALL_MODULES, moduleDir, loadDir } from './lib/hcl.mjs';

const BEGIN = '<!-- BEGIN_TF_DOCS -->';
const END = '<!-- END_TF_DOCS -->';
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const typeOf = (t) => String(t).replace(/^\$\{([^]*)\}$/, '$1');
function defaultOf(v) {
  if (!('default' in v)) return 'required';
  return '`' + cell(JSON.stringify(v.default)) + '`';
}

export async function tables(name) {
  const m = await loadDir(moduleDir(name));
  const lines = ['## Inputs', '', '| Name | Description | Type | Default |', '| --- | --- | --- | --- |'];
  for (const [n, v] of Object.entries(m.variable)) {
    lines.push(`| ${n} | ${cell(v.description)} | \`${cell(typeOf(v.type))}\` | ${defaultOf(v)} |`);
  }
  lines.push('', '## Outputs', '', '| Name | Description |', '| --- | --- |');
  for (const [n, o] of Object.entries(m.output)) lines.push(`| ${n} | ${cell(o.description)} |`);
  return `${BEGIN}\n${lines.join('\n')}\n${END}`;
}

const check = process.argv.includes('--check');
let stale = 0;
for (const name of ALL_MODULES) {
  const file = path.join(moduleDir(name), 'README.md');
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`${file}: docs markers missing`);
  const next = text.slice(0, start) + (await tables(name)) + text.slice(end + END.length);
  if (next !== text) {
    stale++;
    if (check) console.error(`${name}/README.md is out of date: run node infra/tests/gen-docs.mjs`);
    else fs.writeFileSync(file, next);
  }
}
if (check && stale) process.exit(1);
