import { describe, expect, it } from 'vitest';
import { emptyHostEntry } from './apply-host-message.ts';
import type { HostEntry } from './apply-host-message.ts';
import { buildHostSummaries, buildHostSummary, isHostStale } from './build-host-summary.ts';
import { testContainer, testProcess, testSnapshot } from './testing.ts';

const snapshot = testSnapshot([testProcess(1, 0), testProcess(2, 1), testProcess(3, 1)], [testContainer('c1', 'web', [3])]);
const entry: HostEntry = { ...emptyHostEntry('b'), snapshot, epoch: 'run0001', seq: 4, lastSeen: 100_000, beatMs: 5000 };

describe('isHostStale', () => {
  it.each([
    [100_000, false],
    [114_999, false],
    [115_000, false],
    [115_001, true],
    [400_000, true],
  ])('a host last seen at 100 s with 5 s beats, asked at %d ms, is stale: %s', (now, stale) => {
    expect(isHostStale(entry, now)).toBe(stale);
  });

  it('calls a host never heard from stale', () => {
    expect(isHostStale(emptyHostEntry('x'), 0)).toBe(true);
  });

  it('waits longer for a host that beats less often', () => {
    expect(isHostStale({ ...entry, beatMs: 20_000 }, 150_000)).toBe(false);
  });
});

describe('buildHostSummary', () => {
  it('counts the processes and containers of the snapshot', () => {
    expect(buildHostSummary(entry, 101_000)).toEqual({
      name: 'b',
      state: 'live',
      processes: 3,
      containers: 1,
      containerNames: ['web'],
      lastSeen: 100_000,
      ageMs: 1000,
      hostname: 'h',
      problem: null,
    });
  });

  it('takes the counts from a beat that is ahead of the snapshot', () => {
    const ahead = { ...entry, beat: { epoch: 'run0001', seq: 9, processes: 40, containers: 2, problem: null } };
    expect(buildHostSummary(ahead, 101_000)).toMatchObject({ processes: 40, containers: 2 });
    const same = { ...entry, beat: { epoch: 'run0001', seq: 4, processes: 40, containers: 2, problem: null } };
    expect(buildHostSummary(same, 101_000)).toMatchObject({ processes: 3, containers: 1 });
  });

  it('names the problem: the agent’s, an unreadable message, or a missing snapshot', () => {
    expect(buildHostSummary({ ...entry, beat: { epoch: 'e', seq: 1, processes: 0, containers: 0, problem: 'too big' } }, 0).problem).toBe('too big');
    expect(buildHostSummary({ ...entry, problem: 'protocol 1' }, 0).problem).toBe('protocol 1');
    expect(buildHostSummary({ ...emptyHostEntry('c'), lastSeen: 1 }, 2).problem).toBe('no snapshot received yet');
  });

  it('names the first few containers, running ones first', () => {
    const many = testSnapshot(
      [testProcess(1, 0)],
      ['g', 'f', 'e', 'd', 'c', 'b', 'a'].map((n, i) => testContainer(`id${n}`, n, [], { state: i === 0 ? 'running' : 'exited' })),
    );
    expect(buildHostSummary({ ...entry, snapshot: many }, 0).containerNames).toEqual(['g', 'a', 'b', 'c', 'd', 'e']);
  });

  it('lists hosts by name', () => {
    expect(buildHostSummaries([{ ...entry, name: 'c' }, entry, { ...entry, name: 'a' }], 0).map((s) => s.name)).toEqual(['a', 'b', 'c']);
  });
});
