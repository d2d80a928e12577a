import { PF_KTHREAD, parseRuntimeRole, parseServedContainer } from '@proclens/shared';
import type { ProcessInfo, RuntimeRole, Stat } from '@proclens/shared';
import { NAMESPACE_TYPES, ProcessFactsReader } from './process-facts-reader.ts';
import type { Identity, Namespaces } from './process-facts-reader.ts';
import type { HostConstants } from './read-host-constants.ts';

/**
 * Processes younger than this are re-read every tick: many rewrite their argv right after start,
 * and `docker exec`'d ones join their container's cgroup and namespaces a moment after birth.
 */
const YOUNG_MS = 3000;
/** Whatever the budget, every known process is re-read at least once in this many ticks. */
const MAX_STALE_TICKS = 30;
/** Within the budget, a settled process is re-read about once in this many ticks. */
const REFRESH_TICKS = 15;
/**
 * When a tick meets more births than this (a cold start, a fork storm), settled host processes
 * are born from `stat` alone: argv, uid, NSpid, container and namespaces follow on later ticks,
 * first in line and within the budget. Young processes, kernel threads, the container runtime
 * and everything below it (by parent, so every container process) are still read whole at once.
 * A cold start of 5,000 processes then reads one file each, where `ps` reads two (bench:scan).
 */
const EAGER_BIRTHS = 200;
/** How far up the parent chain a crowd process is looked at for a runtime ancestor. */
const MAX_ANCESTORS = 64;

const NO_STRINGS: string[] = [];
const NO_NAMESPACES: Namespaces = new Map();

/** One process identity `(pid, startTime)` and what was read of it. */
interface Tracked {
  pid: number;
  startTime: number;
  comm: string;
  argv: string[];
  identity: Identity;
  role: RuntimeRole | null;
  shimOf: string | null;
  /** null while pending. */
  namespaces: Namespaces | null;
  /** Born in a crowd: argv, uid, NSpid, container and namespaces not read yet (the next read does). */
  pending: boolean;
  cpuTicks: number;
  sampledAt: number;
  /** The last row; reused as is (the same object) while nothing in it changes. */
  info: ProcessInfo;
  seenTick: number;
  readTick: number;
  /** Using CPU, running or in disk wait at its last read: first in line for a refresh (in `hot`). */
  hot: boolean;
  /** Its parent or its namespaces changed: newNamespaces is worked out again. */
  nsDirty: boolean;
}

/** What one tick read, by reason (bench:scan prints them; tests check them). */
export interface TickCounts {
  listed: number;
  births: number;
  /** Known pids the kernel's pid counter passed since the last tick: maybe another process. */
  reuseChecks: number;
  young: number;
  /** Children of processes that died or turned zombie: re-parented. */
  orphans: number;
  /** The budget's share: settled processes refreshed, busy ones first. */
  refreshed: number;
  /** How many the share was (one in REFRESH_TICKS; every process without a budget). */
  share: number;
  /** Processes born in a crowd whose identity was completed, within the budget. */
  completed: number;
  deaths: number;
  /** Processes whose identity or namespaces still wait for the rotation. */
  deferred: number;
  /** Files opened and links read. */
  reads: number;
}

export interface ScannerOptions {
  /**
   * Milliseconds of CPU time a tick may use before it stops refreshing settled processes. Births, young
   * processes, orphans and possibly reused pids are always read, and every process at least
   * once in MAX_STALE_TICKS ticks; within the budget each is refreshed about once in
   * REFRESH_TICKS ticks, busy ones first. Infinity reads every process every tick.
   */
  refreshBudgetMs: number;
  now: () => number;
  /** Called with each pid whose `stat` a tick reads: what tests and bench:scan count. */
  onRead?: (pid: number) => void;
}

type TickKind = 'full' | 'births';

