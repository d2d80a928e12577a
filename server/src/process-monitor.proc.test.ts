import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '@proclens/shared';
import { createLogger } from './logger.ts';
import { ProcScanner } from './proc-scanner.ts';
import { ProcessMonitor } from './process-monitor.ts';
import { readHostConstants } from './read-host-constants.ts';

// Integration tests on the real /proc of this machine, with the real scanner and timers.
const PROC = '/proc';
const constants = readHostConstants(PROC);
const host = { hostname: 'test', kernel: 'test', cpus: 1, bootTime: constants.bootTime };
const WAIT_MS = 5000;

const children: ChildProcess[] = [];
const monitors: ProcessMonitor[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const monitor of monitors.splice(0)) monitor.stop();
});

function startSleep(seconds: string): ChildProcess & { pid: number } {
  const child = spawn('sleep', [seconds], { stdio: 'ignore' });
  children.push(child);
  if (child.pid === undefined) throw new Error('could not start sleep');
  return child as ChildProcess & { pid: number };
}

function monitor(intervalMs: number, scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: 30 })): ProcessMonitor {
  const m = new ProcessMonitor(scanner, [], PROC, host, intervalMs, createLogger('error'));
  monitors.push(m);
  return m;
}

async function until<T>(what: string, pick: () => T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = pick();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ProcessMonitor', () => {
  it('ProcessMonitor publishes a birth from a births check, long before the next full tick', async () => {
    let fullTicks = 0;
    const scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: 30 });
    const scan = scanner.scan.bind(scanner);
    scanner.scan = () => {
      fullTicks++;
      return scan();
    };
    const watched = monitor(60_000, scanner);
    watched.start();
    const child = startSleep('33');
    const seen = await until('the birth in a published snapshot', () => watched.current().processes.find((p) => p.pid === child.pid && p.name === 'sleep'));
    expect(seen.argv).toEqual(['sleep', '33']);
    expect(fullTicks).toBe(1);
  });

  it('ProcessMonitor publishes the very same row object for a process whose scanner row did not change', async () => {
    const child = startSleep('35');
    // A clock a minute ahead: the sleep is settled at once, so it is not re-read every tick.
    const m = monitor(60_000, new ProcScanner(PROC, constants, { refreshBudgetMs: 1000, now: () => Date.now() + 60_000 }));
    const rows: ProcessInfo[] = [];
    m.subscribe((next) => {
      const row = next.processes.find((p) => p.pid === child.pid);
      if (row) rows.push(row);
    });
    await until('the sleep in two snapshots', () => {
      m.tick();
      return rows.length >= 2 && rows.at(-1)?.name === 'sleep' && rows.at(-2)?.name === 'sleep' ? true : undefined;
    });
    m.tick();
    expect(rows.at(-1)).toBe(rows.at(-2));
    expect(rows.at(-1)).toMatchObject({ pid: child.pid, argv: ['sleep', '35'] });
  });

  it('ProcessMonitor.readProcess reads a pid the last snapshot lacks without publishing a tick', async () => {
    const m = monitor(60_000);
    let ticks = 0;
    m.subscribe(() => ticks++);
    m.tick();
    const child = startSleep('34');
    expect(m.current().processes.some((p) => p.pid === child.pid)).toBe(false);
    const one = await until('the new sleep read on its own', () => {
      const p = m.readProcess(child.pid);
      return p?.name === 'sleep' ? p : undefined;
    });
    expect(one).toMatchObject({ pid: child.pid, argv: ['sleep', '34'] });
    expect(ticks).toBe(1);
    expect(m.readProcess(process.pid)).toBe(m.current().processes.find((p) => p.pid === process.pid));
    expect(m.readProcess(4_194_305)).toBeNull();
  });
});
