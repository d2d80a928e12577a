import type { ContainerInfo } from '@proclens/shared';
import type { TreeLayout } from './layout-tree.ts';

export interface Highlight {
  /** The container's own processes. */
  members: ReadonlySet<number>;
  /** Their ancestors in the drawn tree (shim, containerd, dockerd, init). */
  ancestors: ReadonlySet<number>;
}

/** The processes to light up for a selected container: its members and the chain above them. Pure. */
export function buildHighlight(container: ContainerInfo | null, layout: TreeLayout): Highlight | null {
  if (!container) return null;
  const members = new Set(container.pids);
  const parentOf = new Map(layout.nodes.map((n) => [n.process.pid, n.parentPid]));
  const ancestors = new Set<number>();
  for (const pid of members) {
    for (let p = parentOf.get(pid) ?? null; p !== null && !ancestors.has(p); p = parentOf.get(p) ?? null) {
      if (!members.has(p)) ancestors.add(p);
    }
  }
  return { members, ancestors };
}
