import { buildTimelineEvents as buildRecordedEvents, isContainerEvent } from '@proclens/shared';
import type { ProcessInfo, Snapshot, TimelineEvent as RecordedEvent } from '@proclens/shared';

/**
 * A timeline event as the page uses it: the events themselves are built in shared/ (so a
 * recording's event lines, the player's markers and the page's timeline come from the same code),
 * with what the page adds about them.
 */
export interface TimelineEvent extends RecordedEvent {
  /** About a container, its processes or the runtime: what the Docker focus keeps. */
  runtime: boolean;
  /** A container that has just started running (for the toast and the pulse). */
  started?: boolean;
  /** When this page learnt of it (its own clock, ms); `at` is the server's. For history the server sent, placed by its distance from the playhead. */
  seenAt?: number;
  /** From the server's history (after a seek): its moment is known, so it is not announced later when its process comes on screen. */
  history?: boolean;
}

/** What happened between two snapshots, as a person would say it, with the page's facts about it. Pure. */
export function buildTimelineEvents(before: Snapshot, after: Snapshot): TimelineEvent[] {
  return annotateEvents(buildRecordedEvents(before, after), after, before);
}

/**
 * The page's facts about events: whether each is about the runtime (a container, a container's
 * process, a runtime daemon or shim) and whether a container started running. `after` is the
 * snapshot the events lead to; `before`, when known, names the processes that have gone. Pure.
 */
export function annotateEvents(events: readonly RecordedEvent[], after: Snapshot, before: Snapshot | null = null): TimelineEvent[] {
  const now = new Map(after.processes.map((p) => [p.pid, p]));
  const then = before ? new Map(before.processes.map((p) => [p.pid, p])) : null;
  const containers = new Map(after.containers.map((c) => [c.id, c]));
  return events.map((e) => {
    if (isContainerEvent(e)) {
      const running = e.kind !== 'container-removed' && e.kind !== 'container-renamed' && containers.get(e.containerId ?? '')?.state === 'running';
      return { ...e, runtime: true, started: running };
    }
    const pid = e.pid ?? subjectPid(e);
    const p: ProcessInfo | undefined = pid === null ? undefined : e.kind === 'process-exited' ? (then?.get(pid) ?? now.get(pid)) : now.get(pid);
    return { ...e, runtime: e.containerId !== null || (p !== undefined && (p.role !== null || p.containerId !== null)) };
  });
}

/** An exited process's event names no live pid; its id does (`<at>:process-exited:<pid>:<start>`). */
function subjectPid(e: RecordedEvent): number | null {
  const part = e.id.split(':')[2] ?? '';
  return /^\d+$/.test(part) ? Number(part) : null;
}
