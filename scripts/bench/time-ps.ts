import { spawnSync } from 'node:child_process';
import { median } from './percentile.ts';

/** The reference every scanner figure is compared with, measured in the same run. */
export const PS_COMMAND = 'ps -e -o pid,ppid,stat,comm';

export interface PsTiming {
  /** Median wall time of `runs` runs, output read through a pipe. */
  wallMs: number;
  /** Median user + system CPU time of ps (bash's `times`, which counts only its children). */
  cpuMs: number;
  wallRunsMs: number[];
  cpuRunsMs: number[];
}

/** Times `ps -e -o pid,ppid,stat,comm`: wall time (median of `runs`) and CPU time (median of `runs`). */
export function timePs(runs = 5): PsTiming {
  const wallRunsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync('ps', ['-e', '-o', 'pid,ppid,stat,comm'], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    wallRunsMs.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${PS_COMMAND} failed`);
  }
  const cpuRunsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('bash', ['-c', `${PS_COMMAND} >/dev/null; times`], { encoding: 'utf8' });
    cpuRunsMs.push(parseTimesChildren(r.stdout));
  }
  return { wallMs: median(wallRunsMs), cpuMs: median(cpuRunsMs.filter(Number.isFinite)), wallRunsMs, cpuRunsMs };
}

/**
 * The children's line of bash's `times` (`0m0.012s 0m0.031s`, the second line) as user + system
 * milliseconds; NaN when it is not there.
 */
export function parseTimesChildren(output: string): number {
  const line = output.trim().split('\n')[1] ?? '';
  const seconds = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return seconds.length === 2 ? ((seconds[0] as number) + (seconds[1] as number)) * 1000 : NaN;
}
