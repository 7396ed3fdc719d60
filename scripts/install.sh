#!/bin/sh
# install.sh BINARY MANUAL_TOOL DESTDIR PREFIX: installs chatter (what `make install` runs).
#   BINARY       the built chatter (make install: the release build)
#   MANUAL_TOOL  ArgumentParser's generate-manual, which writes the man page from the commands' help
# Installs the binary, bash / zsh / fish completions, the man page, the demo data set, the
# examples (keys.conf, config.toml, chatter.env) and the systemd units (with this PREFIX's
# binary), and writes every installed path to PREFIX/share/chatter/install-manifest so that
# uninstall.sh removes exactly those.
set -eu
[ $# -eq 4 ] || { echo "usage: install.sh BINARY MANUAL_TOOL DESTDIR PREFIX" >&2; exit 1; }
bin=$1; mantool=$2; destdir=$3; prefix=$4
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$bin" ] || { echo "install.sh: no chatter binary at $bin" >&2; exit 1; }
[ -x "$mantool" ] || { echo "install.sh: no generate-manual at $mantool" >&2; exit 1; }
case "$prefix" in /*) ;; *) echo "install.sh: PREFIX must be absolute, got $prefix" >&2; exit 1 ;; esac

manifest_rel="$prefix/share/chatter/install-manifest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > "$work/manifest"

# put MODE SOURCE TARGET: installs one file under DESTDIR and records its path.
put() {
    install -D -m "$1" "$2" "$destdir$3"
    echo "$3" >> "$work/manifest"
}

put 755 "$bin" "$prefix/bin/chatter"

"$bin" --generate-completion-script bash > "$work/chatter.bash"
"$bin" --generate-completion-script zsh > "$work/_chatter"
"$bin" --generate-completion-script fish > "$work/chatter.fish"
put 644 "$work/chatter.bash" "$prefix/share/bash-completion/completions/chatter"
put 644 "$work/_chatter" "$prefix/share/zsh/site-functions/_chatter"
put 644 "$work/chatter.fish" "$prefix/share/fish/vendor_completions.d/chatter.fish"

mkdir -p "$work/man"
"$mantool" "$bin" --output-directory "$work/man" > /dev/null
put 644 "$work/man/chatter.1" "$prefix/share/man/man1/chatter.1"

# The demo data set, found by the installed binary at BINDIR/../share/chatter/Assets.
put 644 "$root/Assets/demo/dataset.json" "$prefix/share/chatter/Assets/demo/dataset.json"

for f in "$root"/dist/examples/*; do
    put 644 "$f" "$prefix/share/doc/chatter/examples/$(basename "$f")"
done

for f in "$root"/dist/systemd/*.service; do
    sed "s|@BINDIR@|$prefix/bin|g" "$f" > "$work/$(basename "$f")"
    put 644 "$work/$(basename "$f")" "$prefix/lib/systemd/system/$(basename "$f")"
done
put 644 "$root/dist/systemd/chatter.sysusers" "$prefix/lib/sysusers.d/chatter.conf"

echo "$manifest_rel" >> "$work/manifest"
install -D -m 644 "$work/manifest" "$destdir$manifest_rel"
echo "installed $(wc -l < "$work/manifest") files under $destdir$prefix (list: $destdir$manifest_rel)"
