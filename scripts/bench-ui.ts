/**
 * Browser benchmark for the web app (`npm run bench:ui`, i.e. `node --import tsx scripts/bench-ui.ts`).
 *
 * Loads a synthetic 5,000-process snapshot into the real, built web app (web/dist) in Debian's
 * Chromium and measures: first render (navigation start → every tree node in the DOM → painted),
 * frame times while panning with the mouse (d3-zoom drag), and the time to apply a diff that adds
 * 100 processes. Then it records a Chrome trace and a JavaScript CPU profile (mapped back to the
 * sources through the bundle's source map) of the same steps, to say where the time goes.
 *
 * Why a fake server: this benchmark measures the browser, not the server, and 5,000 real
 * processes are slow to create and never the same twice. So a tiny HTTP server on 127.0.0.1
 * serves web/dist and speaks the real protocol on /ws: one `snapshot` message built here (valid
 * under shared/src/model.ts), then `diff` messages on demand. /api/* answers 404, which the app
 * tolerates. The server side is measured by scripts/bench-stream.ts.
 *
 * Options: --processes N (5000)  --loads N (5 clean page loads)  --pan-ms N (2000)
 *          --build (run `npm run build` first even if web/dist exists)
 *          --dist DIR (serve another build, e.g. `cd web && npx vite build --outDir /tmp/wip --emptyOutDir`)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';
import type { Browser, Page } from 'playwright-core';
import { SourceMapConsumer } from 'source-map-js';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { applyDiff, buildTree, parseServerMessage, snapshotSchema } from '@proclens/shared';
import type { ContainerInfo, ProcessInfo, Snapshot, SnapshotDiff } from '@proclens/shared';
import { testProcess } from '@proclens/shared/testing';
import { layoutTree } from '../web/src/layout-tree.ts';
import { describeCpu, onCleanup, runCleanups, sampleCpu } from './spawn-sleepers.ts';
import { describeRevision } from './bench/describe-revision.ts';
import { median, percentile } from './bench/percentile.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distIndex = process.argv.indexOf('--dist');
/** The built web app to serve: web/dist, or another build (`--dist DIR`, e.g. of work in progress). */
const DIST = path.resolve(distIndex >= 0 ? (process.argv[distIndex + 1] ?? '') : path.join(ROOT, 'web/dist'));

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}
const PROCESSES = option('processes', 5000);
const LOADS = option('loads', 5);
const PAN_MS = option('pan-ms', 2000);
const UPDATE_SIZE = 100;
const UPDATES = 3;

const TARGET_FIRST_RENDER_MS = 1000;
const TARGET_PAN_FPS = 30;

const VIEWPORT = { width: 1280, height: 720 };

