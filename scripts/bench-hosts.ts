/**
 * Load test for many hosts (`npm run bench:hosts`, i.e. `node --import tsx scripts/bench-hosts.ts`).
 *
 * Starts a real `nats-server -js` (user and password, loopback, its own store) and the real hub
 * (`bin/proclens.js hub`, a child process, so its CPU and RSS are its own), then a load generator
 * in this process: 50 simulated hosts × 1,000 processes (rows from this machine's own /proc scan,
 * so names, argv and sizes are real), each on its own NATS connection through the agent's own
 * publisher (`HostPublisher`: snapshots, diffs, beats, gzip, the publish plan). Every host ticks
 * once a second: 20 processes change CPU and memory, and every 2 s one process is born (a marker)
 * and an older marker exits. 50 WebSocket clients of the hub, one per host (`/ws?host=NAME`), fold
 * the diffs as the browser does; birth → client latency is measured on one clock.
 *
 * Phases: connect and settle; busy (60 s): latency, hub CPU and RSS; idle (30 s): nothing changes,
 * and every byte between the simulated agents and NATS (both ways: publishes, acknowledgements,
 * pings) is counted by a TCP relay in front of NATS, giving bytes per idle host per second.
 *
 * Everything it starts runs in its own process group and is killed at the end, on error and on
 * Ctrl-C. All traffic is on 127.0.0.1. Options: --hosts N (50) --processes N (1000) --busy S (60) --idle S (30)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as connectTcp } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'nats';
import { WebSocket } from 'ws';
import { applyDiff, parseServerMessage } from '@proclens/shared';
import type { ProcessInfo, Snapshot } from '@proclens/shared';
import { createLogger } from '../server/src/logger.ts';
import { HostPublisher } from '../server/src/hosts/publish-host.ts';
import { freePort } from '../server/src/hosts/test-nats.ts';
import { ProcScanner } from '../server/src/proc-scanner.ts';
import { readHostConstants } from '../server/src/read-host-constants.ts';
import type { SnapshotFeed } from '../server/src/snapshot-feed.ts';
import { figure, writeBenchResults } from './bench/bench-results.ts';
import { cpuPercentBetween, readProcessUsage } from './bench/cpu-time.ts';
import type { ProcessUsage } from './bench/cpu-time.ts';
import { describeRevision } from './bench/describe-revision.ts';
import { median, percentile } from './bench/percentile.ts';
import { timePs } from './bench/time-ps.ts';
import { updateReadme } from './bench/update-readme.ts';
import { onCleanup, runCleanups, spawnGroup } from './spawn-sleepers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}
const HOSTS = option('hosts', 50);
const PROCESSES = option('processes', 1000);
const BUSY_S = option('busy', 60);
const IDLE_S = option('idle', 30);
const TICK_MS = 1000;
const CHANGED_PER_TICK = 20;
const BIRTH_EVERY_TICKS = 2;
const TARGET_P99_MS = 2000;
const TARGET_IDLE_BYTES = 1024;
const TOKEN = 'bench-hosts-token-0123456789abcdef';

const now = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void => void process.stderr.write(`[${(now() / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

/** One simulated host's feed: the agent's publisher subscribes to it as to the live monitor. */
class SimHost implements SnapshotFeed {
  private readonly subscribers = new Set<(next: Snapshot, previous: Snapshot) => void>();
  private nextPid: number;
  private markers: number[] = [];
  constructor(
    readonly name: string,
    private snapshot: Snapshot,
  ) {
    this.nextPid = Math.max(...snapshot.processes.map((p) => p.pid)) + 1;
  }
  current(): Snapshot {
    return this.snapshot;
  }
  subscribe(fn: (next: Snapshot, previous: Snapshot) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }
  /** One tick; returns the pid born in it, if any. */
  tick(tickNo: number, busy: boolean): number | null {
    let processes = this.snapshot.processes;
    let born: number | null = null;
    if (busy) {
      processes = processes.map((p) => p);
      for (let i = 0; i < CHANGED_PER_TICK; i++) {
        const at = Math.floor(Math.random() * processes.length);
        const p = processes[at] as ProcessInfo;
        processes[at] = { ...p, cpu: Math.round(Math.random() * 400) / 10, rssKiB: p.rssKiB + Math.floor(Math.random() * 64) };
      }
      if (tickNo % BIRTH_EVERY_TICKS === 0) {
        born = this.nextPid++;
        const parent = processes[0] as ProcessInfo;
        processes.push({
          ...parent,
          pid: born,
          ppid: parent.pid,
          name: 'bench-birth',
          argv: ['bench-birth', String(born)],
          startTime: born,
          cpu: 0,
          nspid: [born],
        });
        this.markers.push(born);
        if (this.markers.length > 5) {
          const gone = this.markers.shift();
          processes = processes.filter((p) => p.pid !== gone);
        }
      }
    }
    const previous = this.snapshot;
    this.snapshot = { ...previous, processes, takenAt: Date.now() };
    for (const fn of this.subscribers) fn(this.snapshot, previous);
    return born;
  }
}

