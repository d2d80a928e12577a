#!/usr/bin/env bash
# lab-rootless.sh - start a private rootless Docker (dockerd-rootless.sh under rootlesskit).
#
# Usage: scripts/lab-rootless.sh DIR      (DIR at most 60 characters; tear down: lab-runtime-down.sh DIR)
#
# Run as root: it creates a throw-away user (LAB_USER, default `proclens-rl`) whose home is
# DIR/home, with the subordinate uid/gid ranges useradd gives it (userdel in the teardown takes
# them back), then starts, as that user, Debian's dockerd-rootless.sh: rootlesskit (user, mount
# and network namespaces, slirp4netns) → dockerd → containerd, all state under DIR:
#   DIR/xdg/docker.sock     the engine's API (XDG_RUNTIME_DIR is DIR/xdg)
#   DIR/rootlesskit.pid     rootlesskit's pid;  DIR/user: the user's name
#   DIR/data                dockerd --data-root (vfs)
# The image redis:alpine is `docker import` of lab-rootfs.sh's tarball; a container named `rdb`
# runs it (skip with LAB_NO_DB=1). The last line on stdout is  export DOCKER_HOST=unix://DIR/xdg/docker.sock
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
exec 3>&1 1>&2
log() { printf 'lab-rootless: %s\n' "$*" >&2; }
die() { printf 'lab-rootless: error: %s\n' "$*" >&2; exit 1; }

DIR="${1:-}"
[ -n "$DIR" ] || die "usage: $0 DIR"
[ "$(id -u)" = 0 ] || die "must run as root (it creates the throw-away user)"
PATH="$PATH:/usr/sbin:/sbin:/usr/bin:/bin"
ROOTLESS="$(command -v dockerd-rootless.sh || echo /usr/share/docker.io/contrib/dockerd-rootless.sh)"
[ -x "$ROOTLESS" ] || die "dockerd-rootless.sh not found (Debian's docker.io ships it in /usr/share/docker.io/contrib/)"
for bin in dockerd docker rootlesskit slirp4netns newuidmap newgidmap setpriv useradd redis-server busybox; do
  command -v "$bin" >/dev/null 2>&1 || die "missing $bin; install with: apt-get install -y docker.io rootlesskit slirp4netns uidmap redis-server busybox-static"
done
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd -P)"
# The longest socket is DIR/xdg/docker/containerd/containerd.sock.ttrpc.
[ "${#DIR}" -le 60 ] || die "lab directory path too long (${#DIR} chars, max 60; unix socket paths are limited): $DIR"
case "$DIR" in *[\"\\\ ]*) die "lab directory must not contain quotes, backslashes or spaces: $DIR" ;; esac
t0=$SECONDS
USER_NAME="${LAB_USER:-proclens-rl}"
SOCK="$DIR/xdg/docker.sock"
export DOCKER_HOST="unix://$SOCK"
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH || true

if ! id "$USER_NAME" >/dev/null 2>&1; then
  log "creating the throw-away user $USER_NAME"
  useradd -M -d "$DIR/home" -s /usr/sbin/nologin "$USER_NAME"
fi
echo "$USER_NAME" >"$DIR/user"
grep -q "^$USER_NAME:" /etc/subuid && grep -q "^$USER_NAME:" /etc/subgid ||
  die "useradd gave $USER_NAME no range in /etc/subuid and /etc/subgid (SUB_UID_COUNT in /etc/login.defs)"
mkdir -p "$DIR/home" "$DIR/xdg" "$DIR/data"
chown "$USER_NAME:" "$DIR/home" "$DIR/xdg" "$DIR/data"
chmod 0700 "$DIR/xdg"
chmod 0755 "$DIR"
setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups test -w "$DIR/xdg" ||
  die "$USER_NAME cannot reach $DIR/xdg: every directory above $DIR must be searchable by others (chmod o+x)"

answers() { timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
pid="$(tr -dc '0-9' 2>/dev/null <"$DIR/rootlesskit.pid" || true)"
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && answers; then
  log "reusing rootless dockerd under rootlesskit (pid $pid)"
else
  log "starting dockerd-rootless.sh as $USER_NAME (log: $DIR/dockerd.log)"
  (
    # No inherited pipes: a caller reading our stdout must see EOF (as in lab-up.sh).
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    # setpriv execs in place (no PAM session, unlike su), so this pid becomes rootlesskit's.
    exec setsid setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups \
      env -i HOME="$DIR/home" XDG_RUNTIME_DIR="$DIR/xdg" PATH="$(dirname "$ROOTLESS"):/usr/sbin:/usr/bin:/sbin:/bin" \
      "$ROOTLESS" --data-root "$DIR/data" --exec-root "$DIR/xdg/docker" --pidfile "$DIR/xdg/docker.pid" \
      --host "unix://$SOCK" --storage-driver vfs --iptables=false --bridge=none \
      </dev/null >>"$DIR/dockerd.log" 2>&1
  ) &
  echo "$!" >"$DIR/rootlesskit.pid"
  deadline=$((SECONDS + 45))
  until answers; do
    kill -0 "$(cat "$DIR/rootlesskit.pid")" 2>/dev/null || { tail -n 30 "$DIR/dockerd.log" >&2; die "dockerd-rootless.sh exited during start-up"; }
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 30 "$DIR/dockerd.log" >&2; die "rootless dockerd did not answer within 45 s"; }
    sleep 0.3
  done
fi

if ! docker image inspect redis:alpine >/dev/null 2>&1; then
  log "building image redis:alpine from the host's redis-server"
  bash "$SCRIPTS/lab-rootfs.sh" redis "$DIR/rootfs-redis.tar"
  docker import \
    -c 'CMD ["redis-server","--protected-mode","no","--save","","--appendonly","no"]' \
    -c 'WORKDIR /data' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$DIR/rootfs-redis.tar" redis:alpine >/dev/null
  rm -f "$DIR/rootfs-redis.tar"
fi

if [ "${LAB_NO_DB:-0}" != 1 ] && [ "$(docker inspect -f '{{.State.Running}}' rdb 2>/dev/null)" != true ]; then
  docker rm -f rdb >/dev/null 2>&1 || true
  log "starting container rdb (redis:alpine, --network=none)"
  docker run -d --name rdb --network=none redis:alpine >/dev/null
fi

log "ready in $((SECONDS - t0)) s"
printf 'export DOCKER_HOST=%s\n' "$DOCKER_HOST" >"$DIR/env"
printf 'export DOCKER_HOST=%s\n' "$DOCKER_HOST" >&3
