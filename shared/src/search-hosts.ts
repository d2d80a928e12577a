import type { HostMatch } from './host-protocol.ts';
import type { Snapshot } from './model.ts';

/** Answers beyond this are cut: the list is for finding, not for browsing every process of a fleet. */
export const MAX_HOST_MATCHES = 100;

/**
 * Finds a container or a process across hosts. A number finds the process with that host pid on
 * every host (and the container it is in); text finds containers whose name, id prefix or image
 * contains it, and processes whose name is exactly it. Case-insensitive. Pure.
 */
export function searchHosts(hosts: Iterable<{ name: string; snapshot: Snapshot | null }>, query: string): HostMatch[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const pid = /^\d{1,7}$/.test(q) ? Number(q) : null;
  const matches: HostMatch[] = [];
  for (const { name: host, snapshot } of [...hosts].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!snapshot) continue;
    const byId = new Map(snapshot.containers.map((c) => [c.id, c]));
    const brief = (id: string | null): HostMatch['container'] => {
      const c = id ? byId.get(id) : undefined;
      return c ? { id: c.id, name: c.name, image: c.image, state: c.state } : null;
    };
    if (pid === null) {
      for (const c of snapshot.containers) {
        if (c.name.toLowerCase().includes(q) || c.id.startsWith(q) || c.image.toLowerCase().includes(q)) {
          matches.push({ host, kind: 'container', pid: c.pid, name: c.name, container: brief(c.id) });
        }
      }
    }
    for (const p of snapshot.processes) {
      if (pid !== null ? p.pid === pid : p.name.toLowerCase() === q) {
        matches.push({ host, kind: 'process', pid: p.pid, name: p.name, container: brief(p.containerId) });
      }
    }
    if (matches.length >= MAX_HOST_MATCHES) break;
  }
  return matches.slice(0, MAX_HOST_MATCHES);
}
