#!/usr/bin/env bash
# `npm run demo`: installs what it needs, then runs the demo (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/@pulumi/pulumi ] || npm ci --no-audit --no-fund
npm run --silent build
bash scripts/link-self.sh
bash scripts/ensure-pulumi.sh >/dev/null
exec node dist/scripts/demo.js "$@"
