import type { Snapshot } from './model.ts';
import type { SnapshotDiff } from './protocol.ts';
import { sameData } from './same-data.ts';

/** What changed from `before` to `after`; null when nothing did (an idle host sends nothing). */
export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotDiff | null {
  const old = new Map(before.processes.map((p) => [p.pid, p]));
  const upserted = after.processes.filter((p) => !sameData(old.get(p.pid), p));
  const alive = new Set(after.processes.map((p) => p.pid));
  const removed = before.processes.filter((p) => !alive.has(p.pid)).map((p) => p.pid);
  const containers = sameData(before.containers, after.containers) ? null : after.containers;
  const host = sameData(before.host, after.host) ? null : after.host;
  if (upserted.length === 0 && removed.length === 0 && !containers && !host) return null;
  return { upserted, removed, containers, host, takenAt: after.takenAt };
}
