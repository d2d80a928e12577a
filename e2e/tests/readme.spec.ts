import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { snapshotSchema } from '@proclens/shared';
import type { Snapshot } from '@proclens/shared';
import { rawGet, tokenOf } from '../api.ts';
import { DOCKER_HOST, LAB_DIR, docker, repoRoot } from '../lab.ts';
import { childPids, freePort, isAlive, listeningAddresses, portIsFree, runLine, stopAll, waitFor } from '../npm-start.ts';
import type { Running } from '../npm-start.ts';
import { parseReadmeCommands, parseReadmeOptions, readReadme, readmeExportLine } from '../readme.ts';
import type { ReadmeOption } from '../readme.ts';

/**
 * The README, tried as a new user tries it: every command it shows is run here as written
 * (parsed from README.md, not copied), or named below with the reason it cannot run here; every
 * option in its table is given to `npm start` (and through its environment variable) and checked
 * to take effect.
 */

const README = readReadme();
const COMMANDS = parseReadmeCommands(README);
const OPTIONS = parseReadmeOptions(README);
const PKG = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };

/** Commands that cannot run on the test machine, and why. Anything else in the README must run below. */
const NOT_RUN: Record<string, string> = {
  'npm ci': 'reinstalls node_modules under the running tests; .ci/run runs it on a fresh clone before npm test',
  'npm test': 'it is the command that runs this test',
  'docker compose up -d --build': 'Compose v2 is not installed here (Debian ships v1); compose.spec.ts runs the same file with v1',
  'docker compose logs proclens': 'Compose v2 is not installed here; compose.spec.ts runs `docker-compose logs proclens`',
  'docker compose down': 'Compose v2 is not installed here; compose.spec.ts runs `docker-compose down`',
  'docker run --cgroupns=host …': 'an elided command line; the whole one is in docs/install.md',
  'docker context use rootless':
    'needs a rootless engine; contexts are followed as the docker CLI follows them in docker-endpoint.spec.ts and resolve-docker-endpoint.test.ts',
  'ssh -L 7700:127.0.0.1:7700 HOST': 'HOST stands for another machine, and the tests send traffic only to 127.0.0.0/8',
  'npm run fixtures:capture-runtimes':
    'starts Podman, a bare containerd and rootless Docker for minutes and rewrites committed fixtures; the same runtimes run for real in the runtime-*.spec.ts tests',
  'npm run bench:scan': 'a benchmark of minutes; its README table is checked against its JSON in render-bench-tables.test.ts',
  'npm run bench:stream -- --isolated': 'a benchmark of minutes; its README table is checked against its JSON in render-bench-tables.test.ts',
  'npm run bench:ui': 'a benchmark of minutes; its README table is checked against its JSON in render-bench-tables.test.ts',
  'npm run bench:hosts': 'a benchmark of minutes; its README table is checked against its JSON in render-bench-tables.test.ts',
  'npm run bench:record': 'a benchmark of minutes; its README table is checked against its JSON in render-bench-tables.test.ts',
};

/** Which test below runs each kind of README command. */
const RUN_BY: [RegExp, string][] = [
  [/^(npm ci && )?npm start( -- .*)?$/, 'every `npm start` line of the README (`npm ci` is not run, see above)'],
  [/^(LAB_DIR=\S+ )?npm run lab(:down)?$|^export DOCKER_HOST=|^docker run -d --name=db redis:alpine$/, 'the lab block'],
  [/^docker-compose (up -d --build|logs proclens|down)$/, 'compose.spec.ts'],
  [/^npm ci && npm run build && npm link$/, 'npm run build and npm link'],
  [/^npm run docs:cli$/, 'npm run docs:cli'],
  [/^openssl rand -hex 16$/, 'openssl rand -hex 16'],
  [/^stat -fc %T \/sys\/fs\/cgroup$/, 'stat -fc %T /sys/fs/cgroup'],
  [/^TOKEN=\S+$|^curl -H "Authorization: Bearer \$TOKEN" http:\/\/127\.0\.0\.1:7700\/api\/snapshot$/, 'the HTTP API example'],
  [/^nats-server -js |^export PROCLENS_NATS=|^node bin\/proclens\.js (agent|hub)\b/, 'the Many hosts block'],
];

