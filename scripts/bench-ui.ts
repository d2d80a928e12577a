/**
 * Browser benchmark for the web app (`npm run bench:ui`, i.e. `node --import tsx scripts/bench-ui.ts`).
 *
 * Loads synthetic hosts of 5,000 and 20,000 processes into the real, built web app (web/dist) in
 * Debian's Chromium at 1280×720 and measures what issue 12 asks: first render (navigation start →
 * the tree in the DOM → painted), pan and zoom after Fit (frame rate while dragging and while
 * wheel-zooming), and the time from a diff adding 100 processes to the page painted. Each figure
 * is printed against its target, and frame rates against a reference measured in the same run:
 * the frame rate of an empty page in the same browser (what this machine can do right now).
 *
 * Why a fake server: this benchmark measures the browser, not the server, and 20,000 real
 * processes are slow to create and never the same twice. So a tiny HTTP server on 127.0.0.1
 * serves web/dist and speaks the real protocol on /ws: one `snapshot` message built here (valid
 * under shared/src/model.ts), then `diff` messages on demand. /api/* answers 404, which the app
 * tolerates. The server side is measured by scripts/bench-stream.ts.
 *
 * Options: --processes 5000,20000  --loads N (3 clean page loads per size)  --pan-ms N (2000)
 *          --build (run `npm run build` first even if web/dist exists)
 *          --dist DIR (serve another build, e.g. `cd web && npx vite build --outDir /tmp/wip --emptyOutDir`)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';
import type { Browser, Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { PROTOCOL_VERSION, applyDiff, buildTree, snapshotSchema } from '@proclens/shared';
import type { ContainerInfo, ProcessInfo, Snapshot, SnapshotDiff } from '@proclens/shared';
import { testProcess } from '@proclens/shared/testing';
import { buildPlainLayoutOptions } from '../web/src/layout-options.ts';
import { layoutTree } from '../web/src/layout-tree.ts';
import { monospaceMeasure } from '../web/src/node-label.ts';
import { describeCpu, onCleanup, runCleanups, sampleCpu } from './spawn-sleepers.ts';
import { describeRevision } from './bench/describe-revision.ts';
import { figure, formatVerdict, writeBenchResults } from './bench/bench-results.ts';
import type { BenchFigure } from './bench/bench-results.ts';
import { updateReadme } from './bench/update-readme.ts';
import { median, percentile } from './bench/percentile.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distIndex = process.argv.indexOf('--dist');
/** The built web app to serve: web/dist, or another build (`--dist DIR`, e.g. of work in progress). */
const DIST = path.resolve(distIndex >= 0 ? (process.argv[distIndex + 1] ?? '') : path.join(ROOT, 'web/dist'));

function option(name: string, fallback: string): number[] {
  const i = process.argv.indexOf(`--${name}`);
  const values = (i >= 0 ? (process.argv[i + 1] ?? '') : fallback).split(',').map(Number);
  if (values.some((v) => !Number.isFinite(v) || v <= 0)) throw new Error(`--${name} needs positive numbers`);
  return values;
}
const SIZES = option('processes', '5000,20000');
const LOADS = option('loads', '3')[0] as number;
const PAN_MS = option('pan-ms', '2000')[0] as number;
const UPDATE_SIZE = 100;
const UPDATES = 3;

/** Issue 12's targets. */
const TARGET_FIRST_RENDER_MS: Record<number, number> = { 20000: 1500 };
const TARGET_PAN_FPS: Record<number, number> = { 5000: 50, 20000: 30 };
const TARGET_UPDATE_MS = 100;

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

