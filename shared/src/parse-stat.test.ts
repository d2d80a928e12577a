import { describe, expect, it } from 'vitest';
import { readFixture, readFixtureJson } from '../fixtures/read-fixture.js';
import { PF_KTHREAD, parseStat } from './parse-stat.ts';

interface Meta {
  pid: number;
  ppid: number;
}

const meta = (name: string): Meta => readFixtureJson(`proc/${name}/meta.json`) as Meta;
/** `/proc/PID/comm` is the name plus one newline (the name itself may hold newlines). */
const commFile = (name: string): string => readFixture(`proc/${name}/comm`).replace(/\n$/, '');

// Real captures made by shared/fixtures/capture.sh; see shared/fixtures/README.md.
const cases = [
  { name: 'sleep', comm: 'sleep', state: 'S', kernelThread: false },
  { name: 'comm-parens', comm: 'a) b (c', state: 'S', kernelThread: false },
  { name: 'comm-truncated', comm: 'containerd-shim', state: 'S', kernelThread: false },
  { name: 'comm-newline', comm: 'line1\nline2', state: 'S', kernelThread: false },
  { name: 'comm-invalid-utf8', comm: 'bad\uFFFD\uFFFD-utf8', state: 'S', kernelThread: false },
  { name: 'comm-spaces', comm: ' x y ', state: 'S', kernelThread: false },
  { name: 'empty-args', comm: 'perl', state: 'S', kernelThread: false },
  { name: 'zombie', comm: 'true', state: 'Z', kernelThread: false },
  { name: 'kthreadd', comm: 'kthreadd', state: 'S', kernelThread: true },
  { name: 'redis-server', comm: 'redis-server', state: 'S', kernelThread: false },
];

describe('parseStat', () => {
  it.each(cases)('parseStat reads the name, state and parent of the $name capture', ({ name, comm, state }) => {
    const stat = parseStat(readFixture(`proc/${name}/stat`));
    expect(stat).not.toBeNull();
    expect(stat?.pid).toBe(meta(name).pid);
    expect(stat?.ppid).toBe(meta(name).ppid);
    expect(stat?.comm).toBe(comm);
    expect(stat?.state).toBe(state);
  });

  it.each(cases)('parseStat marks kernel threads by PF_KTHREAD in the $name capture', ({ name, kernelThread }) => {
    const stat = parseStat(readFixture(`proc/${name}/stat`));
    expect(((stat?.flags ?? 0) & PF_KTHREAD) !== 0).toBe(kernelThread);
  });

  it.each([...cases.map((c) => c.name), 'kernel-thread', 'pid1'])('parseStat gives the same name as /proc/PID/comm for the %s capture', (name) => {
    expect(parseStat(readFixture(`proc/${name}/stat`))?.comm).toBe(commFile(name));
  });

  it('parseStat reads a kernel thread child of kthreadd as a kernel thread', () => {
    const stat = parseStat(readFixture('proc/kernel-thread/stat'));
    expect(stat?.ppid).toBe(2);
    expect(((stat?.flags ?? 0) & PF_KTHREAD) !== 0).toBe(true);
  });

  it('parseStat reads pid 1 with parent 0 and as no kernel thread', () => {
    const stat = parseStat(readFixture('proc/pid1/stat'));
    expect(stat?.pid).toBe(1);
    expect(stat?.ppid).toBe(0);
    expect(((stat?.flags ?? 0) & PF_KTHREAD) !== 0).toBe(false);
  });

  it.each(['sleep', 'zombie', 'kthreadd', 'pid1', 'redis-server'])('parseStat keeps rsslim 2^64-1 of the %s capture exactly, as text', (name) => {
    expect(parseStat(readFixture(`proc/${name}/stat`))?.rssLimit).toBe('18446744073709551615');
  });

  it('parseStat agrees with status on the thread count of a multi-threaded redis-server', () => {
    const stat = parseStat(readFixture('proc/redis-server/stat'));
    const threads = /^Threads:\s+(\d+)$/m.exec(readFixture('proc/redis-server/status'))?.[1];
    expect(stat?.threads).toBe(Number(threads));
    expect(stat?.threads).toBeGreaterThan(1);
  });

  it('parseStat reads a zombie as holding no memory', () => {
    const stat = parseStat(readFixture('proc/zombie/stat'));
    expect(stat?.rssPages).toBe(0);
    expect(stat?.startTime).toBeGreaterThan(0);
  });

  it('parseStat splits on the last parenthesis for the name procfs tests, `(a b ) ( c d) )`', () => {
    // prometheus/procfs fixture 26231: fields after the name as in a real stat line.
    const text =
      '26231 ((a b ) ( c d) )) R 5392 7446 5392 34835 7446 4218880 32533 309516 26 82 1677 44 158 99 20 0 1 0 82375 56274944 1981 18446744073709551615 4194304 6294284 140736914091744 140736914087944 139965136429984 0 0 0 0 0 0 0 17 0 0 0 31 0 0 8391624 8481048 16420864 140736914093252 140736914093279 140736914093279 140736914096107 0\n';
    const stat = parseStat(text);
    expect(stat).toMatchObject({ pid: 26231, comm: '(a b ) ( c d) )', state: 'R', ppid: 5392, threads: 1, startTime: 82375 });
  });

  it.each([
    ['an empty read', ''],
    ['a line cut before the fields', '123 (sleep) S 1'],
    ['a line without a name', '123 sleep S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0'],
    ['a pid that is not a number', 'abc (sleep) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0'],
  ])('parseStat returns null for %s', (_label, text) => {
    expect(parseStat(text)).toBeNull();
  });
});