/** Options checked by a test of their own below (both forms in one comparison). */
const OWN_TEST: Record<string, string> = {
  'cpu-budget': 'PROCLENS_CPU_BUDGET=1 and --cpu-budget 100 set the scanner’s refresh budget',
};

/** Options whose feature another helper is building; their check comes with the feature. */

test.afterEach(async () => {
  await stopAll();
});

/** A snapshot through the API, as a script gets it. */
async function snapshotOf(url: string): Promise<Snapshot> {
  const res = await rawGet(url, '/api/snapshot', { Authorization: `Bearer ${tokenOf(url)}` });
  if (res.status !== 200) throw new Error(`snapshot: HTTP ${res.status} ${res.body}`);
  return snapshotSchema.parse(JSON.parse(res.body));
}

/** Starts a README-style `npm start` line and waits for its first address. */
async function start(line: string, env: Record<string, string | undefined> = {}): Promise<{ run: Running; url: string; urls: string[] }> {
  const run = runLine(line, env);
  const urls = await run.urls();
  const url = urls[0];
  if (!url) throw new Error(`no address printed by ${line}`);
  return { run, url, urls };
}

/** The node server npm runs (npm's only child: the script `exec`s it). */
async function serverPidOf(run: Running): Promise<number> {
  return waitFor('the server under npm', () => childPids(run.pid)[0]);
}

// ---------------------------------------------------------------------------------------------

test('every command the README shows is run by a test here, or says why it cannot be', () => {
  expect(COMMANDS.length).toBeGreaterThan(10);
  const unaccounted = COMMANDS.filter((c) => !(c.text in NOT_RUN) && !RUN_BY.some(([pattern]) => pattern.test(c.text)));
  expect(unaccounted.map((c) => `README.md:${c.line}: ${c.text}`)).toEqual([]);
  // Every reason above is still about a command the README shows.
  const shown = new Set(COMMANDS.map((c) => c.text));
  expect(Object.keys(NOT_RUN).filter((text) => !shown.has(text))).toEqual([]);
});

test('every `npm start` line of the README starts the dashboard as written', async () => {
  test.setTimeout(180_000);
  // A line that records runs before the one that replays its file, as a reader would run them.
  const lines = [...new Set(COMMANDS.map((c) => c.text.replace(/^npm ci && /, '')).filter((t) => /^npm start( -- .*)?$/.test(t)))].sort(
    (a, b) => Number(b.includes('--record')) - Number(a.includes('--record')),
  );
  expect(lines).toContain('npm start');
  const written = lines.map((l) => /--record (\S+)/.exec(l)?.[1]).filter((f): f is string => f !== undefined && !existsSync(path.join(repoRoot, f)));
  test.info().annotations.push({ type: 'npm start lines', description: lines.join(' | ') });
  try {
    for (const line of lines) await runStartLine(line);
  } finally {
    for (const file of written) rmSync(path.join(repoRoot, file), { force: true });
  }
});

async function runStartLine(line: string): Promise<void> {
  {
    if (/--help/.test(line)) {
      const run = runLine(line);
      const exit = await run.exit;
      expect(exit.code, line).toBe(0);
      expect(run.stdout()).toContain('Usage: proclens');
      for (const o of OPTIONS) expect(run.stdout(), `${line} lists --${o.flag}`).toContain(`--${o.flag}${o.value ? ` ${o.value}` : ''}`);
      return;
    }
    // As written; the port it asks for (7700 by default) may be taken on a shared machine, and
    // then what the user sees is the server saying so.
    const port = Number(/--port (\d+)/.exec(line)?.[1] ?? 7700);
    if (!(await portIsFree(port))) {
      const run = runLine(line);
      expect((await run.exit).code, line).toBe(1);
      expect(run.stderr()).toContain(`port ${port} is already in use`);
      test.info().annotations.push({ type: 'note', description: `${line}: port ${port} was taken, and the server said so` });
      return;
    }
    const { run, url } = await start(line);
    expect(new URL(url).port, line).toBe(String(port));
    expect((await rawGet(url, '/api/snapshot', { Authorization: `Bearer ${tokenOf(url)}` })).status, line).toBe(200);
    if (line.includes('--verbose')) await waitFor(`${line}: a debug line`, () => /"level":"debug"/.test(run.stderr()));
    const recording = /--record (\S+)/.exec(line)?.[1];
    // A recording worth replaying: a few ticks of this host.
    if (recording)
      await waitFor(`${line}: ticks`, async () => (await snapshotOf(url)).takenAt > Date.now() - 500 && existsSync(path.join(repoRoot, recording)));
    const exit = await run.stop();
    expect(exit.code, line).toBe(0);
  }
}

