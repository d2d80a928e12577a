import { describe, expect, it } from 'vitest';
import { isKeyframeDue } from './is-keyframe-due.ts';

describe('isKeyframeDue', () => {
  it.each([
    [{ elapsedMs: 29_999, diffBytes: 10_000_000, keyframeBytes: 1000 }, false, 'never sooner than 30 s'],
    [{ elapsedMs: 30_000, diffBytes: 125, keyframeBytes: 1000 }, true, 'at 30 s when the diffs are worth an eighth of a snapshot'],
    [{ elapsedMs: 300_000, diffBytes: 124, keyframeBytes: 1000 }, false, 'not on a quiet host whose diffs are worth less'],
    [{ elapsedMs: 600_000, diffBytes: 0, keyframeBytes: 1000 }, true, 'after 10 minutes whatever changed'],
  ])('isKeyframeDue(%j) is %s: %s', (since, due) => {
    expect(isKeyframeDue(since)).toBe(due);
  });
});