const log = (line: string): void => void process.stderr.write(`[${(performance.now() / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// A synthetic host: init → daemons; sshd sessions (one 60 deep); dockerd → containerd; 50 shims
// (re-parented to init, runtime-linked to containerd) each with a container of a few processes;
// a CI runner with a few hundred build jobs (wide); ~60 kernel threads (hidden by default).

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Synthetic {
  snapshot: Snapshot;
  nextPid: number;
  runnerPid: number;
}

const CLK = 100;

function synthesize(target: number): Synthetic {
  const random = rng(42);
  const takenAt = Date.now();
  const bootTime = takenAt - 3 * 86_400_000;
  const processes: ProcessInfo[] = [];
  const containers: ContainerInfo[] = [];
  let nextPid = 1;
  let visible = 0;
  let clock = bootTime + 1000;

  const add = (ppid: number, name: string, argv: string[], extra: Partial<ProcessInfo> = {}): number => {
    const pid = nextPid++;
    // Pids go up with start time, as on a real host; everything is older than the newborn flash.
    clock = Math.min(takenAt - 60_000, clock + 1 + Math.floor(random() * 20_000));
    processes.push(
      testProcess(pid, ppid, {
        name: name.slice(0, 15),
        argv,
        startTime: Math.round(((clock - bootTime) / 1000) * CLK),
        startedAt: clock,
        cpu: random() < 0.1 ? Math.round(random() * 300) / 10 : 0,
        rssKiB: 1024 + Math.floor(random() * 200_000),
        ...extra,
      }),
    );
    if (!extra.kernelThread) visible++;
    return pid;
  };

  const init = add(0, 'systemd', ['/sbin/init', 'splash']);
  const kthreadd = add(0, 'kthreadd', [], { kernelThread: true });
  for (let i = 0; i < 60; i++) add(kthreadd, i % 3 === 0 ? `kworker/${i % 2}:${i}` : `ksoftirqd/${i}`, [], { kernelThread: true });

  for (const [name, argv] of [
    ['systemd-journal', ['/lib/systemd/systemd-journald']],
    ['systemd-udevd', ['/lib/systemd/systemd-udevd']],
    ['systemd-network', ['/lib/systemd/systemd-networkd']],
    ['systemd-resolve', ['/lib/systemd/systemd-resolved']],
    ['systemd-logind', ['/lib/systemd/systemd-logind']],
    ['dbus-daemon', ['/usr/bin/dbus-daemon', '--system']],
    ['cron', ['/usr/sbin/cron', '-f']],
    ['rsyslogd', ['/usr/sbin/rsyslogd', '-n']],
    ['chronyd', ['/usr/sbin/chronyd', '-F', '1']],
    ['polkitd', ['/usr/libexec/polkitd', '--no-debug']],
    ['agetty', ['/sbin/agetty', '-o', '-p -- \\u', '--noclear', 'tty1']],
  ] as [string, string[]][]) {
    add(init, name, argv, { threads: name === 'rsyslogd' ? 4 : 1 });
  }

  // sshd with sessions; one session goes 60 shells deep.
  const sshd = add(init, 'sshd', ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups']);
  for (let s = 0; s < 12; s++) {
    const priv = add(sshd, 'sshd', [`sshd: user${s} [priv]`]);
    const sess = add(priv, 'sshd', [`sshd: user${s}@pts/${s}`], { uid: 1000 + s });
    let shell = add(sess, 'bash', ['-bash'], { uid: 1000 + s });
    if (s === 0) {
      for (let d = 0; d < 60; d++) shell = add(shell, 'bash', ['bash'], { uid: 1000 });
      add(shell, 'sleep', ['sleep', 'infinity'], { uid: 1000 });
    } else {
      const tools = ['vim', 'htop', 'less', 'journalctl', 'watch', 'top'];
      add(shell, tools[s % tools.length] as string, [tools[s % tools.length] as string], { uid: 1000 + s });
    }
  }

  // Docker: dockerd → containerd; shims re-parented to init with a runtime link to containerd.
  const dockerd = add(init, 'dockerd', ['/usr/bin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'], {
    role: 'dockerd',
    threads: 42,
  });
  const containerd = add(dockerd, 'containerd', ['containerd', '--config', '/var/run/docker/containerd/containerd.toml'], {
    role: 'containerd',
    threads: 31,
  });
  const images: { image: string; tree: (spawn: (ppid: number, name: string, argv: string[]) => number, root: number) => void; init: [string, string[]] }[] = [
    { image: 'redis:7-alpine', init: ['redis-server', ['redis-server', '*:6379']], tree: () => undefined },
    {
      image: 'nginx:1.27',
      init: ['nginx', ['nginx: master process nginx -g daemon off;']],
      tree: (spawn, root) => {
        for (let w = 0; w < 4; w++) spawn(root, 'nginx', ['nginx: worker process']);
      },
    },
    {
      image: 'postgres:16',
      init: ['postgres', ['postgres']],
      tree: (spawn, root) => {
        for (const what of ['checkpointer', 'background writer', 'walwriter', 'autovacuum launcher', 'logical replication launcher']) {
          spawn(root, 'postgres', [`postgres: ${what}`]);
        }
      },
    },
    {
      image: 'node:22-slim',
      init: ['docker-init', ['/sbin/docker-init', '--', 'node', 'server.js']],
      tree: (spawn, root) => {
        const node = spawn(root, 'node', ['node', 'server.js']);
        spawn(node, 'sh', ['/bin/sh', '-c', 'healthcheck.sh']);
      },
    },
    {
      image: 'python:3.12',
      init: ['gunicorn', ['/usr/local/bin/python', '/usr/local/bin/gunicorn', 'app:app', '-w', '3']],
      tree: (spawn, root) => {
        for (let w = 0; w < 3; w++) spawn(root, 'gunicorn', ['/usr/local/bin/python', '/usr/local/bin/gunicorn', 'app:app', '-w', '3']);
      },
    },
  ];
  for (let c = 0; c < 50; c++) {
    const kind = images[c % images.length] as (typeof images)[number];
    const id = Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('');
    const name = `${kind.image.split(/[:/]/)[0]}-${String(c).padStart(2, '0')}`;
    const shim = add(
      init,
      'containerd-shim',
      ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby', '-id', id, '-address', '/run/containerd/containerd.sock'],
      {
        role: 'shim',
        shimOf: id,
        logicalParent: containerd,
        threads: 12,
      },
    );
    let inner = 1;
    const inContainer = (ppid: number, procName: string, argv: string[], first = false): number =>
      add(ppid, procName, argv, {
        containerId: id,
        nspid: [nextPid, inner++],
        role: procName === 'docker-init' ? 'docker-init' : null,
        newNamespaces: first ? ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'uts'] : [],
        uid: first ? 0 : 999,
      });
    const root = inContainer(shim, kind.init[0], kind.init[1], true);
    kind.tree(inContainer, root);
    const pids = processes.filter((p) => p.containerId === id).map((p) => p.pid);
    containers.push({
      id,
      engine: 'docker',
      namespace: 'moby',
      source: 'api',
      exitCode: null,
      name,
      image: kind.image,
      state: 'running',
      status: 'Up 3 hours',
      command: kind.init[1].join(' '),
      created: takenAt - 3 * 3_600_000,
      pid: root,
      pids,
      labels: { 'com.docker.compose.project': 'bench', 'com.docker.compose.service': name },
    });
  }

  // A CI runner with build jobs: bash → [make → 4 × (sh → gcc → cc1), tee]. Wide at the top.
  const runner = add(init, 'gitlab-runner', ['/usr/bin/gitlab-runner', 'run'], { threads: 18 });
  let job = 0;
  while (visible + 15 <= target) {
    addJob(add, runner, job++, 4, true);
  }
  while (visible < target) add(runner, `helper-${visible}`, ['helper', String(visible)]);

  const snapshot: Snapshot = {
    processes,
    containers,
    host: {
      hostname: 'bench-host',
      kernel: '6.1.0-28-amd64',
      cpus: 8,
      bootTime,
      engines: [{ kind: 'docker', state: 'connected', endpoint: 'unix:///var/run/docker.sock', version: '27.3.1', error: null }],
    },
    takenAt,
  };
  return { snapshot: snapshotSchema.parse(snapshot), nextPid, runnerPid: runner };
}

/** One build job: 15 processes with `withTee` and 4 compilers; 10 without tee and with 4 (sh → cc1). */
function addJob(
  add: (ppid: number, name: string, argv: string[], extra?: Partial<ProcessInfo>) => number,
  runner: number,
  job: number,
  compilers: number,
  full: boolean,
): void {
  const bash = add(runner, 'bash', ['bash', '-c', `make -j${compilers} -C /builds/job-${job}`], { uid: 997 });
  const make = add(bash, 'make', ['make', `-j${compilers}`, '-C', `/builds/job-${job}`], { uid: 997 });
  for (let k = 0; k < compilers; k++) {
    const sh = add(make, 'sh', ['/bin/sh', '-c', `gcc -c src/file${k}.c`], { uid: 997 });
    if (full) {
      const gcc = add(sh, 'gcc', ['gcc', '-O2', '-c', `src/file${k}.c`], { uid: 997 });
      add(gcc, 'cc1', ['/usr/lib/gcc/x86_64-linux-gnu/12/cc1', `src/file${k}.c`], { uid: 997, cpu: 98.5 });
    } else {
      add(sh, 'cc1', ['/usr/lib/gcc/x86_64-linux-gnu/12/cc1', `src/file${k}.c`], { uid: 997, cpu: 97.0 });
    }
  }
  if (full) add(bash, 'tee', ['tee', `/builds/job-${job}.log`], { uid: 997 });
}

/** A diff adding `count` processes (10-process build jobs under the runner), born now. */
function newJobsDiff(synthetic: Synthetic, count: number, firstJob: number): { diff: SnapshotDiff; pids: number[] } {
  const takenAt = Date.now();
  const bootTime = synthetic.snapshot.host.bootTime;
  const upserted: ProcessInfo[] = [];
  const add = (ppid: number, name: string, argv: string[], extra: Partial<ProcessInfo> = {}): number => {
    const pid = synthetic.nextPid++;
    upserted.push(
      testProcess(pid, ppid, {
        name,
        argv,
        uid: 997,
        state: 'R',
        startTime: Math.round(((takenAt - 200 - bootTime) / 1000) * CLK),
        startedAt: takenAt - 200,
        rssKiB: 4096,
        ...extra,
      }),
    );
    return pid;
  };
  for (let j = 0; upserted.length + 10 <= count; j++) addJob(add, synthetic.runnerPid, firstJob + j, 4, false);
  while (upserted.length < count) add(synthetic.runnerPid, `helper-n${upserted.length}`, ['helper']);
  return { diff: { upserted, removed: [], containers: null, host: null, takenAt }, pids: upserted.map((p) => p.pid) };
}

/** What the app will draw for this snapshot with its default options (runtime view, no kthreads). */
function expectedDrawn(snapshot: Snapshot): number {
  const roots = buildTree(snapshot.processes, { view: 'runtime', showKernelThreads: false });
  const layout = layoutTree(roots, {
    containers: new Map(snapshot.containers.map((c) => [c.id, c])),
    collapsed: new Set(),
    expandedGroups: new Set(),
    keepVisible: new Set(),
    textScale: 1,
  });
  return layout.nodes.length;
}

// ---------------------------------------------------------------------------------------------
// The fake server.

interface FakeServer {
  origin: string;
  /** The snapshot message sent to the next connections. */
  setSnapshot(message: string): void;
  send(message: unknown): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

async function startFakeServer(initialSnapshot: string): Promise<FakeServer> {
  let snapshotMessage = initialSnapshot;
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      // /api/processes/:pid, /api/containers/:id, …: not part of this benchmark.
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not in the benchmark"}');
      return;
    }
    if (url.pathname === '/__blank') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>blank</title>');
      return;
    }
    let file = path.join(DIST, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(DIST, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.send(snapshotMessage);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const close = async (): Promise<void> => {
    for (const ws of sockets) ws.terminate();
    wss.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  };
  onCleanup(() => void close().catch(() => undefined));
  return {
    origin: `http://127.0.0.1:${port}`,
    setSnapshot: (message) => void (snapshotMessage = message),
    send: (message) => {
      const text = JSON.stringify(message);
      for (const ws of sockets) ws.send(text);
    },
    close,
  };
}