// ---------------------------------------------------------------------------------------------
// Each option of the README's table, as a flag and through its environment variable.

interface Check {
  /** The value given after the flag (also given to the environment variable). */
  value?: () => Promise<string> | string;
  /** Extra environment for both runs. */
  env?: () => Promise<Record<string, string>> | Record<string, string>;
  /** Given the running command, its URL and the value it was given, checks the option took effect. */
  verify(ctx: { run: Running; url: string; urls: string[]; value: string; env: Record<string, string>; page: Page }): Promise<void>;
  /** Whether the environment also needs PORT (no, for --port itself). */
  ownPort?: boolean;
  /** The command exits by itself (--help, --version). */
  exits?: boolean;
}

let sleeper: ChildProcess | undefined;
/** Folders the checks make (a recording xdg-open, a proc root), removed after the file. */
const tempDirs: string[] = [];
const makeTempDir = (prefix: string): string => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};
test.afterAll(() => {
  sleeper?.kill('SIGKILL');
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
/** A process of this test's own, with a secret-looking variable in its environment. */
function secretHolder(): number {
  sleeper ??= spawn('sleep', ['600'], { env: { PATH: process.env.PATH, README_API_TOKEN: 'not-a-real-token-4242' }, stdio: 'ignore' });
  return sleeper.pid ?? 0;
}

const CHECKS: Record<string, Check> = {
  port: {
    ownPort: true,
    value: async () => String(await freePort()),
    async verify({ url, value }) {
      expect(new URL(url).port).toBe(value);
      expect(listeningAddresses(Number(value))).toEqual(['127.0.0.1']);
      expect((await rawGet(url, '/api/snapshot', { Authorization: `Bearer ${tokenOf(url)}` })).status).toBe(200);
    },
  },
  host: {
    value: () => '127.0.0.2',
    async verify({ url }) {
      const port = Number(new URL(url).port);
      expect(new URL(url).hostname).toBe('127.0.0.2');
      expect(listeningAddresses(port)).toEqual(['127.0.0.2']);
      expect((await rawGet(url, '/api/snapshot', { Authorization: `Bearer ${tokenOf(url)}` })).status).toBe(200);
      expect((await rawGet(`http://127.0.0.1:${port}`, '/api/snapshot')).status).toBe(-1);
    },
  },
  token: {
    value: () => 'readme-Token_0123.~xyz',
    async verify({ url, value }) {
      expect(tokenOf(url)).toBe(value);
      expect((await rawGet(url, '/api/snapshot', { Authorization: `Bearer ${value}` })).status).toBe(200);
      expect((await rawGet(url, '/api/snapshot', { Authorization: 'Bearer not-the-token-0123456789' })).status).toBe(401);
    },
  },
  'allowed-hosts': {
    value: () => 'dash.example,box.local',
    async verify({ url }) {
      const auth = { Authorization: `Bearer ${tokenOf(url)}` };
      const port = new URL(url).port;
      expect((await rawGet(url, '/api/snapshot', { ...auth, Host: `dash.example:${port}` })).status).toBe(200);
      expect((await rawGet(url, '/api/snapshot', { ...auth, Host: `box.local:${port}` })).status).toBe(200);
      expect((await rawGet(url, '/api/snapshot', { ...auth, Host: `elsewhere.example:${port}` })).status).toBe(403);
    },
  },
  open: {
    // No desktop here to open a browser in: a recording `xdg-open` first on the PATH stands in
    // for it (the one fake in this file), and shows what proclens asked to open.
    env: () => {
      const bin = makeTempDir('proclens-open-');
      writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" >> ${bin}/opened\n`);
      chmodSync(path.join(bin, 'xdg-open'), 0o755);
      return { PATH: `${bin}:${process.env.PATH ?? ''}`, OPEN_LOG: path.join(bin, 'opened') };
    },
    async verify({ url, env }) {
      const opened = await waitFor('xdg-open to be called', () => (existsSync(env.OPEN_LOG ?? '') ? readFileSync(env.OPEN_LOG ?? '', 'utf8') : undefined));
      expect(opened.trim()).toBe(url);
    },
  },
  share: {
    async verify({ run, url }) {
      const port = Number(new URL(url).port);
      const audience = /^audience: (http\S+)/m.exec(run.stdout())?.[1];
      expect(/^presenter: http\S+/m.test(run.stdout())).toBe(true);
      expect(audience).toBeDefined();
      // Bound beyond loopback; tried through loopback only (the tests never leave 127.0.0.0/8).
      expect(listeningAddresses(port)).toEqual(['0.0.0.0']);
      for (const token of [tokenOf(url), tokenOf(audience ?? '')]) {
        expect((await rawGet(`http://127.0.0.1:${port}`, '/api/snapshot', { Authorization: `Bearer ${token}` })).status).toBe(200);
      }
      expect(tokenOf(audience ?? '')).not.toBe(tokenOf(url));
    },
  },
  record: {
    value: () => path.join(makeTempDir('proclens-record-'), 'session.jsonl'),
    async verify({ run, url, value }) {
      const first = (await snapshotOf(url)).takenAt;
      await waitFor('two more ticks', async () => (await snapshotOf(url)).takenAt > first + 1000);
      expect((await run.stop()).code).toBe(0);
      const lines = readFileSync(value, 'utf8').trim().split('\n');
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ kind: 'header', recorder: `proclens ${PKG.version}` });
      expect(lines.slice(1).some((l) => (JSON.parse(l) as { kind: string }).kind === 'snapshot')).toBe(true);
    },
  },
  replay: {
    value: () => 'demo/lesson-containers-are-processes.jsonl.gz',
    async verify({ run, url, value }) {
      expect(run.stdout()).toContain(`proclens is replaying ${value} at`);
      const res = await rawGet(url, '/api/recording', { Authorization: `Bearer ${tokenOf(url)}` });
      expect(res.status).toBe(200);
      const recording = JSON.parse(res.body) as { file: string; header: { kind: string }; end: number };
      expect(recording).toMatchObject({ file: path.basename(value), header: { kind: 'header' } });
      // The lesson's last moment: db is there, as the recording left it.
      const end = await rawGet(url, `/api/snapshot?at=${recording.end}`, { Authorization: `Bearer ${tokenOf(url)}` });
      expect(snapshotSchema.parse(JSON.parse(end.body)).containers.some((c) => c.name === 'db')).toBe(true);
    },
  },
  rewind: {
    value: () => '2',
    async verify({ url }) {
      const auth = { Authorization: `Bearer ${tokenOf(url)}` };
      const then = (await snapshotOf(url)).takenAt;
      await waitFor('a later tick', async () => (await snapshotOf(url)).takenAt > then);
      const past = await rawGet(url, `/api/snapshot?at=${then}`, auth);
      expect(past.status).toBe(200);
      expect(snapshotSchema.parse(JSON.parse(past.body)).takenAt).toBe(then);
      // And with --rewind 0 nothing is kept.
      const { url: none } = await start('npm start -- --rewind 0', { PORT: String(await freePort()) });
      const refused = await rawGet(none, `/api/snapshot?at=${Date.now() - 500}`, { Authorization: `Bearer ${tokenOf(none)}` });
      expect(refused.status).toBe(404);
      expect(refused.body).toContain('--rewind 0');
    },
  },
  'docker-host': {
    value: () => DOCKER_HOST,
    async verify({ url, value }) {
      const snapshot = await waitFor('the lab engine', async () => {
        const s = await snapshotOf(url);
        return s.host.engines.find((e) => e.kind === 'docker')?.state === 'connected' && s.containers.some((c) => c.name === 'db') ? s : undefined;
      });
      expect(snapshot.host.engines.find((e) => e.kind === 'docker')?.endpoint).toBe(value);
    },
  },
  'podman-host': {
    // Where the command looks for Podman: a socket nobody serves, so the engine's line names this
    // endpoint and says why it is unreachable. runtime-podman.spec.ts reaches a real Podman service
    // through CONTAINER_HOST, the variable this also checks.
    value: () => `unix://${path.join(makeTempDir('proclens-podman-'), 'podman.sock')}`,
    async verify({ url, value }) {
      const podman = await waitFor('the Podman engine tried', async () => {
        const engine = (await snapshotOf(url)).host.engines.find((e) => e.kind === 'podman');
        return engine?.state === 'disconnected' ? engine : undefined;
      });
      expect(podman.endpoint).toBe(value);
      expect(podman.error).toMatch(/ENOENT/);
    },
  },
  'proc-root': {
    // A /proc of two processes: pid 1 and this test's own sleeper, beside the host-wide files.
    value: () => {
      const dir = makeTempDir('proclens-procroot-');
      for (const name of readdirSync('/proc')) if (!/^\d+$/.test(name)) symlinkSync(`/proc/${name}`, path.join(dir, name));
      for (const pid of [1, secretHolder()]) symlinkSync(`/proc/${pid}`, path.join(dir, String(pid)));
      return dir;
    },
    async verify({ url }) {
      const snapshot = await snapshotOf(url);
      expect(snapshot.processes.map((p) => p.pid).sort((a, b) => a - b)).toEqual([1, secretHolder()].sort((a, b) => a - b));
    },
  },
  interval: {
    value: () => '300',
    async verify({ url }) {
      // Distinct snapshot times, sampled far faster than the interval.
      const times = new Set<number>();
      const end = Date.now() + 4000;
      while (Date.now() < end) {
        times.add((await snapshotOf(url)).takenAt);
        await new Promise((r) => setTimeout(r, 40));
      }
      const sorted = [...times].sort((a, b) => a - b);
      const gaps = sorted.slice(1).map((t, i) => t - (sorted[i] ?? t));
      const median = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
      test.info().annotations.push({ type: 'interval 300', description: `median gap between ticks ${median} ms over ${gaps.length} gaps` });
      // 300 ms asked, 1000 ms the default: a shared machine may stretch a tick, not triple it.
      expect(median).toBeGreaterThanOrEqual(200);
      expect(median).toBeLessThanOrEqual(750);
    },
  },
  'reveal-secrets': {
    async verify({ url }) {
      const pid = secretHolder();
      const res = await rawGet(url, `/api/processes/${pid}`, { Authorization: `Bearer ${tokenOf(url)}` });
      const env = (JSON.parse(res.body) as { environ: { vars: { name: string; value: string | null; masked: boolean }[] } }).environ.vars;
      expect(env.find((v) => v.name === 'README_API_TOKEN')).toMatchObject({ value: 'not-a-real-token-4242', masked: false });
    },
  },
  verbose: {
    env: () => ({ DOCKER_HOST }),
    async verify({ run, url, page }) {
      await page.goto(url); // a request, and the page's WebSocket
      await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
      await docker('run', '-d', '--name=readme-verbose', '--network=none', 'lab/busybox', 'sleep', '30');
      try {
        const debug = () =>
          run
            .stderr()
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, unknown>)
            .filter((l) => l.level === 'debug');
        await waitFor('request, websocket, engine event and tick lines', () => {
          const lines = debug();
          return (
            lines.some((l) => l.message === 'request' && l.status === 200) &&
            lines.some((l) => l.message === 'websocket connected') &&
            lines.some((l) => l.message === 'engine event' && l.name === 'readme-verbose' && l.action === 'start') &&
            lines.some((l) => l.message === 'tick' && typeof l.processes === 'number')
          );
        });
      } finally {
        await docker('rm', '-f', 'readme-verbose').catch(() => '');
      }
    },
  },
  help: {
    exits: true,
    async verify({ run }) {
      expect((await run.exit).code).toBe(0);
      expect(run.stdout()).toMatch(/^Usage: proclens/m);
      for (const o of OPTIONS) expect(run.stdout()).toContain(`--${o.flag}`);
    },
  },
  version: {
    exits: true,
    async verify({ run }) {
      expect((await run.exit).code).toBe(0);
      expect(run.stdout()).toContain(`proclens ${PKG.version}\n`);
    },
  },
};

