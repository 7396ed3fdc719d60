#!/bin/sh
# build-info.sh: writes Sources/CBuildInfo/build_commit.h with the commit being built
# (`git describe --always --dirty`), only when it changed, so an unchanged tree does not
# relink. Outside a git checkout (a tarball) it writes "unknown". No network.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/Sources/CBuildInfo/build_commit.h"
commit=$(git -C "$root" describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
case "$commit" in *[!A-Za-z0-9._+-]*) commit=unknown ;; esac
new="#define CHATTER_BUILD_COMMIT \"$commit\""
if [ ! -f "$out" ] || [ "$(cat "$out")" != "$new" ]; then
    printf '%s\n' "$new" > "$out"
    # A header that appears for the first time is not in the compiler's dependency file yet.
    touch "$root/Sources/CBuildInfo/BuildInfo.c"
fi
