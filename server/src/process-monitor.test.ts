import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
  it('links a shim to a containerd that was restarted and listens only a moment after its birth was seen', () => {
    const root = procRootWith({});
    const unixTable = (inode: number, socket: string) =>
      `Num       RefCount Protocol Flags    Type St Inode Path\n0000000000000000: 00000002 00000000 00010000 0001 01 ${inode} ${socket}\n`;
    const containerd = (pid: number, inode: number, table: string) => {
      mkdirSync(path.join(root, String(pid), 'fd'), { recursive: true });
      symlinkSync(`socket:[${inode}]`, path.join(root, String(pid), 'fd', '3'));
      writeFileSync(path.join(root, String(pid), 'net', 'unix'), table);
    };
    const netDir = (pid: number) => mkdirSync(path.join(root, String(pid), 'net'), { recursive: true });
    netDir(5);
    netDir(6);
    // Another containerd, long settled, so the socket table is not empty and nothing is guessed.
    containerd(5, 100, unixTable(100, '/run/other.sock'));
    // The restarted one: born a moment ago, its socket not bound yet.
    containerd(6, 200, unixTable(999, '/run/unrelated.sock'));
    const now = Date.now();
    const rows = [
      testProcess(5, 1, { role: 'containerd', argv: ['containerd', '--address', '/run/other.sock'], startedAt: now - 3_600_000 }),
      testProcess(6, 1, { role: 'containerd', argv: ['containerd', '--address', '/run/c.sock'], startedAt: now }),
      shim(10, 'web', 'lab'),
    ];
    const m = monitor(rows, [], root);
    expect(m.tick().processes.find((p) => p.pid === 10)?.logicalParent).toBeNull();
    writeFileSync(path.join(root, '6', 'net', 'unix'), unixTable(200, '/run/c.sock'));
    expect(m.tick().processes.find((p) => p.pid === 10)?.logicalParent).toBe(6);
  });

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
