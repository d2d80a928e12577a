/**
 * Load test for the live stream (`npm run bench:stream [-- --isolated]`).
 *
 * Starts 5,000 sleeping processes, runs the real server as users run it (bin/proclens.js, what
 * `npm start` runs once the web app is built, with the Node flags of `npm start`) as a child
 * process, so that its CPU and memory can be read from /proc/PID without the clients' share,
 * connects 50 WebSocket clients on loopback that send the token (`Authorization: Bearer`),
 * validate every frame and apply every diff, plus one client that never reads, and measures:
 * server CPU and RSS, bytes per client per second while idle and while 100 processes a second
 * are born and die, and the time from spawning a marked process until every client has it.
 *
 * Phases (about two minutes): start the sleepers and the server; connect the clients (each gets
 * a snapshot); wait until the server's first scan is complete (argv and uid of every process),
 * then settle 5 s; idle 30 s; churn 30 s (100 births and 100 deaths a second, plus 3
 * marked `sleep 1234.<pid><n>` processes a second for the latency); drain 3 s; stall 35 s (the
 * churn goes on and a raw TCP client does the WebSocket handshake, then never reads; the churn
 * phase is the control for the server's RSS); resync flood 6 s (a client that never reads sends
 * 100 `resync` requests).
 *
 * Everything it starts runs in its own process groups and is killed by group id at the end, on
 * error and on Ctrl-C. All traffic is on 127.0.0.1. Figures go to docs/bench/stream.json and the
 * README's table.
 *
 * Options: --sleepers N (5000) --clients N (50) --idle S (30) --churn S (30) --stall S (35) --rate N (100)
 *   --interval MS   pass --interval to the server (default: the server's own, 1000)
 *   --profile       run the server with --cpu-prof and print where its CPU went in idle + churn
 *   --isolated      run the whole bench in a fresh PID namespace (unshare --pid --mount-proc), so
 *                   the server sees only the bench's processes: on a shared machine other people's
 *                   processes otherwise show up in the "idle" figures. Needs root.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, formatVerdict, writeBenchResults } from './bench/bench-results.ts';
import type { BenchFigure } from './bench/bench-results.ts';
import { cpuPercentBetween, readProcessUsage } from './bench/cpu-time.ts';
import type { ProcessUsage } from './bench/cpu-time.ts';
import { describeRevision } from './bench/describe-revision.ts';
import { mean, median, percentile } from './bench/percentile.ts';
import { readConnection } from './bench/read-tcp-queues.ts';
import { readStartNodeFlags } from './bench/start-command.ts';
import { buildClientFrame, connectStalledClient, startProbe, StreamClient } from './bench/stream-client.ts';
import type { ClientSink, DiffRecord } from './bench/stream-client.ts';
import { summariseCpuProfile } from './bench/summarise-cpu-profile.ts';
import { REPO_ROOT, updateReadme } from './bench/update-readme.ts';
import { describeCpu, forksSinceBoot, killGroup, onCleanup, runCleanups, sampleCpu, spawnGroup, spawnSleepers } from './spawn-sleepers.ts';
import type { Sleepers } from './spawn-sleepers.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
  return value;
}

const flag = (name: string): boolean => process.argv.includes(`--${name}`);
const SLEEPERS = option('sleepers', 5000);
const INTERVAL = option('interval', 0);
const PROFILE = flag('profile');
const ISOLATED = flag('isolated');
const IN_NAMESPACE = process.env.BENCH_STREAM_NAMESPACE === '1';
const CLIENTS = option('clients', 50);
const IDLE_S = option('idle', 30);
const CHURN_S = option('churn', 30);
const CHURN_RATE = option('rate', 100);
/** Marked processes per second during the churn phase, for the latency figures. */
const MARKERS_PER_S = 3;
const SETTLE_S = 5;
const STALL_S = option('stall', 35);
/** Resync requests in one burst from a client that never reads: 23 bytes each on the wire. */
const FLOOD_RESYNCS = 100;
const MARKER_PREFIX = `1234.${process.pid}`;

const TARGET_P99_MS = 1000;
const TARGET_IDLE_BPS = 2048;
/** RSS "flat": the RSS floor late in the stall exceeds the floor of the control phase by less than this. */
const FLAT_RSS_KIB = 20 * 1024;

