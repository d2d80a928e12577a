import type { ContainerInfo, HostInfo, ProcessInfo, Snapshot } from '@proclens/shared';
import { testContainer, testProcess } from '@proclens/shared/testing';

/** What changes each one-second tick. */
export interface Churn {
  /** Processes born (and as many exiting) per tick; 0.5 is one every 2 s. */
  births: number;
  cpuChanges: number;
  /** A container starts or stops this often (ticks); 0 never. */
  containerEvery: number;
}

/** A busy-ish server: 3 births, 3 exits and 40 CPU changes a second, a container every 5 minutes. */
export const BUSY: Churn = { births: 3, cpuChanges: 40, containerEvery: 300 };

const PROGRAMS = [
  ['python3', ['/usr/bin/python3', '-m', 'gunicorn', '--workers', '4', 'app.wsgi:application', '--bind', '0.0.0.0:8000']],
  ['node', ['node', '/srv/app/dist/server.js', '--port', '3000']],
  ['postgres', ['postgres: 15/main: app app 10.0.0.12(53422) idle']],
  ['nginx', ['nginx: worker process']],
  ['java', ['/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '-Xmx2g', '-jar', '/opt/service/service.jar', '--spring.profiles.active=prod']],
  ['sleep', ['sleep', '3600']],
  ['bash', ['/bin/bash', '/usr/local/bin/worker-loop.sh', '--queue', 'default']],
] as const;

/** A little random number generator with a seed, so every run builds the same host. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SyntheticHost {
  host: Omit<HostInfo, 'engines'>;
  snapshot: Snapshot;
  /** The next second: a few births and exits, some CPU changes, now and then a container. */
  tick(): Snapshot;
}

/**
 * A host of `n` processes for benchmarks, realistic in row size (a row costs ~37 bytes of gzip
 * in a snapshot, as this machine's real rows cost ~40) and churn, not in tree shape.
 */
export function buildSyntheticHost(n: number, startMs: number, churn: Churn = BUSY): SyntheticHost {
  const random = seeded(n);
  const host = { hostname: 'bench', kernel: '6.1.0-18-amd64', cpus: 8, bootTime: startMs - 86_400_000 };
  let nextPid = 2;
  let now = startMs;
  const row = (ppid: number): ProcessInfo => {
    const pid = nextPid++;
    const [name, argv] = PROGRAMS[Math.floor(random() * PROGRAMS.length)] as (typeof PROGRAMS)[number];
    // An instance id and a port per process: real command lines differ like this, and it is
    // what makes a real host's rows cost ~40 bytes each in gzip rather than ~20.
    const id = Math.floor(random() * 2 ** 32).toString(16);
    return testProcess(pid, ppid, {
      name,
      argv: [...argv, `--instance=${id}`, `--listen=127.0.0.1:${10_000 + Math.floor(random() * 50_000)}`],
      uid: random() < 0.5 ? 0 : 1000,
      threads: 1 + Math.floor(random() * 8),
      startTime: pid * 10,
      startedAt: now - Math.floor(random() * 86_400_000),
      rssKiB: Math.floor(random() * 200_000),
    });
  };
  const rows = new Map<number, ProcessInfo>([[1, testProcess(1, 0, { name: 'systemd', argv: ['/sbin/init'] })]]);
  while (rows.size < n) {
    const p = row(random() < 0.2 ? 1 : 1 + Math.floor(random() * (nextPid - 1)));
    rows.set(p.pid, p);
  }
  let containers: ContainerInfo[] = [];
  let ticks = 0;
  let owedBirths = 0;
  const host0: HostInfo = {
    ...host,
    engines: [{ kind: 'docker', state: 'connected', endpoint: 'unix:///var/run/docker.sock', version: '26.1.5', error: null }],
  };
  const snapshotNow = (): Snapshot => ({ processes: [...rows.values()].sort((a, b) => a.pid - b.pid), containers, host: host0, takenAt: now });
  const pids = (): number[] => [...rows.keys()];

  return {
    host,
    snapshot: snapshotNow(),
    tick: () => {
      now += 1000;
      ticks++;
      const alive = pids();
      owedBirths += churn.births;
      for (; owedBirths >= 1; owedBirths--) {
        const victim = alive[1 + Math.floor(random() * (alive.length - 1))] as number;
        rows.delete(victim);
        const born = row(1);
        rows.set(born.pid, born);
      }
      for (let i = 0; i < churn.cpuChanges; i++) {
        const pid = alive[Math.floor(random() * alive.length)] as number;
        const p = rows.get(pid);
        if (p) rows.set(pid, { ...p, cpu: Math.round(random() * 1000) / 10 });
      }
      if (churn.containerEvery > 0 && ticks % churn.containerEvery === 0) {
        const id = `c${ticks}`.padEnd(64, '0');
        containers = containers.length > 3 ? containers.slice(1) : [...containers, testContainer(id, `job-${ticks}`, [], { created: now })];
      }
      return snapshotNow();
    },
  };
}
