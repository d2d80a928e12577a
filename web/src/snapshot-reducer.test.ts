import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, diffSnapshots } from '@proclens/shared';
import { initialStreamState, reduceStream } from './snapshot-reducer.ts';
import { DB, db, host, proc, snapshot } from './test-processes.ts';

describe('reduceStream', () => {
  const first = snapshot(host, [db]);
  const opened = reduceStream(initialStreamState, { kind: 'message', message: { type: 'snapshot', protocol: PROTOCOL_VERSION, seq: 0, snapshot: first } });

  it('reduceStream applies diffs in sequence and records what happened on the timeline', () => {
    const next = snapshot([...host, proc(30, 20, { name: 'sh', containerId: DB })], [db], 2000);
    const diff = diffSnapshots(first, next);
    if (!diff) throw new Error('expected a diff');
    const state = reduceStream(opened, { kind: 'message', message: { type: 'diff', seq: 1, diff } });
    expect(state.snapshot?.processes.map((p) => p.pid)).toContain(30);
    expect(state.events.map((e) => e.text)).toEqual(['sh(30) in db started']);
  });

  it('reduceStream asks for a resync on a sequence gap and keeps the old snapshot', () => {
    const diff = { upserted: [], removed: [21], containers: null, host: null, takenAt: 3 };
    const state = reduceStream(opened, { kind: 'message', message: { type: 'diff', seq: 5, diff } });
    expect(state.needsResync).toBe(true);
    expect(state.snapshot).toBe(first);
  });

  it('reduceStream shows reconnecting when the socket closes', () => {
    expect(reduceStream(opened, { kind: 'closed' }).connection).toBe('reconnecting');
  });
});