/** What the flag's value is, as a word on the command line ('' for a switch). */
async function valueOf(option: ReadmeOption, check: Check): Promise<string> {
  if (option.value === null) return '';
  if (!check.value) throw new Error(`no value for --${option.flag}`);
  return check.value();
}

for (const option of OPTIONS) {
  const forms: ('flag' | 'env')[] = option.env ? ['flag', 'env'] : ['flag'];
  for (const form of forms) {
    const title =
      form === 'flag'
        ? `npm start -- --${option.flag}${option.value ? ` ${option.value}` : ''} takes effect`
        : `${option.env}=… npm start takes effect (--${option.flag})`;
    if (option.flag in OWN_TEST) continue;
    test(title, async ({ page }) => {
      test.setTimeout(90_000);
      const check = CHECKS[option.flag];
      if (!check) throw new Error(`README option --${option.flag} has no check in readme.spec.ts`);
      const value = await valueOf(option, check);
      const env: Record<string, string> = { ...(check.env ? await check.env() : {}) };
      if (!check.ownPort && !check.exits) env.PORT = String(await freePort());
      let line = 'npm start';
      if (form === 'flag') line += ` -- --${option.flag}${value ? ` ${value}` : ''}`;
      else env[option.env ?? ''] = option.value === null ? '1' : value;
      if (check.exits) {
        const run = runLine(line, env);
        await check.verify({ run, url: '', urls: [], value, env, page });
        return;
      }
      const { run, url, urls } = await start(line, env);
      await check.verify({ run, url, urls, value, env, page });
      expect((await run.stop()).code).toBe(0);
    });
  }
}

