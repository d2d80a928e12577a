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

  /** The host after db's sleep 22 exited, and the diff to it from `first`. */
  const withoutPid22 = () =>
    snapshot(
      host.filter((p) => p.pid !== 22),
      [db],
      2000,
    );
  const exitOf22 = () => {
    const diff = diffSnapshots(first, withoutPid22());
    if (!diff) throw new Error('expected a diff');
    return diff;
  };

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
    const diff = exitOf22();
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

  it('reduceStream takes the server’s history after a jump of the playhead: containers and processes apart, nothing fading', () => {
    const diff = exitOf22();
    const jumped = reduceStream(opened, { kind: 'message', message: { type: 'diff', seq: 1, diff }, at: 1000 });
    expect(jumped.departedProcesses).toHaveLength(1);
    const events = [
      { id: '900:c+:x', at: 900, kind: 'container-created' as const, text: 'container db started (redis:alpine)', pid: 21, containerId: DB },
      { id: '800:process-exited:23:0', at: 800, kind: 'process-exited' as const, text: 'sleep(23) in db exited', pid: null, containerId: DB },
      { id: '700:process-born:5000:0', at: 700, kind: 'process-born' as const, text: 'bash(5000) started', pid: 5000, containerId: null },
    ];
    const state = reduceStream(jumped, { kind: 'message', message: { type: 'timeline', events }, at: 1001 });
    expect(state.containerEvents.map((e) => [e.text, e.runtime, e.seenAt])).toEqual([['container db started (redis:alpine)', true, undefined]]);
    expect(state.processEvents.map((e) => [e.text, e.runtime])).toEqual([
      ['sleep(23) in db exited', true],
      ['bash(5000) started', false],
    ]);
    expect(state.departedProcesses).toEqual([]);
  });

  it('reduceStream keeps the session, the playhead with its arrival on the page clock, markers, the presenter’s view and presence', () => {
    let state = reduceStream(opened, {
      kind: 'message',
      message: { type: 'session', role: 'audience', share: true, mode: 'replay', audienceUrl: null },
      at: 1,
    });
    state = reduceStream(state, {
      kind: 'message',
      message: { type: 'playback', state: { mode: 'replay', start: 0, end: 10, at: 5, live: false, playing: false, speed: 1 } },
      at: 2,
      receivedAt: 42,
    });
    state = reduceStream(state, { kind: 'message', message: { type: 'presence', audience: 3, following: 2 }, at: 3 });
    expect(state.session).toMatchObject({ role: 'audience', mode: 'replay' });
    expect(state.playback?.receivedAt).toBe(42);
    expect(state.presence).toEqual({ audience: 3, following: 2 });
  });

  it('reduceStream keeps the first departure of a process listed again for a moment, so its fade carries on', () => {
    const without22 = withoutPid22();
    const message = (seq: number, from: typeof first, to: typeof first, at: number) => {
      const diff = diffSnapshots(from, to);
      if (!diff) throw new Error('expected a diff');
      return { kind: 'message' as const, message: { type: 'diff' as const, seq, diff }, at };
    };
    let state = reduceStream(opened, message(1, first, without22, 1000));
    const back = snapshot(host, [db], 3000);
    state = reduceStream(state, message(2, without22, back, 1500));
    state = reduceStream(state, message(3, back, snapshot(without22.processes, [db], 4000), 2000));
    expect(state.departedProcesses.map((d) => [d.item.pid, d.at])).toEqual([[22, 1000]]);
    // Another process with the same pid is not it: the old departure goes.
    const reused = snapshot([...without22.processes, proc(22, 20, { startTime: 999 })], [db], 5000);
    state = reduceStream(state, message(4, snapshot(without22.processes, [db], 4000), reused, 2100));
    expect(state.departedProcesses).toEqual([]);
  });
});
