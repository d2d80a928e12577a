import { describe, expect, it } from 'vitest';
import { MAX_DIFFS_PER_SNAPSHOT, SNAPSHOT_REFRESH_MS } from './host-subjects.ts';
import { MAX_IN_FLIGHT, initialPublishState, planPublish } from './plan-publish.ts';
import type { PublishState } from './plan-publish.ts';

const NOW = 10_000_000;
const sent: PublishState = {
  needsSnapshot: false,
  lastSnapshotAt: NOW - 1000,
  snapshotBytes: 50_000,
  diffsSinceSnapshot: 3,
  diffBytesSinceSnapshot: 900,
  inFlight: 0,
};

describe('planPublish', () => {
  it.each<[string, Partial<PublishState>, { connected?: boolean; diffBytes: number | null }, string]>([
    ['a fresh agent sends a snapshot first', initialPublishState(), { diffBytes: null }, 'snapshot'],
    ['a change after a snapshot is a diff', {}, { diffBytes: 300 }, 'diff'],
    ['no change sends nothing', {}, { diffBytes: null }, 'skip'],
    ['NATS away sends nothing', {}, { connected: false, diffBytes: 300 }, 'skip'],
    ['NATS away sends nothing even when a snapshot is owed', { needsSnapshot: true }, { connected: false, diffBytes: 300 }, 'skip'],
    ['lagging acknowledgements send nothing', { inFlight: MAX_IN_FLIGHT }, { diffBytes: 300 }, 'skip'],
    ['a snapshot owed after a failure replaces the diff', { needsSnapshot: true }, { diffBytes: 300 }, 'snapshot'],
    ['diffs outweighing the snapshot give way to one', { diffBytesSinceSnapshot: 49_900 }, { diffBytes: 300 }, 'snapshot'],
    ['the diff count the stream keeps is never reached', { diffsSinceSnapshot: MAX_DIFFS_PER_SNAPSHOT - 1 }, { diffBytes: 10 }, 'snapshot'],
    ['an idle host refreshes its snapshot before the stream could age it out', { lastSnapshotAt: NOW - SNAPSHOT_REFRESH_MS }, { diffBytes: null }, 'snapshot'],
  ])('%s', (_what, state, input, plan) => {
    expect(planPublish({ ...sent, ...state }, { connected: true, now: NOW, ...input })).toBe(plan);
  });
});
