#!/usr/bin/env bash
# Regenerates the SDKs of the native provider from the package schema that `npm run build` writes
# (dist/provider/native/schema.json):
#   generated/nodejs  the Node.js SDK, npm name @pulumi-partnercenter/native
#   generated/go      the Go SDK, module github.com/pulumi-partnercenter/pulumi-partnercenter/sdk/go
#                     (package .../sdk/go/partnercenter; programs reach it with a `replace`)
#   generated/python  the Python SDK, pulumi_partnercenter (generated only: see README)
#   generated/dotnet  the .NET SDK, PulumiPartnerCenter.PartnerCenter (generated only: see README),
#                     by scripts/gen-sdk-dotnet, a module of its own (see its main.go for why)
# The files there are generated: change the zod shapes or their TSDoc, `npm run build`, then run this;
# never edit them.
#
#   npm run build && bash scripts/gen-sdk.sh
#
# It runs Pulumi's own code generators (github.com/pulumi/pulumi/pkg/v3/codegen/*, the code behind
# `pulumi package gen-sdk`) from scripts/gen-sdk, built from the Go module proxy like the CLI; see
# scripts/gen-sdk/main.go for why not `pulumi package gen-sdk` itself (its exact errors).
# It (and `npm run build`) compiles the generated Node.js sources into generated/nodejs/bin, which
# node_modules/@pulumi-partnercenter/native points at (scripts/link-self.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
schema="$repo/dist/provider/native/schema.json"
[ -f "$schema" ] || { echo "gen-sdk: $schema is missing: run 'npm run build' first." >&2; exit 1; }
go_bin="$(command -v go 2>/dev/null || true)"
[ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go
[ -n "$go_bin" ] || { echo "gen-sdk: no Go toolchain (go on PATH or /usr/local/go/bin/go)" >&2; exit 1; }
export GOTOOLCHAIN=local GOSUMDB=off

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
(cd "$repo/scripts/gen-sdk" && GOFLAGS=-mod=readonly "$go_bin" run . "$schema" "$stage" nodejs go python)
(cd "$repo/scripts/gen-sdk-dotnet" && GOFLAGS=-mod=readonly "$go_bin" run . "$schema" "$stage")
# The generators leave the version to the release: it is this package's.
version="$(node -p "require('$repo/package.json').version")"
sed -i "s/\"\${VERSION}\"/\"$version\"/" "$stage/nodejs/package.json"

# The Go generator writes packages only; the module around them requires the Go SDK the CLI is built
# from (scripts/pulumi-cli pins it), and its go.sum is resolved from the Go module proxy.
go_module="$(node -p "path.dirname(require('$schema').language.go.importBasePath)")"
go_sdk="$(awk '$1 == "github.com/pulumi/pulumi/sdk/v3" { print $2; exit }' "$repo/scripts/pulumi-cli/go.mod")"
(
  cd "$stage/go"
  "$go_bin" mod init "$go_module" 2>/dev/null
  "$go_bin" mod edit -go=1.25 -require="github.com/pulumi/pulumi/sdk/v3@$go_sdk"
  GOFLAGS=-mod=mod "$go_bin" mod tidy
)

for language in nodejs go python dotnet; do
  rm -rf "$repo/generated/$language"
  mkdir -p "$repo/generated"
  mv "$stage/$language" "$repo/generated/$language"
done
# Compiled at once, as `npm run build` does, so the link in node_modules never points at nothing.
(cd "$repo" && node_modules/.bin/tsc -p generated/nodejs && cp generated/nodejs/package.json generated/nodejs/bin/)
echo "gen-sdk: wrote generated/{nodejs,go,python,dotnet} (version $version)" >&2
