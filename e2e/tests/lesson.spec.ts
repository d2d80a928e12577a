import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { fetchSnapshot, findChain, pageUrl } from '../api.ts';
import { docker, repoRoot } from '../lab.ts';

/** The seed lesson "containers are just processes", step by step, without a terminal. */
const ARTIFACTS = path.join(repoRoot, 'e2e/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const node = (page: Page, pid: number) => page.locator(`[data-testid="tree-node"][data-pid="${pid}"]`);
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `lesson-${name}.png`) });

async function openDetail(page: Page, pid: number): Promise<void> {
  await page.goto(pageUrl(`pid=${pid}`));
  await expect(page.getByTestId('detail-host-pid')).toHaveText(String(pid));
}

test.afterAll(async () => {
  await docker('rm', '-f', 'lesson').catch(() => '');
});

test('1. docker run -d --name=lesson redis:alpine: the new branch appears live and is marked as newborn', async ({ page }) => {
  await docker('rm', '-f', 'lesson').catch(() => '');
  await page.goto(pageUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  // The newborn mark lasts 3 s from the process's birth: record every node that wears it, from
  // before the run, so that how long this test takes to look does not decide what it sees.
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { newborns: Set<string> }).newborns = seen;
    const record = () => document.querySelectorAll('[data-testid="tree-node"].newborn').forEach((n) => seen.add(n.getAttribute('data-pid') ?? ''));
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  });
  await docker('run', '-d', '--name=lesson', '--network=none', 'redis:alpine');
  const ran = Date.now();
  // Live means seconds, but a shared machine may be slow: a generous deadline, the time reported.
  await expect(page.getByTestId('container-item').filter({ hasText: 'lesson' })).toBeVisible({ timeout: 20_000 });
  test.info().annotations.push({ type: 'docker run → on screen', description: `${Date.now() - ran} ms` });
  await expect.poll(async () => (await fetchSnapshot()).containers.find((c) => c.name === 'lesson')?.pid ?? null).not.toBeNull();
  const container = (await fetchSnapshot()).containers.find((c) => c.name === 'lesson');
  await expect(node(page, container?.pid ?? 0)).toBeAttached();
  expect(await page.evaluate((pid) => (window as unknown as { newborns: Set<string> }).newborns.has(pid), String(container?.pid))).toBe(true);
  await expect(
    page
      .getByTestId('timeline-event')
      .filter({ hasText: /container lesson (started|created)/ })
      .first(),
  ).toBeVisible();
  await shot(page, '1-docker-run');
});

test('2. ps aux | grep redis-server: search finds redis-server with its pid, user and command', async ({ page }) => {
  const { init } = findChain(await fetchSnapshot(), 'db');
  await page.goto(pageUrl());
  await page.keyboard.press('/');
  await expect(page.getByTestId('search')).toBeFocused();
  await page.keyboard.type('redis-server');
  await expect(page.getByTestId('match-count')).toHaveText(/^[1-9]\d* match/);
  await expect(node(page, init.pid)).toHaveClass(/match/);
  // Enter walks the matches (every redis-server on the host) until it reaches db's.
  await expect
    .poll(async () => {
      await page.getByTestId('search').press('Enter');
      return page
        .getByTestId('detail-host-pid')
        .textContent({ timeout: 1000 })
        .catch(() => null);
    })
    .toBe(String(init.pid));
  const pane = page.getByTestId('detail-pane');
  await expect(pane.getByTestId('detail-host-pid')).toHaveText(String(init.pid));
  await expect(pane).toContainText('uid 0');
  await expect(pane).toContainText('redis-server *:6379');
  await shot(page, '2-search');
});

