#!/usr/bin/env bash
# lab-down.sh - tear down the private Docker engine started by lab-up.sh.
#
# Usage: scripts/lab-down.sh [DIR]    (DIR defaults to $LAB_DIR or /tmp/proclens-lab)
#
# Removes every container of that engine, stops its dockerd (pid file; TERM,
# then KILL after 15 s), kills any containerd / containerd-shim-runc-v2 / runc
# left over from THIS engine (found via /proc: cmdline or cwd under DIR) and
# any container processes of its containers, unmounts everything under DIR
# and deletes DIR. Safe to run twice, from a trap, or after a failed lab-up.
# Always exits 0.
set -uo pipefail

log() { printf 'lab-down: %s\n' "$*" >&2; }

DIR="${1:-${LAB_DIR:-/tmp/proclens-lab}}"
if [ -z "$DIR" ] || [ "$DIR" = / ]; then
  log "refusing to tear down '${DIR}'"
  exit 0
fi
DIR="$(realpath -m -- "$DIR" 2>/dev/null || printf '%s' "$DIR")"
DIR="${DIR%/}"
case "$DIR" in "" | / | /tmp | /root | /home | /var | /usr | /etc)
  log "refusing to tear down '$DIR'"; exit 0 ;;
esac

if [ "$(id -u)" != 0 ]; then
  log "warning: not root; cleanup will probably be incomplete"
fi

PATH="$PATH:/usr/sbin:/sbin:/usr/bin:/bin:/usr/local/bin"
SOCK="$DIR/docker.sock"
DOCKER_BIN="${DOCKER_BIN:-$(command -v docker 2>/dev/null || true)}"
# containerd's task bundles (one dir per running container, named by id).
TASKS="$DIR/exec/containerd/daemon/io.containerd.runtime.v2.task"

# True if any argument of pid $1's cmdline, or its cwd, is DIR or under DIR.
refs_dir() {
  local pid="$1" arg cwd
  local -a args=()
  mapfile -d '' -t args <"/proc/$pid/cmdline" 2>/dev/null || return 1
  for arg in "${args[@]}"; do
    case "$arg" in *"$DIR" | *"$DIR"/*) return 0 ;; esac
  done
  cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null)" || return 1
  case "$cwd" in "$DIR" | "$DIR"/*) return 0 ;; esac
  return 1
}

exe_name() { local e; e="$(readlink "/proc/$1/exe" 2>/dev/null)" || return 1; e="${e% (deleted)}"; printf '%s' "${e##*/}"; }

# Engine daemons (not arbitrary processes such as our caller's shell) that
# belong to this lab.
lab_daemon_pids() {
  local p pid name
  for p in /proc/[0-9]*; do
    pid="${p#/proc/}"
    [ "$pid" = "$$" ] && continue
    name="$(exe_name "$pid")" || continue
    case "$name" in
      dockerd | containerd | containerd-shim-runc-v2 | containerd-shim | containerd-shim-runc-v1 | runc | docker-proxy | docker-init)
        refs_dir "$pid" && printf '%s\n' "$pid" ;;
    esac
  done
}

# Ids of containers this engine knows about (bundles + container dirs).
container_ids() {
  local d
  for d in "$TASKS"/*/* "$DIR"/root/containers/*; do
    [ -d "$d" ] || continue
    d="${d##*/}"
    [[ "$d" =~ ^[0-9a-f]{64}$ ]] && printf '%s\n' "$d"
  done | sort -u
}

# Processes living in the cgroup of one of our containers.
container_pids() {
  local ids p pid
  ids="$(container_ids)"
  [ -n "$ids" ] || return 0
  for p in /proc/[0-9]*; do
    pid="${p#/proc/}"
    [ -r "$p/cgroup" ] || continue
    if grep -qFf <(printf '%s\n' "$ids") "$p/cgroup" 2>/dev/null; then
      printf '%s\n' "$pid"
    fi
  done
}

