import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDiff } from './apply-diff.ts';
import type { ProcessInfo, Snapshot } from './model.ts';
import { testProcess } from './testing.ts';

const host = { hostname: 'h', kernel: 'k', cpus: 1, bootTime: 0, engines: [] };
const snapshotOf = (processes: ProcessInfo[]): Snapshot => ({ processes, containers: [], host, takenAt: 1 });
const diffOf = (upserted: ProcessInfo[], removed: number[]) => ({ upserted, removed, containers: null, host: null, takenAt: 2 });

/** What applyDiff means: remove, then upsert (the last row for a pid wins), sorted by pid. */
function reference(processes: ProcessInfo[], upserted: ProcessInfo[], removed: number[]): ProcessInfo[] {
  const rows = new Map(processes.map((p) => [p.pid, p]));
  for (const pid of removed) rows.delete(pid);
  for (const p of upserted) rows.set(p.pid, p);
  return [...rows.values()].sort((a, b) => a.pid - b.pid);
}

const pids = fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 40 });
const rows = (version: number) => pids.map((list) => list.map((pid) => testProcess(pid, 1, { startTime: version })));

describe('applyDiff', () => {
  it('applyDiff merges upserts and removals into sorted processes exactly as remove-then-upsert would (property)', () => {
    fc.assert(
      fc.property(
        rows(1).map((list) => [...list].sort((a, b) => a.pid - b.pid)),
        fc.array(
          fc.integer({ min: 1, max: 60 }).map((pid) => testProcess(pid, 2, { startTime: 2 })),
          { maxLength: 20 },
        ),
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 20 }),
        (current, upserted, removed) => {
          expect(applyDiff(snapshotOf(current), diffOf(upserted, removed)).processes).toEqual(reference(current, upserted, removed));
        },
      ),
    );
  });

  it('applyDiff still gives sorted processes when the snapshot it is given is not sorted (property)', () => {
    fc.assert(
      fc.property(rows(1), fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 10 }), (current, removed) => {
        expect(applyDiff(snapshotOf(current), diffOf([testProcess(30, 1, { startTime: 9 })], removed)).processes).toEqual(
          reference(current, [testProcess(30, 1, { startTime: 9 })], removed),
        );
      }),
    );
  });

  it('applyDiff keeps the rows it did not touch as the same objects', () => {
    const current = [testProcess(1, 0), testProcess(5, 1), testProcess(9, 1)];
    const out = applyDiff(snapshotOf(current), diffOf([testProcess(7, 1)], [5])).processes;
    expect(out.map((p) => p.pid)).toEqual([1, 7, 9]);
    expect(out[0]).toBe(current[0]);
    expect(out[2]).toBe(current[2]);
  });
});
