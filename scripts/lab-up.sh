#!/usr/bin/env bash
# lab-up.sh - start a private, throw-away Docker engine for proclens.
#
# Usage: scripts/lab-up.sh [DIR]      (DIR defaults to $LAB_DIR or /tmp/proclens-lab)
#
# Starts dockerd (vfs storage, no bridge, no iptables) with all of its state
# under DIR, builds the local images `redis:alpine` and `lab/busybox` with
# `docker import` (there is no registry), and runs a container named `db`
# (skip with LAB_NO_DB=1). Progress goes to stderr; the last line on stdout is
#   export DOCKER_HOST=unix://DIR/docker.sock
# so that  eval "$(scripts/lab-up.sh | tail -1)"  works. Idempotent.
# Set LAB_REBUILD=1 to rebuild the images, LAB_DOCKERD_ARGS to give dockerd more options (split
# on blanks; e.g. a TLS listener on a loopback TCP port). Tear down with scripts/lab-down.sh.
set -euo pipefail

# This script's folder, for lab-rootfs.sh (before anything changes directory).
SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

# Keep stdout for the final export line only; everything else goes to stderr.
exec 3>&1 1>&2

log() { printf 'lab-up: %s\n' "$*" >&2; }
die() { printf 'lab-up: error: %s\n' "$*" >&2; exit 1; }

DIR="${1:-${LAB_DIR:-/tmp/proclens-lab}}"
[ -n "$DIR" ] || die "empty lab directory"
case "$DIR" in /) die "refusing to use / as the lab directory" ;; esac

# --- preflight ---------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "must run as root (dockerd needs it); try: sudo $0 ${1:-}"

PATH="$PATH:/usr/sbin:/sbin:/usr/bin:/bin:/usr/local/bin"
missing=()
for bin in dockerd containerd containerd-shim-runc-v2 runc redis-server busybox docker; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
done
if [ "${#missing[@]}" -gt 0 ]; then
  die "missing: ${missing[*]}
  install with:  apt-get update && apt-get install -y docker.io redis-server busybox-static"