// ---------------------------------------------------------------------------------------------
// In-page instrumentation, installed before the app's scripts run.

interface RenderTimes {
  dom: number;
  raf: number;
  painted: number;
  /** Tree nodes in the DOM, and (when the app culls, and says so on the <svg>) how many it laid out. */
  count: number;
  total: number | null;
}
interface BenchGlobal {
  messages: { t: number; bytes: number }[];
  openAt: number | null;
  firstRender: Promise<RenderTimes>;
  waitForCount(n: number): Promise<RenderTimes>;
  count(): number;
  frames: number[] | null;
  transforms: number;
}
declare global {
  interface Window {
    __bench: BenchGlobal;
  }
}

function instrument(expected: number): void {
  const B = { messages: [], openAt: null, frames: null, transforms: 0 } as unknown as BenchGlobal;
  window.__bench = B;
  const Original = window.WebSocket;
  // Timestamps every frame before the app's own handler (registered later) sees it.
  window.WebSocket = class extends Original {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('open', () => (B.openAt = performance.now()));
      this.addEventListener('message', (e: MessageEvent) => B.messages.push({ t: performance.now(), bytes: typeof e.data === 'string' ? e.data.length : 0 }));
    }
  };
  const selector = '[data-testid=tree-node],[data-testid=tree-group]';
  B.count = () => document.querySelectorAll(selector).length;
  // Done when `n` nodes are in the DOM, or, for an app that draws only what is near the screen
  // and says so (`data-total`, `data-drawn` on the <svg>), when it has laid out `n` and every
  // node it means to draw (at least one) is in the DOM.
  B.waitForCount = (n: number) =>
    new Promise<RenderTimes>((resolve) => {
      const check = (): boolean => {
        const count = B.count();
        const svg = document.querySelector('[data-testid=process-tree]');
        const totalText = svg?.getAttribute('data-total') ?? null;
        const total = totalText === null ? null : Number(totalText);
        const drawn = Number(svg?.getAttribute('data-drawn') ?? NaN);
        const ready = total === null ? count >= n : total >= n && drawn > 0 && count >= drawn;
        if (!ready) return false;
        const dom = performance.now();
        observer.disconnect();
        // The first rAF runs before that frame's style, layout and paint; the second after it.
        requestAnimationFrame(() => {
          const raf = performance.now();
          requestAnimationFrame(() => resolve({ dom, raf, painted: performance.now(), count, total }));
        });
        return true;
      };
      const observer = new MutationObserver(() => void check());
      if (!check()) observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-total', 'data-drawn'] });
    });
  B.firstRender = B.waitForCount(expected);
}

// ---------------------------------------------------------------------------------------------
// Trace and profile analysis.

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string } };
}

const CATEGORY_OF: [RegExp, string][] = [
  [/^CpuProfiler::|^V8\.CpuProfiler|ProfilerStart/i, 'profiler overhead'],
  [/GC|Scavenge|Sweep|Marking|CppGC/i, 'garbage collection'],
  [/Paint|Layerize|CompositingInputs|Compositor|Commit|Raster|Decode|UpdateLayer|DisplayItem/i, 'paint + composite'],
  [/performLayout|^Layout$|UpdateLayout$|InlineNode::|ShapeText|SvgText|LayoutNG|Blink\.Layout|LayoutShift/i, 'layout (incl. SVG text)'],
  [/recalcStyle|UpdateStyle|StyleRecalc|UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|Blink\.Style|StyleInvalidat/i, 'style'],
  [/^(ParseHTML|Resource\w+)$/, 'loading'],
  [/^HitTest/, 'hit testing'],
  [
    /^(v8\.|V8\.|FunctionCall|EvaluateScript|TimerFire|EventDispatch|FireAnimationFrame|RunMicrotasks|HandlePostMessage|XHR|v8\.run|v8\.compile|v8\.callFunction)/,
    'scripting',
  ],
];

function categoryOf(event: TraceEvent): string {
  for (const [pattern, category] of CATEGORY_OF) if (pattern.test(event.name)) return category;
  return 'other (task overhead, …)';
}