/** A TCP relay in front of NATS that counts every byte both ways. */
async function startRelay(target: number): Promise<{ port: number; bytes: () => number }> {
  let bytes = 0;
  const server = createServer((client) => {
    const upstream = connectTcp({ host: '127.0.0.1', port: target });
    client.on('data', (d: Buffer) => (bytes += d.length));
    upstream.on('data', (d: Buffer) => (bytes += d.length));
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => server.close());
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, bytes: () => bytes };
}

async function startNats(): Promise<{ port: number; password: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pl-bench-hosts-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const password = `bench-${process.pid}`;
  writeFileSync(
    path.join(dir, 'nats.conf'),
    `listen: "127.0.0.1:${port}"\njetstream { store_dir: "${dir}/js" }\nauthorization { user: "proclens", password: "${password}" }\n`,
  );
  const child = spawnGroup('nats-server', ['-c', path.join(dir, 'nats.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('Server is ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${text}`)));
  });
  return { port, password };
}

async function startHub(natsUrl: string): Promise<{ pid: number; base: string }> {
  const child = spawnGroup(process.execPath, [path.join(ROOT, 'bin/proclens.js'), 'hub', '--port', '0', '--token', TOKEN], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PROCLENS_NATS: natsUrl },
  });
  const base = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (c: Buffer) => {
      text += c.toString();
      const match = /http:\/\/(127\.0\.0\.1:\d+)\//.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}`)));
  });
  return { pid: child.pid ?? 0, base };
}

/** The processes of this machine, cut or repeated to `n`, as a host's snapshot. */
function buildRows(n: number): ProcessInfo[] {
  const scanned = new ProcScanner('/proc', readHostConstants('/proc')).scan().filter((p) => !p.kernelThread);
  const rows: ProcessInfo[] = [];
  for (let i = 0; rows.length < n; i++) {
    const p = scanned[i % scanned.length] as ProcessInfo;
    const pid = i + 1;
    rows.push({ ...p, pid, ppid: i === 0 ? 0 : 1 + ((i * 7) % Math.max(1, i)), nspid: [pid], containerId: null, logicalParent: null, shimOf: null });
  }
  return rows;
}

