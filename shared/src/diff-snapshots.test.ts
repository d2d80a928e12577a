import fc from 'fast-check';
import { testProcess } from './testing.ts';
import { describe, expect, it } from 'vitest';
import { applyDiff } from './apply-diff.ts';
import { diffSnapshots } from './diff-snapshots.ts';
import type { ContainerInfo, HostInfo, ProcessInfo, Snapshot } from './model.ts';
import { snapshotDiffSchema } from './protocol.ts';

// Few pids and few values, so that two snapshots share processes and some fields match.
const pid = fc.integer({ min: 1, max: 30 });
const processFields = fc.record({
  ppid: fc.integer({ min: 0, max: 30 }),
  name: fc.constantFrom('sleep', 'redis-server', 'a) b (c', 'containerd-shim'),
  argv: fc.array(fc.constantFrom('sleep', '30', '', 'x y'), { maxLength: 3 }),
  uid: fc.option(fc.constantFrom(0, 999, 1000)),
  state: fc.constantFrom('S', 'R', 'Z', 'I'),
  threads: fc.integer({ min: 1, max: 4 }),
  startTime: fc.integer({ min: 0, max: 3 }),
  startedAt: fc.integer({ min: 0, max: 3 }),
  cpu: fc.integer({ min: 0, max: 3 }).map((n) => n / 10),
  rssKiB: fc.constantFrom(0, 4, 1024),
  nspid: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 2 }),
  containerId: fc.option(fc.constantFrom('aaa', 'bbb')),
  logicalParent: fc.option(fc.integer({ min: 1, max: 30 })),
  role: fc.option(fc.constantFrom('shim' as const, 'containerd' as const)),
  shimOf: fc.option(fc.constantFrom('aaa', 'bbb')),
  newNamespaces: fc.subarray(['pid', 'net', 'mnt']),
  kernelThread: fc.boolean(),
});
/** Processes sorted by pid with unique pids, as the scanner produces them. */
const processes: fc.Arbitrary<ProcessInfo[]> = fc
  .uniqueArray(pid, { maxLength: 12 })
  .chain((pids) => fc.tuple(...pids.sort((a, b) => a - b).map((p) => processFields.map((f): ProcessInfo => ({ pid: p, ...f })))));
const container: fc.Arbitrary<ContainerInfo> = fc.record({
  id: fc.constantFrom('aaa', 'bbb'),
  engine: fc.constantFrom('docker' as const, 'podman' as const),
  namespace: fc.option(fc.constant('moby')),
  source: fc.constantFrom('api' as const, 'proc' as const),
  exitCode: fc.option(fc.integer({ min: 0, max: 255 })),
  name: fc.constantFrom('db', 'web'),
  image: fc.constant('redis:7'),
  state: fc.constantFrom('running', 'exited'),
  status: fc.constantFrom('Up 3 minutes', 'Exited (0)'),
  command: fc.constant('redis-server'),
  created: fc.integer({ min: 0, max: 2 }),
  pid: fc.option(pid),
  pids: fc.array(pid, { maxLength: 3 }),
  labels: fc.dictionary(fc.constantFrom('a', 'b', 'com.docker.compose.project'), fc.constantFrom('x', 'y')),
});
const hostInfo: fc.Arbitrary<HostInfo> = fc.record({
  hostname: fc.constantFrom('h1', 'h2'),
  kernel: fc.constant('6.1.0'),
  cpus: fc.constantFrom(2, 4),
  bootTime: fc.integer({ min: 0, max: 2 }),
  engines: fc.array(
    fc.record({
      kind: fc.constantFrom('docker' as const, 'podman' as const),
      state: fc.constantFrom('connected' as const, 'disconnected' as const, 'connecting' as const),
      endpoint: fc.constant('unix:///var/run/docker.sock'),
      version: fc.option(fc.constant('27.0.0')),
      error: fc.option(fc.constant('connect ENOENT')),
    }),
    { maxLength: 2 },
  ),
});
const snapshot: fc.Arbitrary<Snapshot> = fc.record({
  processes,
  containers: fc.array(container, { maxLength: 2 }),
  host: hostInfo,
  takenAt: fc.integer({ min: 0, max: 1e12 }),
});

