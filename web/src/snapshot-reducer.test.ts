import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, diffSnapshots } from '@proclens/shared';
import { FADE_MS, initialStreamState, reduceStream } from './snapshot-reducer.ts';
import { DB, container, db, host, proc, snapshot } from './test-processes.ts';

describe('reduceStream', () => {
  const first = snapshot(host, [db]);
  const opened = reduceStream(initialStreamState, {
    kind: 'message',
    message: { type: 'snapshot', protocol: PROTOCOL_VERSION, seq: 0, snapshot: first },
    at: 0,
  });

  it('reduceStream applies diffs in sequence and records what happened on the timeline', () => {
    const next = snapshot([...host, proc(30, 20, { name: 'sh', containerId: DB })], [db], 2000);
    const diff = diffSnapshots(first, next);
    if (!diff) throw new Error('expected a diff');
    const state = reduceStream(opened, { kind: 'message', message: { type: 'diff', seq: 1, diff }, at: 1000 });
    expect(state.snapshot?.processes.map((p) => p.pid)).toContain(30);
    expect(state.processEvents.map((e) => e.text)).toEqual(['sh(30) in db started']);
  });

  it('reduceStream asks for a resync on a sequence gap and keeps the old snapshot', () => {
    const diff = { upserted: [], removed: [21], containers: null, host: null, takenAt: 3 };
    const state = reduceStream(opened, { kind: 'message', message: { type: 'diff', seq: 5, diff }, at: 1000 });
    expect(state.needsResync).toBe(true);
    expect(state.snapshot).toBe(first);
  });

  it('reduceStream keeps an exited process a moment, to fade it out, then lets it go', () => {
    const next = snapshot(
      host.filter((p) => p.pid !== 22),
      [db],
      2000,
    );
    const diff = diffSnapshots(first, next);
    if (!diff) throw new Error('expected a diff');
    const state = reduceStream(opened, { kind: 'message', message: { type: 'diff', seq: 1, diff }, at: 1000 });
    expect(state.departedProcesses.map((d) => [d.item.pid, d.at])).toEqual([[22, 1000]]);
    const later = reduceStream(state, {
      kind: 'message',
      message: { type: 'diff', seq: 2, diff: { ...diff, removed: [], upserted: [] } },
      at: 1000 + FADE_MS + 2000,
    });
    expect(later.departedProcesses).toEqual([]);
  });

  it('reduceStream never lets process churn push a container event out of the timeline', () => {
    const churn = (i: number) =>
      snapshot([...host, ...Array.from({ length: 20 }, (_, j) => proc(1000 + i * 20 + j, 1))], [db, container('c'.repeat(64), 'web2', [])], 2000 + i);
    let state = reduceStream(opened, { kind: 'message', message: { type: 'snapshot', protocol: PROTOCOL_VERSION, seq: 1, snapshot: churn(0) }, at: 1 });
    for (let i = 1; i < 60; i++)
      state = reduceStream(state, { kind: 'message', message: { type: 'snapshot', protocol: PROTOCOL_VERSION, seq: i + 1, snapshot: churn(i) }, at: i });
    expect(state.containerEvents.map((e) => e.text)).toContain('container web2 started (redis:alpine)');
    expect(state.processEvents.length).toBeGreaterThan(100);
  });

  it('reduceStream shows reconnecting when the socket closes', () => {
    expect(reduceStream(opened, { kind: 'closed' }).connection).toBe('reconnecting');
  });
});
