import type { Snapshot } from '@proclens/shared';
import type { SnapshotFeed } from '../snapshot-feed.ts';

/** One host's state at the hub, as the same kind of feed the live monitor is: `/ws?host=NAME` streams it. */
export class HostFeed implements SnapshotFeed {
  private readonly subscribers = new Set<(next: Snapshot, previous: Snapshot) => void>();

  constructor(
    private snapshot: Snapshot,
    private readonly onError: (err: unknown) => void,
  ) {}

  current(): Snapshot {
    return this.snapshot;
  }

  subscribe(fn: (next: Snapshot, previous: Snapshot) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** The host's snapshot changed (a diff applied, or a new snapshot). */
  update(next: Snapshot): void {
    const previous = this.snapshot;
    this.snapshot = next;
    for (const fn of this.subscribers) {
      try {
        fn(next, previous);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
