#!/usr/bin/env bash
# Makes the Pulumi CLI, the Node.js, YAML and Go language hosts and the dynamic-provider plugin available
# without downloading anything but Go modules, and prints the directory that holds them (last line of stdout).
#
#   bash scripts/ensure-pulumi.sh            # find or build, then print the bin directory
#
# Order of preference:
#   1. a `pulumi` on PATH whose version is at least the pinned SDK's (with its own language host);
#   2. binaries already built into the cache (no rebuild when the cache is good);
#   3. a build from the Go module proxy with the Go toolchain (first run: several minutes).
# The cache lives outside the repo so that later runs and CI on the same machine reuse it:
#   ${PULUMI_PARTNERCENTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}/pulumi-<version>
#
# The CLI's version is the installed @pulumi/pulumi's, or PULUMI_PARTNERCENTER_CLI_VERSION. The wrapper
# module pins the floor (3.248.0); another version is built from a copy of it re-resolved with
# `go mod tidy` against the Go module proxy (CI's second pass: the newest SDK, see .ci/run).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wrapper="$repo/scripts/pulumi-cli"
log() { echo "ensure-pulumi: $*" >&2; }

# The pinned SDK version is the one npm installed; the CLI must be at least that.
sdk_version="$(node -p "require('$repo/node_modules/@pulumi/pulumi/package.json').version" 2>/dev/null || true)"
if [ -z "$sdk_version" ]; then
  log "node_modules/@pulumi/pulumi is missing: run 'npm install' first."
  exit 1
fi
version="${PULUMI_PARTNERCENTER_CLI_VERSION:-$sdk_version}"
want="v$version"
pinned="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$wrapper/go.mod")"
cache_root="${PULUMI_PARTNERCENTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"
bin="$cache_root/pulumi-$want/bin"
dynamic_plugin="$repo/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

# The YAML and Go language hosts each live in their own module under scripts/, with their own stamp, so
# that a change of one rebuilds that host only, never the CLI; the language protocol is the engine's,
# so a host built against another minor version serves this CLI.
# - scripts/pulumi-yaml pins github.com/pulumi/pulumi-yaml: the proxy serves v1.25.0, which is built
#   against pkg/v3 v3.206 and does not compile against the CLI's v3.248 (in one module the CLI's
#   version would win).
# - scripts/pulumi-language-go is our own Go host: the proxy refuses the official one (see its main.go).
ensure_language_host() {
  local dir="$1" language="$2" module="$3" package="$4" existing_host stamp_host go_host
  local name="pulumi-language-$language"
  existing_host="$(dirname "$(command -v pulumi 2>/dev/null || echo /nonexistent/pulumi)")/$name"
  if [ -x "$existing_host" ] && [ "$(dirname "$existing_host")" != "$dir" ]; then
    ln -sf "$existing_host" "$dir/$name"
    return 0
  fi
  stamp_host="$(cat "$module/go.mod" "$module/go.sum" "$module"/*.go | sha256sum | cut -d' ' -f1)"
  if [ -x "$dir/$name" ] && [ ! -L "$dir/$name" ] && [ "$(cat "$dir/.stamp-$language" 2>/dev/null)" = "$stamp_host" ]; then
    return 0
  fi
  go_host="$(command -v go 2>/dev/null || true)"
  [ -z "$go_host" ] && [ -x /usr/local/go/bin/go ] && go_host=/usr/local/go/bin/go
  if [ -z "$go_host" ]; then
    log "no $name beside the CLI and no Go toolchain to build one (programs of that language will not run)"
    return 0
  fi
  log "building $name from the Go module proxy (first time only: a few minutes on 2 cores)"
  (cd "$module" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly GOSUMDB=off "$go_host" build -trimpath -o "$dir/$name.$$" -ldflags "-s -w" "$package")
  mv "$dir/$name.$$" "$dir/$name"
  echo "$stamp_host" > "$dir/.stamp-$language"
}

ensure_language_hosts() {
  ensure_language_host "$1" yaml "$repo/scripts/pulumi-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
  ensure_language_host "$1" go "$repo/scripts/pulumi-language-go" .
}

version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

install_dynamic_plugin() {
  # The engine loads dynamic providers through this small script, found on PATH; it resolves
  # @pulumi/pulumi from the program's own directory at run time, so one copy serves every program.
  install -m 0755 "$dynamic_plugin" "$bin/pulumi-resource-pulumi-nodejs"
}

