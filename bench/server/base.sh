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
pkgs="apps/server packages/protocol"
# The server imports @weft/policy since the NetworkPolicy work: a workspace link into the copy, so copy it too.
if git -C "$root" cat-file -e "$commit:packages/policy" 2>/dev/null; then pkgs="$pkgs packages/policy"; fi
paths=""
for p in $pkgs; do paths="$paths $p/src $p/package.json"; done
# shellcheck disable=SC2086
git -C "$root" archive "$commit" $paths | tar -x -C "$dir"
ln -s "$root/node_modules" "$dir/node_modules"
for p in $pkgs; do
  mkdir -p "$dir/$p/node_modules"
  cp -a "$root/$p/node_modules/." "$dir/$p/node_modules/"
done
echo "$dir: $pkgs of $(git -C "$root" rev-parse --short "$commit")"
