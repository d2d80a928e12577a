/**
 * The measuring half of bench:scan: one fresh Node process per size and run, started by
 * scripts/bench-scan.ts as `node --import tsx scripts/bench/measure-scanner.ts`, which prints one
 * JSON line (ScannerMeasurement). A fresh process so that the cold scan is the real first scan
 * (cold JIT, cold caches, as when the server starts) and the RSS is the scanner's alone.
 *
 * Steps: the first scan; the ticks that complete what it deferred; settled ticks; then the
 * scanner run as the server runs it (ProcessMonitor: a full tick every second, a births check
 * every quarter second) while idle and while marked processes are born; finally every row checked
 * against a whole read of the same pid.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../server/src/logger.ts';
import { ProcScanner } from '../../server/src/proc-scanner.ts';
import type { TickCounts } from '../../server/src/proc-scanner.ts';
import { ProcessMonitor } from '../../server/src/process-monitor.ts';
import { readHostConstants } from '../../server/src/read-host-constants.ts';
import { cpuMsSince } from './cpu-time.ts';
import { median, percentile } from './percentile.ts';

const PROC = '/proc';
/** As start-server builds it by default: --interval 1000 × --cpu-budget 3 %. */
export const INTERVAL_MS = 1000;
export const DEFAULT_CPU_BUDGET = 3;

export interface ScannerMeasurement {
  processes: number;
  /** VmRSS before the first scan and VmHWM (the kernel's peak) at the end, MiB. */
  baseRssMiB: number;
  peakRssMiB: number;
  cold: { wallMs: number; cpuMs: number; counts: TickCounts };
  /** Ticks until nothing the cold scan deferred was left, each within the budget. */
  catchUp: { ticks: number; maxTickWallMs: number; cpuMs: number };
  /** Settled ticks, 200 ms apart: medians, and the last tick's reads by reason. */
  steady: { wallMs: number; cpuMs: number; p90WallMs: number; counts: TickCounts };
  /** The scanner as the server runs it, idle: its own CPU per second of wall time, and the whole process's. */
  idle: { seconds: number; scannerCpuPercent: number; processCpuPercent: number; fullTicks: number; birthTicks: number };
  births: { latenciesMs: number[]; missed: number };
  agreement: { compared: number; differing: number; examples: string[] };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function rssMiB(field: 'VmRSS' | 'VmHWM'): number {
  const kib = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kib) / 1024;
}

/** One call, timed in wall and CPU time. */
function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  return { value, wallMs: performance.now() - t0, cpuMs: cpuMsSince(cpu0) };
}

function coldScan(scanner: ProcScanner): ScannerMeasurement['cold'] & { processes: number } {
  const { value, wallMs, cpuMs } = timed(() => scanner.scan());
  return { wallMs, cpuMs, counts: scanner.lastTick, processes: value.length };
}

async function catchUp(scanner: ProcScanner): Promise<ScannerMeasurement['catchUp']> {
  let ticks = 0;
  let maxTickWallMs = 0;
  let cpuMs = 0;
  // 100 ms apart to keep the bench short: the budget is per tick, so the count is what matters.
  while (scanner.lastTick.deferred > 0 && ticks < 1000) {
    await sleep(100);
    const tick = timed(() => scanner.scan());
    maxTickWallMs = Math.max(maxTickWallMs, tick.wallMs);
    cpuMs += tick.cpuMs;
    ticks++;
  }
  return { ticks, maxTickWallMs, cpuMs };
}

async function steadyTicks(scanner: ProcScanner): Promise<ScannerMeasurement['steady']> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 20; i++) {
    await sleep(200);
    const tick = timed(() => scanner.scan());
    wall.push(tick.wallMs);
    cpu.push(tick.cpuMs);
  }
  return { wallMs: median(wall), cpuMs: median(cpu), p90WallMs: percentile(wall, 90), counts: scanner.lastTick };
}

/** Wraps the scanner's two ticks to add up their own CPU time, whatever calls them. */
function meterScanner(scanner: ProcScanner): { cpuMs: () => number; full: () => number; births: () => number } {
  let cpuMs = 0;
  let full = 0;
  let births = 0;
  const scan = scanner.scan.bind(scanner);
  const scanBirths = scanner.scanBirths.bind(scanner);
  scanner.scan = () => {
    const tick = timed(scan);
    cpuMs += tick.cpuMs;
    full++;
    return tick.value;
  };
  scanner.scanBirths = () => {
    const tick = timed(scanBirths);
    cpuMs += tick.cpuMs;
    births++;
    return tick.value;
  };
  return { cpuMs: () => cpuMs, full: () => full, births: () => births };
}

