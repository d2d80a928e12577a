/**
 * Load test for the snapshot stream (`npm run bench:stream`,
 * i.e. `node --import tsx scripts/bench-stream.ts`).
 *
 * Starts 5,000 sleeping processes, runs the real server as a child process (so that its CPU and
 * memory can be read from /proc/PID without the clients' share), connects 50 WebSocket clients on
 * loopback that validate every frame and apply every diff, plus one client that never reads, and
 * measures: server CPU and RSS, bytes per client per second while idle and while 100 processes a
 * second are born and die, and the time from spawning a marked process until the clients have it.
 *
 * Phases (about two minutes in all): start 5,000 sleepers and the server; connect the clients
 * (each gets a snapshot); settle 5 s; idle 30 s; churn 30 s (100 births and 100 deaths a second,
 * plus 3 marked `sleep 1234.<pid><n>` processes a second for the latency); drain 3 s; stall 35 s
 * (the churn goes on and a raw TCP client does the WebSocket handshake, then never reads; the
 * churn phase is the control for the server's RSS); resync flood 6 s (a client that never reads
 * sends 100 `resync` requests: not a target, a probe of what the 1 MB cap does not cover).
 *
 * Everything it starts runs in its own process groups and is killed by group id at the end, on
 * error and on Ctrl-C. All traffic is on 127.0.0.1.
 *
 * Options: --sleepers N (5000) --clients N (50) --idle S (30) --churn S (30) --stall S (35) --rate N (100)
 *   --interval MS   pass --interval to the server (default: the server's own, 1000)
 *   --profile       run the server with --cpu-prof and print where its CPU went in idle + churn
 *   --isolated      run the whole bench in a fresh PID namespace (unshare --pid --mount-proc), so
 *                   the server sees only the bench's processes: on a shared machine other people's
 *                   processes otherwise show up in the "idle" figures. Needs root.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Socket } from 'node:net';
import { connect as connectTcp } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { applyDiff, parseServerMessage } from '@proclens/shared';
import type { Snapshot } from '@proclens/shared';
import { describeCpu, forksSinceBoot, killGroup, onCleanup, runCleanups, sampleCpu, spawnGroup, spawnSleepers } from './spawn-sleepers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

const TARGET_P99_MS = 1500;
const TARGET_IDLE_BPS = 2048;
/** RSS "flat": the RSS floor late in the stall exceeds the floor of the control phase by less than this. */
const FLAT_RSS_KIB = 20 * 1024;

