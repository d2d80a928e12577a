import { KEYFRAME_MIN_GAP_MS } from './is-keyframe-due.ts';
import type { ContainerInfo, HostInfo, ProcessInfo, Snapshot } from './model.ts';
import type { SnapshotDiff } from './protocol.ts';
import { sameData } from './same-data.ts';
import { isContainerEvent } from './timeline-event.ts';
import type { TimelineEvent } from './timeline-event.ts';

/** One moment in the history: a keyframe (whole snapshot) or what changed since the moment before. */
type Frame = { at: number; key: Snapshot; diff: null } | { at: number; key: null; diff: SnapshotDiff };

export interface HistoryOptions {
  keyframeMs?: number;
}

/**
 * A time-indexed run of snapshots: keyframes plus diffs, answering "what did the host look like
 * at `ms`?" from the nearest keyframe at or before it and the diffs after that. The live server
 * keeps one (bounded with `prune`) to rewind; a recording is parsed into one to replay.
 *
 * Memory: a keyframe holds its own array of rows, but every row equal to the one already held for
 * that pid is that same object, so an unchanged process costs one pointer per keyframe, not one
 * row. Pure: no clock, no IO; time comes from the snapshots.
 */
export class History {
  private readonly frames: Frame[] = [];
  /** Indexes into `frames` of the keyframes, ascending. */
  private readonly keys: number[] = [];
  /** The latest row of each live pid, for sharing rows between keyframes. */
  private readonly rows = new Map<number, ProcessInfo>();
  private readonly eventList: TimelineEvent[] = [];
  private readonly keyframeMs: number;
  /** The last snapshot rebuilt, by frame index: the player asks for the same moment many times. */
  private cached: { index: number; snapshot: Snapshot } | null = null;
  private latestContainers: ContainerInfo[] = [];
  private latestHost: HostInfo | null = null;
  /** Frames dropped from the front by `prune`: indexes in `keys` and `cached` are shifted by it. */
  private dropped = 0;

  constructor(options: HistoryOptions = {}) {
    // Live, a keyframe every 30 s costs little: its unchanged rows are shared, not copied.
    this.keyframeMs = options.keyframeMs ?? KEYFRAME_MIN_GAP_MS;
  }

  /** First moment held, or null when empty. */
  get start(): number | null {
    return this.frames[0]?.at ?? null;
  }

  /** Last moment held, or null when empty. */
  get end(): number | null {
    return this.frames[this.frames.length - 1]?.at ?? null;
  }

  get size(): number {
    return this.frames.length;
  }

  get keyframeCount(): number {
    return this.keys.length;
  }

  /**
   * The live path: a new snapshot and the diff from the one before (null when nothing changed,
   * and nothing is stored). Stored as a keyframe when the last is `keyframeMs` old (or there is
   * none), else as the diff.
   */
  record(snapshot: Snapshot, diff: SnapshotDiff | null): void {
    const lastKey = this.keys.length > 0 ? this.frames[(this.keys[this.keys.length - 1] as number) - this.dropped] : undefined;
    if (!lastKey) this.addSnapshot(snapshot);
    else if (!diff) return;
    else if (snapshot.takenAt - lastKey.at >= this.keyframeMs) this.addSnapshot(snapshot);
    else {
      this.addDiff(diff);
      // The newest moment is this snapshot: no need to rebuild it when asked for (rows must be in pid order, as rebuilt ones are).
      if (isSortedByPid(snapshot.processes)) this.cached = { index: this.dropped + this.frames.length - 1, snapshot };
    }
  }

  /** A keyframe (a recording's `snapshot` line). Times must not go backwards. */
  addSnapshot(snapshot: Snapshot): void {
    this.checkTime(snapshot.takenAt);
    const processes = snapshot.processes.map((p) => this.share(p)).sort((a, b) => a.pid - b.pid);
    this.rows.clear();
    for (const p of processes) this.rows.set(p.pid, p);
    this.latestContainers = snapshot.containers;
    this.latestHost = snapshot.host;
    this.keys.push(this.dropped + this.frames.length);
    this.frames.push({ at: snapshot.takenAt, key: { ...snapshot, processes }, diff: null });
  }

  /** What changed since the last moment (a recording's `diff` line). Needs a keyframe first. */
  addDiff(diff: SnapshotDiff): void {
    if (this.keys.length === 0) throw new Error('a diff needs a snapshot before it');
    this.checkTime(diff.takenAt);
    for (const pid of diff.removed) this.rows.delete(pid);
    for (const p of diff.upserted) this.rows.set(p.pid, p);
    if (diff.containers) this.latestContainers = diff.containers;
    if (diff.host) this.latestHost = diff.host;
    this.frames.push({ at: diff.takenAt, key: null, diff });
  }

  /** Timeline events, in time order. */
  addEvents(events: readonly TimelineEvent[]): void {
    for (const e of events) this.eventList.push(e);
  }

  /** The row held for `p.pid` when it is the same data, else `p`: this is what keeps keyframes small. */
  share(p: ProcessInfo): ProcessInfo {
    const held = this.rows.get(p.pid);
    return held !== undefined && held !== p && sameData(held, p) ? held : p;
  }

