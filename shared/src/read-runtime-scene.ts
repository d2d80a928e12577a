import { z } from 'zod';
import { hasFixture, listFixtures, readFixture, readFixtureJson } from '../fixtures/read-fixture.js';
import { containerFromCgroup } from './container-from-cgroup.ts';
import type { ProcessInfo } from './model.ts';
import { parseCgroup } from './parse-cgroup.ts';
import type { CgroupLine } from './parse-cgroup.ts';
import { parseCmdline } from './parse-nul-list.ts';
import { parseProcNetUnix, parseSocketInode } from './parse-proc-net-unix.ts';
import { parseRuntimeRole, parseServedContainer } from './parse-runtime-role.ts';
import { parseStat } from './parse-stat.ts';
import { parseStatus } from './parse-status.ts';
import { testProcess } from './testing.ts';

/** What the runtime's own tools said when `capture-runtimes.sh` took the scene. */
const runtimeSchema = z
  .object({
    engine: z.enum(['docker', 'podman', 'containerd']),
    user: z.string().optional(),
    containers: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          namespace: z.string().nullable(),
          init: z.number().int(),
          /** Host pids from `docker top`, `podman top … hpid` or `ctr task ps`. */
          top: z.array(z.number().int()).optional(),
          /** Where the runtime's top fails (rootless Docker without cgroups): its error, and `ps` inside. */
          topError: z.string().optional(),
          insidePids: z.array(z.number().int()).optional(),
          labels: z.record(z.string(), z.string()).optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type SceneRuntime = z.infer<typeof runtimeSchema>;

export interface RuntimeScene {
  /** Rows as the scanner makes them: cgroup rules alone, no served attribution, no logical links. */
  processes: ProcessInfo[];
  cgroups: Map<number, CgroupLine[]>;
  /** Listening socket path → containerd pid, from each containerd's own net/unix and fds. */
  listeners: Map<string, number>;
  runtime: SceneRuntime;
}

/** Test-only: a scene of shared/fixtures/runtimes/, read with the same parsers the server uses. */
export function readRuntimeScene(scene: string): RuntimeScene {
  const processes: ProcessInfo[] = [];
  const cgroups = new Map<number, CgroupLine[]>();
  const listeners = new Map<string, number>();
  for (const name of listFixtures(`runtimes/${scene}`)) {
    if (!/^\d+$/.test(name)) continue;
    const dir = `runtimes/${scene}/${name}`;
    const stat = parseStat(readFixture(`${dir}/stat`));
    if (!stat) throw new Error(`${dir}/stat does not parse`);
    const status = parseStatus(readFixture(`${dir}/status`));
    const argv = parseCmdline(readFixture(`${dir}/cmdline`));
    const lines = parseCgroup(readFixture(`${dir}/cgroup`));
    const role = parseRuntimeRole(argv, stat.comm);
    cgroups.set(stat.pid, lines);
    processes.push(
      testProcess(stat.pid, stat.ppid, {
        name: stat.comm,
        argv,
        uid: status.uid[0] ?? null,
        startTime: stat.startTime,
        nspid: status.nspid.length ? status.nspid : [stat.pid],
        containerId: containerFromCgroup(lines)?.id ?? null,
        role,
        shimOf: parseServedContainer(role, argv),
      }),
    );
    if (hasFixture(`${dir}/net-unix`)) {
      const inodes = new Set(
        readFixture(`${dir}/fd.txt`)
          .split('\n')
          .map((line) => parseSocketInode(line.slice(line.indexOf(' ') + 1))),
      );
      for (const l of parseProcNetUnix(readFixture(`${dir}/net-unix`))) if (inodes.has(l.inode)) listeners.set(l.path, stat.pid);
    }
  }
  return { processes, cgroups, listeners, runtime: runtimeSchema.parse(readFixtureJson(`runtimes/${scene}/runtime.json`)) };
}