const now = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void => void process.stderr.write(`[${(now() / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (k: number): string => `${(k / 1024).toFixed(1)} MiB`;
const signed = (k: number): string => `${k >= 0 ? '+' : '−'}${mib(Math.abs(k))}`;
const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'never');

interface Sample extends ProcessUsage {
  phase: string;
}

interface Marker {
  spawnedAt: number;
  pgid: number;
  seen: Map<number, { frameAt: number; appliedAt: number }>;
}

/** Everything one run collects, filled in phase by phase. */
interface Run {
  startedAt: Date;
  revision: string;
  load0: number[];
  phase: string;
  samples: Sample[];
  markers: Map<string, Marker>;
  probeSeen: Map<string, number>;
  diffs: DiffRecord[];
}

interface RunningServer {
  pid: number;
  pgid: number;
  port: number;
  token: string;
  exited: Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The steps.

async function startLoad(): Promise<{ sleepers: Sleepers; sleepersMs: number }> {
  log(`spawning ${SLEEPERS} sleepers…`);
  const t0 = now();
  const sleepers = await spawnSleepers(SLEEPERS);
  const sleepersMs = now() - t0;
  log(`${SLEEPERS} sleepers up in ${(sleepersMs / 1000).toFixed(1)} s (group ${sleepers.pgid})`);
  return { sleepers, sleepersMs };
}

/** The `proclens` command with the Node flags of `npm start`, on a free port; its URL gives the token. */
async function startProductServer(profileDir: string | null): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' };
  for (const key of Object.keys(env)) if (key.startsWith('PROCLENS_') || key.startsWith('BENCH_') || key === 'PORT') delete env[key];
  const nodeArgs = [...readStartNodeFlags(REPO_ROOT), ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-interval', '1000'] : [])];
  const serverArgs = ['--port', '0', ...(INTERVAL > 0 ? ['--interval', String(INTERVAL)] : [])];
  const child = spawnGroup(process.execPath, [...nodeArgs, 'bin/proclens.js', ...serverArgs], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${stderr}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w.~-]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), token: match[2] as string });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${stderr}`));
    });
  });
  child.stdout?.resume();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return { pid: child.pid as number, pgid: child.pgid, port, token, exited };
}

/** Reads the server once a second, tagged with the phase; returns the function that stops it. */
function sampleServer(run: Run, server: RunningServer): () => void {
  const sample = (): void => {
    const usage = readProcessUsage(server.pid);
    if (usage) run.samples.push({ ...usage, phase: run.phase });
  };
  sample();
  const timer = setInterval(sample, 1000);
  return () => {
    clearInterval(timer);
    sample();
  };
}

function sinkFor(run: Run): ClientSink {
  return {
    markerPrefix: MARKER_PREFIX,
    phase: () => run.phase,
    diff: (record) => run.diffs.push(record),
    marker: (marker, client, frameAt, appliedAt) => {
      const m = run.markers.get(marker);
      if (!m || m.seen.has(client)) return;
      m.seen.set(client, { frameAt, appliedAt });
      if (m.seen.size === CLIENTS) killGroup(m.pgid);
    },
  };
}

async function connectClients(run: Run, server: RunningServer): Promise<{ clients: StreamClient[]; snapshotTimes: number[] }> {
  log(`connecting ${CLIENTS} clients…`);
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const t0 = now();
  const clients = Array.from({ length: CLIENTS }, (_, i) => new StreamClient(url, server.token, i, sinkFor(run)));
  await Promise.all(clients.map((c) => c.opened));
  while (clients.some((c) => c.firstSnapshotAt === null) && now() - t0 < 60_000) await sleep(50);
  const snapshotTimes = clients.map((c) => (c.firstSnapshotAt ?? Infinity) - t0);
  const seen = clients[0]?.snapshot?.processes.length ?? 0;
  log(`all clients have the snapshot (${seen} processes, ${kib(clients[0]?.firstSnapshotBytes ?? 0)}) after ${ms(Math.max(...snapshotTimes))}`);
  if (seen < SLEEPERS)
    throw new Error(`the server's snapshot holds ${seen} processes, fewer than the ${SLEEPERS} sleepers: is the server (working tree) broken?`);
  return { clients, snapshotTimes };
}