test(OWN_TEST['cpu-budget'] ?? '', async () => {
  test.setTimeout(120_000);
  const option = OPTIONS.find((o) => o.flag === 'cpu-budget');
  expect(option?.env).toBe('PROCLENS_CPU_BUDGET');
  // Settled processes, so that the budget is what decides how many are re-read each tick.
  const sleepers = spawn('bash', ['-c', 'for i in $(seq 1000); do sleep 600 & done; wait'], { stdio: 'ignore', detached: true });
  try {
    await waitFor('1000 sleepers', () => childPids(sleepers.pid ?? 0).length >= 1000, 60_000);
    await new Promise((r) => setTimeout(r, 3500)); // older than "young" (3 s): only the budget re-reads them
    const read: Record<string, number> = {};
    for (const [label, line, env, budgetMs] of [
      ['budget 1', 'npm start -- --interval 100 --verbose', { PROCLENS_CPU_BUDGET: '1' }, 1],
      ['budget 100', 'npm start -- --interval 100 --verbose --cpu-budget 100', {}, 100],
    ] as const) {
      const { run } = await start(line, { ...env, PORT: String(await freePort()) });
      const lines = () =>
        run
          .stderr()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      // The scanner is given interval × budget / 100 ms a tick to re-read known processes.
      expect(lines().find((l) => l.message === 'scanning')).toMatchObject({ intervalMs: 100, refreshBudgetMs: budgetMs });
      // How many processes each tick read, as the tick summary says (the first ticks read everything).
      const ticks = await waitFor('20 ticks after the first', () => {
        const all = lines().filter((l) => l.message === 'tick');
        return all.length >= 25 ? all.slice(5).map((t) => Number(t.read)) : undefined;
      });
      read[label] = ticks.sort((a, b) => a - b)[Math.floor(ticks.length / 2)] ?? 0;
      await run.stop();
    }
    // A figure, not a bound: how many the budget lets through depends on how busy the machine is.
    test.info().annotations.push({ type: 'cpu-budget', description: `median processes re-read per 100 ms tick: ${JSON.stringify(read)}` });
  } finally {
    process.kill(-(sleepers.pid ?? 0), 'SIGKILL');
  }
});

