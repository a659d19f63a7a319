#!/usr/bin/env bash
# Assembles the API docs the binary serves: Swagger UI (npm, pinned by
# api/docs/package-lock.json), our page and the OpenAPI document, into OUT_DIR.
set -euo pipefail
out=${1:?usage: docs-assets.sh OUT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
src=$root/api/docs
modules=$out/.npm/node_modules/swagger-ui-dist

mkdir -p "$out/.npm"
if [ ! -f "$modules/package.json" ] || ! cmp -s "$src/package-lock.json" "$out/.npm/package-lock.json"; then
  cp "$src/package.json" "$src/package-lock.json" "$out/.npm/"
  (cd "$out/.npm" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
cp "$modules/swagger-ui.css" "$modules/swagger-ui-bundle.js" "$modules/favicon-32x32.png" "$out/"
cp "$src/index.html" "$src/init.js" "$root/api/openapi.json" "$out/"
touch "$out/.stamp"
