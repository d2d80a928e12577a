# lab-lib.sh - shell functions shared by the runtime lab scripts (sourced, not run).
# refs_dir and lab_tree need DIR set to the lab directory (absolute, no trailing slash).

# lab_start NAME MAX_LEN PACKAGES BIN...: the common start of a lab script. Keeps stdout (fd 3) for
# the final export line, defines log and die, checks root and the programs (else names the Debian
# packages to install), and makes DIR (from $1 of the script, passed as LAB_ARG) absolute, short
# enough for the unix sockets under it (MAX_LEN) and free of characters the scripts cannot quote.
lab_start() {
  local name="$1" max="$2" packages="$3" bin
  shift 3
  LAB_NAME="$name"
  exec 3>&1 1>&2
  [ -n "$LAB_ARG" ] || die "usage: $name.sh DIR"
  [ "$(id -u)" = 0 ] || die "must run as root"
  PATH="$PATH:/usr/sbin:/sbin:/usr/bin:/bin"
  for bin in "$@"; do
    command -v "$bin" >/dev/null 2>&1 || die "missing $bin; install with: apt-get install -y $packages"
  done
  case "$LAB_ARG" in *[\"\\\ ]*) die "lab directory must not contain quotes, backslashes or spaces: $LAB_ARG" ;; esac
  mkdir -p "$LAB_ARG"
  DIR="$(cd "$LAB_ARG" && pwd -P)"
  [ "${#DIR}" -le "$max" ] || die "lab directory path too long (${#DIR} chars, max $max; unix socket paths are limited): $DIR"
  case "$DIR" in *[\"\\\ ]*) die "lab directory must not contain quotes, backslashes or spaces: $DIR" ;; esac
}
log() { printf '%s: %s\n' "${LAB_NAME:-lab}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${LAB_NAME:-lab}" "$*" >&2; exit 1; }

# lab_import_redis CLI...: builds the redis rootfs (lab-rootfs.sh) and imports it as the lab's
# redis image with `CLI import` (docker and podman take the same -c changes). The image's name is
# the last argument.
lab_import_redis() {
  local tar="$DIR/rootfs-redis.tar" image="${*: -1}"
  local -a cli=("${@:1:$#-1}")
  log "building image $image from the host's redis-server"
  bash "$(dirname "${BASH_SOURCE[0]}")/lab-rootfs.sh" redis "$tar"
  "${cli[@]}" import \
    -c 'CMD ["redis-server","--protected-mode","no","--save","","--appendonly","no"]' \
    -c 'WORKDIR /data' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$tar" "$image" >/dev/null
  rm -f "$tar"
}

# lab_pid FILE: the pid in DIR/FILE if that process is alive, else nothing.
lab_pid() {
  local pid
  pid="$(tr -dc '0-9' 2>/dev/null <"$DIR/$1" || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
  return 0
}

# start_detached PIDFILE LOG CMD...: runs CMD in its own session, detached from this script, its
# pid in DIR/PIDFILE and its output appended to DIR/LOG. No inherited fds above 2: a caller reading
# our stdout must see EOF (as in lab-up.sh).
start_detached() {
  local pidfile="$1" logfile="$2"
  shift 2
  (
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid "$@" </dev/null >>"$DIR/$logfile" 2>&1
  ) &
  echo "$!" >"$DIR/$pidfile"
}

# refs_dir PID: true if an argument of PID, or its working directory, is DIR or under it.
refs_dir() {
  local arg cwd
  local -a args=()
  mapfile -d '' -t args 2>/dev/null <"/proc/$1/cmdline" || return 1
  for arg in "${args[@]}"; do
    case "$arg" in "$DIR" | "$DIR"/* | *=*"$DIR" | *=*"$DIR"/* | unix://"$DIR"/*) return 0 ;; esac
  done
  cwd="$(readlink "/proc/$1/cwd" 2>/dev/null)" || return 1
  case "$cwd" in "$DIR" | "$DIR"/*) return 0 ;; esac
  return 1
}

# lab_tree: pids referencing DIR, and all their descendants (a container's processes name no path of the
# lab, but they are children of its conmon or shim). This script, its subshells and its callers
# (whose command lines may name DIR too) are never included.
lab_tree() {
  local -A parent=() mark=() mine=()
  local p pid stat ppid changed f
  # Builtins only in this loop: a host may run thousands of processes, and a fork each is slow.
  for p in /proc/[0-9]*; do
    pid="${p#/proc/}"
    read -r stat 2>/dev/null <"$p/stat" || continue
    stat="${stat##*) }"
    ppid="${stat#* }"
    parent[$pid]="${ppid%% *}"
  done
  for pid in $$ $BASHPID; do
    while [ -n "$pid" ] && [ "$pid" != 0 ] && [ -z "${mine[$pid]:-}" ]; do
      mine[$pid]=1
      pid="${parent[$pid]:-}"
    done
  done
  # Candidates in one pass each: command lines holding DIR, working directories under it.
  for f in $(grep -lsF -- "$DIR" /proc/[0-9]*/cmdline; find /proc/[0-9]*/cwd -maxdepth 0 \( -lname "$DIR" -o -lname "$DIR/*" \) 2>/dev/null); do
    pid="${f#/proc/}"
    pid="${pid%%/*}"
    [ -n "${parent[$pid]:-}" ] && [ -z "${mine[$pid]:-}" ] || continue
    # A subshell of this script: its parent chain reaches $$.
    p="${parent[$pid]}"
    while [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != $$ ]; do p="${parent[$p]:-}"; done
    [ "$p" = $$ ] && continue
    refs_dir "$pid" && mark[$pid]=1
  done
  changed=1
  while [ "$changed" = 1 ]; do
    changed=0
    for pid in "${!parent[@]}"; do
      [ -n "${mark[$pid]:-}" ] || [ -n "${mine[$pid]:-}" ] && continue
      if [ -n "${mark[${parent[$pid]}]:-}" ]; then
        mark[$pid]=1
        changed=1
      fi
    done
  done
  printf '%s\n' "${!mark[@]}"
}
