import { describe, expect, it } from 'vitest';
import { buildPlaybackState, findPlayhead, reducePlayClock } from './playback.ts';
import type { PlayBounds, PlayClock } from './playback.ts';

const recording: PlayBounds = { start: 1_000, end: 61_000, growing: false };
const live: PlayBounds = { start: 1_000, end: 61_000, growing: true };
const playing: PlayClock = { anchorAt: 1_000, anchorWall: 0, playing: true, speed: 1, live: false };
const following: PlayClock = { anchorAt: 61_000, anchorWall: 0, playing: true, speed: 1, live: true };

describe('the play clock', () => {
  it('findPlayhead moves with wall time at its speed, and stops at the ends', () => {
    expect(findPlayhead(playing, recording, 5_000)).toBe(6_000);
    expect(findPlayhead({ ...playing, speed: 4 }, recording, 5_000)).toBe(21_000);
    expect(findPlayhead(playing, recording, 600_000)).toBe(61_000);
    expect(findPlayhead({ ...playing, playing: false }, recording, 5_000)).toBe(1_000);
    expect(findPlayhead(following, live, 5_000)).toBe(61_000);
  });

  it('pausing keeps the playhead where it is; playing on goes from there', () => {
    const paused = reducePlayClock(playing, { type: 'pause' }, recording, 10_000);
    expect(findPlayhead(paused, recording, 50_000)).toBe(11_000);
    const resumed = reducePlayClock(paused, { type: 'play' }, recording, 50_000);
    expect(findPlayhead(resumed, recording, 52_000)).toBe(13_000);
  });

  it('a speed change keeps the playhead and moves on faster from there', () => {
    const fast = reducePlayClock(playing, { type: 'speed', speed: 8 }, recording, 2_000);
    expect(findPlayhead(fast, recording, 3_000)).toBe(3_000 + 8_000);
  });

  it('seeking clamps to the recording, and play at the end starts again from the start', () => {
    expect(findPlayhead(reducePlayClock(playing, { type: 'seek', at: 0 }, recording, 0), recording, 0)).toBe(1_000);
    const atEnd = reducePlayClock(playing, { type: 'reached-end' }, recording, 70_000);
    expect(atEnd.playing).toBe(false);
    expect(findPlayhead(atEnd, recording, 80_000)).toBe(61_000);
    expect(findPlayhead(reducePlayClock(atEnd, { type: 'play' }, recording, 80_000), recording, 80_000)).toBe(1_000);
  });

  it('on a live host a drag back holds still there, and "live" or catching up follows the present again', () => {
    const back = reducePlayClock(following, { type: 'seek', at: 30_000 }, live, 100);
    expect(back).toMatchObject({ live: false, playing: false });
    expect(findPlayhead(back, { ...live, end: 90_000 }, 10_000)).toBe(30_000);
    expect(reducePlayClock(back, { type: 'live' }, live, 200).live).toBe(true);
    expect(reducePlayClock(back, { type: 'seek', at: 99_999 }, live, 200).live).toBe(true);
    const playingBack = reducePlayClock(back, { type: 'play' }, live, 300);
    expect(reducePlayClock(playingBack, { type: 'reached-end' }, live, 400)).toMatchObject({ live: true, playing: true });
  });

  it('live and reached-end mean nothing special to a recording', () => {
    expect(reducePlayClock(playing, { type: 'live' }, recording, 10)).toBe(playing);
    expect(buildPlaybackState(playing, recording, 2_000)).toEqual({
      mode: 'replay',
      start: 1_000,
      end: 61_000,
      at: 3_000,
      live: false,
      playing: true,
      speed: 1,
    });
  });
});