test('a --token that breaks the rules is refused with the rules', async () => {
  const run = runLine('npm start -- --token short');
  expect((await run.exit).code).toBe(2);
  expect(run.stderr()).toContain('token must be 16 to 256 characters of letters, digits, ".", "_", "~" or "-"');
});

test('openssl rand -hex 16 makes a token the server accepts', async () => {
  const line = COMMANDS.find((c) => c.text.startsWith('openssl rand'))?.text ?? '';
  const made = runLine(line);
  expect((await made.exit).code).toBe(0);
  const token = made.stdout().trim();
  const { url, run } = await start(`npm start -- --token ${token}`, { PORT: String(await freePort()) });
  expect(tokenOf(url)).toBe(token);
  expect((await rawGet(url, '/api/snapshot', { Authorization: `Bearer ${token}` })).status).toBe(200);
  await run.stop();
});

test('stat -fc %T /sys/fs/cgroup tells cgroup v1 from v2', async () => {
  const run = runLine(COMMANDS.find((c) => c.text.startsWith('stat -fc'))?.text ?? '');
  expect((await run.exit).code).toBe(0);
  expect(run.stdout().trim()).toMatch(/^(tmpfs|cgroup2fs)$/);
});

test('the HTTP API example: curl with the bearer token', async () => {
  const [assign, curl] = ['TOKEN=', 'curl '].map((p) => COMMANDS.find((c) => c.text.startsWith(p))?.text ?? '');
  expect(assign).toMatch(/^TOKEN=/);
  const { url, run } = await start('npm start', { PORT: String(await freePort()) });
  // The README's address, on the port this server got.
  const made = runLine((curl ?? '').replace('127.0.0.1:7700', new URL(url).host), { TOKEN: tokenOf(url) });
  expect((await made.exit).code).toBe(0);
  expect(snapshotSchema.parse(JSON.parse(made.stdout())).processes.length).toBeGreaterThan(1);
  await run.stop();
});

