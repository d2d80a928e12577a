import { readFileSync } from 'node:fs';
import { parseStat } from '@proclens/shared';

/**
 * CPU time, for reporting beside wall time: on a shared machine wall time moves with everyone
 * else's load, CPU time much less.
 */

/** Kernel clock ticks per second (`getconf CLK_TCK`): 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** This process's user + system CPU milliseconds since `since` (from `process.cpuUsage()`). */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/** What /proc says of another process: CPU milliseconds so far (user + system) and its RSS. */
export interface ProcessUsage {
  /** performance.now() when read. */
  at: number;
  cpuMs: number;
  rssKiB: number;
}

/** Reads another process's CPU time and RSS from /proc/PID/stat and status; null once it is gone. */
export function readProcessUsage(pid: number): ProcessUsage | null {
  try {
    const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    if (!stat) return null;
    const rssKiB = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    return { at: performance.now(), cpuMs: ((stat.utime + stat.stime) * 1000) / CLOCK_TICKS, rssKiB };
  } catch {
    return null;
  }
}

/** CPU use between two readings of the same process, in per cent of one core. */
export function cpuPercentBetween(first: ProcessUsage | undefined, last: ProcessUsage | undefined): number {
  if (!first || !last || last.at === first.at) return NaN;
  return ((last.cpuMs - first.cpuMs) / (last.at - first.at)) * 100;
}
