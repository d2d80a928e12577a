import { attachContainerPids, buildLogicalParents, stabiliseMetrics } from '@proclens/shared';
import type { ContainerInfo, EngineStatus, HostInfo, ProcessInfo, Snapshot } from '@proclens/shared';
import type { EngineContainer } from './container-engine.ts';
import type { Logger } from './logger.ts';
import type { ProcScanner } from './proc-scanner.ts';
import { readSocketListeners } from './read-socket-listeners.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';

/** What the monitor needs from each engine; a `ContainerEngine` in production. */
export interface ContainerSource {
  getStatus(): EngineStatus;
  getContainers(): EngineContainer[];
}

/** A change in the engine asks for a tick sooner than the interval, but not more often than this. */
const MIN_TICK_GAP_MS = 50;

/**
 * Ticks the scanner, joins processes with the engine's containers and the runtime chain, and
 * hands each new snapshot to its subscribers. A failing tick is logged and the last snapshot kept.
 */
export class ProcessMonitor implements SnapshotFeed {
  private snapshot: Snapshot;
  private readonly subscribers = new Set<(next: Snapshot, previous: Snapshot) => void>();
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private listeners = new Map<string, number>();
  private listenersKey = '';
  /** The scanner's rows of the last tick, kept with --verbose only: a row it did not re-read is the same object. */
  private lastRows = new Map<number, ProcessInfo>();

  constructor(
    private readonly scanner: ProcScanner,
    private readonly sources: readonly ContainerSource[],
    private readonly procRoot: string,
    private readonly host: Omit<HostInfo, 'engines'>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {
    this.snapshot = { processes: [], containers: [], host: { ...host, engines: sources.map((s) => s.getStatus()) }, takenAt: Date.now() };
  }

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.soon);
  }

  current(): Snapshot {
    return this.snapshot;
  }

  subscribe(fn: (next: Snapshot, previous: Snapshot) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Ticks soon (the engine reported a change), so a new container shows within a moment. */
  tickSoon(): void {
    if (this.soon) return;
    const wait = Math.max(0, MIN_TICK_GAP_MS - (Date.now() - this.lastTick));
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.tick();
    }, wait);
  }

  tick(): Snapshot {
    const started = performance.now();
    this.lastTick = Date.now();
    let processes: ProcessInfo[];
    try {
      processes = this.scanner.scan();
    } catch (err) {
      this.log.error('scan failed', { error: err instanceof Error ? err.message : String(err) });
      return this.snapshot;
    }
    const links = buildLogicalParents(processes, this.readListeners(processes));
    const published = new Map(this.snapshot.processes.map((p) => [p.pid, p]));
    const linked = processes.map((p) => stabiliseMetrics(published.get(p.pid), links.has(p.pid) ? { ...p, logicalParent: links.get(p.pid) ?? null } : p));
    const containers: ContainerInfo[] = attachContainerPids(
      this.sources.flatMap((s) => s.getContainers()).map((c) => ({ ...c, pids: [] })),
      linked,
    );
    const previous = this.snapshot;
    this.snapshot = {
      processes: linked,
      containers,
      host: { ...this.host, engines: this.sources.map((s) => s.getStatus()) },
      takenAt: this.lastTick,
    };
    for (const fn of this.subscribers) {
      try {
        fn(this.snapshot, previous);
      } catch (err) {
        this.log.error('subscriber failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (this.log.enabled('debug')) {
      const read = processes.filter((p) => this.lastRows.get(p.pid) !== p).length;
      this.lastRows = new Map(processes.map((p) => [p.pid, p]));
      this.log.debug('tick', { ms: Math.round(performance.now() - started), ...countTickChanges(previous, this.snapshot), read });
    }
    return this.snapshot;
  }

  /** Socket owners change only when containerd or a shim is born or exits: read them then. */
  private readListeners(processes: readonly ProcessInfo[]): Map<string, number> {
    const key = processes
      .filter((p) => p.role === 'containerd' || p.role === 'shim')
      .map((p) => `${p.pid}:${p.startTime}`)
      .join(',');
    if (key !== this.listenersKey) {
      this.listeners = readSocketListeners(this.procRoot, processes);
      this.listenersKey = key;
    }
    return this.listeners;
  }
}

/** A tick in numbers, for `--verbose`: how many processes and containers, born and exited since the last. */
export function countTickChanges(previous: Snapshot, next: Snapshot): { processes: number; containers: number; born: number; exited: number } {
  const identity = (p: ProcessInfo): string => `${p.pid}:${p.startTime}`;
  const before = new Set(previous.processes.map(identity));
  const after = new Set(next.processes.map(identity));
  let born = 0;
  for (const id of after) if (!before.has(id)) born++;
  let exited = 0;
  for (const id of before) if (!after.has(id)) exited++;
  return { processes: next.processes.length, containers: next.containers.length, born, exited };
}