fi
DOCKER_BIN="${DOCKER_BIN:-$(command -v docker)}"

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd -P)"
case "$DIR" in *[\"\\]*) die "lab directory must not contain quotes or backslashes: $DIR" ;; esac
SOCK="$DIR/docker.sock"
PIDFILE="$DIR/docker.pid"
DLOG="$DIR/dockerd.log"
# containerd's socket lives at DIR/exec/containerd/containerd.sock: keep it
# under the 108-byte sun_path limit.
if [ "${#DIR}" -gt 70 ]; then
  die "lab directory path too long (${#DIR} chars, max 70; unix socket paths are limited): $DIR"
fi

export DOCKER_HOST="unix://$SOCK"
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH || true
docker() { "$DOCKER_BIN" "$@"; }
engine_answers() { timeout 10 "$DOCKER_BIN" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

t0=$SECONDS

# --- engine --------------------------------------------------------------------
# Prints the pid of the lab's dockerd if it is alive, else nothing.
live_dockerd_pid() {
  local pid
  [ -s "$PIDFILE" ] || return 0
  pid="$(tr -dc '0-9' <"$PIDFILE")"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 0
  case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in
    */dockerd*) echo "$pid" ;;
  esac
}

pid="$(live_dockerd_pid)"
if [ -n "$pid" ]; then
  log "reusing running dockerd (pid $pid) in $DIR"
else
  rm -f "$PIDFILE" "$SOCK"
  mkdir -p "$DIR/root" "$DIR/exec"
  # Own config file: ignore the host's /etc/docker/daemon.json, and keep the
  # libtrust key dockerd 20.10 insists on writing (default
  # /etc/docker/key.json) inside DIR. The key path has no CLI flag.
  printf '{\n  "deprecated-key-path": "%s/key.json"\n}\n' "$DIR" >"$DIR/daemon.json"
  log "starting dockerd in $DIR (log: $DLOG)"
  # setsid: own session, so it survives this script and its terminal.
  # Close every fd above 2 first: fd 3 is our real stdout, and if dockerd
  # (and containerd after it) inherited it or any other pipe of the caller,
  # `eval "$(scripts/lab-up.sh | tail -1)"` would never see EOF and hang.
  (
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid nohup dockerd \
      --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
      --storage-driver=vfs \
      --data-root="$DIR/root" --exec-root="$DIR/exec" \
      --host="unix://$SOCK" --pidfile="$PIDFILE" \
      --config-file="$DIR/daemon.json" \
      ${LAB_DOCKERD_ARGS:-} \
      </dev/null >>"$DLOG" 2>&1
  ) &
  spawned=$!
  echo "$spawned" >"$DIR/dockerd.spawn.pid"
fi

log "waiting for the engine to answer on $SOCK"
deadline=$((SECONDS + 30))
until engine_answers; do
  if [ -z "$pid" ] && ! kill -0 "$spawned" 2>/dev/null; then
    log "dockerd exited during startup; tail of $DLOG:"
    tail -n 30 "$DLOG" >&2 || true
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "timed out after 30 s waiting for dockerd; tail of $DLOG:"
    tail -n 30 "$DLOG" >&2 || true
    exit 1
  fi
  sleep 0.5
done
log "engine up: server $(docker version --format '{{.Server.Version}}' 2>/dev/null) ($((SECONDS - t0)) s)"

# --- images --------------------------------------------------------------------
image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

if [ "${LAB_REBUILD:-0}" = 1 ] || ! image_exists redis:alpine; then
  log "building image redis:alpine from the host's redis-server"
  bash "$SCRIPTS/lab-rootfs.sh" redis "$DIR/rootfs-redis.tar"
  docker import \
    -c 'CMD ["redis-server","--protected-mode","no","--save","","--appendonly","no"]' \
    -c 'WORKDIR /data' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV REDIS_VERSION=7.0.15' \
    -c 'EXPOSE 6379' \
    -m 'proclens lab: host redis-server + busybox' \
    "$DIR/rootfs-redis.tar" redis:alpine >/dev/null
  rm -f "$DIR/rootfs-redis.tar"
else
  log "image redis:alpine present"
fi

if [ "${LAB_REBUILD:-0}" = 1 ] || ! image_exists lab/busybox; then
  log "building image lab/busybox"
  bash "$SCRIPTS/lab-rootfs.sh" busybox "$DIR/rootfs-busybox.tar"
  docker import \
    -c 'CMD ["sleep","86400"]' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -m 'proclens lab: busybox' \
    "$DIR/rootfs-busybox.tar" lab/busybox >/dev/null
  rm -f "$DIR/rootfs-busybox.tar"
else
  log "image lab/busybox present"
fi

# --- db container --------------------------------------------------------------
is_running() { [ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

if [ "${LAB_NO_DB:-0}" != 1 ]; then
  fresh=0
  if is_running db; then
    log "container db already running"
  else
    fresh=1
    if docker inspect db >/dev/null 2>&1; then
      log "removing stale container db"
      docker rm -f db >/dev/null
    fi
    log "starting container db (redis:alpine, --network=none)"
    docker run -d --name=db --network=none redis:alpine >/dev/null
  fi
  deadline=$((SECONDS + 15))
  until is_running db; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "container db is not running; its logs:"
      docker logs --tail 30 db >&2 || true
      exit 1
    fi
    sleep 0.3
  done
  # Make sure it stays up (redis-server must be in the foreground as pid 1).
  [ "$fresh" = 1 ] && sleep 1
  if ! is_running db; then
    log "container db exited right after start; its logs:"
    docker logs --tail 30 db >&2 || true
    exit 1
  fi
  log "container db running ($(docker inspect -f '{{.State.Pid}}' db) on the host)"
fi

printf 'export DOCKER_HOST=%s\n' "$DOCKER_HOST" >"$DIR/env"
log "ready in $((SECONDS - t0)) s; use:  source $DIR/env   (or eval the line below)"
printf 'export DOCKER_HOST=%s\n' "$DOCKER_HOST" >&3
