#!/usr/bin/env bash
# lab-runtime-down.sh - tear down a lab started by lab-podman.sh, lab-containerd.sh or lab-rootless.sh.
#
# Usage: scripts/lab-runtime-down.sh DIR
#
# Stops the lab's daemons by their pid files (DIR/*.pid: TERM, then KILL after 10 s), then every
# process whose command line or working directory names DIR (conmon, shims, containerd, dockerd,
# rootlesskit, slirp4netns) together with everything below them in the process tree (the
# containers' processes, exec'd ones included), unmounts whatever is mounted under DIR, removes
# the empty cgroups the lab's containers left, deletes the throw-away user of a rootless lab
# (userdel also returns its /etc/subuid and /etc/subgid ranges) and removes DIR. Never kills by
# name (a rootless lab's leftovers go by its throw-away user's uid). Safe to run twice, from a
# trap, or after a failed start. Always exits 0.
set -uo pipefail
# shellcheck source=lab-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lab-lib.sh"
LAB_NAME=lab-runtime-down

DIR="${1:-}"
DIR="$(realpath -m -- "$DIR" 2>/dev/null || printf '%s' "$DIR")"
DIR="${DIR%/}"
case "$DIR" in "" | / | /tmp | /root | /home | /var | /usr | /etc | /run)
  log "refusing to tear down '$DIR'"; exit 0 ;;
esac
[ -e "$DIR" ] || { log "nothing to do for $DIR"; exit 0; }
PATH="$PATH:/usr/sbin:/sbin:/usr/bin:/bin"

alive() { [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

stop_pids() { # stop_pids SIGNAL_FIRST PID...: SIGNAL_FIRST, 10 s, then KILL
  local sig="$1" p end
  shift
  [ "$#" -gt 0 ] || return 0
  for p in "$@"; do kill "-$sig" "$p" 2>/dev/null; done
  end=$((SECONDS + 10))
  for p in "$@"; do
    while alive "$p" && [ "$SECONDS" -lt "$end" ]; do sleep 0.2; done
    alive "$p" && kill -KILL "$p" 2>/dev/null
  done
  return 0
}

# 1. Containers through their own tools, while the daemons still answer (short timeouts).
if [ -x "$DIR/podman" ]; then
  timeout 60 "$DIR/podman" rm -af -t 0 >/dev/null 2>&1 || log "podman rm failed (continuing)"
fi
if [ -S "$DIR/xdg/docker.sock" ]; then
  ids="$(DOCKER_HOST="unix://$DIR/xdg/docker.sock" timeout 15 docker ps -aq 2>/dev/null)"
  # shellcheck disable=SC2086
  [ -n "$ids" ] && DOCKER_HOST="unix://$DIR/xdg/docker.sock" timeout 60 docker rm -f $ids >/dev/null 2>&1
fi

# 2. The daemons by pid file, container processes first (a container's pid 1 ignores TERM).
pids=()
for f in "$DIR"/*.pid; do
  [ -s "$f" ] || continue
  p="$(tr -dc '0-9' <"$f")"
  [ -n "$p" ] && alive "$p" && pids+=("$p")
done
tree="$(lab_tree)"
# shellcheck disable=SC2086
stop_pids KILL $(for p in $tree; do case " ${pids[*]:-} " in *" $p "*) ;; *) printf '%s ' "$p" ;; esac; done)
[ "${#pids[@]}" -gt 0 ] && { log "stopping pid(s) ${pids[*]}"; stop_pids TERM "${pids[@]}"; }

# 3. Anything left that still names DIR.
# shellcheck disable=SC2046
stop_pids KILL $(lab_tree)

# 4. Mounts (Podman's shm, containerd's rootfs), deepest first.
findmnt -rn -o TARGET 2>/dev/null | awk -v d="$DIR" 'index($0, d "/") == 1' | sort -r | while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
done

# 5. Empty cgroups of the lab's containers, one path per line in DIR/cgroups (runc leaves the
# parents it made, such as kubepods/besteffort/pod<uid>).
if [ -s "$DIR/cgroups" ]; then
  while read -r cg; do
    [ -n "$cg" ] || continue
    find /sys/fs/cgroup -depth -type d \( -path "*/$cg/*" -o -path "*/$cg" \) -exec rmdir {} \; 2>/dev/null
  done <"$DIR/cgroups"
fi

# 6. The rootless lab's user, made for this lab alone: whatever still runs as it (rootless
# Podman's pause process names no path) goes, then the user and its subordinate id ranges.
if [ -s "$DIR/user" ]; then
  name="$(tr -dc 'a-z0-9_-' <"$DIR/user")"
  if [ -n "$name" ] && uid="$(id -u "$name" 2>/dev/null)" && [ "$uid" != 0 ]; then
    # shellcheck disable=SC2046
    stop_pids TERM $(pgrep -U "$uid")
    userdel "$name" 2>/dev/null || log "could not remove user $name"
  fi
fi

if rm -rf --one-file-system -- "$DIR" 2>/dev/null; then log "removed $DIR"; else log "could not remove all of $DIR"; fi
exit 0