# 1. A CLI on PATH (an official install has the language host beside it).
if existing="$(command -v pulumi 2>/dev/null)" && [ "$(dirname "$existing")" != "$bin" ]; then
  have="$("$existing" version 2>/dev/null | tr -d '[:space:]' || true)"
  host="$(dirname "$existing")/pulumi-language-nodejs"
  if [ -n "$have" ] && version_at_least "$have" "$want" && [ -x "$host" ]; then
    log "using $existing ($have) from PATH"
    mkdir -p "$bin"
    ln -sf "$existing" "$bin/pulumi"
    ln -sf "$host" "$bin/pulumi-language-nodejs"
    install_dynamic_plugin
    ensure_language_hosts "$bin"
    echo "$bin"
    exit 0
  fi
  log "ignoring $existing (version '${have:-unknown}', need >= $want with pulumi-language-nodejs beside it)"
fi

# 2. The cache: good when both binaries exist and were built from exactly these sources.
stamp_of_sources() {
  cat "$wrapper/go.mod" "$wrapper/go.sum" "$wrapper/tools.go" "$wrapper"/cmd/*/*.go | sha256sum | cut -d' ' -f1
}
stamp="$want-$(stamp_of_sources)"
if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ ! -L "$bin/pulumi" ] \
  && [ "$(cat "$bin/.stamp" 2>/dev/null)" = "$stamp" ] \
  && [ "$("$bin/pulumi" version 2>/dev/null | tr -d '[:space:]')" = "$want" ]; then
  install_dynamic_plugin
  ensure_language_hosts "$bin"
  log "using the cached build in $bin"
  echo "$bin"
  exit 0
fi

# 3. Build with Go.
go_bin="$(command -v go 2>/dev/null || true)"
[ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go
if [ -z "$go_bin" ]; then
  log "no Pulumi CLI >= $want on PATH and no Go toolchain to build one."
  log "Install the CLI with the official installer (https://www.pulumi.com/docs/install/:"
  log "  curl -fsSL https://get.pulumi.com | sh), or install Go >= 1.25 and run this again."
  exit 1
fi

log "building the Pulumi CLI $want and the Node.js language host with $("$go_bin" version | cut -d' ' -f3)"
log "into $bin (first time only: this takes several minutes on 2 cores)"
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly
# go.sum in scripts/pulumi-cli is the lock file: every module is checked against it, so the
# checksum database (not reachable from offline machines) is not needed.
export GOSUMDB=off
staging="$(mktemp -d "$cache_root.build.XXXXXX" 2>/dev/null || { mkdir -p "$cache_root"; mktemp -d "$cache_root/build.XXXXXX"; })"
trap 'rm -rf "$staging"' EXIT
start=$SECONDS
src="$wrapper"
if [ "$want" != "$pinned" ]; then
  # Another version than the wrapper pins: a copy re-resolved for it (the proxy's go.sum lines are
  # then computed here, not checked against a committed go.sum).
  src="$(mktemp -d)"
  trap 'rm -rf "$staging" "$src"' EXIT
  cp -r "$wrapper/." "$src/"
  log "resolving the modules of $want (the wrapper pins $pinned)"
  (cd "$src" && "$go_bin" mod edit -require="github.com/pulumi/pulumi/pkg/v3@$want" -require="github.com/pulumi/pulumi/sdk/v3@$want" \
    && GOFLAGS=-mod=mod "$go_bin" mod tidy)
fi
(
  cd "$src"
  log "[1/2] go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
  "$go_bin" build -trimpath -o "$staging/pulumi" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$want" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  log "[2/2] go build ./cmd/pulumi-language-nodejs"
  "$go_bin" build -trimpath -o "$staging/pulumi-language-nodejs" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$want" \
    ./cmd/pulumi-language-nodejs
)
built="$("$staging/pulumi" version | tr -d '[:space:]')"
if [ "$built" != "$want" ]; then
  log "the built CLI reports '$built', expected $want"
  exit 1
fi
echo "$stamp" > "$staging/.stamp"
mkdir -p "$(dirname "$bin")"
rm -rf "$bin.old" && { [ -e "$bin" ] && mv "$bin" "$bin.old" || true; }
mv "$staging" "$bin" && rm -rf "$bin.old"
[ "$src" = "$wrapper" ] || rm -rf "$src"
trap - EXIT
install_dynamic_plugin
ensure_language_hosts "$bin"
log "built in $((SECONDS - start))s: $bin"
echo "$bin"
