/**
 * bench:record: what recording, rewinding and replaying cost.
 *
 *   npm run bench:record [-- --seconds 90] [-- --skip-live]
 *
 * 1. Recording an idle 1,000-process host (root: re-runs itself as pid 1 of a private PID
 *    namespace, so /proc holds only its processes). 1,000 sleepers with varied command lines; the
 *    real scanner and monitor tick at 1 s; the real recorder writes gzip. Twice: quiet, then with
 *    a short-lived process every 2 s (what a host's cron jobs and health checks do). Recording CPU = the recorder's own callback
 *    (process.cpuUsage around it, the diff included) + the gzip work (the written bytes compressed
 *    again at the same level, timed). Reference: `ps -e -o pid,ppid,stat,comm` at the same size,
 *    in the same run.
 * 1b. Size: a whole hour of an idle 1,000-process host written by the real recorder with a clock
 *    of its own, from synthetic rows as varied as a real host's (sleepers with one command line
 *    compress far better than a real host and would flatter the figure), quiet and with a
 *    short-lived process every 2 s.
 * 2. A one-hour recording of a 5,000-process host, made by the real recorder from synthetic
 *    snapshots (3 births, 3 exits and 40 CPU changes a second, a container start or stop every
 *    5 minutes), read back by `readRecording`, then 200 random seeks and the worst ones (just
 *    before a keyframe): `History.at`, the diff from the moment shown before, and the JSON of the
 *    snapshot, as `/api/snapshot?at=` and a seek on the stream do.
 * 3. Rewind memory: 15 minutes of the same 5,000-process ticks in a live `History` (heap after
 *    gc, minus the heap before it), beside what 900 whole snapshots would take.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { History, diffSnapshots } from '@proclens/shared';
import type { Snapshot } from '@proclens/shared';
import { createLogger } from '../server/src/logger.ts';
import { ProcScanner } from '../server/src/proc-scanner.ts';
import { ProcessMonitor } from '../server/src/process-monitor.ts';
import { readHostConstants } from '../server/src/read-host-constants.ts';
import { readRecording } from '../server/src/read-recording.ts';
import { GZIP_LEVEL, startRecording } from '../server/src/recording-writer.ts';
import type { SnapshotFeed } from '../server/src/snapshot-feed.ts';
import { figure, formatVerdict, writeBenchResults } from './bench/bench-results.ts';
import type { BenchFigure } from './bench/bench-results.ts';
import { cpuMsSince } from './bench/cpu-time.ts';
import { describeRevision } from './bench/describe-revision.ts';
import { percentile } from './bench/percentile.ts';
import { timePs } from './bench/time-ps.ts';
import { describeCpu, killGroup, runCleanups, sampleCpu, spawnGroup } from './spawn-sleepers.ts';
import { buildSyntheticHost } from './synthetic-host.ts';
import type { SyntheticHost } from './synthetic-host.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 120);
const SKIP_LIVE = process.argv.includes('--skip-live');
const IN_NAMESPACE = process.env.BENCH_RECORD_NAMESPACE === '1';
const log = (text: string): void => void process.stderr.write(`bench:record: ${text}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-record-'));

// ---------------------------------------------------------------------------------------------
// 1. Recording an idle 1,000-process host.

interface LiveRun {
  recorderPct: number;
  wholePct: number;
  lines: number;
  keyframes: number;
  fileBytes: number;
}

/** Command lines for the sleepers, so that rows differ as a real host's do (gzip loves 1,000 identical `sleep 600`s). */
const COMMANDS = [
  '/usr/bin/python3 -m gunicorn --workers 4 app.wsgi:application --bind 0.0.0.0:8000',
  'nginx: worker process',
  'node /srv/app/dist/server.js --port 3000',
  'postgres: 15/main: app app 10.0.0.12(53422) idle',
  '/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Xmx2g -jar /opt/service/service.jar',
  '/bin/bash /usr/local/bin/worker-loop.sh --queue default',
  '/usr/sbin/sshd -D',
  '/lib/systemd/systemd-journald',
];

