import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { fetchSnapshot, findChain, pageUrl } from '../api.ts';
import { DOCKER_HOST, docker, repoRoot, startServer } from '../lab.ts';

const ARTIFACTS = path.join(repoRoot, 'e2e/artifacts');
const node = (page: Page, pid: number) => page.locator(`[data-testid="tree-node"][data-pid="${pid}"]`);
const link = (page: Page, source: number, target: number) => page.locator(`[data-testid="tree-link"][data-source="${source}"][data-target="${target}"]`);

test('kernel threads are hidden by default and shown with the toggle', async ({ page }) => {
  await page.goto(pageUrl());
  await expect(node(page, 1)).toBeVisible();
  await expect(node(page, 2)).toHaveCount(0);
  await page.keyboard.press('t');
  await expect(node(page, 2)).toHaveCount(1);
  await expect(page).toHaveURL(/kthreads=1/);
});

test('runtime view links the shim to containerd (dashed); kernel view shows it under pid 1', async ({ page }) => {
  const { containerd, shim } = findChain(await fetchSnapshot(), 'db');
  await page.goto(pageUrl());
  // Drawn dashed: the stroke the browser computes, not a data attribute.
  await expect(link(page, containerd.pid, shim.pid)).toHaveCSS('stroke-dasharray', /^\d+(\.\d+)?px,? \d+(\.\d+)?px$/);
  await expect(node(page, shim.pid)).toContainText('ppid 1');
  await page.getByRole('button', { name: 'Kernel', exact: true }).click();
  await expect(link(page, 1, shim.pid)).toHaveCSS('stroke-dasharray', 'none');
  await expect(link(page, containerd.pid, shim.pid)).toHaveCount(0);
  await expect(page).toHaveURL(/view=kernel/);
});

test('a process in new namespaces wears a badge, and the pane says which it shares with the host', async ({ page }) => {
  const { init, shim } = findChain(await fetchSnapshot(), 'db');
  await page.goto(pageUrl(`pid=${init.pid}`));
  await expect(node(page, init.pid)).toHaveAttribute('data-namespaces', /pid/);
  await expect(node(page, init.pid)).toHaveAttribute('data-namespaces', /net/);
  await expect(node(page, shim.pid)).not.toHaveAttribute('data-namespaces', /.+/);
  const table = page.getByTestId('detail-namespaces');
  await expect(table.locator('tr', { hasText: 'pid' }).first()).toContainText('its own');
  await expect(table.locator('tr', { hasText: 'user' })).toContainText('shared with host');
});

test('identical siblings are compacted like pstree (3*[sleep]) and expand on click', async ({ page }) => {
  for (let i = 0; i < 3; i++) await docker('exec', '-d', 'db', 'sleep', '900');
  const db = (await fetchSnapshot()).containers.find((c) => c.name === 'db');
  await page.goto(pageUrl());
  const group = page.locator(`[data-testid="tree-group"][data-name="sleep"][data-container-id="${db?.id}"]`);
  await expect(group).toBeVisible();
  await expect(group.locator('text.label')).toHaveText(/^\d+\*\[sleep\]/);
  // An exec'd process is runc's init for a moment before it becomes sleep: wait for all three.
  await expect.poll(async () => ((await group.getAttribute('data-pids')) ?? '').split(',').length).toBeGreaterThanOrEqual(3);
  const pids = ((await group.getAttribute('data-pids')) ?? '').split(',').map(Number);
  await group.locator('text.label').click();
  for (const pid of pids) await expect(node(page, pid)).toBeVisible();
});

test('folding a subtree shows its rolled-up count, CPU and memory', async ({ page }) => {
  const { dockerd } = findChain(await fetchSnapshot(), 'db');
  await page.goto(pageUrl());
  await node(page, dockerd.pid).locator('circle').click();
  await expect(node(page, dockerd.pid).locator('.hidden-count')).toHaveText(/^ \+\d+ · \d+\.\d% · [\d.]+ (KiB|MiB|GiB)$/);
  await expect(node(page, dockerd.pid)).toHaveAttribute('aria-expanded', 'false');
});

