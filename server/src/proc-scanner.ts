import { PF_KTHREAD, containerFromCgroup, parseCgroup, parseCmdline, parseRuntimeRole, parseServedContainer, parseStat, parseStatus } from '@proclens/shared';
import type { ProcessInfo, RuntimeRole, Stat } from '@proclens/shared';
import type { HostConstants } from './read-host-constants.ts';
import { readProcDir, readProcLink, readProcText } from './read-proc-file.ts';

/**
 * Processes younger than this are re-read every tick: many rewrite their argv right after start,
 * and `docker exec`'d ones join their container's cgroup and namespaces a moment after birth.
 */
const YOUNG_MS = 3000;
/** The namespaces compared with the parent's, as `pstree -S` does. */
const NAMESPACE_TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'] as const;
const NS_LINK = /\[(\d+)\]$/;
/** Whatever the budget, every known process is re-read at least once in this many ticks. */
const MAX_STALE_TICKS = 30;

/** What is read once per process identity `(pid, startTime)`, plus the last CPU sample. */
interface Known {
  startTime: number;
  comm: string;
  argv: string[];
  uid: number | null;
  nspid: number[];
  containerId: string | null;
  role: RuntimeRole | null;
  shimOf: string | null;
  /** Namespace inodes by type; an unreadable link is left out. Kernel threads have none. */
  namespaces: Map<string, number>;
  cpuTicks: number;
  sampledAt: number;
  /** The row last built from a read: reused whole on ticks that do not read this process. */
  info?: ProcessInfo;
}

export interface ScannerOptions {
  /**
   * Milliseconds a tick may spend re-reading processes it already knows. Births, young
   * processes and orphans are always read; the rest are refreshed oldest first until the budget
   * is spent, so a busy host's processes are each refreshed every few ticks instead of every tick.
   * Infinity reads everything every tick.
   */
  refreshBudgetMs: number;
  now: () => number;
}

/**
 * Scans `/proc` incrementally. Each tick lists the pids, which shows every birth and death; new
 * processes are read whole (argv, uid, NSpid, cgroup and namespaces once per identity, so a
 * reused pid is read afresh); known ones have their `stat` (state, parent, CPU, memory, threads)
 * re-read within a time budget. A process that vanishes mid-read is left out whole, never
 * half-read.
 */
export class ProcScanner {
  private readonly known = new Map<number, Known>();
  private readonly options: ScannerOptions;

  constructor(
    private readonly procRoot: string,
    private readonly constants: HostConstants,
    options: Partial<ScannerOptions> | (() => number) = {},
  ) {
    const given = typeof options === 'function' ? { now: options } : options;
    this.options = { refreshBudgetMs: Infinity, now: Date.now, ...given };
  }

