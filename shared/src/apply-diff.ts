import type { ProcessInfo, Snapshot } from './model.ts';
import type { SnapshotDiff } from './protocol.ts';

/** Applies a diff to a snapshot, returning a new snapshot; processes stay sorted by pid. */
export function applyDiff(snapshot: Snapshot, diff: SnapshotDiff): Snapshot {
  const byPid = new Map<number, ProcessInfo>(snapshot.processes.map((p) => [p.pid, p]));
  for (const pid of diff.removed) byPid.delete(pid);
  for (const p of diff.upserted) byPid.set(p.pid, p);
  return {
    processes: [...byPid.values()].sort((a, b) => a.pid - b.pid),
    containers: diff.containers ?? snapshot.containers,
    host: diff.host ?? snapshot.host,
    takenAt: diff.takenAt,
  };
}