/**
 * Scans `/proc` incrementally. Each tick lists the pids, which shows every birth and death.
 * Births are read whole (stat, argv, uid, NSpid, cgroup, namespaces; once per identity, so a
 * reused pid is read afresh); known processes have their `stat` re-read when they are young, may
 * have been replaced (`ns_last_pid`), were orphaned, or their turn in the refresh rotation comes.
 * Rows of processes not read are the previous objects, unchanged. A process that vanishes
 * mid-read is left out whole, never half-read. `scanBirths` is the cheap tick between full ones.
 */
export class ProcScanner {
  private readonly tracked = new Map<number, Tracked>();
  /** The processes marked hot, so that a tick need not look at every process to find them. */
  private readonly hot = new Set<Tracked>();
  private readonly facts: ProcessFactsReader;
  private readonly options: ScannerOptions;
  private tickNumber = 0;
  /** ns_last_pid read just before the previous listing. */
  private previousLastPid: number | null = null;
  /** The refresh rotation: every process, queued at birth; taken from the front, put back at the end. */
  private queue: Tracked[] = [];
  private head = 0;
  /** Pids that turned zombie at a read since the last orphan check: their children were re-parented. */
  private newZombies: number[] = [];
  /** This tick meets more than EAGER_BIRTHS births: settled host processes are born from stat. */
  private crowded = false;
  /** Pids whose namespaces were read this tick: their children compare again. */
  private readonly namespacesRead = new Set<number>();
  private host: Namespaces | undefined;
  lastTick: TickCounts = emptyCounts();

  constructor(
    procRoot: string,
    private readonly constants: HostConstants,
    options: Partial<ScannerOptions> | (() => number) = {},
  ) {
    const given = typeof options === 'function' ? { now: options } : options;
    this.options = { refreshBudgetMs: Infinity, now: Date.now, ...given };
    this.facts = new ProcessFactsReader(procRoot);
  }

  /** A full tick. Throws only when the `/proc` root itself cannot be listed. */
  scan(): ProcessInfo[] {
    return this.tick('full');
  }

  /**
   * The tick between full ones, for births only: one small read when the kernel handed out no
   * pid since the last tick (then null: nothing new), else the list, births, deaths and orphans.
   */
  scanBirths(): ProcessInfo[] | null {
    if (this.tickNumber > 0) {
      const last = this.facts.readLastPid();
      if (last !== null && last === this.previousLastPid) return null;
    }
    return this.tick(this.tickNumber === 0 ? 'full' : 'births');
  }

  /**
   * One process read now, whatever the last tick knew: for the detail endpoint, which must not
   * scan the host for one pid. null when there is no such process. Changes no tick state.
   */
  readOne(pid: number): ProcessInfo | null {
    const stat = this.facts.readStat(pid);
    if (!stat) return null;
    const known = this.tracked.get(pid);
    if (known && known.startTime === stat.startTime && known.comm === stat.comm && !known.pending && known.namespaces) {
      return { ...known.info, ...this.statFields(stat), argv: stat.state === 'Z' ? NO_STRINGS : known.argv };
    }
    const kernel = (stat.flags & PF_KTHREAD) !== 0;
    const argv = kernel || stat.state === 'Z' ? NO_STRINGS : this.facts.readArgv(pid);
    const identity = this.facts.readIdentity(pid);
    if (argv === null || identity === null) return null;
    const role = parseRuntimeRole(argv, stat.comm);
    const namespaces = kernel ? NO_NAMESPACES : this.facts.readNamespaces(pid);
    const parent = this.tracked.get(stat.ppid)?.namespaces ?? (stat.ppid > 0 ? this.facts.readNamespaces(stat.ppid) : null);
    return {
      ...this.statFields(stat),
      argv,
      uid: identity.uid,
      nspid: identity.nspid,
      containerId: identity.containerId,
      logicalParent: null,
      role,
      shimOf: parseServedContainer(role, argv),
      cpu: known?.startTime === stat.startTime ? known.info.cpu : 0,
      newNamespaces: this.differingNamespaces(namespaces, parent),
    };
  }

