/**
 * Cheap load for benchmarks: N sleeping processes, and optional churn (processes born and dying
 * at a steady rate). Everything runs in process groups this module created and kills by group id
 * (never by name), also when the caller throws, exits or gets SIGINT/SIGTERM.
 *
 *   const sleepers = await spawnSleepers(5000);
 *   const churn = sleepers.churn(100);   // ~100 births/s, each child lives 0.5 s
 *   churn.stop();
 *   sleepers.kill();
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface Churn {
  /** The process group of the churn loop. */
  readonly pgid: number;
  /** Children started so far (the loop reports it every round). */
  births(): number;
  /** Stops the loop and kills its children (the `sleep 0.5`s in flight). */
  stop(): void;
}

export interface Sleepers {
  /** The process group holding every sleeper (and the shells that started them). */
  readonly pgid: number;
  /** Pids of the live sleepers (scans /proc for `sleep` processes in the group). */
  pids(): number[];
  /** Births and deaths at `ratePerSecond`: a loop starting `sleep <lifetime>` children. */
  churn(ratePerSecond: number, lifetimeSeconds?: number): Churn;
  /** Kills the sleepers' group and every churn group. Idempotent. */
  kill(): void;
}

export interface SleeperOptions {
  /** How long each sleeper sleeps if nobody kills it (a safety net if the bench is SIGKILLed). */
  seconds?: number;
  /** Sleepers started per shell; the shells run in parallel. */
  batchSize?: number;
  /** Give up waiting for the sleepers after this long. */
  timeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Cleanup registry: kill what we spawned, whatever happens.

const cleanups = new Set<() => void>();

/** Runs `fn` (synchronously) when the process exits, on SIGINT/SIGTERM and on an uncaught error. */
export function onCleanup(fn: () => void): () => void {
  installHandlers();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Runs every registered cleanup now (each at most once). */
export function runCleanups(): void {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // best effort: the others still run
    }
  }
}

let installed = false;
function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: killing the processes this benchmark started…\n`);
      runCleanups();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  process.once('uncaughtException', (err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    runCleanups();
    process.exit(1);
  });
}

/**
 * Kills a process group this process created: only while its leader (pid = pgid) is still our
 * child, alive or not yet reaped. Once the leader is gone its number may be handed to someone
 * else's process (pids wrap quickly on a busy host), so then nothing is sent.
 */
export function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`refusing to signal process group ${pgid}`);
  if (!isOurGroupLeader(pgid)) return;
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Whether `pid` is our child and leads its own process group. */
function isOurGroupLeader(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm) ": state ppid pgrp …
    return Number(fields[1]) === process.pid && Number(fields[2]) === pid;
  } catch {
    return false;
  }
}

/**
 * Spawns a command detached: in a new session and process group whose id is the child's pid.
 * The group is killed on cleanup unless the caller kills it first.
 */
export function spawnGroup(command: string, args: string[], options: Parameters<typeof spawn>[2] = {}): ChildProcess & { pgid: number } {
  const child = spawn(command, args, { stdio: 'ignore', ...options, detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pgid = child.pid;
  // Even after the leader exits its group may hold children: kill the group on cleanup anyway
  // (killGroup ignores a group that no longer exists).
  onCleanup(() => killGroup(pgid));
  return Object.assign(child, { pgid });
}

// ---------------------------------------------------------------------------------------------
// Limits.

function readNumber(path: string): number | null {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return text === 'max' ? Infinity : Number(text);
  } catch {
    return null;
  }
}

function countProcesses(): number {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
}

/** Throws a clear message when `n` more processes (plus headroom) cannot fit on this host. */
export function checkRoom(n: number, headroom = 500): void {
  const current = countProcesses();
  const wanted = current + n + headroom;
  const problems: string[] = [];
  const pidMax = readNumber('/proc/sys/kernel/pid_max');
  if (pidMax !== null && wanted > pidMax) problems.push(`/proc/sys/kernel/pid_max is ${pidMax}`);
  const threadsMax = readNumber('/proc/sys/kernel/threads-max');
  if (threadsMax !== null && wanted > threadsMax) problems.push(`/proc/sys/kernel/threads-max is ${threadsMax}`);
  const ulimit = spawnSync('sh', ['-c', 'ulimit -u'], { encoding: 'utf8' }).stdout.trim();
  const nproc = ulimit === 'unlimited' || ulimit === '' ? Infinity : Number(ulimit);
  // root ignores RLIMIT_NPROC (CAP_SYS_RESOURCE), but say it anyway when it is too low.
  if (wanted > nproc && process.getuid?.() !== 0) problems.push(`ulimit -u is ${nproc}`);
  for (const path of ['/sys/fs/cgroup/pids.max', '/sys/fs/cgroup/pids/pids.max']) {
    const max = readNumber(path);
    if (max !== null && Number.isFinite(max) && wanted > max) problems.push(`${path} is ${max}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `cannot start ${n} processes: ${current} exist already and ${problems.join(', ')} ` +
        `(needed ${wanted} including ${headroom} headroom). Lower N or raise the limit ` +
        `(e.g. sysctl kernel.pid_max=65536, ulimit -u ${wanted}).`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Sleepers.

