import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Snapshot } from '@proclens/shared';
import { containerDetailSchema, processDetailSchema } from '@proclens/shared';
import { apiFetch, fetchSnapshot, serverUrl } from '../api.ts';
import { DOCKER_HOST, LAB_DIR, docker, labUp, startServer } from '../lab.ts';

/**
 * How long the dashboard may take to reflect an engine change. The target is 1 s and the measured
 * figures (printed, and kept as annotations) are far below it; the bound is looser because a
 * shared CI machine can stall any process for a while.
 */
const REFLECT_MS = 5000;

async function dockerTopPids(name: string): Promise<number[]> {
  const out = await docker('top', name, '-o', 'pid');
  return out
    .split('\n')
    .slice(1)
    .map((l) => Number(l.trim()))
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
}

/** Polls the snapshot until `check` holds; returns how long it took. */
async function timeUntil(check: (s: Snapshot) => boolean, base = serverUrl(), limit = REFLECT_MS): Promise<number> {
  const start = Date.now();
  await expect.poll(async () => check(await fetchSnapshot(base)), { timeout: limit, intervals: [50] }).toBe(true);
  return Date.now() - start;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  for (const name of ['web', 'web2', 'renamed']) await docker('rm', '-f', name).catch(() => '');
  await docker(
    'run',
    '-d',
    '--init',
    '--name=web',
    '--network=none',
    '-e',
    'API_TOKEN=abc123secret',
    '-l',
    'com.docker.compose.project=shop',
    '-l',
    'com.docker.compose.service=web',
    'lab/busybox',
    'sleep',
    '1000',
  );
});

test.afterAll(async () => {
  for (const name of ['web', 'web2', 'renamed']) await docker('rm', '-f', name).catch(() => '');
});

test('the engine connection holds while nothing happens (the event stream has no idle timeout)', async () => {
  // A request timeout once applied to the event stream too, dropping the engine every 5 s.
  const end = Date.now() + 7000;
  while (Date.now() < end) {
    const snapshot = await fetchSnapshot();
    expect(snapshot.host.engines[0]?.state).toBe('connected');
    expect(snapshot.containers.some((c) => c.name === 'db')).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
  }
});

test('every process the API attributes to a container is exactly what docker top lists', async () => {
  await docker('exec', '-d', 'db', 'sleep', '301');
  await expect
    .poll(async () => {
      const snapshot = await fetchSnapshot();
      // The lab engine's own containers: other engines on this host show too, listed from /proc.
      const running = snapshot.containers.filter((c) => c.state === 'running' && c.source === 'api');
      const results = await Promise.all(running.map(async (c) => JSON.stringify(c.pids) === JSON.stringify(await dockerTopPids(c.name))));
      // Both lists may hold the exec'd process while it is still runc's init: wait for it to be sleep.
      const execd = snapshot.processes.some((p) => p.argv.join(' ') === 'sleep 301');
      return running.length >= 2 && execd && results.every(Boolean);
    })
    .toBe(true);
  const snapshot = await fetchSnapshot();
  // Other engines on the same host (a user's own, another lab) have containers this one does not know.
  const known = new Set(snapshot.containers.map((c) => c.id));
  const attributed = snapshot.processes.filter((p) => p.containerId !== null && known.has(p.containerId));
  const listed = snapshot.containers.flatMap((c) => c.pids);
  expect(attributed.map((p) => p.pid).sort((a, b) => a - b)).toEqual(listed.sort((a, b) => a - b));
  // docker exec's process is the shim's child, not redis-server's, and still belongs to db.
  const db = snapshot.containers.find((c) => c.name === 'db');
  const sleeper = snapshot.processes.find((p) => p.argv.join(' ') === 'sleep 301' && p.containerId === db?.id);
  expect(sleeper).toBeDefined();
  const shim = snapshot.processes.find((p) => p.pid === sleeper?.ppid);
  expect(shim?.role).toBe('shim');
  expect(sleeper?.nspid.length).toBe(2);
});

test('a --init container shows docker-init as its pid 1 with the program beneath', async () => {
  const snapshot = await fetchSnapshot();
  const web = snapshot.containers.find((c) => c.name === 'web');
  const init = snapshot.processes.find((p) => p.pid === web?.pid);
  expect(init?.role).toBe('docker-init');
  expect(init?.nspid.at(-1)).toBe(1);
  const child = snapshot.processes.find((p) => p.ppid === init?.pid);
  expect(child?.argv).toEqual(['sleep', '1000']);
  expect(child?.containerId).toBe(web?.id);
});

