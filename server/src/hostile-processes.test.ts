import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseStat, processDetailSchema, snapshotSchema } from '@proclens/shared';
import type { ProcessDetail, ProcessInfo, Snapshot } from '@proclens/shared';
import { createLogger } from './logger.ts';
import { parseCli } from './parse-cli.ts';
import { ProcScanner } from './proc-scanner.ts';
import { readProcText } from './read-proc-file.ts';
import { startServer } from './start-server.ts';
import type { RunningServer } from './start-server.ts';

// Integration tests: every process below is created for real on this machine (odd names,
// rewritten argv, zombies, churn, another user's privileges) and observed through the real HTTP
// API of a real server reading the real /proc. The one exception, pid reuse, is marked as such.

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const isRoot = process.getuid?.() === 0;
const hasKthreadd = (() => {
  const stat = readProcText('/proc/2/stat');
  return stat.ok && parseStat(stat.value)?.comm === 'kthreadd';
})();
const CHILD_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: '/tmp' };
// Test processes sleep far longer than any test runs (afterEach kills them): on a busy machine a
// test has outlived a 30 s sleep and found its process gone.
const POLL_MS = 50;
/** The server's tick in these tests. */
const INTERVAL_MS = 200;

// ---- processes this file starts, and how they are stopped ------------------------------------

type Started = ChildProcess & { pid: number };
const started: Started[] = [];

/**
 * Starts a process in a process group of its own (`detached`), so that cleanup can kill the
 * group: that also takes the shells' children, the churners' forks and tsx's esbuild service.
 */
function start(command: string, args: string[], options: { cwd?: string; stdout?: boolean; env?: NodeJS.ProcessEnv } = {}): Started {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? CHILD_ENV,
    detached: true,
    stdio: ['ignore', options.stdout ? 'pipe' : 'ignore', 'ignore'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  started.push(child as Started);
  child.on('error', () => {});
  return child as Started;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Kills the process groups this file created (by their leader's pid, which is the group id). */
async function stopAll(): Promise<void> {
  const running = started.splice(0);
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ESRCH: the whole group is gone already.
    }
  }
  await Promise.all(running.map(exited));
}

afterEach(stopAll);

// ---- the server under test --------------------------------------------------------------------

let server: RunningServer;
/** `http://127.0.0.1:PORT/`: the server's own `url` may carry a query (a token) after the slash. */
let base: string;
let auth: Record<string, string>;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'proclens-hostile-'));
  // The CLI's defaults fill in any setting not named here.
  const cli = parseCli([], {});
  if (cli.kind !== 'run') throw new Error('parseCli gave no settings');
  server = await startServer(
    {
      ...cli.settings,
      port: 0,
      host: '127.0.0.1',
      dockerHost: 'unix:///nonexistent.sock',
      procRoot: '/proc',
      intervalMs: INTERVAL_MS,
      revealSecrets: false,
      verbose: false,
    },
    tmp,
    createLogger('error'),
  );
  base = `http://127.0.0.1:${server.port}/`;
  auth = { Authorization: `Bearer ${server.token}` };
});

afterAll(async () => {
  await stopAll();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function getSnapshot(): Promise<Snapshot> {
  const res = await fetch(`${base}api/snapshot`, { headers: auth });
  expect(res.status).toBe(200);
  return snapshotSchema.parse(await res.json());
}

async function getDetail(pid: number | string, root = base, headers = auth): Promise<{ status: number; body: ProcessDetail | null }> {
  const res = await fetch(`${root}api/processes/${pid}`, { headers });
  const json: unknown = await res.json();
  return { status: res.status, body: res.status === 200 ? processDetailSchema.parse(json) : null };
}

/** Polls the snapshot until `pick` finds what it looks for; fails with a description after `ms`. */
async function waitFor<T>(what: string, pick: (s: Snapshot) => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = pick(await getSnapshot());
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not seen in /api/snapshot within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const findPid =
  (pid: number, also: (p: ProcessInfo) => boolean = () => true) =>
  (s: Snapshot): ProcessInfo | undefined =>
    s.processes.find((p) => p.pid === pid && also(p));

/** A GET with the path sent byte for byte (fetch would normalise it first). */
function rawGet(pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: pathname, headers: auth }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/** Lines from a child's stdout, one promise per expected line. */
function lines(child: ChildProcess): () => Promise<string> {
  const queue: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const next = waiting.shift();
      if (next) next(line);
      else queue.push(line);
    }
  });
  return () => {
    const line = queue.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms))]);
}