/** A deep copy; snapshots are plain JSON. */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const base: Snapshot = {
  processes: [],
  containers: [],
  host: {
    hostname: 'h',
    kernel: '6.1.0',
    cpus: 2,
    bootTime: 0,
    engines: [{ kind: 'docker', state: 'connected', endpoint: 'unix:///var/run/docker.sock', version: '27.0.0', error: null }],
  },
  takenAt: 1000,
};
const sleepRow: ProcessInfo = testProcess(42, 1, { name: 'sleep', argv: ['sleep', '30'], startTime: 100, startedAt: 1_000, rssKiB: 4 });

describe('diffSnapshots and applyDiff', () => {
  it('applyDiff(a, diffSnapshots(a, b)) equals b', () => {
    fc.assert(
      fc.property(snapshot, snapshot, (a, b) => {
        const diff = diffSnapshots(a, b);
        // No diff is sent when only the time moved on: the client keeps what it has.
        const result = diff ? applyDiff(a, diff) : { ...a, takenAt: b.takenAt };
        expect(result).toEqual(b);
      }),
    );
  });

  it('diffSnapshots(a, a) is null', () => {
    fc.assert(
      fc.property(snapshot, (a) => {
        expect(diffSnapshots(a, clone(a))).toBeNull();
        expect(diffSnapshots(a, a)).toBeNull();
      }),
    );
  });

  it('diffSnapshots ignores a new time when nothing else changed', () => {
    fc.assert(
      fc.property(snapshot, fc.integer({ min: 0, max: 1e12 }), (a, takenAt) => {
        expect(diffSnapshots(a, { ...a, takenAt })).toBeNull();
      }),
    );
  });

  it('diffSnapshots produces diffs that pass the protocol schema', () => {
    fc.assert(
      fc.property(snapshot, snapshot, (a, b) => {
        const diff = diffSnapshots(a, b);
        if (diff) expect(snapshotDiffSchema.safeParse(diff).success).toBe(true);
      }),
    );
  });

  it('diffSnapshots sends only the processes that changed', () => {
    const before = { ...base, processes: [sleepRow, { ...sleepRow, pid: 43, nspid: [43] }] };
    const after = { ...base, processes: [sleepRow, { ...sleepRow, pid: 43, nspid: [43], cpu: 12.5 }], takenAt: 2000 };
    expect(diffSnapshots(before, after)).toEqual({
      upserted: [{ ...sleepRow, pid: 43, nspid: [43], cpu: 12.5 }],
      removed: [],
      containers: null,
      host: null,
      takenAt: 2000,
    });
  });

  it('diffSnapshots sends a reused pid with a new startTime as an upsert, not a removal', () => {
    const reused = { ...sleepRow, name: 'redis-server', argv: ['redis-server *:6379'], startTime: 9_999 };
    const before = { ...base, processes: [sleepRow] };
    const after = { ...base, processes: [reused], takenAt: 2000 };
    const diff = diffSnapshots(before, after);
    expect(diff).toEqual({ upserted: [reused], removed: [], containers: null, host: null, takenAt: 2000 });
    expect(diff && applyDiff(before, diff)).toEqual(after);
  });

  it('diffSnapshots lists exited processes by pid', () => {
    const before = { ...base, processes: [sleepRow] };
    expect(diffSnapshots(before, { ...base, takenAt: 2000 })).toEqual({ upserted: [], removed: [42], containers: null, host: null, takenAt: 2000 });
  });

  it('diffSnapshots sends the whole container list when it changes to empty', () => {
    const db: ContainerInfo = {
      id: 'aaa',
      engine: 'docker',
      namespace: 'moby',
      source: 'api',
      exitCode: null,
      name: 'db',
      image: 'redis:7',
      state: 'running',
      status: 'Up',
      command: 'redis-server',
      created: 0,
      pid: 42,
      pids: [42],
      labels: {},
    };
    const before = { ...base, containers: [db] };
    const diff = diffSnapshots(before, { ...base, takenAt: 2000 });
    expect(diff?.containers).toEqual([]);
    expect(diff && applyDiff(before, diff).containers).toEqual([]);
  });

  it('applyDiff does not change the snapshot it is given', () => {
    fc.assert(
      fc.property(snapshot, snapshot, (a, b) => {
        const copy = clone(a);
        const diff = diffSnapshots(a, b);
        if (diff) applyDiff(a, diff);
        expect(a).toEqual(copy);
      }),
    );
  });
});