/**
 * The server's first scan of thousands of processes reads most from `stat` alone and completes
 * argv and uid over the next seconds (ProcScanner's crowd): idle starts once that is done. Returns
 * how long it took after the clients connected, and what it cost each client.
 */
async function awaitFirstScanComplete(clients: StreamClient[]): Promise<{ ms: number; bytesPerClient: number }> {
  const t0 = now();
  const bytes0 = clients[0]?.bytesRead() ?? 0;
  const complete = (): boolean => clients[0]?.snapshot?.processes.every((p) => p.uid !== null) ?? false;
  while (!complete() && now() - t0 < 120_000) await sleep(100);
  if (!complete()) throw new Error('the first scan was not complete 120 s after the clients connected');
  const done = { ms: now() - t0, bytesPerClient: (clients[0]?.bytesRead() ?? 0) - bytes0 };
  log(`the server's first scan was complete ${ms(done.ms)} later (${kib(done.bytesPerClient)} more per client)`);
  return done;
}

/** Bytes and frames per client per second over a phase of `seconds`, while `during` runs. */
async function measureTraffic(clients: StreamClient[], seconds: number, during: () => Promise<void> = () => sleep(seconds * 1000)) {
  const bytes0 = clients.map((c) => c.bytesRead());
  const frames0 = clients.reduce((n, c) => n + c.frames, 0);
  const t0 = now();
  await during();
  const elapsed = (now() - t0) / 1000;
  return {
    seconds: elapsed,
    bytesPerSecond: clients.map((c, i) => (c.bytesRead() - (bytes0[i] ?? 0)) / elapsed),
    framesPerSecond: (clients.reduce((n, c) => n + c.frames, 0) - frames0) / CLIENTS / elapsed,
  };
}

/** Churn at CHURN_RATE with MARKERS_PER_S marked processes a second; the churn goes on after it. */
async function churnWithMarkers(run: Run, sleepers: Sleepers) {
  log(`churn at ${CHURN_RATE}/s for ${CHURN_S} s, with ${MARKERS_PER_S} marked processes a second…`);
  const forks0 = forksSinceBoot();
  const churn = sleepers.churn(CHURN_RATE);
  let n = 0;
  const timer = setInterval(() => {
    const marker = `${MARKER_PREFIX}${String(++n).padStart(4, '0')}`;
    const spawnedAt = now();
    const child = spawnGroup('sleep', [marker]);
    run.markers.set(marker, { spawnedAt, pgid: child.pgid, seen: new Map() });
  }, 1000 / MARKERS_PER_S);
  await sleep(CHURN_S * 1000);
  clearInterval(timer);
  return { churn, births: churn.births(), hostForks: forksSinceBoot() - forks0 };
}

interface StallSample {
  t: number;
  rssKiB: number;
  queued: number;
  state: string;
}

/** A client that does the handshake and never reads, while the churn goes on. */
async function stallClient(run: Run, server: RunningServer, clients: StreamClient[]) {
  log(`stall for ${STALL_S} s: a client that never reads, churn still on…`);
  const slow = await connectStalledClient(server.port, server.token);
  const slowPort = slow.localPort as number;
  const t0 = now();
  const bytes0 = clients[0]?.bytesRead() ?? 0;
  const stall: StallSample[] = [];
  const sampleStall = (): void => {
    const conn = readConnection(server.port, slowPort);
    stall.push({
      t: now() - t0,
      rssKiB: run.samples.at(-1)?.rssKiB ?? NaN,
      queued: (conn.serverSide?.txQueue ?? 0) + (conn.clientSide?.rxQueue ?? 0),
      state: conn.serverSide?.state ?? (conn.clientSide ? `client ${conn.clientSide.state}` : 'gone'),
    });
  };
  sampleStall();
  const timer = setInterval(sampleStall, 1000);
  await sleep(STALL_S * 1000);
  clearInterval(timer);
  sampleStall();
  slow.destroy();
  return { stall, startedAt: t0, clientBytes: (clients[0]?.bytesRead() ?? 0) - bytes0 };
}

