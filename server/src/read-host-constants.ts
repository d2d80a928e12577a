import { execFileSync } from 'node:child_process';
import { readProcText } from './read-proc-file.ts';

export interface HostConstants {
  /** `sysconf(_SC_CLK_TCK)`: the unit of `stat`'s times. */
  clockTicks: number;
  pageSize: number;
  /** Boot time, milliseconds since the epoch (`btime` in /proc/stat). */
  bootTime: number;
}

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

/** Reads what converts `stat` fields to wall time and bytes; once, at start. */
export function readHostConstants(procRoot: string): HostConstants {
  const stat = readProcText(`${procRoot}/stat`);
  const btime = stat.ok ? /^btime (\d+)$/m.exec(stat.value)?.[1] : undefined;
  return {
    clockTicks: getconf('CLK_TCK', 100),
    pageSize: getconf('PAGESIZE', 4096),
    bootTime: btime ? Number(btime) * 1000 : Date.now(),
  };
}
