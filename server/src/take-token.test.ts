import { describe, expect, it } from 'vitest';
import { takeToken } from './take-token.ts';
import type { TokenBucket } from './take-token.ts';

const RATE = { capacity: 3, perSecond: 2 };

/** Takes at each time in turn; returns whether each was allowed. */
function takeAt(times: number[]): { allowed: boolean[]; retryAfterMs: number[] } {
  let bucket: TokenBucket | undefined;
  const allowed: boolean[] = [];
  const retryAfterMs: number[] = [];
  for (const now of times) {
    const taken = takeToken(bucket, now, RATE);
    bucket = taken.bucket;
    allowed.push(taken.ok);
    retryAfterMs.push(taken.retryAfterMs);
  }
  return { allowed, retryAfterMs };
}

describe('takeToken', () => {
  it('allows a burst of the capacity at once, then refuses with the wait until a token is back', () => {
    expect(takeAt([0, 0, 0, 0])).toEqual({ allowed: [true, true, true, false], retryAfterMs: [0, 0, 0, 500] });
  });

  it('refills at the rate, never above the capacity', () => {
    expect(takeAt([0, 0, 0, 500, 600, 1000]).allowed).toEqual([true, true, true, true, false, true]);
    expect(takeAt([0, 0, 0, 60_000, 60_000, 60_000, 60_000]).allowed).toEqual([true, true, true, true, true, true, false]);
  });

  it('counts refused attempts as nothing taken: a client that keeps asking is let in at the rate', () => {
    const times = Array.from({ length: 100 }, (_, i) => i * 50);
    const allowed = takeAt(times).allowed.filter(Boolean).length;
    // 3 at once, then 2 a second over the 4.95 s.
    expect(allowed).toBe(3 + Math.floor((4950 * 2) / 1000));
  });

  it('treats a clock that went back as no time passed', () => {
    expect(takeAt([1000, 1000, 1000, 0]).allowed).toEqual([true, true, true, false]);
  });
});
