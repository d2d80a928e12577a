import {
  attachContainerPids,
  buildLogicalParents,
  buildProcContainers,
  buildServedAttribution,
  buildServedQuery,
  parseCgroup,
  stabiliseMetrics,
} from '@proclens/shared';
import type { CgroupLine, ContainerInfo, EngineKind, EngineStatus, HostInfo, ProcessInfo, Snapshot } from '@proclens/shared';
import type { EngineContainer } from './container-engine.ts';
import type { Logger } from './logger.ts';
import type { ProcScanner } from './proc-scanner.ts';
import { readProcText } from './read-proc-file.ts';
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
 * Between full ticks, births are looked for this often: one small read (`ns_last_pid`) when no
 * pid was handed out, else the pid list and the newborns (ProcScanner.scanBirths). A birth then
 * reaches the clients within about a quarter of a second instead of a whole interval, with room
 * left for a busy host (bench:stream measures birth → every client).
 */
const BIRTH_CHECK_MS = 250;
/** How long after its start a containerd that listens on no socket yet is looked at again each tick. */
const CONTAINERD_SETTLING_MS = 30_000;

/**
 * Ticks the scanner, joins processes with the engine's containers and the runtime chain, and
 * hands each new snapshot to its subscribers. A failing tick is logged and the last snapshot kept.
 */
export class ProcessMonitor implements SnapshotFeed {
  private snapshot: Snapshot;
  private readonly subscribers = new Set<(next: Snapshot, previous: Snapshot) => void>();
  private timer: NodeJS.Timeout | undefined;
  private birthTimer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private lastFullTick = 0;
  /** Each scanner row and the row published for it: an unchanged scanner row is published as the same object. */
  private readonly rows = new Map<number, { raw: ProcessInfo; row: ProcessInfo; stamp: number }>();
  private publishes = 0;
  private listeners = new Map<string, number>();
  private listenersKey = '';

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
    if (this.intervalMs > BIRTH_CHECK_MS) this.birthTimer = setInterval(() => this.checkBirths(), BIRTH_CHECK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.birthTimer);
    clearTimeout(this.soon);
  }

  /**
   * One process as the dashboard shows it: its row in the latest snapshot, else read now (pid
   * only, never a scan of the host). null when there is no such process.
   */
  readProcess(pid: number): ProcessInfo | null {
    return this.rows.get(pid)?.row ?? this.scanner.readOne(pid);
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
    this.lastFullTick = Date.now();
    let processes: ProcessInfo[];
    try {
      processes = this.scanner.scan();
    } catch (err) {
      this.log.error('scan failed', { error: err instanceof Error ? err.message : String(err) });
      return this.snapshot;
    }
    return this.publish(processes, started, 'full');
  }

  /** The births check between full ticks: publishes only when processes were born or died (see BIRTH_CHECK_MS). */
  private checkBirths(): void {
    const sinceFull = Date.now() - this.lastFullTick;
    // Next to a full tick (before or after it) a birth check would find what the tick finds.
    if (sinceFull < BIRTH_CHECK_MS / 2 || this.intervalMs - sinceFull < BIRTH_CHECK_MS / 2) return;
    const started = performance.now();
    let processes: ProcessInfo[] | null;
    try {
      processes = this.scanner.scanBirths();
    } catch (err) {
      this.log.error('scan failed', { error: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (processes) this.publish(processes, started, 'births');
  }

  /** `started` and `kind` (a full tick or a births check) are for the --verbose tick summary. */
  private publish(scanned: ProcessInfo[], started: number, kind: 'full' | 'births'): Snapshot {
    this.lastTick = Date.now();
    const processes = this.attributeServed(scanned);
    const links = buildLogicalParents(processes, this.readListeners(processes));
    const stamp = ++this.publishes;
    let read = 0;
    const linked = processes.map((raw) => {
      const link = links.get(raw.pid) ?? null;
      const last = this.rows.get(raw.pid);
      if (last && last.raw === raw && last.row.logicalParent === link) {
        last.stamp = stamp;
        return last.row;
      }
      if (last?.raw !== raw) read++;
      const row = stabiliseMetrics(last?.row, link === null ? raw : { ...raw, logicalParent: link });
      this.rows.set(raw.pid, { raw, row, stamp });
      return row;
    });
    // Updated in place (no new map of every process a tick); the gone are dropped here.
    if (this.rows.size > linked.length) for (const [pid, entry] of this.rows) if (entry.stamp !== stamp) this.rows.delete(pid);
    // Engines in order (Docker, Podman, containerd): the first to list an id owns it. Whatever
    // /proc shows that no engine listed is built from the runtime processes' arguments.
    const listed = new Map<string, ContainerInfo>();
    for (const c of this.sources.flatMap((s) => s.getContainers())) if (!listed.has(c.id)) listed.set(c.id, { ...c, pids: [] });
    const containers: ContainerInfo[] = attachContainerPids(
      [...listed.values(), ...buildProcContainers(linked, new Set(listed.keys()), this.connectedEngines(), this.lastTick)],
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
    // `read`: rows the scanner read again (a settled process is not re-read every tick).
    if (this.log.enabled('debug'))
      this.log.debug('tick', { kind, ms: Math.round(performance.now() - started), ...countTickChanges(previous, this.snapshot), read });
    return this.snapshot;
  }

  /**
   * Containers the cgroup rules cannot name (ctr's non-hex ids, rootless containers without a
   * cgroup): a handful of processes below shims and conmons, whose cgroup is read each tick,
   * since an exec'd process joins its container's cgroup a moment after birth. Usually none.
   */
  private attributeServed(processes: ProcessInfo[]): ProcessInfo[] {
    const query = buildServedQuery(processes);
    if (query.length === 0) return processes;
    const cgroups = new Map<number, CgroupLine[]>();
    for (const pid of query) {
      const text = readProcText(`${this.procRoot}/${pid}/cgroup`);
      if (text.ok) cgroups.set(pid, parseCgroup(text.value));
    }
    const served = buildServedAttribution(processes, cgroups);
    return served.size === 0 ? processes : processes.map((p) => (served.has(p.pid) ? { ...p, containerId: served.get(p.pid) ?? null } : p));
  }

  /** The engines whose API answers now: their lists are the truth for their own containers. */
  private connectedEngines(): Set<EngineKind> {
    return new Set(
      this.sources
        .map((s) => s.getStatus())
        .filter((s) => s.state === 'connected')
        .map((s) => s.kind),
    );
  }

  /** Socket owners change only when containerd or a shim is born or exits: read them then. */
  private readListeners(processes: readonly ProcessInfo[]): Map<string, number> {
    const runtime = processes.filter((p) => p.role === 'containerd' || p.role === 'shim');
    const key = runtime.map((p) => `${p.pid}:${p.startTime}`).join(',');
    // A containerd that has just started may not listen yet when its birth is seen: its sockets are
    // read again each tick until it does, or its shims would stay unlinked until the next birth.
    const owners = new Set(this.listeners.values());
    const settling = runtime.some((p) => p.role === 'containerd' && !owners.has(p.pid) && this.lastTick - p.startedAt < CONTAINERD_SETTLING_MS);
    if (key !== this.listenersKey || settling) {
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
