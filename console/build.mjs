// Builds the console into OUT_DIR: type-checks (tsc), bundles src/main.ts and src/app.css with esbuild under
// content-hashed names in OUT_DIR/assets, and writes index.html naming them.
// usage: node build.mjs NODE_MODULES_DIR OUT_DIR
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [modules, out] = process.argv.slice(2);
if (!modules || !out) {
  console.error('usage: node build.mjs NODE_MODULES_DIR OUT_DIR');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(path.resolve(modules), 'noop.js'));
const esbuild = require('esbuild');

try {
  execFileSync(process.execPath, [path.join(modules, 'typescript', 'bin', 'tsc'), '-p', path.join(here, 'tsconfig.json')],
    { stdio: 'inherit' });
} catch {
  console.error('console: the type check failed');
  process.exit(1);
}

const assets = path.join(out, 'assets');
fs.rmSync(assets, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: { app: path.join(here, 'src', 'main.ts'), style: path.join(here, 'src', 'app.css') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  outdir: assets,
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});
let js, css;
for (const file of Object.keys(result.metafile.outputs)) {
  const name = path.basename(file);
  if (name.endsWith('.js')) js = name;
  if (name.endsWith('.css')) css = name;
}
if (!js || !css) throw new Error('the bundle has no script or no stylesheet');
const page = fs.readFileSync(path.join(here, 'index.html'), 'utf8').replace('%APP_JS%', js).replace('%APP_CSS%', css);
fs.writeFileSync(path.join(out, 'index.html'), page);
console.log(`console: ${js}, ${css}`);
