import type { ContainerInfo, ProcessInfo, Snapshot } from './model.ts';

export { SECRET_SAMPLES, ED25519_KEY, JWT_HS256, JWT_RS256 } from './secret-samples.ts';
export type { SecretSample } from './secret-samples.ts';

/**
 * Rows for tests: a plain sleeping process with the given pid and parent; pass what matters.
 * Test-only (exported as `@proclens/shared/testing`, not from the package index).
 */
export function testProcess(pid: number, ppid: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    ppid,
    name: `p${pid}`,
    argv: [],
    uid: 0,
    state: 'S',
    threads: 1,
    startTime: pid,
    startedAt: 0,
    cpu: 0,
    rssKiB: 0,
    nspid: [pid],
    containerId: null,
    logicalParent: null,
    role: null,
    shimOf: null,
    newNamespaces: [],
    kernelThread: false,
    ...extra,
  };
}

export function testContainer(id: string, name: string, pids: number[], extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id,
    engine: 'docker',
    namespace: 'moby',
    source: 'api',
    exitCode: null,
    name,
    image: 'redis:alpine',
    state: 'running',
    status: 'Up',
    command: 'redis-server',
    created: 0,
    pid: pids[0] ?? null,
    pids,
    labels: {},
    ...extra,
  };
}

export function testSnapshot(processes: ProcessInfo[], containers: ContainerInfo[] = [], takenAt = 1000): Snapshot {
  return {
    processes,
    containers,
    host: {
      hostname: 'h',
      kernel: '6',
      cpus: 2,
      bootTime: 0,
      engines: [{ kind: 'docker', state: 'connected', endpoint: 'unix:///d.sock', version: '1', error: null }],
    },
    takenAt,
  };
}