/** Pids of processes in group `pgid` whose comm is `comm` (reads /proc/PID/stat). */
export function pidsInGroup(pgid: number, comm?: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    // after "pid (comm) ": state ppid pgrp ...
    if (Number(fields[2]) !== pgid) continue;
    if (comm !== undefined && stat.slice(stat.indexOf('(') + 1, close) !== comm) continue;
    pids.push(Number(name));
  }
  return pids;
}

/** Starts `n` sleeping processes in one new process group, in parallel batches. */
export async function spawnSleepers(n: number, options: SleeperOptions = {}): Promise<Sleepers> {
  if (!Number.isInteger(n) || n < 0) throw new Error(`bad sleeper count ${n}`);
  checkRoom(n);
  const seconds = options.seconds ?? 900;
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const batches: number[] = [];
  for (let left = n; left > 0; left -= batchSize) batches.push(Math.min(batchSize, left));
  // One leader shell (its own session and group) runs the batch shells in parallel; each batch
  // prints a line once its sleepers are started, then waits so that it reaps nothing early.
  const batchScript = (count: number): string =>
    `( i=0; while [ $i -lt ${count} ]; do sleep ${seconds} </dev/null >/dev/null 2>&1 & i=$((i+1)); done; echo started; wait ) &`;
  const script = `${batches.map(batchScript).join('\n')}\nwait\n`;
  const leader = spawnGroup('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pgid = leader.pgid;
  const churns = new Set<Churn>();
  let killed = false;

  const kill = (): void => {
    if (killed) return;
    killed = true;
    for (const c of churns) c.stop();
    killGroup(pgid);
  };
  onCleanup(kill);

  await new Promise<void>((resolve, reject) => {
    let started = 0;
    let buffered = '';
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`only ${started}/${batches.length} batches of sleepers started within ${options.timeoutMs ?? 60_000} ms`));
    }, options.timeoutMs ?? 60_000);
    if (batches.length === 0) {
      clearTimeout(timer);
      return resolve();
    }
    leader.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      started += lines.filter((l) => l === 'started').length;
      if (started === batches.length) {
        clearTimeout(timer);
        resolve();
      }
    });
    leader.once('exit', (code, signal) => {
      if (started < batches.length) {
        clearTimeout(timer);
        kill();
        reject(new Error(`the sleeper shell exited early (${signal ?? code}) after ${started}/${batches.length} batches`));
      }
    });
  });

  return {
    pgid,
    pids: () => pidsInGroup(pgid, 'sleep'),
    churn: (ratePerSecond: number, lifetimeSeconds = 0.5): Churn => {
      if (!(ratePerSecond > 0)) throw new Error(`bad churn rate ${ratePerSecond}`);
      // bash for $EPOCHREALTIME: the loop keeps to the wall clock instead of drifting by the
      // time its own forks take. Ten rounds a second, `per` children a round.
      const rounds = Math.min(10, ratePerSecond);
      const per = ratePerSecond / rounds;
      const periodUs = Math.round(1e6 / rounds);
      const loop = `
        start=\${EPOCHREALTIME/./}; n=0; owed=0; b=0
        while :; do
          owed=$((owed + ${Math.round(per * 1000)})); k=$((owed / 1000)); owed=$((owed % 1000))
          for ((i = 0; i < k; i++)); do sleep ${lifetimeSeconds} </dev/null >/dev/null 2>&1 & done
          n=$((n + 1)); b=$((b + k)); echo $b
          d=$((start + n * ${periodUs} - \${EPOCHREALTIME/./}))
          if [ $d -gt 0 ]; then printf -v s '%d.%06d' $((d / 1000000)) $((d % 1000000)); sleep $s; fi
        done`;
      const child = spawnGroup('bash', ['-c', loop], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stopped = false;
      let births = 0;
      let partial = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        const last = Number(lines[lines.length - 1]);
        if (Number.isFinite(last)) births = last;
      });
      const churn: Churn = {
        pgid: child.pgid,
        births: () => births,
        stop: () => {
          if (stopped) return;
          stopped = true;
          churns.delete(churn);
          killGroup(child.pgid);
        },
      };
      churns.add(churn);
      return churn;
    },
    kill,
  };
}