/** `n` sleeping processes with varied command lines (`exec -a`), in a process group killed on exit. */
async function spawnVariedSleepers(n: number): Promise<void> {
  const list = COMMANDS.map((c) => `'${c}'`).join(' ');
  const script = `cmds=(${list}); for i in $(seq 1 ${n}); do (exec -a "\${cmds[$((i % ${COMMANDS.length}))]} --id $i" sleep 3600) & done; wait`;
  spawnGroup('bash', ['-c', script]);
  const count = (): number => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
  const until = Date.now() + 120_000;
  while (count() < n) {
    if (Date.now() > until) throw new Error(`only ${count()} of ${n} processes started`);
    await sleep(200);
  }
}

async function recordIdleHost(label: string, heartbeat: boolean): Promise<LiveRun> {
  const constants = readHostConstants('/proc');
  const host = { hostname: os.hostname(), kernel: os.release(), cpus: os.cpus().length, bootTime: constants.bootTime };
  const scanner = new ProcScanner('/proc', constants, { refreshBudgetMs: 30 });
  const monitor = new ProcessMonitor(scanner, [], '/proc', host, 1000, createLogger('error'));
  let recorderMs = 0;
  // The recorder's callback, timed: everything it does on a tick (the diff included) is its cost.
  const timed: SnapshotFeed = {
    current: () => monitor.current(),
    subscribe: (fn) =>
      monitor.subscribe((next, previous) => {
        const c0 = process.cpuUsage();
        fn(next, previous);
        recorderMs += cpuMsSince(c0);
      }),
  };
  const file = path.join(tmp, `${label}.jsonl.gz`);
  monitor.start();
  // A short-lived process every 2 s: what cron jobs and health checks do to an idle host.
  const beat = heartbeat ? spawnGroup('bash', ['-c', 'while :; do /bin/true; sleep 2; done']) : null;
  const recording = startRecording({ file, feed: timed, header: { recorder: 'bench', host, intervalMs: 1000 }, log: createLogger('error') });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const wholeMs = cpuMsSince(c0);
  const wallMs = performance.now() - t0;
  if (beat) killGroup(beat.pgid);
  monitor.stop();
  await recording.stop();
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  const text = lines.join('\n');
  // The gzip stream's work, measured again on the same bytes at the same level.
  const g0 = process.cpuUsage();
  gzipSync(text, { level: GZIP_LEVEL });
  recorderMs += cpuMsSince(g0);
  return {
    recorderPct: (recorderMs / wallMs) * 100,
    wholePct: (wholeMs / wallMs) * 100,
    lines: lines.length - 1,
    keyframes: lines.filter((l) => l.startsWith('{"kind":"snapshot"')).length,
    fileBytes: statSync(file).size,
  };
}

async function benchLive(): Promise<BenchFigure[]> {
  log('starting 1,000 sleeping processes with varied command lines…');
  await spawnVariedSleepers(1000);
  await sleep(3000);
  const ps = timePs();
  log(`ps: ${ps.wallMs.toFixed(1)} ms wall, ${ps.cpuMs.toFixed(1)} ms CPU`);
  const figures: BenchFigure[] = [];
  for (const [label, heartbeat, what] of [
    ['quiet', false, 'idle 1,000 processes'],
    ['heartbeat', true, '1,000 processes and a short-lived one every 2 s'],
  ] as const) {
    const cpu0 = sampleCpu();
    log(`recording ${what} for ${SECONDS} s…`);
    const run = await recordIdleHost(label, heartbeat);
    const load = describeCpu(cpu0, sampleCpu()).text;
    log(
      `${label}: recorder ${run.recorderPct.toFixed(3)} % of a core (this whole process ${run.wholePct.toFixed(2)} %); ` +
        `${run.lines} lines, ${run.keyframes} snapshots, ${(run.fileBytes / 1024).toFixed(0)} KiB in ${SECONDS} s; ${load}`,
    );
    const perTickMs = (run.recorderPct / 100) * 1000;
    figures.push(
      figure({
        id: `record-cpu-${label}`,
        figure: `recording CPU, ${what}`,
        value: run.recorderPct,
        unit: '% of a core',
        measured: `${run.recorderPct.toFixed(2)} % of a core (${(perTickMs / ps.cpuMs).toFixed(2)}× a ps run per second; scanner and recorder together ${run.wholePct.toFixed(1)} %)`,
        target: { max: 1, text: '≤ 1 % of a core' },
      }),
    );
  }
  runCleanups();
  return figures;
}

// ---------------------------------------------------------------------------------------------
// 2. Seeking in a one-hour 5,000-process recording.

