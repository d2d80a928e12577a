import type { ProcessInfo } from './model.ts';

/** CPU changes smaller than this many percentage points are not news. */
export const CPU_STEP = 0.5;
/** Memory changes smaller than this share of the last value (or 256 KiB) are not news. */
export const RSS_SHARE = 0.02;
const RSS_FLOOR_KIB = 256;

/**
 * Keeps the last published CPU and memory figures while the new ones are within a small band,
 * so that an idle host produces no diffs at all and the stream carries only changes a person
 * would notice. Pure; identity is `(pid, startTime)`.
 */
export function stabiliseMetrics(previous: ProcessInfo | undefined, next: ProcessInfo): ProcessInfo {
  if (!previous || previous.pid !== next.pid || previous.startTime !== next.startTime) return next;
  const cpuSame = Math.abs(next.cpu - previous.cpu) < CPU_STEP && !(next.cpu === 0 && previous.cpu !== 0);
  const rssSame = Math.abs(next.rssKiB - previous.rssKiB) < Math.max(RSS_FLOOR_KIB, previous.rssKiB * RSS_SHARE);
  if (!cpuSame && !rssSame) return next;
  return { ...next, cpu: cpuSame ? previous.cpu : next.cpu, rssKiB: rssSame ? previous.rssKiB : next.rssKiB };
}