/** Self time on the page's renderer main thread, by category and by event name. */
function summariseTrace(buffer: Buffer): { busyMs: number; categories: Map<string, number>; names: Map<string, number>; drawFrames: number[] } {
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  // The page's main thread is the renderer main thread that worked the most.
  const work = new Map<string, number>();
  for (const e of events)
    if (e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`)) work.set(`${e.pid}:${e.tid}`, (work.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
  const main = [...work].sort((a, b) => b[1] - a[1])[0]?.[0];
  const ours = events
    .filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const categories = new Map<string, number>();
  const names = new Map<string, number>();
  // Self time: an event's duration minus its children's (events nest by time on one thread).
  const stack: { end: number; event: TraceEvent; self: number }[] = [];
  const close = (entry: { event: TraceEvent; self: number }): void => {
    const category = categoryOf(entry.event);
    categories.set(category, (categories.get(category) ?? 0) + entry.self / 1000);
    names.set(entry.event.name, (names.get(entry.event.name) ?? 0) + entry.self / 1000);
  };
  let busy = 0;
  for (const e of ours) {
    while (stack.length && (stack[stack.length - 1] as { end: number }).end <= e.ts) close(stack.pop() as { event: TraceEvent; self: number });
    const parent = stack[stack.length - 1];
    if (parent) parent.self -= e.dur ?? 0;
    else busy += e.dur ?? 0;
    stack.push({ end: e.ts + (e.dur ?? 0), event: e, self: e.dur ?? 0 });
  }
  while (stack.length) close(stack.pop() as { event: TraceEvent; self: number });
  // Frames the display compositor drew and swapped while the page ran animation frames (the pan).
  const animationFrames = ours.filter((e) => e.name === 'FireAnimationFrame');
  const from = animationFrames[0]?.ts ?? -Infinity;
  const to = animationFrames[animationFrames.length - 1]?.ts ?? Infinity;
  const drawFrames = events
    .filter((e) => e.name === 'Display::DrawAndSwap' && e.ph === 'X' && e.ts >= from && e.ts <= to)
    .map((e) => e.ts / 1000)
    .sort((a, b) => a - b);
  return { busyMs: busy / 1000, categories, names, drawFrames };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** JavaScript self time by source file and by function, through the bundle's source map. */
function summariseProfile(profile: CpuProfile): { totalMs: number; outsideMs: number; files: Map<string, number>; functions: Map<string, number> } {
  const consumers = new Map<string, SourceMapConsumer | null>();
  const consumerFor = (url: string): SourceMapConsumer | null => {
    if (!consumers.has(url)) {
      const file = path.join(DIST, new URL(url).pathname);
      const map = `${file}.map`;
      consumers.set(url, existsSync(map) ? new SourceMapConsumer(JSON.parse(readFileSync(map, 'utf8')) as string) : null);
    }
    return consumers.get(url) ?? null;
  };
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    // A delta can be slightly negative (sample clock jitter): never let it subtract.
    self.set(id, (self.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
  }
  const files = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let outside = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id);
    if (!us) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    if (functionName === '(program)') {
      // Native work outside JavaScript (style, layout, paint…): the trace splits it up.
      outside += us;
      continue;
    }
    total += us;
    let file = functionName.startsWith('(') ? functionName : url ? url.replace(/^https?:\/\/[^/]+/, '') : '(native/DOM)';
    let name = functionName || '(anonymous)';
    if (url.startsWith('http')) {
      const consumer = consumerFor(url);
      const original = consumer?.originalPositionFor({ line: lineNumber + 1, column: columnNumber });
      if (original?.source) {
        file = tidySource(original.source);
        const text = consumer?.sourceContentFor(original.source, true)?.split('\n')[(original.line ?? 1) - 1] ?? '';
        name = `${original.name ?? guessName(text) ?? name} (${path.basename(file)}:${original.line})`;
      }
    } else if (!url && !functionName.startsWith('(')) {
      file = '(native/DOM)';
    }
    files.set(file, (files.get(file) ?? 0) + us / 1000);
    functions.set(name, (functions.get(name) ?? 0) + us / 1000);
  }
  return { totalMs: total / 1000, outsideMs: outside / 1000, files, functions };
}

function tidySource(source: string): string {
  const clean = source.replace(/^(\.\.\/)+/, '').replace(/^webpack:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = clean.slice(nm + 'node_modules/'.length).split('/');
    return `${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]} (dependency)`;
  }
  return clean.replace(/^work\/main\//, '');
}

function guessName(line: string): string | null {
  const match =
    /function\s*\*?\s*([\w$]+)/.exec(line) ??
    /(?:const|let|var)\s+([\w$]+)\s*=/.exec(line) ??
    /^\s*(?:async\s+)?([\w$]+)\s*\([^)]*\)\s*[:{]/.exec(line) ??
    /([\w$]+)\s*:\s*(?:async\s*)?\(/.exec(line);
  return match?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Statistics and formatting.

/** `commit 4555ce0` (+ `with uncommitted changes`), for telling runs apart while the code moves. */

const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
const ms1 = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');
const top = (m: Map<string, number>, n: number, total: number): string[] =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `| ${k.replace(/\|/g, '\\|')} | ${ms(v)} | ${((v / total) * 100).toFixed(0)} % |`);

// ---------------------------------------------------------------------------------------------
// CPU used by Chromium's renderer processes (ours: descendants of this process), from /proc. On a
// busy machine wall-clock times stretch; the CPU a step needs does not (much), so it says what
// the same step would take with a core to itself.

interface RendererCpu {
  /** Every thread of the renderer, and its main thread, in ms. */
  all: number;
  main: number;
}

const TICK_MS = 10;

function ticksOf(statText: string): number {
  const f = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

function rendererCpu(): Map<number, RendererCpu> {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const ours = (pid: number): boolean => {
    for (let p: number | undefined = parent.get(pid); p !== undefined && p > 0; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  const result = new Map<number, RendererCpu>();
  for (const pid of parent.keys()) {
    if (!ours(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      // The main thread (where Blink and JavaScript run) is the one whose tid is the pid.
      const main = ticksOf(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
      result.set(pid, { all: ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')) * TICK_MS, main: main * TICK_MS });
    } catch {
      // gone
    }
  }
  return result;
}

/** The CPU the busiest renderer used between two readings (a renderer born meanwhile counts from 0). */
function rendererDelta(before: Map<number, RendererCpu>, after: Map<number, RendererCpu>): RendererCpu {
  let best: RendererCpu = { all: 0, main: 0 };
  for (const [pid, now] of after) {
    const then = before.get(pid) ?? { all: 0, main: 0 };
    const delta = { all: now.all - then.all, main: now.main - then.main };
    if (delta.all > best.all) best = delta;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Steps.

async function newPage(browser: Browser, expected: number): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (err) => log(`page error: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log(`console ${m.type()}: ${m.text()}`);
  });
  // tsx compiles this file with esbuild's keepNames, which wraps named functions in `__name(…)`:
  // functions sent to the page need that helper there too.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript(instrument, expected);
  return page;
}

interface LoadResult {
  total: number | null;
  /** CPU of the page's renderer from before navigation until painted. */
  cpu: RendererCpu;
  bundleMs: number;
  dclMs: number;
  openMs: number;
  snapshotMs: number;
  domMs: number;
  paintedMs: number;
  count: number;
}

async function load(page: Page, origin: string): Promise<LoadResult> {
  const cpu0 = rendererCpu();
  await page.goto(`${origin}/`, { waitUntil: 'commit' });
  const first = await Promise.race([page.evaluate(() => window.__bench.firstRender), sleep(60_000).then(() => null)]);
  if (!first) throw new Error(`the tree never reached the expected node count (it has ${await page.evaluate(() => window.__bench.count())})`);
  const timing = await page.evaluate(() => {
    const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.js')) as PerformanceResourceTiming | undefined;
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return {
      bundle: script?.responseEnd ?? NaN,
      dcl: navigation?.domContentLoadedEventEnd ?? NaN,
      open: window.__bench.openAt ?? NaN,
      snapshot: window.__bench.messages[0]?.t ?? NaN,
    };
  });
  const cpu = rendererDelta(cpu0, rendererCpu());
  return {
    total: first.total,
    cpu,
    bundleMs: timing.bundle,
    dclMs: timing.dcl,
    openMs: timing.open,
    snapshotMs: timing.snapshot,
    domMs: first.dom,
    paintedMs: first.painted,
    count: first.count,
  };
}

/** The zoom scale and how many tree nodes are (at least partly) on screen. */
async function onScreen(page: Page): Promise<{ k: number; nodes: number }> {
  return page.evaluate(() => {
    const viewport = document.querySelector<SVGGElement>('g.viewport');
    const svg = document.querySelector('[data-testid=process-tree]')?.getBoundingClientRect();
    const t = viewport?.transform.baseVal.consolidate()?.matrix;
    if (!t || !svg) return { k: NaN, nodes: NaN };
    let nodes = 0;
    document.querySelectorAll<SVGGElement>('[data-testid=tree-node],[data-testid=tree-group]').forEach((el) => {
      const m = el.transform.baseVal.consolidate()?.matrix;
      if (!m) return;
      const x = t.a * m.e + t.e;
      const y = t.d * m.f + t.f;
      if (x >= -300 * t.a && x <= svg.width && y >= -10 && y <= svg.height + 10) nodes++;
    });
    return { k: t.a, nodes };
  });
}