/** Writes `seconds` of a synthetic host with the real recorder and a clock of its own; returns the file's size. */
async function writeSyntheticRecording(file: string, synthetic: SyntheticHost, seconds: number): Promise<{ bytes: number; lines: number; snapshots: number }> {
  let current = synthetic.snapshot;
  const subscribers = new Set<(next: Snapshot, previous: Snapshot) => void>();
  const feed: SnapshotFeed = { current: () => current, subscribe: (fn) => (subscribers.add(fn), () => subscribers.delete(fn)) };
  let clock = current.takenAt;
  const recording = startRecording({
    file,
    feed,
    header: { recorder: 'bench', host: synthetic.host, intervalMs: 1000 },
    log: createLogger('error'),
    now: () => clock,
  });
  for (let second = 1; second <= seconds; second++) {
    const previous = current;
    current = synthetic.tick();
    clock = current.takenAt;
    for (const fn of subscribers) fn(current, previous);
    // Let gzip keep up, as a live server's second between ticks does.
    while (recording.backlog > 4 << 20) await sleep(5);
  }
  await recording.stop();
  return { bytes: statSync(file).size, lines: recording.lines, snapshots: recording.snapshots };
}

async function benchSize(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const [label, births, what] of [
    ['quiet', 0, 'idle 1,000 processes'],
    ['heartbeat', 0.5, '1,000 processes and a short-lived one every 2 s'],
  ] as const) {
    const file = path.join(tmp, `hour-1000-${label}.jsonl.gz`);
    const written = await writeSyntheticRecording(file, buildSyntheticHost(1000, 1_800_000_000_000, { births, cpuChanges: 0, containerEvery: 0 }), 3600);
    log(`an hour of ${what} (synthetic rows, real recorder): ${(written.bytes / 1024).toFixed(0)} KiB, ${written.lines} lines, ${written.snapshots} snapshots`);
    figures.push(
      figure({
        id: `record-size-${label}`,
        figure: `recording size, ${what}`,
        value: written.bytes / 1e6,
        unit: 'MB per hour',
        measured: `${(written.bytes / 1e6).toFixed(2)} MB per hour (gzip; ${written.snapshots} ${written.snapshots === 1 ? 'snapshot' : 'snapshots'}, a whole hour written by the recorder from rows as varied as a real host's)`,
        target: { max: 5, text: '≤ 5 MB per hour' },
      }),
    );
  }
  return figures;
}

