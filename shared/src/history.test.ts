import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffSnapshots } from './diff-snapshots.ts';
import { History } from './history.ts';
import type { ProcessInfo, Snapshot } from './model.ts';
import { testContainer, testProcess, testSnapshot } from './testing.ts';

/** A run of snapshots one second apart, each from the one before through `step`. */
function run(first: Snapshot, steps: ((s: Snapshot) => Snapshot)[]): Snapshot[] {
  const all = [first];
  for (const step of steps) {
    const last = all[all.length - 1] as Snapshot;
    all.push({ ...step(last), takenAt: last.takenAt + 1000 });
  }
  return all;
}

function recordAll(history: History, snapshots: readonly Snapshot[]): void {
  snapshots.forEach((s, i) => history.record(s, i === 0 ? null : diffSnapshots(snapshots[i - 1] as Snapshot, s)));
}

const base = testSnapshot([testProcess(1, 0), testProcess(10, 1), testProcess(20, 1)], [], 1_000);
const born = (pid: number) => (s: Snapshot) => ({ ...s, processes: [...s.processes, testProcess(pid, 1)] });
const died = (pid: number) => (s: Snapshot) => ({ ...s, processes: s.processes.filter((p) => p.pid !== pid) });
const busy = (pid: number, cpu: number) => (s: Snapshot) => ({ ...s, processes: s.processes.map((p) => (p.pid === pid ? { ...p, cpu } : p)) });

describe('History', () => {
  it('History.at answers each moment as it was, between moments with the last one before', () => {
    const snapshots = run(base, [born(30), busy(10, 5), died(20), born(40)]);
    const history = new History({ keyframeMs: 2_500 });
    recordAll(history, snapshots);
    snapshots.forEach((s) => expect(history.at(s.takenAt)).toEqual({ ...s, processes: [...s.processes].sort((a, b) => a.pid - b.pid) }));
    expect(history.at(2_500)?.takenAt).toBe(2_000);
    expect(history.at(999)).toBeNull();
    expect(history.at(1e13)?.takenAt).toBe(5_000);
  });

  it('History.record stores a keyframe every keyframeMs and diffs in between, and nothing when nothing changed', () => {
    const history = new History({ keyframeMs: 3_000 });
    const snapshots = run(base, [born(30), (s) => s, born(31), born(32), born(33), (s) => s, born(34)]);
    recordAll(history, snapshots);
    // 1 s keyframe, 2 s diff, (3 s unchanged), 4 s keyframe, 5 s and 6 s diffs, (7 s unchanged), 8 s keyframe.
    expect(history.size).toBe(6);
    expect(history.keyframeCount).toBe(3);
  });

  it('a keyframe holds the same row object for a process that did not change', () => {
    const history = new History({ keyframeMs: 1_000 });
    const copy = (s: Snapshot): Snapshot => ({ ...s, processes: s.processes.map((p) => ({ ...p })) });
    const snapshots = run(base, [(s) => born(30)(copy(s)), (s) => busy(10, 9)(copy(s))]);
    recordAll(history, snapshots);
    expect(history.keyframeCount).toBe(3);
    const [a, b, c] = [1_000, 2_000, 3_000].map((t) => history.at(t) as Snapshot);
    const row = (s: Snapshot, pid: number): ProcessInfo | undefined => s.processes.find((p) => p.pid === pid);
    expect(row(b as Snapshot, 20)).toBe(row(a as Snapshot, 20));
    expect(row(c as Snapshot, 20)).toBe(row(a as Snapshot, 20));
    expect(row(c as Snapshot, 10)).not.toBe(row(b as Snapshot, 10));
  });

  it('History.prune forgets what is older, keeping the keyframe that shows the cut-off moment', () => {
    const history = new History({ keyframeMs: 2_000 });
    const snapshots = run(base, [born(30), born(31), born(32), born(33), born(34), born(35)]);
    recordAll(history, snapshots);
    const expected = history.at(4_500);
    history.prune(4_500);
    expect(history.start).toBe(3_000);
    expect(history.at(4_500)).toEqual(expected);
    expect(history.at(2_000)).toBeNull();
    expect(history.at(7_000)?.processes.map((p) => p.pid)).toEqual([1, 10, 20, 30, 31, 32, 33, 34, 35]);
  });

  it('History.addDiff before any snapshot and times going backwards are refused', () => {
    const history = new History();
    expect(() => history.addDiff({ upserted: [], removed: [], containers: null, host: null, takenAt: 1 })).toThrow(/snapshot before/);
    history.addSnapshot(base);
    expect(() => history.addSnapshot({ ...base, takenAt: 10 })).toThrow(/backwards/);
  });

  it('History keeps events by time: the ones up to a moment newest first, container events as markers', () => {
    const history = new History();
    history.addSnapshot(base);
    const event = (at: number, kind: 'process-born' | 'container-created') => ({ id: `${at}`, at, kind, text: `${kind} ${at}`, pid: null, containerId: null });
    history.addEvents([event(1_000, 'process-born'), event(2_000, 'container-created'), event(3_000, 'process-born')]);
    expect(history.eventsUpTo(2_500, 10).map((e) => e.at)).toEqual([2_000, 1_000]);
    expect(history.eventsUpTo(9_000, 2).map((e) => e.at)).toEqual([3_000, 2_000]);
    expect(history.markers(10).map((e) => e.at)).toEqual([2_000]);
  });

  it('History.at equals replaying every diff from the start, for any run (property)', () => {
    const change = fc.oneof(
      fc.integer({ min: 2, max: 60 }).map((pid) => born(pid)),
      fc.integer({ min: 2, max: 60 }).map((pid) => died(pid)),
      fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 100 })).map(([pid, cpu]) => busy(pid, cpu)),
      fc.constant((s: Snapshot) => ({ ...s, containers: [testContainer('c', 'db', [])] })),
    );
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), fc.integer({ min: 1_000, max: 10_000 }), (steps, keyframeMs) => {
        const dedupe = (s: Snapshot): Snapshot => ({ ...s, processes: [...new Map(s.processes.map((p) => [p.pid, p])).values()] });
        const snapshots = run(
          base,
          steps.map((f) => (s: Snapshot) => dedupe(f(s))),
        );
        const history = new History({ keyframeMs });
        recordAll(history, snapshots);
        // Backwards then forwards, so the cache is used both ways.
        for (const s of [...snapshots].reverse().concat(snapshots)) {
          const at = history.at(s.takenAt);
          expect(at?.processes).toEqual([...s.processes].sort((a, b) => a.pid - b.pid));
          expect(at?.containers).toEqual(s.containers);
        }
      }),
      { numRuns: 150 },
    );
  });
});
