/** Fields of `/proc/PID/stat` that the model uses (see `man 5 proc`, "/proc/pid/stat"). */
export interface Stat {
  pid: number;
  /** `comm`: the kernel's name for the process, cut to 15 bytes; may hold spaces, `)` and newlines. */
  comm: string;
  state: string;
  ppid: number;
  /** Kernel flags (`PF_*`); `PF_KTHREAD` marks kernel threads. */
  flags: number;
  utime: number;
  stime: number;
  threads: number;
  /** Clock ticks since boot: with `pid`, the identity of a process (a reused pid has another). */
  startTime: number;
  /** Resident set size in pages. */
  rssPages: number;
  /** `rsslim` can be 2^64−1 ("unlimited"), beyond JavaScript's safe integers: kept as text. */
  rssLimit: string;
}

/**
 * Parses `/proc/PID/stat`. The name sits between the first `(` and the **last** `)`, because
 * a process may name itself `a) b (c`; everything after is space-separated numbers.
 * Returns null for text that is not a whole stat line (a process that exited mid-read).
 */
export function parseStat(text: string): Stat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  // After ") " come fields 3 (state) onwards; index i here is field i + 3.
  const rest = text
    .slice(close + 2)
    .trim()
    .split(' ');
  if (!Number.isSafeInteger(pid) || rest.length < 22) return null;
  const field = (n: number): string => rest[n - 3] ?? '';
  const num = (n: number): number => Number(field(n));
  const stat: Stat = {
    pid,
    comm: text.slice(open + 1, close),
    state: field(3),
    ppid: num(4),
    flags: num(9),
    utime: num(14),
    stime: num(15),
    threads: num(20),
    startTime: num(22),
    rssPages: num(24),
    rssLimit: field(25),
  };
  const numeric = [stat.ppid, stat.flags, stat.utime, stat.stime, stat.threads, stat.startTime, stat.rssPages];
  return numeric.every(Number.isFinite) && stat.state.length === 1 ? stat : null;
}

/** `PF_KTHREAD` from `include/linux/sched.h`. */
export const PF_KTHREAD = 0x00200000;
