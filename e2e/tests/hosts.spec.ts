import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import { applyDiff, hostSummariesSchema, parseServerMessage, snapshotSchema } from '@proclens/shared';
import type { HostSummary, Snapshot } from '@proclens/shared';
import { startTestNats } from '../../server/src/hosts/test-nats.ts';
import type { TestNats } from '../../server/src/hosts/test-nats.ts';
import { apiFetch, pageUrl } from '../api.ts';
import { dockerOn, removeHostsDir, startSimHost, trackPid } from '../hosts-lab.ts';
import type { SimHost } from '../hosts-lab.ts';
import { repoRoot, startServer } from '../lab.ts';
import type { ServerProcess } from '../lab.ts';

/**
 * Many hosts, for real on one machine: a nats-server with a user and password, three hosts each
 * in its own pid namespace with its own dockerd, a container and an agent, and one hub, checked
 * through its API, a WebSocket client and the browser.
 */

const NAMES = ['host-a', 'host-b', 'host-c'];
const PASSWORD = `pw-${process.pid}-${Date.now()}`;
/** The bounds. */
const APPEAR_MS = 2000;
const STALE_MS = 30_000;
const RESTORE_MS = 5000;

const env = { nats: null as TestNats | null, hosts: [] as SimHost[], hub: null as ServerProcess | null, hubLog: '' };

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

async function hosts(base: string): Promise<HostSummary[]> {
  const response = await apiFetch('/api/hosts', base);
  return hostSummariesSchema.parse(await response.json());
}

async function hostSnapshot(base: string, name: string): Promise<Snapshot | null> {
  const response = await apiFetch(`/api/hosts/${name}/snapshot`, base);
  return response.ok ? snapshotSchema.parse(await response.json()) : null;
}

async function startHub(): Promise<ServerProcess> {
  if (!env.nats) throw new Error('no NATS');
  const hub = await startServer({}, ['--nats', env.nats.url('proclens', PASSWORD)], [], 'hub');
  trackPid(hub.child.pid);
  env.hubLog = '';
  hub.child.stderr?.on('data', (chunk: Buffer) => (env.hubLog += chunk.toString()));
  return hub;
}

function hubUrl(): string {
  if (!env.hub) throw new Error('no hub');
  return env.hub.url;
}

function host(name: string): SimHost {
  const found = env.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}

/** A script's WebSocket to one host at the hub, folding diffs into the snapshot as the browser does. */
function watchHost(base: string, name: string): { view: () => Snapshot | null; close: () => void } {
  const url = new URL(base);
  const socket = new WebSocket(`ws://${url.host}/ws?host=${name}`, { headers: { Authorization: `Bearer ${url.searchParams.get('token') ?? ''}` } });
  let view: Snapshot | null = null;
  socket.on('message', (data: Buffer) => {
    const parsed = parseServerMessage(data.toString('utf8'));
    if (!parsed.ok) return;
    const m = parsed.value;
    if (m.type === 'snapshot') view = m.snapshot;
    else if (m.type === 'diff' && view) view = applyDiff(view, m.diff);
  });
  return { view: () => view, close: () => socket.close() };
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  removeHostsDir();
  env.nats = await startTestNats({ user: 'proclens', pass: PASSWORD });
  const url = env.nats.url('proclens', PASSWORD);
  env.hosts = await Promise.all(NAMES.map((name) => startSimHost(name, url)));
  await Promise.all(env.hosts.map((h) => dockerOn(h, 'run', '-d', '--name', `web-${h.name}`, '--network=none', 'lab/busybox', 'sleep', '86400')));
  env.hub = await startHub();
});

test.afterAll(async () => {
  // Removing three vfs data roots took minutes under a heavy load (main's teardown allows 10).
  test.setTimeout(660_000);
  // Every process first, by pid (fast); then the engines' files (slow on a busy machine).
  await env.hub?.stop();
  await Promise.all(env.hosts.map((h) => h.kill()));
  await env.nats?.close();
  await Promise.all(env.hosts.map((h) => h.stop()));
  removeHostsDir();
});

