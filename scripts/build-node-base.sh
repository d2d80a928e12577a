#!/usr/bin/env bash
# build-node-base.sh - make a local Node.js base image without any image registry.
#
# Usage: scripts/build-node-base.sh [TAG]        (TAG defaults to local/node:20)
#
# Builds a root filesystem from what is installed on this host:
#   /usr/local/bin/node                the host's node (`command -v node`, or $NODE_BIN), Node >= 20
#   + every library `ldd` lists        (and the dynamic loader), at the host's paths, plus a few
#                                      glibc companions that prebuilt native addons link against
#                                      (librt, libresolv, libutil, libnss_*: rolldown needs librt)
#   /usr/local/lib/node_modules/npm    the npm package that ships with node ($NPM_DIR to override),
#                                      with npm / npx links in /usr/local/bin
#   /etc/ssl/certs                     the host's CA certificates, so that npm can reach its
#                                      registry (also through a proxy the host trusts);
#                                      NODE_EXTRA_CA_CERTS points node at the bundle
#   /bin/busybox + applet links        a shell and coreutils (`/bin/sh`, `/usr/bin/env` for npm's
#                                      shebang); from busybox-static
#   /usr/bin/getconf                   glibc's getconf (proclens asks it for CLK_TCK and PAGESIZE)
#   /etc/passwd, /etc/group            root, node (1000, as in the official node images), nobody
#   /tmp (1777), /root, /home/node
# and imports it with `docker import` into the engine DOCKER_HOST points at, like the official
# image: PATH, NODE_VERSION, CMD ["node"]. The result can stand in for node:20-bookworm-slim:
#   docker build --network=host --build-arg NODE_IMAGE=local/node:20 .
#
# Idempotent: the image carries a fingerprint of its inputs (this script, copy-with-libs.sh, node, npm, busybox,
# getconf, the CA bundle) in the label proclens.base.fingerprint; when TAG already has the same
# fingerprint nothing is done. BASE_REBUILD=1 forces a rebuild. Progress goes to stderr; stdout
# gets TAG alone. Needs root (chroot for the sanity check, root-owned files in the image).
set -euo pipefail

# This script's folder, for copy-with-libs.sh (before anything changes directory).
SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

log() { printf 'build-node-base: %s\n' "$*" >&2; }
die() { printf 'build-node-base: error: %s\n' "$*" >&2; exit 1; }

TAG="${1:-local/node:20}"
[ -n "$TAG" ] || die "empty tag"
[ "$(id -u)" = 0 ] || die "must run as root (chroot, root-owned files); try: sudo $0 $TAG"
PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# --- inputs ----------------------------------------------------------------------
NODE_BIN="${NODE_BIN:-$(command -v node || true)}"
[ -n "$NODE_BIN" ] || die "node not found on PATH (install Node.js 20 or set NODE_BIN)"
NODE_BIN="$(readlink -f "$NODE_BIN")"
NODE_VERSION="$("$NODE_BIN" --version)"
major="${NODE_VERSION#v}"
major="${major%%.*}"
[ "$major" -ge 20 ] 2>/dev/null || die "$NODE_BIN is $NODE_VERSION; Node 20 or newer is needed"

if [ -z "${NPM_DIR:-}" ]; then
  # npm ships with node: .../lib/node_modules/npm, with bin/npm -> that dir's bin/npm-cli.js.
  npm_link="$(command -v npm || true)"
  if [ -n "$npm_link" ]; then
    NPM_DIR="$(dirname "$(readlink -f "$npm_link")")/.."
  elif [ -d "$(dirname "$NODE_BIN")/../lib/node_modules/npm" ]; then
    NPM_DIR="$(dirname "$NODE_BIN")/../lib/node_modules/npm"
  else
    die "npm not found (set NPM_DIR to the npm package directory)"
  fi
fi
NPM_DIR="$(cd "$NPM_DIR" && pwd -P)"
[ -f "$NPM_DIR/bin/npm-cli.js" ] || die "$NPM_DIR does not look like the npm package (no bin/npm-cli.js)"
NPM_VERSION="$("$NODE_BIN" -p "require('$NPM_DIR/package.json').version")"

BUSYBOX="${BUSYBOX:-$(command -v busybox || true)}"
[ -n "$BUSYBOX" ] || die "busybox not found (apt-get install -y busybox-static)"
BUSYBOX="$(readlink -f "$BUSYBOX")"
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  die "$BUSYBOX is dynamically linked; install busybox-static"
fi
GETCONF="$(command -v getconf || true)"
CA_DIR=/etc/ssl/certs
CA_BUNDLE="$CA_DIR/ca-certificates.crt"
[ -s "$CA_BUNDLE" ] || die "no CA bundle at $CA_BUNDLE (apt-get install -y ca-certificates)"
command -v docker >/dev/null 2>&1 || die "docker CLI not found"

