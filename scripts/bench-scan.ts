/**
 * bench:scan: how the /proc scanner (server/src/proc-scanner.ts, as start-server builds it)
 * scales with the number of processes, against `ps -e -o pid,ppid,stat,comm` in the same run.
 *
 *   npm run bench:scan [-- --sizes 5000,10000,20000 --runs 3 --births 20 --idle 10]
 *
 * The npm script runs it as pid 1 of a private pid namespace (`unshare --pid --fork --mount-proc
 * --kill-child`, root), so that /proc, the scanner and ps see the bench's processes only and N
 * means N; run directly (`node --import tsx scripts/bench-scan.ts`) it says it shares the host.
 *
 * For each size N: N real `sleep` processes (scripts/spawn-sleepers.ts), left to age past the
 * scanner's 3 s "young" window; `ps` timed five times before and five times after; then `--runs`
 * fresh measuring processes (scripts/bench/measure-scanner.ts), each: the first scan, the ticks
 * that complete it, 20 settled ticks, the scanner run as the server runs it (idle, then with marked
 * births), and every row checked against a whole read of its pid. Figures are the median of the
 * runs, with their range. Written to docs/bench/scan.json and the README's table.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, formatVerdict, writeBenchResults } from './bench/bench-results.ts';
import type { BenchFigure } from './bench/bench-results.ts';
import { describeRevision } from './bench/describe-revision.ts';
import type { ScannerMeasurement } from './bench/measure-scanner.ts';
import { DEFAULT_CPU_BUDGET, INTERVAL_MS } from './bench/measure-scanner.ts';
import { median } from './bench/percentile.ts';
import { readStartNodeFlags } from './bench/start-command.ts';
import { PS_COMMAND, timePs } from './bench/time-ps.ts';
import type { PsTiming } from './bench/time-ps.ts';
import { REPO_ROOT, updateReadme } from './bench/update-readme.ts';
import { describeCpu, onCleanup, runCleanups, sampleCpu, spawnSleepers } from './spawn-sleepers.ts';
import type { Sleepers } from './spawn-sleepers.ts';

const MEASURER = fileURLToPath(new URL('./bench/measure-scanner.ts', import.meta.url));
/** Sleepers must be older than the scanner's young window (3 s) to count as settled. */
const AGE_MS = 4000;
const TARGETS = { steadyPs: 0.05, coldPs: 0.5, cpuPercent: 2, rssMiB: 120 };

interface Options {
  sizes: number[];
  runs: number;
  births: number;
  idleSeconds: number;
}

interface SizeResult {
  n: number;
  ps: PsTiming;
  runs: ScannerMeasurement[];
  load: string;
  machine: string;
}

const log = (line = ''): void => void process.stdout.write(`${line}\n`);
const fmt = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
  };
  const sizes = value('sizes', '5000,10000,20000')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
  const options = { sizes, runs: Number(value('runs', '3')), births: Number(value('births', '20')), idleSeconds: Number(value('idle', '10')) };
  if (sizes.length === 0 || !(options.runs >= 1) || !(options.births >= 1) || !(options.idleSeconds >= 1))
    throw new Error('usage: --sizes N,N… --runs R --births B --idle S');
  return options;
}

function describeSetting(options: Options): string {
  const isolated = process.pid === 1;
  log('# bench:scan');
  log();
  log(
    `${os.hostname()}: Linux ${os.release()}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; ${describeRevision(REPO_ROOT, ['server', 'shared', 'scripts'])}`,
  );
  log(
    isolated
      ? 'pid namespace: a private one (this bench is its pid 1): /proc and ps see only its processes'
      : 'pid namespace: the host’s (run `npm run bench:scan` for a private one): /proc holds every process on the host, so pids > N',
  );
  log(
    `scanner: as start-server builds it, --interval ${INTERVAL_MS} × --cpu-budget ${DEFAULT_CPU_BUDGET} % = ${(INTERVAL_MS * DEFAULT_CPU_BUDGET) / 100} ms of CPU a tick; ` +
      `measured in node ${readStartNodeFlags(REPO_ROOT).join(' ')}, as \`npm start\` runs it`,
  );
  log(
    `sizes ${options.sizes.join(', ')}; ${options.runs} fresh measuring processes per size; ${options.births} births; ${options.idleSeconds} s idle as the server runs it`,
  );
  return isolated ? 'private pid namespace' : 'host pid namespace';
}

