#!/usr/bin/env bash
# `npm run demo`: installs what it needs (scripts/setup.sh), then runs the demo (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node dist/scripts/demo.js "$@"
