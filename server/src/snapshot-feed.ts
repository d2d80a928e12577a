import type { Snapshot } from '@proclens/shared';

/**
 * A live sequence of snapshots: the process monitor on a host, a recording being played, or one
 * host's state at the hub. The HTTP API and the WebSocket stream serve whichever they are given.
 */
export interface SnapshotFeed {
  current(): Snapshot;
  /** Called with each new snapshot and the one before it; returns the unsubscribe function. */
  subscribe(fn: (next: Snapshot, previous: Snapshot) => void): () => void;
}
