import type { ContainerInfo, ProcessInfo, Snapshot } from './model.ts';
import type { TimelineEvent } from './timeline-event.ts';

/** How a container's new state reads in a sentence. */
const STATE_VERBS: Record<string, string> = { running: 'started', exited: 'stopped', paused: 'paused', restarting: 'is restarting', dead: 'died' };

/** Process births and deaths beyond this many in one tick are summarised in one event. */
const MAX_PROCESS_EVENTS = 12;

function processText(p: ProcessInfo, containers: ReadonlyMap<string, ContainerInfo>): string {
  const container = p.containerId ? containers.get(p.containerId)?.name : undefined;
  return `${p.name}(${p.pid})${container ? ` in ${container}` : ''}`;
}

/** What happened between two snapshots, as a person would say it. Kernel threads are left out. Pure. */
export function buildTimelineEvents(before: Snapshot, after: Snapshot): TimelineEvent[] {
  const at = after.takenAt;
  const events: TimelineEvent[] = [];
  const oldContainers = new Map(before.containers.map((c) => [c.id, c]));
  const newContainers = new Map(after.containers.map((c) => [c.id, c]));
  for (const c of after.containers) {
    const old = oldContainers.get(c.id);
    const base = { at, pid: c.pid, containerId: c.id };
    if (!old)
      events.push({
        ...base,
        id: `${at}:c+:${c.id}`,
        kind: 'container-created',
        text: `container ${c.name} ${c.state === 'running' ? 'started' : 'created'} (${c.image})`,
      });
    else if (old.state !== c.state)
      events.push({
        ...base,
        id: `${at}:cs:${c.id}`,
        kind: 'container-state',
        text: `container ${c.name} ${STATE_VERBS[c.state] ?? `${old.state} → ${c.state}`}${c.state === 'exited' && c.exitCode !== null ? ` (exit code ${c.exitCode})` : ''}`,
      });
    if (old && old.name !== c.name)
      events.push({ ...base, id: `${at}:cr:${c.id}`, kind: 'container-renamed', text: `container ${old.name} renamed ${c.name}` });
  }
  for (const c of before.containers) {
    if (!newContainers.has(c.id))
      events.push({ at, pid: null, containerId: c.id, id: `${at}:c-:${c.id}`, kind: 'container-removed', text: `container ${c.name} removed` });
  }
  const oldProcesses = new Map(before.processes.map((p) => [p.pid, p]));
  const alive = new Map(after.processes.map((p) => [p.pid, p]));
  // Container processes first: on a busy host they are what the summary must not swallow.
  const containersFirst = (a: ProcessInfo, b: ProcessInfo): number => Number(b.containerId !== null) - Number(a.containerId !== null) || a.pid - b.pid;
  const born = after.processes.filter((p) => !p.kernelThread && oldProcesses.get(p.pid)?.startTime !== p.startTime).sort(containersFirst);
  const exited = before.processes.filter((p) => !p.kernelThread && alive.get(p.pid)?.startTime !== p.startTime).sort(containersFirst);
  const summarise = (list: ProcessInfo[], kind: 'process-born' | 'process-exited', verb: string, containers: ReadonlyMap<string, ContainerInfo>): void => {
    for (const p of list.slice(0, MAX_PROCESS_EVENTS)) {
      events.push({
        at,
        kind,
        id: `${at}:${kind}:${p.pid}:${p.startTime}`,
        pid: kind === 'process-born' ? p.pid : null,
        containerId: p.containerId,
        text: `${processText(p, containers)} ${verb}`,
      });
    }
    if (list.length > MAX_PROCESS_EVENTS) {
      events.push({ at, kind, id: `${at}:${kind}:more`, pid: null, containerId: null, text: `…and ${list.length - MAX_PROCESS_EVENTS} more ${verb}` });
    }
  };
  summarise(born, 'process-born', 'started', newContainers);
  // exec() keeps the pid and start time but changes the program: `docker exec` starts as runc's
  // init and becomes the command, now inside the container.
  const execd = after.processes.filter((p) => {
    const old = oldProcesses.get(p.pid);
    return !p.kernelThread && old !== undefined && old.startTime === p.startTime && old.name !== p.name;
  });
  for (const p of execd.sort(containersFirst).slice(0, MAX_PROCESS_EVENTS)) {
    const old = oldProcesses.get(p.pid);
    events.push({
      at,
      kind: 'process-exec',
      id: `${at}:exec:${p.pid}:${p.name}`,
      pid: p.pid,
      containerId: p.containerId,
      text: `${old?.name}(${p.pid}) → ${processText(p, newContainers)}`,
    });
  }
  summarise(exited, 'process-exited', 'exited', oldContainers);
  return events;
}