test('3. docker top db: clicking db lists its processes with PID and PPID and lights them up', async ({ page }) => {
  const snapshot = await fetchSnapshot();
  const db = snapshot.containers.find((c) => c.name === 'db');
  const top = (await docker('top', 'db', '-o', 'pid,ppid'))
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/).map(Number));
  await page.goto(pageUrl());
  await page.getByTestId('container-item').filter({ hasText: 'db' }).click();
  const table = page.getByTestId('container-top');
  for (const [pid, ppid] of top) {
    await expect(table.locator('tr', { hasText: String(pid) })).toContainText(String(ppid));
    await expect(node(page, pid ?? 0)).toHaveAttribute('data-highlight', 'member');
  }
  expect(db?.pids.length).toBe(top.length);
  await expect(page.getByTestId('container-detail')).toContainText('redis-server');
  await shot(page, '3-docker-top');
});

test('4. who is the PPID? The detail pane names the parent, and one click walks to it', async ({ page }) => {
  const { init, shim } = findChain(await fetchSnapshot(), 'db');
  await openDetail(page, init.pid);
  const parent = page.getByTestId('detail-ppid');
  await expect(parent).toHaveText(`containerd-shim(${shim.pid})`);
  await parent.getByRole('button').click();
  await expect(page.getByTestId('detail-host-pid')).toHaveText(String(shim.pid));
  // The shim's own parent is pid 1 for the kernel, containerd for the runtime: both are named.
  await expect(page.getByTestId('detail-pane')).toContainText('Parent (runtime)');
  await expect(page.getByTestId('detail-pane')).toContainText('The shim keeps a container running');
  await shot(page, '4-ppid');
});

test('5. pstree -c -p -A $(pgrep dockerd): the dockerd subtree, with threads as {name}(tid)', async ({ page }) => {
  const { dockerd, containerd, shim, init } = findChain(await fetchSnapshot(), 'db');
  await openDetail(page, dockerd.pid);
  await expect(page.getByTestId('detail-threads')).toContainText(new RegExp(`\\{dockerd\\}\\(\\d+\\)`));
  await expect(page.getByTestId('detail-pane')).toContainText(`pstree -pt ${dockerd.pid}`);
  // The subtree as drawn: each link of the chain is on screen.
  for (const p of [dockerd, containerd, shim, init]) await expect(node(page, p.pid)).toBeVisible();
  await shot(page, '5-pstree');
});

test('6. ls /proc/$DBPID: the detail pane shows what /proc/<pid> holds', async ({ page }) => {
  const { init } = findChain(await fetchSnapshot(), 'db');
  await openDetail(page, init.pid);
  const entries = page.getByTestId('detail-entries');
  for (const name of ['cgroup', 'cmdline', 'environ', 'fd', 'ns', 'status', 'task']) await expect(entries).toContainText(name);
  await expect(page.getByTestId('detail-pane')).toContainText(`ls /proc/${init.pid}`);
  await shot(page, '6-ls-proc');
});

test('7. cat /proc/$DBPID/environ: redis-server zeroed its environment, and the pane says so', async ({ page }) => {
  const { init } = findChain(await fetchSnapshot(), 'db');
  await openDetail(page, init.pid);
  await expect(page.getByTestId('environ-zeroed')).toContainText('Zeroed');
  await expect(page.getByTestId('detail-pane')).toContainText(`tr '\\0' '\\n' < /proc/${init.pid}/environ`);
  await shot(page, '7-environ');
});

test('8. docker exec -it db env: beside it, the container’s configured environment, with the difference explained', async ({ page }) => {
  const { init } = findChain(await fetchSnapshot(), 'db');
  const configured = (await docker('exec', 'db', 'env')).split('\n').find((l) => l.startsWith('REDIS_VERSION='));
  await openDetail(page, init.pid);
  const pane = page.getByTestId('detail-pane');
  await expect(pane).toContainText('Configured environment of db');
  await expect(pane).toContainText('docker exec db env');
  await expect(pane.locator('table.env tr', { hasText: 'REDIS_VERSION' })).toContainText(configured?.split('=')[1] ?? 'missing');
  await expect(pane).toContainText('a process can change or wipe its own copy');
  await pane.getByRole('heading', { name: 'Configured environment of db' }).scrollIntoViewIfNeeded();
  await shot(page, '8-exec-env');
});
