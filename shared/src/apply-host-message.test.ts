import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_DIFFS, applyHostMessage, emptyHostEntry, isHostBehind, noteHostProblem } from './apply-host-message.ts';
import type { HostEntry } from './apply-host-message.ts';
import { diffSnapshots } from './diff-snapshots.ts';
import type { HostDiffMessage, HostMessage, HostSnapshotMessage } from './host-protocol.ts';
import type { Snapshot } from './model.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { testProcess, testSnapshot } from './testing.ts';

const base = { protocol: PROTOCOL_VERSION, host: 'b', sentAt: 0 } as const;
const snap = (epoch: string, seq: number, snapshot: Snapshot): HostSnapshotMessage => ({ ...base, type: 'snapshot', epoch, seq, snapshot });
const diff = (epoch: string, seq: number, before: Snapshot, after: Snapshot): HostDiffMessage => {
  const d = diffSnapshots(before, after);
  if (!d) throw new Error('no change');
  return { ...base, type: 'diff', epoch, seq, diff: d };
};
const fold = (messages: HostMessage[], entry: HostEntry = emptyHostEntry('b')): HostEntry =>
  messages.reduce((e, m, i) => applyHostMessage(e, m, 1000 + i).entry, entry);

const s0 = testSnapshot([testProcess(1, 0)], [], 1);
const s1 = testSnapshot([testProcess(1, 0), testProcess(2, 1)], [], 2);
const s2 = testSnapshot([testProcess(1, 0), testProcess(2, 1), testProcess(3, 1)], [], 3);
const s3 = testSnapshot([testProcess(1, 0), testProcess(3, 1)], [], 4);

describe('applyHostMessage', () => {
  it('applies the diffs that follow a snapshot, in order', () => {
    const entry = fold([snap('run-a', 0, s0), diff('run-a', 1, s0, s1), diff('run-a', 2, s1, s2)]);
    expect(entry.snapshot).toEqual(s2);
    expect(entry.seq).toBe(2);
    expect(entry.lastSeen).toBe(1002);
  });

  it('holds diffs that arrive before their snapshot and applies them once it comes', () => {
    const entry = fold([diff('run-a', 2, s1, s2), diff('run-a', 3, s2, s3), snap('run-a', 1, s1)]);
    expect(entry.snapshot).toEqual(s3);
    expect(entry.pending).toEqual([]);
  });

  it('drops diffs the snapshot already holds, and repeated diffs', () => {
    const entry = fold([diff('run-a', 1, s0, s1), snap('run-a', 2, s2), diff('run-a', 2, s1, s2), diff('run-a', 3, s2, s3), diff('run-a', 3, s2, s3)]);
    expect(entry.snapshot).toEqual(s3);
    expect(entry.pending).toEqual([]);
  });

  it('keeps a diff after a gap pending, says the hub is behind, and recovers with the next snapshot', () => {
    const gapped = fold([snap('run-a', 0, s0), diff('run-a', 2, s1, s2)]);
    expect(gapped.snapshot).toEqual(s0);
    expect(isHostBehind(gapped)).toBe(true);
    const healed = fold([snap('run-a', 3, s3)], gapped);
    expect(healed.snapshot).toEqual(s3);
    expect(isHostBehind(healed)).toBe(false);
  });

  it('replaces the state when the agent restarts (a new epoch), ignoring the old run’s late diffs', () => {
    const entry = fold([snap('run-a', 0, s0), diff('run-a', 1, s0, s1), snap('run-b', 0, s3), diff('run-a', 2, s1, s2)]);
    expect(entry.snapshot).toEqual(s3);
    expect(entry.epoch).toBe('run-b');
    expect(entry.pending).toHaveLength(1);
  });

  it('ignores an older snapshot of the same run', () => {
    const entry = fold([snap('run-a', 5, s2), snap('run-a', 4, s0)]);
    expect(entry.snapshot).toEqual(s2);
  });

  it('reports whether the snapshot changed, and a beat never changes it', () => {
    const first = applyHostMessage(emptyHostEntry('b'), snap('run-a', 0, s0), 1);
    expect(first.snapshotChanged).toBe(true);
    const beat = applyHostMessage(first.entry, { ...base, type: 'beat', epoch: 'run-a', seq: 0, beatMs: 5000, processes: 1, containers: 0, problem: null }, 2);
    expect(beat.snapshotChanged).toBe(false);
    expect(beat.entry.beat).toEqual({ epoch: 'run-a', seq: 0, processes: 1, containers: 0, problem: null });
    expect(isHostBehind(beat.entry)).toBe(false);
    const ahead = applyHostMessage(beat.entry, { ...base, type: 'beat', epoch: 'run-a', seq: 3, beatMs: 5000, processes: 1, containers: 0, problem: null }, 3);
    expect(isHostBehind(ahead.entry)).toBe(true);
  });

  it('never lets lastSeen go back, and keeps at most MAX_PENDING_DIFFS', () => {
    const late = applyHostMessage({ ...emptyHostEntry('b'), lastSeen: 5000 }, snap('run-a', 0, s0), 10);
    expect(late.entry.lastSeen).toBe(5000);
    const many = Array.from({ length: MAX_PENDING_DIFFS + 10 }, (_, i) => ({ ...diff('run-a', 1, s0, s1), seq: i + 10 }));
    expect(fold(many).pending).toHaveLength(MAX_PENDING_DIFFS);
  });

  it('counts an unreadable message as a sign of life with a problem, cleared by the next good one', () => {
    const bad = noteHostProblem(emptyHostEntry('b'), 'protocol 1', 50);
    expect(bad).toMatchObject({ lastSeen: 50, problem: 'protocol 1' });
    expect(fold([snap('run-a', 0, s0)], bad).problem).toBeNull();
  });
});

