import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineStatus, ProcessInfo } from '@proclens/shared';
import { testContainer, testProcess } from '@proclens/shared/testing';
import type { EngineContainer } from './container-engine.ts';
import { createLogger } from './logger.ts';
import type { ProcScanner } from './proc-scanner.ts';
import { ProcessMonitor } from './process-monitor.ts';
import type { ContainerSource } from './process-monitor.ts';

const HOST = { hostname: 'h', kernel: '6', cpus: 2, bootTime: 0 };
const HEX = 'a'.repeat(64);
const roots: string[] = [];

/** A /proc of its own holding only the cgroup files the monitor reads for the given pids. */
function procRootWith(cgroups: Record<number, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'monitor-proc-'));
  roots.push(root);
  for (const [pid, text] of Object.entries(cgroups)) {
    mkdirSync(path.join(root, pid));
    writeFileSync(path.join(root, pid, 'cgroup'), text);
  }
  return root;
}

function source(kind: EngineStatus['kind'], containers: EngineContainer[]): ContainerSource {
  return { getStatus: () => ({ kind, state: 'connected', endpoint: `unix:///${kind}.sock`, version: '1', error: null }), getContainers: () => containers };
}

function monitor(rows: ProcessInfo[], sources: ContainerSource[], procRoot: string): ProcessMonitor {
  const scanner = { scan: () => rows } as unknown as ProcScanner;
  return new ProcessMonitor(
    scanner,
    sources,
    procRoot,
    HOST,
    1000,
    createLogger('error', () => undefined),
  );
}

const shim = (pid: number, id: string, namespace: string) =>
  testProcess(pid, 1, { role: 'shim', shimOf: id, argv: ['containerd-shim-runc-v2', '-namespace', namespace, '-id', id, '-address', '/run/c.sock'] });
const withoutPids = ({ pids: _pids, ...c }: ReturnType<typeof testContainer>): EngineContainer => c;

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('ProcessMonitor joining engines and /proc', () => {
  it('gives a container to the first engine that lists it, in the order Docker, Podman, containerd', () => {
    const rows = [shim(10, HEX, 'moby'), testProcess(11, 10, { containerId: HEX, nspid: [11, 1] })];
    const docker = source('docker', [withoutPids(testContainer(HEX, 'db', []))]);
    const containerd = source('containerd', [withoutPids(testContainer(HEX, HEX, [], { engine: 'containerd', namespace: 'moby' }))]);
    const s = monitor(rows, [docker, containerd], procRootWith({})).tick();
    expect(s.containers.map((c) => [c.name, c.engine, c.source, c.pids])).toEqual([['db', 'docker', 'api', [11]]]);
  });

  it("lists from /proc a container no engine knows, attributing by a shim's non-hex id in the cgroup, exec'd process included", () => {
    const rows = [
      shim(20, 'web', 'lab'),
      testProcess(21, 20, { argv: ['sleep', '1000'], nspid: [21, 1] }),
      testProcess(22, 20, { argv: ['sleep', '5'], nspid: [22, 9] }),
    ];
    const procRoot = procRootWith({ 20: '0::/\n', 21: '0::/lab/web\n', 22: '0::/lab/web\n' });
    const s = monitor(rows, [source('docker', [])], procRoot).tick();
    expect(s.processes.filter((p) => p.containerId === 'web').map((p) => p.pid)).toEqual([21, 22]);
    expect(s.containers).toEqual([
      expect.objectContaining({ id: 'web', engine: 'containerd', namespace: 'lab', source: 'proc', pid: 21, pids: [21, 22], command: 'sleep 1000' }),
    ]);
  });

  it("does not attribute a process below a shim whose cgroup names neither a container nor the shim's own cgroup", () => {
    const rows = [shim(30, 'web', 'lab'), testProcess(31, 30)];
    const s = monitor(rows, [], procRootWith({ 30: '0::/\n', 31: '0::/system.slice/elsewhere.service\n' })).tick();
    expect(s.processes.find((p) => p.pid === 31)?.containerId).toBeNull();
  });
});