# --- up to date? -----------------------------------------------------------------------
fingerprint="$(
  {
    sha256sum "$0" "$SCRIPTS/copy-with-libs.sh" "$NODE_BIN" "$BUSYBOX" "$CA_BUNDLE" ${GETCONF:+"$GETCONF"} | awk '{print $1}'
    printf '%s\n' "$NODE_VERSION" "$NPM_VERSION" "$NPM_DIR"
  } | sha256sum | cut -c1-32
)"
current="$(docker image inspect -f '{{index .Config.Labels "proclens.base.fingerprint"}}' "$TAG" 2>/dev/null || true)"
if [ "${BASE_REBUILD:-0}" != 1 ] && [ "$current" = "$fingerprint" ]; then
  log "$TAG is up to date (node $NODE_VERSION, npm $NPM_VERSION)"
  printf '%s\n' "$TAG"
  exit 0
fi
old_id="$(docker image inspect -f '{{.Id}}' "$TAG" 2>/dev/null || true)"

# --- root filesystem ------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/node-base.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
R="$WORK/rootfs"
mkdir -p "$R"/{bin,sbin,etc/ssl,usr/bin,usr/sbin,usr/local/bin,usr/local/lib/node_modules,root,home/node,tmp,proc,sys,dev,run,var/tmp}
chmod 1777 "$R/tmp" "$R/var/tmp"
chmod 0700 "$R/root"
chown 1000:1000 "$R/home/node"

log "rootfs from node $NODE_VERSION ($NODE_BIN), npm $NPM_VERSION ($NPM_DIR)"
bash "$SCRIPTS/copy-with-libs.sh" "$R" "$NODE_BIN" /usr/local/bin/node
# glibc companions: stubs since glibc 2.34, but prebuilt addons (rolldown, lightningcss) still
# link librt etc.; NSS modules for older glibc. Taken from the directory libc lives in.
libc="$(ldd "$NODE_BIN" | awk '$1 ~ /^libc\.so/ {print $3}')"
for lib in librt.so.1 libresolv.so.2 libutil.so.1 libanl.so.1 libnss_files.so.2 libnss_dns.so.2; do
  [ -n "$libc" ] || break
  libc_dir="$(dirname "$libc")"
  if [ -e "$libc_dir/$lib" ] && [ ! -e "$R$libc_dir/$lib" ]; then
    cp -L "$libc_dir/$lib" "$R$libc_dir/$lib"
  fi
done

cp -a "$NPM_DIR" "$R/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$R/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$R/usr/local/bin/npx"

install -m 0755 "$BUSYBOX" "$R/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  case "$applet" in busybox) continue ;; esac
  [ -e "$R/bin/$applet" ] || [ -L "$R/bin/$applet" ] || ln -s busybox "$R/bin/$applet"
done
# npm's bin scripts start with #!/usr/bin/env node.
ln -s /bin/busybox "$R/usr/bin/env"
if [ -n "$GETCONF" ]; then
  bash "$SCRIPTS/copy-with-libs.sh" "$R" "$(readlink -f "$GETCONF")" /usr/bin/getconf
fi

# Dereference: /etc/ssl/certs is mostly links into /usr/share/ca-certificates.
cp -rL "$CA_DIR" "$R/etc/ssl/certs"

cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000::/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$R/etc/group" <<'EOF'
root:x:0:
node:x:1000:
nogroup:x:65534:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$R/etc/nsswitch.conf"
printf 'proclens local node base: node %s, npm %s, busybox\n' "$NODE_VERSION" "$NPM_VERSION" >"$R/etc/node-base-release"

# Sanity check before importing: node, npm and the shell must start inside the rootfs.
chroot "$R" /usr/local/bin/node -e 'require("node:crypto").randomBytes(1); require("node:tls")' \
  || die "node does not run inside the rootfs (missing libraries?)"
got="$(chroot "$R" /bin/sh -c 'PATH=/usr/local/bin:/usr/bin:/bin HOME=/root npm --version' 2>&1)" \
  || die "npm does not run inside the rootfs: $got"
[ "$got" = "$NPM_VERSION" ] || die "npm inside the rootfs reports '$got', expected $NPM_VERSION"

# --- import ---------------------------------------------------------------------------------
log "importing $(du -sh "$R" | cut -f1) as $TAG into ${DOCKER_HOST:-the default engine}"
tar -C "$R" --numeric-owner -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c "ENV NODE_VERSION=${NODE_VERSION#v}" \
  -c "ENV NODE_EXTRA_CA_CERTS=$CA_BUNDLE" \
  -c "LABEL proclens.base.fingerprint=$fingerprint" \
  -c 'CMD ["node"]' \
  -m "proclens local node base: node $NODE_VERSION, npm $NPM_VERSION" \
  - "$TAG" >/dev/null
new_id="$(docker image inspect -f '{{.Id}}' "$TAG")"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  # The previous build, now untagged; kept if images built FROM it still need it.
  docker image rm "$old_id" >/dev/null 2>&1 || true
fi
log "built $TAG ($(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}'))"
printf '%s\n' "$TAG"
