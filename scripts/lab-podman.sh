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
# named `pcache` runs it (skip with LAB_NO_DB=1). The last line on stdout is
#   export CONTAINER_HOST=unix://DIR/podman.sock
# which proclens reads (as --podman-host), and which turns a plain `podman` into a client of the
# lab's service; DIR/podman ignores it and works on the storage directly.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=lab-lib.sh
source "$SCRIPTS/lab-lib.sh"
LAB_ARG="${1:-}"
lab_start lab-podman 70 "podman redis-server busybox-static curl" podman conmon runc redis-server busybox curl
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

pm image exists localhost/redis:alpine || lab_import_redis "$DIR/podman" localhost/redis:alpine

SOCK="$DIR/podman.sock"
pid="$(lab_pid service.pid)"
if [ -n "$pid" ] && [ -S "$SOCK" ]; then
  log "reusing the API service (pid $pid)"
else
  rm -f "$SOCK"
  log "starting podman system service on $SOCK"
  start_detached service.pid service.log "$DIR/podman" system service --time=0 "unix://$SOCK"
  deadline=$((SECONDS + 30))
  until curl -fsS --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$DIR/service.log" >&2; die "the API service did not answer within 30 s"; }
    sleep 0.2
  done
fi

if [ "${LAB_NO_DB:-0}" != 1 ] && [ "$(pm inspect -f '{{.State.Running}}' pcache 2>/dev/null)" != true ]; then
  pm rm -f pcache >/dev/null 2>&1 || true
  log "starting container pcache (localhost/redis:alpine, --network=none)"
  pm run -d --name pcache --network=none localhost/redis:alpine >/dev/null
fi

log "ready in $((SECONDS - t0)) s; podman: $DIR/podman; API: unix://$SOCK"
printf 'export CONTAINER_HOST=unix://%s\n' "$SOCK" >"$DIR/env"
printf 'export CONTAINER_HOST=unix://%s\n' "$SOCK" >&3
