import { parseFlag, parseShimArgs } from './parse-runtime-role.ts';
import type { RuntimeRole } from './parse-runtime-role.ts';

/** The fields `buildLogicalParents` needs from each process. */
export interface RuntimeProcess {
  pid: number;
  ppid: number;
  argv: readonly string[];
  role: RuntimeRole | null;
}

/**
 * Links the runtime chain that the kernel tree no longer shows. Modern shims re-execute
 * themselves so that their parent is pid 1 (they survive containerd restarts); a system
 * containerd is not dockerd's child. Returns pid → logical parent, only where it differs from
 * the kernel parent.
 *
 * `listeners` maps a listening unix socket path to the pid that owns it (from `/proc/net/unix`
 * and the fds of runtime processes): a shim's `-address` and dockerd's `--containerd` name
 * containerd's socket, which links them without guessing. With no socket information, a lone
 * containerd is taken as the parent.
 */
export function buildLogicalParents(processes: readonly RuntimeProcess[], listeners: ReadonlyMap<string, number>): Map<number, number> {
  const links = new Map<number, number>();
  // Only runtime processes are looked up (as owners and as parents): a host of thousands has few.
  const runtime = processes.filter((p) => p.role !== null);
  const byPid = new Map(runtime.map((p) => [p.pid, p]));
  const containerds = runtime.filter((p) => p.role === 'containerd');
  const soleContainerd = containerds.length === 1 ? containerds[0]?.pid : undefined;
  const containerdAt = (address: string | null): number | undefined => {
    const owner = address === null ? undefined : listeners.get(address);
    if (owner !== undefined && byPid.get(owner)?.role === 'containerd') return owner;
    return address === null || listeners.size === 0 ? soleContainerd : undefined;
  };
  for (const p of runtime) {
    if (p.role === 'shim') {
      const parent = containerdAt(parseShimArgs(p.argv).address);
      if (parent !== undefined && parent !== p.ppid && parent !== p.pid) links.set(p.pid, parent);
    }
    if (p.role === 'dockerd') {
      // dockerd --containerd=<socket> uses a containerd it did not start.
      const child = containerdAt(parseFlag(p.argv, 'containerd'));
      const containerd = child === undefined ? undefined : byPid.get(child);
      if (containerd && containerd.ppid !== p.pid && parseFlag(p.argv, 'containerd') !== null) {
        links.set(containerd.pid, p.pid);
      }
    }
  }
  return links;
}