test('npm run docs:cli leaves the README as it is', async () => {
  const before = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const run = runLine('npm run docs:cli');
  expect((await run.exit).code).toBe(0);
  expect(readFileSync(path.join(repoRoot, 'README.md'), 'utf8')).toBe(before);
});

test('npm run build and npm link give a proclens command', async () => {
  test.setTimeout(180_000);
  const line = COMMANDS.find((c) => c.text.endsWith('npm link'))?.text ?? '';
  // `npm ci` is not run here (see NOT_RUN); a private npm prefix keeps the link off this machine's PATH.
  const steps = line.split(' && ').filter((s) => s !== 'npm ci');
  expect(steps).toEqual(['npm run build', 'npm link']);
  const prefix = mkdtempSync(path.join(tmpdir(), 'proclens-prefix-'));
  try {
    for (const step of steps) {
      const run = runLine(step, { npm_config_prefix: prefix });
      expect((await run.exit).code, step).toBe(0);
    }
    const version = runLine(`${prefix}/bin/proclens --version`);
    expect((await version.exit).code).toBe(0);
    expect(version.stdout()).toBe(`proclens ${PKG.version}\n`);
    const { url, run } = await start(`${prefix}/bin/proclens --port 0`);
    expect((await rawGet(url, '/api/snapshot', { Authorization: `Bearer ${tokenOf(url)}` })).status).toBe(200);
    await run.stop();
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test('the lab block: npm run lab, the export line, npm start on the lab engine, npm run lab:down', async () => {
  test.setTimeout(300_000);
  // A lab of this test's own beside the suite's (LAB_DIR is the documented way to move it).
  const dir = `${LAB_DIR}-rd`;
  expect(dir.length).toBeLessThanOrEqual(70);
  const block = COMMANDS.filter((c) => c.where === 'block');
  const at = block.findIndex((c) => c.text === 'npm run lab');
  const lines = block.slice(at, at + 4).map((c) => c.text);
  expect(lines[0]).toBe('npm run lab');
  expect(lines[1]).toMatch(/^export DOCKER_HOST=/);
  expect(lines[2]).toBe('npm start');
  expect(lines[3]).toBe('npm run lab:down');
  try {
    const lab = runLine('npm run lab', { LAB_DIR: dir });
    expect((await lab.exit).code).toBe(0);
    const printed = lab.stdout().trim().split('\n').at(-1);
    expect(printed).toBe(readmeExportLine(README, dir));
    // What lab-up says it runs: docker run -d --name=db redis:alpine.
    expect((await docker('--host', `unix://${dir}/docker.sock`, 'inspect', '-f', '{{.Config.Image}} {{.State.Running}}', 'db')).trim()).toBe(
      'redis:alpine true',
    );

    const { url, run } = await start(`bash -c '${printed ?? ''}; exec npm start'`, { PORT: String(await freePort()) });
    const snapshot = await waitFor('the lab engine in the dashboard', async () => {
      const s = await snapshotOf(url);
      const engine = s.host.engines.find((e) => e.kind === 'docker');
      return engine?.state === 'connected' && s.containers.some((c) => c.name === 'db' && c.state === 'running') ? engine : undefined;
    });
    expect(snapshot.endpoint).toBe(`unix://${dir}/docker.sock`);
    await run.stop();

    const dockerd = Number(readFileSync(path.join(dir, 'docker.pid'), 'utf8'));
    const down = runLine('npm run lab:down', { LAB_DIR: dir });
    expect((await down.exit).code).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(isAlive(dockerd)).toBe(false);
  } finally {
    await runLine(`bash scripts/lab-down.sh ${dir}`).exit;
  }
});

test('the Many hosts block: nats-server, the PROCLENS_NATS export, an agent and a hub, as written', async () => {
  test.setTimeout(120_000);
  const block = COMMANDS.filter((c) => c.where === 'block');
  const at = block.findIndex((c) => c.text.startsWith('nats-server '));
  const [nats = '', exported = '', agent = '', hub = ''] = block.slice(at, at + 4).map((c) => c.text);
  expect(exported).toMatch(/^export PROCLENS_NATS=\S+$/);
  expect(agent).toBe('node bin/proclens.js agent');
  expect(hub).toMatch(/^node bin\/proclens\.js hub --port \d+$/);
  const natsPort = Number(/:(\d+)$/.exec(exported)?.[1] ?? 4222);
  const hubPort = Number(/--port (\d+)/.exec(hub)?.[1]);
  const store = /-sd (\S+)/.exec(nats)?.[1] ?? '';
  // As written it takes fixed ports and a fixed folder: on a shared machine they may be in use.
  const busy = [!(await portIsFree(natsPort)) && `port ${natsPort}`, !(await portIsFree(hubPort)) && `port ${hubPort}`, existsSync(store) && store].filter(
    Boolean,
  );
  test.skip(busy.length > 0, `in use here: ${busy.join(', ')}`);
  try {
    runLine(nats.replace(/\s*&$/, ''));
    await waitFor('nats-server listening', () => listeningAddresses(natsPort).includes('127.0.0.1'));
    const env = { PROCLENS_NATS: exported.replace(/^export PROCLENS_NATS=/, '') };
    const publishing = runLine(agent, env);
    await waitFor('the agent publishing', () => /is publishing this host as "([^"]+)"/.exec(publishing.stdout())?.[1]);
    const name = /is publishing this host as "([^"]+)"/.exec(publishing.stdout())?.[1] ?? '';
    const { url } = await start(hub, env);
    expect(new URL(url).port).toBe(String(hubPort));
    await waitFor(`host ${name} live at the hub`, async () => {
      const res = await rawGet(url, '/api/hosts', { Authorization: `Bearer ${tokenOf(url)}` });
      const hosts = res.status === 200 ? (JSON.parse(res.body) as { name: string; state: string; processes: number }[]) : [];
      return hosts.some((h) => h.name === name && h.state === 'live' && h.processes > 1);
    });
  } finally {
    await stopAll();
    if (store.startsWith('/tmp/')) rmSync(store, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Stopping: `npm start` is one thing to the user, so stopping npm stops the server.

test('SIGTERM to the `npm start` process stops the server within 2 s', async () => {
  const { run, url } = await start('npm start', { PORT: String(await freePort()) });
  const server = await serverPidOf(run);
  const sent = Date.now();
  run.child.kill('SIGTERM');
  const exit = await run.exit;
  // npm exits after its child: its own exit time bounds the server's.
  expect(exit.at - sent).toBeLessThan(2000);
  expect(isAlive(server)).toBe(false);
  expect((await rawGet(url, '/api/snapshot')).status).toBe(-1);
});

test('Ctrl-C (SIGINT to the terminal’s process group) stops npm and the server', async () => {
  const { run, url } = await start('npm start', { PORT: String(await freePort()) });
  const server = await serverPidOf(run);
  const sent = Date.now();
  // The command runs in a process group of its own, as a shell's foreground job does.
  process.kill(-run.pid, 'SIGINT');
  const exit = await run.exit;
  expect(exit.at - sent).toBeLessThan(2000);
  expect(isAlive(server)).toBe(false);
  expect((await rawGet(url, '/api/snapshot')).status).toBe(-1);
});

test('killing npm outright (SIGKILL) stops the server within about 2 s', async () => {
  const { run, url } = await start('npm start', { PORT: String(await freePort()) });
  const server = await serverPidOf(run);
  const sent = Date.now();
  run.child.kill('SIGKILL');
  // The orphan notices its new parent (checked each second) and exits; poll for it finely.
  let gone = 0;
  await waitFor('the orphaned server to exit', () => {
    if (!isAlive(server)) gone = Date.now();
    return gone;
  });
  test.info().annotations.push({ type: 'SIGKILL', description: `server exited ${gone - sent} ms after npm was killed` });
  expect(gone - sent).toBeLessThan(2500);
  expect((await rawGet(url, '/api/snapshot')).status).toBe(-1);
});
