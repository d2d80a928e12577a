#!/usr/bin/env bash
# lab-podman.sh - start a private, throw-away rootful Podman for proclens.
#
# Usage: scripts/lab-podman.sh DIR      (DIR at most 70 characters; tear down: lab-runtime-down.sh DIR)
#
# Everything lives under DIR:
#   DIR/podman           podman with this lab's storage and settings: use it like `podman`
#   DIR/podman.sock      Podman's Docker-compatible API (`podman system service --time=0`)
#   DIR/service.pid      the API service's pid
#   DIR/containers.conf  default ulimits: this VM's hard limits are below Podman's defaults
# Storage is vfs, the cgroup manager cgroupfs (there is no systemd here), events go to a file.
# The image localhost/redis:alpine is `podman import` of lab-rootfs.sh's tarball; a container
# named `pdb` runs it (skip with LAB_NO_DB=1). The last line on stdout is
#   export CONTAINER_HOST=unix://DIR/podman.sock
# which proclens reads (as --podman-host), and which turns a plain `podman` into a client of the
# lab's service; DIR/podman ignores it and works on the storage directly.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
exec 3>&1 1>&2
log() { printf 'lab-podman: %s\n' "$*" >&2; }
die() { printf 'lab-podman: error: %s\n' "$*" >&2; exit 1; }

DIR="${1:-}"
[ -n "$DIR" ] || die "usage: $0 DIR"
[ "$(id -u)" = 0 ] || die "must run as root (rootful Podman)"
PATH="$PATH:/usr/sbin:/sbin:/usr/bin:/bin"
for bin in podman conmon runc redis-server busybox; do
  command -v "$bin" >/dev/null 2>&1 || die "missing $bin; install with: apt-get install -y podman redis-server busybox-static"
done
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd -P)"
[ "${#DIR}" -le 70 ] || die "lab directory path too long (${#DIR} chars, max 70; unix socket paths are limited): $DIR"
case "$DIR" in *[\"\\\ ]*) die "lab directory must not contain quotes, backslashes or spaces: $DIR" ;; esac
t0=$SECONDS

mkdir -p "$DIR/root" "$DIR/run" "$DIR/tmp"
cat >"$DIR/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
EOF
# Local mode always: CONTAINER_HOST in the caller's environment would make podman talk to a service.
cat >"$DIR/podman" <<EOF
#!/bin/sh
exec env -u CONTAINER_HOST -u CONTAINER_CONNECTION CONTAINERS_CONF="$DIR/containers.conf" \\
  podman --root "$DIR/root" --runroot "$DIR/run" --tmpdir "$DIR/tmp" --storage-driver vfs \\
  --cgroup-manager cgroupfs --events-backend file "\$@"
EOF
chmod 0755 "$DIR/podman"
pm() { "$DIR/podman" "$@"; }

if ! pm image exists localhost/redis:alpine; then
  log "building image localhost/redis:alpine from the host's redis-server"
  bash "$SCRIPTS/lab-rootfs.sh" redis "$DIR/rootfs-redis.tar"
  pm import \
    -c 'CMD ["redis-server","--protected-mode","no","--save","","--appendonly","no"]' \
    -c 'WORKDIR /data' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$DIR/rootfs-redis.tar" localhost/redis:alpine >/dev/null
  rm -f "$DIR/rootfs-redis.tar"
fi

SOCK="$DIR/podman.sock"
pid="$(tr -dc '0-9' 2>/dev/null <"$DIR/service.pid" || true)"
if [ -n "$pid" ] && [ -S "$SOCK" ] && kill -0 "$pid" 2>/dev/null; then
  log "reusing the API service (pid $pid)"
else
  rm -f "$SOCK"
  log "starting podman system service on $SOCK"
  (
    # No inherited pipes: a caller reading our stdout must see EOF (as in lab-up.sh).
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid "$DIR/podman" system service --time=0 "unix://$SOCK" </dev/null >>"$DIR/service.log" 2>&1
  ) &
  echo "$!" >"$DIR/service.pid"
  deadline=$((SECONDS + 30))
  until curl -fsS --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$DIR/service.log" >&2; die "the API service did not answer within 30 s"; }
    sleep 0.2
  done
fi

if [ "${LAB_NO_DB:-0}" != 1 ] && [ "$(pm inspect -f '{{.State.Running}}' pdb 2>/dev/null)" != true ]; then
  pm rm -f pdb >/dev/null 2>&1 || true
  log "starting container pdb (localhost/redis:alpine, --network=none)"
  pm run -d --name pdb --network=none localhost/redis:alpine >/dev/null
fi

log "ready in $((SECONDS - t0)) s; podman: $DIR/podman; API: unix://$SOCK"
printf 'export CONTAINER_HOST=unix://%s\n' "$SOCK" >"$DIR/env"
printf 'export CONTAINER_HOST=unix://%s\n' "$SOCK" >&3
