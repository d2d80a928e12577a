import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { fetchSnapshot, findChain, pageUrl } from '../api.ts';
import { docker, repoRoot, startServer } from '../lab.ts';

const ARTIFACTS = path.join(repoRoot, 'e2e/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

test('the lab container db appears with the chain dockerd → containerd → shim → redis-server', async ({ page }) => {
  await page.goto(pageUrl());
  await expect(page.getByTestId('container-item').filter({ hasText: 'db' })).toBeVisible();

  const chain = findChain(await fetchSnapshot(), 'db');
  expect(chain.dockerd.role).toBe('dockerd');
  expect(chain.containerd.role).toBe('containerd');
  expect(chain.shim.role).toBe('shim');
  expect(chain.init.name).toBe('redis-server');
  // The kernel truth: the shim was re-parented to pid 1; the runtime link says where it belongs.
  expect(chain.shim.ppid).toBe(1);
  expect(chain.shim.logicalParent).toBe(chain.containerd.pid);

  const link = (source: number, target: number) => page.locator(`[data-testid="tree-link"][data-source="${source}"][data-target="${target}"]`);
  await expect(link(chain.dockerd.pid, chain.containerd.pid)).toHaveAttribute('data-kind', 'kernel');
  await expect(link(chain.containerd.pid, chain.shim.pid)).toHaveAttribute('data-kind', 'logical');
  await expect(link(chain.shim.pid, chain.init.pid)).toHaveAttribute('data-kind', 'kernel');
  await page.screenshot({ path: path.join(ARTIFACTS, 'chain.png') });
});

test('clicking db highlights exactly the pids docker top db lists', async ({ page }) => {
  // A process started by docker exec: a child of the shim, not of redis-server.
  await docker('exec', '-d', 'db', 'sleep', '300');
  const dockerTop = async () =>
    (await docker('top', 'db', '-o', 'pid,args'))
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .filter(Boolean);
  await expect.poll(async () => (await dockerTop()).some((l) => l.endsWith('sleep 300'))).toBe(true);
  const pids = (await dockerTop()).map((l) => Number(l.split(/\s+/)[0])).sort((a, b) => a - b);
  expect(pids.length).toBeGreaterThanOrEqual(2);

  await page.goto(pageUrl());
  await page.getByTestId('container-item').filter({ hasText: 'db' }).click();
  await expect
    .poll(async () =>
      (await page.locator('[data-testid="tree-node"][data-highlight="member"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-pid'))))).sort(
        (a, b) => a - b,
      ),
    )
    .toEqual(pids);
  // Everything else is dimmed or marked as an ancestor.
  const chain = findChain(await fetchSnapshot(), 'db');
  for (const ancestor of [chain.shim, chain.containerd, chain.dockerd]) {
    await expect(page.locator(`[data-testid="tree-node"][data-pid="${ancestor.pid}"]`)).toHaveAttribute('data-highlight', 'ancestor');
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'db-highlighted.png') });
});

test('redis-server’s detail pane shows pid 1 inside the container and its host pid', async ({ page }) => {
  const { init } = findChain(await fetchSnapshot(), 'db');
  await page.goto(pageUrl());
  await page.getByTestId('container-item').filter({ hasText: 'db' }).click();
  await page.locator(`[data-testid="tree-node"][data-pid="${init.pid}"] text.label`).click();
  const pane = page.getByTestId('detail-pane');
  await expect(pane.getByTestId('detail-host-pid')).toHaveText(String(init.pid));
  await expect(pane.getByTestId('detail-ns-pid')).toHaveText('1');
  await expect(pane).toContainText('in container db');
  await expect(pane).toContainText(`cat /proc/${init.pid}/cgroup`);
  await expect(page).toHaveURL(new RegExp(`pid=${init.pid}`));
  await page.screenshot({ path: path.join(ARTIFACTS, 'redis-detail.png') });
});

test('a container started while the page is open appears live', async ({ page }) => {
  await page.goto(pageUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await docker('rm', '-f', 'web1').catch(() => '');
  await docker('run', '-d', '--name=web1', '--network=none', 'redis:alpine');
  try {
    await expect(page.getByTestId('container-item').filter({ hasText: 'web1' })).toBeVisible({ timeout: 5000 });
  } finally {
    await docker('rm', '-f', 'web1');
  }
  await expect(page.getByTestId('container-item').filter({ hasText: 'web1' })).toHaveCount(0, { timeout: 5000 });
});

test('without an engine the page says Docker is not reachable and still shows /proc', async ({ page }) => {
  const server = await startServer({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  try {
    await page.goto(server.url);
    await expect(page.getByTestId('docker-status')).toContainText('Docker is not reachable at unix:///nonexistent/docker.sock');
    await expect(page.locator('[data-testid="tree-node"][data-pid="1"]')).toBeVisible();
    // The lab's db still runs (another engine's, or seen in /proc): the banner names what is down
    // and does not promise containers that are already on the page.
    await expect(page.getByTestId('container-item').first()).toBeVisible();
    await expect(page.getByTestId('docker-status')).toHaveAttribute('data-engines', 'docker');
    await expect(page.getByTestId('docker-status')).not.toContainText('will appear');
    await page.screenshot({ path: path.join(ARTIFACTS, 'docker-unreachable.png') });
  } finally {
    await server.stop();
  }
});