/** A run of an agent: snapshots of a changing host, each published as a diff or (sometimes) a snapshot. */
const agentRun = fc
  .array(fc.record({ pids: fc.uniqueArray(fc.integer({ min: 2, max: 30 }), { maxLength: 8 }), asSnapshot: fc.boolean() }), { minLength: 1, maxLength: 25 })
  .map((steps) => {
    const states = [
      s0,
      ...steps.map((s, i) => testSnapshot([testProcess(1, 0), ...[...s.pids].sort((a, b) => a - b).map((p) => testProcess(p, 1))], [], 10 + i)),
    ];
    const messages: HostMessage[] = [snap('run-a', 0, s0)];
    for (let i = 1; i < states.length; i++) {
      const before = states[i - 1] as Snapshot;
      const after = states[i] as Snapshot;
      const d = diffSnapshots(before, after);
      // An unchanged tick: the agent sends nothing and the seq stays put.
      if (!d) {
        states[i] = before;
        continue;
      }
      const seq = messages.length;
      messages.push(steps[i - 1]?.asSnapshot ? snap('run-a', seq, after) : { ...base, type: 'diff', epoch: 'run-a', seq, diff: d });
    }
    return { final: states[states.length - 1] as Snapshot, messages };
  });

describe('applyHostMessage over two streams', () => {
  it('a hub that reads both streams as they come, in any interleaving, ends at the agent’s state', () => {
    fc.assert(
      fc.property(agentRun, fc.array(fc.boolean(), { maxLength: 60 }), ({ final, messages }, coin) => {
        const snapshots = messages.filter((m) => m.type === 'snapshot');
        const diffs = messages.filter((m) => m.type === 'diff');
        const delivered: HostMessage[] = [];
        let c = 0;
        while (snapshots.length || diffs.length) {
          const takeSnapshot = diffs.length === 0 || (snapshots.length > 0 && (coin[c++] ?? true));
          delivered.push((takeSnapshot ? snapshots.shift() : diffs.shift()) as HostMessage);
        }
        expect(fold(delivered).snapshot?.processes).toEqual(final.processes);
      }),
    );
  });

  it('a hub that starts late, reading the last snapshot and the diff tail, ends at the agent’s state', () => {
    fc.assert(
      fc.property(agentRun, fc.boolean(), ({ final, messages }, diffsFirst) => {
        const lastSnapshot = messages.filter((m) => m.type === 'snapshot').at(-1) as HostMessage;
        const diffs = messages.filter((m) => m.type === 'diff');
        const delivered = diffsFirst ? [...diffs, lastSnapshot] : [lastSnapshot, ...diffs];
        expect(fold(delivered).snapshot?.processes).toEqual(final.processes);
      }),
    );
  });
});