/** Grows the sleepers to `n` in all, and lets the newest age past the young window. */
async function growSleepers(groups: Sleepers[], have: number, n: number): Promise<number> {
  if (n > have) {
    const t0 = performance.now();
    groups.push(await spawnSleepers(n - have, { seconds: 3600 }));
    log(`  ${n - have} more sleeping processes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(AGE_MS);
  }
  return Math.max(have, n);
}

function runMeasurer(options: Options): Promise<ScannerMeasurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...readStartNodeFlags(REPO_ROOT), '--import', 'tsx', MEASURER, String(options.births), String(options.idleSeconds)],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const stop = onCleanup(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => (out += chunk));
    child.once('exit', (code) => {
      stop();
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`the measuring process exited with ${code}: ${out}`));
      try {
        resolve(JSON.parse(line) as ScannerMeasurement);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

async function measureSize(n: number, options: Options): Promise<SizeResult> {
  const before = timePs(5);
  const cpu0 = sampleCpu();
  const runs: ScannerMeasurement[] = [];
  for (let r = 0; r < options.runs; r++) {
    const m = await runMeasurer(options);
    log(
      `  run ${r + 1}: ${m.processes} processes; cold ${fmt(m.cold.wallMs)} ms (CPU ${fmt(m.cold.cpuMs)}), complete after ${m.catchUp.ticks} ticks; ` +
        `settled tick ${fmt(m.steady.wallMs, 1)} ms (CPU ${fmt(m.steady.cpuMs, 1)}); as a server ${fmt(m.idle.scannerCpuPercent, 2)} % of a core; ` +
        `peak RSS ${fmt(m.peakRssMiB)} MiB; births p50 ${fmt(median(m.births.latenciesMs))} ms`,
    );
    runs.push(m);
  }
  const after = timePs(5);
  const wallRunsMs = [...before.wallRunsMs, ...after.wallRunsMs];
  const cpuRunsMs = [...before.cpuRunsMs, ...after.cpuRunsMs];
  const ps = { wallMs: median(wallRunsMs), cpuMs: median(cpuRunsMs.filter(Number.isFinite)), wallRunsMs, cpuRunsMs };
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const machine = describeCpu(cpu0, sampleCpu()).text;
  log(`  ${PS_COMMAND}: ${fmt(ps.wallMs, 1)} ms wall, ${fmt(ps.cpuMs)} ms CPU (medians of 10, before and after); load ${load}; ${machine}`);
  return { n, ps, runs, load, machine };
}

/** Median over the runs of `pick`, and the range as text. */
function acrossRuns(result: SizeResult, pick: (m: ScannerMeasurement) => number, digits: number): { value: number; range: string } {
  const values = result.runs.map(pick);
  const value = median(values);
  const range = values.length > 1 ? ` (${values.length} runs: ${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})` : '';
  return { value, range };
}

function buildFigures(results: SizeResult[]): BenchFigure[] {
  const figures: BenchFigure[] = [];
  const at = (n: number) => results.find((r) => r.n === n);
  const r5 = at(5000);
  if (r5) {
    const steady = acrossRuns(r5, (m) => m.steady.wallMs / r5.ps.wallMs, 3);
    const steadyCpu = acrossRuns(r5, (m) => m.steady.cpuMs / r5.ps.cpuMs, 3);
    const steadyMs = median(r5.runs.map((m) => m.steady.wallMs));
    figures.push(
      figure({
        id: 'steady-tick-5000',
        figure: 'settled tick at 5,000',
        value: steady.value,
        unit: '× ps',
        measured: `${fmt(steadyMs, 1)} ms, ${fmt(steady.value, 3)}× \`ps\` (${fmt(r5.ps.wallMs)} ms)${steady.range}`,
        target: { max: TARGETS.steadyPs, text: `≤ ${TARGETS.steadyPs}× \`ps\`` },
      }),
      figure({
        id: 'steady-tick-cpu-5000',
        figure: 'settled tick at 5,000, CPU time',
        value: steadyCpu.value,
        unit: '× ps',
        measured: `${fmt(median(r5.runs.map((m) => m.steady.cpuMs)), 1)} ms, ${fmt(steadyCpu.value, 3)}× \`ps\` (${fmt(r5.ps.cpuMs)} ms)${steadyCpu.range}`,
        target: { max: TARGETS.steadyPs, text: `≤ ${TARGETS.steadyPs}× \`ps\`` },
      }),
    );
    const cpu = acrossRuns(r5, (m) => m.idle.scannerCpuPercent, 2);
    figures.push(
      figure({
        id: 'scanner-cpu-5000',
        figure: 'scanner CPU at 5,000, run as the server runs it',
        value: cpu.value,
        unit: '% of a core',
        measured: `${fmt(cpu.value, 2)} % of a core${cpu.range}; the whole idle process ${fmt(median(r5.runs.map((m) => m.idle.processCpuPercent)), 2)} %`,
        target: { max: TARGETS.cpuPercent, text: `≤ ${TARGETS.cpuPercent} %` },
      }),
    );
    const cold = acrossRuns(r5, (m) => m.cold.wallMs / r5.ps.wallMs, 2);
    const coldCpu = acrossRuns(r5, (m) => m.cold.cpuMs / r5.ps.cpuMs, 2);
    figures.push(
      figure({
        id: 'cold-scan-5000',
        figure: 'first scan at 5,000 (a fresh process)',
        value: cold.value,
        unit: '× ps',
        measured: `${fmt(median(r5.runs.map((m) => m.cold.wallMs)))} ms, ${fmt(cold.value, 2)}× \`ps\`${cold.range}`,
        target: { max: TARGETS.coldPs, text: `≤ ${TARGETS.coldPs}× \`ps\`` },
      }),
      figure({
        id: 'cold-scan-cpu-5000',
        figure: 'first scan at 5,000, CPU time',
        value: coldCpu.value,
        unit: '× ps',
        measured: `${fmt(median(r5.runs.map((m) => m.cold.cpuMs)))} ms, ${fmt(coldCpu.value, 2)}× \`ps\` (${fmt(r5.ps.cpuMs)} ms)${coldCpu.range}`,
        target: { max: TARGETS.coldPs, text: `≤ ${TARGETS.coldPs}× \`ps\`` },
      }),
    );
    const last = r5.runs[r5.runs.length - 1] as ScannerMeasurement;
    const c = last.steady.counts;
    const musts = c.births + c.young + c.orphans + c.reuseChecks;
    // A settled tick: ns_last_pid before and after the listing, and one stat per refreshed process.
    const extra = c.reads - 2 - c.refreshed - 11 * musts;
    figures.push(
      figure({
        id: 'settled-reads-5000',
        figure: 'what a settled tick reads at 5,000',
        value: Math.max(0, extra) + Math.max(0, c.refreshed - c.share),
        unit: 'reads beyond births, young, orphans and the share',
        measured: `${c.reads} files: ${c.refreshed} \`stat\` (the share: ${c.share} of ${c.listed}), 2 × \`ns_last_pid\`; births ${c.births}, young ${c.young}, orphans ${c.orphans}, possibly reused ${c.reuseChecks}`,
        target: { max: 0, text: 'nothing else' },
      }),
      figure({
        id: 'catch-up-5000',
        figure: 'first scan completed at 5,000 (argv, uid, container, namespaces)',
        value: median(r5.runs.map((m) => m.catchUp.ticks)),
        unit: 'ticks',
        measured: `after ${fmt(median(r5.runs.map((m) => m.catchUp.ticks)))} ticks (s at the 1 s interval), each within the budget`,
        target: null,
      }),
    );
    const births = r5.runs.flatMap((m) => m.births.latenciesMs);
    figures.push(
      figure({
        id: 'birth-to-model-5000',
        figure: 'birth → snapshot at 5,000',
        value: Math.max(...births),
        unit: 'ms',
        measured: `p50 ${fmt(median(births))} ms, max ${fmt(Math.max(...births))} ms of ${births.length} births (${r5.runs.reduce((s, m) => s + m.births.missed, 0)} missed)`,
        target: null,
      }),
    );
  }
  const r10 = at(10000);
  if (r10) {
    const rss = acrossRuns(r10, (m) => m.peakRssMiB, 0);
    figures.push(
      figure({
        id: 'peak-rss-10000',
        figure: 'peak RSS at 10,000',
        value: rss.value,
        unit: 'MiB',
        measured: `${fmt(rss.value)} MiB${rss.range} (Node and tsx alone: ${fmt(median(r10.runs.map((m) => m.baseRssMiB)))} MiB)`,
        target: { max: TARGETS.rssMiB, text: `≤ ${TARGETS.rssMiB} MiB` },
      }),
    );
  }
  const r20 = at(20000);
  if (r20) {
    const m = (pick: (x: ScannerMeasurement) => number): number => median(r20.runs.map(pick));
    figures.push(
      figure({
        id: 'at-20000',
        figure: 'at 20,000',
        value: m((x) => x.steady.wallMs),
        unit: 'ms',
        measured:
          `first scan ${fmt(m((x) => x.cold.wallMs))} ms (${fmt(m((x) => x.cold.wallMs) / r20.ps.wallMs, 2)}× \`ps\`), settled tick ${fmt(
            m((x) => x.steady.wallMs),
            1,
          )} ms ` +
          `(${fmt(m((x) => x.steady.wallMs) / r20.ps.wallMs, 3)}× \`ps\`), ${fmt(
            m((x) => x.idle.scannerCpuPercent),
            2,
          )} % of a core, peak RSS ${fmt(m((x) => x.peakRssMiB))} MiB`,
        target: null,
      }),
    );
  }
  return figures;
}

