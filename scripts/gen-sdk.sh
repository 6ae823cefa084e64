#!/usr/bin/env bash
# Regenerates the Node.js SDK of the native provider, generated/nodejs (npm name @pulumi-partnercenter/native),
# from the package schema that `npm run build` writes (dist/provider/native/schema.json). The files there
# are generated: change the zod shapes or their TSDoc, `npm run build`, then run this; never edit them.
#
#   npm run build && bash scripts/gen-sdk.sh
#
# It runs Pulumi's own Node.js code generator (github.com/pulumi/pulumi/pkg/v3/codegen/nodejs, the code
# behind `pulumi package gen-sdk --language nodejs`) from scripts/gen-sdk, built from the Go module
# proxy like the CLI; see scripts/gen-sdk/main.go for why not `pulumi package gen-sdk` itself.
# It (and `npm run build`) compiles the generated sources into generated/nodejs/bin, which
# node_modules/@pulumi-partnercenter/native points at (scripts/link-self.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
schema="$repo/dist/provider/native/schema.json"
out="$repo/generated/nodejs"
[ -f "$schema" ] || { echo "gen-sdk: $schema is missing: run 'npm run build' first." >&2; exit 1; }
go_bin="$(command -v go 2>/dev/null || true)"
[ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go
[ -n "$go_bin" ] || { echo "gen-sdk: no Go toolchain (go on PATH or /usr/local/go/bin/go)" >&2; exit 1; }

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
(cd "$repo/scripts/gen-sdk" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly GOSUMDB=off "$go_bin" run . "$schema" "$stage/nodejs")
# The generator leaves the version to the release: it is this package's.
version="$(node -p "require('$repo/package.json').version")"
sed -i "s/\"\${VERSION}\"/\"$version\"/" "$stage/nodejs/package.json"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$stage/nodejs" "$out"
# Compiled at once, as `npm run build` does, so the link in node_modules never points at nothing.
(cd "$repo" && node_modules/.bin/tsc -p generated/nodejs && cp generated/nodejs/package.json generated/nodejs/bin/)
echo "gen-sdk: wrote $out (@pulumi-partnercenter/native $version)" >&2
