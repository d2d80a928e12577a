import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from './model.ts';
import { stabiliseMetrics } from './stabilise-metrics.ts';
import { testProcess } from './testing.ts';

const base: ProcessInfo = testProcess(42, 1, { name: 'worker', argv: ['worker'], startTime: 1000, cpu: 3, rssKiB: 10_000 });

describe('stabiliseMetrics', () => {
  it.each([
    [{ cpu: 3.4 }, { cpu: 3 }],
    [{ cpu: 3.6 }, { cpu: 3.6 }],
    [{ cpu: 0 }, { cpu: 0 }],
    [{ rssKiB: 10_150 }, { rssKiB: 10_000 }],
    [{ rssKiB: 10_300 }, { rssKiB: 10_300 }],
    [
      { cpu: 3.1, rssKiB: 12_000 },
      { cpu: 3, rssKiB: 12_000 },
    ],
  ])('stabiliseMetrics turns %j into %j', (change, expected) => {
    expect(stabiliseMetrics(base, { ...base, ...change })).toMatchObject(expected);
  });

  it('stabiliseMetrics returns the same row when nothing moved enough, so diffs stay empty', () => {
    const next = { ...base, cpu: 3.2, rssKiB: 10_010 };
    expect(stabiliseMetrics(base, next)).toEqual(base);
  });

  it('stabiliseMetrics treats a reused pid as a new process', () => {
    const reborn = { ...base, startTime: 2000, cpu: 3.2 };
    expect(stabiliseMetrics(base, reborn)).toBe(reborn);
  });

  it('stabiliseMetrics keeps other changes such as state and threads', () => {
    expect(stabiliseMetrics(base, { ...base, state: 'R', threads: 4, cpu: 3.1 })).toMatchObject({ state: 'R', threads: 4, cpu: 3 });
  });
});
