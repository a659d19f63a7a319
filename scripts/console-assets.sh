#!/usr/bin/env bash
# Builds the back-office console the binary serves: installs its tools from npm (pinned by
# console/package-lock.json, into OUT_DIR/.npm, never into the source tree), type-checks it and bundles it into
# OUT_DIR (index.html and content-hashed assets/*). The e2e test's browser driver (playwright-core) comes with it.
set -euo pipefail
out=${1:?usage: console-assets.sh OUT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
src=$root/console
npm_dir=$out/.npm

mkdir -p "$npm_dir"
if [ ! -f "$npm_dir/node_modules/esbuild/package.json" ] || ! cmp -s "$src/package-lock.json" "$npm_dir/package-lock.json"; then
  cp "$src/package.json" "$src/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
NODE_PATH=$npm_dir/node_modules node "$src/build.mjs" "$npm_dir/node_modules" "$out"
touch "$out/.stamp"
