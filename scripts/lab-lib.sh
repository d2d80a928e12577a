# lab-lib.sh - shell functions shared by the runtime lab scripts (sourced, not run).
# Needs DIR set to the lab directory (absolute, no trailing slash).

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
