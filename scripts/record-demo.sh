#!/usr/bin/env bash
# record-demo.sh - records the seed lesson ("containers are just processes") from the lab engine
# into a small file that replays anywhere:
#
#   bash scripts/record-demo.sh [OUT]      (OUT: demo/lesson-containers-are-processes.jsonl.gz)
#
# Runs as pid 1 of a private PID namespace (root; unshare), so the recording holds the lab's
# processes and nothing else of this machine: a private lab engine (scripts/lab-up.sh, its own
# DIR: $DEMO_LAB_DIR or /tmp/proclens-demo-lab), the proclens server recording it, and the lesson:
#   docker run -d --name=db redis:alpine; docker exec db …; docker stop db; docker start db;
#   docker run -d --name=web lab/busybox
# The lab is torn down at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${1:-demo/lesson-containers-are-processes.jsonl.gz}"
LAB="${DEMO_LAB_DIR:-/tmp/proclens-demo-lab}"
log() { printf 'record-demo: %s\n' "$*" >&2; }

if [ "${DEMO_IN_NAMESPACE:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { log "must run as root (the lab engine and the PID namespace need it)"; exit 1; }
  exec unshare --pid --fork --mount-proc --kill-child env DEMO_IN_NAMESPACE=1 bash "$0" "$@"
fi

server=""
cleanup() {
  [ -n "$server" ] && kill -INT "$server" 2>/dev/null && wait "$server" 2>/dev/null
  bash scripts/lab-down.sh "$LAB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

log "starting the lab engine in $LAB (no db yet: the lesson starts it)"
LAB_NO_DB=1 bash scripts/lab-up.sh "$LAB" >/dev/null
export DOCKER_HOST="unix://$LAB/docker.sock"
docker rm -f db web >/dev/null 2>&1 || true

mkdir -p "$(dirname "$OUT")"
log "recording to $OUT"
node bin/proclens.js --port 0 --interval 500 --rewind 0 --record "$OUT" >"$LAB/server.out" 2>"$LAB/server.err" &
server=$!
until grep -q 'http://' "$LAB/server.out" 2>/dev/null; do
  kill -0 "$server" 2>/dev/null || { cat "$LAB/server.err" >&2; exit 1; }
  sleep 0.2
done
sleep 3

step() {
  log "\$ $*"
  "$@" >/dev/null
  sleep "${PAUSE:-5}"
}
step docker run -d --name=db --network=none redis:alpine
# `docker exec -it db env` lives a few milliseconds; a sleep keeps it on screen for a tick or two.
step docker exec db sh -c 'env >/dev/null; sleep 4'
step docker stop db
step docker start db
step docker run -d --name=web --network=none lab/busybox
PAUSE=2 step docker top db

kill -INT "$server"
wait "$server" || true
server=""
log "done: $(du -h "$OUT" | cut -f1) in $OUT"