test('every host is listed live, each with its own processes, container and runtime chain', async ({ page }) => {
  const base = hubUrl();
  await expect
    .poll(async () => (await hosts(base)).filter((h) => h.state === 'live' && h.containers >= 1).map((h) => h.name), { timeout: 20_000 })
    .toEqual(NAMES);
  for (const name of NAMES) {
    const snapshot = await hostSnapshot(base, name);
    if (!snapshot) throw new Error(`no snapshot for ${name}`);
    // Its own pid namespace: pid 1 is the host's init script, its hostname is its own.
    expect(snapshot.host.hostname).toBe(name);
    expect(snapshot.processes.find((p) => p.pid === 1)?.name).toBe('bash');
    const web = snapshot.containers.find((c) => c.name === `web-${name}`);
    expect(web?.state).toBe('running');
    expect(snapshot.containers.map((c) => c.name)).not.toContain(`web-${NAMES.find((n) => n !== name) ?? ''}`);
    const roles = new Set(snapshot.processes.map((p) => p.role));
    for (const role of ['dockerd', 'containerd', 'shim']) expect(roles, `${name} ${role}`).toContain(role);
  }

  await page.goto(pageUrl('', base));
  await expect(page.getByTestId('host-row')).toHaveCount(3);
  for (const name of NAMES) await expect(page.locator(`[data-testid=host-row][data-host=${name}]`)).toHaveAttribute('data-state', 'live');
  await expect(page.locator('[data-testid=host-row][data-host=host-a] [data-testid=host-containers]')).toHaveText('1');
});

test('a container started on host B appears at the hub within 2 s, on host B only', async ({ page }, info) => {
  const base = hubUrl();
  const watchers = NAMES.map((name) => ({ name, ...watchHost(base, name) }));
  try {
    await expect.poll(() => watchers.every((w) => w.view() !== null), { timeout: 10_000 }).toBe(true);
    await page.goto(pageUrl('', base).replace(/\/\?/, '/hosts/host-b?'));
    await expect(page.getByTestId('hub-bar')).toContainText('host-b');
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');

    await dockerOn(host('host-b'), 'run', '-d', '--name', 'late-b', '--network=none', 'lab/busybox', 'sleep', '86400');
    const started = performance.now();
    const onB = () =>
      watchers
        .find((w) => w.name === 'host-b')
        ?.view()
        ?.containers.some((c) => c.name === 'late-b' && c.pid !== null) === true;
    await expect.poll(onB, { timeout: 10_000, intervals: [20] }).toBe(true);
    const streamMs = performance.now() - started;
    await expect(page.getByTestId('container-item').filter({ hasText: 'late-b' })).toBeVisible({ timeout: 10_000 });
    const browserMs = performance.now() - started;
    info.annotations.push({ type: 'figure', description: `container on host B → hub stream ${streamMs.toFixed(0)} ms, → browser ${browserMs.toFixed(0)} ms` });
    console.log(`container on host B → hub stream ${streamMs.toFixed(0)} ms, → browser ${browserMs.toFixed(0)} ms`);
    expect(streamMs).toBeLessThanOrEqual(APPEAR_MS);
    for (const w of watchers.filter((x) => x.name !== 'host-b')) expect(w.view()?.containers.map((c) => c.name)).not.toContain('late-b');
    expect((await hosts(base)).find((h) => h.name === 'host-b')?.containers).toBe(2);
  } finally {
    watchers.forEach((w) => w.close());
  }
});

test('the host page is the single-host dashboard: tree, detail pane through the agent, search', async ({ page }) => {
  const base = hubUrl();
  const snapshot = await hostSnapshot(base, 'host-b');
  const late = snapshot?.containers.find((c) => c.name === 'late-b');
  if (!late?.pid) throw new Error('late-b has no pid');
  await page.goto(pageUrl(`pid=${late.pid}`, base).replace(/\/\?/, '/hosts/host-b?'));
  await expect(page.getByTestId('detail-pane')).toContainText('sleep');
  await expect(page.getByTestId('detail-pane')).toContainText(`late-b`);
  await expect(page.locator(`[data-testid=tree-node][data-pid="${late.pid}"]`)).toBeVisible();
  await page.getByTestId('search').fill('late-b');
  await expect(page.getByTestId('match-count')).toHaveText(/[1-9]\d* match/);
  // The hub's strip sits above the dashboard, which still fits the 1280×720 screen below it.
  const bar = await page.getByTestId('hub-bar').boundingBox();
  const topbar = await page.locator('.topbar').boundingBox();
  const layout = await page.locator('.layout').boundingBox();
  if (!bar || !topbar || !layout) throw new Error('hub bar, top bar or layout not drawn');
  expect(bar.y).toBe(0);
  expect(bar.y + bar.height).toBeLessThanOrEqual(topbar.y + 0.5);
  expect(layout.y + layout.height).toBeLessThanOrEqual(720.5);
  await page.screenshot({ path: path.join(repoRoot, 'e2e/artifacts/hub-host-b.png') });
});

