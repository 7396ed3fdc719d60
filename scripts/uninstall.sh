#!/bin/sh
# uninstall.sh DESTDIR PREFIX: removes exactly the files install.sh recorded in
# PREFIX/share/chatter/install-manifest, then the folders of chatter's own it leaves empty.
set -eu
[ $# -eq 2 ] || { echo "usage: uninstall.sh DESTDIR PREFIX" >&2; exit 1; }
destdir=$1; prefix=$2
manifest="$destdir$prefix/share/chatter/install-manifest"
[ -f "$manifest" ] || { echo "uninstall.sh: nothing installed under $destdir$prefix (no $manifest)" >&2; exit 1; }
count=0
while IFS= read -r path; do
    case "$path" in "$prefix"/*) ;; *) echo "uninstall.sh: skipping $path (outside $prefix)" >&2; continue ;; esac
    if [ -e "$destdir$path" ] || [ -L "$destdir$path" ]; then
        rm -f "$destdir$path"
        count=$((count + 1))
    fi
done < "$manifest"
for d in share/chatter/Assets/demo share/chatter/Assets share/chatter share/doc/chatter/examples share/doc/chatter; do
    rmdir "$destdir$prefix/$d" 2>/dev/null || true
done
echo "removed $count files from $destdir$prefix"