/** A client that asks for FLOOD_RESYNCS snapshots at once and never reads them. */
async function resyncFlood(server: RunningServer) {
  const before = readProcessUsage(server.pid);
  const flooder = await connectStalledClient(server.port, server.token);
  for (let i = 0; i < FLOOD_RESYNCS; i++) flooder.write(buildClientFrame('{"type":"resync"}'));
  let peakKiB = before?.rssKiB ?? NaN;
  for (let i = 0; i < 8; i++) {
    await sleep(500);
    peakKiB = Math.max(peakKiB, readProcessUsage(server.pid)?.rssKiB ?? 0);
  }
  const conn = readConnection(server.port, flooder.localPort as number);
  flooder.destroy();
  await sleep(2000);
  const after = readProcessUsage(server.pid);
  return {
    beforeKiB: before?.rssKiB ?? NaN,
    peakKiB,
    afterKiB: after?.rssKiB ?? NaN,
    cpuSeconds: before && after ? (after.cpuMs - before.cpuMs) / 1000 : NaN,
    queued: (conn.serverSide?.txQueue ?? 0) + (conn.clientSide?.rxQueue ?? 0),
  };
}

/** Spawn → applied by each client, → delivered to each client, → first client, → the probe. */
function collectLatencies(run: Run) {
  const applied: number[] = [];
  const delivered: number[] = [];
  const firstClient: number[] = [];
  let missed = 0;
  for (const m of run.markers.values()) {
    for (let c = 0; c < CLIENTS; c++) {
      const seen = m.seen.get(c);
      if (!seen) missed++;
      applied.push(seen ? seen.appliedAt - m.spawnedAt : Infinity);
      delivered.push(seen ? seen.frameAt - m.spawnedAt : Infinity);
    }
    firstClient.push(Math.min(...[...m.seen.values()].map((s) => s.appliedAt)) - m.spawnedAt);
  }
  const probe = [...run.markers].map(([marker, m]) => (run.probeSeen.get(marker) ?? Infinity) - m.spawnedAt);
  return { applied, delivered, firstClient, probe, missed };
}

// ---------------------------------------------------------------------------------------------
// The report.

type Traffic = Awaited<ReturnType<typeof measureTraffic>>;
type Latencies = ReturnType<typeof collectLatencies>;
type Stall = Awaited<ReturnType<typeof stallClient>>;

interface Results {
  run: Run;
  sleepersMs: number;
  serverStartMs: number;
  snapshotTimes: number[];
  completion: { ms: number; bytesPerClient: number };
  processesSeen: number;
  snapshotBytes: number;
  machine: string;
  idle: Traffic;
  churnTraffic: Traffic;
  churn: { births: number; hostForks: number };
  clientsSummary: { invalid: number; resyncs: number; extraSnapshots: number; closed: number; busyMs: number };
  stall: Stall;
  flood: Awaited<ReturnType<typeof resyncFlood>>;
  latencies: Latencies;
}

const byPhase = (r: Results, phase: string): Sample[] => r.run.samples.filter((s) => s.phase === phase);

/** RSS saws with garbage collection; memory really held shows in the floor: the stall's late floor against the churn phase's (same load without the stalled client). */
function stallGrowthKiB(r: Results): number {
  const late = byPhase(r, 'stall')
    .filter((s) => s.at - r.stall.startedAt >= (STALL_S * 1000) / 2)
    .map((s) => s.rssKiB);
  return Math.min(...late) - Math.min(...byPhase(r, 'churn').map((s) => s.rssKiB));
}