async function benchSeek(): Promise<BenchFigure[]> {
  const file = path.join(tmp, 'hour-5000.jsonl.gz');
  log('writing a one-hour recording of 5,000 processes with the real recorder…');
  const w0 = performance.now();
  const written = await writeSyntheticRecording(file, buildSyntheticHost(5000, 1_800_000_000_000), 3600);
  const size = written.bytes;
  log(`written in ${((performance.now() - w0) / 1000).toFixed(1)} s: ${mib(size)} gzip, ${written.lines} lines, ${written.snapshots} snapshots`);

  const l0 = performance.now();
  const lc0 = process.cpuUsage();
  const { history } = await readRecording(file);
  const loadMs = performance.now() - l0;
  const loadCpuMs = cpuMsSince(lc0);
  log(`read back in ${(loadMs / 1000).toFixed(1)} s (${(loadCpuMs / 1000).toFixed(1)} s of CPU)`);

  const start = history.start as number;
  const end = history.end as number;
  let shown = history.at(start) as Snapshot;
  const cpu: number[] = [];
  const seekMs = (at: number): number => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const next = history.at(at) as Snapshot;
    diffSnapshots(shown, next);
    JSON.stringify(next);
    shown = next;
    cpu.push(cpuMsSince(c0));
    return performance.now() - t0;
  };
  const seekLoad = sampleCpu();
  const random = Array.from({ length: 200 }, () => seekMs(start + Math.random() * (end - start)));
  // Worst case: the last moment before a keyframe, with a keyframe interval of diffs to apply.
  const worst = Array.from({ length: 20 }, (_, i) => seekMs(start + (i * 6 + 1) * 30_000 - 1_000 + (Math.random() - 0.5) * 200));
  const load = describeCpu(seekLoad, sampleCpu()).text;
  const all = [...random, ...worst];
  const p50 = percentile(random, 50);
  const p99 = percentile(all, 99);
  log(
    `seek: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, before a keyframe ${percentile(worst, 50).toFixed(1)} ms, max ${Math.max(...all).toFixed(1)} ms; CPU p50 ${percentile(cpu, 50).toFixed(1)} ms, max ${Math.max(...cpu).toFixed(1)} ms; ${load}`,
  );
  return [
    figure({
      id: 'seek-hour-5000',
      figure: 'seek anywhere in one hour of 5,000 processes',
      // Judged on the server's own work (CPU time): on this shared machine the wall time is mostly
      // waiting for a core, and says how busy the neighbours were.
      value: Math.max(...cpu),
      unit: 'ms of CPU',
      measured: `max ${Math.max(...cpu).toFixed(0)} ms, p50 ${percentile(cpu, 50).toFixed(0)} ms of CPU (wall p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms while ${load}): the state at that moment, the diff from the one shown before, its JSON`,
      target: { max: 200, text: '≤ 200 ms server-side' },
    }),
    figure({
      id: 'replay-load-hour-5000',
      figure: 'reading that recording at start',
      value: loadMs / 1000,
      unit: 's',
      measured: `${(loadMs / 1000).toFixed(1)} s wall, ${(loadCpuMs / 1000).toFixed(1)} s CPU for ${mib(size)} of gzip, every line checked`,
      target: null,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// 3. Rewind memory at 5,000 processes.

function benchRewind(): BenchFigure[] {
  const synthetic = buildSyntheticHost(5000, 1_800_000_000_000);
  let current = synthetic.snapshot;
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const history = new History();
  history.record(current, null);
  for (let second = 1; second <= 15 * 60; second++) {
    const previous = current;
    current = synthetic.tick();
    history.record(current, diffSnapshots(previous, current));
    history.prune(current.takenAt - 15 * 60_000);
  }
  global.gc?.();
  // The snapshot of now is the monitor's anyway: what rewinding adds is the rest.
  const held = process.memoryUsage().heapUsed - heap0;
  const oneSnapshot = JSON.stringify(current).length;
  log(`rewind: 15 minutes of 5,000 processes hold ${mib(held)} of heap (${history.size} moments, ${history.keyframeCount} keyframes)`);
  return [
    figure({
      id: 'rewind-memory-5000',
      figure: 'rewind memory, 15 minutes of 5,000 processes',
      value: held / 1024 / 1024,
      unit: 'MiB',
      measured: `${mib(held)} of heap (one snapshot is ${mib(oneSnapshot)} of JSON; 900 whole snapshots would be ~${mib(oneSnapshot * 900)})`,
      target: null,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!global.gc) throw new Error('run with node --expose-gc (npm run bench:record does)');
  const started = new Date();
  const figures: BenchFigure[] = [];
  const cpu0 = sampleCpu();
  if (IN_NAMESPACE) figures.push(...(await benchLive()));
  else log('recording a live host: skipped (needs root, to run in a private PID namespace)');
  figures.push(...(await benchSize()));
  figures.push(...(await benchSeek()));
  figures.push(...benchRewind());
  for (const f of figures) process.stdout.write(`${formatVerdict(f)}\n`);
  const results = {
    bench: 'record',
    command: 'npm run bench:record',
    takenAt: started.toISOString(),
    revision: describeRevision(ROOT, ['server', 'shared', 'scripts']),
    host: `${os.cpus().length} cores; ${describeCpu(cpu0, sampleCpu()).text}`,
    note: IN_NAMESPACE ? '' : 'The live-host figures need root (a private PID namespace) and were not measured in this run.',
    figures,
  };
  log(`wrote ${await writeBenchResults(ROOT, results)}`);
}

async function runIsolated(): Promise<number> {
  const child = spawn(
    'unshare',
    [
      '--pid',
      '--fork',
      '--mount-proc',
      '--kill-child',
      process.execPath,
      '--expose-gc',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', env: { ...process.env, BENCH_RECORD_NAMESPACE: '1' } },
  );
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function run(): Promise<void> {
  try {
    await main();
  } catch (err) {
    process.stderr.write(`bench:record failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    runCleanups();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const canIsolate = !IN_NAMESPACE && !SKIP_LIVE && process.getuid?.() === 0;
if (canIsolate) process.exitCode = await runIsolated();
else await run();