function printTable(results: SizeResult[]): void {
  log();
  log('## Results (medians of the runs)');
  log();
  log(
    '| N | pids | ps ms | ps CPU ms | first scan ms | CPU ms | /ps | CPU /ps | complete after | settled tick ms | CPU ms | /ps | CPU /ps | scanner % of a core | peak RSS MiB (at start) | birth p50 / max ms | rows checked, differing |',
  );
  log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const m = (pick: (x: ScannerMeasurement) => number): number => median(r.runs.map(pick));
    const births = r.runs.flatMap((x) => x.births.latenciesMs);
    const a = r.runs[r.runs.length - 1]?.agreement;
    log(
      `| ${r.n} | ${m((x) => x.processes)} | ${fmt(r.ps.wallMs)} | ${fmt(r.ps.cpuMs)} | ${fmt(m((x) => x.cold.wallMs))} | ${fmt(m((x) => x.cold.cpuMs))} | ${fmt(m((x) => x.cold.wallMs) / r.ps.wallMs, 2)} | ` +
        `${fmt(m((x) => x.cold.cpuMs) / r.ps.cpuMs, 2)} | ${fmt(m((x) => x.catchUp.ticks))} ticks | ${fmt(
          m((x) => x.steady.wallMs),
          1,
        )} | ${fmt(
          m((x) => x.steady.cpuMs),
          1,
        )} | ` +
        `${fmt(m((x) => x.steady.wallMs) / r.ps.wallMs, 3)} | ${fmt(m((x) => x.steady.cpuMs) / r.ps.cpuMs, 3)} | ${fmt(
          m((x) => x.idle.scannerCpuPercent),
          2,
        )} | ` +
        `${fmt(m((x) => x.peakRssMiB))} (${fmt(m((x) => x.baseRssMiB))}) | ${fmt(median(births))} / ${fmt(Math.max(...births))} | ${a ? `${a.compared}, ${a.differing}` : 'n/a'} |`,
    );
  }
  for (const r of results) for (const e of r.runs.flatMap((x) => x.agreement.examples).slice(0, 5)) log(`- N = ${r.n}, differs from a whole read: ${e}`);
}

