import { describe, expect, it } from 'vitest';
import { ENGINE_LAG_MS, buildProcContainers } from './build-proc-containers.ts';
import { buildServedAttribution } from './build-served-attribution.ts';
import { parseCgroup } from './parse-cgroup.ts';
import { testProcess } from './testing.ts';

const SANDBOX = 'a'.repeat(64);
const APP = 'b'.repeat(64);
const shim = (pid: number, id: string, namespace = 'k8s.io') =>
  testProcess(pid, 1, {
    role: 'shim',
    shimOf: id,
    argv: ['/usr/bin/containerd-shim-runc-v2', '-namespace', namespace, '-id', id, '-address', '/run/containerd/containerd.sock'],
  });

describe('buildProcContainers', () => {
  it("buildProcContainers lists every container a Kubernetes pod's shim runs: the sandbox it serves and the app beside it", () => {
    const processes = [
      shim(100, SANDBOX),
      testProcess(101, 100, { argv: ['/pause'], containerId: SANDBOX, nspid: [101, 1] }),
      testProcess(102, 100, { argv: ['redis-server', '*:6379'], containerId: APP, nspid: [102, 1] }),
    ];
    const built = buildProcContainers(processes, new Set());
    expect(built.map((c) => [c.id, c.pid, c.namespace, c.engine, c.command])).toEqual([
      [SANDBOX, 101, 'k8s.io', 'containerd', '/pause'],
      [APP, 102, 'k8s.io', 'containerd', 'redis-server *:6379'],
    ]);
  });

  it('buildProcContainers shows a shim whose container has no process left as stopped, with no init', () => {
    const [c] = buildProcContainers([shim(100, 'web', 'lab')], new Set());
    expect(c).toMatchObject({ id: 'web', state: 'stopped', pid: null, source: 'proc', image: '', labels: {} });
  });

  it("buildProcContainers takes a Docker shim (namespace moby) as Docker's, for when Docker's API is down", () => {
    const processes = [shim(100, APP, 'moby'), testProcess(101, 100, { containerId: APP, nspid: [101, 1] })];
    expect(buildProcContainers(processes, new Set())[0]).toMatchObject({ engine: 'docker', namespace: 'moby', name: APP.slice(0, 12) });
  });

  it('buildProcContainers picks pid 1 of the container as its init, not an exec session started earlier in pid order', () => {
    const processes = [
      shim(300, 'web', 'lab'),
      testProcess(301, 300, { containerId: 'web', nspid: [301, 7], startTime: 5 }),
      testProcess(302, 300, { containerId: 'web', nspid: [302, 1], startTime: 9 }),
    ];
    expect(buildProcContainers(processes, new Set())[0]?.pid).toBe(302);
  });

  it('buildProcContainers leaves to a connected engine the containers it is about to list or has just removed', () => {
    const born = 1_000_000;
    const running = [shim(100, APP, 'moby'), testProcess(101, 100, { containerId: APP, nspid: [101, 1] })].map((p) => ({ ...p, startedAt: born }));
    const docker = new Set(['docker'] as const);
    // docker run: the shim is up before the API lists the container.
    expect(buildProcContainers(running, new Set(), docker, born + ENGINE_LAG_MS - 1)).toEqual([]);
    // Docker still does not list it long after: shown from /proc, as with Docker down.
    expect(buildProcContainers(running, new Set(), docker, born + ENGINE_LAG_MS).map((c) => c.id)).toEqual([APP]);
    // docker rm: the init is gone and the shim lingers a moment.
    expect(buildProcContainers(running.slice(0, 1), new Set(), docker, born + 60_000)).toEqual([]);
    // Another engine's connection says nothing of Docker's shims.
    expect(buildProcContainers(running.slice(0, 1), new Set(), new Set(['podman'] as const), born + 60_000).map((c) => c.state)).toEqual(['stopped']);
  });
});

describe('buildServedAttribution', () => {
  const cgroups = (entries: Array<[number, string]>) => new Map(entries.map(([pid, text]) => [pid, parseCgroup(text)]));

  it('buildServedAttribution does not look past runc: a runc init below the shim is not yet in the container', () => {
    const processes = [shim(100, 'web', 'lab'), testProcess(101, 100, { role: 'runc' }), testProcess(102, 101)];
    expect(
      buildServedAttribution(
        processes,
        cgroups([
          [100, '0::/\n'],
          [101, '0::/\n'],
          [102, '0::/\n'],
        ]),
      ),
    ).toEqual(new Map());
  });

  it("buildServedAttribution leaves a process alone that sits in a cgroup neither its shim's nor a container's", () => {
    const processes = [shim(100, 'web', 'lab'), testProcess(101, 100)];
    expect(
      buildServedAttribution(
        processes,
        cgroups([
          [100, '0::/\n'],
          [101, '0::/system.slice/other.service\n'],
        ]),
      ),
    ).toEqual(new Map());
  });

  it('buildServedAttribution skips a process that exited before its cgroup was read', () => {
    const processes = [shim(100, 'web', 'lab'), testProcess(101, 100)];
    expect(buildServedAttribution(processes, cgroups([[100, '0::/\n']]))).toEqual(new Map());
  });
});