function buildFigures(r: Results): BenchFigure[] {
  const p50 = percentile(r.latencies.applied, 50);
  const p99 = percentile(r.latencies.applied, 99);
  const idleBps = mean(r.idle.bytesPerSecond);
  const growth = stallGrowthKiB(r);
  return [
    figure({
      id: 'birth-to-clients',
      figure: `birth → every one of ${CLIENTS} clients`,
      value: p99,
      unit: 'ms',
      measured: `p50 ${ms(p50)}, p99 ${ms(p99)} (${r.latencies.applied.length} samples, ${r.latencies.missed} never seen; the server alone, to a probe: p99 ${ms(percentile(r.latencies.probe, 99))})`,
      target: { max: TARGET_P99_MS, text: `p99 ≤ ${TARGET_P99_MS / 1000} s` },
    }),
    figure({
      id: 'idle-traffic',
      figure: 'idle traffic per client',
      value: idleBps,
      unit: 'B/s',
      measured: `${kib(idleBps)}/s`,
      target: { max: TARGET_IDLE_BPS, text: `≤ ${TARGET_IDLE_BPS / 1024} KiB/s` },
    }),
    figure({
      id: 'stall-rss',
      figure: 'server RSS while a client stalls',
      value: growth,
      unit: 'KiB',
      measured: `${signed(growth)} over ${((r.stall.stall.at(-1)?.t ?? 0) / 1000).toFixed(0)} s (floor against the same load without it)`,
      target: { max: FLAT_RSS_KIB, text: `flat (within ${mib(FLAT_RSS_KIB)})` },
    }),
    figure({
      id: 'server-cpu',
      figure: `server CPU, ${r.processesSeen} processes`,
      value: cpuPercentBetween(byPhase(r, 'idle')[0], byPhase(r, 'idle').at(-1)),
      unit: '% of a core',
      measured: `idle ${cpuPercentBetween(byPhase(r, 'idle')[0], byPhase(r, 'idle').at(-1)).toFixed(1)} %, churn ${CHURN_RATE}/s ${cpuPercentBetween(byPhase(r, 'churn')[0], byPhase(r, 'churn').at(-1)).toFixed(1)} % of a core`,
      target: null,
    }),
    figure({
      id: 'resync-flood',
      figure: `${FLOOD_RESYNCS} resyncs from a client that never reads`,
      value: r.flood.peakKiB - r.flood.beforeKiB,
      unit: 'KiB',
      measured: `RSS ${signed(r.flood.peakKiB - r.flood.beforeKiB)} at the peak (one snapshot is ${kib(r.snapshotBytes)}), ${r.flood.cpuSeconds.toFixed(1)} s of CPU`,
      target: null,
    }),
  ];
}