  /** The host as it was at `ms`: the last moment at or before it. Null before the first moment. */
  at(ms: number): Snapshot | null {
    const index = this.frameIndexAt(ms);
    return index < 0 ? null : this.rebuild(index);
  }

  /** The latest moment, or null when empty. */
  latest(): Snapshot | null {
    return this.frames.length === 0 ? null : this.rebuild(this.frames.length - 1);
  }

  /** The moment `at(ms)` shows: the time of the last frame at or before `ms`, or null. */
  momentAt(ms: number): number | null {
    const index = this.frameIndexAt(ms);
    return index < 0 ? null : (this.frames[index] as Frame).at;
  }

  /** Events at or before `ms`, newest first, at most `limit`. */
  eventsUpTo(ms: number, limit: number): TimelineEvent[] {
    const end = upperBound(this.eventList, ms, (e) => e.at);
    return this.eventList.slice(Math.max(0, end - limit), end).reverse();
  }

  /** Container events over the whole history, oldest first, the newest `limit`. */
  markers(limit: number): TimelineEvent[] {
    const all = this.eventList.filter(isContainerEvent);
    return all.slice(Math.max(0, all.length - limit));
  }

  /**
   * Forgets what is older than `before`, keeping the keyframe at or before it so that `before`
   * itself can still be shown. Returns how many frames were dropped.
   */
  prune(before: number): number {
    let keep: number | undefined;
    for (const k of this.keys) {
      if ((this.frames[k - this.dropped] as Frame).at > before) break;
      keep = k;
    }
    if (keep === undefined || keep === this.dropped) {
      this.pruneEvents();
      return 0;
    }
    const count = keep - this.dropped;
    this.frames.splice(0, count);
    this.dropped = keep;
    while (this.keys.length > 0 && (this.keys[0] as number) < keep) this.keys.shift();
    if (this.cached && this.cached.index < keep) this.cached = null;
    this.pruneEvents();
    return count;
  }

  private pruneEvents(): void {
    const start = this.start;
    if (start === null) return;
    const first = upperBound(this.eventList, start - 1, (e) => e.at);
    if (first > 0) this.eventList.splice(0, first);
  }

  private checkTime(at: number): void {
    const end = this.end;
    if (end !== null && at < end) throw new Error(`time goes backwards: ${at} after ${end}`);
  }

  /** Index (into `frames`) of the last frame at or before `ms`; -1 when none. */
  private frameIndexAt(ms: number): number {
    return upperBound(this.frames, ms, (f) => f.at) - 1;
  }

  /** The snapshot at frame `index`: its keyframe with the diffs after it applied, rows sorted by pid. */
  private rebuild(index: number): Snapshot {
    const absolute = index + this.dropped;
    if (this.cached?.index === absolute) return this.cached.snapshot;
    const keyAbsolute = this.keys[upperBound(this.keys, absolute, (k) => k) - 1] as number;
    // Continue from the cached moment when it lies between the keyframe and the target.
    const fromCache = this.cached !== null && this.cached.index >= keyAbsolute && this.cached.index < absolute;
    const base = fromCache ? (this.cached as { snapshot: Snapshot }).snapshot : ((this.frames[keyAbsolute - this.dropped] as Frame).key as Snapshot);
    const first = (fromCache ? (this.cached as { index: number }).index : keyAbsolute) + 1;
    const rows = new Map<number, ProcessInfo>();
    for (const p of base.processes) rows.set(p.pid, p);
    let containers = base.containers;
    let host = base.host;
    let added = false;
    for (let i = first; i <= absolute; i++) {
      const diff = (this.frames[i - this.dropped] as Frame).diff as SnapshotDiff;
      for (const pid of diff.removed) rows.delete(pid);
      for (const p of diff.upserted) {
        if (!rows.has(p.pid)) added = true;
        rows.set(p.pid, p);
      }
      if (diff.containers) containers = diff.containers;
      if (diff.host) host = diff.host;
    }
    const processes = [...rows.values()];
    // A Map keeps insertion order: only pids added by a diff can be out of place.
    if (added) processes.sort((a, b) => a.pid - b.pid);
    const snapshot: Snapshot = { processes, containers, host, takenAt: (this.frames[index] as Frame).at };
    this.cached = { index: absolute, snapshot };
    return snapshot;
  }

  /** The latest state as the last frame left it (for checks while parsing). */
  latestRow(pid: number): ProcessInfo | undefined {
    return this.rows.get(pid);
  }

  get latestContainerList(): ContainerInfo[] {
    return this.latestContainers;
  }

  get latestHostInfo(): HostInfo | null {
    return this.latestHost;
  }
}

function isSortedByPid(rows: readonly ProcessInfo[]): boolean {
  for (let i = 1; i < rows.length; i++) if ((rows[i - 1] as ProcessInfo).pid > (rows[i] as ProcessInfo).pid) return false;
  return true;
}

/** The number of items whose key is at most `value` (items sorted by key). */
function upperBound<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid] as T) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