async function runAsServer(
  scanner: ProcScanner,
  seconds: number,
  births: number,
): Promise<{ idle: ScannerMeasurement['idle']; births: ScannerMeasurement['births'] }> {
  const constants = readHostConstants(PROC);
  const host = { hostname: 'bench', kernel: 'bench', cpus: 1, bootTime: constants.bootTime };
  const monitor = new ProcessMonitor(scanner, [], PROC, host, INTERVAL_MS, createLogger('error'));
  const meter = meterScanner(scanner);
  monitor.start();
  try {
    // Idle: nothing is born in this pid namespace but what the scanner itself does.
    const cpu0 = process.cpuUsage();
    const scanner0 = meter.cpuMs();
    const [full0, birth0] = [meter.full(), meter.births()];
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const wall = performance.now() - t0;
    const idle = {
      seconds: wall / 1000,
      scannerCpuPercent: ((meter.cpuMs() - scanner0) / wall) * 100,
      processCpuPercent: (cpuMsSince(cpu0) / wall) * 100,
      fullTicks: meter.full() - full0,
      birthTicks: meter.births() - birth0,
    };
    return { idle, births: await timeBirths(monitor, births) };
  } finally {
    monitor.stop();
  }
}

/** Marked `sleep 600.NNN` born at random moments; spawn() to the first snapshot with its argv. */
async function timeBirths(monitor: ProcessMonitor, count: number): Promise<ScannerMeasurement['births']> {
  const pending = new Map<number, { marker: string; bornAt: number }>();
  const latenciesMs: number[] = [];
  const children: ChildProcess[] = [];
  const unsubscribe = monitor.subscribe((next) => {
    const at = performance.now();
    for (const p of next.processes) {
      const birth = pending.get(p.pid);
      if (birth && p.argv[1] === birth.marker) {
        latenciesMs.push(at - birth.bornAt);
        pending.delete(p.pid);
      }
    }
  });
  try {
    for (let i = 0; i < count; i++) {
      await sleep(200 + Math.random() * 600);
      const marker = `600.${String(i + 1).padStart(3, '0')}`;
      const bornAt = performance.now();
      const child = spawn('sleep', [marker], { stdio: 'ignore' });
      children.push(child);
      if (child.pid !== undefined) pending.set(child.pid, { marker, bornAt });
    }
    const deadline = performance.now() + 5000;
    while (pending.size > 0 && performance.now() < deadline) await sleep(50);
  } finally {
    unsubscribe();
    // Killed and reaped: left unreaped, they would stay as zombies under the bench's pid 1.
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve()
          : new Promise<void>((resolve) => child.once('exit', () => resolve()).kill('SIGKILL')),
      ),
    );
  }
  return { latenciesMs, missed: pending.size };
}

/** Every row of a tick against a whole read of its pid (readOne): what the budget and the crowd left stale. */
function checkAgreement(scanner: ProcScanner): ScannerMeasurement['agreement'] {
  const fields = ['ppid', 'name', 'argv', 'uid', 'nspid', 'containerId', 'role', 'shimOf', 'kernelThread', 'newNamespaces', 'startTime'] as const;
  let compared = 0;
  let differing = 0;
  const examples: string[] = [];
  for (const ours of scanner.scan()) {
    const whole = scanner.readOne(ours.pid);
    // A process that died since (a zombie now) may keep its last row until its next read.
    if (!whole || whole.startTime !== ours.startTime || whole.state === 'Z') continue;
    compared++;
    const diff = fields.filter((f) => JSON.stringify(ours[f]) !== JSON.stringify(whole[f]));
    if (diff.length === 0) continue;
    differing++;
    if (examples.length < 5)
      examples.push(`${ours.pid} ${ours.name}: ${diff.map((f) => `${f} ${JSON.stringify(ours[f])} vs ${JSON.stringify(whole[f])}`).join(', ')}`);
  }
  return { compared, differing, examples };
}

export async function measureScanner(births: number, idleSeconds: number): Promise<ScannerMeasurement> {
  const baseRssMiB = rssMiB('VmRSS');
  const constants = readHostConstants(PROC);
  const scanner = new ProcScanner(PROC, constants, { refreshBudgetMs: (INTERVAL_MS * DEFAULT_CPU_BUDGET) / 100 });
  const { processes, ...cold } = coldScan(scanner);
  const caughtUp = await catchUp(scanner);
  const steady = await steadyTicks(scanner);
  const server = await runAsServer(scanner, idleSeconds, births);
  const peakRssMiB = rssMiB('VmHWM');
  return { processes, baseRssMiB, peakRssMiB, cold, catchUp: caughtUp, steady, ...server, agreement: checkAgreement(scanner) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const births = Number(process.argv[2] ?? 20);
  const idleSeconds = Number(process.argv[3] ?? 10);
  process.stdout.write(`${JSON.stringify(await measureScanner(births, idleSeconds))}\n`);
  process.exit(0);
}
