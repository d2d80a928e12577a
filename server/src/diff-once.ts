import { diffSnapshots } from '@proclens/shared';
import type { Snapshot, SnapshotDiff } from '@proclens/shared';

/** The last diff worked out for each new snapshot: the stream, the rewind history and the recorder all need it. */
const memo = new WeakMap<Snapshot, { previous: Snapshot; diff: SnapshotDiff | null }>();

/** `diffSnapshots(previous, next)`, worked out once per pair however many subscribers ask. */
export function diffOnce(previous: Snapshot, next: Snapshot): SnapshotDiff | null {
  const known = memo.get(next);
  if (known?.previous === previous) return known.diff;
  const diff = diffSnapshots(previous, next);
  memo.set(next, { previous, diff });
  return diff;
}