// ---- the tests ---------------------------------------------------------------------------------

describe('hostile processes through the HTTP API', () => {
  /** Checks a process with an odd name: in the snapshot whole, and its detail answers 200. */
  async function expectNamed(child: Started, name: string, argv: string[]): Promise<void> {
    // Right after exec a process may still be running (R) for a tick: wait for it to sleep.
    const seen = await waitFor(
      `pid ${child.pid} named ${JSON.stringify(name)}, asleep`,
      findPid(child.pid, (p) => p.name === name && p.state === 'S'),
    );
    expect(seen).toMatchObject({ ppid: process.pid, name, argv, state: 'S', kernelThread: false });
    const detail = await getDetail(child.pid);
    expect(detail.status).toBe(200);
    expect(detail.body?.process.name).toBe(name);
    expect(detail.body?.argv).toEqual(argv);
  }

  it('shows a process named `a) b (c` with its exact name, its parent and a detail page', async () => {
    // exec takes comm from the file name it was given, so a symlink names the process.
    const link = path.join(tmp, 'a) b (c');
    symlinkSync('/bin/sleep', link);
    const child = start(link, ['600']);
    await expectNamed(child, 'a) b (c', [link, '600']);
  });

  it('shows a process whose name holds a newline with that newline in its name', async () => {
    const link = path.join(tmp, 'new\nline');
    symlinkSync('/bin/sleep', link);
    const child = start(link, ['600']);
    await expectNamed(child, 'new\nline', [link, '600']);
  });

  it('shows a process whose name is invalid UTF-8 with U+FFFD for each bad byte', async () => {
    // The file name is the bytes `bad\xff\xfename`; spawn() only takes strings, so a shell's glob
    // finds it and execs it: comm and argv[0] then carry the raw bytes.
    const dir = path.join(tmp, 'badutf8');
    mkdirSync(dir);
    symlinkSync('/bin/sleep', Buffer.concat([Buffer.from(`${dir}/bad`), Buffer.from([0xff, 0xfe]), Buffer.from('name')]));
    const child = start('/bin/sh', ['-c', 'exec ./bad* 600'], { cwd: dir, env: { ...CHILD_ENV, LANG: 'C' } });
    await expectNamed(child, 'bad\uFFFD\uFFFDname', ['./bad\uFFFD\uFFFDname', '600']);
  });

  it('round-trips an argv with an empty argument, a 100 KB argument and non-ASCII text exactly', async () => {
    const long = Array.from({ length: 100 * 1024 }, (_, i) => String.fromCharCode(32 + (i % 95))).join('');
    const argv = ['perl', '-e', 'sleep 600', '', long, '\u00fcn\u00ef c\u00f8d\u00e9\n\u2713 \t', 'last'];
    const child = start('perl', argv.slice(1));
    const seen = await waitFor(
      'perl with the long argv',
      findPid(child.pid, (p) => p.name === 'perl' && p.state === 'S'),
    );
    expect(seen.argv).toEqual(argv);
    expect(seen.argv[4]).toHaveLength(102_400);
    const detail = await getDetail(child.pid);
    expect(detail.status).toBe(200);
    expect(detail.body?.argv).toEqual(argv);
    expect(detail.body?.process.argv).toEqual(argv);
  });

  it('shows the argv that redis-server rewrote for itself and says its environment was zeroed', async () => {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = net.createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const child = start('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmp]);
    // Debian's redis 7 writes its title over argv (padding with NULs) and zeroes environ.
    const rewritten = [`/usr/bin/redis-server 127.0.0.1:${port}`];
    const seen = await waitFor(
      'redis-server with its rewritten argv',
      findPid(child.pid, (p) => p.argv.join('\0') === rewritten.join('\0')),
    );
    expect(seen).toMatchObject({ name: 'redis-server', ppid: process.pid, argv: rewritten });
    const detail = await getDetail(child.pid);
    expect(detail.status).toBe(200);
    expect(detail.body?.argv).toEqual(rewritten);
    expect(detail.body?.environ).toEqual({ state: 'zeroed', vars: [] });
  });

  it('lists a zombie with state Z and no argv until its parent reaps it, and its detail does not fail', async () => {
    // perl forks a child that exits at once and reaps it only when told to (SIGUSR1).
    const script = '$|=1; my $p = fork() // die; exit 0 if $p == 0; print "$p\\n"; $SIG{USR1} = sub { waitpid($p, 0); print "reaped\\n" }; sleep 1 while 1';
    const parent = start('perl', ['-e', script], { stdout: true });
    const next = lines(parent);
    const zombiePid = Number(await withTimeout(next(), 15_000, 'perl printed no pid'));
    const zombie = await waitFor(
      'the zombie',
      findPid(zombiePid, (p) => p.state === 'Z'),
    );
    expect(zombie).toMatchObject({ ppid: parent.pid, state: 'Z', argv: [], kernelThread: false });

    const detail = await getDetail(zombiePid);
    expect(detail.status).not.toBe(500);
    expect(detail.status).toBe(200);
    expect(detail.body?.process.state).toBe('Z');
    expect(detail.body?.argv).toEqual([]);

    // Three ticks later it is still there: a zombie exists until it is reaped.
    const seenAt = (await getSnapshot()).takenAt;
    const later = await waitFor('three more ticks', (s) => (s.takenAt >= seenAt + 3 * INTERVAL_MS ? s : undefined));
    expect(findPid(zombiePid)(later)?.state).toBe('Z');

    process.kill(parent.pid, 'SIGUSR1');
    expect(await withTimeout(next(), 15_000, 'perl did not reap')).toBe('reaped');
    await waitFor('the reaped zombie gone', (s) => (findPid(zombiePid)(s) ? undefined : true));
  });

  it.runIf(hasKthreadd)('lists kthreadd and its children as kernel threads with an empty argv', async () => {
    const snapshot = await getSnapshot();
    const kthreadd = snapshot.processes.find((p) => p.pid === 2);
    expect(kthreadd).toMatchObject({ name: 'kthreadd', ppid: 0, argv: [], kernelThread: true });
    const children = snapshot.processes.filter((p) => p.ppid === 2);
    expect(children.length).toBeGreaterThan(0);
    for (const p of children) expect(p, `pid ${p.pid} ${p.name}`).toMatchObject({ kernelThread: true, argv: [] });
    for (const p of snapshot.processes.filter((q) => q.kernelThread)) expect(p.pid === 2 || p.ppid === 2).toBe(true);
    expect(snapshot.processes.find((p) => p.pid === process.pid)?.kernelThread).toBe(false);
    const detail = await getDetail(children[0]?.pid ?? 2);
    expect(detail.status).toBe(200);
    expect(detail.body?.argv).toEqual([]);
  });

  it('returns only whole processes and keeps answering while processes are born and die in a tight loop', { timeout: 60_000 }, async () => {
    // A shell forks and exits `true` as fast as it can, and this test spawns and kills
    // `sleep`s: many processes vanish between the scanner's readdir and its reads.
    const churners = [start('/bin/sh', ['-c', 'while :; do for i in 1 2 3 4 5 6 7 8; do /bin/true & done; wait; done'])];
    const churnerPids = new Set(churners.map((c) => c.pid));
    const victims: ChildProcess[] = [];
    let spawning = true;
    const spawner = (async () => {
      while (spawning) {
        const victim = spawn('sleep', ['10'], { stdio: 'ignore', env: CHILD_ENV });
        victim.on('error', () => {});
        victims.push(victim);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        victim.kill('SIGKILL');
      }
    })();
    try {
      // On a host of more than 200 processes the first scan reads most from stat alone and
      // completes them over the next ticks (ProcScanner's crowd): wait for that, then check.
      await waitFor('the first scan completed', (s) => (s.processes.every((p) => p.uid !== null) ? true : undefined), 30_000);
      await waitFor('the churning shell', (s) => s.processes.find((p) => churnerPids.has(p.pid)));
      let snapshots = 0;
      let churnersSeen = 0;
      let lastTakenAt = 0;
      // At least 2 s, 3 snapshots and 20 victims, at most 30 s: on a host with thousands of
      // processes every tick takes a few hundred milliseconds, and a busy one spawns slowly.
      const startedAt = Date.now();
      while ((Date.now() - startedAt < 2000 || snapshots < 3 || victims.length <= 20) && Date.now() - startedAt < 30_000) {
        const res = await fetch(`${base}api/snapshot`, { headers: auth });
        expect(res.status).toBe(200);
        const parsed = snapshotSchema.safeParse(await res.json());
        expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
        if (!parsed.success) break;
        const { processes, takenAt } = parsed.data;
        snapshots += 1;
        lastTakenAt = Math.max(lastTakenAt, takenAt);
        const pids = processes.map((p) => p.pid);
        expect(new Set(pids).size).toBe(pids.length);
        for (const p of processes) {
          // Whole: stat, status and cmdline were all read (as root status is always readable).
          expect(p.state, `pid ${p.pid}`).toMatch(/^[A-Za-z]$/);
          expect(p.nspid[0], `pid ${p.pid}`).toBe(p.pid);
          if (isRoot) expect(p.uid, `pid ${p.pid}`).not.toBeNull();
        }
        if (processes.some((p) => churnerPids.has(p.pid) && p.ppid === process.pid)) churnersSeen++;
        // Asking for pids that are about to exist or just vanished answers 200 or 404, read from
        // /proc/PID alone while the churn races it (up to ten a round, while the round stays under
        // 300 ms); past the per-client detail rate, 429.
        const newest = Math.max(...pids);
        const round = Date.now();
        for (let pid = newest; pid <= newest + 9 && Date.now() - round < 300; pid++) expect([200, 404, 429]).toContain((await getDetail(pid)).status);
      }
      expect(snapshots).toBeGreaterThanOrEqual(3);
      // The storm was real: the churner lived throughout and dozens of sleeps were killed young.
      // (Whether a scan caught a `true` alive depends on the host: with thousands of processes a
      // tick reads them hundreds of milliseconds after its readdir, long after they exited.)
      expect(churnersSeen).toBe(snapshots);
      expect(victims.length).toBeGreaterThan(20);
      // The monitor still ticks after the storm.
      await waitFor('a tick after the storm', (s) => (s.takenAt > lastTakenAt ? true : undefined));
      // This client's detail rate refills within seconds, for the tests after this one.
      await expect.poll(async () => (await getDetail(process.pid)).status, { timeout: 10_000, interval: 500 }).toBe(200);
    } finally {
      spawning = false;
      await spawner;
      for (const victim of victims) victim.kill('SIGKILL');
      await Promise.all(victims.map(exited));
    }
  });

  it('reports the new argv and uid when a pid comes back as a new process with a new start time', () => {
    // The one fake in this file: pid reuse cannot be caused on demand (the kernel hands pids out
    // in order up to pid_max), so a fake /proc root plays a pid that dies and is born again.
    const root = mkdtempSync(path.join(tmp, 'fakeproc-'));
    const write = (pid: number, comm: string, startTime: number, argv: string[], uid: number): void => {
      const dir = path.join(root, String(pid));
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'stat'),
        `${pid} (${comm}) S 1 ${pid} ${pid} 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 ${startTime} 1000000 250 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0\n`,
      );
      writeFileSync(path.join(dir, 'status'), `Name:\t${comm}\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nGid:\t${uid}\t${uid}\t${uid}\t${uid}\nNSpid:\t${pid}\n`);
      writeFileSync(path.join(dir, 'cmdline'), `${argv.join('\0')}\0`);
      writeFileSync(path.join(dir, 'cgroup'), '0::/user.slice\n');
    };
    // A clock far past both start times: neither process is "young", so only identity counts.
    const scanner = new ProcScanner(root, { clockTicks: 100, pageSize: 4096, bootTime: 0 }, () => 1_000_000_000);
    write(4242, 'worker', 1000, ['old-daemon', '--flag'], 1000);
    expect(scanner.scan()).toMatchObject([{ pid: 4242, name: 'worker', startTime: 1000, argv: ['old-daemon', '--flag'], uid: 1000 }]);
    // Same pid, same comm, a later start time: another process.
    write(4242, 'worker', 5000, ['new-job', '--other'], 2000);
    expect(scanner.scan()).toMatchObject([{ pid: 4242, name: 'worker', startTime: 5000, argv: ['new-job', '--other'], uid: 2000 }]);
  });

  it('reports a reused pid as the new process on the next scan when the scanner refreshes within a CPU budget', () => {
    // With refreshBudgetMs a known pid is only re-read when the budget reaches it, unless the
    // kernel's pid counter (/proc/sys/kernel/ns_last_pid) passed it since the last tick: then it
    // may be another process. Fake /proc root, as above, with a fake counter.
    const root = mkdtempSync(path.join(tmp, 'fakeproc-'));
    const write = (pid: number, startTime: number, argv: string[]): void => {
      const dir = path.join(root, String(pid));
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'stat'),
        `${pid} (worker) S 1 ${pid} ${pid} 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 ${startTime} 1000000 250 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0\n`,
      );
      writeFileSync(path.join(dir, 'status'), `Name:\tworker\nUid:\t1000\t1000\t1000\t1000\nNSpid:\t${pid}\n`);
      writeFileSync(path.join(dir, 'cmdline'), `${argv.join('\0')}\0`);
      writeFileSync(path.join(dir, 'cgroup'), '0::/user.slice\n');
    };
    // Sixty old processes; the clock moves a second per tick, as the monitor's does.
    for (let pid = 1000; pid < 1060; pid++) write(pid, 1000, ['old-daemon', String(pid)]);
    const counter = (last: number): void => {
      mkdirSync(path.join(root, 'sys/kernel'), { recursive: true });
      writeFileSync(path.join(root, 'sys/kernel/ns_last_pid'), `${last}\n`);
    };
    counter(3000);
    let now = 1_000_000_000;
    const scanner = new ProcScanner(root, { clockTicks: 100, pageSize: 4096, bootTime: 0 }, { refreshBudgetMs: 0, now: () => now });
    scanner.scan();
    now += 1000;
    scanner.scan();
    // The counter wrapped past pid_max and reached 1059: that pid may be a new process.
    write(1059, 5000, ['new-job']);
    counter(1059);
    now += 1000;
    expect(scanner.scan().find((p) => p.pid === 1059)).toMatchObject({ startTime: 5000, argv: ['new-job'] });
  });

  it('keeps rsslim above 2^53 as its exact decimal text', () => {
    const stat = readProcText('/proc/self/stat');
    expect(stat.ok).toBe(true);
    const parsed = stat.ok ? parseStat(stat.value) : null;
    const limit = /^Max resident set\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    // RLIM_INFINITY is 2^64 − 1; a Number would print it as 18446744073709552000.
    const expected = limit === 'unlimited' ? '18446744073709551615' : limit;
    expect(parsed?.rssLimit).toBe(expected);
    if (limit === 'unlimited') expect(BigInt(parsed?.rssLimit ?? '0')).toBe(2n ** 64n - 1n);
  });

  it.runIf(isRoot)(
    'says another user\'s environment is "denied" with HTTP 200 when the server runs without privilege',
    async () => {
      const sleep = start('sleep', ['600'], { env: { ...CHILD_ENV, PROCLENS_HOSTILE_TEST: 'visible-to-root' } });
      // The in-process server runs as root and reads it…
      await waitFor(
        'the root sleep',
        findPid(sleep.pid, (p) => p.name === 'sleep'),
      );
      const asRoot = await getDetail(sleep.pid);
      expect(asRoot.status).toBe(200);
      expect(asRoot.body?.environ.state).toBe('ok');
      expect(asRoot.body?.environ.vars).toContainEqual({ name: 'PROCLENS_HOSTILE_TEST', value: 'visible-to-root', masked: false });

      // …a second server as nobody (uid 65534) may not.
      const unprivileged = start(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          '--import',
          'tsx',
          'server/src/main.ts',
          '--port',
          '0',
          '--docker-host',
          'unix:///nonexistent.sock',
        ],
        { cwd: repoRoot, stdout: true, env: { ...CHILD_ENV, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } },
      );
      const next = lines(unprivileged);
      const banner = await withTimeout(next(), 20_000, 'the unprivileged server printed no URL');
      const found = /(http:\/\/127\.0\.0\.1:\d+\/)\?token=([\w-]+)/.exec(banner);
      expect(found, banner).not.toBeNull();
      const url = found?.[1];
      expect(readFileSync(`/proc/${unprivileged.pid}/status`, 'utf8')).toMatch(/^Uid:\t65534\t/m);
      const asNobody = await getDetail(sleep.pid, url, { Authorization: `Bearer ${found?.[2] ?? ''}` });
      expect(asNobody.status).toBe(200);
      expect(asNobody.body?.environ).toEqual({ state: 'denied', vars: [] });
      expect(asNobody.body?.argv).toEqual(['sleep', '600']);
    },
    30_000,
  );

  it('answers 400 for pids that are not decimal numbers and 404 for a pid that does not exist', async () => {
    for (const raw of ['abc', '-1', '1.5', '0x10', '99999999999999999999', '%2e%2e%2fetc', '0']) {
      const res = await rawGet(`/api/processes/${raw}`);
      expect(res.status, raw).toBe(400);
      expect(JSON.parse(res.body)).toHaveProperty('error');
    }
    const gone = start('/bin/true', []);
    await exited(gone);
    // Reaped: node has collected its exit status, so its /proc entry goes (poll: the kernel may lag).
    const end = Date.now() + 15_000;
    while (existsSync(`/proc/${gone.pid}`) && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    expect(existsSync(`/proc/${gone.pid}`)).toBe(false);
    const res = await rawGet(`/api/processes/${gone.pid}`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'no such process', pid: gone.pid });
  });
});
