#!/usr/bin/env bash
# lab-rootfs.sh - build the lab's container root filesystems from this host's binaries, as tarballs.
#
# Usage: scripts/lab-rootfs.sh KIND OUT.tar      KIND: redis | busybox
#
# There is no registry here, so every lab image starts as one of these tarballs: lab-up.sh feeds
# them to `docker import`, lab-podman.sh to `podman import`, lab-containerd.sh wraps one into an
# OCI image archive for `ctr images import`. Both hold static busybox with every applet in /bin,
# a minimal /etc (root, redis uid 999, nobody) and /data owned by 999; `redis` adds the host's
# redis-server (+ redis-cli) with the libraries `ldd` lists, in /usr/local/bin.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
die() { printf 'lab-rootfs: error: %s\n' "$*" >&2; exit 1; }
[ "$#" -eq 2 ] || die "usage: $0 redis|busybox OUT.tar"
kind="$1" out="$2"
case "$kind" in redis | busybox) ;; *) die "unknown kind '$kind' (redis or busybox)" ;; esac

root="$(mktemp -d "${TMPDIR:-/tmp}/lab-rootfs.XXXXXX")"
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,etc,data,tmp,root,proc,sys,dev,usr/bin,usr/local/bin,var/run}
chmod 1777 "$root/tmp"
chown 999:999 "$root/data"
cp /usr/bin/busybox "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
for a in $(/usr/bin/busybox --list); do
  case "$a" in busybox) continue ;; esac
  [ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
redis:x:999:1000::/home/redis:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
redis:x:1000:redis
nogroup:x:65534:
GROUP
printf 'hosts: files\n' >"$root/etc/nsswitch.conf"

if [ "$kind" = redis ]; then
  bash "$SCRIPTS/copy-with-libs.sh" "$root" "$(command -v redis-server)" /usr/local/bin/redis-server
  if command -v redis-cli >/dev/null 2>&1; then
    bash "$SCRIPTS/copy-with-libs.sh" "$root" "$(command -v redis-cli)" /usr/local/bin/redis-cli
  fi
  # Sanity check: the binary must start inside the root filesystem.
  chroot "$root" /usr/local/bin/redis-server --version >&2 || die "redis-server does not run inside the rootfs (missing libraries?)"
fi

tar -C "$root" --numeric-owner -cf "$out" .