function reportRun(r: Results): string[] {
  const rssRange = (list: Sample[]): string =>
    list.length ? `${mib(Math.min(...list.map((s) => s.rssKiB)))} – ${mib(Math.max(...list.map((s) => s.rssKiB)))}` : 'n/a';
  const cpu = (phase: string): number => cpuPercentBetween(byPhase(r, phase)[0], byPhase(r, phase).at(-1));
  const connect = [...byPhase(r, 'connect'), ...byPhase(r, 'settle').slice(0, 1)];
  const out = [
    `## bench:stream, ${r.run.startedAt.toISOString()}, ${r.run.revision}`,
    '',
    `During idle + churn ${r.machine}. ` +
      `Mode: ${IN_NAMESPACE ? "private PID namespace (the server sees only the bench's processes)" : 'host /proc (the server sees every process on the machine)'}` +
      `${INTERVAL > 0 ? `, server --interval ${INTERVAL}` : ''}${PROFILE ? ', server under --cpu-prof' : ''}; server: \`node ${readStartNodeFlags(REPO_ROOT).join(' ')} bin/proclens.js\`. ` +
      `Host: ${os.cpus().length} cores, load average ${r.run.load0.map((l) => l.toFixed(2)).join(' ')} at start; ` +
      `${SLEEPERS} sleepers started in ${(r.sleepersMs / 1000).toFixed(1)} s; the server saw ${r.processesSeen} processes ` +
      `(snapshot ${kib(r.snapshotBytes)}); ${CLIENTS} clients + 1 stalled client on 127.0.0.1, each with the token as \`Authorization: Bearer\`. ` +
      `Server up in ${(r.serverStartMs / 1000).toFixed(1)} s; all ${CLIENTS} clients had their first snapshot after ${ms(Math.max(...r.snapshotTimes))} (p50 ${ms(median(r.snapshotTimes))}); ` +
      `the first scan (most processes from \`stat\` alone) was complete ${ms(r.completion.ms)} after that, which cost each client ${kib(r.completion.bytesPerClient)}; the idle phase starts ${SETTLE_S} s later.`,
    '',
    '| phase | duration | server CPU (one core = 100 %) | server RSS | bytes/client/s | frames/client/s |',
    '| --- | --- | --- | --- | --- | --- |',
    `| connect (${CLIENTS} snapshots) | ${(((connect.at(-1)?.at ?? 0) - (connect[0]?.at ?? 0)) / 1000).toFixed(0)} s | ${cpuPercentBetween(connect[0], connect.at(-1)).toFixed(0)} % | ${rssRange(connect)} | – | – |`,
    `| idle | ${r.idle.seconds.toFixed(0)} s | ${cpu('idle').toFixed(0)} % | ${rssRange(byPhase(r, 'idle'))} | ${kib(mean(r.idle.bytesPerSecond))} (max ${kib(Math.max(...r.idle.bytesPerSecond))}) | ${r.idle.framesPerSecond.toFixed(2)} |`,
    `| churn ${CHURN_RATE}/s | ${r.churnTraffic.seconds.toFixed(0)} s | ${cpu('churn').toFixed(0)} % | ${rssRange(byPhase(r, 'churn'))} | ${kib(mean(r.churnTraffic.bytesPerSecond))} (max ${kib(Math.max(...r.churnTraffic.bytesPerSecond))}) | ${r.churnTraffic.framesPerSecond.toFixed(2)} |`,
    '',
    `Churn: ${r.churn.births} children born in ${r.churnTraffic.seconds.toFixed(0)} s (${(r.churn.births / r.churnTraffic.seconds).toFixed(0)}/s, each lives 0.5 s); the whole host forked ${(r.churn.hostForks / r.churnTraffic.seconds).toFixed(0)}/s. ` +
      `Clients: ${r.clientsSummary.invalid} invalid frames, ${r.clientsSummary.resyncs} seq gaps (resyncs asked), ${r.clientsSummary.extraSnapshots} snapshots after the first, ${r.clientsSummary.closed} closed by the server; ` +
      `they spent ${(r.clientsSummary.busyMs / 1000).toFixed(1)} s in parse + applyDiff in total.`,
    '',
    ...reportDiffs(r),
    ...reportLatencies(r),
    ...reportStall(r),
    `Resync flood: a raw client sent ${FLOOD_RESYNCS} \`{"type":"resync"}\` frames and never read. ` +
      `Server RSS ${mib(r.flood.beforeKiB)} → peak ${mib(r.flood.peakKiB)} (${signed(r.flood.peakKiB - r.flood.beforeKiB)}; one snapshot is ${kib(r.snapshotBytes)}), ` +
      `${mib(r.flood.afterKiB)} 2 s after the client went away; the server spent ${r.flood.cpuSeconds.toFixed(1)} s of CPU in those 6 s; ${kib(r.flood.queued)} in kernel buffers.`,
    '',
    'Server RSS, one sample every 5 s:',
    '',
    '```',
    r.run.samples
      .filter((_, i) => i % 5 === 0)
      .map((s) => `${((s.at - (r.run.samples[0]?.at ?? 0)) / 1000).toFixed(0).padStart(3)} s ${s.phase.padEnd(7)} ${mib(s.rssKiB)}`)
      .join('\n'),
    '```',
  ];
  return out;
}

function reportDiffs(r: Results): string[] {
  const out: string[] = [];
  for (const phase of ['idle', 'churn']) {
    const list = r.run.diffs.filter((d) => d.phase === phase);
    if (list.length === 0) continue;
    const fields = new Map<string, number>();
    const names = new Map<string, number>();
    for (const d of list) {
      for (const [k, v] of d.fields) fields.set(k, (fields.get(k) ?? 0) + v);
      for (const [k, v] of d.names) names.set(k, (names.get(k) ?? 0) + v);
    }
    const top = (m: Map<string, number>): string =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none';
    const sum = (f: (d: DiffRecord) => number): number => list.reduce((a, d) => a + f(d), 0);
    out.push(
      `What the ${phase} diffs carried (client 0: ${list.length} diffs, ${kib(sum((d) => d.bytes))}, ${(sum((d) => d.bytes) / list.length / 1024).toFixed(1)} KiB each): ` +
        `${sum((d) => d.births)} births, ${sum((d) => d.removed)} exits, ${sum((d) => d.updates)} updates of live processes ` +
        `(fields: ${top(fields)}; processes: ${top(names)}), host changed ${sum((d) => (d.host ? 1 : 0))}×, containers ${sum((d) => (d.containers ? 1 : 0))}×.`,
      '',
    );
  }
  return out;
}

