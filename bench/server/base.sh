#!/bin/sh
# Sources of an older commit beside this tree, for the side-by-side benchmarks (--base=<dir>):
#   bench/server/base.sh 47b1ea7 /tmp/wsx-base
# The copy links this tree's installed packages; its own packages/protocol stands in for @weft/protocol.
set -eu
commit=$1
dir=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$dir"
mkdir -p "$dir"
git -C "$root" archive "$commit" apps/server/src apps/server/package.json packages/protocol/src packages/protocol/package.json | tar -x -C "$dir"
ln -s "$root/node_modules" "$dir/node_modules"
for p in apps/server packages/protocol; do
  mkdir -p "$dir/$p/node_modules"
  cp -a "$root/$p/node_modules/." "$dir/$p/node_modules/"
done
echo "$dir: apps/server and packages/protocol of $(git -C "$root" rev-parse --short "$commit")"