async function publish(results: SizeResult[], figures: BenchFigure[], namespace: string, startedAt: Date, revision: string): Promise<void> {
  const r5 = results.find((r) => r.n === 5000) ?? results[0];
  const file = await writeBenchResults(REPO_ROOT, {
    bench: 'scan',
    command: 'npm run bench:scan',
    takenAt: startedAt.toISOString(),
    revision,
    host: `${os.cpus().length} cores shared with other jobs, ${namespace}; at 5,000: load ${r5?.load ?? '?'}, ${r5?.machine ?? ''}`,
    note: 'Figures are medians of fresh measuring processes; CPU time is beside wall time because other jobs share the machine.',
    figures,
  });
  const readme = updateReadme();
  log();
  log(`wrote ${path.relative(REPO_ROOT, file)}${readme.changed ? ' and the README table' : ''}`);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  // Taken at the start: what the measuring processes load is the tree as it is now.
  const revision = describeRevision(REPO_ROOT, ['server', 'shared', 'scripts']);
  const options = parseOptions(process.argv.slice(2));
  const namespace = describeSetting(options);
  const groups: Sleepers[] = [];
  onCleanup(() => groups.forEach((g) => g.kill()));
  const results: SizeResult[] = [];
  let have = 0;
  for (const n of options.sizes) {
    log();
    log(`N = ${n}`);
    have = await growSleepers(groups, have, n);
    results.push(await measureSize(n, options));
  }
  for (const g of groups) g.kill();
  printTable(results);
  const figures = buildFigures(results);
  log();
  log('## Targets');
  log();
  for (const f of figures) log(`- ${formatVerdict(f)}`);
  await publish(results, figures, namespace, startedAt, revision);
}

main().then(
  () => {
    runCleanups();
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`bench:scan: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    runCleanups();
    process.exit(1);
  },
);
