import type { ProcessInfo } from './model.ts';
import { parseShimArgs } from './parse-runtime-role.ts';

/** A containerd socket to ask for its containers, and the containerd process listening on it. */
export interface ContainerdEndpoint {
  /** The socket path as the shims name it (`-address`), in containerd's own mount namespace. */
  address: string;
  /** Null when no containerd runs for it (stopped or restarting): the socket is still asked, and fails. */
  pid: number | null;
}

/**
 * The containerd sockets worth asking: those named by shims outside Docker's `moby` namespace
 * (Docker's containers come from Docker's API), each with the containerd that listens on it (the
 * shim's runtime link, or its kernel parent). Shims outlive their containerd: a socket whose
 * containerd is gone is still listed, so the engine reports it unreachable instead of forgetting
 * it. Runs over the linked rows of a snapshot. Pure.
 */
export function buildContainerdEndpoints(processes: readonly ProcessInfo[]): ContainerdEndpoint[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const endpoints = new Map<string, number | null>();
  for (const p of processes) {
    if (p.role !== 'shim') continue;
    const { namespace, address } = parseShimArgs(p.argv);
    if (namespace === 'moby' || !address || endpoints.get(address) !== undefined) continue;
    const containerd = [p.logicalParent, p.ppid].map((pid) => (pid === null ? undefined : byPid.get(pid))).find((c) => c?.role === 'containerd');
    endpoints.set(address, containerd?.pid ?? null);
  }
  return [...endpoints].map(([address, pid]) => ({ address, pid })).sort((a, b) => a.address.localeCompare(b.address));
}
