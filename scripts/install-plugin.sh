#!/usr/bin/env bash
# Installs the native provider plugin, pulumi-resource-partnercenter, into the current PULUMI_HOME
# (default ~/.pulumi), so that the CLI resolves `partnercenter:*` resources and
# `pulumi package get-schema partnercenter` without downloading anything.
#
#   npm run build && bash scripts/install-plugin.sh
#
# The plugin is a small wrapper executable that runs this checkout's built dist/provider/native/main.js
# with the node that runs this script; it is installed the way a downloaded plugin is, with
# `pulumi plugin install resource partnercenter <version> --file <tarball>`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
main="$repo/dist/provider/native/main.js"
if [ ! -f "$main" ] || [ ! -f "$repo/dist/provider/native/schema.json" ]; then
  echo "install-plugin: $main or its schema.json is missing: run 'npm run build' first." >&2
  exit 1
fi
version="$(node -p "require('$repo/package.json').version")"
node_bin="$(command -v node)"
pulumi_bin="$(command -v pulumi 2>/dev/null || true)"
[ -n "$pulumi_bin" ] || pulumi_bin="$(bash "$repo/scripts/ensure-pulumi.sh" | tail -n1)/pulumi"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cat > "$stage/pulumi-resource-partnercenter" <<WRAPPER
#!/bin/sh
# pulumi-resource-partnercenter $version: the native provider of pulumi-partnercenter ($repo).
exec "$node_bin" "$main" "\$@"
WRAPPER
chmod 0755 "$stage/pulumi-resource-partnercenter"
tar -czf "$stage/plugin.tar.gz" -C "$stage" pulumi-resource-partnercenter
"$pulumi_bin" plugin install resource partnercenter "$version" --file "$stage/plugin.tar.gz" --reinstall >&2
echo "install-plugin: partnercenter $version installed in ${PULUMI_HOME:-$HOME/.pulumi}/plugins" >&2
