import { MAX_DIFFS_PER_SNAPSHOT, SNAPSHOT_REFRESH_MS } from './host-subjects.ts';

/** Publishes awaiting NATS's acknowledgement; past this the agent drops diffs and owes a snapshot. */
export const MAX_IN_FLIGHT = 8;

/** What an agent remembers about what it has published in this run. */
export interface PublishState {
  /** A publish failed, NATS was away, or nothing was sent yet: only a snapshot can follow. */
  needsSnapshot: boolean;
  lastSnapshotAt: number;
  /** Encoded size of the latest snapshot. */
  snapshotBytes: number;
  diffsSinceSnapshot: number;
  diffBytesSinceSnapshot: number;
  inFlight: number;
}

export type PublishPlan = 'snapshot' | 'diff' | 'skip';

/**
 * What to send for one tick. Pure. `diffBytes` is the encoded size of this tick's diff, or null
 * when nothing changed. A snapshot replaces the diff when one is owed, when the diffs since the
 * last snapshot would outweigh it or outnumber what the stream keeps, or when the last one is so
 * old that the stream may drop it. `skip` while NATS is away or acknowledgements lag: the caller
 * then owes a snapshot, so nothing is queued without bound.
 */
export function planPublish(state: PublishState, input: { connected: boolean; diffBytes: number | null; now: number }): PublishPlan {
  if (!input.connected || state.inFlight >= MAX_IN_FLIGHT) return 'skip';
  if (state.needsSnapshot || input.now - state.lastSnapshotAt >= SNAPSHOT_REFRESH_MS) return 'snapshot';
  if (input.diffBytes === null) return 'skip';
  if (state.diffsSinceSnapshot + 1 >= MAX_DIFFS_PER_SNAPSHOT) return 'snapshot';
  if (state.diffBytesSinceSnapshot + input.diffBytes > state.snapshotBytes) return 'snapshot';
  return 'diff';
}

export function initialPublishState(): PublishState {
  return { needsSnapshot: true, lastSnapshotAt: 0, snapshotBytes: 0, diffsSinceSnapshot: 0, diffBytesSinceSnapshot: 0, inFlight: 0 };
}