  /** Throws only when the `/proc` root itself cannot be listed. */
  scan(): ProcessInfo[] {
    const started = performance.now();
    const dir = readProcDir(this.procRoot);
    if (!dir.ok) throw new Error(`cannot read ${this.procRoot}: ${dir.message}`);
    const now = this.options.now();
    const listed = new Set<number>();
    for (const name of dir.value) if (/^\d+$/.test(name)) listed.add(Number(name));
    const reusable = this.readPidsAllocated();
    const dead = new Set<number>();
    for (const pid of this.known.keys()) {
      if (!listed.has(pid)) {
        dead.add(pid);
        this.known.delete(pid);
      }
    }
    const rows = new Map<number, ProcessInfo>();
    const deferred: Known[] = [];
    const deferredPid = new Map<Known, number>();
    for (const pid of listed) {
      const known = this.known.get(pid);
      const info = known?.info;
      // Must read now: births, the young (exec and container entry), orphans (new parent), and
      // any pid the kernel handed out since the last tick (it may be a new process on an old pid).
      if (!known || !info || now - info.startedAt < YOUNG_MS || dead.has(info.ppid) || reusable(pid)) {
        const fresh = this.scanOne(pid, now);
        if (fresh) rows.set(pid, fresh);
        continue;
      }
      deferred.push(known);
      deferredPid.set(known, pid);
    }
    // The rest, least recently read first, while the budget lasts; the others keep their last row.
    deferred.sort((a, b) => a.sampledAt - b.sampledAt);
    const minimum = Math.ceil(deferred.length / MAX_STALE_TICKS);
    let index = 0;
    for (; index < deferred.length; index++) {
      if (index >= minimum && (index & 31) === 0 && performance.now() - started > this.options.refreshBudgetMs) break;
      const known = deferred[index] as Known;
      const pid = deferredPid.get(known) as number;
      const fresh = this.scanOne(pid, now);
      if (fresh) rows.set(pid, fresh);
    }
    for (; index < deferred.length; index++) {
      const known = deferred[index] as Known;
      if (known.info) rows.set(known.info.pid, known.info);
    }
    const processes: ProcessInfo[] = [];
    for (const row of rows.values()) {
      const newNamespaces = this.newNamespaces(row);
      const info = sameList(newNamespaces, row.newNamespaces) ? row : { ...row, newNamespaces };
      const known = this.known.get(info.pid);
      if (known) known.info = info;
      processes.push(info);
    }
    return processes.sort((a, b) => a.pid - b.pid);
  }

  /**
   * One process, read from `/proc/<pid>` alone (for a detail request about a process born since
   * the last tick): never a scan of the others.
   */
  readOne(pid: number): ProcessInfo | null {
    return this.scanOne(pid, this.options.now());
  }

  private scanOne(pid: number, now: number): ProcessInfo | null {
    const statText = readProcText(`${this.procRoot}/${pid}/stat`);
    const stat = statText.ok ? parseStat(statText.value) : null;
    if (!stat) return null;
    let known = this.known.get(pid);
    if (!known || known.startTime !== stat.startTime) {
      known = this.readIdentity(pid, stat, now) ?? undefined;
      if (!known) return null;
      this.known.set(pid, known);
    } else if (stat.state === 'Z') {
      // A zombie has no memory left, so no command line: show what a fresh read would.
      known.argv = [];
    } else if (known.comm !== stat.comm || now - this.startedAt(stat) < YOUNG_MS) {
      // exec() keeps the identity but changes argv; a young process may still be joining its
      // container (`docker exec` starts as runc's init in the host's cgroup and namespaces).
      const fresh = this.readIdentity(pid, stat, now);
      if (!fresh) return null;
      known = { ...fresh, cpuTicks: known.cpuTicks, sampledAt: known.sampledAt };
      this.known.set(pid, known);
    }
    const ticks = stat.utime + stat.stime;
    const seconds = (now - known.sampledAt) / 1000;
    const cpu = seconds > 0 ? ((ticks - known.cpuTicks) / this.constants.clockTicks / seconds) * 100 : 0;
    known.cpuTicks = ticks;
    known.sampledAt = now;
    known.info = {
      pid,
      ppid: stat.ppid,
      name: stat.comm,
      argv: known.argv,
      uid: known.uid,
      state: stat.state,
      threads: stat.threads,
      startTime: stat.startTime,
      startedAt: this.startedAt(stat),
      cpu: Math.max(0, Math.round(cpu * 10) / 10),
      rssKiB: (stat.rssPages * this.constants.pageSize) / 1024,
      nspid: known.nspid,
      containerId: known.containerId,
      logicalParent: null,
      role: known.role,
      shimOf: known.shimOf,
      kernelThread: (stat.flags & PF_KTHREAD) !== 0,
      newNamespaces: known.info?.newNamespaces ?? [],
    };
    return known.info;
  }

