import type { ProcessInfo } from './model.ts';
import { parseShimArgs } from './parse-runtime-role.ts';

/** A containerd socket to ask for its containers, and the containerd process listening on it. */
export interface ContainerdEndpoint {
  /** The socket path as the shims name it (`-address`), in containerd's own mount namespace. */
  address: string;
  pid: number;
}

/**
 * The containerd sockets worth asking: those named by shims outside Docker's `moby` namespace
 * (Docker's containers come from Docker's API), each with the containerd that listens on it (the
 * shim's runtime link, or its kernel parent). A shim whose containerd is not running is skipped.
 * Runs over the linked rows of a snapshot. Pure.
 */
export function buildContainerdEndpoints(processes: readonly ProcessInfo[]): ContainerdEndpoint[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const endpoints = new Map<string, number>();
  for (const p of processes) {
    if (p.role !== 'shim') continue;
    const { namespace, address } = parseShimArgs(p.argv);
    if (namespace === 'moby' || !address || endpoints.has(address)) continue;
    const containerd = [p.logicalParent, p.ppid].map((pid) => (pid === null ? undefined : byPid.get(pid))).find((c) => c?.role === 'containerd');
    if (containerd) endpoints.set(address, containerd.pid);
  }
  return [...endpoints].map(([address, pid]) => ({ address, pid })).sort((a, b) => a.address.localeCompare(b.address));
}
