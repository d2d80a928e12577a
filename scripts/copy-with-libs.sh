#!/usr/bin/env bash
# copy-with-libs.sh - put a dynamically linked binary into a root filesystem with what it needs.
#
# Usage: scripts/copy-with-libs.sh ROOT BINARY DEST
#
# Installs BINARY (mode 0755) at ROOT/DEST (DEST: a path inside the root filesystem, e.g.
# /usr/local/bin/node), then copies every shared library `ldd` lists for it, the dynamic loader
# included, to the same path under ROOT (dereferenced: the file, not the distribution's link).
# Libraries already in ROOT are left alone, so several binaries can share one ROOT.
# Used by lab-rootfs.sh (the lab images) and build-node-base.sh (the local Node base image).
set -euo pipefail

[ "$#" -eq 3 ] || {
  printf 'usage: %s ROOT BINARY DEST\n' "$0" >&2
  exit 2
}
root="$1" bin="$2" dest="$3"
[ -f "$bin" ] || {
  printf 'copy-with-libs: %s: no such file\n' "$bin" >&2
  exit 1
}

install -D -m 0755 "$bin" "$root$dest"
# ldd prints "libx.so => /lib/.../libx.so (0x..)" for libraries and "/lib64/ld-linux-x86-64.so.2
# (0x..)" for the loader; a static binary makes it fail, which leaves nothing to copy.
while read -r lib; do
  [ -n "$lib" ] || continue
  [ -e "$root$lib" ] && continue
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done < <(ldd "$bin" 2>/dev/null | awk '
  $2 == "=>" && $3 ~ /^\// { print $3; next }
  $1 ~ /^\// { print $1 }')
