#!/usr/bin/env bash
# ensure-test-deps.sh: installs the Debian packages `npm test` needs, when any is missing.
#
# `npm test` runs this first, so the README's test command works on a fresh Debian machine with
# only Node installed. Each package is checked by a command it provides; nothing is installed when
# all are there. Not root: prints the exact apt-get line and exits 1.
#   --print   only print the apt-get line for every package (the README shows it)
set -euo pipefail

# command:package, one per package the tests use.
PACKAGES=(
  dockerd:docker.io
  docker-compose:docker-compose
  chromium:chromium
  redis-server:redis-server
  busybox:busybox-static
  podman:podman
  conmon:conmon
  nats-server:nats-server
  rootlesskit:rootlesskit
  slirp4netns:slirp4netns
  newuidmap:uidmap
  openssl:openssl
  curl:curl
  unshare:util-linux
)

line() { printf 'apt-get update && apt-get install -y %s\n' "$*"; }

if [ "${1:-}" = --print ]; then
  line "${PACKAGES[@]#*:}"
  exit 0
fi

PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
missing=()
for pair in "${PACKAGES[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  printf 'npm test needs these Debian packages, and root to run the tests. As root:\n  %s\n' "$(line "${missing[@]}")" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  printf 'npm test needs these Debian packages, and this machine has no apt-get: %s\n' "${missing[*]}" >&2
  exit 1
fi
echo "ensure-test-deps: installing ${missing[*]}" >&2
apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
