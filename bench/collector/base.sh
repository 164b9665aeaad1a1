#!/bin/sh
# Sources of an older commit beside this tree, for side-by-side runs (run.mjs --compare <dir>):
#   bench/collector/base.sh 47b1ea7 /tmp/wcm-base
#   node bench/collector/run.mjs --compare /tmp/wcm-base --cli --loads 1 --rounds 3
# The copy links this tree's installed packages; run.mjs compiles it. --cli needs the lab and the
# server too (the CLI of older commits imported them).
set -eu
commit=$1
dir=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
pkgs="packages/protocol packages/bpf packages/collector packages/lab apps/server apps/cli"
rm -rf "$dir"
mkdir -p "$dir"
# shellcheck disable=SC2086
git -C "$root" archive "$commit" tsconfig.base.json $pkgs | tar -x -C "$dir"
ln -s "$root/node_modules" "$dir/node_modules"
for p in $pkgs; do
  mkdir -p "$dir/$p/node_modules"
  cp -a "$root/$p/node_modules/." "$dir/$p/node_modules/"
done
echo "$dir: $pkgs of $(git -C "$root" rev-parse --short "$commit")"
