import { describe, expect, it } from 'vitest';
import { readFixture, readFixtureJson } from '../fixtures/read-fixture.js';
import { parseStatus } from './parse-status.ts';

interface Meta {
  pid: number;
  ppid: number;
  uid: number;
}

const meta = (name: string): Meta => readFixtureJson(`proc/${name}/meta.json`) as Meta;
const status = (name: string) => parseStatus(readFixture(`proc/${name}/status`));

// Real captures made by shared/fixtures/capture.sh. `name` is the Name line as the kernel
// escapes it: a newline in the name is written as backslash-n, other bytes as they are.
const cases = [
  { name: 'sleep', statusName: 'sleep', state: 'S (sleeping)' },
  { name: 'comm-parens', statusName: 'a) b (c', state: 'S (sleeping)' },
  { name: 'comm-truncated', statusName: 'containerd-shim', state: 'S (sleeping)' },
  { name: 'comm-newline', statusName: 'line1\\nline2', state: 'S (sleeping)' },
  { name: 'comm-invalid-utf8', statusName: 'bad\uFFFD\uFFFD-utf8', state: 'S (sleeping)' },
  { name: 'comm-spaces', statusName: ' x y ', state: 'S (sleeping)' },
  { name: 'empty-args', statusName: 'perl', state: 'S (sleeping)' },
  { name: 'zombie', statusName: 'true', state: 'Z (zombie)' },
  { name: 'kthreadd', statusName: 'kthreadd', state: 'S (sleeping)' },
  { name: 'redis-server', statusName: 'redis-server', state: 'S (sleeping)' },
];

describe('parseStatus', () => {
  it.each(cases)('parseStatus reads Name of the $name capture as the kernel wrote it', ({ name, statusName }) => {
    expect(status(name).name).toBe(statusName);
  });

  it.each(cases)('parseStatus reads the parent, uids and NSpid of the $name capture', ({ name }) => {
    const { pid, ppid, uid } = meta(name);
    const parsed = status(name);
    expect(parsed.ppid).toBe(ppid);
    expect(parsed.uid).toEqual([uid, uid, uid, uid]);
    expect(parsed.gid).toHaveLength(4);
    // Captured in the host's pid namespace: one level, the host pid.
    expect(parsed.nspid).toEqual([pid]);
  });

  it.each(cases)('parseStatus keeps every field of the $name capture in order', ({ name, state }) => {
    const text = readFixture(`proc/${name}/status`);
    const parsed = status(name);
    expect(parsed.fields.map(([key]) => key)).toEqual([...text.matchAll(/^([^:\n]+):/gm)].map((m) => m[1]));
    expect(parsed.fields[0]?.[0]).toBe('Name');
    expect(parsed.fields.find(([key]) => key === 'State')?.[1]).toBe(state);
  });

  it('parseStatus reads the thread count of a multi-threaded redis-server', () => {
    expect(status('redis-server').threads).toBeGreaterThan(1);
    expect(status('sleep').threads).toBe(1);
  });

  it('parseStatus reads pid 1 with no parent pid but 0', () => {
    expect(status('pid1').ppid).toBe(0);
    expect(status('pid1').nspid).toEqual([1]);
  });

  it('parseStatus reads NSpid of a process in a container as host pid first', () => {
    const text = 'Name:\tredis-server\nPPid:\t2962\nUid:\t999\t999\t999\t999\nNSpid:\t2984\t1\nThreads:\t5\n';
    expect(parseStatus(text)).toMatchObject({ name: 'redis-server', ppid: 2962, uid: [999, 999, 999, 999], nspid: [2984, 1], threads: 5 });
  });

  it('parseStatus answers empty values, not errors, for an empty read', () => {
    expect(parseStatus('')).toEqual({ name: '', uid: [], gid: [], ppid: null, threads: null, nspid: [], fields: [] });
  });
});
