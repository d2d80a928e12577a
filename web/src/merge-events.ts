import type { TimelineEvent } from './build-timeline-events.ts';

/** Container events and process events, each newest first, as one list newest first. Pure. */
export function mergeEvents(containers: readonly TimelineEvent[], processes: readonly TimelineEvent[]): TimelineEvent[] {
  const merged: TimelineEvent[] = [];
  let i = 0;
  let j = 0;
  while (i < containers.length || j < processes.length) {
    const c = containers[i];
    const p = processes[j];
    if (c && (!p || c.at >= p.at)) {
      merged.push(c);
      i++;
    } else if (p) {
      merged.push(p);
      j++;
    }
  }
  return merged;
}
