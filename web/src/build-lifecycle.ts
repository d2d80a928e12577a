import type { ContainerInfo, ProcessInfo } from '@proclens/shared';
import type { TimelineEvent } from './build-timeline-events.ts';
import type { Departed } from './snapshot-reducer.ts';
import { FADE_MS } from './snapshot-reducer.ts';

/** How long a new container's branch pulses and its toast stays (ms). */
export const PULSE_MS = 6000;
/** A container may be announced before its process is read; it keeps pulsing until then, within reason. */
const WAIT_FOR_PROCESS_MS = 30_000;
/** Its process may also be read a little before the engine's event arrives. */
const APPEAR_SLACK_MS = 5000;

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
  appeared: Readonly<Record<string, { pid: number; at: number }>>,
  containers: ReadonlyMap<string, ContainerInfo>,
  byPid: ReadonlyMap<number, ProcessInfo>,
  now: number,
): Lifecycle {
  // A start is shown once its process is on screen: on a busy host that may be a few seconds
  // after the engine announced the container.
  const started = new Set<string>();
  for (const e of containerEvents) {
    if (!e.started || e.containerId === null) continue;
    const seen = e.seenAt ?? 0;
    const shown = appeared[e.containerId]?.at;
    // Its process on screen counts only near the event: after a seek, a container whose start is
    // long past appears at once and must not be announced as new.
    const near = !e.history && shown !== undefined && shown >= seen - APPEAR_SLACK_MS && shown - seen < WAIT_FOR_PROCESS_MS;
    const from = near ? Math.max(seen, shown) : seen;
    if (now - from < PULSE_MS || (!e.history && shown === undefined && now - seen < WAIT_FOR_PROCESS_MS)) started.add(e.containerId);
  }
  const toasts: Toast[] = [];
  for (const id of started) {
    const container = containers.get(id);
    if (!container) continue;
    const init = container.pid !== null ? byPid.get(container.pid) : undefined;
    toasts.push({ id, containerId: id, text: init ? `${container.name} started: ${init.name}, pid ${init.pid}` : `${container.name} started` });
  }
  const departingContainers = departedContainers.filter((d) => now - d.at < FADE_MS && !containers.has(d.item.id)).map((d) => d.item);
  return { departingContainers, started, toasts, changing: started.size > 0 || departingContainers.length > 0 };
}