const CLK_TCK = 100;
const now = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void => void process.stderr.write(`[${(now() / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// /proc readings of the server child.

interface ProcSample {
  t: number;
  ticks: number;
  rssKiB: number;
  phase: string;
}

function readServer(pid: number, phase: string): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime are fields 14, 15 (1-based) → 11, 12 after "pid (comm) "
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    return { t: now(), ticks, rssKiB, phase };
  } catch {
    return null;
  }
}

function cpuPercent(samples: ProcSample[]): number {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.t === first.t) return NaN;
  return ((last.ticks - first.ticks) / CLK_TCK / ((last.t - first.t) / 1000)) * 100;
}

/** One row of /proc/net/tcp: queues (bytes) and state, by local and remote port on 127.0.0.1. */
interface TcpRow {
  localPort: number;
  remotePort: number;
  state: string;
  txQueue: number;
  rxQueue: number;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
};

function tcpRows(): TcpRow[] {
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const f = line.trim().split(/\s+/);
      const [, localPort = '0'] = (f[1] ?? '').split(':');
      const [, remotePort = '0'] = (f[2] ?? '').split(':');
      const [tx = '0', rx = '0'] = (f[4] ?? '').split(':');
      return {
        localPort: parseInt(localPort, 16),
        remotePort: parseInt(remotePort, 16),
        state: TCP_STATES[f[3] ?? ''] ?? f[3] ?? '?',
        txQueue: parseInt(tx, 16),
        rxQueue: parseInt(rx, 16),
      };
    });
}

/** The slow connection as the kernel sees it: what the server queued and the client left unread. */
function slowConnection(serverPort: number, clientPort: number): { serverSide: TcpRow | null; clientSide: TcpRow | null } {
  const rows = tcpRows();
  return {
    serverSide: rows.find((r) => r.localPort === serverPort && r.remotePort === clientPort) ?? null,
    clientSide: rows.find((r) => r.localPort === clientPort && r.remotePort === serverPort) ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics.

/** `commit 4555ce0` (+ `with uncommitted changes`), for telling runs apart while the code moves. */
function gitDescribe(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'server', 'shared'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  return head ? `commit ${head}${dirty ? ' with uncommitted changes in server/ or shared/' : ''}` : 'not a git checkout';
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (k: number): string => `${(k / 1024).toFixed(1)} MiB`;
const signed = (k: number): string => `${k >= 0 ? '+' : '−'}${mib(Math.abs(k))}`;
const median = (values: number[]): number => percentile(values, 50);
const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'never');

// ---------------------------------------------------------------------------------------------
// Clients.

/** What the diffs carried, as client 0 saw them: for explaining the bytes. */
interface DiffRecord {
  phase: string;
  bytes: number;
  births: number;
  updates: number;
  removed: number;
  host: boolean;
  containers: boolean;
  /** Changed fields of updated processes, and the names of the processes updated, by count. */
  fields: Map<string, number>;
  names: Map<string, number>;
}
const diffLog: DiffRecord[] = [];
let currentPhase = 'connect';

function count<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

type MarkerSeen = (marker: string, client: number, frameAt: number, appliedAt: number) => void;

/** A well-behaved client: validates every frame, applies every diff, checks seq, resyncs on a gap. */
class StreamClient {
  snapshot: Snapshot | null = null;
  seq = -1;
  frames = 0;
  snapshots = 0;
  resyncs = 0;
  invalid = 0;
  payloadBytes = 0;
  /** Time spent parsing and applying, ms. */
  busyMs = 0;
  firstSnapshotAt: number | null = null;
  firstSnapshotBytes = 0;
  closed = false;
  private readonly ws: WebSocket;
  readonly opened: Promise<void>;

  constructor(
    url: string,
    readonly id: number,
    private readonly onMarker: MarkerSeen,
  ) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(data, isBinary));
    this.ws.on('close', () => (this.closed = true));
    this.ws.on('error', () => undefined);
  }

  /** Bytes read from the TCP socket: frames, headers, pings. */
  bytesRead(): number {
    return (this.ws as unknown as { _socket?: Socket })._socket?.bytesRead ?? 0;
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    const frameAt = now();
    this.frames++;
    this.payloadBytes += data.length;
    if (isBinary) return void this.invalid++;
    const parsed = parseServerMessage(data.toString('utf8'));
    if (!parsed.ok) {
      this.invalid++;
      return;
    }
    const message = parsed.value;
    if (message.type === 'snapshot') {
      this.snapshots++;
      this.snapshot = message.snapshot;
      this.seq = message.seq;
      if (this.firstSnapshotAt === null) {
        this.firstSnapshotAt = now();
        this.firstSnapshotBytes = data.length;
      }
    } else if (message.type === 'diff') {
      if (!this.snapshot || message.seq !== this.seq + 1) {
        // A gap: ask for a fresh snapshot, as the web app does.
        this.resyncs++;
        this.ws.send(JSON.stringify({ type: 'resync' }));
      } else {
        if (this.id === 0) {
          const before = new Map(this.snapshot.processes.map((p) => [p.pid, p]));
          const record: DiffRecord = {
            phase: currentPhase,
            bytes: data.length,
            births: 0,
            updates: 0,
            removed: message.diff.removed.length,
            host: message.diff.host !== null,
            containers: message.diff.containers !== null,
            fields: new Map(),
            names: new Map(),
          };
          for (const p of message.diff.upserted) {
            const old = before.get(p.pid);
            if (!old || old.startTime !== p.startTime) {
              record.births++;
              continue;
            }
            record.updates++;
            count(record.names, p.name);
            for (const key of Object.keys(p) as (keyof typeof p)[]) {
              if (JSON.stringify(p[key]) !== JSON.stringify(old[key])) count(record.fields, key);
            }
          }
          diffLog.push(record);
        }
        this.snapshot = applyDiff(this.snapshot, message.diff);
        this.seq = message.seq;
        const appliedAt = now();
        for (const p of message.diff.upserted) {
          const marker = p.argv[1];
          if (p.name === 'sleep' && marker?.startsWith(MARKER_PREFIX)) this.onMarker(marker, this.id, frameAt, appliedAt);
        }
      }
    } else {
      this.invalid++;
    }
    this.busyMs += now() - frameAt;
  }

  close(): void {
    this.ws.terminate();
  }
}

const MARKER_PREFIX = `1234.${process.pid}`;

/** Does the WebSocket handshake on a raw TCP socket, then never reads again. */
async function stalledClient(port: number): Promise<Socket> {
  const socket = connectTcp({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  const key = randomBytes(16).toString('base64');
  socket.write(
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
  });
  return socket;
}

/** A masked client text frame (RFC 6455 §5.3), for the raw socket. */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error('short frames only');
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

// ---------------------------------------------------------------------------------------------

/**
 * One more client, in a worker thread with its own event loop: it JSON-parses frames that mention
 * the marker prefix and reports (marker, time) for each marked process in `upserted`. Times are
 * converted to this thread's performance.now().
 */
function startProbe(url: string, prefix: string, onSeen: (marker: string, at: number) => void): Worker {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const WebSocket = require(workerData.ws);
    const ws = new WebSocket(workerData.url, { perMessageDeflate: false });
    ws.on('message', (data) => {
      const at = performance.timeOrigin + performance.now();
      const text = data.toString();
      if (!text.includes(workerData.prefix)) return;
      const message = JSON.parse(text);
      if (message.type !== 'diff') return;
      for (const p of message.diff.upserted) {
        if (p.name === 'sleep' && typeof p.argv[1] === 'string' && p.argv[1].startsWith(workerData.prefix)) parentPort.postMessage({ marker: p.argv[1], at });
      }
    });
    ws.on('error', () => {});
  `;
  const ws = createRequire(import.meta.url).resolve('ws');
  const worker = new Worker(code, { eval: true, workerData: { url, prefix, ws } });
  worker.on('message', (m: { marker: string; at: number }) => onSeen(m.marker, m.at - performance.timeOrigin));
  worker.on('error', (err) => log(`probe failed: ${err.message}`));
  return worker;
}