test('the URL restores the selection, the container and the view', async ({ page }) => {
  const { init } = findChain(await fetchSnapshot(), 'db');
  await page.goto(pageUrl(`pid=${init.pid}&container=db&view=kernel`));
  await expect(page.getByTestId('detail-host-pid')).toHaveText(String(init.pid));
  await expect(page.getByTestId('container-item').filter({ hasText: 'db' })).toHaveAttribute('aria-pressed', 'true');
  await expect(node(page, init.pid)).toHaveAttribute('data-highlight', 'member');
  await expect(page.getByRole('button', { name: 'Kernel', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.getByTestId('detail-host-pid')).toHaveText(String(init.pid));
});

test('the view exports as SVG and PNG for slides', async ({ page }) => {
  await page.goto(pageUrl());
  await expect(page.getByTestId('container-item').first()).toBeVisible();
  // Export sits in a menu, so that the header keeps to one row.
  await page.locator('summary', { hasText: 'Export' }).click();
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  const svgPath = path.join(ARTIFACTS, 'export.svg');
  await svgDownload.saveAs(svgPath);
  const svg = readFileSync(svgPath, 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toContain('redis-server');
  expect(svg).toContain('<style');
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  const pngPath = path.join(ARTIFACTS, 'export.png');
  await pngDownload.saveAs(pngPath);
  expect(readFileSync(pngPath).subarray(1, 4).toString()).toBe('PNG');
  expect(readFileSync(pngPath).length).toBeGreaterThan(10_000);
});

test('the event timeline records births and deaths, and a click goes to the process', async ({ page }) => {
  await page.goto(pageUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  // On a busy host (the CI machine runs other labs) hundreds of host births a minute would push
  // this one down the list; the filter a presenter uses keeps containers and the runtime only.
  await page.getByTestId('timeline-focus').check();
  await docker('exec', '-d', 'db', 'sleep', '4242');
  // docker exec's process is born as runc's init and exec()s into sleep inside db.
  const born = page
    .getByTestId('timeline-event')
    .filter({ hasText: /sleep\(\d+\) in db/ })
    .first();
  await expect(born).toBeVisible();
  await born.getByRole('button', { name: /sleep\(\d+\) in db started/ }).click();
  await expect(page.getByTestId('detail-pane')).toContainText('sleep 4242');
});

test('hovering a runtime process explains what it is', async ({ page }) => {
  const { dockerd, shim } = findChain(await fetchSnapshot(), 'db');
  await page.goto(pageUrl());
  await expect(node(page, dockerd.pid).locator('title')).toContainText('dockerd is the Docker engine');
  await expect(node(page, shim.pid).locator('title')).toContainText('re-parents itself to pid 1');
});

test('workshop mode and the light theme are readable at 1280×720', async ({ page }) => {
  await page.goto(pageUrl(`container=db`));
  await page.keyboard.press('w');
  await page.getByTestId('theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('html')).toHaveAttribute('data-workshop', 'on');
  const size = await page
    .locator('[data-testid="tree-node"] text.label')
    .first()
    .evaluate((el) => getComputedStyle(el).fontSize);
  expect(parseFloat(size)).toBeGreaterThanOrEqual(18);
  await page.screenshot({ path: path.join(ARTIFACTS, 'workshop-light.png') });
  await page.keyboard.press('?');
  await expect(page.getByTestId('help')).toContainText('search');
});

test('the page says reconnecting… when the server goes away and recovers by itself', async ({ page }) => {
  // A fixed token, so the page's cookie is still good when the server comes back on the same port.
  const token = 'e2e-reconnect-token-0123456789';
  const first = await startServer({ DOCKER_HOST }, ['--token', token]);
  const port = new URL(first.url).port;
  let second: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    await page.goto(first.url);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    await first.stop();
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'reconnecting');
    await expect(page.getByTestId('connection')).toHaveText('reconnecting…');
    second = await startServer({ DOCKER_HOST }, ['--port', port, '--token', token]);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
    await expect(node(page, 1)).toBeVisible();
  } finally {
    await first.stop();
    await second?.stop();
  }
});
