import { z } from 'zod';

/** Speeds the player offers; anything else is refused. */
export const PLAYBACK_SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32] as const;
export type PlaybackSpeed = (typeof PLAYBACK_SPEEDS)[number];

export const playbackSpeedSchema = z.union([
  z.literal(0.25),
  z.literal(0.5),
  z.literal(1),
  z.literal(2),
  z.literal(4),
  z.literal(8),
  z.literal(16),
  z.literal(32),
]);

/**
 * Where the one playhead of a server stands. A recording (`replay`) plays between its first and
 * last moments; a live host (`live`) keeps recent history to scrub back through, and `live` says
 * the playhead follows the host as it is now.
 */
export const playbackStateSchema = z
  .object({
    mode: z.enum(['live', 'replay']),
    /** First moment that can be shown, milliseconds since the epoch. */
    start: z.number(),
    /** Last moment known; on a live host it moves on with every tick. */
    end: z.number(),
    /** The playhead: the moment the stream shows. */
    at: z.number(),
    live: z.boolean(),
    playing: z.boolean(),
    speed: playbackSpeedSchema,
  })
  .strict();
export type PlaybackState = z.infer<typeof playbackStateSchema>;

/**
 * The player's clock: the playhead stood at `anchorAt` at wall time `anchorWall` and moves on at
 * `speed` while `playing`. `live` (a live host only) pins it to the newest moment.
 */
export interface PlayClock {
  anchorAt: number;
  anchorWall: number;
  playing: boolean;
  speed: PlaybackSpeed;
  live: boolean;
}

/** What can be asked of a player; the same as the client messages that drive it. */
export type PlaybackAction =
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'speed'; speed: PlaybackSpeed }
  | { type: 'seek'; at: number }
  | { type: 'live' }
  /** The playhead reached the newest moment (the player's own timer). */
  | { type: 'reached-end' };

/** What is known: the first and newest moments, and whether new ones keep coming (a live host). */
export interface PlayBounds {
  start: number;
  end: number;
  growing: boolean;
}

/** Where the playhead of `clock` stands at wall time `now`, within the bounds. Pure. */
export function findPlayhead(clock: PlayClock, bounds: PlayBounds, now: number): number {
  if (clock.live) return bounds.end;
  const moved = clock.playing ? clock.anchorAt + Math.max(0, now - clock.anchorWall) * clock.speed : clock.anchorAt;
  return Math.min(bounds.end, Math.max(bounds.start, moved));
}

/**
 * The clock after an action at wall time `now`. Pure. A recording stops at its end (and plays
 * again from the start); a live host's playhead that catches up with the present goes live, and
 * pausing a live view freezes it where it is.
 */
export function reducePlayClock(clock: PlayClock, action: PlaybackAction, bounds: PlayBounds, now: number): PlayClock {
  const here = findPlayhead(clock, bounds, now);
  const at = (anchorAt: number): PlayClock => ({ ...clock, anchorAt, anchorWall: now, live: false });
  switch (action.type) {
    case 'play':
      if (clock.live) return clock;
      return { ...at(!bounds.growing && here >= bounds.end ? bounds.start : here), playing: true };
    case 'pause':
      return { ...at(here), playing: false };
    case 'speed':
      return { ...at(here), speed: action.speed, live: clock.live };
    case 'seek': {
      const target = Math.min(bounds.end, Math.max(bounds.start, action.at));
      if (bounds.growing && target >= bounds.end) return { ...clock, anchorAt: bounds.end, anchorWall: now, live: true, playing: true };
      // Dragged back from the live view, it holds still there to be looked at.
      return { ...at(target), playing: clock.live ? false : clock.playing };
    }
    case 'live':
      return bounds.growing ? { ...clock, anchorAt: bounds.end, anchorWall: now, live: true, playing: true } : clock;
    case 'reached-end':
      if (bounds.growing) return { ...clock, anchorAt: bounds.end, anchorWall: now, live: true, playing: true };
      return { ...at(bounds.end), playing: false };
    default:
      return assertNever(action);
  }
}

/** The state the protocol carries, from the clock at `now`. */
export function buildPlaybackState(clock: PlayClock, bounds: PlayBounds, now: number): PlaybackState {
  return {
    mode: bounds.growing ? 'live' : 'replay',
    start: bounds.start,
    end: bounds.end,
    at: findPlayhead(clock, bounds, now),
    live: clock.live,
    playing: clock.playing,
    speed: clock.speed,
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
