import type { ProcessInfo, Snapshot } from './model.ts';
import type { SnapshotDiff } from './protocol.ts';

const byPid = (a: ProcessInfo, b: ProcessInfo): number => a.pid - b.pid;

/**
 * Applies a diff to a snapshot, returning a new snapshot; processes stay sorted by pid. The
 * snapshot's processes are sorted already (the server sends them so and this keeps them so), so
 * the diff's few rows are merged in one pass: every client does this about twice a second for
 * thousands of processes. Rows out of order fall back to a map and a sort.
 */
export function applyDiff(snapshot: Snapshot, diff: SnapshotDiff): Snapshot {
  return {
    processes: mergeProcesses(snapshot.processes, diff.upserted, diff.removed),
    containers: diff.containers ?? snapshot.containers,
    host: diff.host ?? snapshot.host,
    takenAt: diff.takenAt,
  };
}

function mergeProcesses(current: readonly ProcessInfo[], upserted: readonly ProcessInfo[], removed: readonly number[]): ProcessInfo[] {
  const gone = new Set(removed);
  const incoming = [...upserted].sort(byPid);
  const out: ProcessInfo[] = [];
  let j = 0;
  let previous = -1;
  for (const p of current) {
    if (p.pid <= previous) return mergeUnsorted(current, upserted, removed);
    previous = p.pid;
    while (j < incoming.length && (incoming[j] as ProcessInfo).pid < p.pid) pushNew(out, incoming[j++] as ProcessInfo);
    if (j < incoming.length && (incoming[j] as ProcessInfo).pid === p.pid) {
      // An upsert replaces the row; a pid both removed and upserted is the upsert (a new process).
      pushNew(out, incoming[j++] as ProcessInfo);
      while (j < incoming.length && (incoming[j] as ProcessInfo).pid === p.pid) out[out.length - 1] = incoming[j++] as ProcessInfo;
    } else if (!gone.has(p.pid)) {
      out.push(p);
    }
  }
  while (j < incoming.length) pushNew(out, incoming[j++] as ProcessInfo);
  return out;
}

/** Appends a row, the later one winning when a diff names a pid twice. */
function pushNew(out: ProcessInfo[], p: ProcessInfo): void {
  if (out.length > 0 && (out[out.length - 1] as ProcessInfo).pid === p.pid) out[out.length - 1] = p;
  else out.push(p);
}

function mergeUnsorted(current: readonly ProcessInfo[], upserted: readonly ProcessInfo[], removed: readonly number[]): ProcessInfo[] {
  const rows = new Map<number, ProcessInfo>(current.map((p) => [p.pid, p]));
  for (const pid of removed) rows.delete(pid);
  for (const p of upserted) rows.set(p.pid, p);
  return [...rows.values()].sort(byPid);
}
