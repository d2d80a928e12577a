import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '@proclens/shared';
import { ProcScanner } from './proc-scanner.ts';
import { readHostConstants } from './read-host-constants.ts';

// Integration tests against the real /proc of this machine: every process here is real.
const PROC = '/proc';
const constants = readHostConstants(PROC);
const POLL_MS = 20;
/** Generous: the machine is shared and may be busy. */
const WAIT_MS = 15_000;

const children: ChildProcess[] = [];

function start(command: string, args: string[]): ChildProcess & { pid: number } {
  const child = spawn(command, args, { stdio: 'ignore', env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' } });
  children.push(child);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return child as ChildProcess & { pid: number };
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

afterEach(async () => {
  // Killed by pid (ChildProcess.kill), then awaited, so nothing outlives its test.
  const running = children.splice(0);
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(running.map(exited));
});

/** Scans until `pick` finds what it looks for; fails after WAIT_MS with the last scan's view. */
async function scanUntil<T>(scanner: ProcScanner, pick: (processes: ProcessInfo[]) => T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const last = scanner.scan();
    const found = pick(last);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not seen within ${WAIT_MS} ms; last scan had ${last.length} processes`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const byPid = (pid: number) => (processes: ProcessInfo[]) => processes.find((p) => p.pid === pid);

describe('ProcScanner on the real /proc', () => {
  it('ProcScanner sees a spawned sleep with its parent, argv, uid and state', async () => {
    const child = start('sleep', ['600']);
    const scanner = new ProcScanner(PROC, constants);
    const sleep = await scanUntil(scanner, (ps) => ps.find((p) => p.pid === child.pid && p.name === 'sleep' && p.state === 'S'));
    expect(sleep).toMatchObject({
      ppid: process.pid,
      name: 'sleep',
      argv: ['sleep', '600'],
      uid: process.getuid?.(),
      state: 'S',
      threads: 1,
      nspid: [child.pid],
      role: null,
      shimOf: null,
      newNamespaces: [],
      logicalParent: null,
      kernelThread: false,
    });
    expect(sleep.rssKiB).toBeGreaterThan(0);
  });

  it('ProcScanner dates a process that just started to within a few seconds of now', async () => {
    const before = Date.now();
    const child = start('sleep', ['600']);
    const sleep = await scanUntil(new ProcScanner(PROC, constants), byPid(child.pid));
    // btime has whole seconds and startTime clock ticks: allow for both roundings.
    expect(Math.abs(sleep.startedAt - before)).toBeLessThan(3000);
    expect(sleep.startTime).toBeGreaterThan(0);
  });

  it('ProcScanner no longer lists a process on the scan after it was killed', async () => {
    const child = start('sleep', ['600']);
    const scanner = new ProcScanner(PROC, constants);
    await scanUntil(scanner, byPid(child.pid));
    child.kill('SIGKILL');
    await exited(child);
    expect(scanner.scan().find((p) => p.pid === child.pid)).toBeUndefined();
  });

  it('ProcScanner shows a zombie with state Z and an empty argv', async () => {
    // `sleep 0.1` outlives nothing: its parent exec's `sleep 600`, which never reaps it.
    const parent = start('sh', ['-c', 'sleep 0.1 & exec sleep 600']);
    const scanner = new ProcScanner(PROC, constants);
    const zombie = await scanUntil(scanner, (ps) => ps.find((p) => p.ppid === parent.pid && p.state === 'Z'));
    expect(zombie).toMatchObject({ name: 'sleep', state: 'Z', argv: [], kernelThread: false });
    expect(new ProcScanner(PROC, constants).scan().find((p) => p.pid === zombie.pid)).toMatchObject({ state: 'Z', argv: [] });
  });

  it('ProcScanner drops the argv of a process that became a zombie after it was first seen', async () => {
    // The scanner re-reads argv only for young processes; with the clock moved on, this one is old
    // by the time it dies. A zombie has no cmdline left, whatever the scanner read while it lived.
    let now = Date.now();
    const scanner = new ProcScanner(PROC, constants, () => now);
    const parent = start('sh', ['-c', 'sleep 1 & exec sleep 600']);
    const alive = await scanUntil(scanner, (ps) => ps.find((p) => p.ppid === parent.pid && p.state !== 'Z' && p.argv.join(' ') === 'sleep 1'));
    now += 60_000;
    const zombie = await scanUntil(scanner, (ps) => ps.find((p) => p.pid === alive.pid && p.state === 'Z'));
    expect(zombie.argv).toEqual([]);
  });

  it('ProcScanner flags kthreadd and its children as kernel threads, with no argv', () => {
    const processes = new ProcScanner(PROC, constants).scan();
    const kernel = processes.filter((p) => p.kernelThread);
    const kthreadd = processes.find((p) => p.pid === 2);
    if (kthreadd?.name === 'kthreadd') {
      expect(kthreadd).toMatchObject({ ppid: 0, argv: [], kernelThread: true });
      expect(kernel.length).toBeGreaterThan(1);
    }
    for (const p of kernel) {
      expect(p.argv).toEqual([]);
      expect(p.pid === 2 || p.ppid === 2).toBe(true);
    }
    expect(processes.find((p) => p.pid === process.pid)?.kernelThread).toBe(false);
  });

  it('ProcScanner shows the exact name a process gave itself, `a) b (c`', async () => {
    // Only a process itself may write /proc/PID/comm (others get EINVAL), and exec would reset
    // it, so perl renames itself and sleeps in the same process.
    const script = 'open(my $f, ">", "/proc/self/comm") or die; print $f "a) b (c"; close($f) or die; sleep 600';
    const child = start('perl', ['-e', script]);
    const renamed = await scanUntil(new ProcScanner(PROC, constants), (ps) => ps.find((p) => p.pid === child.pid && p.name !== 'perl' && p.name !== 'node'));
    expect(renamed).toMatchObject({ name: 'a) b (c', ppid: process.pid, argv: ['perl', '-e', script] });
  });

  it('ProcScanner measures the CPU use of a busy process', async () => {
    const child = start('sh', ['-c', 'while :; do :; done']);
    const scanner = new ProcScanner(PROC, constants);
    await scanUntil(scanner, byPid(child.pid));
    // CPU is a rate between two samples: scan again until the loop has had a share of a core.
    const busy = await scanUntil(scanner, (ps) => ps.find((p) => p.pid === child.pid && p.cpu > 0));
    expect(busy.cpu).toBeGreaterThan(0);
    expect(busy.state).toMatch(/^[RS]$/);
  });

  it('ProcScanner lists every process once, sorted by pid, this test runner among them', () => {
    const processes = new ProcScanner(PROC, constants).scan();
    const pids = processes.map((p) => p.pid);
    expect(pids).toEqual([...new Set(pids)].sort((a, b) => a - b));
    expect(pids).toContain(process.pid);
    expect(processes.find((p) => p.pid === 1)?.ppid).toBe(0);
  });

  it('ProcScanner throws a readable error when the /proc root cannot be listed', () => {
    expect(() => new ProcScanner('/nonexistent-proc', constants).scan()).toThrow(/cannot read \/nonexistent-proc/);
  });
});

describe('ProcScanner with a refresh budget', () => {
  it('ProcScanner with no budget left still sees births, deaths and an orphan’s new parent', async () => {
    // A shell whose child outlives it: when the shell dies the sleep is re-parented.
    const shell = start('sh', ['-c', 'sleep 60 & echo $! > /dev/null; exec sleep 60']);
    // Real time while the shell starts (young processes are re-read every tick), then a jump
    // ahead so that everything known counts as settled.
    let offset = 0;
    const scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: 0, now: () => Date.now() + offset });
    const first = await scanUntil(scanner, (ps) => {
      const kids = ps.filter((p) => p.ppid === shell.pid && p.name === 'sleep');
      return kids.length === 1 && ps.some((p) => p.pid === shell.pid && p.name === 'sleep') ? kids[0] : undefined;
    });
    offset = 60_000;
    const before = scanner.scan();
    // Known, settled processes are mostly not re-read without budget: their rows are reused.
    offset += 10_000;
    const again = new Map(scanner.scan().map((p) => [p.pid, p]));
    const reused = before.filter((p) => again.get(p.pid) === p).length;
    expect(reused).toBeGreaterThan(before.length / 2);
    // A birth is read at once; a death is seen in the pid list; the orphan gets its new parent.
    const newborn = start('sleep', ['61']);
    process.kill(shell.pid, 'SIGKILL');
    await exited(shell);
    offset += 10_000;
    const after = await scanUntil(scanner, (ps) => (ps.some((p) => p.pid === newborn.pid) && !ps.some((p) => p.pid === shell.pid) ? ps : undefined));
    // The orphan is still there, under the parent the kernel now gives it (init or a subreaper).
    const orphan = after.find((p) => p.pid === first.pid);
    expect(orphan, 'the orphaned sleep is in the scan').toBeDefined();
    const kernelParent = Number(readFileSync(`/proc/${first.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    expect(kernelParent).not.toBe(shell.pid);
    expect(orphan?.ppid).toBe(kernelParent);
    process.kill(first.pid, 'SIGKILL');
  });

  it('ProcScanner spreads refreshes: even with no budget every process is re-read within 30 ticks', () => {
    let clock = Date.now() + 60_000;
    const scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: 0, now: () => clock });
    const cold = scanner.scan();
    const seen = new Map(cold.map((p) => [p.pid, p]));
    const refreshed = new Set<number>();
    for (let tick = 0; tick < 31; tick++) {
      clock += 1000;
      for (const p of scanner.scan()) if (seen.has(p.pid) && seen.get(p.pid) !== p) refreshed.add(p.pid);
    }
    expect(refreshed.size).toBeGreaterThanOrEqual(cold.length * 0.9);
  });
});
