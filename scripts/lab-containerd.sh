#!/usr/bin/env bash
# lab-containerd.sh - start a private containerd with no Docker, as on a Kubernetes node.
#
# Usage: scripts/lab-containerd.sh DIR      (DIR at most 70 characters; tear down: lab-runtime-down.sh DIR)
#
# Everything lives under DIR:
#   DIR/ctr              containerd's own client for this lab: use it like `ctr`
#   DIR/c.sock           containerd's gRPC socket (DIR/c.sock.ttrpc: its ttrpc socket)
#   DIR/containerd.pid   containerd's pid
#   DIR/config.toml      root DIR/root, state DIR/state, the CRI plugin off (no kubelet here)
# The image docker.io/library/redis:alpine (an OCI archive made from lab-rootfs.sh's tarball,
# no Docker needed) is imported into the namespaces `k8s.io` and `lab` with the native
# snapshotter. Unless LAB_NO_DB=1, `ctr -n k8s.io run` starts `redis-0` the way a kubelet lays
# it out: cgroup /kubepods/besteffort/pod<uid>/redis-0 and the CRI labels
# io.kubernetes.pod.name=redis-0, io.kubernetes.pod.namespace=lab, io.kubernetes.container.name=redis.
# Give `ctr run` --runc-root DIR/runc, as this script does: runc keeps its state by namespace and
# id under /run/containerd/runc otherwise, shared with every other containerd on the host.
# The last line on stdout is  export CONTAINERD_ADDRESS=DIR/c.sock  (read by ctr).
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=lab-lib.sh
source "$SCRIPTS/lab-lib.sh"
LAB_ARG="${1:-}"
lab_start lab-containerd 70 "containerd redis-server busybox-static" containerd ctr containerd-shim-runc-v2 runc redis-server busybox sha256sum
t0=$SECONDS
SOCK="$DIR/c.sock"
IMAGE=docker.io/library/redis:alpine

cat >"$DIR/config.toml" <<EOF
version = 2
root = "$DIR/root"
state = "$DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
EOF
printf '#!/bin/sh\nexec ctr -a "%s" "$@"\n' "$SOCK" >"$DIR/ctr"
chmod 0755 "$DIR/ctr"
c() { "$DIR/ctr" "$@"; }

pid="$(lab_pid containerd.pid)"
if [ -n "$pid" ] && c version >/dev/null 2>&1; then
  log "reusing containerd (pid $pid)"
else
  rm -f "$SOCK" "$SOCK.ttrpc"
  log "starting containerd on $SOCK"
  start_detached containerd.pid containerd.log containerd --config "$DIR/config.toml"
  deadline=$((SECONDS + 30))
  until c version >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$DIR/containerd.log" >&2; die "containerd did not answer within 30 s"; }
    sleep 0.2
  done
fi

# An OCI image layout around the rootfs tarball: one uncompressed layer, a config, a manifest.
oci_archive() {
  local out="$1" w d size
  w="$DIR/oci"
  rm -rf "$w"
  mkdir -p "$w/blobs/sha256"
  blob() { d="$(sha256sum "$1" | cut -d' ' -f1)"; size="$(stat -c %s "$1")"; mv "$1" "$w/blobs/sha256/$d"; }
  bash "$SCRIPTS/lab-rootfs.sh" redis "$w/layer"
  blob "$w/layer"
  local layer="$d" layer_size="$size"
  printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["redis-server","--protected-mode","no","--save","","--appendonly","no"],"WorkingDir":"/data"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$layer" >"$w/config"
  blob "$w/config"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$d" "$size" "$layer" "$layer_size" >"$w/manifest"
  blob "$w/manifest"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s"}}]}' \
    "$d" "$size" "$IMAGE" >"$w/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$w/oci-layout"
  tar -C "$w" -cf "$out" oci-layout index.json blobs
  rm -rf "$w"
}

for ns in k8s.io lab; do
  if ! c -n "$ns" images check "name==$IMAGE" 2>/dev/null | grep -q complete; then
    [ -f "$DIR/redis-oci.tar" ] || { log "building the OCI archive of $IMAGE"; oci_archive "$DIR/redis-oci.tar"; }
    log "importing $IMAGE into namespace $ns"
    c -n "$ns" images import --snapshotter native "$DIR/redis-oci.tar" >/dev/null
  fi
done
rm -f "$DIR/redis-oci.tar"

if [ "${LAB_NO_DB:-0}" != 1 ] && ! c -n k8s.io task ls -q 2>/dev/null | grep -qx redis-0; then
  c -n k8s.io task rm -f redis-0 >/dev/null 2>&1 || true
  c -n k8s.io container rm redis-0 >/dev/null 2>&1 || true
  log "starting k8s.io/redis-0 in a kubepods cgroup with CRI labels"
  # runc leaves the parents it made; the teardown removes the cgroups listed in DIR/cgroups while empty.
  echo kubepods/besteffort/pod6d1c9a4e-2b7f-4c3d-9e8a-0f5b4c3d2e1a >>"$DIR/cgroups"
  c -n k8s.io run -d --snapshotter native --runc-root "$DIR/runc" \
    --cgroup kubepods/besteffort/pod6d1c9a4e-2b7f-4c3d-9e8a-0f5b4c3d2e1a/redis-0 \
    --label io.kubernetes.pod.name=redis-0 --label io.kubernetes.pod.namespace=lab \
    --label io.kubernetes.container.name=redis \
    "$IMAGE" redis-0 >/dev/null
fi

log "ready in $((SECONDS - t0)) s; client: $DIR/ctr"
printf 'export CONTAINERD_ADDRESS=%s\n' "$SOCK" >"$DIR/env"
printf 'export CONTAINERD_ADDRESS=%s\n' "$SOCK" >&3
