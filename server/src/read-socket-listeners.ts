import { parseProcNetUnix, parseSocketInode } from '@proclens/shared';
import type { ProcessInfo } from '@proclens/shared';
import { readProcDir, readProcLink, readProcText } from './read-proc-file.ts';

/**
 * Maps each listening unix socket path owned by a containerd process to its pid, by matching
 * `/proc/net/unix` inodes with the `socket:[inode]` links in containerd's fds. Only containerd's
 * fds are read: that is all `buildLogicalParents` needs, and it keeps the cost to a few dozen links.
 */
export function readSocketListeners(procRoot: string, processes: readonly ProcessInfo[]): Map<string, number> {
  const owners = new Map<string, number>();
  for (const p of processes) {
    if (p.role !== 'containerd') continue;
    // Read the table in containerd's own network namespace: the server may run in another.
    const table = readProcText(`${procRoot}/${p.pid}/net/unix`);
    const fds = readProcDir(`${procRoot}/${p.pid}/fd`);
    if (!table.ok || !fds.ok) continue;
    const inodes = new Set<number>();
    for (const fd of fds.value) {
      const link = readProcLink(`${procRoot}/${p.pid}/fd/${fd}`);
      const inode = link.ok ? parseSocketInode(link.value) : null;
      if (inode !== null) inodes.add(inode);
    }
    for (const listener of parseProcNetUnix(table.value)) {
      if (inodes.has(listener.inode)) owners.set(listener.path, p.pid);
    }
  }
  return owners;
}
