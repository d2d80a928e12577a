#!/usr/bin/env bash
# sim-host.sh NAME DIR - one simulated host for the many-hosts e2e.
#
# Runs as pid 1 of fresh pid, mount and UTS namespaces (`unshare --pid --fork --mount-proc --uts`),
# so its /proc holds only its own processes and its hostname is NAME. Starts a private dockerd
# (scripts/lab-up.sh DIR, no db), then `proclens agent` (NATS URL from PROCLENS_NATS, so no
# password shows in argv; its name defaults to the hostname). Stays up as the namespace's init
# after the agent is gone, as a host whose agent died would, until killed: killing this pid 1
# ends everything in the namespace.
set -euo pipefail
name="$1"
dir="$2"
cd "$(dirname "$0")/.."
hostname "$name"
mkdir -p "$(dirname "$dir")"
if ! LAB_NO_DB=1 bash scripts/lab-up.sh "$dir" >"$dir.lab.log" 2>&1; then
  echo "sim-host $name: lab-up failed:" >&2
  tail -n 20 "$dir.lab.log" >&2
  exit 1
fi
export DOCKER_HOST="unix://$dir/docker.sock"
node bin/proclens.js agent --interval 500 &
wait "$!" || true
echo "sim-host $name: agent exited" >&2
while :; do
  sleep 3600 &
  wait "$!" || true
done
