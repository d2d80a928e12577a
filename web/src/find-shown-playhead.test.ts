import { describe, expect, it } from 'vitest';
import type { PlaybackState } from '@proclens/shared';
import { findShownPlayhead, formatSpan } from './find-shown-playhead.ts';
import { buildQrPath } from './ShareQr.tsx';

const replay: PlaybackState = { mode: 'replay', start: 1_000, end: 61_000, at: 11_000, live: false, playing: true, speed: 2 };
const live: PlaybackState = { mode: 'live', start: 1_000, end: 61_000, at: 61_000, live: true, playing: true, speed: 1 };

describe('findShownPlayhead', () => {
  it('findShownPlayhead moves a playing recording on at its speed and stops at its end', () => {
    expect(findShownPlayhead(replay, 1_000).at).toBe(13_000);
    expect(findShownPlayhead(replay, 600_000).at).toBe(61_000);
    expect(findShownPlayhead({ ...replay, playing: false }, 5_000).at).toBe(11_000);
  });

  it('findShownPlayhead keeps a live view at the present, which moves on with the clock', () => {
    expect(findShownPlayhead(live, 2_000)).toEqual({ at: 63_000, start: 1_000, end: 63_000 });
    const back = findShownPlayhead({ ...live, live: false, playing: false, at: 30_000 }, 2_000);
    expect(back).toEqual({ at: 30_000, start: 1_000, end: 63_000 });
  });

  it('formatSpan reads as minutes and seconds, hours when there are any', () => {
    expect(formatSpan(65_000)).toBe('1:05');
    expect(formatSpan(3_725_000)).toBe('1:02:05');
  });

  it('buildQrPath draws a square code with its three finder patterns', () => {
    const { size, path } = buildQrPath('http://192.168.1.20:7700/?token=abcdefghijklmnopqrstuvwxyz012345');
    expect(size).toBeGreaterThanOrEqual(25);
    // The top-left finder pattern starts two modules in (the border), as a 7-module dark row.
    expect(path).toContain('M2 2h1v1h-1z');
    expect(path).toContain('M8 2h1v1h-1z');
  });
});
