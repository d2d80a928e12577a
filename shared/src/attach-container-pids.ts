import type { ContainerInfo, ProcessInfo } from './model.ts';

/**
 * Fills each container's `pids` from the processes attributed to it (by cgroup, as `docker top`
 * does), so `docker exec` processes, children of the shim rather than of the init, are included.
 */
export function attachContainerPids(containers: readonly ContainerInfo[], processes: readonly ProcessInfo[]): ContainerInfo[] {
  const pids = new Map<string, number[]>();
  for (const p of processes) {
    if (p.containerId === null) continue;
    const list = pids.get(p.containerId) ?? [];
    list.push(p.pid);
    pids.set(p.containerId, list);
  }
  return containers.map((c) => ({ ...c, pids: (pids.get(c.id) ?? []).sort((a, b) => a - b) }));
}