async function main(): Promise<void> {
  const logger = createLogger('error');
  const load0 = os.loadavg();
  const ps = timePs();
  const nats = await startNats();
  const relay = await startRelay(nats.port);
  const hub = await startHub(`nats://proclens:${nats.password}@127.0.0.1:${nats.port}`);
  log(`nats-server on ${nats.port}, relay ${relay.port}, hub ${hub.base} (pid ${hub.pid})`);

  const rows = buildRows(PROCESSES);
  const template = (name: string): Snapshot => ({
    processes: rows,
    containers: [],
    host: { hostname: name, kernel: os.release(), cpus: 4, bootTime: 0, engines: [] },
    takenAt: Date.now(),
  });
  const hosts = Array.from({ length: HOSTS }, (_, i) => new SimHost(`sim-${String(i).padStart(2, '0')}`, template(`sim-${i}`)));
  const agents = await Promise.all(
    hosts.map(async (host) => {
      const nc = await connect({ servers: `127.0.0.1:${relay.port}`, user: 'proclens', pass: nats.password, name: host.name });
      onCleanup(() => void nc.close());
      const publisher = new HostPublisher({ nc, js: nc.jetstream(), name: host.name, feed: host, log: logger });
      publisher.start();
      return { host, nc, publisher };
    }),
  );
  for (const { host } of agents) host.tick(1, false);

  // One browser-like client per host at the hub.
  const births = new Map<string, number>();
  const latencies: number[] = [];
  const views = new Map<string, Snapshot>();
  let stopping = false;
  onCleanup(() => (stopping = true));
  // As the browser does: a host the hub has no snapshot of yet answers 404; try again shortly.
  const watch = (host: SimHost): void => {
    const socket = new WebSocket(`ws://${hub.base}/ws?host=${host.name}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const cleanup = onCleanup(() => socket.terminate());
    const retry = (): void => {
      cleanup();
      if (!stopping) setTimeout(() => watch(host), 500);
    };
    socket.on('unexpected-response', retry);
    socket.on('error', () => undefined);
    socket.on('close', () => (stopping || !views.has(host.name) ? undefined : log(`hub closed the stream of ${host.name}`)));
    socket.on('message', (data: Buffer) => {
      const parsed = parseServerMessage(data.toString('utf8'));
      if (!parsed.ok) return;
      const m = parsed.value;
      const view = m.type === 'snapshot' ? m.snapshot : m.type === 'diff' ? applyDiff(views.get(host.name) ?? template(host.name), m.diff) : null;
      if (!view) return;
      views.set(host.name, view);
      const fresh = m.type === 'snapshot' ? view.processes : m.type === 'diff' ? m.diff.upserted : [];
      for (const p of fresh) {
        const key = `${host.name}/${p.pid}`;
        const bornAt = births.get(key);
        if (bornAt !== undefined) {
          latencies.push(now() - bornAt);
          births.delete(key);
        }
      }
    });
  };
  hosts.forEach(watch);
  const connectDeadline = now() + 60_000;
  while (views.size < HOSTS) {
    if (now() > connectDeadline) throw new Error(`only ${views.size} of ${HOSTS} hosts reached the hub's clients`);
    await sleep(200);
  }
  log(`${HOSTS} hosts × ${PROCESSES} processes at the hub; busy phase ${BUSY_S} s`);

  let tickNo = 0;
  const runPhase = async (seconds: number, busy: boolean): Promise<void> => {
    const end = now() + seconds * 1000;
    while (now() < end) {
      const started = now();
      tickNo++;
      for (const host of hosts) {
        const born = host.tick(tickNo, busy);
        if (born !== null) births.set(`${host.name}/${born}`, now());
      }
      await sleep(Math.max(0, TICK_MS - (now() - started)));
    }
  };
  await runPhase(5, true);
  latencies.length = 0;
  const hubStart = readProcessUsage(hub.pid) as ProcessUsage;
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(readProcessUsage(hub.pid)?.rssKiB ?? NaN), 1000);
  await runPhase(BUSY_S, true);
  const hubBusy = readProcessUsage(hub.pid) as ProcessUsage;
  clearInterval(sampler);
  await sleep(3000);
  const lost = births.size;
  births.clear();

  log(`idle phase ${IDLE_S} s`);
  await runPhase(5, false);
  const idleBytes0 = relay.bytes();
  const idleStart = now();
  const hubIdle0 = readProcessUsage(hub.pid) as ProcessUsage;
  await runPhase(IDLE_S, false);
  const idleBytes = relay.bytes() - idleBytes0;
  const idleSeconds = (now() - idleStart) / 1000;
  const hubIdle1 = readProcessUsage(hub.pid) as ProcessUsage;
  const perHostIdle = idleBytes / HOSTS / idleSeconds;
  const sent = agents.reduce((a, { publisher }) => ({ snapshots: a.snapshots + publisher.sent.snapshots, diffs: a.diffs + publisher.sent.diffs }), {
    snapshots: 0,
    diffs: 0,
  });

  const p50 = median(latencies);
  const p99 = percentile(latencies, 99);
  const busyCpu = cpuPercentBetween(hubStart, hubBusy);
  const idleCpu = cpuPercentBetween(hubIdle0, hubIdle1);
  const rssMiB = Math.max(...rssSamples.filter(Number.isFinite)) / 1024;
  const hubMsPerS = (busyCpu / 100) * 1000;
  const figures = [
    figure({
      id: 'birth-p99',
      figure: `birth on a host → hub client, ${HOSTS} hosts × ${PROCESSES.toLocaleString('en')}`,
      value: p99,
      unit: 'ms',
      measured: `p99 ${p99.toFixed(0)} ms, p50 ${p50.toFixed(0)} ms (${latencies.length} births, ${lost} not seen)`,
      target: { max: TARGET_P99_MS, text: `p99 ≤ ${TARGET_P99_MS} ms` },
    }),
    figure({
      id: 'idle-bytes',
      figure: 'NATS bytes per idle host per second',
      value: perHostIdle,
      unit: 'B/s',
      measured: `${perHostIdle.toFixed(0)} B/s (both directions, on the wire)`,
      target: { max: TARGET_IDLE_BYTES, text: `≤ ${TARGET_IDLE_BYTES} B/s` },
    }),
    figure({
      id: 'hub-cpu-busy',
      figure: 'hub CPU, busy',
      value: busyCpu,
      unit: '%',
      measured: `${busyCpu.toFixed(1)} % of a core, ${hubMsPerS.toFixed(0)} ms CPU a second (one \`ps -e\` here: ${ps.cpuMs.toFixed(0)} ms)`,
      target: null,
    }),
    figure({ id: 'hub-cpu-idle', figure: 'hub CPU, idle', value: idleCpu, unit: '%', measured: `${idleCpu.toFixed(1)} % of a core`, target: null }),
    figure({ id: 'hub-rss', figure: 'hub RSS, busy (max)', value: rssMiB, unit: 'MiB', measured: `${rssMiB.toFixed(0)} MiB`, target: null }),
  ];
  const failedBirths = lost > latencies.length / 100;
  for (const f of figures)
    process.stdout.write(
      `${f.verdict === 'report' ? 'INFO' : f.verdict.toUpperCase()} ${f.figure}: ${f.measured}${f.target ? ` (target ${f.target.text})` : ''}\n`,
    );
  process.stdout.write(
    `INFO published: ${sent.snapshots} snapshots, ${sent.diffs} diffs; reference: ps -e ${ps.cpuMs.toFixed(0)} ms CPU, ${ps.wallMs.toFixed(0)} ms wall\n`,
  );
  const file = await writeBenchResults(ROOT, {
    bench: 'hosts',
    command: 'npm run bench:hosts',
    takenAt: new Date().toISOString(),
    revision: describeRevision(ROOT, ['server', 'shared', 'scripts']),
    host: `${os.cpus().length} cores, load ${load0.map((l) => l.toFixed(2)).join(' ')}`,
    note: `${HOSTS} simulated hosts in one process through the agent's publisher, ${CHANGED_PER_TICK} processes changing and a birth every ${BIRTH_EVERY_TICKS} s per host, a tick a second; the hub a separate process; ${latencies.length} births in ${BUSY_S} s; idle ${IDLE_S} s.`,
    figures,
  });
  updateReadme(ROOT);
  log(`wrote ${path.relative(ROOT, file)} and README.md`);
  if (failedBirths) throw new Error(`${lost} births never reached the hub's clients`);
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`bench:hosts failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    runCleanups();
    setTimeout(() => process.exit(), 500).unref();
  });
