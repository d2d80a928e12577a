import type { ProcessDetail } from './detail.ts';
import type { ContainerInfo, ProcessInfo } from './model.ts';

/**
 * The detail pane's answer for a process as recorded at `at` (a replay, or a live host rewound):
 * what the row holds, with every part only /proc or the engine can tell left empty, and
 * `recordedAt` saying so. Pure.
 */
export function buildRecordedDetail(process: ProcessInfo, container: ContainerInfo | null, at: number): ProcessDetail {
  return {
    process,
    argv: process.argv,
    exe: null,
    cwd: null,
    status: {
      nspid: process.nspid,
      uid: process.uid === null ? [] : [process.uid],
      gid: [],
      ppid: process.ppid,
      threads: process.threads,
      fields: [],
    },
    cgroup: [],
    namespaces: [],
    environ: { state: 'empty', vars: [] },
    tasks: [],
    entries: [],
    fdCount: null,
    // Not "not permitted": not recorded. `recordedAt` says so.
    notPermitted: [],
    container,
    containerEnv: null,
    recordedAt: at,
  };
}