async function startServerChild(profileDir: string | null): Promise<{ pid: number; pgid: number; port: number; exited: Promise<void> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' };
  for (const key of Object.keys(env)) if (key.startsWith('PROCLENS_') || key.startsWith('BENCH_') || key === 'PORT') delete env[key];
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-interval', '1000'] : [];
  const serverArgs = ['--port', '0', ...(INTERVAL > 0 ? ['--interval', String(INTERVAL)] : [])];
  const child = spawnGroup(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/src/main.ts', ...serverArgs], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${stderr}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
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
  return { pid: child.pid as number, pgid: child.pgid, port, exited };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const revision = gitDescribe();
  const load0 = os.loadavg();
  log(`host: ${os.cpus().length} cores, load ${load0.map((l) => l.toFixed(2)).join(' ')}, ${countPids()} processes before the bench`);

  log(`spawning ${SLEEPERS} sleepers…`);
  const t0 = now();
  const sleepers = await spawnSleepers(SLEEPERS);
  const sleepersMs = now() - t0;
  log(`${SLEEPERS} sleepers up in ${(sleepersMs / 1000).toFixed(1)} s (group ${sleepers.pgid})`);

  log('starting the server (child process)…');
  const t1 = now();
  const profileDir = PROFILE ? mkdtempSync(path.join(os.tmpdir(), 'bench-stream-prof-')) : null;
  const server = await startServerChild(profileDir);
  const serverStartMs = now() - t1;
  const url = `ws://127.0.0.1:${server.port}/ws`;
  log(`server pid ${server.pid} on port ${server.port}, up in ${(serverStartMs / 1000).toFixed(1)} s`);

  // Sample the server once a second, tagged with the phase.
  let phase = 'connect';
  const setPhase = (p: string): void => {
    phase = p;
    currentPhase = p;
  };
  const samples: ProcSample[] = [];
  const sample = (): void => {
    const s = readServer(server.pid, phase);
    if (s) samples.push(s);
  };
  sample();
  const sampler = setInterval(sample, 1000);

  // Latency bookkeeping: marker → spawn time, and when each client applied it.
  const markers = new Map<string, { spawnedAt: number; pgid: number; seen: Map<number, { frameAt: number; appliedAt: number }> }>();
  const onMarker: MarkerSeen = (marker, client, frameAt, appliedAt) => {
    const m = markers.get(marker);
    if (!m || m.seen.has(client)) return;
    m.seen.set(client, { frameAt, appliedAt });
    if (m.seen.size === CLIENTS) killGroup(m.pgid);
  };

  log(`connecting ${CLIENTS} clients…`);
  const t2 = now();
  const clients = Array.from({ length: CLIENTS }, (_, i) => new StreamClient(url, i, onMarker));
  await Promise.all(clients.map((c) => c.opened));
  while (clients.some((c) => c.firstSnapshotAt === null) && now() - t2 < 60_000) await sleep(50);
  const snapshotTimes = clients.map((c) => (c.firstSnapshotAt ?? Infinity) - t2);
  const processesSeen = clients[0]?.snapshot?.processes.length ?? 0;
  const snapshotBytes = clients[0]?.firstSnapshotBytes ?? 0;
  log(`all clients have the snapshot (${processesSeen} processes, ${kib(snapshotBytes)}) after ${ms(Math.max(...snapshotTimes))}`);
  if (processesSeen < SLEEPERS) {
    throw new Error(`the server's snapshot holds ${processesSeen} processes, fewer than the ${SLEEPERS} sleepers: is the server (working tree) broken?`);
  }

  // A probe client in a worker thread: it only notes when a marker reaches the wire, so its
  // figures are the server's latency without the 50 clients' parsing in this thread.
  const probeSeen = new Map<string, number>();
  const probe = startProbe(url, MARKER_PREFIX, (marker, at) => {
    if (!probeSeen.has(marker)) probeSeen.set(marker, at);
  });
  onCleanup(() => void probe.terminate());

  setPhase('settle');
  await sleep(SETTLE_S * 1000);

  const bytesNow = (): number[] => clients.map((c) => c.bytesRead());
  const framesNow = (): number => clients.reduce((n, c) => n + c.frames, 0);

  // Idle.
  setPhase('idle');
  sample();
  log(`idle for ${IDLE_S} s…`);
  const idleBytes0 = bytesNow();
  const idleFrames0 = framesNow();
  const idleT0 = now();
  const cpu0 = sampleCpu();
  const windowStartUs = Number(process.hrtime.bigint() / 1000n);
  await sleep(IDLE_S * 1000);
  const idleSeconds = (now() - idleT0) / 1000;
  const idleBytes = bytesNow().map((b, i) => (b - (idleBytes0[i] ?? 0)) / idleSeconds);
  const idleFrames = (framesNow() - idleFrames0) / CLIENTS / idleSeconds;
  sample();

  // Churn, with marked processes for the latency.
  setPhase('churn');
  log(`churn at ${CHURN_RATE}/s for ${CHURN_S} s, with ${MARKERS_PER_S} marked processes a second…`);
  const churnBytes0 = bytesNow();
  const churnFrames0 = framesNow();
  const forks0 = forksSinceBoot();
  const churn = sleepers.churn(CHURN_RATE);
  const churnT0 = now();
  let n = 0;
  const markerTimer = setInterval(() => {
    const marker = `${MARKER_PREFIX}${String(++n).padStart(4, '0')}`;
    const spawnedAt = now();
    const child = spawnGroup('sleep', [marker]);
    markers.set(marker, { spawnedAt, pgid: child.pgid, seen: new Map() });
  }, 1000 / MARKERS_PER_S);
  await sleep(CHURN_S * 1000);
  clearInterval(markerTimer);
  const churnSeconds = (now() - churnT0) / 1000;
  const windowEndUs = Number(process.hrtime.bigint() / 1000n);
  const cpu = describeCpu(cpu0, sampleCpu());
  const churnBytes = bytesNow().map((b, i) => (b - (churnBytes0[i] ?? 0)) / churnSeconds);
  const churnFrames = (framesNow() - churnFrames0) / CLIENTS / churnSeconds;
  const births = churn.births();
  const hostForks = forksSinceBoot() - forks0;
  sample();

  // Late markers get three more ticks; the churn goes on.
  setPhase('drain');
  await sleep(3000);
  for (const m of markers.values()) killGroup(m.pgid);

  // The stall: the same churn, plus a client that does the handshake and never reads. The churn
  // phase (same load, no stalled client) is the control for the server's RSS.
  setPhase('stall');
  log(`stall for ${STALL_S} s: a client that never reads, churn still on…`);
  const slow = await stalledClient(server.port);
  const slowPort = slow.localPort as number;
  const stallStartedAt = now();
  const stallBytes0 = clients[0]?.bytesRead() ?? 0;
  const stall: { t: number; rssKiB: number; serverQueued: number; clientUnread: number; state: string }[] = [];
  const sampleStall = (): void => {
    const conn = slowConnection(server.port, slowPort);
    const s = samples[samples.length - 1];
    stall.push({
      t: now() - stallStartedAt,
      rssKiB: s?.rssKiB ?? NaN,
      serverQueued: conn.serverSide?.txQueue ?? 0,
      clientUnread: conn.clientSide?.rxQueue ?? 0,
      state: conn.serverSide?.state ?? (conn.clientSide ? `client ${conn.clientSide.state}` : 'gone'),
    });
  };
  sampleStall();
  const stallSampler = setInterval(sampleStall, 1000);
  await sleep(STALL_S * 1000);
  clearInterval(stallSampler);
  sampleStall();
  churn.stop();
  const stallClientBytes = (clients[0]?.bytesRead() ?? 0) - stallBytes0;
  slow.destroy();

  // Resync flood: a client that asks for snapshots and never reads them.
  setPhase('flood');
  const floodBefore = readServer(server.pid, phase);
  const floodRssBefore = floodBefore?.rssKiB ?? NaN;
  const flooder = await stalledClient(server.port);
  for (let i = 0; i < FLOOD_RESYNCS; i++) flooder.write(clientFrame('{"type":"resync"}'));
  let floodPeak = floodRssBefore;
  for (let i = 0; i < 8; i++) {
    await sleep(500);
    floodPeak = Math.max(floodPeak, readServer(server.pid, phase)?.rssKiB ?? 0);
  }
  const floodQueue = slowConnection(server.port, flooder.localPort as number);
  flooder.destroy();
  await sleep(2000);
  const floodAfter = readServer(server.pid, phase);
  const floodRssAfter = floodAfter?.rssKiB ?? NaN;
  const floodCpuS = floodBefore && floodAfter ? (floodAfter.ticks - floodBefore.ticks) / CLK_TCK : NaN;
  clearInterval(sampler);
  await probe.terminate();

  const invalid = clients.reduce((s, c) => s + c.invalid, 0);
  const resyncs = clients.reduce((s, c) => s + c.resyncs, 0);
  const extraSnapshots = clients.reduce((s, c) => s + c.snapshots - 1, 0);
  const closedClients = clients.filter((c) => c.closed).length;
  const clientBusyMs = clients.reduce((s, c) => s + c.busyMs, 0);
  for (const c of clients) c.close();

  // Latencies.
  const applied: number[] = [];
  const delivered: number[] = [];
  const firstClient: number[] = [];
  let missed = 0;
  for (const m of markers.values()) {
    for (let c = 0; c < CLIENTS; c++) {
      const seen = m.seen.get(c);
      if (!seen) {
        missed++;
        applied.push(Infinity);
        delivered.push(Infinity);
        continue;
      }
      applied.push(seen.appliedAt - m.spawnedAt);
      delivered.push(seen.frameAt - m.spawnedAt);
    }
    const first = Math.min(...[...m.seen.values()].map((s) => s.appliedAt));
    firstClient.push(first - m.spawnedAt);
  }

  const probeLatency = [...markers].map(([marker, m]) => (probeSeen.get(marker) ?? Infinity) - m.spawnedAt);

  // Report.
  const byPhase = (p: string): ProcSample[] => samples.filter((s) => s.phase === p);
  const rssRange = (list: ProcSample[]): string =>
    list.length ? `${mib(Math.min(...list.map((s) => s.rssKiB)))} – ${mib(Math.max(...list.map((s) => s.rssKiB)))}` : 'n/a';
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const idleBps = mean(idleBytes);
  const churnBps = mean(churnBytes);
  const p50 = percentile(applied, 50);
  const p99 = percentile(applied, 99);
  // RSS saws up and down by tens of MiB with garbage collection (a 20-30 s cycle here), whatever
  // the clients do. Memory really held shows in the floor (the lowest sample, just after a
  // collection): compare the floor of the second half of the stall with the floor of the churn
  // phase before it, which ran the same load without the stalled client.
  const rssOf = (p: string): number[] =>
    byPhase(p)
      .map((s) => s.rssKiB)
      .filter(Number.isFinite);
  const controlRss = rssOf('churn');
  const stalledRss = rssOf('stall');
  const lateStall = byPhase('stall')
    .filter((s) => s.t - stallStartedAt >= (STALL_S * 1000) / 2)
    .map((s) => s.rssKiB)
    .filter(Number.isFinite);
  const stallGrowth = Math.min(...lateStall) - Math.min(...controlRss);
  const closedAt = stall.find((s) => s.state !== 'ESTABLISHED');
  const queuedMax = Math.max(...stall.map((s) => s.serverQueued + s.clientUnread));
  const verdict = (ok: boolean): string => (ok ? '**PASS**' : '**MISS**');

  const out: string[] = [];
  out.push(`## bench:stream, ${startedAt.toISOString()}, ${revision}`);
  out.push('');
  out.push(
    `During idle + churn ${cpu.text}. ` +
      `Mode: ${IN_NAMESPACE ? "private PID namespace (the server sees only the bench's processes)" : 'host /proc (the server sees every process on the machine)'}` +
      `${INTERVAL > 0 ? `, server --interval ${INTERVAL}` : ''}${PROFILE ? ', server under --cpu-prof' : ''}. ` +
      `Host: ${os.cpus().length} cores, load average ${load0.map((l) => l.toFixed(2)).join(' ')} at start; ` +
      `${SLEEPERS} sleepers started in ${(sleepersMs / 1000).toFixed(1)} s; the server saw ${processesSeen} processes ` +
      `(snapshot ${kib(snapshotBytes)}); ${CLIENTS} clients + 1 stalled client on 127.0.0.1. Server up in ${(serverStartMs / 1000).toFixed(1)} s; ` +
      `all ${CLIENTS} clients had their first snapshot after ${ms(Math.max(...snapshotTimes))} (p50 ${ms(percentile(snapshotTimes, 50))}).`,
  );
  out.push('');
  out.push('| phase | duration | server CPU (one core = 100 %) | server RSS | bytes/client/s | frames/client/s |');
  out.push('| --- | --- | --- | --- | --- | --- |');
  const connectSamples = [...byPhase('connect'), ...byPhase('settle').slice(0, 1)];
  out.push(
    `| connect (${CLIENTS} snapshots) | ${(((connectSamples.at(-1)?.t ?? 0) - (connectSamples[0]?.t ?? 0)) / 1000).toFixed(0)} s | ${cpuPercent(connectSamples).toFixed(0)} % | ${rssRange(connectSamples)} | – | – |`,
  );
  out.push(
    `| idle | ${idleSeconds.toFixed(0)} s | ${cpuPercent(byPhase('idle')).toFixed(0)} % | ${rssRange(byPhase('idle'))} | ${kib(idleBps)} (max ${kib(Math.max(...idleBytes))}) | ${idleFrames.toFixed(2)} |`,
  );
  out.push(
    `| churn ${CHURN_RATE}/s | ${churnSeconds.toFixed(0)} s | ${cpuPercent(byPhase('churn')).toFixed(0)} % | ${rssRange(byPhase('churn'))} | ${kib(churnBps)} (max ${kib(Math.max(...churnBytes))}) | ${churnFrames.toFixed(2)} |`,
  );
  out.push('');
  // Under churn every tick has news, so frames per second count the server's ticks (more than one
  // a second when the Docker watcher asks for extra ticks).
  out.push(
    `Server ticks: about ${churnFrames.toFixed(2)} a second (every tick under churn sends a diff), so one tick of ${processesSeen} processes ` +
      `costs about ${ms((cpuPercent(byPhase('churn')) * 10) / churnFrames)} of server CPU under churn, ` +
      `${ms((cpuPercent(byPhase('idle')) * 10) / churnFrames)} idle (the idle ticks that change nothing send nothing).`,
  );
  out.push('');
  out.push(
    `Churn: ${births} children born in ${churnSeconds.toFixed(0)} s (${(births / churnSeconds).toFixed(0)}/s, each lives 0.5 s); the whole host forked ${(hostForks / churnSeconds).toFixed(0)}/s. ` +
      `Clients: ${invalid} invalid frames, ${resyncs} seq gaps (resyncs asked), ${extraSnapshots} snapshots after the first, ${closedClients} closed by the server; ` +
      `they spent ${(clientBusyMs / 1000).toFixed(1)} s in parse + applyDiff in total.`,
  );
  out.push('');
  for (const p of ['idle', 'churn']) {
    const list = diffLog.filter((d) => d.phase === p);
    if (list.length === 0) continue;
    const fields = new Map<string, number>();
    const names = new Map<string, number>();
    for (const d of list) {
      for (const [k, v] of d.fields) fields.set(k, (fields.get(k) ?? 0) + v);
      for (const [k, v] of d.names) names.set(k, (names.get(k) ?? 0) + v);
    }
    const top = (m: Map<string, number>, n: number): string =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none';
    const sum = (f: (d: DiffRecord) => number): number => list.reduce((a, d) => a + f(d), 0);
    out.push(
      `What the ${p} diffs carried (client 0: ${list.length} diffs, ${kib(sum((d) => d.bytes))}, ${(sum((d) => d.bytes) / list.length / 1024).toFixed(1)} KiB each): ` +
        `${sum((d) => d.births)} births, ${sum((d) => d.removed)} exits, ${sum((d) => d.updates)} updates of live processes ` +
        `(fields: ${top(fields, 6)}; processes: ${top(names, 6)}), host changed ${sum((d) => (d.host ? 1 : 0))}×, containers ${sum((d) => (d.containers ? 1 : 0))}×.`,
    );
    out.push('');
  }
  out.push(`Birth → client latency (${markers.size} marked \`sleep ${MARKER_PREFIX}NNNN\` processes × ${CLIENTS} clients, spawn() to diff applied):`);
  out.push('');
  out.push('| measure | p50 | p99 | max |');
  out.push('| --- | --- | --- | --- |');
  out.push(`| applied by each client (${applied.length} samples, ${missed} never seen) | ${ms(p50)} | ${ms(p99)} | ${ms(Math.max(...applied))} |`);
  out.push(
    `| frame delivered to each client (before its parse) | ${ms(percentile(delivered, 50))} | ${ms(percentile(delivered, 99))} | ${ms(Math.max(...delivered))} |`,
  );
  out.push(`| first client to apply it | ${ms(percentile(firstClient, 50))} | ${ms(percentile(firstClient, 99))} | ${ms(Math.max(...firstClient))} |`);
  out.push(
    `| probe: frame reached a client in its own thread (server latency) | ${ms(percentile(probeLatency, 50))} | ${ms(percentile(probeLatency, 99))} | ${ms(Math.max(...probeLatency))} |`,
  );
  out.push('');
  out.push(`Slow client (raw TCP, handshake then never reads), from connect (t = 0):`);
  out.push('');
  out.push('| t | server RSS | queued in the kernel (server send + client receive) | server side of the connection |');
  out.push('| --- | --- | --- | --- |');
  for (const s of stall.filter((_, i) => i % 5 === 0 || i === stall.length - 1)) {
    out.push(`| ${(s.t / 1000).toFixed(0)} s | ${mib(s.rssKiB)} | ${kib(s.serverQueued + s.clientUnread)} | ${s.state} |`);
  }
  out.push('');
  out.push(
    `The server ${closedAt ? `closed the stalled connection after about ${(closedAt.t / 1000).toFixed(0)} s (missed pongs)` : 'kept the stalled connection open'}; ` +
      `at most ${kib(queuedMax)} sat in kernel buffers. Meanwhile each reading client received ${kib(stallClientBytes)}. ` +
      `Server RSS during the stall ${mib(Math.min(...stalledRss))} – ${mib(Math.max(...stalledRss))} (median ${mib(median(stalledRss))}); ` +
      `during the churn phase before it, same load without the stalled client, ${mib(Math.min(...controlRss))} – ${mib(Math.max(...controlRss))} (median ${mib(median(controlRss))}).`,
  );
  out.push('');
  out.push(
    `Resync flood (extra, not a target): a raw client sent ${FLOOD_RESYNCS} \`{"type":"resync"}\` frames and never read. ` +
      `Server RSS ${mib(floodRssBefore)} → peak ${mib(floodPeak)} (+${mib(floodPeak - floodRssBefore)}; ${FLOOD_RESYNCS} snapshots would be ${mib((FLOOD_RESYNCS * snapshotBytes) / 1024)}), ` +
      `${mib(floodRssAfter)} 2 s after the client went away; the server spent ${floodCpuS.toFixed(1)} s of CPU in those 6 s; ` +
      `${kib((floodQueue.serverSide?.txQueue ?? 0) + (floodQueue.clientSide?.rxQueue ?? 0))} in kernel buffers.`,
  );
  out.push('');
  out.push('| target | measured | verdict |');
  out.push('| --- | --- | --- |');
  out.push(`| birth → client p99 ≤ ${TARGET_P99_MS} ms | ${ms(p99)} (p50 ${ms(p50)}) | ${verdict(p99 <= TARGET_P99_MS)} |`);
  out.push(`| idle ≤ ${TARGET_IDLE_BPS / 1024} KiB/s per client | ${kib(idleBps)}/s | ${verdict(idleBps <= TARGET_IDLE_BPS)} |`);
  out.push(
    `| server RSS flat while a client stalls (floor of the stall's second half within ${mib(FLAT_RSS_KIB)} of the floor under the same load without it) | ` +
      `${signed(stallGrowth)} over ${((stall.at(-1)?.t ?? 0) / 1000).toFixed(0)} s | ${verdict(stallGrowth < FLAT_RSS_KIB)} |`,
  );
  out.push('');
  out.push('Server RSS, one sample every 5 s:');
  out.push('');
  out.push('```');
  out.push(
    samples
      .filter((_, i) => i % 5 === 0)
      .map((s) => `${((s.t - (samples[0]?.t ?? 0)) / 1000).toFixed(0).padStart(3)} s ${s.phase.padEnd(7)} ${mib(s.rssKiB)}`)
      .join('\n'),
  );
  out.push('```');
  process.stdout.write(`${out.join('\n')}\n`);

  log('stopping…');
  killGroup(server.pgid, 'SIGTERM');
  await Promise.race([server.exited, sleep(5000)]);
  sleepers.kill();
  if (profileDir) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) process.stdout.write(`\n${summariseProfile(path.join(profileDir, file), windowStartUs, windowEndUs)}\n`);
    else log(`no CPU profile was written to ${profileDir}`);
    rmSync(profileDir, { recursive: true, force: true });
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time by function and by file, over samples taken between `fromUs` and `toUs` (monotonic). */
function summariseProfile(file: string, fromUs: number, toUs: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < fromUs || t > toUs) continue;
    const id = profile.samples[i] as number;
    if (byId.get(id)?.callFrame.functionName === '(idle)') continue;
    self.set(id, (self.get(id) ?? 0) + delta);
    total += delta;
  }
  const where = (url: string): string => {
    if (!url) return '(native)';
    const clean = url.replace(/^file:\/\//, '').replace(/\?.*$/, '');
    return clean.startsWith(ROOT) ? path.relative(ROOT, clean).replace(/^node_modules\//, '') : clean.replace(/^node:/, 'node:');
  };
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const file = where(frame.url);
    const area =
      file.startsWith('(') || file.startsWith('node:')
        ? file
        : file
            .split('/')
            .slice(0, file.includes('/src/') ? 3 : 1)
            .join('/');
    // tsx-compiled modules report line 0: the file names the place well enough.
    const name = `${frame.functionName || '(anonymous)'} · ${file}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byFile.set(area, (byFile.get(area) ?? 0) + us);
  }
  const seconds = (toUs - fromUs) / 1e6;
  const rows = (m: Map<string, number>, n: number): string[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `| ${k.replace(/\|/g, '\\|')} | ${(us / 1000 / seconds).toFixed(1)} ms/s | ${((us / total) * 100).toFixed(1)} % |`);
  return [
    `Server CPU profile over idle + churn (${seconds.toFixed(0)} s, ${(total / 1000 / seconds).toFixed(0)} ms of every wall-clock second the main thread was busy, whether running or waiting for a core):`,
    '',
    '| function (self time) | busy | share |',
    '| --- | --- | --- |',
    ...rows(byFunction, 15),
    '',
    '| area | busy | share |',
    '| --- | --- | --- |',
    ...rows(byFile, 10),
  ].join('\n');
}

function countPids(): number {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
}

/** Re-runs this script as pid 1 of a new PID namespace with its own /proc. */
async function runIsolated(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--isolated');
  const child = spawn(
    'unshare',
    ['--pid', '--fork', '--mount-proc', '--kill-child', process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), ...args],
    { stdio: 'inherit', env: { ...process.env, BENCH_STREAM_NAMESPACE: '1' } },
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