interface PanResult {
  /** Renderer CPU over the pan. */
  cpu: RendererCpu;
  frames: number[];
  deltas: number[];
  fps: number;
  p50: number;
  p95: number;
  moves: number;
  transforms: number;
}

/**
 * Drags the tree in a circle for `durationMs` while recording rAF timestamps in the page.
 * `mouse`: real input through CDP (page.mouse), as fast as Playwright delivers it (each move waits
 * for the renderer's ack, so the rate depends on how busy the page is). `frame`: one synthetic
 * mousemove per animation frame, dispatched in the page (d3-zoom does not mind untrusted events):
 * what a 60 Hz mouse asks of the page, and so the figure for the frame-rate target.
 */
async function pan(page: Page, durationMs: number, mode: 'mouse' | 'frame'): Promise<PanResult> {
  const box = await page.evaluate(() => {
    const r = document.querySelector('[data-testid=process-tree]')?.getBoundingClientRect();
    return r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
  });
  if (!box) throw new Error('no tree on the page');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const radius = Math.min(box.width, box.height) / 4;
  await page.evaluate(() => {
    const B = window.__bench as BenchGlobal & { transformObserver?: MutationObserver };
    B.transforms = 0;
    B.transformObserver?.disconnect();
    const g = document.querySelector('g.viewport');
    B.transformObserver = new MutationObserver((records) => (B.transforms += records.length));
    if (g) B.transformObserver.observe(g, { attributes: true, attributeFilter: ['transform'] });
  });
  let frames: number[];
  let moves = 0;
  const cpu0 = rendererCpu();
  if (mode === 'mouse') {
    await page.evaluate(() => {
      const B = window.__bench;
      B.frames = [];
      const tick = (t: number): void => {
        if (!B.frames) return;
        B.frames.push(t);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.mouse.move(cx + radius, cy);
    await page.mouse.down();
    const start = performance.now();
    for (let elapsed = 0; elapsed < durationMs; elapsed = performance.now() - start) {
      const angle = (elapsed / durationMs) * 2 * Math.PI;
      await page.mouse.move(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
      moves++;
    }
    await page.mouse.up();
    frames = await page.evaluate(() => {
      const B = window.__bench;
      const recorded = B.frames ?? [];
      B.frames = null;
      return recorded;
    });
  } else {
    frames = await page.evaluate(
      ({ durationMs, cx, cy, radius }) =>
        new Promise<number[]>((resolve) => {
          const svg = document.querySelector('[data-testid=process-tree]');
          const at = (x: number, y: number, buttons: number): MouseEventInit => ({
            bubbles: true,
            cancelable: true,
            view: window,
            clientX: x,
            clientY: y,
            button: 0,
            buttons,
          });
          const recorded: number[] = [];
          svg?.dispatchEvent(new MouseEvent('mousedown', at(cx + radius, cy, 1)));
          let start = -1;
          const step = (t: number): void => {
            recorded.push(t);
            if (start < 0) start = t;
            const angle = ((t - start) / durationMs) * 2 * Math.PI;
            const x = cx + radius * Math.cos(angle);
            const y = cy + radius * Math.sin(angle);
            if (t - start >= durationMs) {
              window.dispatchEvent(new MouseEvent('mouseup', at(x, y, 0)));
              resolve(recorded);
              return;
            }
            window.dispatchEvent(new MouseEvent('mousemove', at(x, y, 1)));
            requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        }),
      { durationMs, cx, cy, radius },
    );
    moves = frames.length - 1;
  }
  const cpu = rendererDelta(cpu0, rendererCpu());
  const transforms = await page.evaluate(() => window.__bench.transforms);
  const deltas = frames.slice(1).map((t, i) => t - (frames[i] as number));
  const span = (frames[frames.length - 1] ?? 0) - (frames[0] ?? 0);
  return {
    cpu,
    frames,
    deltas,
    fps: span > 0 ? ((frames.length - 1) / span) * 1000 : NaN,
    p50: median(deltas),
    p95: percentile(deltas, 95),
    moves,
    transforms,
  };
}

interface UpdateResult {
  cpu: RendererCpu;
  messageMs: number;
  domMs: number;
  paintedMs: number;
}

async function update(page: Page, fake: FakeServer, message: unknown, expected: number): Promise<UpdateResult> {
  await page.evaluate((n) => {
    (window as unknown as { __update: Promise<RenderTimes> }).__update = window.__bench.waitForCount(n);
  }, expected);
  const before = await page.evaluate(() => window.__bench.messages.length);
  const cpu0 = rendererCpu();
  fake.send(message);
  const done = await Promise.race([page.evaluate(() => (window as unknown as { __update: Promise<RenderTimes> }).__update), sleep(30_000).then(() => null)]);
  if (!done) throw new Error(`the update never reached ${expected} nodes (${await page.evaluate(() => window.__bench.count())} drawn)`);
  const cpu = rendererDelta(cpu0, rendererCpu());
  const arrived = await page.evaluate((i) => window.__bench.messages[i]?.t ?? NaN, before);
  return { cpu, messageMs: arrived, domMs: done.dom - arrived, paintedMs: done.painted - arrived };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = new Date();
  const revision = describeRevision(ROOT, ['web', 'shared', 'server']);
  const cpu0 = sampleCpu();
  if (distIndex < 0 && (process.argv.includes('--build') || !existsSync(path.join(DIST, 'index.html')))) {
    log('building the web app (npm run build)…');
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error(`no built web app in ${DIST}`);
  const bundle = readdirSync(path.join(DIST, 'assets')).find((f) => f.endsWith('.js')) ?? '?';
  const builtAt = statSync(path.join(DIST, 'index.html')).mtime;

  log(`synthesising ${PROCESSES} processes…`);
  const synthetic = synthesize(PROCESSES);
  const snapshot = synthetic.snapshot;
  const visible = snapshot.processes.filter((p) => !p.kernelThread).length;
  const message = { type: 'snapshot', protocol: 1, seq: 0, snapshot };
  const messageText = JSON.stringify(message);
  const expected = expectedDrawn(snapshot);

  // The same work in Node (same V8), for scale: validation, tree, layout; first (cold) run and
  // the median of four more (warm).
  const timed = (fn: () => unknown): { cold: number; warm: number } => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      fn();
      runs.push(performance.now() - start);
    }
    return { cold: runs[0] as number, warm: median(runs.slice(1)) };
  };
  const parsed = parseServerMessage(messageText);
  if (!parsed.ok) throw new Error(`the synthetic snapshot is invalid: ${parsed.error}`);
  const layoutOptions = {
    containers: new Map(snapshot.containers.map((c) => [c.id, c])),
    collapsed: new Set<number>(),
    expandedGroups: new Set<string>(),
    keepVisible: new Set<number>(),
    textScale: 1,
  };
  const nodeTimes = {
    json: timed(() => JSON.parse(messageText)),
    parse: timed(() => parseServerMessage(messageText)),
    tree: timed(() => buildTree(snapshot.processes, { view: 'runtime', showKernelThreads: false })),
    layout: timed(() => layoutTree(buildTree(snapshot.processes, { view: 'runtime', showKernelThreads: false }), layoutOptions)),
  };

  const diffs = Array.from({ length: UPDATES + 1 }, (_, i) => newJobsDiff(synthetic, UPDATE_SIZE, 10_000 + i * 100));
  const expectedAfter: number[] = [];
  let running = snapshot;
  for (const d of diffs) {
    running = applyDiff(running, d.diff);
    expectedAfter.push(expectedDrawn(running));
  }

  const fake = await startFakeServer(messageText);
  log(`fake server at ${fake.origin}; snapshot ${(messageText.length / 1024).toFixed(0)} KiB, ${visible} visible processes, ${expected} tree nodes expected`);

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  onCleanup(() => void browser.close().catch(() => undefined));
  const version = browser.version();

  // 1. Clean page loads (no tracing, no profiler).
  const loads: LoadResult[] = [];
  let page: Page | null = null;
  for (let i = 0; i < LOADS; i++) {
    if (page) await page.context().close();
    page = await newPage(browser, expected);
    const result = await load(page, fake.origin);
    loads.push(result);
    log(
      `load ${i + 1}: snapshot at ${ms(result.snapshotMs)}, ${result.count} nodes in the DOM${result.total !== null ? ` (of ${result.total} laid out)` : ''} at ${ms(result.domMs)}, painted at ${ms(result.paintedMs)}`,
    );
  }
  if (!page) throw new Error('no page');

  // 2. Panning on the last page: as placed (the app focuses the container runtime), then fitted.
  await sleep(1500);
  const pans: { view: string; mode: 'mouse' | 'frame'; result: PanResult }[] = [];
  const views = new Map<string, { k: number; nodes: number }>();
  for (const view of ['placed', 'fitted']) {
    if (view === 'fitted') {
      await page.keyboard.press('f');
      await sleep(1000);
    }
    views.set(view, await onScreen(page));
    await pan(page, 1000, 'frame'); // warm-up: JIT, first raster of this view
    for (const mode of ['frame', 'mouse'] as const) {
      const result = await pan(page, PAN_MS, mode);
      pans.push({ view, mode, result });
      log(`pan ${view}, ${mode}: ${result.fps.toFixed(1)} fps, p50 ${ms1(result.p50)}, p95 ${ms1(result.p95)}, ${result.moves} moves`);
      await sleep(300);
    }
  }

  // 3. Updates of 100 new processes, on a fresh page as the app places it (the pans above ended
  // zoomed out, where an app that culls would draw everything). First, a quiet page's cost.
  await page.context().close();
  page = await newPage(browser, expected);
  await load(page, fake.origin);
  await sleep(1500);
  const quiet0 = rendererCpu();
  await sleep(3000);
  const quietCpu = rendererDelta(quiet0, rendererCpu());
  const updates: UpdateResult[] = [];
  for (let i = 0; i < UPDATES; i++) {
    await sleep(1000);
    const d = diffs[i] as (typeof diffs)[number];
    const result = await update(page, fake, { type: 'diff', seq: i + 1, diff: d.diff }, expectedAfter[i] as number);
    updates.push(result);
    log(`update ${i + 1}: in the DOM ${ms(result.domMs)}, painted ${ms(result.paintedMs)} after the message arrived`);
  }
  // The new processes flash (a CSS animation of the circles' radius, 2 × 1.5 s): what does the
  // page cost while they do, compared with a quiet page?
  const flash0 = rendererCpu();
  await sleep(2500);
  const flashCpu = rendererDelta(flash0, rendererCpu());
  await page.context().close();

  // Experiments on a fresh page: what would make panning cheaper? Each imitates, from outside, a
  // change the app could make: (a) no text (labels hidden, as a level-of-detail rule would do
  // when zoomed out); (b) a far-zoom overview: the same picture drawn with two <path>s instead of
  // ~10,000 elements; (c) each node placed with x/y attributes instead of its own
  // `transform="translate(…)"` (the DOM rewritten in place: no per-node transform, so far fewer
  // paint chunks for Chrome to re-layerize every frame); (d) (c) and (a). Not here: `will-change:
  // transform` on the <g> or the <svg>: tried, and in this software-rendered Chromium every such
  // frame stalls for seconds rastering a layer as big as the whole tree (see docs/bench-ui.md).
  const experiments: { view: string; name: string; result: PanResult }[] = [];
  {
    const expPage = await newPage(browser, expected);
    await load(expPage, fake.origin);
    await sleep(1500);
    const hideLabels = 'svg.tree text { display: none; }';
    const flatten = (): Promise<void> =>
      expPage.evaluate(() => {
        document.querySelectorAll<SVGGElement>('[data-testid=tree-node],[data-testid=tree-group]').forEach((g) => {
          const m = g.transform.baseVal.consolidate()?.matrix;
          if (!m) return;
          g.removeAttribute('transform');
          g.querySelector('circle')?.setAttribute('cx', String(m.e));
          g.querySelector('circle')?.setAttribute('cy', String(m.f));
          g.querySelector('text')?.setAttribute('x', String(11 + m.e));
          g.querySelector('text')?.setAttribute('y', String(m.f));
        });
      });
    // A far-zoom level of detail: hide the per-node elements and draw the same picture with two
    // <path>s (links; nodes as small squares). `on = false` undoes it.
    const overview = (on: boolean): Promise<void> =>
      expPage.evaluate((enable) => {
        const viewport = document.querySelector<SVGGElement>('g.viewport');
        if (!viewport) return;
        viewport.querySelectorAll('.bench-overview').forEach((el) => el.remove());
        viewport.querySelectorAll<SVGGElement>('g.links, g.nodes').forEach((g) => (g.style.display = enable ? 'none' : ''));
        if (!enable) return;
        const links: string[] = [];
        viewport.querySelectorAll<SVGPathElement>('g.links path').forEach((path) => links.push(path.getAttribute('d') ?? ''));
        const dots: string[] = [];
        viewport.querySelectorAll<SVGGElement>('g.nodes > g').forEach((g) => {
          const m = g.transform.baseVal.consolidate()?.matrix;
          if (m) dots.push(`M${m.e - 6},${m.f - 6}h12v12h-12z`);
        });
        for (const [d, fill, stroke] of [
          [links.join(''), 'none', 'gray'],
          [dots.join(''), 'gray', 'none'],
        ]) {
          const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
          path.setAttribute('class', 'bench-overview');
          path.setAttribute('d', d as string);
          path.setAttribute('fill', fill as string);
          path.setAttribute('stroke', stroke as string);
          viewport.append(path);
        }
      }, on);
    for (const view of ['placed', 'fitted']) {
      if (view === 'fitted') {
        // The flattening cannot be undone: start again from a fresh load.
        await load(expPage, fake.origin);
        await sleep(1500);
        await expPage.keyboard.press('f');
        await sleep(1000);
      }
      for (const [name, css, change] of [
        ['as built', null, null],
        ['labels hidden (svg.tree text { display: none })', hideLabels, null],
        ['overview: every link in one <path>, every node a square in one <path>', null, 'overview'],
        ['nodes placed by x/y, no per-node transform', null, 'flatten'],
        ['x/y placement and labels hidden', hideLabels, 'flatten'],
      ] as [string, string | null, 'overview' | 'flatten' | null][]) {
        if (change === 'flatten') await flatten();
        if (change === 'overview') await overview(true);
        const style = css ? await expPage.addStyleTag({ content: css }) : null;
        await pan(expPage, 1000, 'frame');
        const result = await pan(expPage, PAN_MS, 'frame');
        experiments.push({ view, name, result });
        log(`experiment ${view}, ${name}: ${result.fps.toFixed(1)} fps, p50 ${ms1(result.p50)}, p95 ${ms1(result.p95)}`);
        await style?.evaluate((el) => (el as Element).remove());
        if (change === 'overview') await overview(false);
      }
    }
    await expPage.context().close();
  }

  // What first render costs when only a screenful of nodes reaches the DOM: the same app with a
  // 300-process host (the parse and layout of 5,000 would come on top; see the Node timings).
  const small = synthesize(300);
  const smallExpected = expectedDrawn(small.snapshot);
  fake.setSnapshot(JSON.stringify({ type: 'snapshot', protocol: 1, seq: 0, snapshot: small.snapshot }));
  const smallLoads: LoadResult[] = [];
  for (let i = 0; i < 2; i++) {
    const smallPage = await newPage(browser, smallExpected);
    smallLoads.push(await load(smallPage, fake.origin));
    await smallPage.context().close();
  }
  fake.setSnapshot(messageText);
  log(`300-process first render: painted at ${ms(median(smallLoads.map((l) => l.paintedMs)))} (${smallExpected} nodes)`);

  // 4. The same steps again under Chrome's tracing and the JS profiler, to say where time goes.
  log('profiling: first render, one update and a pan after Fit, under tracing and the CPU profiler…');
  const traced = await newPage(browser, expected);
  await traced.goto(`${fake.origin}/__blank`);
  const cdp = await traced.context().newCDPSession(traced);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const categories = [
    'devtools.timeline',
    'disabled-by-default-devtools.timeline',
    'disabled-by-default-devtools.timeline.frame',
    'v8',
    'blink',
    'cc',
    'viz',
    'gpu',
    'benchmark',
  ];
  await browser.startTracing(traced, { categories });
  await cdp.send('Profiler.start');
  const tracedLoad = await load(traced, fake.origin);
  const loadProfile = (await cdp.send('Profiler.stop')).profile as unknown as CpuProfile;
  const loadTrace = summariseTrace(await browser.stopTracing());

  // One update, as placed (the traced page got the snapshot at seq 0: this diff is seq 1).
  await sleep(1500);
  await browser.startTracing(traced, { categories });
  await cdp.send('Profiler.start');
  await sleep(500);
  const tracedUpdate = await update(traced, fake, { type: 'diff', seq: 1, diff: diffs[0]?.diff }, expectedAfter[0] as number);
  await sleep(200);
  const updateProfile = (await cdp.send('Profiler.stop')).profile as unknown as CpuProfile;
  const updateTrace = summariseTrace(await browser.stopTracing());

  // Then a pan after Fit, after the newborn flash is over.
  await sleep(3000);
  await traced.keyboard.press('f');
  await sleep(1000);
  await browser.startTracing(traced, { categories });
  await cdp.send('Profiler.start');
  await sleep(500);
  const tracedPan = await pan(traced, PAN_MS, 'frame');
  const panProfile = (await cdp.send('Profiler.stop')).profile as unknown as CpuProfile;
  const panTrace = summariseTrace(await browser.stopTracing());
  await traced.context().close();
  await browser.close();
  await fake.close();

  const cpu = describeCpu(cpu0, sampleCpu());

  // Report.
  const firstRender = median(loads.map((l) => l.paintedMs));
  const firstDom = median(loads.map((l) => l.domMs));
  const verdict = (ok: boolean): string => (ok ? '**PASS**' : '**MISS**');
  const out: string[] = [];
  out.push(`## bench:ui, ${started.toISOString()}, ${revision}`);
  out.push('');
  out.push(
    `Chromium ${version} (headless, software rendering: --disable-gpu), viewport ${VIEWPORT.width}×${VIEWPORT.height}; ${DIST.startsWith(ROOT) ? path.relative(ROOT, DIST) : DIST} built ${builtAt.toISOString()} (${bundle}); ` +
      `during the run ${cpu.text} (load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the end). ` +
      `Synthetic snapshot: ${snapshot.processes.length} processes (${visible} visible, ${snapshot.processes.length - visible} kernel threads hidden), ` +
      `${snapshot.containers.length} containers, ${(messageText.length / 1024).toFixed(0)} KiB of JSON; the app lays out ${expected} tree nodes ` +
      `(identical leaf siblings are compacted, as pstree does)` +
      `${loads.some((l) => l.total !== null) ? ` and culls: ${median(loads.map((l) => l.count))} of them were in the DOM at first render` : ', and puts them all in the DOM'}.`,
  );
  out.push('');
  out.push(`First render, ${LOADS} clean loads (ms after navigation start):`);
  out.push('');
  out.push(
    '| load | JS bundle loaded | bundle run (DOMContentLoaded) | WebSocket open | snapshot arrived | nodes in DOM | painted | renderer CPU: main thread / all threads |',
  );
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  loads.forEach((l, i) =>
    out.push(
      `| ${i + 1} | ${ms(l.bundleMs)} | ${ms(l.dclMs)} | ${ms(l.openMs)} | ${ms(l.snapshotMs)} | ${ms(l.domMs)} | ${ms(l.paintedMs)} | ${ms(l.cpu.main)} / ${ms(l.cpu.all)} |`,
    ),
  );
  out.push('');
  out.push(
    'Panning: a drag in a circle for ' +
      `${PAN_MS} ms (d3-zoom), frame times from requestAnimationFrame. ` +
      '"per frame": one mousemove dispatched in the page every animation frame (a 60 Hz mouse); ' +
      '"CDP mouse": page.mouse.move through the DevTools protocol, each move awaited.',
  );
  out.push('');
  out.push('| view | input | frames | fps | frame p50 | frame p95 | worst | moves handled/s | renderer CPU per move: main / all |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { view, mode, result: p } of pans) {
    const seen = views.get(view);
    const where = `zoom ${seen?.k.toFixed(2)}, ${seen?.nodes} of ${expected} nodes on screen`;
    const viewName = view === 'placed' ? `as placed: the container runtime (${where})` : `after Fit (f) (${where})`;
    out.push(
      `| ${viewName} | ${mode === 'frame' ? 'per frame' : 'CDP mouse'} | ${p.frames.length} | ${p.fps.toFixed(1)} | ${ms1(p.p50)} | ${ms1(p.p95)} | ${ms1(Math.max(...p.deltas))} | ${((p.moves / PAN_MS) * 1000).toFixed(1)} | ${ms(p.cpu.main / Math.max(1, p.transforms))} / ${ms(p.cpu.all / Math.max(1, p.transforms))} |`,
    );
  }
  out.push('');
  out.push('Experiments, one move per frame, on a fresh page (what the app could change, imitated from outside):');
  out.push('');
  out.push('| view | variant | fps | frame p50 | frame p95 | renderer CPU per move: main / all |');
  out.push('| --- | --- | --- | --- | --- | --- |');
  for (const view of ['placed', 'fitted']) {
    for (const e of experiments.filter((x) => x.view === view)) {
      out.push(
        `| ${view === 'placed' ? 'as placed' : 'after Fit'} | ${e.name} | ${e.result.fps.toFixed(1)} | ${ms1(e.result.p50)} | ${ms1(e.result.p95)} | ${ms(e.result.cpu.main / Math.max(1, e.result.transforms))} / ${ms(e.result.cpu.all / Math.max(1, e.result.transforms))} |`,
      );
    }
  }
  out.push('');
  out.push(
    `First render of a 300-process host (${smallExpected} nodes: about what a viewport-culled tree would put in the DOM), ` +
      `median of ${smallLoads.length}: snapshot at ${ms(median(smallLoads.map((l) => l.snapshotMs)))}, nodes in DOM at ${ms(median(smallLoads.map((l) => l.domMs)))}, ` +
      `painted at ${ms(median(smallLoads.map((l) => l.paintedMs)))}.`,
  );
  out.push('');
  out.push(`Update: a diff adding ${UPDATE_SIZE} processes (10 build jobs under the CI runner), ms after the message reached the page:`);
  out.push('');
  out.push('| update | new nodes in DOM | painted | renderer CPU: main / all |');
  out.push('| --- | --- | --- | --- |');
  updates.forEach((u, i) => out.push(`| ${i + 1} | ${ms(u.domMs)} | ${ms(u.paintedMs)} | ${ms(u.cpu.main)} / ${ms(u.cpu.all)} |`));
  out.push('');
  out.push(
    `After the last update, while its ${UPDATE_SIZE} new nodes flash (\`.node.newborn circle\` animates \`r\` for 3 s), the renderer used ` +
      `${ms(flashCpu.main / 2.5)} of main-thread CPU per second (${ms(flashCpu.all / 2.5)} all threads); on a quiet page ${ms(quietCpu.main / 3)} (${ms(quietCpu.all / 3)}).`,
  );
  out.push('');
  out.push(
    `For scale, the same JavaScript in Node (same V8, this machine), first run / warm median: JSON.parse alone ${ms(nodeTimes.json.cold)} / ${ms(nodeTimes.json.warm)}; ` +
      `parseServerMessage (JSON.parse + zod) ${ms(nodeTimes.parse.cold)} / ${ms(nodeTimes.parse.warm)}; ` +
      `buildTree ${ms(nodeTimes.tree.cold)} / ${ms(nodeTimes.tree.warm)}; buildTree + layoutTree (d3 tidy tree, labels) ${ms(nodeTimes.layout.cold)} / ${ms(nodeTimes.layout.warm)}.`,
  );
  out.push('');
  const perFrame = pans.filter((p) => p.mode === 'frame');
  const panWorst = Math.min(...perFrame.map((p) => p.result.fps));
  const updateMedian = median(updates.map((u) => u.paintedMs));
  out.push('| target | measured | verdict |');
  out.push('| --- | --- | --- |');
  const firstCpu = median(loads.map((l) => l.cpu.main));
  out.push(
    `| first render ≤ ${TARGET_FIRST_RENDER_MS} ms | ${ms(firstRender)} painted (median of ${LOADS}; nodes in DOM at ${ms(firstDom)}); ` +
      `the renderer's main thread alone needed ${ms(firstCpu)} of CPU | ${verdict(firstRender <= TARGET_FIRST_RENDER_MS)}${firstRender > TARGET_FIRST_RENDER_MS && firstCpu <= TARGET_FIRST_RENDER_MS * 0.8 ? ' (on this busy machine; the CPU it needs would fit)' : ''} |`,
  );
  const panCpuPerMove = Math.max(...perFrame.map((p) => p.result.cpu.main / Math.max(1, p.result.transforms)));
  out.push(
    `| pan ≥ ${TARGET_PAN_FPS} fps (needs < ${(1000 / TARGET_PAN_FPS).toFixed(0)} ms of main-thread CPU per frame) | ${perFrame.map((p) => `${p.result.fps.toFixed(1)} fps ${p.view === 'placed' ? 'as placed' : 'after Fit'}`).join(', ')} (one move per frame); up to ${ms(panCpuPerMove)} of main-thread CPU per move | ${verdict(panWorst >= TARGET_PAN_FPS)} |`,
  );
  out.push(`| ${UPDATE_SIZE}-process update (report) | ${ms(updateMedian)} to painted (median of ${UPDATES}) | reported |`);
  out.push('');
  out.push('### Where the time goes (a separate, traced and profiled run: slower than the clean runs above)');
  out.push('');
  const section = (title: string, trace: ReturnType<typeof summariseTrace>, profile: CpuProfile, extra: string): void => {
    const js = summariseProfile(profile);
    out.push(`**${title}**: ${extra} Renderer main thread busy ${ms(trace.busyMs)}.`);
    out.push('');
    out.push('| main thread, by kind (trace self time) | time | share |');
    out.push('| --- | --- | --- |');
    out.push(...top(trace.categories, 6, trace.busyMs));
    out.push('');
    out.push('| top trace events (self time) | time | share |');
    out.push('| --- | --- | --- |');
    out.push(...top(trace.names, 8, trace.busyMs));
    out.push('');
    out.push(
      `| JavaScript by source file (CPU profile: ${ms(js.totalMs)} in JS; ${ms(js.outsideMs)} "(program)", native work such as style, layout, paint, left out) | time | share |`,
    );
    out.push('| --- | --- | --- |');
    out.push(...top(js.files, 8, js.totalMs));
    out.push('');
    out.push('| JavaScript by function (self time) | time | share |');
    out.push('| --- | --- | --- |');
    out.push(...top(js.functions, 12, js.totalMs));
    out.push('');
  };
  section(
    'First render',
    loadTrace,
    loadProfile,
    `Snapshot arrived at ${ms(tracedLoad.snapshotMs)}, nodes in DOM at ${ms(tracedLoad.domMs)}, painted at ${ms(tracedLoad.paintedMs)}.`,
  );
  const drawn = panTrace.drawFrames.filter((t, i, all) => i === 0 || t - (all[i - 1] as number) > 1);
  const drawnSpan = (drawn.at(-1) ?? 0) - (drawn[0] ?? 0);
  section(
    'Panning (after Fit, one move per frame)',
    panTrace,
    panProfile,
    `${tracedPan.fps.toFixed(1)} fps by rAF under tracing; the compositor drew ${drawn.length} frames in ${ms(drawnSpan)}` +
      `${drawnSpan > 0 ? ` (${(((drawn.length - 1) / drawnSpan) * 1000).toFixed(1)} fps)` : ''}.`,
  );
  section(
    `Update (+${UPDATE_SIZE} processes)`,
    updateTrace,
    updateProfile,
    `Nodes in DOM ${ms(tracedUpdate.domMs)}, painted ${ms(tracedUpdate.paintedMs)} after the message.`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  await main();
} catch (err) {
  process.stderr.write(`bench:ui failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
} finally {
  runCleanups();
  setTimeout(() => process.exit(), 500).unref();
}
