import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
    const read = new Set<number>();
    const scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: 0, now: () => Date.now() + offset, onRead: (pid) => read.add(pid) });
    const first = await scanUntil(scanner, (ps) => {
      const kids = ps.filter((p) => p.ppid === shell.pid && p.name === 'sleep');
      return kids.length === 1 && ps.some((p) => p.pid === shell.pid && p.name === 'sleep') ? kids[0] : undefined;
    });
    offset = 60_000;
    scanner.scan();
    // Known, settled processes are mostly not re-read without budget: one in 30 a tick.
    offset += 10_000;
    read.clear();
    scanner.scan();
    const { listed, births, young, orphans, reuseChecks } = scanner.lastTick;
    expect(read.size).toBeLessThanOrEqual(Math.ceil(listed / 30) + births + young + orphans + reuseChecks);
    expect(read.size).toBeGreaterThan(0);
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
    const refreshed = new Set<number>();
    let counting = false;
    const scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: 0, now: () => clock, onRead: (pid) => counting && refreshed.add(pid) });
    const cold = scanner.scan();
    counting = true;
    for (let tick = 0; tick < 31; tick++) {
      clock += 1000;
      scanner.scan();
    }
    const survivors = cold.filter((p) => refreshed.has(p.pid));
    expect(survivors.length).toBeGreaterThanOrEqual(cold.length * 0.9);
  });

  it('ProcScanner reads nothing on a settled tick but the budget’s share, and a birth and its young ticks', async () => {
    let clock = Date.now() + 60_000;
    const read = new Set<number>();
    const scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: 1000, now: () => clock, onRead: (pid) => read.add(pid) });
    const cold = scanner.scan();
    // A host of more than 200 processes is first read from stat alone; the next ticks complete it.
    for (let tick = 0; tick < 30 && scanner.lastTick.deferred > 0; tick++) {
      clock += 1000;
      scanner.scan();
    }
    expect(scanner.lastTick.deferred).toBe(0);
    clock += 1000;
    read.clear();
    scanner.scan();
    // About one in fifteen settled processes a tick (REFRESH_TICKS), busy ones first; this
    // machine's other processes may be born meanwhile, each counted as a birth.
    const share = Math.ceil(scanner.lastTick.listed / 15);
    expect(scanner.lastTick.share).toBe(share);
    const { births: born, young: youngNow, orphans: orphaned, reuseChecks: reused, refreshed, completed } = scanner.lastTick;
    expect(refreshed).toBeLessThanOrEqual(share);
    expect(completed).toBe(0);
    expect(read.size).toBeLessThanOrEqual(share + born + youngNow + orphaned + reused);
    expect(read.size).toBeLessThan(cold.length);
    // A birth is read at once, and again on every tick while it is young (argv, container entry).
    const child = start('sleep', ['30']);
    clock = Date.now();
    const seen = await scanUntil(scanner, byPid(child.pid));
    expect(seen.argv).toEqual(['sleep', '30']);
    read.clear();
    clock += 1000;
    scanner.scan();
    expect(read.has(child.pid)).toBe(true);
  });

  it('ProcScanner born in a crowd: a cold start of hundreds reads most from stat alone and the rest on the next ticks', async () => {
    // 300 real sleeps in a process group of their own, old by the scanner's clock.
    const shell = spawn('sh', ['-c', 'for i in $(seq 300); do sleep 60 & done; echo ready; wait'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    children.push(shell);
    await new Promise<void>((resolve) => shell.stdout?.once('data', () => resolve()));
    // Forked is not yet exec'd: wait until all 300 children are called sleep.
    const sleeping = (): number =>
      readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, 'utf8')
        .split(' ')
        .filter(Boolean)
        .filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/comm`, 'utf8') === 'sleep\n';
          } catch {
            return false;
          }
        }).length;
    for (const deadline = Date.now() + WAIT_MS; sleeping() < 300 && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    try {
      let clock = Date.now() + 60_000;
      const scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: 1000, now: () => clock });
      const sleepsOf = (ps: ProcessInfo[]) => ps.filter((p) => p.ppid === shell.pid && p.name === 'sleep');
      const cold = sleepsOf(scanner.scan());
      expect(cold).toHaveLength(300);
      expect(scanner.lastTick.deferred).toBeGreaterThan(0);
      // Born from stat: the name, parent and state now; argv, uid and the rest to follow.
      const waiting = cold.filter((p) => p.uid === null);
      expect(waiting.length).toBeGreaterThan(0);
      expect(waiting.filter((p) => !(p.argv.length === 0 && p.state === 'S' && p.rssKiB > 0))).toEqual([]);
      for (let tick = 0; tick < 10 && scanner.lastTick.deferred > 0; tick++) {
        clock += 1000;
        scanner.scan();
      }
      expect(scanner.lastTick.deferred).toBe(0);
      clock += 1000;
      const settled = sleepsOf(scanner.scan());
      expect(settled.map((p) => p.uid)).toEqual(cold.map(() => process.getuid?.()));
      expect(settled.filter((p) => p.argv.join(' ') !== 'sleep 60')).toEqual([]);
      expect(settled.filter((p) => !(p.nspid.length === 1 && p.nspid[0] === p.pid && p.containerId === null))).toEqual([]);
    } finally {
      process.kill(-(shell.pid as number), 'SIGKILL');
    }
  });
});

describe('ProcScanner reads between full ticks', () => {
  it('ProcScanner.scanBirths lists a process born since the last tick, with its argv', async () => {
    const scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: 0 });
    scanner.scan();
    const child = start('sleep', ['31']);
    const deadline = Date.now() + WAIT_MS;
    let found: ProcessInfo | undefined;
    while (!found && Date.now() < deadline) {
      found = scanner.scanBirths()?.find((p) => p.pid === child.pid && p.name === 'sleep');
      if (!found) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    expect(found).toMatchObject({ argv: ['sleep', '31'], ppid: process.pid });
    expect(scanner.lastTick.refreshed).toBe(0);
  });

  it('ProcScanner.scanBirths reads one file and answers null when the kernel handed out no pid since the last tick', () => {
    // A fake /proc root: on a shared machine the real pid counter never stands still.
    const root = mkdtempSync(path.join(os.tmpdir(), 'proclens-fakeproc-'));
    try {
      const dir = path.join(root, '4242');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'stat'), '4242 (worker) S 1 4242 4242 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 1000 1000000 250 18446744073709551615 0 0 0\n');
      writeFileSync(path.join(dir, 'status'), 'Name:\tworker\nUid:\t1000\t1000\t1000\t1000\nNSpid:\t4242\n');
      writeFileSync(path.join(dir, 'cmdline'), 'worker\0');
      writeFileSync(path.join(dir, 'cgroup'), '0::/user.slice\n');
      mkdirSync(path.join(root, 'sys/kernel'), { recursive: true });
      writeFileSync(path.join(root, 'sys/kernel/ns_last_pid'), '4242\n');
      const scanner = new ProcScanner(root, { clockTicks: 100, pageSize: 4096, bootTime: 0 }, { refreshBudgetMs: 0, now: () => 1_000_000_000 });
      expect(scanner.scan()).toMatchObject([{ pid: 4242, argv: ['worker'], uid: 1000 }]);
      expect(scanner.scanBirths()).toBeNull();
      writeFileSync(path.join(root, 'sys/kernel/ns_last_pid'), '4243\n');
      expect(scanner.scanBirths()).toMatchObject([{ pid: 4242 }]);
      expect(scanner.scanBirths()).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('ProcScanner.readOne reads one process the last tick has not seen, and leaves the tick state alone', async () => {
    const scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: 0 });
    scanner.scan();
    const child = start('sleep', ['32']);
    const deadline = Date.now() + WAIT_MS;
    let one = scanner.readOne(child.pid);
    while ((!one || one.name !== 'sleep') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      one = scanner.readOne(child.pid);
    }
    expect(one).toMatchObject({
      pid: child.pid,
      ppid: process.pid,
      name: 'sleep',
      argv: ['sleep', '32'],
      uid: process.getuid?.(),
      nspid: [child.pid],
      newNamespaces: [],
    });
    // Not recorded: the next tick still finds it as a birth.
    const next = scanner.scan();
    expect(next.find((p) => p.pid === child.pid)).toMatchObject({ argv: ['sleep', '32'] });
    expect(scanner.lastTick.births).toBeGreaterThanOrEqual(1);
    expect(scanner.readOne(child.pid)).toMatchObject({ pid: child.pid, argv: ['sleep', '32'] });
    expect(scanner.readOne(4_194_304 + 1)).toBeNull();
  });
});