test('the container detail reports init, compose labels and a masked configured environment', async () => {
  const response = await apiFetch('/api/containers/web');
  const text = await response.text();
  expect(text).not.toContain('abc123secret');
  const detail = containerDetailSchema.parse(JSON.parse(text));
  expect(detail).toMatchObject({ init: true, compose: { project: 'shop', service: 'web' }, command: ['sleep', '1000'], networkMode: 'none' });
  expect(detail.env).toContainEqual({ name: 'API_TOKEN', value: null, masked: true });
  expect((await apiFetch('/api/containers/no-such-thing')).status).toBe(404);
  expect((await apiFetch('/api/containers/..%2f..')).status).toBe(404);
});

test('the detail of a process in a container shows the container’s configured environment masked', async () => {
  const snapshot = await fetchSnapshot();
  const web = snapshot.containers.find((c) => c.name === 'web');
  const sleeper = snapshot.processes.find((p) => p.containerId === web?.id && p.argv[0] === 'sleep');
  expect(sleeper, 'the sleep in web').toBeDefined();
  const response = await apiFetch(`/api/processes/${sleeper?.pid}`);
  const text = await response.text();
  expect(response.status).toBe(200);
  expect(text).not.toContain('abc123secret');
  const detail = processDetailSchema.parse(JSON.parse(text));
  expect(detail.container?.name).toBe('web');
  expect(detail.containerEnv).toContainEqual({ name: 'API_TOKEN', value: null, masked: true });
});

test('stop, start, restart and rename show up within moments', async () => {
  const byName = (s: Snapshot, name: string) => s.containers.find((c) => c.name === name);
  const timings: Record<string, number> = {};
  await docker('stop', '-t', '0', 'web');
  timings.stop = await timeUntil((s) => byName(s, 'web')?.state === 'exited' && byName(s, 'web')?.pids.length === 0);
  await docker('start', 'web');
  timings.start = await timeUntil((s) => byName(s, 'web')?.state === 'running' && (byName(s, 'web')?.pids.length ?? 0) >= 2);
  const before = (await fetchSnapshot()).containers.find((c) => c.name === 'web')?.pid;
  await docker('restart', '-t', '0', 'web');
  timings.restart = await timeUntil(
    (s) => byName(s, 'web')?.state === 'running' && byName(s, 'web')?.pid !== before && (byName(s, 'web')?.pids.length ?? 0) >= 2,
  );
  await docker('rename', 'web', 'renamed');
  timings.rename = await timeUntil((s) => byName(s, 'renamed') !== undefined && byName(s, 'web') === undefined);
  await docker('run', '-d', '--name=web2', '--network=none', 'lab/busybox', 'sleep', '1000');
  timings.run = await timeUntil((s) => (byName(s, 'web2')?.pids.length ?? 0) === 1);
  await docker('rm', '-f', 'web2');
  timings.remove = await timeUntil((s) => byName(s, 'web2') === undefined);
  test.info().annotations.push({ type: 'reflect-ms', description: JSON.stringify(timings) });
  console.log('engine change → API, ms:', timings);
});

test('the server survives the engine going away, and containers come back when it returns', async () => {
  const late = { server: null as Awaited<ReturnType<typeof startServer>> | null };
  try {
    const pid = Number(readFileSync(`${LAB_DIR}/docker.pid`, 'utf8').trim());
    process.kill(pid, 'SIGTERM');
    // Nothing the engine's API listed is left; a container still running on this host without an
    // engine to ask (another engine's, or one that outlived its dockerd) is listed from /proc.
    await timeUntil((s) => s.host.engines[0]?.state === 'disconnected' && !s.containers.some((c) => c.source === 'api'), serverUrl(), 30_000);
    // The /proc tree is still served.
    expect((await fetchSnapshot()).processes.some((p) => p.pid === 1)).toBe(true);
    // A server started while there is no engine.
    late.server = await startServer({ DOCKER_HOST });
    await timeUntil((s) => s.host.engines[0]?.state === 'disconnected', late.server.url);
    await labUp();
    for (const base of [serverUrl(), late.server.url]) {
      await timeUntil((s) => s.host.engines[0]?.state === 'connected' && (s.containers.find((c) => c.name === 'db')?.pids.length ?? 0) >= 1, base, 20_000);
    }
  } finally {
    await late.server?.stop();
    await labUp();
  }
});
