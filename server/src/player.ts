import { buildPlaybackState, findPlayhead, reducePlayClock } from '@proclens/shared';
import type { History, PlayBounds, PlayClock, PlaybackAction, PlaybackState, Snapshot, TimelineEvent } from '@proclens/shared';
import type { SnapshotFeed } from './snapshot-feed.ts';

/** How often a playing player looks whether its playhead reached a new moment (wall time). */
export const PLAYER_TICK_MS = 200;

export type PlaybackListener = (state: PlaybackState, change: { jumped: boolean }) => void;

/** What the stream needs of a feed that can be played: the playhead, its history, and its controls. */
export interface Playable {
  playback(): PlaybackState;
  /** Events at or before the playhead, newest first. */
  timeline(limit: number): TimelineEvent[];
  /** Container events over the whole history, oldest first. */
  markers(limit: number): TimelineEvent[];
  control(action: PlaybackAction): void;
  /** Called after the playhead is moved, paused, played, or reaches an end; returns the unsubscribe function. */
  onPlayback(fn: PlaybackListener): () => void;
  /** Called when a container event is added to the history (a live host). */
  onMarkers(fn: () => void): () => void;
}

export function isPlayable(feed: SnapshotFeed): feed is SnapshotFeed & Playable {
  return 'playback' in feed && 'control' in feed;
}

export interface PlayerOptions {
  /** A live host's feed: while the playhead is live, its snapshots pass straight through. */
  live?: SnapshotFeed;
  now?: () => number;
}

/**
 * One playhead over a `History`, as a `SnapshotFeed`: what it shows is the history at the
 * playhead (or, on a live host following the present, the host itself). A recording starts
 * paused at its beginning; a live host starts live. The timer runs only while playing back.
 */
export class Player implements SnapshotFeed, Playable {
  private clock: PlayClock;
  private shown: Snapshot;
  private readonly subscribers = new Set<(next: Snapshot, previous: Snapshot) => void>();
  private readonly playbackListeners = new Set<PlaybackListener>();
  private readonly markerListeners = new Set<() => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => number;
  private stopped = false;

  constructor(
    private readonly history: History,
    private readonly options: PlayerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const first = options.live ? options.live.current() : history.at(history.start ?? 0);
    if (!first) throw new Error('a recording needs at least one snapshot');
    this.shown = first;
    // A live host follows the present; a recording waits at its start for a presenter to press play.
    const live = options.live !== undefined;
    this.clock = { anchorAt: live ? this.bounds().end : this.bounds().start, anchorWall: this.now(), playing: live, speed: 1, live };
    this.schedule();
  }

  current(): Snapshot {
    return this.shown;
  }

  subscribe(fn: (next: Snapshot, previous: Snapshot) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  onPlayback(fn: PlaybackListener): () => void {
    this.playbackListeners.add(fn);
    return () => this.playbackListeners.delete(fn);
  }

  onMarkers(fn: () => void): () => void {
    this.markerListeners.add(fn);
    return () => this.markerListeners.delete(fn);
  }

  playback(): PlaybackState {
    return buildPlaybackState(this.clock, this.bounds(), this.now());
  }

  timeline(limit: number): TimelineEvent[] {
    return this.history.eventsUpTo(this.shown.takenAt, limit);
  }

  markers(limit: number): TimelineEvent[] {
    return this.history.markers(limit);
  }

  /** The snapshot at a moment, or null outside the history. */
  at(ms: number): Snapshot | null {
    const bounds = this.bounds();
    return ms < bounds.start || ms > bounds.end ? null : this.history.at(ms);
  }

  control(action: PlaybackAction): void {
    if (this.stopped) return;
    this.clock = reducePlayClock(this.clock, action, this.bounds(), this.now());
    this.schedule();
    this.show(true);
  }

  /**
   * A live host's new snapshot (already recorded in the history by the caller): passed on while
   * live; otherwise only the bounds move.
   */
  liveTick(next: Snapshot, previous: Snapshot, newMarkers: boolean): void {
    if (newMarkers) for (const fn of this.markerListeners) fn();
    if (!this.clock.live) return;
    this.shown = next;
    this.emit(next, previous);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private bounds(): PlayBounds {
    const live = this.options.live;
    const end = live ? Math.max(this.history.end ?? 0, live.current().takenAt) : (this.history.end ?? 0);
    return { start: this.history.start ?? end, end, growing: live !== undefined };
  }

  /** The interval runs while the playhead moves through history, and not otherwise. */
  private schedule(): void {
    const moving = this.clock.playing && !this.clock.live && !this.stopped;
    if (moving && this.timer === undefined) this.timer = setInterval(() => this.tick(), PLAYER_TICK_MS);
    if (!moving && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private tick(): void {
    const bounds = this.bounds();
    if (findPlayhead(this.clock, bounds, this.now()) >= bounds.end) {
      this.clock = reducePlayClock(this.clock, { type: 'reached-end' }, bounds, this.now());
      this.schedule();
      this.show(this.clock.live);
      return;
    }
    this.show(false);
  }

  /** Shows the playhead's moment; tells the playback listeners when it was a jump or the clock changed. */
  private show(changedClock: boolean): void {
    const previous = this.shown;
    const live = this.options.live;
    const next = this.clock.live && live ? live.current() : this.history.at(findPlayhead(this.clock, this.bounds(), this.now()));
    if (next && next !== previous) {
      this.shown = next;
      this.emit(next, previous);
    }
    if (changedClock) {
      const state = this.playback();
      for (const fn of this.playbackListeners) fn(state, { jumped: next !== previous });
    }
  }

  private emit(next: Snapshot, previous: Snapshot): void {
    for (const fn of this.subscribers) fn(next, previous);
  }
}
