import { describe, expect, it } from 'vitest';
import { runOneAtATime } from './run-one-at-a-time.ts';

describe('runOneAtATime', () => {
  it('runOneAtATime runs the job once more after a run during which it was asked for, however often', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const run = runOneAtATime(async () => {
      runs++;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = run();
    const second = run();
    const third = run();
    expect(second).toBe(first);
    expect(third).toBe(first);
    release();
    await first;
    expect(runs).toBe(2);
    await run();
    expect(runs).toBe(3);
  });

  it('runOneAtATime rejects the callers of a failing run and runs afresh next time', async () => {
    let fail = true;
    const run = runOneAtATime(async () => {
      await Promise.resolve();
      if (fail) throw new Error('engine gone');
    });
    await expect(run()).rejects.toThrow('engine gone');
    fail = false;
    await expect(run()).resolves.toBeUndefined();
  });
});
