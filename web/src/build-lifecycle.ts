import type { ContainerInfo, ProcessInfo } from '@proclens/shared';
import type { TimelineEvent } from './build-timeline-events.ts';
import type { Departed } from './snapshot-reducer.ts';
import { FADE_MS } from './snapshot-reducer.ts';

/** How long a new container's branch pulses and its toast stays (ms). */
export const PULSE_MS = 8000;

export interface Toast {
  id: string;
  containerId: string;
  text: string;
}

export interface Lifecycle {
  /** Removed containers still fading out of the list. */
  departingContainers: ContainerInfo[];
  /** Containers that started within PULSE_MS: their branch pulses, their card flashes. */
  started: ReadonlySet<string>;
  toasts: Toast[];
  /** Whether anything above will change with time (the clock must tick). */
  changing: boolean;
}

/**
 * What is arriving and leaving at `now` (this page's clock): new containers pulse with a toast
 * ("web2 started: redis-server, pid 23517"), removed containers fade out of the list (exited
 * processes fade in the tree by CSS, from the stream's departures). Pure.
 */
export function buildLifecycle(
  containerEvents: readonly TimelineEvent[],
  departedContainers: readonly Departed<ContainerInfo>[],
  containers: ReadonlyMap<string, ContainerInfo>,
  byPid: ReadonlyMap<number, ProcessInfo>,
  now: number,
): Lifecycle {
  const fresh = containerEvents.filter((e) => e.started && e.containerId !== null && now - (e.seenAt ?? 0) < PULSE_MS);
  const started = new Set(fresh.map((e) => e.containerId as string));
  const toasts: Toast[] = [];
  for (const id of started) {
    const container = containers.get(id);
    if (!container) continue;
    const init = container.pid !== null ? byPid.get(container.pid) : undefined;
    toasts.push({ id, containerId: id, text: init ? `${container.name} started: ${init.name}, pid ${init.pid}` : `${container.name} started` });
  }
  const departingContainers = departedContainers.filter((d) => now - d.at < FADE_MS).map((d) => d.item);
  return { departingContainers, started, toasts, changing: started.size > 0 || departingContainers.length > 0 };
}