test('search across hosts finds a container by name and a pid on every host that has it', async ({ page }) => {
  const base = hubUrl();
  await page.goto(pageUrl('', base));
  await page.getByTestId('host-search').fill('late-b');
  await expect(page.getByTestId('host-match')).toHaveCount(1);
  await expect(page.getByTestId('host-match')).toHaveAttribute('data-host', 'host-b');
  // pid 1 is each namespace's init: found on all three hosts.
  await page.getByTestId('host-search').fill('1');
  await expect(page.getByTestId('host-match')).toHaveCount(3);
  await page.getByTestId('host-search').fill('web-host-c');
  await page.getByTestId('host-match').getByRole('link', { name: 'host-c' }).click();
  await expect(page).toHaveURL(/\/hosts\/host-c\?container=web-host-c/);
  await expect(page.getByTestId('container-detail')).toBeVisible();
});

test('the hub restarted gets every host’s state back within 5 s, without asking the agents', async () => {
  await env.hub?.stop();
  const started = performance.now();
  env.hub = await startHub();
  const base = hubUrl();
  await expect
    .poll(async () => (await Promise.all(NAMES.map((n) => hostSnapshot(base, n)))).every((s) => s?.containers.some((c) => c.name.startsWith('web-'))), {
      timeout: RESTORE_MS * 3,
      intervals: [50],
    })
    .toBe(true);
  const ms = performance.now() - started;
  console.log(`hub restart → every host's state: ${ms.toFixed(0)} ms (from spawning the hub, its start-up included)`);
  test.info().annotations.push({ type: 'figure', description: `hub restart → every host's state ${ms.toFixed(0)} ms` });
  expect(ms).toBeLessThanOrEqual(RESTORE_MS);
  expect((await hosts(base)).map((h) => h.state)).toEqual(['live', 'live', 'live']);
  // All of it came from the streams: the hub asked no agent for a snapshot.
  expect(env.hubLog).not.toContain('asking a host for a fresh snapshot');
});

test('an agent killed goes stale within 30 s; the others stay live', async ({ page }) => {
  const base = hubUrl();
  const victim = host('host-c');
  const pid = victim.agentPid();
  if (pid === null) throw new Error(`no agent pid for host-c:\n${victim.output()}`);
  process.kill(pid, 'SIGKILL');
  const killed = performance.now();
  await expect.poll(async () => (await hosts(base)).find((h) => h.name === 'host-c')?.state, { timeout: STALE_MS + 10_000, intervals: [250] }).toBe('stale');
  const ms = performance.now() - killed;
  console.log(`agent killed → stale at the hub: ${ms.toFixed(0)} ms`);
  test.info().annotations.push({ type: 'figure', description: `agent killed → stale ${ms.toFixed(0)} ms` });
  expect(ms).toBeLessThanOrEqual(STALE_MS);
  const rows = await hosts(base);
  expect(rows.map((h) => [h.name, h.state])).toEqual([
    ['host-a', 'live'],
    ['host-b', 'live'],
    ['host-c', 'stale'],
  ]);

  await page.goto(pageUrl('', base));
  await expect(page.locator('[data-testid=host-row][data-host=host-c]')).toHaveAttribute('data-state', 'stale');
  await expect(page.locator('[data-testid=host-row][data-host=host-c] [data-testid=host-state]')).toContainText(/stale · last seen \d+ s ago/);
  // The screenshot in the README: two live hosts, one whose agent was just killed.
  await page.screenshot({ path: path.join(repoRoot, 'docs/screenshot-hub.png') });
  const shot = await page.locator('[data-testid=hosts]').boundingBox();
  expect(shot && shot.y + shot.height).toBeLessThanOrEqual(720);
});

test('wrong NATS credentials fail clearly: exit 1, one line, no password shown', () => {
  for (const command of ['agent', 'hub']) {
    const result = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'bin/proclens.js'), command, '--nats', env.nats?.url('proclens', 'not-the-password') ?? ''],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^proclens: NATS at nats:\/\/127\.0\.0\.1:\d+ refused the credentials/)]);
    expect(result.stderr + result.stdout).not.toContain('not-the-password');
  }
});
