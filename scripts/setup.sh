#!/usr/bin/env bash
# The set-up that `npm test`, `npm run test:unit`, `npm run demo`, the bench and the reliability run do
# first, so that each works as the first command on a fresh clone (README "Two commands"):
#   1. `npm ci` when node_modules lacks the lockfile's tools (a fresh clone has no node_modules);
#   2. with PULUMI_PARTNERCENTER_SDK_VERSION set, that @pulumi/pulumi over the lockfile's, not saved
#      (CI's second pass: the newest SDK; the committed lockfile is not touched);
#   3. the build (tsc) and the self-link (scripts/link-self.sh);
#   4. the Pulumi CLI at the SDK's version (scripts/ensure-pulumi.sh), unless --no-cli.
#
#   bash scripts/setup.sh            # everything
#   bash scripts/setup.sh --no-cli   # unit and emulator tests, which start no Pulumi CLI
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "setup: $*" >&2; }

cli=1
for arg in "$@"; do
  case "$arg" in
    --no-cli) cli=0 ;;
    *) log "unknown option '$arg' (known: --no-cli)"; exit 2 ;;
  esac
done

if [ ! -x node_modules/.bin/tsc ] || [ ! -x node_modules/.bin/jest ] || [ ! -f node_modules/@pulumi/pulumi/package.json ]; then
  log "node_modules is missing or incomplete: npm ci"
  npm ci --no-audit --no-fund
fi

if [ -n "${PULUMI_PARTNERCENTER_SDK_VERSION:-}" ]; then
  have="$(node -p "require('./node_modules/@pulumi/pulumi/package.json').version")"
  if [ "$have" != "$PULUMI_PARTNERCENTER_SDK_VERSION" ]; then
    log "@pulumi/pulumi $PULUMI_PARTNERCENTER_SDK_VERSION instead of $have (PULUMI_PARTNERCENTER_SDK_VERSION; not saved)"
    npm install --no-save --no-audit --no-fund "@pulumi/pulumi@$PULUMI_PARTNERCENTER_SDK_VERSION"
  fi
fi

npm run --silent build
bash scripts/link-self.sh
if [ "$cli" = 1 ]; then bash scripts/ensure-pulumi.sh >/dev/null; fi