/** What the app will lay out for this snapshot with its default options (runtime view, no kthreads, no focus). */
function expectedDrawn(snapshot: Snapshot): number {
  const roots = buildTree(snapshot.processes, { view: 'runtime', showKernelThreads: false });
  const layout = layoutTree(roots, buildPlainLayoutOptions(new Map(snapshot.containers.map((c) => [c.id, c])), monospaceMeasure(8), 24));
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
// Statistics and formatting.

/** `commit 4555ce0` (+ `with uncommitted changes`), for telling runs apart while the code moves. */

const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
const ms1 = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');

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
/** Wheel-zooms in and out around the centre, one wheel event per animation frame, recording frame times. */
async function zoom(page: Page, durationMs: number): Promise<{ fps: number; p95: number; frames: number }> {
  const frames = await page.evaluate(
    (durationMs) =>
      new Promise<number[]>((resolve) => {
        const svg = document.querySelector('[data-testid=process-tree]');
        const r = svg?.getBoundingClientRect();
        const recorded: number[] = [];
        let start = -1;
        const step = (t: number): void => {
          recorded.push(t);
          if (start < 0) start = t;
          if (t - start >= durationMs || !r) return resolve(recorded);
          // In for half a second, out for half a second: the scale stays near the fitted one.
          const inward = Math.floor((t - start) / 500) % 2 === 0;
          svg?.dispatchEvent(
            new WheelEvent('wheel', {
              bubbles: true,
              cancelable: true,
              clientX: r.x + r.width / 2,
              clientY: r.y + r.height / 2,
              deltaY: inward ? -30 : 30,
              deltaMode: 0,
            }),
          );
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    durationMs,
  );
  const deltas = frames.slice(1).map((t, i) => t - (frames[i] as number));
  const span = (frames[frames.length - 1] ?? 0) - (frames[0] ?? 0);
  return { fps: span > 0 ? ((frames.length - 1) / span) * 1000 : NaN, p95: percentile(deltas, 95), frames: frames.length };
}

/** The frame rate of an empty page in the same browser: what this machine can paint right now. */
async function referenceFps(browser: Browser, origin: string): Promise<number> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.goto(`${origin}/__blank`);
  const frames = await page.evaluate(
    (durationMs) =>
      new Promise<number[]>((resolve) => {
        const out: number[] = [];
        const step = (t: number): void => {
          out.push(t);
          if (t - (out[0] as number) >= durationMs) resolve(out);
          else requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    PAN_MS,
  );
  await context.close();
  const span = (frames[frames.length - 1] ?? 0) - (frames[0] ?? 0);
  return ((frames.length - 1) / span) * 1000;
}

interface SizeResult {
  size: number;
  visible: number;
  nodes: number;
  kilobytes: number;
  loads: LoadResult[];
  fitScale: number;
  pan: PanResult;
  mousePan: PanResult;
  zoom: { fps: number; p95: number; frames: number };
  updates: UpdateResult[];
}

async function measureSize(browser: Browser, size: number): Promise<SizeResult> {
  log(`synthesising ${size} processes…`);
  const synthetic = synthesize(size);
  const snapshot = synthetic.snapshot;
  const messageText = JSON.stringify({ type: 'snapshot', protocol: PROTOCOL_VERSION, seq: 0, snapshot });
  const expected = expectedDrawn(snapshot);
  const diffs = Array.from({ length: UPDATES }, (_, i) => newJobsDiff(synthetic, UPDATE_SIZE, 10_000 + i * 100));
  const expectedAfter: number[] = [];
  let running = snapshot;
  for (const d of diffs) {
    running = applyDiff(running, d.diff);
    expectedAfter.push(expectedDrawn(running));
  }
  const fake = await startFakeServer(messageText);
  log(`${size}: fake server at ${fake.origin}; snapshot ${(messageText.length / 1024).toFixed(0)} KiB, ${expected} tree nodes expected`);
  try {
    const loads: LoadResult[] = [];
    let page: Page | null = null;
    for (let i = 0; i < LOADS; i++) {
      if (page) await page.context().close();
      page = await newPage(browser, expected);
      const result = await load(page, fake.origin);
      loads.push(result);
      log(
        `${size}: load ${i + 1}: snapshot at ${ms(result.snapshotMs)}, ${result.count} of ${result.total ?? '?'} nodes in the DOM at ${ms(result.domMs)}, painted at ${ms(result.paintedMs)}`,
      );
    }
    if (!page) throw new Error('no page');
    // Pan and zoom after Fit: the whole tree on screen, the hardest case.
    await sleep(1000);
    await page.keyboard.press('f');
    await sleep(1500);
    const fitScale = (await onScreen(page)).k;
    await pan(page, 1000, 'frame'); // warm-up: JIT, first raster of this view
    const panned = await pan(page, PAN_MS, 'frame');
    log(`${size}: pan after Fit (zoom ${fitScale.toFixed(3)}): ${panned.fps.toFixed(1)} fps, p95 ${ms1(panned.p95)}`);
    const zoomed = await zoom(page, PAN_MS);
    log(`${size}: zoom after Fit: ${zoomed.fps.toFixed(1)} fps, p95 ${ms1(zoomed.p95)}`);
    await page.keyboard.press('f');
    await sleep(1000);
    const mousePan = await pan(page, PAN_MS, 'mouse');
    log(`${size}: pan after Fit, CDP mouse: ${mousePan.fps.toFixed(1)} fps`);
    // Updates, on a fresh page as the app places it.
    await page.context().close();
    page = await newPage(browser, expected);
    await load(page, fake.origin);
    await sleep(1500);
    const updates: UpdateResult[] = [];
    for (let i = 0; i < UPDATES; i++) {
      await sleep(1000);
      const d = diffs[i] as (typeof diffs)[number];
      const result = await update(page, fake, { type: 'diff', seq: i + 1, diff: d.diff }, expectedAfter[i] as number);
      updates.push(result);
      log(
        `${size}: update ${i + 1}: in the DOM ${ms(result.domMs)}, painted ${ms(result.paintedMs)} after the message arrived (renderer main thread ${ms(result.cpu.main)})`,
      );
    }
    await page.context().close();
    return {
      size,
      visible: snapshot.processes.filter((p) => !p.kernelThread).length,
      nodes: expected,
      kilobytes: messageText.length / 1024,
      loads,
      fitScale,
      pan: panned,
      mousePan,
      zoom: zoomed,
      updates,
    };
  } finally {
    await fake.close();
  }
}

const verdict = (ok: boolean): string => (ok ? '**PASS**' : '**MISS**');

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
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  onCleanup(() => void browser.close().catch(() => undefined));
  const blank = await startFakeServer('{}');
  const reference = await referenceFps(browser, blank.origin);
  await blank.close();
  log(`reference: an empty page paints at ${reference.toFixed(1)} fps`);
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await measureSize(browser, size));
  const referenceAfter = await (async () => {
    const again = await startFakeServer('{}');
    const fps = await referenceFps(browser, again.origin);
    await again.close();
    return fps;
  })();
  await browser.close();
  const load = describeCpu(cpu0, sampleCpu());

  const out: string[] = [];
  out.push(`## bench:ui, ${started.toISOString()}, ${revision}`, '');
  out.push(
    `Chromium ${browser.version()} (headless, software rendering), viewport 1280×720; web/dist ${bundle}. ${load.text}. Reference: an empty page in the same browser painted at ${reference.toFixed(1)} fps before the run and ${referenceAfter.toFixed(1)} fps after it.`,
    '',
  );
  out.push(
    '| processes | tree nodes | snapshot | first render, painted (median) | renderer main-thread CPU | nodes in the DOM |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const r of results) {
    const painted = median(r.loads.map((l) => l.paintedMs));
    out.push(
      `| ${r.size} (${r.visible} visible) | ${r.nodes} | ${r.kilobytes.toFixed(0)} KiB | ${ms(painted)} (${r.loads.map((l) => ms(l.paintedMs)).join(', ')}) | ${ms(median(r.loads.map((l) => l.cpu.main)))} | ${median(r.loads.map((l) => l.count))} |`,
    );
  }
  out.push(
    '',
    '| processes | after Fit, zoom | pan, one move per frame | p95 frame | pan, CDP mouse | wheel zoom, one event per frame | p95 frame | vs empty page |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const r of results) {
    out.push(
      `| ${r.size} | ${r.fitScale.toFixed(3)} | ${r.pan.fps.toFixed(1)} fps | ${ms1(r.pan.p95)} | ${r.mousePan.fps.toFixed(1)} fps | ${r.zoom.fps.toFixed(1)} fps | ${ms1(r.zoom.p95)} | ${(Math.min(r.pan.fps, r.zoom.fps) / reference).toFixed(2)}× |`,
    );
  }
  out.push('', '| processes | +100 processes: in the DOM | painted (median of 3) | each |', '| --- | --- | --- | --- |');
  for (const r of results) {
    out.push(
      `| ${r.size} | ${ms(median(r.updates.map((u) => u.domMs)))} | ${ms(median(r.updates.map((u) => u.paintedMs)))} | ${r.updates.map((u) => ms(u.paintedMs)).join(', ')} |`,
    );
  }
  out.push('', '| target | measured | verdict |', '| --- | --- | --- |');
  for (const r of results) {
    const fps = Math.min(r.pan.fps, r.zoom.fps);
    const target = TARGET_PAN_FPS[r.size];
    if (target !== undefined)
      out.push(
        `| pan and zoom after Fit ≥ ${target} fps at ${r.size} | ${r.pan.fps.toFixed(1)} fps pan, ${r.zoom.fps.toFixed(1)} fps zoom | ${verdict(fps >= target)} |`,
      );
    const first = TARGET_FIRST_RENDER_MS[r.size];
    const painted = median(r.loads.map((l) => l.paintedMs));
    if (first !== undefined)
      out.push(`| first render of ${r.size} ≤ ${first} ms | ${ms(painted)} painted (median of ${r.loads.length}) | ${verdict(painted <= first)} |`);
    const update = median(r.updates.map((u) => u.paintedMs));
    out.push(
      `| +100 processes ≤ ${TARGET_UPDATE_MS} ms to painted at ${r.size} | ${ms(update)} (median of ${r.updates.length}) | ${verdict(update <= TARGET_UPDATE_MS)} |`,
    );
  }
  out.push(
    '',
    'Every label a person can read is an SVG `<text>`: above zoom 0.3 the app draws real nodes (those near the screen); below it, where labels would be under 4 px, one overview of three `<path>`s.',
  );
  process.stdout.write(`${out.join('\n')}\n`);

  // The figures with their targets, for docs/bench/ui.json and the README's table.
  const figures: BenchFigure[] = [];
  const n = (size: number): string => size.toLocaleString('en-US');
  for (const r of results) {
    const painted = median(r.loads.map((l) => l.paintedMs));
    const cpu = median(r.loads.map((l) => l.cpu.main));
    const first = TARGET_FIRST_RENDER_MS[r.size];
    figures.push(
      figure({
        id: `first-render-${r.size}`,
        figure: `first render, ${n(r.size)} processes`,
        value: painted,
        unit: 'ms',
        measured: `${ms(painted)} painted (median of ${r.loads.length}; ${ms(cpu)} of renderer main-thread CPU)`,
        target: first === undefined ? null : { max: first, text: `≤ ${n(first)} ms` },
      }),
    );
    const fps = Math.min(r.pan.fps, r.zoom.fps);
    const target = TARGET_PAN_FPS[r.size];
    figures.push(
      figure({
        id: `pan-zoom-after-fit-${r.size}`,
        figure: `pan and zoom after Fit, ${n(r.size)} processes`,
        value: fps,
        unit: 'fps',
        measured: `${r.pan.fps.toFixed(0)} fps pan, ${r.zoom.fps.toFixed(0)} fps zoom (${(fps / reference).toFixed(2)}× an empty page)`,
        target: target === undefined ? null : { min: target, text: `≥ ${target} fps` },
      }),
    );
    const update = median(r.updates.map((u) => u.paintedMs));
    figures.push(
      figure({
        id: `update-${r.size}`,
        figure: `100 new processes to painted, ${n(r.size)} processes`,
        value: update,
        unit: 'ms',
        measured: `${ms(update)} (median of ${r.updates.length}; ${ms(median(r.updates.map((u) => u.cpu.main)))} of renderer main-thread CPU)`,
        target: { max: TARGET_UPDATE_MS, text: `≤ ${TARGET_UPDATE_MS} ms` },
      }),
    );
  }
  for (const f of figures) log(formatVerdict(f));
  const file = await writeBenchResults(ROOT, {
    bench: 'ui',
    command: process.argv.length > 2 ? `npm run bench:ui -- ${process.argv.slice(2).join(' ')}` : 'npm run bench:ui',
    takenAt: started.toISOString(),
    revision,
    host: `Debian Chromium ${browser.version()}, software rendering, 1280×720; ${load.text}`,
    note: 'Wall times on a shared 2-core machine stretch with the load named above; the renderer CPU beside them is what a step costs with a core to itself.',
    figures,
  });
  log(`wrote ${path.relative(ROOT, file)}; README.md ${updateReadme(ROOT).changed ? 'updated' : 'unchanged'}`);
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`bench:ui failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(runCleanups);
