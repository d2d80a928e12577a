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
# The image redis:alpine is `docker import` of lab-rootfs.sh's tarball; a container named `rcache`
# runs it (skip with LAB_NO_DB=1). The last line on stdout is  export DOCKER_HOST=unix://DIR/xdg/docker.sock
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=lab-lib.sh
source "$SCRIPTS/lab-lib.sh"
LAB_ARG="${1:-}"
ROOTLESS="$(command -v dockerd-rootless.sh || echo /usr/share/docker.io/contrib/dockerd-rootless.sh)"
# The longest socket is DIR/xdg/docker/containerd/containerd.sock.ttrpc.
lab_start lab-rootless 60 "docker.io rootlesskit slirp4netns uidmap redis-server busybox-static" dockerd docker rootlesskit slirp4netns newuidmap newgidmap setpriv useradd redis-server busybox
[ -x "$ROOTLESS" ] || die "dockerd-rootless.sh not found (Debian's docker.io ships it in /usr/share/docker.io/contrib/)"
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
pid="$(lab_pid rootlesskit.pid)"
if [ -n "$pid" ] && answers; then
  log "reusing rootless dockerd under rootlesskit (pid $pid)"
else
  log "starting dockerd-rootless.sh as $USER_NAME (log: $DIR/dockerd.log)"
  # setpriv execs in place (no PAM session, unlike su), so the pid file holds rootlesskit's pid.
  start_detached rootlesskit.pid dockerd.log setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups \
    env -i HOME="$DIR/home" XDG_RUNTIME_DIR="$DIR/xdg" PATH="$(dirname "$ROOTLESS"):/usr/sbin:/usr/bin:/sbin:/bin" \
    "$ROOTLESS" --data-root "$DIR/data" --exec-root "$DIR/xdg/docker" --pidfile "$DIR/xdg/docker.pid" \
    --host "unix://$SOCK" --storage-driver vfs --iptables=false --bridge=none
  deadline=$((SECONDS + 45))
  until answers; do
    kill -0 "$(cat "$DIR/rootlesskit.pid")" 2>/dev/null || { tail -n 30 "$DIR/dockerd.log" >&2; die "dockerd-rootless.sh exited during start-up"; }
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 30 "$DIR/dockerd.log" >&2; die "rootless dockerd did not answer within 45 s"; }
    sleep 0.3
  done
fi

docker image inspect redis:alpine >/dev/null 2>&1 || lab_import_redis docker redis:alpine

if [ "${LAB_NO_DB:-0}" != 1 ] && [ "$(docker inspect -f '{{.State.Running}}' rcache 2>/dev/null)" != true ]; then
  docker rm -f rcache >/dev/null 2>&1 || true
  log "starting container rcache (redis:alpine, --network=none)"
  docker run -d --name rcache --network=none redis:alpine >/dev/null
fi

log "ready in $((SECONDS - t0)) s"
printf 'export DOCKER_HOST=%s\n' "$DOCKER_HOST" >"$DIR/env"
printf 'export DOCKER_HOST=%s\n' "$DOCKER_HOST" >&3