  private tick(kind: TickKind): ProcessInfo[] {
    // CPU time, not wall time: --cpu-budget is a share of a core, and a busy host's preemption
    // must not count against it.
    const started = process.cpuUsage();
    const readsBefore = this.facts.reads;
    const before = this.facts.readLastPid();
    const pids = this.facts.readPids();
    const after = this.facts.readLastPid();
    const from = this.previousLastPid;
    this.previousLastPid = before;
    const now = this.options.now();
    const tick = ++this.tickNumber;
    const counts = emptyCounts();
    this.namespacesRead.clear();

    const order = this.readListed(pids, kind, { from, to: after }, now, tick, counts);
    if (this.crowded) this.readCrowdInContainers(order, now, tick);
    this.readOrphans(order, now, tick, counts);
    // A crowded tick (a cold start) has just read every process: no rotation on top.
    if (kind === 'full' && !this.crowded) this.refresh(order, now, tick, started, counts);

    const rows: ProcessInfo[] = [];
    for (const seen of order) {
      const t = this.tracked.get(seen.pid);
      if (!t || t.seenTick !== tick) continue;
      if (t.pending) counts.deferred++;
      if (t.namespaces !== null && (t.nsDirty || this.namespacesRead.has(t.info.ppid))) {
        const newNamespaces = this.differingNamespaces(t.namespaces, this.tracked.get(t.info.ppid)?.namespaces ?? null);
        if (!sameList(newNamespaces, t.info.newNamespaces)) t.info = { ...t.info, newNamespaces };
        t.nsDirty = false;
      }
      rows.push(t.info);
    }
    counts.reads = this.facts.reads - readsBefore;
    this.lastTick = counts;
    return rows;
  }

  /**
   * The listing: births, known pids the kernel's cyclic pid counter passed since the previous
   * listing began (only those can be another process now; without the counter, every known pid
   * is checked on full ticks), and on full ticks the young. Returns every live process listed.
   */
  private readListed(
    pids: number[],
    kind: TickKind,
    window: { from: number | null; to: number | null },
    now: number,
    tick: number,
    counts: TickCounts,
  ): Tracked[] {
    const { from, to } = window;
    const unsure = from === null || to === null;
    const order: Tracked[] = [];
    // At least this many are births (more if some known ones died): enough to tell a cold start.
    this.crowded = pids.length - this.tracked.size > EAGER_BIRTHS;
    for (const pid of pids) {
      counts.listed++;
      let t = this.tracked.get(pid);
      if (t === undefined) {
        t = this.birth(pid, now, tick) ?? undefined;
        if (t) counts.births++;
      } else if (unsure ? kind === 'full' : allocatedBetween(pid, from, to)) {
        t = this.reread(t, now, tick) ?? undefined;
        counts.reuseChecks++;
      } else if (kind === 'full' && now - t.info.startedAt < YOUNG_MS) {
        t = this.reread(t, now, tick) ?? undefined;
        counts.young++;
      }
      if (!t) continue;
      t.seenTick = tick;
      order.push(t);
    }
    return order;
  }

  /**
   * A crowd process below the container runtime (a shim, conmon, runc) or below a process in a
   * container or another pid namespace is read whole now: containers are what the dashboard is
   * for, and their processes are few next to the host's.
   */
  private readCrowdInContainers(order: Tracked[], now: number, tick: number): void {
    // Nothing to look for on a host without a runtime or a container (the usual cold start).
    if (!order.some((t) => t.role !== null || (!t.pending && (t.identity.containerId !== null || t.identity.nspid.length > 1)))) return;
    const contained = new Map<number, boolean>();
    const isContained = (t: Tracked | undefined, depth: number): boolean => {
      if (!t || depth > MAX_ANCESTORS) return false;
      const known = contained.get(t.pid);
      if (known !== undefined) return known;
      const answer =
        t.role !== null ||
        (!t.pending && (t.identity.containerId !== null || t.identity.nspid.length > 1)) ||
        isContained(this.tracked.get(t.info.ppid), depth + 1);
      contained.set(t.pid, answer);
      return answer;
    };
    for (const t of order) {
      if (t.pending && isContained(this.tracked.get(t.info.ppid), 0)) this.rereadOrDrop(t, now, tick);
    }
  }