  /**
   * Types in which a process's namespace differs from its kernel parent's. Where the parent's
   * links cannot be read (pid 1 may refuse even root), the host's namespaces stand in.
   */
  private newNamespaces(p: ProcessInfo): string[] {
    const own = this.known.get(p.pid)?.namespaces;
    const parentOwn = this.known.get(p.ppid)?.namespaces;
    const parent = parentOwn && parentOwn.size > 0 ? parentOwn : this.hostNamespaces();
    if (!own || !parent || own.size === 0 || parent.size === 0) return [];
    return NAMESPACE_TYPES.filter((type) => own.has(type) && parent.has(type) && own.get(type) !== parent.get(type));
  }

  private lastPid: number | null = null;

  /**
   * Which pids the kernel allocated since the last tick, from `ns_last_pid` (the last pid handed
   * out in this pid namespace): a known pid in that range may now be another process. Where the
   * counter cannot be read, every pid counts as possibly reused.
   */
  private readPidsAllocated(): (pid: number) => boolean {
    const text = readProcText(`${this.procRoot}/sys/kernel/ns_last_pid`);
    const last = text.ok ? Number(text.value.trim()) : NaN;
    const previous = this.lastPid;
    this.lastPid = Number.isSafeInteger(last) ? last : null;
    if (this.lastPid === null || previous === null) return () => true;
    const now = this.lastPid;
    if (now === previous) return () => false;
    // The counter wraps at pid_max back to low numbers.
    return now > previous ? (pid) => pid > previous && pid <= now : (pid) => pid > previous || pid <= now;
  }

  /** Read once: kthreadd never changes namespace. */
  private host: Map<string, number> | undefined;

  /** Kernel threads live in the initial namespaces, and kthreadd's links stay readable. */
  private hostNamespaces(): Map<string, number> {
    this.host ??= this.readNamespaces(2, null);
    return this.host;
  }

  private readNamespaces(pid: number, stat: Stat | null): Map<string, number> {
    const namespaces = new Map<string, number>();
    if (stat && (stat.flags & PF_KTHREAD) !== 0) return namespaces;
    for (const type of NAMESPACE_TYPES) {
      const link = readProcLink(`${this.procRoot}/${pid}/ns/${type}`);
      const inode = link.ok ? NS_LINK.exec(link.value)?.[1] : undefined;
      if (inode) namespaces.set(type, Number(inode));
    }
    return namespaces;
  }

  private startedAt(stat: Stat): number {
    return Math.round(this.constants.bootTime + (stat.startTime / this.constants.clockTicks) * 1000);
  }

  private readIdentity(pid: number, stat: Stat, now: number): Known | null {
    const base = `${this.procRoot}/${pid}`;
    const status = readProcText(`${base}/status`);
    const argv = this.readArgv(pid);
    const cgroup = readProcText(`${base}/cgroup`);
    if ((!status.ok && status.reason === 'gone') || argv === null || (!cgroup.ok && cgroup.reason === 'gone')) {
      return null;
    }
    const parsed = status.ok ? parseStatus(status.value) : null;
    return {
      startTime: stat.startTime,
      comm: stat.comm,
      argv,
      uid: parsed?.uid[0] ?? null,
      nspid: parsed?.nspid.length ? parsed.nspid : [pid],
      containerId: cgroup.ok ? (containerFromCgroup(parseCgroup(cgroup.value))?.id ?? null) : null,
      ...this.roleOf(argv, stat.comm),
      namespaces: this.readNamespaces(pid, stat),
      cpuTicks: stat.utime + stat.stime,
      sampledAt: now,
    };
  }

  /** argv, or null when the process is gone. A permission error reads as an empty argv. */
  private readArgv(pid: number): string[] | null {
    const cmdline = readProcText(`${this.procRoot}/${pid}/cmdline`);
    if (!cmdline.ok) return cmdline.reason === 'gone' ? null : [];
    return parseCmdline(cmdline.value);
  }

  private roleOf(argv: string[], comm: string): { role: RuntimeRole | null; shimOf: string | null } {
    const role = parseRuntimeRole(argv, comm);
    return { role, shimOf: parseServedContainer(role, argv) };
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