function reportLatencies(r: Results): string[] {
  const { applied, delivered, firstClient, probe, missed } = r.latencies;
  const row = (label: string, values: number[]): string =>
    `| ${label} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 99))} | ${ms(Math.max(...values))} |`;
  return [
    `Birth → client latency (${r.run.markers.size} marked \`sleep ${MARKER_PREFIX}NNNN\` processes × ${CLIENTS} clients, spawn() to diff applied):`,
    '',
    '| measure | p50 | p99 | max |',
    '| --- | --- | --- | --- |',
    row(`applied by each client (${applied.length} samples, ${missed} never seen)`, applied),
    row('frame delivered to each client (before its parse)', delivered),
    row('first client to apply it', firstClient),
    row('probe: frame reached a client in its own thread (server latency)', probe),
    '',
  ];
}

function reportStall(r: Results): string[] {
  const { stall } = r.stall;
  const closedAt = stall.find((s) => s.state !== 'ESTABLISHED');
  const stalled = byPhase(r, 'stall').map((s) => s.rssKiB);
  const control = byPhase(r, 'churn').map((s) => s.rssKiB);
  return [
    'Slow client (raw TCP, handshake then never reads), from connect (t = 0):',
    '',
    '| t | server RSS | queued in the kernel (server send + client receive) | server side of the connection |',
    '| --- | --- | --- | --- |',
    ...stall
      .filter((_, i) => i % 5 === 0 || i === stall.length - 1)
      .map((s) => `| ${(s.t / 1000).toFixed(0)} s | ${mib(s.rssKiB)} | ${kib(s.queued)} | ${s.state} |`),
    '',
    `The server ${closedAt ? `closed the stalled connection after about ${(closedAt.t / 1000).toFixed(0)} s` : 'kept the stalled connection open'}; ` +
      `at most ${kib(Math.max(...stall.map((s) => s.queued)))} sat in kernel buffers. Meanwhile each reading client received ${kib(r.stall.clientBytes)}. ` +
      `Server RSS during the stall ${mib(Math.min(...stalled))} – ${mib(Math.max(...stalled))} (median ${mib(median(stalled))}); ` +
      `during the churn phase before it, same load without the stalled client, ${mib(Math.min(...control))} – ${mib(Math.max(...control))} (median ${mib(median(control))}).`,
    '',
  ];
}

