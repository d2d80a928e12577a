import { describe, expect, it } from 'vitest';
import { buildLogicalParents } from './build-logical-parents.ts';
import type { RuntimeProcess } from './build-logical-parents.ts';

const ID = 'e05a4d92b7c3f1e8a9d0c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5';
const ID2 = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const DOCKER_SOCK = '/var/run/docker/containerd/containerd.sock';
const SYSTEM_SOCK = '/run/containerd/containerd.sock';

const init: RuntimeProcess = { pid: 1, ppid: 0, argv: ['/sbin/init'], role: null };
const shim = (pid: number, ppid: number, id: string, address: string): RuntimeProcess => ({
  pid,
  ppid,
  argv: ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby', '-id', id, '-address', address],
  role: 'shim',
});
const redis = (pid: number, ppid: number): RuntimeProcess => ({ pid, ppid, argv: ['redis-server *:6379'], role: null });

describe('buildLogicalParents', () => {
  it('buildLogicalParents links a re-parented shim to the containerd that listens on its -address', () => {
    // FIELD-NOTES, seen on this machine: dockerd(2788) ─ containerd(2796); init(1) ─ shim(2962) ─ redis(2984).
    const processes = [
      init,
      { pid: 2788, ppid: 1, argv: ['/usr/bin/dockerd', '-H', 'fd://'], role: 'dockerd' },
      { pid: 2796, ppid: 2788, argv: ['containerd', '--config', '/var/run/docker/containerd/containerd.toml'], role: 'containerd' },
      shim(2962, 1, ID, DOCKER_SOCK),
      redis(2984, 2962),
    ] satisfies RuntimeProcess[];
    const links = buildLogicalParents(processes, new Map([[DOCKER_SOCK, 2796]]));
    expect([...links]).toEqual([[2962, 2796]]);
  });

  it('buildLogicalParents links every shim of the containerd, one per container', () => {
    const processes: RuntimeProcess[] = [
      init,
      { pid: 10, ppid: 1, argv: ['dockerd'], role: 'dockerd' },
      { pid: 11, ppid: 10, argv: ['containerd'], role: 'containerd' },
      shim(20, 1, ID, DOCKER_SOCK),
      shim(30, 1, ID2, DOCKER_SOCK),
    ];
    expect(buildLogicalParents(processes, new Map([[DOCKER_SOCK, 11]]))).toEqual(
      new Map([
        [20, 11],
        [30, 11],
      ]),
    );
  });

  it('buildLogicalParents adds nothing for old Docker, where every link is a real parent', () => {
    // dockerd → docker-containerd → docker-containerd-shim → redis-server.
    const processes: RuntimeProcess[] = [
      init,
      { pid: 900, ppid: 1, argv: ['/usr/bin/dockerd', '-H', 'fd://'], role: 'dockerd' },
      {
        pid: 910,
        ppid: 900,
        argv: ['docker-containerd', '-l', 'unix:///var/run/docker/libcontainerd/docker-containerd.sock'],
        role: 'containerd',
      },
      { pid: 920, ppid: 910, argv: ['docker-containerd-shim', ID, `/var/run/docker/libcontainerd/${ID}`, 'docker-runc'], role: 'shim' },
      redis(930, 920),
    ];
    expect(buildLogicalParents(processes, new Map())).toEqual(new Map());
    expect(buildLogicalParents(processes, new Map([['/var/run/docker/libcontainerd/docker-containerd.sock', 910]]))).toEqual(new Map());
  });

  it('buildLogicalParents links a system containerd to the dockerd whose --containerd names its socket', () => {
    const processes: RuntimeProcess[] = [
      init,
      { pid: 500, ppid: 1, argv: ['/usr/bin/containerd'], role: 'containerd' },
      { pid: 600, ppid: 1, argv: ['/usr/bin/dockerd', '-H', 'fd://', `--containerd=${SYSTEM_SOCK}`], role: 'dockerd' },
      shim(700, 1, ID, SYSTEM_SOCK),
      redis(710, 700),
    ];
    const links = buildLogicalParents(processes, new Map([[SYSTEM_SOCK, 500]]));
    expect(links).toEqual(
      new Map([
        [500, 600],
        [700, 500],
      ]),
    );
  });

  it('buildLogicalParents takes the one containerd as the parent when no socket information was read', () => {
    const processes: RuntimeProcess[] = [
      init,
      { pid: 10, ppid: 1, argv: ['dockerd'], role: 'dockerd' },
      { pid: 11, ppid: 10, argv: ['containerd'], role: 'containerd' },
      shim(20, 1, ID, DOCKER_SOCK),
    ];
    expect(buildLogicalParents(processes, new Map())).toEqual(new Map([[20, 11]]));
  });

  it('buildLogicalParents does not guess between two containerds without socket information', () => {
    const processes: RuntimeProcess[] = [
      init,
      { pid: 10, ppid: 1, argv: ['dockerd'], role: 'dockerd' },
      { pid: 11, ppid: 10, argv: ['containerd'], role: 'containerd' },
      { pid: 12, ppid: 1, argv: ['/usr/bin/containerd'], role: 'containerd' },
      shim(20, 1, ID, DOCKER_SOCK),
      shim(30, 1, ID2, SYSTEM_SOCK),
    ];
    expect(buildLogicalParents(processes, new Map())).toEqual(new Map());
  });

  it('buildLogicalParents tells two containerds apart by the socket each listens on', () => {
    // Two Docker engines on one host (the lab runs two): each shim goes to its own containerd.
    const processes: RuntimeProcess[] = [
      init,
      { pid: 10, ppid: 1, argv: ['dockerd', '--exec-root=/tmp/labA/exec'], role: 'dockerd' },
      { pid: 11, ppid: 10, argv: ['containerd'], role: 'containerd' },
      { pid: 40, ppid: 1, argv: ['dockerd', '--exec-root=/tmp/labB/exec'], role: 'dockerd' },
      { pid: 41, ppid: 40, argv: ['containerd'], role: 'containerd' },
      shim(20, 1, ID, '/tmp/labA/exec/containerd/containerd.sock'),
      shim(50, 1, ID2, '/tmp/labB/exec/containerd/containerd.sock'),
    ];
    const listeners = new Map([
      ['/tmp/labA/exec/containerd/containerd.sock', 11],
      ['/tmp/labB/exec/containerd/containerd.sock', 41],
    ]);
    expect(buildLogicalParents(processes, listeners)).toEqual(
      new Map([
        [20, 11],
        [50, 41],
      ]),
    );
  });

  it('buildLogicalParents does not link a shim whose socket is owned by a process that is not containerd', () => {
    const processes: RuntimeProcess[] = [
      init,
      { pid: 11, ppid: 1, argv: ['containerd'], role: 'containerd' },
      { pid: 12, ppid: 1, argv: ['socat'], role: null },
      shim(20, 1, ID, DOCKER_SOCK),
    ];
    expect(buildLogicalParents(processes, new Map([[DOCKER_SOCK, 12]]))).toEqual(new Map());
  });

  it('buildLogicalParents does not link a shim to the containerd that already is its kernel parent', () => {
    const processes: RuntimeProcess[] = [init, { pid: 11, ppid: 1, argv: ['containerd'], role: 'containerd' }, shim(20, 11, ID, DOCKER_SOCK)];
    expect(buildLogicalParents(processes, new Map([[DOCKER_SOCK, 11]]))).toEqual(new Map());
  });
});