# Shim sockets (containerd 1.5+ puts them in /run/containerd/s/<sha256>).
shim_sockets() {
  local f a
  for f in "$TASKS"/*/*/address; do
    [ -r "$f" ] || continue
    a="$(cat "$f" 2>/dev/null)"
    a="${a#unix://}"
    case "$a" in /*) printf '%s\n' "$a" ;; esac
  done
}

wait_gone() { # wait_gone SECONDS PID...
  local t="$1" p left
  shift
  local end=$((SECONDS + t))
  while :; do
    left=""
    for p in "$@"; do [ -d "/proc/$p" ] && [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ] && left="$left $p"; done
    [ -z "$left" ] && return 0
    [ "$SECONDS" -ge "$end" ] && { printf '%s' "$left"; return 1; }
    sleep 0.2
  done
}

# dockerd and the shims are re-parented to pid 1 once lab-up.sh exits, so
# their zombies are reaped by init, not by us. Give init a moment so that
# `ps` is clean when we return (non-fatal).
wait_reaped() { # wait_reaped SECONDS PID...
  local end=$((SECONDS + $1)) p left
  shift
  while :; do
    left=""
    for p in "$@"; do [ -d "/proc/$p" ] && left="$left $p"; done
    [ -z "$left" ] && return 0
    if [ "$SECONDS" -ge "$end" ]; then
      log "note: pid(s)$left exited but are not reaped yet (zombies of pid 1)"
      return 1
    fi
    sleep 0.2
  done
}

did_something=0
all_killed=""
sockets_seen="$(shim_sockets)"

# --- 1. containers -----------------------------------------------------------
dockerd_pid=""
for f in "$DIR/docker.pid" "$DIR/dockerd.spawn.pid"; do
  [ -s "$f" ] || continue
  p="$(tr -dc '0-9' <"$f")"
  if [ -n "$p" ] && [ -d "/proc/$p" ] && [ "$(exe_name "$p")" = dockerd ]; then
    dockerd_pid="$p"; break
  fi
done
if [ -z "$dockerd_pid" ]; then
  # pid file gone (e.g. lab-up killed early): look for a dockerd using DIR.
  for p in $(lab_daemon_pids); do
    [ "$(exe_name "$p")" = dockerd ] && { dockerd_pid="$p"; break; }
  done
fi

if [ -n "$dockerd_pid" ] && [ -S "$SOCK" ] && [ -n "$DOCKER_BIN" ]; then
  export DOCKER_HOST="unix://$SOCK"
  unset DOCKER_CONTEXT || true
  ids="$(timeout 15 "$DOCKER_BIN" ps -aq 2>/dev/null)"
  if [ -n "$ids" ]; then
    log "removing containers: $(echo $ids)"
    # shellcheck disable=SC2086
    timeout 60 "$DOCKER_BIN" rm -f $ids >/dev/null 2>&1 || log "warning: docker rm -f failed (continuing)"
    did_something=1
  fi
fi

# --- 2. dockerd ----------------------------------------------------------------
if [ -n "$dockerd_pid" ]; then
  log "stopping dockerd (pid $dockerd_pid)"
  kill -TERM "$dockerd_pid" 2>/dev/null
  if ! wait_gone 15 "$dockerd_pid" >/dev/null; then
    log "dockerd did not stop within 15 s; sending SIGKILL to $dockerd_pid"
    kill -KILL "$dockerd_pid" 2>/dev/null
    wait_gone 5 "$dockerd_pid" >/dev/null
  fi
  all_killed="$all_killed $dockerd_pid"
  did_something=1
fi

# --- 3. leftover containerd / shims / container processes -----------------------
# Container processes get SIGKILL right away (a container's pid 1 ignores
# SIGTERM unless it handles it); the daemons get TERM first, then KILL.
cpids="$(container_pids | sort -un)"
for p in $cpids; do
  log "killing leftover container pid $p ($(exe_name "$p" || echo '?')) with SIGKILL"
  kill -KILL "$p" 2>/dev/null
done
if [ -n "$cpids" ]; then
  # shellcheck disable=SC2086
  wait_gone 5 $cpids >/dev/null
  did_something=1
fi
for round in 1 2; do
  pids="$( { lab_daemon_pids; container_pids; } | sort -un)"
  [ -n "$pids" ] || break
  sig=TERM; [ "$round" = 2 ] && sig=KILL
  for p in $pids; do
    log "killing leftover pid $p ($(exe_name "$p" || echo '?')) with SIG$sig"
    kill "-$sig" "$p" 2>/dev/null
  done
  # shellcheck disable=SC2086
  wait_gone 5 $pids >/dev/null
  all_killed="$all_killed $pids"
  did_something=1
done

sockets_seen="$(printf '%s\n%s\n' "$sockets_seen" "$(shim_sockets)" | sort -u)"
for s in $sockets_seen; do
  if [ -e "$s" ]; then
    log "removing stale shim socket $s"
    rm -f -- "$s"
  fi
done

# --- 4. mounts -------------------------------------------------------------------
# mountinfo field 5 is the mount point, with space/tab/newline/backslash octal-escaped.
lab_mounts() {
  awk '{print $5}' /proc/self/mountinfo | while IFS= read -r m; do
    m="$(printf '%b' "$m")"
    case "$m" in "$DIR" | "$DIR"/*) printf '%s\n' "$m" ;; esac
  done | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-
}
for round in 1 2 3; do
  mounts="$(lab_mounts)"
  [ -n "$mounts" ] || break
  while IFS= read -r m; do
    [ -n "$m" ] || continue
    if umount "$m" 2>/dev/null; then
      log "unmounted $m"
    elif umount -l "$m" 2>/dev/null; then
      log "lazily unmounted $m"
    fi
  done <<<"$mounts"
  did_something=1
done
if [ -n "$(lab_mounts)" ]; then
  log "warning: mounts still present under $DIR:"
  lab_mounts >&2
fi

# --- 5. host paths ------------------------------------------------------------------
# dockerd/containerd/umount create a few paths outside DIR whatever we do:
# /opt/containerd/{bin,lib} (containerd's opt plugin), /run/containerd/s (shim
# sockets), /run/docker/plugins, /run/mount (libmount). Remove them if they
# are empty and no other dockerd/containerd is running on this host.
other_engine=""
for p in /proc/[0-9]*; do
  pid="${p#/proc/}"
  case "$(exe_name "$pid")" in dockerd | containerd) ;; *) continue ;; esac
  [ "$(awk '{print $3}' "$p/stat" 2>/dev/null)" = Z ] && continue
  other_engine="$other_engine $pid"
done
host_paths=""
for p in /opt/containerd /run/containerd /run/docker /run/mount; do
  [ -d "$p" ] && host_paths="$host_paths $p"
done
if [ -z "$host_paths" ]; then
  :
elif [ -n "$other_engine" ]; then
  log "another dockerd/containerd is running (pid$other_engine): leaving$host_paths alone"
else
  for p in $host_paths; do
    [ -d "$p" ] || continue
    find "$p" -depth -type d -empty -delete 2>/dev/null
    if [ -e "$p" ]; then log "left $p in place (not empty)"; else log "removed empty $p"; fi
  done
fi

# --- 6. DIR --------------------------------------------------------------------------
if [ -e "$DIR" ]; then
  if rm -rf --one-file-system -- "$DIR" 2>/dev/null; then
    log "removed $DIR"
  else
    log "warning: could not remove all of $DIR"
  fi
  did_something=1
fi

# shellcheck disable=SC2086
[ -n "$all_killed" ] && wait_reaped 10 $all_killed
left="$(lab_daemon_pids)"
[ -n "$left" ] && log "warning: processes still referencing $DIR: $(echo $left)"
[ "$did_something" = 1 ] || log "nothing to do for $DIR"
exit 0