  /** Deaths (known, not listed) and zombies read this tick: their children have a new parent. */
  private readOrphans(order: Tracked[], now: number, tick: number, counts: TickCounts): void {
    const orphanedBy = new Set<number>(this.newZombies);
    this.newZombies = [];
    // Every tracked process was listed this tick unless some died: only then look for them.
    if (this.tracked.size > order.length) {
      for (const [pid, t] of this.tracked) {
        if (t.seenTick === tick) continue;
        this.tracked.delete(pid);
        this.hot.delete(t);
        orphanedBy.add(pid);
        counts.deaths++;
      }
    }
    if (orphanedBy.size === 0) return;
    for (const seen of order) {
      const t = this.tracked.get(seen.pid);
      if (t && t.seenTick === tick && t.readTick !== tick && orphanedBy.has(t.info.ppid)) {
        this.rereadOrDrop(t, now, tick);
        counts.orphans++;
      }
    }
  }

  /**
   * The budget's share: processes born in a crowd first (the rest of their identity), then busy
   * ones, then the rotation's front, until about one in REFRESH_TICKS is refreshed or the
   * budget is spent, but never fewer than one in MAX_STALE_TICKS.
   */
  private refresh(order: Tracked[], now: number, tick: number, started: NodeJS.CpuUsage, counts: TickCounts): void {
    const budget = this.options.refreshBudgetMs;
    const floor = Math.ceil(order.length / MAX_STALE_TICKS);
    const share = budget === Infinity ? order.length : Math.max(floor, Math.ceil(order.length / REFRESH_TICKS));
    // The clock is read on every 32nd call only: process.cpuUsage() costs a system call and more.
    let calls = 0;
    const overBudget = (): boolean => budget <= 0 || ((calls++ & 31) === 0 && cpuMsSince(started) > budget);
    // What a cold start left out, first and beyond the share: the budget alone paces it.
    let completed = 0;
    for (let i = 0; i < order.length && this.lastTick.deferred > 0; i++) {
      if (overBudget()) break;
      const t = order[i] as Tracked;
      if (!t.pending || t.readTick === tick || this.tracked.get(t.pid) !== t) continue;
      this.rereadOrDrop(t, now, tick);
      completed++;
    }
    // The floor from the rotation's front whatever else happens, then busy processes, then more
    // of the rotation, while within the share and the budget.
    let reads = this.rotate(floor, null, now, tick);
    for (const t of this.hot) {
      if (reads >= share || overBudget()) break;
      if (this.tracked.get(t.pid) !== t || t.seenTick !== tick) {
        this.hot.delete(t); // dead or replaced
        continue;
      }
      if (t.readTick === tick) continue;
      this.rereadOrDrop(t, now, tick);
      reads++;
    }
    reads += this.rotate(share - reads, overBudget, now, tick);
    counts.refreshed = reads;
    counts.share = share;
    counts.completed = completed;
  }

