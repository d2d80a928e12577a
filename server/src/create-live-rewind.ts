import { History, buildTimelineEvents, isContainerEvent } from '@proclens/shared';
import type { Snapshot } from '@proclens/shared';
import { diffOnce } from './diff-once.ts';
import { Player } from './player.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';

export interface LiveRewind {
  player: Player;
  history: History;
  stop(): void;
}

/**
 * The live host's last `minutes` in memory, behind a player that follows the present until a
 * presenter scrubs back. Each tick is recorded as a diff (a keyframe every 30 s), with the
 * timeline events it caused; what is older than `minutes` is forgotten.
 */
export function createLiveRewind(feed: SnapshotFeed, minutes: number): LiveRewind {
  const history = new History();
  const keepMs = minutes * 60_000;
  const player = new Player(history, { live: feed });
  const onTick = (next: Snapshot, previous: Snapshot): void => {
    if (next.processes.length === 0) return;
    // The feed's very first snapshot is empty: everything in the first scan is not news.
    const first = history.size === 0;
    history.record(next, first ? null : diffOnce(previous, next));
    const events = first ? [] : buildTimelineEvents(previous, next);
    history.addEvents(events);
    history.prune(next.takenAt - keepMs);
    player.liveTick(next, previous, events.some(isContainerEvent));
  };
  const unsubscribe = feed.subscribe(onTick);
  return {
    player,
    history,
    stop: () => {
      unsubscribe();
      player.stop();
    },
  };
}