// ---------------------------------------------------------------------------------------------
// How busy the machine was, and how much of that was not this benchmark.

export interface CpuSample {
  /** All CPU time on the machine (jiffies, every core), and the idle part of it. */
  total: number;
  idle: number;
  /** This process and every live descendant, each with the children it reaped. */
  own: number;
  cores: number;
}

/** Reads /proc/stat and the stat of this process tree (scans /proc: ~0.1 s with 10,000 processes). */
export function sampleCpu(): CpuSample {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  const cpu = (lines[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const cores = lines.filter((l) => /^cpu\d+ /.test(l)).length;
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // after "pid (comm) ": state ppid … utime(11) stime(12) cutime(13) cstime(14)
      parent.set(Number(name), Number(f[1]));
      // With cutime/cstime: the time of children it reaped (exited renderers, shells) counts too.
      ticks.set(Number(name), Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]));
    } catch {
      // gone
    }
  }
  let own = 0;
  for (const [pid, t] of ticks) {
    for (let p: number | undefined = pid; p !== undefined && p > 0; p = parent.get(p)) {
      if (p === process.pid) {
        own += t;
        break;
      }
    }
  }
  return { total, idle, own, cores };
}

/** "the 2 cores were 93 % busy, 38 % of them by processes outside this benchmark" */
export function describeCpu(before: CpuSample, after: CpuSample): { busy: number; others: number; text: string } {
  const total = after.total - before.total;
  const busy = total > 0 ? (total - (after.idle - before.idle)) / total : NaN;
  const others = total > 0 ? Math.max(0, total - (after.idle - before.idle) - (after.own - before.own)) / total : NaN;
  return {
    busy,
    others,
    text: `the machine's ${after.cores} cores were ${(busy * 100).toFixed(0)} % busy, ${(others * 100).toFixed(0)} % of them with work outside this benchmark`,
  };
}

/** Counter of every fork on the host since boot (`processes` in /proc/stat). */
export function forksSinceBoot(): number {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('processes '));
  return Number(line?.split(/\s+/)[1] ?? NaN);
}

// Run directly for a quick check: node --import tsx scripts/spawn-sleepers.ts [N]
if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1000);
  const t0 = performance.now();
  const sleepers = await spawnSleepers(n);
  const t1 = performance.now();
  console.log(`${n} sleepers in ${(t1 - t0).toFixed(0)} ms, group ${sleepers.pgid}; /proc sees ${sleepers.pids().length}`);
  const forks0 = forksSinceBoot();
  const churn = sleepers.churn(100);
  await new Promise((r) => setTimeout(r, 3000));
  churn.stop();
  console.log(`churn: ${(churn.births() / 3).toFixed(0)} births/s (target 100); the host forked ${((forksSinceBoot() - forks0) / 3).toFixed(0)}/s`);
  sleepers.kill();
  const t2 = performance.now();
  let left = pidsInGroup(sleepers.pgid).length;
  while (left > 0 && performance.now() - t2 < 10_000) {
    await new Promise((r) => setTimeout(r, 200));
    left = pidsInGroup(sleepers.pgid).length;
  }
  console.log(`after kill: ${left} processes left in group ${sleepers.pgid} (${(performance.now() - t2).toFixed(0)} ms)`);
}