  /** Re-reads up to `limit` processes from the rotation's front (or until `stop`); returns how many. */
  private rotate(limit: number, stop: (() => boolean) | null, now: number, tick: number): number {
    let reads = 0;
    for (let visited = 0, queued = this.queue.length - this.head; visited < queued && reads < limit; visited++) {
      if (stop?.()) break;
      const t = this.queue[this.head++] as Tracked;
      if (this.tracked.get(t.pid) !== t || t.seenTick !== tick) continue; // dead or replaced: dropped
      if (t.readTick !== tick) {
        const next = this.rereadOrDrop(t, now, tick);
        reads++;
        if (next !== t) continue; // gone, or replaced (queued at its birth)
      }
      this.queue.push(t);
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return reads;
  }

  /** `reread`, but a process that vanished is forgotten (and left out of this tick). */
  private rereadOrDrop(t: Tracked, now: number, tick: number): Tracked {
    const next = this.reread(t, now, tick);
    if (next) {
      next.seenTick = tick;
      return next;
    }
    this.drop(t);
    return t;
  }

  private drop(t: Tracked): void {
    t.seenTick = -1;
    this.hot.delete(t);
    if (this.tracked.get(t.pid) === t) this.tracked.delete(t.pid);
  }

  /** Reads stat again; the identity too when it is another process, exec'd, or young. */
  private reread(t: Tracked, now: number, tick: number): Tracked | null {
    const stat = this.facts.readStat(t.pid);
    if (!stat) return null;
    if (stat.startTime !== t.startTime) {
      this.tracked.delete(t.pid);
      return this.birth(t.pid, now, tick, stat);
    }
    if (t.pending || t.comm !== stat.comm || now - this.startedAt(stat) < YOUNG_MS) {
      // exec() keeps the identity but changes argv; a young process may still be joining its
      // container (`docker exec` starts as runc's init in the host's cgroup and namespaces).
      if (!this.readIdentityInto(t, stat)) return null;
    } else if (stat.state === 'Z') {
      // A zombie has no memory left, so no command line: show what a fresh read would.
      t.argv = NO_STRINGS;
    }
    this.setRow(t, stat, now, tick);
    return t;
  }

  /** A new identity `(pid, startTime)`: read whole, or (in a crowd) from `stat` alone. */
  private birth(pid: number, now: number, tick: number, known?: Stat): Tracked | null {
    const stat = known ?? this.facts.readStat(pid);
    if (!stat) return null;
    const kernel = (stat.flags & PF_KTHREAD) !== 0;
    const young = now - this.startedAt(stat) < YOUNG_MS;
    // The runtime's programs are known by their kernel name too (parseRuntimeRole falls back to comm).
    const crowd = this.crowded && !kernel && !young && parseRuntimeRole(NO_STRINGS, stat.comm) === null;
    const t: Tracked = {
      pid,
      startTime: stat.startTime,
      comm: stat.comm,
      argv: NO_STRINGS,
      identity: { uid: null, nspid: [pid], containerId: null },
      role: null,
      shimOf: null,
      namespaces: kernel ? NO_NAMESPACES : null,
      pending: true,
      cpuTicks: stat.utime + stat.stime,
      sampledAt: now,
      info: undefined as unknown as ProcessInfo,
      seenTick: 0,
      readTick: 0,
      hot: false,
      nsDirty: true,
    };
    if (!crowd && !this.readIdentityInto(t, stat)) return null;
    this.tracked.set(pid, t);
    this.queue.push(t);
    this.setRow(t, stat, now, tick);
    return t;
  }

  /** argv, uid, NSpid, container and namespaces again, for the same identity. False when gone. */
  private readIdentityInto(t: Tracked, stat: Stat): boolean {
    const kernel = (stat.flags & PF_KTHREAD) !== 0;
    const argv = kernel || stat.state === 'Z' ? NO_STRINGS : this.facts.readArgv(t.pid);
    const identity = this.facts.readIdentity(t.pid);
    if (argv === null || identity === null) return false;
    t.comm = stat.comm;
    t.argv = argv;
    t.identity = identity;
    t.role = parseRuntimeRole(argv, stat.comm);
    t.shimOf = parseServedContainer(t.role, argv);
    t.namespaces = kernel ? NO_NAMESPACES : this.readNamespaces(t.pid);
    t.pending = false;
    t.nsDirty = true;
    return true;
  }

  private readNamespaces(pid: number): Namespaces {
    this.namespacesRead.add(pid);
    return this.facts.readNamespaces(pid);
  }

  private setRow(t: Tracked, stat: Stat, now: number, tick: number): void {
    this.options.onRead?.(t.pid);
    const ticks = stat.utime + stat.stime;
    const seconds = (now - t.sampledAt) / 1000;
    const cpu = seconds > 0 ? Math.max(0, Math.round(((ticks - t.cpuTicks) / this.constants.clockTicks / seconds) * 1000) / 10) : (t.info?.cpu ?? 0);
    t.cpuTicks = ticks;
    t.sampledAt = now;
    t.readTick = tick;
    t.hot = cpu > 0 || stat.state === 'R' || stat.state === 'D';
    if (t.hot) this.hot.add(t);
    else this.hot.delete(t);
    if (t.info?.ppid !== stat.ppid) t.nsDirty = true;
    if (stat.state === 'Z' && t.info?.state !== 'Z') this.newZombies.push(t.pid);
    const rssKiB = (stat.rssPages * this.constants.pageSize) / 1024;
    const last = t.info as ProcessInfo | undefined;
    // The same object while nothing changed (no allocation): the monitor and the stream compare
    // rows by identity first, and a row that lives on is not garbage.
    if (last && sameRead(last, t, stat, cpu, rssKiB)) return;
    t.info = {
      pid: t.pid,
      ppid: stat.ppid,
      name: stat.comm,
      argv: t.argv,
      uid: t.identity.uid,
      state: stat.state,
      threads: stat.threads,
      startTime: stat.startTime,
      startedAt: this.startedAt(stat),
      cpu,
      rssKiB,
      nspid: t.identity.nspid,
      containerId: t.identity.containerId,
      logicalParent: null,
      role: t.role,
      shimOf: t.shimOf,
      kernelThread: (stat.flags & PF_KTHREAD) !== 0,
      newNamespaces: last?.newNamespaces ?? NO_STRINGS,
    };
  }

  private statFields(stat: Stat): Pick<ProcessInfo, 'pid' | 'ppid' | 'name' | 'state' | 'threads' | 'startTime' | 'startedAt' | 'rssKiB' | 'kernelThread'> {
    return {
      pid: stat.pid,
      ppid: stat.ppid,
      name: stat.comm,
      state: stat.state,
      threads: stat.threads,
      startTime: stat.startTime,
      startedAt: this.startedAt(stat),
      rssKiB: (stat.rssPages * this.constants.pageSize) / 1024,
      kernelThread: (stat.flags & PF_KTHREAD) !== 0,
    };
  }

  /**
   * Types in which a process's namespace differs from its kernel parent's. Where the parent's
   * links are unknown or cannot be read (pid 1 may refuse even root), the host's stand in.
   */
  private differingNamespaces(own: Namespaces | null, parentOwn: Namespaces | null): string[] {
    this.host ??= this.facts.readNamespaces(2);
    const parent = parentOwn && parentOwn.size > 0 ? parentOwn : this.host;
    if (!own || own.size === 0 || parent.size === 0) return NO_STRINGS;
    const differing = NAMESPACE_TYPES.filter((type) => own.has(type) && parent.has(type) && own.get(type) !== parent.get(type));
    return differing.length === 0 ? NO_STRINGS : differing;
  }

  private startedAt(stat: Stat): number {
    return Math.round(this.constants.bootTime + (stat.startTime / this.constants.clockTicks) * 1000);
  }
}

/** Whether pid `p` was handed out in the cyclic range `(from, to]` of the kernel's pid counter (it wraps at pid_max). */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function allocatedBetween(p: number, from: number, to: number): boolean {
  return from < to ? p > from && p <= to : from > to ? p > from || p <= to : false;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

/** Whether a read gives the row there is already: arrays by reference (replaced, never changed). */
function sameRead(row: ProcessInfo, t: Tracked, stat: Stat, cpu: number, rssKiB: number): boolean {
  return (
    row.ppid === stat.ppid &&
    row.name === stat.comm &&
    row.state === stat.state &&
    row.threads === stat.threads &&
    row.startTime === stat.startTime &&
    row.cpu === cpu &&
    row.rssKiB === rssKiB &&
    row.argv === t.argv &&
    row.uid === t.identity.uid &&
    row.nspid === t.identity.nspid &&
    row.containerId === t.identity.containerId &&
    row.role === t.role &&
    row.shimOf === t.shimOf
  );
}

function emptyCounts(): TickCounts {
  return { listed: 0, births: 0, reuseChecks: 0, young: 0, orphans: 0, refreshed: 0, share: 0, completed: 0, deaths: 0, deferred: 0, reads: 0 };
}