async function publish(r: Results, figures: BenchFigure[]): Promise<void> {
  const file = await writeBenchResults(REPO_ROOT, {
    bench: 'stream',
    command: `npm run bench:stream${IN_NAMESPACE ? ' -- --isolated' : ''}`,
    takenAt: r.run.startedAt.toISOString(),
    revision: r.run.revision,
    host: `${os.cpus().length} cores shared with other jobs, ${IN_NAMESPACE ? 'private pid namespace' : 'host pid namespace'}, ${r.processesSeen} processes; ${r.machine}`,
    note: `${SLEEPERS} sleeping processes, ${CLIENTS} WebSocket clients plus one that never reads; churn ${CHURN_RATE} births and deaths a second during the latency phase.`,
    figures,
  });
  const readme = updateReadme();
  process.stdout.write(`\nwrote ${path.relative(REPO_ROOT, file)}${readme.changed ? ' and the README table' : ''}\n`);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const run: Run = {
    startedAt: new Date(),
    revision: describeRevision(REPO_ROOT, ['server', 'shared']),
    load0: os.loadavg(),
    phase: 'connect',
    samples: [],
    markers: new Map(),
    probeSeen: new Map(),
    diffs: [],
  };
  const { sleepers, sleepersMs } = await startLoad();
  const t0 = now();
  const profileDir = PROFILE ? mkdtempSync(path.join(os.tmpdir(), 'bench-stream-prof-')) : null;
  const server = await startProductServer(profileDir);
  const serverStartMs = now() - t0;
  log(`server pid ${server.pid} on port ${server.port}, up in ${(serverStartMs / 1000).toFixed(1)} s`);
  const stopSampling = sampleServer(run, server);
  const { clients, snapshotTimes } = await connectClients(run, server);
  const probe = startProbe(
    `ws://127.0.0.1:${server.port}/ws`,
    server.token,
    MARKER_PREFIX,
    (marker, at) => void (run.probeSeen.has(marker) || run.probeSeen.set(marker, at)),
    (message) => log(`probe failed: ${message}`),
  );
  onCleanup(() => void probe.terminate());

  run.phase = 'settle';
  const completion = await awaitFirstScanComplete(clients);
  await sleep(SETTLE_S * 1000);
  run.phase = 'idle';
  log(`idle for ${IDLE_S} s…`);
  const cpu0 = sampleCpu();
  const windowStartUs = Number(process.hrtime.bigint() / 1000n);
  const idle = await measureTraffic(clients, IDLE_S);
  run.phase = 'churn';
  let churn: Awaited<ReturnType<typeof churnWithMarkers>> | undefined;
  const churnTraffic = await measureTraffic(clients, CHURN_S, async () => void (churn = await churnWithMarkers(run, sleepers)));
  const windowEndUs = Number(process.hrtime.bigint() / 1000n);
  const machine = describeCpu(cpu0, sampleCpu()).text;
  if (!churn) throw new Error('the churn phase did not run');
  // Late markers get three more ticks; the churn goes on.
  run.phase = 'drain';
  await sleep(3000);
  for (const m of run.markers.values()) killGroup(m.pgid);
  run.phase = 'stall';
  const stall = await stallClient(run, server, clients);
  churn.churn.stop();
  run.phase = 'flood';
  const flood = await resyncFlood(server);
  stopSampling();
  await probe.terminate();

  const results: Results = {
    run,
    sleepersMs,
    serverStartMs,
    snapshotTimes,
    completion,
    processesSeen: clients[0]?.snapshot?.processes.length ?? 0,
    snapshotBytes: clients[0]?.firstSnapshotBytes ?? 0,
    machine,
    idle,
    churnTraffic,
    churn,
    clientsSummary: {
      invalid: clients.reduce((s, c) => s + c.invalid, 0),
      resyncs: clients.reduce((s, c) => s + c.resyncs, 0),
      extraSnapshots: clients.reduce((s, c) => s + c.snapshots - 1, 0),
      closed: clients.filter((c) => c.closed).length,
      busyMs: clients.reduce((s, c) => s + c.busyMs, 0),
    },
    stall,
    flood,
    latencies: collectLatencies(run),
  };
  for (const c of clients) c.close();
  const figures = buildFigures(results);
  const out = [...reportRun(results), '', '| target | measured | verdict |', '| --- | --- | --- |'];
  for (const f of figures) if (f.target) out.push(`| ${f.figure}: ${f.target.text} | ${f.measured} | **${f.verdict.toUpperCase()}** |`);
  process.stdout.write(`${out.join('\n')}\n`);
  for (const f of figures) log(formatVerdict(f));

  log('stopping…');
  killGroup(server.pgid, 'SIGTERM');
  await Promise.race([server.exited, sleep(5000)]);
  sleepers.kill();
  if (profileDir) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) process.stdout.write(`\n${summariseCpuProfile(path.join(profileDir, file), REPO_ROOT, windowStartUs, windowEndUs)}\n`);
    else log(`no CPU profile was written to ${profileDir}`);
    rmSync(profileDir, { recursive: true, force: true });
  }
  await publish(results, figures);
}

/** Re-runs this script as pid 1 of a new PID namespace with its own /proc. */
async function runIsolated(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--isolated');
  const child = spawn(
    'unshare',
    ['--pid', '--fork', '--mount-proc', '--kill-child', process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), ...args],
    {
      stdio: 'inherit',
      env: { ...process.env, BENCH_STREAM_NAMESPACE: '1' },
    },
  );
  // unshare blocks SIGINT and SIGTERM while it waits: pass them to the bench inside (its child),
  // which cleans up and reports; if it has not ended in 5 s, kill unshare, whose --kill-child
  // then ends the namespace and everything in it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      const inner = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number).filter(Boolean);
      for (const pid of inner) process.kill(pid, signal);
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function run(): Promise<void> {
  try {
    if (IN_NAMESPACE) log("running in a private PID namespace: the server sees only this benchmark's processes");
    await main();
  } catch (err) {
    process.stderr.write(`bench:stream failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    runCleanups();
    setTimeout(() => process.exit(), 200).unref();
  }
}

if (ISOLATED && !IN_NAMESPACE) process.exitCode = await runIsolated();
else await run();
