import type { ContainerInfo, ProcessInfo, Snapshot } from '@proclens/shared';

/** A process row for tests, with the fields that matter given. */
export function proc(pid: number, ppid: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    ppid,
    name: `p${pid}`,
    argv: [`p${pid}`],
    uid: 0,
    state: 'S',
    threads: 1,
    startTime: pid,
    startedAt: 0,
    cpu: 0,
    rssKiB: 1024,
    nspid: [pid],
    containerId: null,
    logicalParent: null,
    role: null,
    shimOf: null,
    kernelThread: false,
    newNamespaces: [],
    ...extra,
  };
}

export function container(id: string, name: string, pids: number[], extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return { id, name, image: 'redis:alpine', state: 'running', status: 'Up', command: 'redis-server', created: 0, pid: pids[0] ?? null, pids, labels: {}, ...extra };
}

export function snapshot(processes: ProcessInfo[], containers: ContainerInfo[] = [], takenAt = 1000): Snapshot {
  return {
    processes,
    containers,
    host: { hostname: 'h', kernel: '6', cpus: 2, bootTime: 0, docker: { state: 'connected', endpoint: 'unix:///d.sock', version: '1', error: null } },
    takenAt,
  };
}
